"""The Arabic date normaliser: expressions, resolution against the publication date, offsets."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.text import dates
from marsad.text.dates import FUTURE_DAYS, DateMention, find_dates, parse_date_arg, resolve_date

TUE = dt.date(2015, 8, 11)  # a Tuesday
SAT = dt.date(2016, 4, 16)  # a Saturday


def one(text: str, published: dt.date | None = TUE) -> DateMention:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "mention", "value", "kind", "precision"),
    [
        # weekdays: the latest such day on or before publication, the same day counting
        ("طلب كيري الجمعة من نظيره", "الجمعة", dt.date(2015, 8, 7), "weekday", "day"),
        ("وصل يوم الثلاثاء إلى", "الثلاثاء", TUE, "weekday", "day"),
        ("اجتمعوا الاثنين", "الاثنين", dt.date(2015, 8, 10), "weekday", "day"),
        ("والأحد الماضي", "الأحد الماضي", dt.date(2015, 8, 9), "weekday", "day"),
        ("الثلاثاء الماضي", "الثلاثاء الماضي", dt.date(2015, 8, 4), "weekday", "day"),
        ("يوم الجمعة المقبل", "الجمعة المقبل", dt.date(2015, 8, 14), "weekday", "day"),
        ("الثلاثاء القادم", "الثلاثاء القادم", dt.date(2015, 8, 18), "weekday", "day"),
        ("للجمعة", "للجمعة", dt.date(2015, 8, 7), "weekday", "day"),
        ("الأربعـاء", "الأربعـاء", dt.date(2015, 8, 5), "weekday", "day"),
        ("الإثنين", "الإثنين", dt.date(2015, 8, 10), "weekday", "day"),
        # relative days
        ("وصل أمس", "أمس", dt.date(2015, 8, 10), "relative", "day"),
        ("وأمس", "أمس", dt.date(2015, 8, 10), "relative", "day"),
        ("مساء أمس", "أمس", dt.date(2015, 8, 10), "relative", "day"),
        ("بالأمس", "الأمس", dt.date(2015, 8, 10), "relative", "day"),
        ("فجر اليوم", "اليوم", TUE, "relative", "day"),
        ("أول أمس", "أول أمس", dt.date(2015, 8, 9), "relative", "day"),
        ("أول من أمس", "أول من أمس", dt.date(2015, 8, 9), "relative", "day"),
        ("أمس الأول", "أمس الأول", dt.date(2015, 8, 9), "relative", "day"),
        ("غداً", "غداً", dt.date(2015, 8, 12), "relative", "day"),
        ("غدًا", "غدًا", dt.date(2015, 8, 12), "relative", "day"),
        ("بعد غد", "بعد غد", dt.date(2015, 8, 13), "relative", "day"),
        ("الأسبوع الماضي", "الأسبوع الماضي", dt.date(2015, 8, 4), "relative", "week"),
        ("الأسبوع المقبل", "الأسبوع المقبل", dt.date(2015, 8, 18), "relative", "week"),
        ("الشهر الماضي", "الشهر الماضي", dt.date(2015, 7, 1), "relative", "month"),
        ("العام الماضي", "العام الماضي", dt.date(2014, 1, 1), "relative", "year"),
        # a relative day and its weekday are one date
        ("اليوم (الثلاثاء)", "اليوم (الثلاثاء)", TUE, "relative", "day"),
        ("أمس الاثنين", "أمس الاثنين", dt.date(2015, 8, 10), "relative", "day"),
        ("غداً الأربعاء", "غداً الأربعاء", dt.date(2015, 8, 12), "relative", "day"),
        ("أمس الأربعاء", "أمس الأربعاء", dt.date(2015, 8, 5), "relative", "day"),  # publication date lags
        # absolute dates: standard, Levantine/Iraqi, Maghrebi, Moroccan names; pairs; Eastern digits
        ("في 11 أغسطس 2015", "11 أغسطس 2015", dt.date(2015, 8, 11), "absolute", "day"),
        ("١١ أغسطس ٢٠١٥", "١١ أغسطس ٢٠١٥", dt.date(2015, 8, 11), "absolute", "day"),
        ("11 اغسطس 2015 م", "11 اغسطس 2015 م", dt.date(2015, 8, 11), "absolute", "day"),
        ("3 كانون الثاني 2016", "3 كانون الثاني 2016", dt.date(2016, 1, 3), "absolute", "day"),
        ("14 جويلية 2015", "14 جويلية 2015", dt.date(2015, 7, 14), "absolute", "day"),
        ("20 فيفري 2014", "20 فيفري 2014", dt.date(2014, 2, 20), "absolute", "day"),
        ("2 غشت 2015", "2 غشت 2015", dt.date(2015, 8, 2), "absolute", "day"),
        ("شباط/فبراير 2016", "شباط/فبراير 2016", dt.date(2016, 2, 1), "absolute", "month"),
        (
            "في 15 أغسطس (آب) من عام 1869",
            "15 أغسطس (آب) من عام 1869",
            dt.date(1869, 8, 15),
            "absolute",
            "day",
        ),
        ("الخميس 6 أغسطس - آب قرب", "الخميس 6 أغسطس - آب", dt.date(2015, 8, 6), "absolute", "day"),
        ("مايو (أيار) 1990", "مايو (أيار) 1990", dt.date(1990, 5, 1), "absolute", "month"),
        # month without a year: the latest such month on or before publication
        ("في مارس الماضي", "مارس الماضي", dt.date(2015, 3, 1), "absolute", "month"),
        ("منذ نهاية شباط/فبراير", "شباط/فبراير", dt.date(2015, 2, 1), "absolute", "month"),
        ("في ديسمبر", "ديسمبر", dt.date(2014, 12, 1), "absolute", "month"),
        ("في أغسطس", "أغسطس", dt.date(2015, 8, 1), "absolute", "month"),
        ("سبتمبر المقبل", "سبتمبر المقبل", dt.date(2015, 9, 1), "absolute", "month"),
        (
            "في حزيران (يونيو) من العام الماضي،",
            "حزيران (يونيو) من العام الماضي",
            dt.date(2014, 6, 1),
            "absolute",
            "month",
        ),
        ("الشهر الجاري", "الشهر الجاري", dt.date(2015, 8, 1), "relative", "month"),
        # day and month without a year: the latest such date at most FUTURE_DAYS after publication
        ("يوم 14 أغسطس", "14 أغسطس", dt.date(2015, 8, 14), "absolute", "day"),
        ("يوم 25 أغسطس", "25 أغسطس", dt.date(2014, 8, 25), "absolute", "day"),
        ("في 25 ديسمبر", "25 ديسمبر", dt.date(2014, 12, 25), "absolute", "day"),
        # Hijri
        ("26 شوال 1436 هـ", "26 شوال 1436 هـ", dt.date(2015, 8, 11), "hijri", "day"),
        ("1436هـ", "1436هـ", dt.date(2014, 10, 25), "hijri", "year"),
        ("في 20 رمضان", "20 رمضان", dt.date(2015, 7, 7), "hijri", "day"),
        ("شهر رمضان", "رمضان", dt.date(2015, 6, 18), "hijri", "month"),
        ("20/9/1436", "20/9/1436", dt.date(2015, 7, 7), "hijri", "day"),
        ("16-10-1436هـ", "16-10-1436هـ", dt.date(2015, 8, 1), "hijri", "day"),
        ("الموافق 3 / 11 / 1436هـ", "3 / 11 / 1436هـ", dt.date(2015, 8, 18), "hijri", "day"),
        # SPA's header date: Hijri and Gregorian, one mention
        (
            "الدمام 26 شوال 1436 هـ الموافق 11 اغسطس 2015 م واس",
            "26 شوال 1436 هـ الموافق 11 اغسطس 2015 م",
            dt.date(2015, 8, 11),
            "absolute",
            "day",
        ),
        # numeric and year-only Gregorian
        ("29 /6 /2015", "29 /6 /2015", dt.date(2015, 6, 29), "absolute", "day"),
        ("عام 2014", "2014", dt.date(2014, 1, 1), "absolute", "year"),
        ("2015م", "2015م", dt.date(2015, 1, 1), "absolute", "year"),
    ],
)
def test_find_dates(text: str, mention: str, value: dt.date, kind: str, precision: str) -> None:
    m = one(text)
    assert (m.text, m.value, m.kind, m.precision) == (mention, value, kind, precision)
    assert text[m.start : m.end] == m.text


def test_future_window() -> None:
    assert resolve_date(f"{TUE.day + FUTURE_DAYS} أغسطس", TUE) == dt.date(2015, 8, TUE.day + FUTURE_DAYS)
    assert resolve_date(f"{TUE.day + FUTURE_DAYS + 1} أغسطس", TUE) == dt.date(
        2014, 8, TUE.day + FUTURE_DAYS + 1
    )


@pytest.mark.parametrize(
    "text",
    [
        "أمسية شعرية",  # أمس inside أمسية
        "السبتية",
        "مارس الرئيس ضغوطا",  # مارس the verb
        "رمضان محمد",  # a given name
        "في اليوم التالي",  # "the day", not "today"
        "اليوم الوطني",
        "صحيفة عين اليوم",
        "اتفق الاثنين معا",  # "the two"
        "جمعة محمد وخميس",  # names without the article
        "لم يحضر أحد",  # "anyone"
        "سبعة أشخاص",
        "بلغ 1500 ريال",
        "مقابل 2015 نقطة",
        "غداء عمل",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, TUE) == []


@pytest.mark.parametrize("text", ["32 يناير 2015", "30 فبراير 2016", "31 صفر 1436", "30/2/2015", "1600هـ"])
def test_impossible_dates_resolve_to_none(text: str) -> None:
    mentions = find_dates(text, TUE)
    assert mentions and all(m.value is None for m in mentions)


def test_no_publication_date() -> None:
    assert one("الجمعة", None).value is None
    assert one("أمس", None).value is None
    assert one("في مارس", None).value is None
    assert one("11 أغسطس 2015", None).value == dt.date(2015, 8, 11)
    assert one("26 شوال 1436 هـ", None).value == dt.date(2015, 8, 11)


def test_friday_in_a_saturday_article() -> None:
    assert resolve_date("الجمعة", SAT) == SAT - dt.timedelta(days=1)
    assert resolve_date("السبت", SAT) == SAT


def test_window() -> None:
    text = "الجمعة ثم أمس ثم غدا"
    assert [m.text for m in find_dates(text, TUE, start=7)] == ["أمس", "غدا"]
    assert [m.text for m in find_dates(text, TUE, start=7, end=14)] == ["أمس"]
    assert find_dates(text, TUE, start=len(text)) == []


def test_seed_article(seed_text: str) -> None:
    published = dt.date(2016, 4, 16)
    found = {m.text: m for m in find_dates(seed_text, published)}
    assert found["الجمعة"].value == dt.date(2016, 4, 15)
    assert found["شباط/فبراير"].value == dt.date(2016, 2, 1) and found["شباط/فبراير"].precision == "month"
    assert found["الخميس"].value == dt.date(2016, 4, 14)
    assert found["هذا الاسبوع"].precision == "week"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("الجمعة", dt.date(2015, 8, 7)),
        ("أمس", dt.date(2015, 8, 10)),
        ("11 اغسطس 2015", dt.date(2015, 8, 11)),
        ("26 شوال 1436 هـ", dt.date(2015, 8, 11)),
        ("", None),
        ("لا شيء هنا", None),
    ],
)
def test_resolve_date(expression: str, value: dt.date | None) -> None:
    assert resolve_date(expression, TUE) == value


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2016-04-15", dt.date(2016, 4, 15)),
        (" 2016-4-5 ", dt.date(2016, 4, 5)),
        ("٢٠١٦-٠٤-١٥", dt.date(2016, 4, 15)),
        ("2015-08-10 19:24:22", dt.date(2015, 8, 10)),
    ],
)
def test_parse_date_arg(value: str, date: dt.date) -> None:
    assert parse_date_arg(value) == date


@pytest.mark.parametrize("value", ["15/04/2016", "2016-02-30", "yesterday", "", "2016-13-01"])
def test_parse_date_arg_errors(value: str) -> None:
    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        parse_date_arg(value)


_ALPHABET = st.sampled_from(
    [
        "الجمعة",
        "أمس",
        "اليوم",
        " ",
        "\n",
        "(",
        ")",
        "/",
        "-",
        "11",
        "٢٠١٥",
        "32",
        "أغسطس",
        "شباط",
        "شوال",
        "هـ",
        "م",
        "الموافق",
        "الماضي",
        "المقبل",
        "و",
        "ب",
        "ال",
        "عام",
        "1436",
        "ـ",
        "\u064e",
    ]
)


@given(
    st.lists(_ALPHABET, max_size=25).map("".join),
    st.sampled_from([None, TUE, dt.date(1930, 1, 1), dt.date.min, dt.date.max]),
)
def test_never_crashes_and_offsets_are_exact(text: str, published: dt.date | None) -> None:
    mentions = find_dates(text, published)
    last = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.start >= last
        last = m.end
        assert m.kind in ("absolute", "hijri", "relative", "weekday")
        assert m.precision in ("day", "week", "month", "year")


# The lexicon pattern reads a folded copy of the text (``_fold``): each letter of a class
# replaced by the class's letter, marks by placeholders.  It must find exactly what the same
# pattern written with a class per letter finds in the text itself.
_WORD_MARKS = ["\u064e", "\u0651", "\u0652\u0670", "\u0640", "\u0670", "\ue000", "\ue001", "\ue003"]


def _class_pattern() -> re.Pattern[str]:
    return re.compile(rf"[{dates._SEP}](?P<lex>{dates._trie_pattern(dates._FORMS)}){dates._END}")


def _noisy_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    forms = sorted(dates._FORMS)
    glue = [" ", "، ", "ـ", " و", "\n", " (", ") ", "-"]
    letters = "اأإآىيةهؤئ"
    out = []
    for _ in range(n):
        words = [rng.choice(forms) for _ in range(rng.randint(1, 4))]
        # spelling variants the classes accept (أ for ا, ى for ي ...) and marks inside words
        chars = list(rng.choice(glue).join(words))
        for _ in range(rng.randint(0, 5)):
            i = rng.randrange(len(chars) + 1)
            chars.insert(i, rng.choice(_WORD_MARKS + list(letters)))
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(len(chars))
            if chars[i] in letters:
                chars[i] = rng.choice(letters)
        out.append("".join(chars))
    return out


def test_folded_lexicon_pattern_finds_what_the_class_pattern_finds() -> None:
    classes = _class_pattern()
    texts = _noisy_texts(3000, seed=3)
    found = 0
    for text in texts:
        want = [m.span("lex") for m in classes.finditer(text)]
        got = [m.span("lex") for m in dates._LEX_AFTER_SEP.finditer(dates._fold(text))]
        assert got == want, text
        found += len(want)
        for pos in range(0, len(text), 3):  # a word that must start at a given place
            m = classes.match(" " + text[pos:])
            want_at = (m.start("lex") - 1 + pos, m.end("lex") - 1 + pos) if m else None
            got_at = dates._lex_at(text, pos, len(text))
            assert (got_at[:2] if got_at else None) == want_at, (text, pos)
    assert found > 1500  # the texts are made of lexicon forms: most are found


@pytest.mark.parametrize(
    "text",
    ["الجُمُعَة الماضية", "يوم الجمعـــة", "يوم الجمعة 😀 أمس", "الجمعة \ud800 يونيو", "", "\ue000الجمعة"],
)
def test_fold_keeps_offsets(text: str) -> None:
    folded = dates._fold(text)
    assert len(folded) == len(text)
    assert dates._fold(text) is folded  # remembered for the next call on the same text
    for m in find_dates(text, TUE):
        assert text[m.start : m.end] == m.text
