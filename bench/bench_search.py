"""Search quality and latency on the SaudiNewsNet known-item task (../shared/tools/search-anchor).

Usage: python bench/bench_search.py [--db PATH] [--analyse]

Ingests the 18 SaudiNewsNet zips into a store (default ``out/bench-search.db``, reused when it is
already complete; by default without the analysis pipeline: search depends on the text alone),
builds the task with the anchor's ``known_item_data.py`` (26,912 queries: each unique title, its
one relevant document its own body; titles are stored but not indexed), runs every query through
``Store.search`` (tools/search_run.py) and scores the run with the anchor's ``score_known_item.py``.
The anchor, Lucene 8 ArabicAnalyzer + BM25, scores MRR@10 0.6246, R@10 0.8639 (p99 2.66 ms in-process).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SHARED

from marsad.ingest import ingest
from marsad.ingest.runner import prepare, prepare_unanalysed
from marsad.store import open_store


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=str(ROOT / "out" / "bench-search.db"))
    ap.add_argument("--analyse", action="store_true", help="run the analysis pipeline while ingesting")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    data = SHARED / "data" / "saudinewsnet"
    anchor = SHARED / "tools" / "search-anchor"
    if not data.is_dir() or not anchor.is_dir():
        print(f"skipped: needs {data} and {anchor}")
        return 0
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    with open_store(args.db) as store:
        t = time.perf_counter()
        summary = ingest(
            [str(data)], store, workers=args.workers, batch_fn=prepare if args.analyse else prepare_unanalysed
        )
        if summary.new:
            print(f"ingested {summary.new} articles in {time.perf_counter() - t:.1f} s")
        stats = store.stats()
        print(f"store: {stats.articles} articles, {stats.size_bytes / 1e6:.1f} MB with the search index")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(anchor / "known_item_data.py"), tmp], check=True, stdout=subprocess.DEVNULL)
        queries, run = Path(tmp) / "queries.tsv", Path(tmp) / "run.tsv"
        with open(run, "w") as out:
            subprocess.run(
                [sys.executable, str(ROOT / "tools" / "search_run.py"), "--db", args.db, str(queries)],
                check=True,
                stdout=out,
            )
        score = subprocess.run(
            [sys.executable, str(anchor / "score_known_item.py"), str(queries), str(run)],
            check=True,
            capture_output=True,
            text=True,
        )
        print("marsad known-item:", score.stdout.strip(), "(anchor: mrr10 0.6246 r10 0.8639)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
