"""The SQL both stores share: filters, the event query, counts and consistency checks.

The SQLite and PostgreSQL stores hold the same tables and columns (:mod:`marsad.store.schema`,
:mod:`marsad.store.pg_schema`), so everything that only reads them is written once, here, with
``?`` placeholders; a :class:`Dialect` supplies what differs (the placeholder, how a publication
date is compared and shown as text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marsad.store import records
from marsad.store.base import EventRow, Filters, StoreStats
from marsad.text.normalize import match_form

__all__ = [
    "POSTGRES",
    "SQLITE",
    "Dialect",
    "article_filters",
    "dedup_problems",
    "event_query",
    "event_row",
    "stats",
]


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between the backends in the shared statements."""

    placeholder: str
    published_text: str  # SQL: the article ``a``'s publication date as YYYY-MM-DD text
    date_value: Callable[[dt.date], Any]  # a date as a query parameter
    published: Callable[[Any], dt.date | None]  # a stored publication date as a date

    def sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)


def _iso_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


SQLITE = Dialect("?", "a.published", dt.date.isoformat, _iso_date)
POSTGRES = Dialect("%s", "to_char(a.published, 'YYYY-MM-DD')", lambda d: d, lambda d: d)

# An actor code prefix: LIKE with the escape character spelled out (SQLite has no default one).
_ACTOR_LIKE = "LIKE ? ESCAPE '\\'"


def like_prefix(value: str) -> str:
    """A LIKE pattern matching the strings that start with ``value`` (its wildcards escaped)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def article_filters(f: Filters, d: Dialect, *, alias: str = "a") -> tuple[list[str], list[Any]]:
    """SQL conditions on the articles table (as ``alias``) for search's filters, and their arguments."""
    where: list[str] = []
    args: list[Any] = []
    if f.date_from:
        where.append(f"{alias}.published >= ?")
        args.append(d.date_value(f.date_from))
    if f.date_to:
        where.append(f"{alias}.published <= ?")
        args.append(d.date_value(f.date_to))
    if f.source:
        where.append(f"{alias}.source = ?")
        args.append(f.source)
    if f.entity:
        where.append(
            f"EXISTS (SELECT 1 FROM entities e WHERE e.article_id = {alias}.id AND (e.kb = ? OR e.norm = ?))"
        )
        args += [f.entity, match_form(f.entity)]
    if f.event_type:
        where.append(f"EXISTS (SELECT 1 FROM events v WHERE v.article_id = {alias}.id AND v.type = ?)")
        args.append(f.event_type.upper())
    if f.actor:
        like = like_prefix(f.actor.upper())
        where.append(
            f"(EXISTS (SELECT 1 FROM events v WHERE v.article_id = {alias}.id AND "
            f"(v.source_actor {_ACTOR_LIKE} OR v.target_actor {_ACTOR_LIKE})) OR "
            f"EXISTS (SELECT 1 FROM entities e WHERE e.article_id = {alias}.id AND e.actor {_ACTOR_LIKE}))"
        )
        args += [like, like, like]
    return [d.sql(w) for w in where], args


def event_query(f: Filters, d: Dialect) -> tuple[str, list[Any]]:
    """The export query: events with their article's group, source, url, date and evidence text,
    in a stable order (canonical article, article, order in the article); rows for :func:`event_row`."""
    where: list[str] = []
    args: list[Any] = []
    day = f"coalesce(v.date, {d.published_text})"
    if f.date_from:
        where.append(f"{day} >= ?")
        args.append(f.date_from.isoformat())
    if f.date_to:
        where.append(f"{day} <= ?")
        args.append(f.date_to.isoformat())
    if f.source:
        where.append("a.canonical_id IN (SELECT canonical_id FROM articles WHERE source = ?)")
        args.append(f.source)
    if f.event_type:
        where.append("v.type = ?")
        args.append(f.event_type.upper())
    if f.actor:
        like = like_prefix(f.actor.upper())
        where.append(f"(v.source_actor {_ACTOR_LIKE} OR v.target_actor {_ACTOR_LIKE})")
        args += [like, like]
    if f.entity:
        norm = match_form(f.entity)
        where.append("(v.source_kb = ? OR v.target_kb = ? OR v.source_norm = ? OR v.target_norm = ?)")
        args += [f.entity, f.entity, norm, norm]
    cols = ", ".join(f"v.{c}" for c in records.EVENT_COLUMNS)
    sql = (
        f"SELECT {cols}, a.canonical_id, a.source, a.url, a.published, "
        "substr(a.text, v.evidence_start + 1, v.evidence_end - v.evidence_start) "
        f"FROM events v JOIN articles a ON a.id = v.article_id WHERE {' AND '.join(where) or '1 = 1'} "
        "ORDER BY a.canonical_id, v.article_id, v.seq"
    )
    return d.sql(sql), args


def event_row(row: tuple[Any, ...], d: Dialect) -> EventRow:
    """One row of :func:`event_query` as an :class:`EventRow`."""
    n = len(records.EVENT_COLUMNS)
    ev = dict(zip(records.EVENT_COLUMNS, row[:n]))
    ev["evidence"] = row[n + 4]
    return EventRow(
        article_id=ev["article_id"], canonical_id=row[n], article_source=row[n + 1], url=row[n + 2],
        published=d.published(row[n + 3]), seq=ev["seq"], event=ev,
    )  # fmt: skip


_COUNTS = {
    "articles": "SELECT count(*) FROM articles",
    "canonical": "SELECT count(*) FROM articles WHERE canonical_id = id",
    "exact_duplicates": "SELECT count(*) FROM articles WHERE dup_kind = 'exact'",
    "near_duplicates": "SELECT count(*) FROM articles WHERE dup_kind = 'near'",
    "entities": "SELECT count(*) FROM entities",
    "quotes": "SELECT count(*) FROM quotes",
    "events": "SELECT count(*) FROM events",
    "failed_analyses": "SELECT count(*) FROM articles WHERE error IS NOT NULL",
}


def stats(execute: Callable[[str], Any], size_bytes: int) -> StoreStats:
    """The store's counts, read through ``execute`` (a connection's ``execute``)."""
    counts = {name: int(execute(sql).fetchone()[0]) for name, sql in _COUNTS.items()}
    langs = {str(k): int(v) for k, v in execute("SELECT language, count(*) FROM articles GROUP BY language")}
    return StoreStats(**counts, languages=langs, size_bytes=size_bytes)


def dedup_problems(execute: Callable[[str], Any]) -> list[str]:
    """What is wrong with the duplicate groups and article keys (nothing, in a sound store)."""
    problems: list[str] = []
    (bad,) = execute(
        "SELECT count(*) FROM articles a LEFT JOIN articles k ON k.id = a.canonical_id "
        "WHERE k.id IS NULL OR k.canonical_id != k.id OR (a.canonical_id = a.id) != (a.dup_kind IS NULL)"
    ).fetchone()
    if bad:
        problems.append(f"dedup: {bad} articles point at a missing or non-canonical article")
    (dup_keys,) = execute("SELECT count(*) - count(DISTINCT key) FROM articles").fetchone()
    if dup_keys:
        problems.append(f"{dup_keys} articles stored twice")
    return problems
