"""The store interface: what every backend (SQLite today, PostgreSQL next) provides.

A backend receives :class:`Prepared` articles (read, analysed and fingerprinted by the ingest
workers) in batches, writes each batch in one transaction, and answers searches and event queries.
Nothing here knows about SQL.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

__all__ = [
    "Added",
    "EventRow",
    "Filters",
    "Hit",
    "Prepared",
    "Store",
    "StoreError",
    "StoreStats",
    "StoredArticle",
]


class StoreError(Exception):
    """A store problem the user can act on (the message says how)."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """One article ready to be stored: its input, its analysis and its fingerprints.

    ``key`` identifies the input record (same text, title, source, url and date → same key), so
    storing the same input twice adds nothing.  ``text_hash`` identifies the normalised text
    (exact duplicates).  ``signature`` is the MinHash of the text's shingles (near duplicates), or
    None when the text is too short to compare.  ``record`` is the analysis record
    (``marsad.analysis/1``) without its ``text``; ``error`` says why there is none.
    ``words``/``stems`` are the search analyser's output for the text (the backend recomputes them
    when absent or produced by another analyser version, see ``analyzer``).
    """

    key: str
    text_hash: str
    text: str
    origin: str
    language: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    ext_id: str | None = None
    record: dict[str, Any] | None = None
    error: str | None = None
    pipeline: str | None = None
    signature: bytes | None = None
    words: str | None = None
    stems: str | None = None
    analyzer: str | None = None


@dataclass(frozen=True, slots=True)
class Added:
    """What storing one :class:`Prepared` did.

    ``status`` is ``"new"`` (stored) or ``"exists"`` (its key was already stored: nothing written).
    For a new article that duplicates an earlier one, ``dup_kind`` is ``"exact"`` or ``"near"`` and
    ``canonical_id`` the group's canonical article.
    """

    key: str
    id: int
    status: str
    canonical_id: int
    dup_kind: str | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions shared by search and export; all optional, combined with AND.

    ``date_from``/``date_to`` (inclusive) apply to the article's publication date in search and to
    the event's date (or its article's, when the event has none) in export.  ``source`` is the
    newspaper or agency name as stored.  ``entity`` is a knowledge-base id or an entity's text
    (matched in its normalised form).  ``event_type`` is a PLOVER type.  ``actor`` is a CAMEO actor
    code or a prefix of one (``SYR`` matches ``SYRGOV`` and ``SYRMIL``).
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source: str | None = None
    entity: str | None = None
    event_type: str | None = None
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result.  ``snippet`` marks each match as ``[[...]]`` (see :meth:`marked`)."""

    id: int
    score: float
    title: str | None
    source: str | None
    published: dt.date | None
    url: str | None
    canonical_id: int
    snippet: str = ""
    highlights: tuple[tuple[int, int], ...] = ()  # spans of ``snippet`` that matched

    def marked(self, open_mark: str = "[[", close_mark: str = "]]") -> str:
        """The snippet with every match wrapped in ``open_mark``/``close_mark``."""
        out: list[str] = []
        last = 0
        for start, end in self.highlights:
            out += [self.snippet[last:start], open_mark, self.snippet[start:end], close_mark]
            last = end
        out.append(self.snippet[last:])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    key: str
    title: str | None
    source: str | None
    url: str | None
    published: dt.date | None
    language: str
    origin: str
    text: str
    canonical_id: int
    dup_kind: str | None
    record: dict[str, Any] | None
    error: str | None


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event of one stored article, with its article's metadata (the raw material of export)."""

    article_id: int
    canonical_id: int
    article_source: str | None
    url: str | None
    published: dt.date | None
    seq: int
    event: dict[str, Any]  # the event as in the analysis record, plus ``evidence`` text
    article_text_len: int = 0


@dataclass(frozen=True, slots=True)
class StoreStats:
    articles: int
    canonical: int
    exact_duplicates: int
    near_duplicates: int
    entities: int
    quotes: int
    events: int
    failed_analyses: int
    languages: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0


class Store(abc.ABC):
    """A corpus store.  Use :func:`marsad.store.open_store` to get one; close it (or use ``with``)."""

    location: str

    # -- writing -----------------------------------------------------------------------------
    @abc.abstractmethod
    def existing(self, keys: Iterable[str]) -> set[str]:
        """The subset of ``keys`` already stored."""

    @abc.abstractmethod
    def add(self, batch: Sequence[Prepared]) -> list[Added]:
        """Store ``batch`` in one transaction (all or nothing), in order; one :class:`Added` each."""

    @abc.abstractmethod
    def reindex(self) -> int:
        """Rebuild the derived search index from the stored texts; returns the number of articles."""

    # -- reading -----------------------------------------------------------------------------
    @abc.abstractmethod
    def article(self, article_id: int) -> StoredArticle | None: ...

    @abc.abstractmethod
    def search(
        self, query: str, *, filters: Filters | None = None, limit: int = 10, snippets: bool = True
    ) -> list[Hit]:
        """Best-first articles matching ``query`` (any string is accepted; one with no searchable
        word gives no hits)."""

    @abc.abstractmethod
    def events(self, filters: Filters | None = None) -> Iterator[EventRow]:
        """Stored events passing the event-level filters, ordered by duplicate group, then article."""

    @abc.abstractmethod
    def stats(self) -> StoreStats: ...

    @abc.abstractmethod
    def check(self) -> list[str]:
        """Integrity problems found (empty when the store is sound)."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
