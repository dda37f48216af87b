"""Article structure: header forms, paragraphs, the seed article, coverage on SaudiNewsNet."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from typing import Any

import pytest
from conftest import shared_path
from hypothesis import given
from hypothesis import strategies as st

from marsad.article import lookup_source, parse_header, split_paragraphs
from marsad.document import Header, Span

# text, dateline, source as written, canonical source name, body starts with
HEADERS = [
    ("واشنطن - المغرب اليوم\nطلب وزير", "واشنطن", "المغرب اليوم", "المغرب اليوم", "طلب"),
    ("الرياض (واس) - أكد وزير الخارجية", "الرياض", "واس", "وكالة الأنباء السعودية", "أكد"),
    ("القاهرة - أ ف ب\nقال المتحدث", "القاهرة", "أ ف ب", "وكالة فرانس برس", "قال"),
    ("القاهرة - أ ف ب - أعلن الجيش", "القاهرة", "أ ف ب", "وكالة فرانس برس", "أعلن"),
    ("دبي - رويترز: قال مسؤول", "دبي", "رويترز", "رويترز", "قال"),
    ("بيروت ـ «الشرق الأوسط»\nقال مصدر", "بيروت", "الشرق الأوسط", "الشرق الأوسط", "قال"),
    ("باريس - أ.ف.ب: توصل الرئيس", "باريس", "أ.ف.ب", "وكالة فرانس برس", "توصل"),
    ("بكين - (د.ب.أ): تباطأ المؤشر", "بكين", "د.ب.أ", "وكالة الأنباء الألمانية", "تباطأ"),
    ("لندن: «الشرق الأوسط»\nقال", "لندن", "الشرق الأوسط", "الشرق الأوسط", "قال"),
    ("تونس - لندن: «الشرق الأوسط» قال", "تونس", "الشرق الأوسط", "الشرق الأوسط", "قال"),
    ("سبق- مكة المكرمة: أصدر وزير التعليم", "مكة المكرمة", "سبق", "سبق", "أصدر"),
    ("بندر الدوشي- سبق- أبو عريش: عادت النفايات", "أبو عريش", "سبق", "سبق", "عادت"),
    ("محمد أبو شعر- سبق: ذكرت صحيفة", None, "سبق", "سبق", "ذكرت"),
    ("واس- الرياض: توقعت الرئاسة", "الرياض", "واس", "وكالة الأنباء السعودية", "توقعت"),
    ("سبق، واس- الباحة: جذبت الفعاليات", "الباحة", "سبق", "سبق", "جذبت"),
    ("عين اليوم – القاهرة\n أعلن وزير", "القاهرة", "عين اليوم", "عين اليوم", "أعلن"),
    ("عين اليوم – فيرجسون (ميزوري)\nتقرر", "فيرجسون (ميزوري)", "عين اليوم", "عين اليوم", "تقرر"),
    ("حنان الحامدي – عين اليوم\n ألقت سلطات", None, "عين اليوم", "عين اليوم", "ألقت"),
    ("Next Previous واس – الرياض\nقال", "الرياض", "واس", "وكالة الأنباء السعودية", "قال"),
    ("الرياضي ـ جدة\n\nأقامت شركة", "جدة", "الرياضي", "الرياضي", "أقامت"),
    ("المدينة - جدة\nنشرت المديرية", "جدة", "المدينة", "المدينة", "نشرت"),
    ("«الاقتصادية» من الرياض \n \nقال تجار", "الرياض", "الاقتصادية", "الاقتصادية", "قال"),
    ("ناصر الطميحي ـ جدة\nإغلاق التدريبات", "جدة", None, None, "إغلاق"),
    ("جدة ـ عبدالغني الشريف\n\nأكد عضو", "جدة", None, None, "أكد"),
    ("بيروت: كارولين عاكوم\nقال", "بيروت", None, None, "قال"),
    ("واشنطن: أعلن البيت الأبيض", "واشنطن", None, None, "أعلن"),
    (
        "* دول آسيا تدعم وقف بناء الجزر\n* كوالالمبور - رويترز: أيدت دول",
        "كوالالمبور",
        "رويترز",
        "رويترز",
        "أيدت",
    ),
]


@pytest.mark.parametrize(("text", "dateline", "source", "name", "body"), HEADERS)
def test_header_forms(
    text: str, dateline: str | None, source: str | None, name: str | None, body: str
) -> None:
    h = parse_header(text)
    assert (h.dateline.text if h.dateline else None) == dateline
    assert (h.source.text if h.source else None) == source
    assert h.source_name == name
    assert text[h.body_start :].startswith(body)
    for span in (h.dateline, h.source):
        if span is not None:
            assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("الدمام 26 شوال 1436 هـ الموافق 11 اغسطس 2015 م واس\n أقام برنامج", dt.date(2015, 8, 11)),
        ("نجران 26 شوال 1436 هـالموافق 11 اغسطس 2015 م واس\n أعلنت", dt.date(2015, 8, 11)),
        ("الرياض26 شوال 1436 هـ الموافق 11 اغسطس 2015 م واس\n اتفق", dt.date(2015, 8, 11)),
        ("ينبع 26 شوال 1436هـ الموافق 011 أغسطس 2015 م واس\n كرم", dt.date(2015, 8, 11)),  # the Hijri one
        ("أبهــا 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس\n قدمت", dt.date(2015, 8, 10)),
    ],
)
def test_spa_header_date(text: str, date: dt.date) -> None:
    h = parse_header(text)
    assert h.source_name == "وكالة الأنباء السعودية"
    assert h.date == date
    assert h.dateline is not None and h.dateline.text in text.split("\n")[0]
    assert text[h.body_start :].split()[0] == text.split("\n")[1].split()[0]


@pytest.mark.parametrize(
    "text",
    [
        "الهلال - النصر\nفاز الهلال",  # a title: two names, no source, no known place
        "قال المرصد السوري: قصف الطيران",
        "السؤال: هل هذه السياسة ستقود",
        "تنفيذاً لتوجيهات ولاة الأمر - حفظهم الله - بالعمل",
        "وصل - بحفظ الله ورعايته - نائب خادم الحرمين",
        "كان -أعني أحد الروائيين البائسين- يكتب",
        "كشفت مصادر مطلعة لـ «المدينة» عن أن",
        "قال مسؤول عسكري في الجيش لـ(المدينة): إن",
        "«شرقي هو غربك»\nرواية جديدة",
        "* اليونان: حرائق غابات",
        "1 - ليس جمال الجسد إلا واجهة",
        "",
        "   \n\n",
        "حوار - حاتم البراهيم\nقال",
    ],
)
def test_not_a_header(text: str) -> None:
    assert parse_header(text) == Header()


def test_seed_article(seed_text: str) -> None:
    h = parse_header(seed_text)
    assert h.source_name == "المغرب اليوم"
    assert h.dateline is not None and h.dateline.text == "واشنطن"
    assert h.date is None
    body = split_paragraphs(seed_text, h.body_start)
    assert len(body) == 8
    assert body[0].text.startswith("طلب وزير الخارجية")


def test_seed_gold(seed_text: str, seed_gold: dict[str, Any]) -> None:
    h = parse_header(seed_text)
    assert h.source_name == seed_gold["source_name"]
    assert h.dateline is not None and h.dateline.text == seed_gold["dateline"]


def test_split_paragraphs() -> None:
    text = "\u200f  أول سطر  \r\n\n\xa0\xa0\xa0\xa0ثان\u200f\n \t \nثالث"
    spans = split_paragraphs(text)
    assert [s.text for s in spans] == ["أول سطر", "ثان", "ثالث"]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert [s.text for s in split_paragraphs(text, spans[1].start)] == ["ثان", "ثالث"]
    assert split_paragraphs("") == []


@given(st.text(alphabet=st.sampled_from("اب ج\n\r\t\xa0\u200f-ـ:«»()واس1"), max_size=80))
def test_offsets_are_exact(text: str) -> None:
    h = parse_header(text)
    for span in (h.dateline, h.source):
        if span is not None:
            assert text[span.start : span.end] == span.text
    assert 0 <= h.body_start <= len(text)
    for p in split_paragraphs(text, h.body_start):
        assert text[p.start : p.end] == p.text and p.text.strip() == p.text and p.text


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("واس", "SPA"),
        ("أ ف ب", "AFP"),
        ("أ.ف.ب", "AFP"),
        ("ا ف ب", "AFP"),
        ("فرانس برس", "AFP"),
        ("رويترز", "REUTERS"),
        ("د ب أ", "DPA"),
        ("الأناضول", "AA"),
        ("قنا", "QNA"),
        ("وام", "WAM"),
        ("بنا", "BNA"),
        ("كونا", "KUNA"),
        ("سانا", "SANA"),
        ("إرنا", "IRNA"),
        ("«الشرق الأوسط»", "AAWSAT"),
        ("المغرب اليوم", "MAGHRIBALYAWM"),
    ],
)
def test_lookup_source(name: str, code: str) -> None:
    info = lookup_source(name)
    assert info is not None and info.code == code
    assert lookup_source("كارولين عاكوم") is None


@pytest.mark.slow
def test_saudinewsnet_coverage() -> None:
    """Headers of the wire-style sources are found; the other papers rarely get one."""
    folder = shared_path("data", "saudinewsnet")
    found: dict[str, list[int]] = {}
    for z in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                for a in json.loads(zf.read(name)):
                    h = parse_header(a["content"])
                    c = found.setdefault(a["source"], [0, 0, 0])
                    c[0] += 1
                    c[1] += h.source is not None or h.dateline is not None
                    c[2] += h.date is not None
                    for span in (h.dateline, h.source):
                        assert span is None or a["content"][span.start : span.end] == span.text
    assert found["was"][1] / found["was"][0] > 0.9 and found["was"][2] / found["was"][0] > 0.9
    assert found["sabq"][1] / found["sabq"][0] > 0.9
    assert found["3alyoum"][1] / found["3alyoum"][0] > 0.9
    for paper in ("alriyadh", "aljazirah", "okaz", "alwatan", "alweeam", "aleqtisadiya"):
        assert found[paper][1] / found[paper][0] < 0.01


def test_spans_are_span_type() -> None:
    h = parse_header("واشنطن - المغرب اليوم\nنص")
    assert isinstance(h.dateline, Span) and isinstance(h.source, Span)
