"""Full-text search in PostgreSQL over marsad's own search terms.

Each article's ``search`` column is a ``tsvector`` built here from the analyser's output
(:func:`marsad.store.analyzer.index_fields`), never by PostgreSQL's parser: the i-th indexed word of
the text gives its stem as lexeme at position i with weight ``A`` and its word (matching form),
prefixed with ``=`` so the two never collide, at position i with weight ``B``.  A query is analysed
the same way (:func:`marsad.store.search.parse_query`) into the same lexemes.

``ts_rank`` has to read the vector of every article it ranks, and an OR of a title's words matches
half the corpus (p50 over 100 ms on SaudiNewsNet).  So the candidates are the articles that match
the query's *selective* lexemes, those that the planner's statistics (ANALYZE) do not count in 5% of
the articles or more; they
are ranked by ``ts_rank`` over all the query's lexemes, with stems weighing more than words.  When
this finds fewer articles than asked for, every lexeme selects.  On the known-item task this ranks
as well as ranking every match, three to five times faster.

Why not PostgreSQL's ``arabic`` configuration (Snowball's Arabic stemmer over the default parser):
on the SaudiNewsNet known-item task (bench/bench_scale.py, 3,000 of its queries), ``to_tsvector('arabic',
text)`` with the query's words ORed and the same ``ts_rank`` scores MRR@10 0.601 (R@10 0.848), these
terms 0.639 (R@10 0.878).  Both vector and query are literals, so no user input reaches a query parser
and nothing depends on the server's locale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from marsad.store.search import Query

__all__ = [
    "COMMON_FREQUENCY",
    "COMMON_LEXEMES_SQL",
    "RANK_NORMALIZATION",
    "RANK_WEIGHTS",
    "WORD_PREFIX",
    "common_lexemes",
    "lexemes",
    "selective",
    "tsquery",
    "tsvector",
]

WORD_PREFIX = "="
# ts_rank weights for labels D, C, B (word terms), A (stem terms), and its length normalisation
# (1: divide by 1 + log(length)), chosen on the known-item task.
RANK_WEIGHTS = (0.0, 0.0, 0.35, 1.0)
RANK_NORMALIZATION = 1

# The planner's statistics of the search column (ANALYZE, which autovacuum runs, samples it): its
# most common lexemes and the share of articles holding each.  Lexemes in at least COMMON_FREQUENCY
# of the articles do not select candidates.
COMMON_LEXEMES_SQL = (
    "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = 'articles' AND attname = 'search'"
)
COMMON_FREQUENCY = 0.05

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


def lexemes(q: Query) -> list[str]:
    """The lexemes of an analysed query, as in :func:`tsvector`: its stems, then its words; each once."""
    return list(dict.fromkeys([*q.stems, *(WORD_PREFIX + w for w in q.words)]))


def tsquery(lexemes: Iterable[str]) -> str:
    """The ``tsquery`` literal that matches any of ``lexemes``."""
    return " | ".join(_quote(x) for x in lexemes)


def common_lexemes(elements: Sequence[str] | None, frequencies: Sequence[float] | None) -> frozenset[str]:
    """The lexemes too common to select candidates, from a row of :data:`COMMON_LEXEMES_SQL`."""
    if not elements or not frequencies:
        return frozenset()
    return frozenset(e for e, f in zip(elements, frequencies) if f >= COMMON_FREQUENCY)


def selective(lexemes: Sequence[str], common: Collection[str]) -> list[str]:
    """The lexemes that select few enough articles to find the candidates with: those not among the
    ``common`` ones (all of them when every one is common)."""
    rare = [x for x in lexemes if x not in common]
    return rare or list(lexemes)
