"""Search: Arabic analysis, ranking, filters, snippets, and safety against any query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import test_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_store import OTHER, STORY, _event, prepared

from marsad.store import Filters, analyzer, open_store
from marsad.store.search import parse_query, snippet

location = test_store.location  # the fixture: each test runs on SQLite and on PostgreSQL

THIRD = (
    "قال المتحدث باسم التحالف إن المسلمين في اليمن يعانون من نقص الغذاء والدواء، وإن طائرات الإغاثة "
    "السعودية وصلت إلى مطار عدن محملة بالمستلزمات الطبية والمواد الغذائية للمتضررين من الحرب."
)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("والمسلمين", "مسلم"),
        ("المسلمون", "مسلم"),
        ("بالمستلزمات", "مستلزم"),
        ("للمتضررين", "متضرر"),
        ("الوزارة", "وزار"),
        ("كيري", "كير"),
        ("obama", "obama"),
    ],
)
def test_light_stemmer(word: str, stem: str) -> None:
    (t,) = analyzer.terms(word)
    assert t[1] == stem


def test_terms_fold_spelling_and_drop_stop_words() -> None:
    words = [w for w, _ in analyzer.terms("وَقَالَ الـرئيس إنّ «أوباما» في واشنطن")]
    assert words == ["وقال", "الرييس", "اوباما", "واشنطن"]
    assert "في" not in words and "في" in analyzer.STOP_WORDS


def test_term_offsets_point_into_the_original_text() -> None:
    text = "وَقَالَ الـرئيس الأمريكي‌ «باراك أوباما» إنّ المفاوضات مستمرة"
    for t in analyzer.analyze(text):
        assert analyzer.terms(text[t.start : t.end])[0] == (t.word, t.stem)


@pytest.fixture
def store(location: str) -> Any:
    with open_store(location) as s:
        s.add(
            [
                prepared(STORY, title="الجبير وكيري", source="okaz", published=dt.date(2015, 7, 20),
                         events=[_event("v1", "CONSULT", "SAUGOV", "USAGOV")],
                         entities=[{"id": "e1", "text": "جون كيري", "start": 0, "end": 8, "type": "PER",
                                    "kb": "john_kerry", "actor": "USAGOV"}]),
                prepared(OTHER, title="مهرجان", source="alriyadh", published=dt.date(2015, 7, 25)),
                prepared(THIRD, title="إغاثة", source="sabq", published=dt.date(2015, 8, 1)),
            ]
        )  # fmt: skip
        yield s


def test_stems_match_other_inflections(store: Any) -> None:
    # the text has المسلمين; the query the nominative with a conjunction
    assert [h.title for h in store.search("والمسلمون")] == ["إغاثة"]
    assert [h.title for h in store.search("المهرجانات الصيفية")][:1] == ["مهرجان"]


def test_best_match_first(store: Any) -> None:
    hits = store.search("اتصال هاتفي بين الجبير وكيري حول سوريا")
    assert hits[0].title == "الجبير وكيري"
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


def test_snippet_marks_the_matches(store: Any) -> None:
    (hit,) = store.search("مطار عدن")
    marked = hit.marked("<", ">")
    assert "<مطار> <عدن>" in marked
    assert all(hit.snippet[s:e] in ("مطار", "عدن") for s, e in hit.highlights)


def test_snippet_window_and_ellipsis() -> None:
    text = " ".join(["كلمة"] * 100 + ["الهدف"] + ["كلمة"] * 100)
    snip, spans = snippet(text, parse_query("الهدف"), width=60)
    assert len(snip) < 80
    assert snip.startswith("…") and snip.endswith("…")
    assert [snip[s:e] for s, e in spans] == ["الهدف"]


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        (Filters(source="sabq"), ["إغاثة"]),
        (Filters(date_from=dt.date(2015, 7, 21)), ["إغاثة", "مهرجان"]),
        (Filters(date_to=dt.date(2015, 7, 25), date_from=dt.date(2015, 7, 21)), ["مهرجان"]),
        (Filters(entity="john_kerry"), ["الجبير وكيري"]),
        (Filters(entity="جون كيري"), ["الجبير وكيري"]),
        (Filters(event_type="CONSULT"), ["الجبير وكيري"]),
        (Filters(actor="USA"), ["الجبير وكيري"]),
        (Filters(actor="RUS"), []),
    ],
)
def test_filters(store: Any, filters: Filters, titles: list[str]) -> None:
    # a query every article matches: the filters alone decide
    query = "الجبير مهرجان اليمن"
    assert sorted(h.title for h in store.search(query, filters=filters)) == sorted(titles)


@pytest.mark.parametrize("query", ["", "   ", "في من على", '"', "AND OR NOT", "*", "كيري*", "(", "'; DROP TABLE articles; --", "\x00"])
def test_odd_queries_are_safe(store: Any, query: str) -> None:
    assert isinstance(store.search(query), list)
    assert store.stats().articles == 3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_query_string_is_accepted(store: Any, query: str) -> None:
    hits = store.search(query, limit=5)
    assert len(hits) <= 5
    for h in hits:
        assert all(0 <= s < e <= len(h.snippet) for s, e in h.highlights)


def test_limit(store: Any) -> None:
    assert len(store.search("الجبير مهرجان اليمن", limit=2)) == 2
    assert store.search("الجبير", limit=0) == []
