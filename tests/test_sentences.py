"""Sentence splitting (marsad.text.sentences)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize


def sentences(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[str]:
    return [s.text for s in split_sentences(text, tokenize(text), paragraphs)]


def lines(text: str) -> list[tuple[int, int]]:
    spans, i = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((i, i + len(line)))
        i += len(line) + 1
    return spans


def test_seed_article(seed_text: str) -> None:
    """The seed's header and eight paragraphs: fifteen sentences, checked by reading the text."""
    got = split_sentences(seed_text, tokenize(seed_text), lines(seed_text))
    expected = [  # (first words, last characters)
        ("واشنطن - المغرب", "المغرب اليوم"),
        ("طلب وزير الخارجية", "كما اعلنت واشنطن."),
        ("وقال المتحدث باسم", 'القيام بالامر ذاته".'),
        ("واوضح المتحدث ان", 'لوقف اطلاق النار".'),
        ('واضاف ان كيري "اكد', 'الاعمال القتالية".'),  # the stop glued to the next word: النار".واضاف
        ("واضاف ان القوات", 'قلق بالنسبة لنا".'),
        ("كما اعرب كيري", "بزيارة الى موسكو."),  # لنا".كما
        ('واضاف المتحدث "لقد', "ذلك خلال الاتصال."),  # a quotation running over three sentences
        ("اطلعنا على تقارير", "سافر إلى روسيا."),
        ("لست في موقع", 'صحيحا في الواقع".'),
        ('وتابع كيربي "لكن', "حول زيارة مماثلة."),
        ("هناك عقوبات من", 'والولايات المتحدة".'),
        ("وياتي الاتصال بين", "برعاية الامم المتحدة."),
        ("وكانت الولايات المتحدة", "في محيط مدينة حلب."),  # حلب.واكد
        ("واكد كيري ولافروف", 'الالتزام" بالهدنة.'),
    ]
    assert [(s.text[: len(a)], s.text[-len(b) :]) for s, (a, b) in zip(got, expected)] == expected
    assert len(got) == len(expected)
    toks = tokenize(seed_text)
    for s in got:
        assert s.text == seed_text[s.start : s.end]
        assert (s.start, s.end) == (toks[s.first_token].start, toks[s.last_token - 1].end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("جملة واحدة بلا نقطة", ["جملة واحدة بلا نقطة"]),
        ("قال كيري. ورد لافروف.", ["قال كيري.", "ورد لافروف."]),
        ("هل انتهى؟ نعم! حقا…", ["هل انتهى؟", "نعم!", "حقا…"]),
        ("حقا؟! نعم", ["حقا؟!", "نعم"]),
        ("انتظر... ثم قال", ["انتظر...", "ثم قال"]),
        # abbreviations
        ("قال د. محمد علي إن الوضع جيد.", ["قال د. محمد علي إن الوضع جيد."]),
        ("وصل أ. د. سالم م. عمر اليوم.", ["وصل أ. د. سالم م. عمر اليوم."]),
        ("ص.ب 1234 الرياض.", ["ص.ب 1234 الرياض."]),
        ("بنيت عام 300 ق.م في المدينة.", ["بنيت عام 300 ق.م في المدينة."]),
        ("Dr. Smith met U.S. officials. They agreed.", ["Dr. Smith met U.S. officials.", "They agreed."]),
        ("نقلت بي.بي.سي الخبر.", ["نقلت بي.بي.سي الخبر."]),
        ("قالت هيئة بي. بي. سي إن الخبر صحيح.", ["قالت هيئة بي. بي. سي إن الخبر صحيح."]),
        ("لم يقل شيئا عن ان. ان الوضع صعب.", ["لم يقل شيئا عن ان.", "ان الوضع صعب."]),
        ("وصل فريق سي. وبدأ العمل.", ["وصل فريق سي.", "وبدأ العمل."]),
        ("زوروا sabq.org للمزيد.", ["زوروا sabq.org للمزيد."]),
        # numbers
        ("ارتفع المؤشر 3.5 في المئة. وقال المحلل", ["ارتفع المؤشر 3.5 في المئة.", "وقال المحلل"]),
        ("بلغ السعر 1.500 ريال.", ["بلغ السعر 1.500 ريال."]),
        ("في عام 2015م. وقال", ["في عام 2015م.", "وقال"]),
        ("في عام 2015. وقال", ["في عام 2015.", "وقال"]),
        ("1. البند الأول", ["1. البند الأول"]),
        # quotation marks and brackets
        ('قال: "انتهى الأمر." ثم غادر.', ['قال: "انتهى الأمر."', "ثم غادر."]),
        ("قال: «انتهى الأمر.» ثم غادر.", ["قال: «انتهى الأمر.»", "ثم غادر."]),
        ('بالنسبة لنا".كما اعرب', ['بالنسبة لنا".', "كما اعرب"]),
        ('انتهى. "وقال آخر" شيئا', ["انتهى.", '"وقال آخر" شيئا']),
        ("(انتهى.) وقال", ["(انتهى.)", "وقال"]),
        # line breaks
        ("سطر أول\nسطر ثان", ["سطر أول", "سطر ثان"]),
        ("عنوان\n\nنص المقال. تتمة", ["عنوان", "نص المقال.", "تتمة"]),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_paragraphs_are_never_crossed() -> None:
    text = "الفقرة الأولى بلا نقطة الفقرة الثانية. جملة"
    cut = text.index("الفقرة الثانية")
    assert sentences(text, [(0, cut - 1), (cut, len(text))]) == [
        "الفقرة الأولى بلا نقطة",
        "الفقرة الثانية.",
        "جملة",
    ]


def test_tokens_may_start_inside_the_text() -> None:
    """The pipeline passes the body's tokens only: indices are into the sequence given."""
    text = "واشنطن - المغرب اليوم\nقال كيري. ورد لافروف."
    toks = tokenize(text)
    body = toks[4:]
    got = split_sentences(text, body)
    assert [s.text for s in got] == ["قال كيري.", "ورد لافروف."]
    assert (got[0].first_token, got[-1].last_token) == (0, len(body))


ALPHABET = "اب تثجح كيري لافروف .!?؟…«»\"'()\n 0123456789٫,abc Dr U S د م ص ق 😀\u200f\u064e"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.text(alphabet=st.sampled_from(ALPHABET), max_size=200)), st.data())
def test_split_properties(text: str, data: st.DataObject) -> None:
    toks = tokenize(text)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=4)))
    paragraphs = list(zip([0, *cuts], [*cuts, len(text)]))
    got = split_sentences(text, toks, paragraphs)
    if not toks:
        assert got == []
        return
    assert got[0].first_token == 0 and got[-1].last_token == len(toks)
    for a, b in pairwise(got):
        assert a.last_token == b.first_token and a.end <= b.start
    for s in got:
        assert s.first_token < s.last_token
        assert (s.start, s.end) == (toks[s.first_token].start, toks[s.last_token - 1].end)
        assert s.text == text[s.start : s.end]
        edges = {e for span in paragraphs for e in span}
        for k in range(s.first_token, s.last_token - 1):  # no paragraph edge between two of its tokens
            assert not any(toks[k].start < e <= toks[k + 1].start for e in edges)
            assert "\n" not in text[toks[k].end : toks[k + 1].start]
