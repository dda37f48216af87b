"""Full-text search in PostgreSQL over marsad's own search terms.

Each article's ``search`` column is a ``tsvector`` built here from the analyser's output
(:func:`marsad.store.analyzer.index_fields`), never by PostgreSQL's parser: the i-th indexed word of
the text gives its stem as lexeme at position i with weight ``A`` and its word (matching form),
prefixed with ``=`` so the two never collide, at position i with weight ``B``.  A query is analysed
the same way (:func:`marsad.store.search.parse_query`) into a ``tsquery`` that ORs its stems, its
words and each pair of adjacent stems as a phrase; matching uses the GIN index and ranking
``ts_rank`` with the weights below.

Why not PostgreSQL's ``arabic`` configuration (Snowball's Arabic stemmer over the default parser):
measured on the SaudiNewsNet known-item task (bench/bench_scale.py), these terms rank better; see
docs/scaling.md for the figures.  Both vector and query are literals, so no user input reaches a
query parser and nothing depends on the server's locale.
"""

from __future__ import annotations

from collections import defaultdict

from marsad.store.search import Query

__all__ = ["RANK_NORMALIZATION", "RANK_WEIGHTS", "WORD_PREFIX", "tsquery", "tsvector"]

WORD_PREFIX = "="
# ts_rank weights for labels D, C, B (word terms), A (stem terms), and its length normalisation
# (1: divide by 1 + log(length)), chosen on the known-item task.
RANK_WEIGHTS = (0.0, 0.0, 0.35, 1.0)
RANK_NORMALIZATION = 1

_MAX_POSITION = 16383  # PostgreSQL's limits: positions above are stored as this one
_MAX_POSITIONS = 256  # positions kept per lexeme


def tsvector(words: str, stems: str) -> str:
    """The ``tsvector`` literal of a text's search terms (the two space-separated columns of
    :func:`~marsad.store.analyzer.index_fields`)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for i, stem in enumerate(stems.split(), 1):
        positions[stem].append(i)
    for i, word in enumerate(words.split(), 1):
        positions[WORD_PREFIX + word].append(i)
    parts = []
    for lexeme, kept in positions.items():
        kept = kept[:_MAX_POSITIONS]
        if kept[-1] > _MAX_POSITION:
            kept = sorted({min(p, _MAX_POSITION) for p in kept})
        label = "B," if lexeme.startswith(WORD_PREFIX) else "A,"
        parts.append(f"{_quote(lexeme)}:{label.join(map(str, kept))}{label[0]}")
    return " ".join(parts)


def _quote(lexeme: str) -> str:
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{lexeme}'"


def tsquery(q: Query) -> str:
    """The ``tsquery`` literal of an analysed query: stems, words and adjacent stem pairs, ORed."""
    parts = list(dict.fromkeys(_quote(s) for s in q.stems))
    parts += dict.fromkeys(_quote(WORD_PREFIX + w) for w in q.words)
    parts += dict.fromkeys(f"({_quote(a)} <-> {_quote(b)})" for a, b in zip(q.stems, q.stems[1:]))
    return " | ".join(parts)
