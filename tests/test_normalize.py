"""The normalisation view and its offset map (marsad.text.normalize)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.normalize import match_form, normalize, strip_marks, to_ascii_digits


@pytest.mark.parametrize(
    ("text", "view", "match"),
    [
        ("", "", ""),
        ("أحمد", "احمد", "احمد"),
        ("إلى", "الي", "الي"),
        ("آلاف", "الاف", "الاف"),
        ("مُحَمَّدٌ", "محمد", "محمد"),
        ("كتـــاب", "كتاب", "كتاب"),
        ("مدرسة", "مدرسة", "مدرسه"),  # ta marbuta folds only for matching
        ("مسؤول رئيس", "مسوول رييس", "مسوول رييس"),
        ("٣٫٥ ١٬٠٠٠ ۲۰۱۵", "3.5 1,000 2015", "3.5 1,000 2015"),
        ("«نعم»، هل؟", '"نعم", هل?', '"نعم", هل?'),
        ("کیری", "كيري", "كيري"),  # Persian kaf and yeh
        ("مح\u200cمد\u200f", "محمد", "محمد"),
        ("ﻻ", "لا", "لا"),  # presentation form unfolded
        ("a\u00a0b", "a b", "a b"),
        ("Kerry 2015", "Kerry 2015", "Kerry 2015"),
        ("ۀ", "ۀ", "ه"),  # heh with yeh above folds as ta marbuta does, in one step
    ],
)
def test_examples(text: str, view: str, match: str) -> None:
    assert normalize(text).text == view
    assert normalize(text, match=True).text == match
    assert match_form(text) == match


def test_offsets_map_back() -> None:
    text = "قال مُحَمَّدٌ ﻻ"
    v = normalize(text)
    assert v.text == "قال محمد لا"
    i = v.text.index("حم")
    s, e = v.span_to_original(i, i + 2)
    assert text[s:e] == "حَمَّ"  # whole source characters, marks included
    j = v.text.index("لا")
    assert v.span_to_original(j, j + 1) == (len(text) - 1, len(text))  # ل of the ligature
    assert v.span_to_original(j + 1, j + 2) == (len(text) - 1, len(text))
    assert v.to_original(len(v.text)) == len(text)


def test_helpers() -> None:
    assert strip_marks("مُحَمَّدٌ\u200f") == "محمد"
    assert strip_marks("أحمد") == "أحمد"  # letters as written
    assert to_ascii_digits("٢٠١٥ م") == "2015 م"


INTERESTING = (
    "ابتةثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئىٱۀکیە"
    "\u064b\u064e\u0650\u0651\u0652\u0670\u0640\u0610\u06d6"  # harakat, tatweel, Quranic marks
    "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202e\u2066\u2069\ufeff\u00ad"  # invisible, bidi
    "ﻻﻵﷲﺍﺃﹰ"  # presentation forms, one unfolding into a space and a mark
    "٠١٩۰۹٫٬،؛؟«»“”\u00a0 \n0aé\u0301😀👍🏽"
)
texts = st.one_of(st.text(max_size=120), st.text(alphabet=st.sampled_from(INTERESTING), max_size=120))


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans())
def test_view_maps_back(text: str, match: bool) -> None:
    v = normalize(text, match=match)
    assert v.original == text
    n = len(v.text)
    offsets = [v.to_original(i) for i in range(n + 1)]
    assert offsets[n] == len(text)
    assert all(0 <= o <= len(text) for o in offsets)
    assert offsets == sorted(offsets)
    for i in range(n):  # each view character comes from the character it maps to
        src = text[offsets[i]]
        assert v.text[i] in normalize(src, match=match).text
    # any view span is covered by its original span: normalising that span reproduces it
    for start in range(0, n + 1, max(1, n // 7)):
        for end in range(start, n + 1, max(1, n // 5)):
            s, e = v.span_to_original(start, end)
            assert 0 <= s <= e <= len(text)
            assert v.text[start:end] in normalize(text[s:e], match=match).text


@settings(max_examples=300, deadline=None)
@given(texts)
def test_view_is_stable(text: str) -> None:
    v = normalize(text).text
    assert normalize(v).text == v
    m = match_form(text)
    assert match_form(m) == m
    assert normalize(text, match=True).text == m
