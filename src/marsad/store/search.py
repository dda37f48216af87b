"""Queries and snippets, shared by the backends.

A query string is never handed to a query parser: it is analysed like a document
(:mod:`marsad.store.analyzer`) and its terms become term queries, so no input can raise a syntax
error or inject operators.  The query is a disjunction ranked by BM25 over the index's two fields
(word terms and stem terms), plus each pair of adjacent stems as a phrase, which rewards documents
that keep the query's words together.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.store import analyzer

__all__ = ["WEIGHTS", "Query", "parse_query", "snippet"]

# Boosts of word terms, stem terms and adjacent stem pairs, chosen on the SaudiNewsNet known-item task
# (bench/bench_search.py; tools/search_run.py).
WEIGHTS = (0.35, 1.0, 0.3)


@dataclass(frozen=True, slots=True)
class Query:
    words: tuple[str, ...]
    stems: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.words


def parse_query(text: str) -> Query:
    """Analyse a user's query (any string) into its terms."""
    ts = analyzer.terms(text)
    return Query(tuple(w for w, _ in ts), tuple(s for _, s in ts))


def snippet(
    text: str, q: Query, *, width: int = 240, max_chars: int = 20_000
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of about ``width`` characters of ``text`` holding the most distinct query terms.

    Returns the snippet (with ``…`` where it cuts the text) and the spans of the snippet that match.
    Each distinct spelling is analysed once; only the first ``max_chars`` characters are read.
    """
    words, stems = set(q.words), set(q.stems)
    head = text[:max_chars]
    matching: dict[str, str] = {}  # spelling in the text -> the stem it matched ("" if none)
    hits: list[tuple[int, int, str]] = []
    for m in analyzer.RAW_WORD.finditer(head):
        raw = m.group()
        st = matching.get(raw)
        if st is None:
            st = ""
            for w, s_ in analyzer.raw_terms(raw):
                if w in words or s_ in stems:
                    st = s_
                    break
            matching[raw] = st
        if st:
            hits.append((m.start(), m.end(), st))
    best, best_score, j = 0, -1, 0
    for k, (start, _, _) in enumerate(hits):
        j = max(j, k)
        while j + 1 < len(hits) and hits[j + 1][1] <= start + width:
            j += 1
        score = len({h[2] for h in hits[k : j + 1]})
        if score > best_score:
            best, best_score = k, score
    lo = hits[best][0] - width // 6 if hits else 0
    lo = _word_start(text, max(0, lo))
    hi = _word_end(text, min(len(text), lo + width))
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    shift = len(prefix) - lo
    marked = tuple((s_ + shift, e + shift) for s_, e, _ in hits if lo <= s_ and e <= hi)
    return prefix + text[lo:hi] + suffix, marked


def _word_start(text: str, i: int) -> int:
    """``i`` moved back to the start of the word it falls in."""
    while 0 < i < len(text) and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    """``i`` moved forward to the end of the word it falls in."""
    while 0 < i < len(text) and not text[i].isspace():
        i += 1
    return i
