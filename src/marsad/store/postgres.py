"""The PostgreSQL store: the same store as :mod:`marsad.store.sqlite`, in a shared server.

``open_store("postgresql://user@host/dbname")`` (or ``$MARSAD_DB``) opens it; the database must exist
and the tables are created by the numbered migrations of :mod:`marsad.store.pg_schema`.

Writing follows the SQLite store's discipline, for any number of ingest processes at once: each
batch is one transaction that first takes a per-database advisory lock (one writer at a time, so
article ids, duplicate groups and the single canonical article of each text are decided in one
order), inserts articles keyed by the hash of their input with ``ON CONFLICT (key) DO NOTHING``, and
writes the search vector (:mod:`marsad.store.pg_search`) with its article.  A crash or a lost
connection rolls the batch back; running the ingest again adds exactly what is missing.  Analysis
happens outside the lock, in the ingest workers, so writers wait only for each other's inserts.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlsplit, urlunsplit

from marsad.store import analyzer, pg_search, sql
from marsad.store.base import (
    Added,
    EventRow,
    Filters,
    Hit,
    Prepared,
    Store,
    StoredArticle,
    StoreError,
    StoreStats,
)
from marsad.store.pg_schema import LOCK_WRITE, SchemaMismatch, migrate
from marsad.store.pg_write import encode, unpack, write_batch
from marsad.store.search import parse_query, snippet

__all__ = ["PostgresStore", "is_postgres_url", "redact"]

_TABLES = ("articles", "entities", "quotes", "events", "minhash", "lsh", "meta", "marsad_schema")
_REINDEX_BATCH = 1000
_COMMON_SECONDS = 300.0


_URL = re.compile(r"^postgres(?:ql)?://", re.IGNORECASE)


def is_postgres_url(location: str) -> bool:
    """Whether ``location`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return bool(_URL.match(location))


def redact(url: str) -> str:
    """``url`` without its password (for messages)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://..."
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _reading(
    method: Callable[Concatenate[PostgresStore, _P], _R],
) -> Callable[Concatenate[PostgresStore, _P], _R]:
    """A read of the store: a lost connection is a StoreError that says so."""

    def read(self: PostgresStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._talking():
            return method(self, *args, **kwargs)

    functools.update_wrapper(read, method)
    return read


def _nul_free(p: Prepared) -> None:
    for name in ("text", "title", "source", "url", "origin", "ext_id", "error"):
        value = getattr(p, name)
        if isinstance(value, str) and "\x00" in value:
            raise StoreError(
                f"{p.origin}: its {name} contains NUL characters, which PostgreSQL cannot store; "
                "remove them from the input (nothing of this batch was stored)"
            )


class PostgresStore(Store):
    """A store in a PostgreSQL database (``postgresql://user:password@host:port/dbname``)."""

    def __init__(self, url: str, *, connect_timeout: float = 10.0) -> None:
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "PostgreSQL stores need psycopg 3: pip install 'marsad[postgres]' (or give a SQLite file path)"
            ) from None
        self._psycopg = psycopg
        self.location = redact(url)
        self._common: frozenset[str] = frozenset()
        self._common_read = -_COMMON_SECONDS
        try:
            self._conn: Any = psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, round(connect_timeout))
            )
        except psycopg.Error as exc:
            raise StoreError(
                f"{self.location}: cannot connect to the PostgreSQL server ({_one_line(exc)}); check that it "
                "runs, that the database exists (createdb) and the URL's user and password"
            ) from None
        try:
            migrate(self._conn)
            self._check_analyzer()
        except SchemaMismatch as exc:
            self._conn.close()
            raise StoreError(f"{self.location}: {exc}") from None
        except psycopg.Error as exc:
            self._conn.close()
            raise StoreError(f"{self.location}: cannot open the store ({_one_line(exc)})") from None

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """One write transaction holding the store's writer lock; a lost connection is a StoreError."""
        psycopg = self._psycopg
        try:
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_WRITE,))
                yield self._conn
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise StoreError(
                f"{self.location}: lost the PostgreSQL server ({_one_line(exc)}); this batch was not stored, "
                "the ones before it are kept: run the same command again to go on"
            ) from None

    @contextmanager
    def _talking(self) -> Iterator[None]:
        """Reading: a lost connection is a StoreError."""
        try:
            yield
        except (self._psycopg.OperationalError, self._psycopg.InterfaceError) as exc:
            raise StoreError(
                f"{self.location}: lost the PostgreSQL server ({_one_line(exc)}); check that it runs and try again"
            ) from None

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _check_analyzer(self) -> None:
        """Recompute the search vectors when they come from another version of the search analyser."""
        if self._meta("analyzer") != analyzer.VERSION:
            self.reindex()

    # -- writing ---------------------------------------------------------------------------
    @_reading
    def existing(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        if not keys:
            return set()
        return {r[0] for r in self._conn.execute("SELECT key FROM articles WHERE key = ANY(%s)", (keys,))}

    def add(self, batch: Sequence[Prepared]) -> list[Added]:
        if not batch:
            return []
        for p in batch:
            _nul_free(p)
        encoded = [encode(p) for p in batch]
        with self._writing() as conn:
            return write_batch(conn, batch, encoded, location=self.location)

    def reindex(self) -> int:
        """Recompute every article's search vector from its text (batch by batch, each a transaction;
        the analyser version is recorded last, so an interrupted reindex is redone on the next open)."""
        last, n = 0, 0
        while True:
            with self._writing() as conn:
                rows = conn.execute(
                    "SELECT id, text FROM articles WHERE id > %s ORDER BY id LIMIT %s", (last, _REINDEX_BATCH)
                ).fetchall()
                if not rows:
                    conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('analyzer', %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (analyzer.VERSION,),
                    )
                    return n
                ids = [int(r[0]) for r in rows]
                vectors = [pg_search.tsvector(*analyzer.index_fields(r[1])) for r in rows]
                conn.execute(
                    "UPDATE articles a SET search = v.search::tsvector "
                    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, search) WHERE a.id = v.id",
                    (ids, vectors),
                )
            last, n = ids[-1], n + len(ids)

    # -- reading ---------------------------------------------------------------------------
    @_reading
    def article(self, article_id: int) -> StoredArticle | None:
        row = self._conn.execute(
            "SELECT id, key, title, source, url, published, language, origin, text, canonical_id, dup_kind, "
            "analysis, error FROM articles WHERE id = %s",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        record = unpack(row[11]) if row[11] is not None else None
        if record is not None:
            record = {"schema": record.get("schema"), "id": record.get("id"), "text": row[8], **record}
        return StoredArticle(
            id=row[0], key=row[1], title=row[2], source=row[3], url=row[4], published=row[5], language=row[6],
            origin=row[7], text=row[8], canonical_id=row[9], dup_kind=row[10], record=record, error=row[12],
        )  # fmt: skip

    @_reading
    def search(
        self, query: str, *, filters: Filters | None = None, limit: int = 10, snippets: bool = True
    ) -> list[Hit]:
        q = parse_query(query)
        if q.empty or limit <= 0:
            return []
        where, args = sql.article_filters(filters or Filters(), sql.POSTGRES)
        every = pg_search.lexemes(q)
        select = pg_search.selective(every, self._common_lexemes())
        rows = self._ranked(select, every, where, args, limit)
        if len(rows) < limit and len(select) < len(every):  # the selective lexemes found too few
            rows = self._ranked(every, every, where, args, limit)
        texts: dict[int, str] = {}
        if snippets and rows:  # read the texts of the hits alone, not of every ranked candidate
            texts = dict(
                self._conn.execute(
                    "SELECT id, text FROM articles WHERE id = ANY(%s)", ([int(r[0]) for r in rows],)
                ).fetchall()
            )
        hits = []
        for r in rows:
            snip, spans = snippet(texts.get(int(r[0]), ""), q) if snippets else ("", ())
            hits.append(Hit(int(r[0]), float(r[1]), r[2], r[3], r[4], r[5], int(r[6]), snip, spans))
        return hits

    def _ranked(
        self,
        select: list[str],
        rank: list[str],
        where: list[str],
        args: list[Any],
        limit: int,
    ) -> list[tuple[Any, ...]]:
        """Articles matching any of ``select`` (and the filters), best first by ``ts_rank`` over ``rank``."""
        rows: list[tuple[Any, ...]] = self._conn.execute(
            "SELECT a.id, ts_rank(%s::float4[], a.search, %s::tsquery, %s) AS score, a.title, a.source, "
            f"a.published, a.url, a.canonical_id FROM articles a "
            f"WHERE {' AND '.join(['a.search @@ %s::tsquery', *where])} ORDER BY score DESC, a.id LIMIT %s",
            [
                list(pg_search.RANK_WEIGHTS), pg_search.tsquery(rank), pg_search.RANK_NORMALIZATION,
                pg_search.tsquery(select), *args, limit,
            ],
        ).fetchall()  # fmt: skip
        return rows

    def _common_lexemes(self) -> frozenset[str]:
        """The search column's most common lexemes (re-read every few minutes: ANALYZE updates them)."""
        now = time.monotonic()
        if now - self._common_read >= _COMMON_SECONDS:
            row = self._conn.execute(pg_search.COMMON_LEXEMES_SQL).fetchone()
            self._common = pg_search.common_lexemes(*row) if row is not None else frozenset()
            self._common_read = now
        return self._common

    def events(self, filters: Filters | None = None) -> Iterator[EventRow]:
        query, args = sql.event_query(filters or Filters(), sql.POSTGRES)
        with self._talking(), self._conn.transaction(), self._conn.cursor(name="marsad_events") as cur:
            cur.itersize = 2000
            cur.execute(query, args)
            for row in cur:
                yield sql.event_row(row, sql.POSTGRES)

    @_reading
    def stats(self) -> StoreStats:
        (size,) = self._conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(to_regclass(t))), 0) FROM unnest(%s::text[]) t",
            (list(_TABLES),),
        ).fetchone()
        return sql.stats(self._conn.execute, int(size))

    @_reading
    def check(self) -> list[str]:
        c = self._conn
        problems = sql.dedup_problems(c.execute)
        (split,) = c.execute(
            "SELECT count(*) FROM (SELECT text_hash FROM articles a WHERE EXISTS "
            "(SELECT 1 FROM minhash m WHERE m.article_id = a.id) "
            "GROUP BY text_hash HAVING count(DISTINCT canonical_id) > 1) s"
        ).fetchone()
        if split:
            problems.append(f"dedup: {split} texts stored in more than one duplicate group")
        version = self._meta("analyzer")
        if version != analyzer.VERSION:
            problems.append(
                f"search vectors come from analyser {version}, not {analyzer.VERSION}: run reindex"
            )
        return problems

    def close(self) -> None:
        self._conn.close()
