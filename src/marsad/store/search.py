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

__all__ = ["Query", "parse_query", "snippet", "WEIGHTS"]

# Boosts of word terms, stem terms and adjacent stem pairs, chosen on the SaudiNewsNet known-item task
# (bench/bench_search.py; tools/search_run.py).
WEIGHTS = (0.5, 1.0, 0.3)


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


def snippet(text: str, q: Query, *, width: int = 30) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of about ``width`` words of ``text`` holding the most distinct query terms.

    Returns the snippet (with ``…`` where it cuts the text) and the spans of the snippet that match.
    """
    words, stems = set(q.words), set(q.stems)
    found = list(analyzer.analyze(text))
    if not found:
        return text[:200], ()
    hits = [i for i, t in enumerate(found) if t.word in words or t.stem in stems]
    best_start, best_score = 0, -1
    for i in hits or [0]:
        window = [found[j] for j in hits if i <= j < i + width]
        score = len({t.stem for t in window})
        if score > best_score:
            best_start, best_score = i, score
    first = max(0, best_start - 3)
    last = min(len(found), first + width) - 1
    start, end = found[first].start, found[last].end
    # widen to whole surrounding punctuation-free context
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = text[start:end]
    spans = tuple(
        (len(prefix) + t.start - start, len(prefix) + t.end - start)
        for t in found[first : last + 1]
        if t.word in words or t.stem in stems
    )
    return prefix + body + suffix, spans
