"""Ingest throughput and store size on SaudiNewsNet (31,030 articles in 18 zips).

Usage: python bench/bench_corpus.py [--workers 1 2] [--limit N] [--no-analysis]

For each worker count, ingests into a fresh store (``out/bench-corpus-W.db``) with the whole analysis
pipeline (``--no-analysis``: reading, fingerprints, dedup, storage and indexing only, the corpus
layer's own cost) and prints articles per second, the store's size and what it holds, then checks
its integrity.  The target is at least 150 articles/s with 2 workers.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SHARED, subset_files

from marsad.ingest import ingest
from marsad.ingest.runner import prepare, prepare_unanalysed
from marsad.store import open_store


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--no-analysis", action="store_true")
    args = ap.parse_args()
    data = SHARED / "data" / "saudinewsnet"
    if not data.is_dir():
        print(f"skipped: needs {data}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        sources = subset_files(data, args.limit, Path(tmp)) if args.limit else [str(data)]
        for w in args.workers:
            db = ROOT / "out" / f"bench-corpus-{w}.db"
            db.parent.mkdir(parents=True, exist_ok=True)
            for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                p.unlink(missing_ok=True)
            shutil.rmtree(f"{db}-search", ignore_errors=True)
            with open_store(db) as store:
                t = time.perf_counter()
                summary = ingest(sources, store, workers=w, batch_fn=prepare_unanalysed if args.no_analysis else prepare)
                seconds = time.perf_counter() - t
            with open_store(db) as store:
                stats = store.stats()
                problems = store.check()
            what = "without analysis" if args.no_analysis else "with analysis"
            print(
                f"workers {w} ({what}): {summary.read} articles in {seconds:.1f} s = {summary.read / seconds:.1f} "
                f"articles/s; store {stats.size_bytes / 1e6:.1f} MB ({stats.articles} articles, {stats.canonical} "
                f"distinct, {stats.exact_duplicates} exact + {stats.near_duplicates} near duplicates, "
                f"{stats.entities} entities, {stats.quotes} quotes, {stats.events} events); "
                f"{len(summary.failed)} inputs failed; integrity {'ok' if not problems else problems}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
