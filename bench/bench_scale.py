"""Scaling out: ingest throughput on PostgreSQL vs SQLite, a local Dask cluster vs the local process
pool, and search quality and latency on PostgreSQL, on SaudiNewsNet (31,030 articles).

Usage: python bench/bench_scale.py [--limit N] [--workers 2] [--no-analysis] [--only ingest dask search]
                                   [--queries 3000] [--no-arabic-config] [--pg URL]

* ingest: the same articles, analysed by ``--workers`` local processes, into a fresh SQLite file and
  a fresh PostgreSQL database; articles per second, store size, integrity.
* dask: the same articles into a fresh SQLite file, analysed by a ``LocalCluster`` of ``--workers``
  worker processes (one thread each) through ``DaskRunner``; compare with the pool's line above.
  Both stores must be equal (same articles, duplicate groups, analyses).
* search: all 31,030 articles (without analysis: search reads the text alone) in a PostgreSQL
  database; the known-item task of ../shared/tools/search-anchor (a fixed sample of ``--queries``
  of its 26,912 queries; 0: all) through ``Store.search`` (our analysed terms in a tsvector, ts_rank
  over the selective lexemes' matches), then through PostgreSQL's ``arabic`` text-search
  configuration on the raw text (GIN, ts_rank over every match), then through the SQLite store
  (tantivy, BM25) for reference; MRR@10 / R@10 / R@100, latency p50/p99.

PostgreSQL is ``--pg`` (or ``$MARSAD_BENCH_PG``): a server URL where this user may CREATE DATABASE;
without it a throwaway server is started as in the tests (``tests/pgserver.py``, fsync off; SQLite
runs in WAL mode with synchronous=NORMAL, so neither waits for the disk at each commit).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import ROOT, SHARED, subset_files

from marsad.ingest import ingest
from marsad.ingest.runner import BatchFn, prepare, prepare_unanalysed
from marsad.store import open_store
from marsad.store.search import parse_query

sys.path.insert(0, str(ROOT / "tests"))
from pgserver import TempPostgres, fresh_database

OUT = ROOT / "out"


@contextmanager
def pg_server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with TempPostgres() as started:
        yield started


def sqlite_file(name: str) -> str:
    db = OUT / name
    db.parent.mkdir(parents=True, exist_ok=True)
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    shutil.rmtree(f"{db}-search", ignore_errors=True)
    return str(db)


def run_ingest(label: str, sources: list[str], location: str, batch_fn: BatchFn, **kw: Any) -> Any:
    with open_store(location) as store:
        t = time.perf_counter()
        cpu = time.process_time()
        summary = ingest(sources, store, batch_fn=batch_fn, **kw)
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    with open_store(location) as store:
        stats, problems = store.stats(), store.check()
    print(
        f"{label}: {summary.read} articles in {seconds:.1f} s = {summary.read / seconds:.1f} articles/s "
        f"(this process {cpu:.0f} s CPU); store {stats.size_bytes / 1e6:.0f} MB, {stats.articles} articles "
        f"({stats.exact_duplicates} exact + {stats.near_duplicates} near duplicates), {stats.entities} entities, "
        f"{stats.events} events; integrity {'ok' if not problems else problems}",
        flush=True,
    )
    return dataclasses.replace(stats, size_bytes=0)


# -- search -------------------------------------------------------------------------------------
def known_item_queries(anchor: Path, sample: int, tmp: Path) -> list[tuple[str, str]]:
    subprocess.run(
        [sys.executable, str(anchor / "known_item_data.py"), str(tmp)], check=True, stdout=subprocess.DEVNULL
    )
    with open(tmp / "queries.tsv", encoding="utf-8") as f:
        queries = [tuple(line.rstrip("\n").split("\t", 1)) for line in f]
    if sample and sample < len(queries):
        queries = random.Random(7).sample(queries, sample)
    return queries  # type: ignore[return-value]


def origin_ids(location: str) -> dict[int, str]:
    """article id -> the task's document id (``ZIP#index``)."""
    from test_store import raw_sql

    out = {}
    for aid, origin in raw_sql(location, "SELECT id, origin FROM articles"):
        path, _, index = origin.rpartition("#")
        out[aid] = f"{Path(path.split('!', 1)[0]).stem}.zip#{index}"
    return out


def score(queries: list[tuple[str, str]], ranked: dict[str, list[str]]) -> str:
    rr, r10, r100 = 0.0, 0, 0
    for qid, _ in queries:
        docs = ranked.get(qid, [])
        rank = docs.index(qid) + 1 if qid in docs else 999
        rr += 1 / rank if rank <= 10 else 0
        r10 += rank <= 10
        r100 += rank <= 100
    n = len(queries)
    return f"MRR@10 {rr / n:.4f} R@10 {r10 / n:.4f} R@100 {r100 / n:.4f}"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] * 1000


def search_store(label: str, location: str, queries: list[tuple[str, str]]) -> None:
    """The task through ``Store.search``, as the command line runs it."""
    from test_store import raw_sql

    from marsad.store.postgres import is_postgres_url

    if is_postgres_url(location):
        raw_sql(location, "ANALYZE articles")  # as autovacuum does after a bulk ingest
    ids = origin_ids(location)
    ranked: dict[str, list[str]] = {}
    lat: list[float] = []
    with open_store(location) as store:
        store.search("تحميل", limit=1)
        for qid, text in queries:
            t = time.perf_counter()
            hits = store.search(text, limit=100, snippets=False)
            lat.append(time.perf_counter() - t)
            ranked[qid] = [ids.get(h.id, "") for h in hits]
        snip: list[float] = []
        for _, text in queries[:500]:
            t = time.perf_counter()
            store.search(text, limit=10)
            snip.append(time.perf_counter() - t)
    print(
        f"search, {label}: {score(queries, ranked)}; latency top 100 p50 "
        f"{pct(lat, 0.5):.1f} ms p99 {pct(lat, 0.99):.1f} ms; top 10 with snippets p50 {pct(snip, 0.5):.1f} ms "
        f"p99 {pct(snip, 0.99):.1f} ms",
        flush=True,
    )


def search_arabic_config(location: str, queries: list[tuple[str, str]]) -> None:
    """PostgreSQL's own Arabic set-up: to_tsvector('arabic', text) under a GIN index, the query's words
    ORed (plainto_tsquery's AND would miss most titles), ranked by ts_rank with the same normalisation."""
    import psycopg

    from marsad.store import pg_search

    ids = origin_ids(location)
    with psycopg.connect(location, autocommit=True) as conn:
        t = time.perf_counter()
        conn.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_ar tsvector")
        conn.execute("UPDATE articles SET search_ar = to_tsvector('arabic', text)")
        conn.execute("CREATE INDEX IF NOT EXISTS articles_search_ar ON articles USING GIN (search_ar)")
        conn.execute("ANALYZE articles")
        print(f"  (arabic vectors and their GIN index built in {time.perf_counter() - t:.0f} s)", flush=True)
        ranked: dict[str, list[str]] = {}
        lat: list[float] = []
        sql = (
            "WITH q AS (SELECT replace(plainto_tsquery('arabic', %s)::text, ' & ', ' | ')::tsquery AS q) "
            "SELECT a.id FROM articles a, q WHERE q.q::text <> '' AND a.search_ar @@ q.q "
            "ORDER BY ts_rank(a.search_ar, q.q, %s) DESC, a.id LIMIT 100"
        )
        for qid, text in queries:
            if parse_query(text).empty:
                ranked[qid] = []
                continue
            t = time.perf_counter()
            rows = conn.execute(sql, (text, pg_search.RANK_NORMALIZATION)).fetchall()
            lat.append(time.perf_counter() - t)
            ranked[qid] = [ids.get(r[0], "") for r in rows]
    print(
        f"search, PostgreSQL 'arabic' config (Snowball): {score(queries, ranked)}; latency top 100 "
        f"p50 {pct(lat, 0.5):.1f} ms p99 {pct(lat, 0.99):.1f} ms",
        flush=True,
    )


# -- main ---------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, help="only the first N articles (default: all 31,030)")
    ap.add_argument("--workers", type=int, default=2, help="local processes, and Dask workers (default 2)")
    ap.add_argument("--no-analysis", action="store_true", help="ingest without the analysis pipeline")
    ap.add_argument(
        "--only", nargs="+", choices=("ingest", "dask", "search"), default=["ingest", "dask", "search"]
    )
    ap.add_argument("--queries", type=int, default=3000, help="known-item queries to run (0: all 26,912)")
    ap.add_argument(
        "--no-arabic-config", action="store_true", help="skip the slow comparison with PostgreSQL's arabic config"
    )
    ap.add_argument("--pg", default=os.environ.get("MARSAD_BENCH_PG"), help="PostgreSQL server URL")
    args = ap.parse_args()
    data = SHARED / "data" / "saudinewsnet"
    anchor = SHARED / "tools" / "search-anchor"
    if not data.is_dir():
        print(f"skipped: needs {data}")
        return 0
    batch_fn = prepare_unanalysed if args.no_analysis else prepare
    what = "without analysis" if args.no_analysis else "with analysis"
    with tempfile.TemporaryDirectory() as tmp, pg_server(args.pg) as server:
        sources = subset_files(data, args.limit, Path(tmp)) if args.limit else [str(data)]
        n = f"{args.limit} articles" if args.limit else "all 31,030 articles"
        if "ingest" in args.only or "dask" in args.only:
            print(f"{n}, {what}, {args.workers} workers, on {os.cpu_count()} cores", flush=True)
        pool_stats = None
        if "ingest" in args.only or "dask" in args.only:
            lite = sqlite_file("bench-scale-pool.db")
            pool_stats = run_ingest(
                f"SQLite, local pool of {args.workers}", sources, lite, batch_fn, workers=args.workers
            )
        if "ingest" in args.only:
            with fresh_database(server, "marsad_bench") as pg:
                pg_stats = run_ingest(
                    f"PostgreSQL, local pool of {args.workers}", sources, pg, batch_fn, workers=args.workers
                )
            print(f"  same store on both backends: {pg_stats == pool_stats}", flush=True)
        if "dask" in args.only:
            import logging

            from distributed import Client, LocalCluster

            from marsad.ingest.dask_runner import DaskRunner

            t = time.perf_counter()
            with (
                LocalCluster(
                    n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                    silence_logs=logging.ERROR,
                ) as cluster,
                Client(cluster, set_as_default=False) as client,
                DaskRunner(client) as runner,
            ):  # fmt: skip
                started = time.perf_counter() - t
                dask_stats = run_ingest(
                    f"SQLite, Dask LocalCluster of {args.workers} workers (started in {started:.1f} s, not counted)",
                    sources, sqlite_file("bench-scale-dask.db"), batch_fn, runner=runner,
                )  # fmt: skip
            print(f"  same store as the local pool's: {dask_stats == pool_stats}", flush=True)
        if "search" in args.only:
            if not anchor.is_dir():
                print(f"search skipped: needs {anchor}")
                return 0
            with fresh_database(server, "marsad_bench") as pg:
                run_ingest(
                    "PostgreSQL search store (no analysis)",
                    [str(data)],
                    pg,
                    prepare_unanalysed,
                    workers=args.workers,
                )
                queries = known_item_queries(anchor, args.queries, Path(tmp) / "task")
                print(f"known-item task: {len(queries)} queries (of 26,912; fixed sample)", flush=True)
                search_store("PostgreSQL, our terms (ts_rank over selective candidates)", pg, queries)
                if not args.no_arabic_config:
                    search_arabic_config(pg, queries)
            lite = sqlite_file("bench-scale-search.db")
            run_ingest(
                "SQLite search store (no analysis)",
                [str(data)],
                lite,
                prepare_unanalysed,
                workers=args.workers,
            )
            search_store("SQLite, our terms (tantivy BM25)", lite, queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
