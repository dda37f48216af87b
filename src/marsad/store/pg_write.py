"""Writing one batch to the PostgreSQL store, in a few round trips whatever the batch's size.

The decisions are the SQLite store's, article by article in batch order (so both backends build the
same store from the same input): an input already stored is ``exists``; a text stored before joins
that text's group (``exact``); else the most similar earlier article sharing an LSH bucket, if it
is a copy (``near``, see :mod:`marsad.store.dedup`).  What they read from the database (stored keys,
texts, bucket neighbours and their signatures) is fetched for the whole batch up front, and what the
batch itself adds is kept in memory, so each article costs no round trip; the rows are then sent
with ``COPY`` (articles with ``INSERT ... ON CONFLICT (key) DO NOTHING``).  The caller holds the
transaction and the writer lock.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marsad.store import analyzer, dedup, pg_search, records
from marsad.store.base import Added, Prepared, StoreError

__all__ = ["ARTICLE_COLUMNS", "encode", "pack", "unpack", "write_batch"]

ARTICLE_COLUMNS = (
    "id", "key", "text_hash", "canonical_id", "dup_kind", "similarity", "ext_id", "title", "source", "url",
    "published", "language", "origin", "text", "analysis", "error", "pipeline", "ingested_at", "search",
)  # fmt: skip
_ENTITY_COLUMNS = (
    "article_id",
    "eid",
    "start",
    '"end"',
    "text",
    "norm",
    "type",
    "kb",
    "name_en",
    "actor",
    "country",
)
_QUOTE_COLUMNS = (
    "article_id", "qid", "start", '"end"', "text", "direct", "cue", "speaker_text", "speaker_entity",
    "speaker_kb", "speaker_name_en",
)  # fmt: skip


def pack(record: dict[str, Any]) -> bytes:
    """An analysis record as stored (as in the SQLite store): compact JSON, zlib-compressed."""
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def unpack(value: bytes) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(zlib.decompress(value).decode("utf-8"))
    return record


@dataclass
class _Candidate:
    """A stored (or just added) article that a new one may copy."""

    signature: bytes
    canonical: int
    text: str | None = None  # read only when the similarity estimate needs verifying


def encode(p: Prepared) -> tuple[str, bytes | None]:
    """The CPU-bound part of storing ``p``: its search vector and its packed analysis record (done
    before the writer lock is taken, so concurrent writers do it at the same time)."""
    if p.words is not None and p.stems is not None and p.analyzer == analyzer.VERSION:
        vector = pg_search.tsvector(p.words, p.stems)
    else:
        vector = pg_search.tsvector(*analyzer.index_fields(p.text))
    if p.record is None:
        return vector, None
    record = dict(p.record)
    record.pop("text", None)
    return vector, pack(record)


def _copy(conn: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


class _Batch:
    """The duplicate decisions of one batch (see the module's docstring)."""

    def __init__(self, conn: Any, batch: Sequence[Prepared]) -> None:
        self.conn = conn
        self.done: dict[str, Added] = {
            r[0]: Added(r[0], int(r[1]), "exists", int(r[2]), r[3], r[4])
            for r in conn.execute(
                "SELECT key, id, canonical_id, dup_kind, similarity FROM articles WHERE key = ANY(%s)",
                ([p.key for p in batch],),
            )
        }
        signed = [p for p in batch if p.signature is not None and p.key not in self.done]
        self.by_hash: dict[str, int] = {
            r[0]: int(r[1])
            for r in conn.execute(
                "SELECT DISTINCT ON (text_hash) text_hash, canonical_id FROM articles "
                "WHERE text_hash = ANY(%s) ORDER BY text_hash, id",
                ([p.text_hash for p in signed],),
            )
        }
        self.buckets = {p.key: dedup.buckets(p.signature) for p in signed if p.signature is not None}
        self.neighbours: dict[str, set[int]] = defaultdict(set)  # key -> stored articles sharing a bucket
        self.known: dict[int, _Candidate] = {}
        self._read_neighbours(signed)
        self.added_buckets: dict[tuple[int, int], list[int]] = defaultdict(list)  # this batch's articles

    def _read_neighbours(self, signed: list[Prepared]) -> None:
        if not signed:
            return
        index, bands, buckets = [], [], []
        for i, p in enumerate(signed):
            for band, bucket in self.buckets[p.key]:
                index.append(i)
                bands.append(band)
                buckets.append(bucket)
        rows = self.conn.execute(
            "SELECT DISTINCT b.i, l.article_id FROM unnest(%s::int[], %s::int[], %s::bigint[]) AS b(i, band, bucket) "
            "JOIN lsh l ON l.band = b.band AND l.bucket = b.bucket",
            (index, bands, buckets),
        ).fetchall()
        for i, aid in rows:
            self.neighbours[signed[i].key].add(int(aid))
        ids = sorted({int(aid) for _, aid in rows})
        if not ids:
            return
        for aid, signature, canonical in self.conn.execute(
            "SELECT m.article_id, m.signature, a.canonical_id FROM minhash m JOIN articles a ON a.id = m.article_id "
            "WHERE m.article_id = ANY(%s)",
            (ids,),
        ):
            self.known[int(aid)] = _Candidate(bytes(signature), int(canonical))
        unsure = set()  # texts the similarity estimates will need, read in one query
        for p in signed:
            assert p.signature is not None
            for aid in self.neighbours[p.key]:
                if dedup.PLAUSIBLE <= dedup.similarity(p.signature, self.known[aid].signature) < dedup.SURE:
                    unsure.add(aid)
        if unsure:
            for aid, text in self.conn.execute(
                "SELECT id, text FROM articles WHERE id = ANY(%s)", (sorted(unsure),)
            ):
                self.known[int(aid)].text = text

    def group(self, p: Prepared, aid: int) -> tuple[int, str | None, float | None]:
        """(canonical id, dup kind, similarity) for the new article ``p`` stored as ``aid``."""
        canonical: int = aid
        kind: str | None = None
        sim: float | None = None
        if p.signature is None:
            return canonical, kind, sim
        same = self.by_hash.get(p.text_hash)
        if same is not None:
            canonical, kind, sim = same, "exact", 1.0
        else:
            near = self._near(p)
            if near is not None:
                canonical, kind, sim = near[0], "near", near[1]
        self.by_hash.setdefault(p.text_hash, canonical)
        self.known[aid] = _Candidate(p.signature, canonical, p.text)
        for b in self.buckets[p.key]:
            self.added_buckets[b].append(aid)
        return canonical, kind, sim

    def _near(self, p: Prepared) -> tuple[int, float] | None:
        assert p.signature is not None
        cands = set(self.neighbours[p.key])
        for b in self.buckets[p.key]:
            cands.update(self.added_buckets.get(b, ()))
        best: tuple[float, int] | None = None
        mine: set[int] | None = None
        for aid in sorted(cands):
            other = self.known[aid]
            sim = dedup.similarity(p.signature, other.signature)
            if sim < dedup.PLAUSIBLE:
                continue
            if sim < dedup.SURE:
                if mine is None:
                    mine = dedup.shingles(p.text)
                assert other.text is not None
                sim = dedup.jaccard(mine, dedup.shingles(other.text))
            if sim >= dedup.THRESHOLD and (best is None or sim > best[0]):
                best = (sim, aid)
        if best is None:
            return None
        return self.known[best[1]].canonical, round(best[0], 4)


def write_batch(
    conn: Any, batch: Sequence[Prepared], encoded: Sequence[tuple[str, bytes | None]], *, location: str
) -> list[Added]:
    """Store ``batch`` (with its :func:`encode` output) through ``conn``, inside the caller's
    transaction and under the writer lock."""
    decide = _Batch(conn, batch)
    (next_id,) = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()
    now = dt.datetime.now(dt.UTC)
    out: list[Added] = []
    articles: list[tuple[Any, ...]] = []
    minhash: list[tuple[Any, ...]] = []
    lsh: list[tuple[Any, ...]] = []
    entities: list[tuple[Any, ...]] = []
    quotes: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for p, (vector, packed) in zip(batch, encoded):
        seen = decide.done.get(p.key)
        if seen is not None:
            out.append(Added(p.key, seen.id, "exists", seen.canonical_id, seen.dup_kind, seen.similarity))
            continue
        aid, next_id = next_id, next_id + 1
        canonical, kind, sim = decide.group(p, aid)
        articles.append(
            (
                aid, p.key, p.text_hash, canonical, kind, sim, p.ext_id, p.title, p.source, p.url, p.published,
                p.language, p.origin, p.text, packed, p.error, p.pipeline, now, vector,
            )
        )  # fmt: skip
        if p.signature is not None:
            minhash.append((aid, p.signature))
            lsh += [(band, bucket, aid) for band, bucket in decide.buckets[p.key]]
        if p.record is not None:
            entities += records.entity_rows(aid, p.record)
            quotes += records.quote_rows(aid, p.record)
            events += records.event_rows(aid, p.record)
        added = Added(p.key, aid, "new", canonical, kind, sim)
        decide.done[p.key] = added
        out.append(added)
    if articles:
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES "
                f"({', '.join(['%s'] * (len(ARTICLE_COLUMNS) - 1))}, %s::tsvector) ON CONFLICT (key) DO NOTHING",
                articles,
            )
        (stored,) = conn.execute("SELECT count(*) FROM articles WHERE id >= %s", (articles[0][0],)).fetchone()
        if stored != len(articles):  # cannot happen under the writer lock; never store twice regardless
            raise StoreError(f"{location}: another writer stored articles of this batch meanwhile; run again")
    _copy(conn, "minhash", ("article_id", "signature"), minhash)
    _copy(conn, "lsh", ("band", "bucket", "article_id"), lsh)
    _copy(conn, "entities", _ENTITY_COLUMNS, entities)
    _copy(conn, "quotes", _QUOTE_COLUMNS, quotes)
    _copy(conn, "events", records.EVENT_COLUMNS, events)
    return out
