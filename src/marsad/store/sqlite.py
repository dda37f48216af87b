"""The SQLite store: one database file (WAL) plus its derived search index folder.

One writer at a time (SQLite's lock; ``BEGIN IMMEDIATE``), one transaction per batch: a crash, even
``kill -9``, leaves the database as it was after the last committed batch, and ingesting again
skips what is already stored (articles are keyed by the hash of their input record).  The search
index is brought up to date after each batch and on opening (see :mod:`marsad.store.index`).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from marsad.store import dedup, records, sql
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
from marsad.store.index import IndexBusy, SearchIndex
from marsad.store.schema import migrate
from marsad.store.search import parse_query, snippet

__all__ = ["SQLiteStore"]

_ARTICLE_COLS = (
    "id, key, text_hash, canonical_id, dup_kind, similarity, ext_id, title, source, url, published, "
    "language, origin, text, analysis, error, pipeline, ingested_at"
)


_INDEX_COMMIT_SECONDS = 5.0


def _pack(record: dict[str, Any]) -> bytes:
    """An analysis record as stored: compact JSON, zlib-compressed (a third of the size, or less)."""
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def _unpack(value: bytes | str) -> dict[str, Any]:
    data = zlib.decompress(value).decode("utf-8") if isinstance(value, bytes) else value
    record: dict[str, Any] = json.loads(data)
    return record


class SQLiteStore(Store):
    """A store in one SQLite file.  ``index_path`` defaults to ``<file>-search`` beside it."""

    def __init__(self, path: str | Path, *, index_path: str | Path | None = None) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        if self.path.is_dir():
            raise StoreError(
                f"{self.path} is a folder: give the path of a database file (e.g. {self.path}/marsad.db)"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a marsad store ({exc}): give another --db path or remove the file"
            ) from exc
        self._index_path = Path(index_path) if index_path else self.path.with_name(self.path.name + "-search")
        self._index: SearchIndex | None = None
        self._indexed_upto = -1  # highest article id known to be in the index

    # -- the search index ------------------------------------------------------------------
    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex(self._index_path)
        return self._index

    def _max_id(self) -> int:
        return int(self._conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])

    def sync_index(self) -> int:
        """Add to the search index the articles it lacks; returns how many (0 when another process
        holds the index writer: it will catch up itself)."""
        latest = self._max_id()
        if self._indexed_upto >= latest:
            return 0
        idx = self.index
        upto = idx.upto()
        if upto >= latest:
            self._indexed_upto = upto
            return 0
        rows = self._conn.execute("SELECT id, text FROM articles WHERE id > ? ORDER BY id", (upto,))
        try:
            n = idx.catch_up((int(i), str(t)) for i, t in rows)
        except IndexBusy:
            return 0
        self._indexed_upto = idx.upto()
        return n

    def reindex(self) -> int:
        if self._index is not None:
            self._index.release()
            self._index = None
        shutil.rmtree(self._index_path, ignore_errors=True)
        self._indexed_upto = -1
        self.sync_index()
        return self.index.count()

    # -- writing ---------------------------------------------------------------------------
    def existing(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0] for r in self._conn.execute(f"SELECT key FROM articles WHERE key IN ({marks})", chunk)
            )
        return found

    def _near(self, sig: bytes, text: str) -> tuple[int, float] | None:
        """(canonical id, similarity) of the most similar stored article at or above the threshold."""
        cands: set[int] = set()
        for band, bucket in dedup.buckets(sig):
            cands.update(
                r[0]
                for r in self._conn.execute(
                    "SELECT article_id FROM lsh WHERE band = ? AND bucket = ?", (band, bucket)
                )
            )
        best: tuple[float, int] | None = None
        mine: set[int] | None = None
        for aid in sorted(cands):
            (other,) = self._conn.execute(
                "SELECT signature FROM minhash WHERE article_id = ?", (aid,)
            ).fetchone()
            sim = dedup.similarity(sig, other)
            if sim < dedup.PLAUSIBLE:
                continue
            if sim < dedup.SURE:
                if mine is None:
                    mine = dedup.shingles(text)
                (other_text,) = self._conn.execute(
                    "SELECT text FROM articles WHERE id = ?", (aid,)
                ).fetchone()
                sim = dedup.jaccard(mine, dedup.shingles(other_text))
            if sim >= dedup.THRESHOLD and (best is None or sim > best[0]):
                best = (sim, aid)
        if best is None:
            return None
        (canonical,) = self._conn.execute(
            "SELECT canonical_id FROM articles WHERE id = ?", (best[1],)
        ).fetchone()
        return int(canonical), round(best[0], 4)

    def add(self, batch: Sequence[Prepared]) -> list[Added]:
        out: list[Added] = []
        new: list[tuple[int, Prepared]] = []
        conn = self._conn
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        conn.execute("BEGIN IMMEDIATE")
        try:
            next_id = self._max_id() + 1
            for p in batch:
                row = conn.execute(
                    "SELECT id, canonical_id, dup_kind, similarity FROM articles WHERE key = ?", (p.key,)
                ).fetchone()
                if row is not None:
                    out.append(Added(p.key, row[0], "exists", row[1], row[2], row[3]))
                    continue
                aid, next_id = next_id, next_id + 1
                canonical, kind, sim = aid, None, None
                if p.signature is not None:
                    same = conn.execute(
                        "SELECT canonical_id FROM articles WHERE text_hash = ? ORDER BY id LIMIT 1",
                        (p.text_hash,),
                    ).fetchone()
                    if same is not None:
                        canonical, kind, sim = int(same[0]), "exact", 1.0
                    else:
                        near = self._near(p.signature, p.text)
                        if near is not None:
                            canonical, kind, sim = near[0], "near", near[1]
                record = dict(p.record) if p.record is not None else None
                if record is not None:
                    record.pop("text", None)
                conn.execute(
                    f"INSERT INTO articles ({_ARTICLE_COLS}) VALUES ({','.join('?' * 18)})",
                    (
                        aid, p.key, p.text_hash, canonical, kind, sim, p.ext_id, p.title, p.source, p.url,
                        p.published.isoformat() if p.published else None, p.language, p.origin, p.text,
                        _pack(record) if record is not None else None,
                        p.error, p.pipeline, now,
                    ),
                )  # fmt: skip
                if p.signature is not None:
                    conn.execute(
                        "INSERT INTO minhash (article_id, signature) VALUES (?, ?)", (aid, p.signature)
                    )
                    conn.executemany(
                        "INSERT INTO lsh (band, bucket, article_id) VALUES (?, ?, ?)",
                        [(b, h, aid) for b, h in dedup.buckets(p.signature)],
                    )
                if record is not None:
                    self._insert_analysis(aid, record)
                new.append((aid, p))
                out.append(Added(p.key, aid, "new", canonical, kind, sim))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if new:
            self._index_new(new)
        return out

    def _insert_analysis(self, aid: int, record: dict[str, Any]) -> None:
        conn = self._conn
        conn.executemany(
            "INSERT INTO entities (article_id, eid, start, end, text, norm, type, kb, name_en, actor, country) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            records.entity_rows(aid, record),
        )
        conn.executemany(
            "INSERT INTO quotes (article_id, qid, start, end, text, direct, cue, speaker_text, speaker_entity, "
            "speaker_kb, speaker_name_en) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            records.quote_rows(aid, record),
        )
        cols = records.EVENT_COLUMNS
        conn.executemany(
            f"INSERT INTO events ({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
            records.event_rows(aid, record),
        )

    def _index_new(self, new: list[tuple[int, Prepared]]) -> None:
        from marsad.store import analyzer

        idx = self.index
        try:
            if idx.upto() < new[0][0] - 1:  # the index lags (an earlier crash): catch up first
                self.sync_index()
                if idx.upto() >= new[-1][0]:
                    return
            docs = []
            for aid, p in new:
                if p.words is not None and p.stems is not None and p.analyzer == analyzer.VERSION:
                    docs.append((aid, p.words, p.stems))
                else:
                    docs.append((aid, *analyzer.index_fields(p.text)))
            idx.add(docs)
            # Committing a tantivy segment costs ~0.1 s: do it every few seconds while ingesting (and on
            # close).  Articles added but not committed when the process dies are caught up on next open.
            idx.commit(every=_INDEX_COMMIT_SECONDS)
            self._indexed_upto = new[-1][0]
        except IndexBusy:
            pass  # another writer holds the index; the next open catches up

    # -- reading ---------------------------------------------------------------------------
    def article(self, article_id: int) -> StoredArticle | None:
        row = self._conn.execute(
            f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        record = _unpack(row[14]) if row[14] else None
        if record is not None:
            record = {"schema": record.get("schema"), "id": record.get("id"), "text": row[13], **record}
        return StoredArticle(
            id=row[0], key=row[1], title=row[7], source=row[8], url=row[9], published=sql.SQLITE.published(row[10]),
            language=row[11], origin=row[12], text=row[13], canonical_id=row[3], dup_kind=row[4],
            record=record, error=row[15],
        )  # fmt: skip

    def _filter_sql(self, f: Filters, *, alias: str = "a") -> tuple[str, list[Any]]:
        where, args = sql.article_filters(f, sql.SQLITE, alias=alias)
        return (" AND ".join(where) or "1"), args

    def search(
        self, query: str, *, filters: Filters | None = None, limit: int = 10, snippets: bool = True
    ) -> list[Hit]:
        q = parse_query(query)
        if q.empty or limit <= 0:
            return []
        self.sync_index()
        allowed: list[int] | None = None
        if filters is not None and filters != Filters():
            where, args = self._filter_sql(filters)
            allowed = [r[0] for r in self._conn.execute(f"SELECT a.id FROM articles a WHERE {where}", args)]
        ranked = self.index.search(q, allowed=allowed, limit=limit)
        if not ranked:
            return []
        ids = [i for i, _ in ranked]
        marks = ",".join("?" * len(ids))
        text_col = "text" if snippets else "NULL"
        rows = {
            r[0]: r
            for r in self._conn.execute(
                f"SELECT id, title, source, published, url, canonical_id, {text_col} FROM articles WHERE id IN ({marks})",
                ids,
            )
        }
        hits = []
        for aid, score in ranked:
            r = rows.get(aid)
            if r is None:  # indexed but not in this database (an index from another store): skip
                continue
            snip, spans = snippet(r[6], q) if snippets else ("", ())
            hits.append(Hit(aid, score, r[1], r[2], sql.SQLITE.published(r[3]), r[4], r[5], snip, spans))
        return hits

    def events(self, filters: Filters | None = None) -> Iterator[EventRow]:
        query, args = sql.event_query(filters or Filters(), sql.SQLITE)
        for row in self._conn.execute(query, args):
            yield sql.event_row(row, sql.SQLITE)

    def stats(self) -> StoreStats:
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        if self._index_path.exists():
            size += sum(p.stat().st_size for p in self._index_path.iterdir() if p.is_file())
        return sql.stats(self._conn.execute, size)

    def check(self) -> list[str]:
        c = self._conn
        problems = [f"sqlite: {r[0]}" for r in c.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in c.execute("PRAGMA foreign_key_check")]
        problems += sql.dedup_problems(c.execute)
        self.sync_index()
        self.index.commit()
        n_index, n_articles = (
            self.index.count(),
            int(c.execute("SELECT count(*) FROM articles").fetchone()[0]),
        )
        if n_index != n_articles:
            problems.append(f"search index holds {n_index} articles, the store {n_articles}: run reindex")
        return problems

    def close(self) -> None:
        if self._index is not None:
            self._index.release()
            self._index = None
        self._conn.close()
