#!/usr/bin/env python3
"""Run the SaudiNewsNet known-item queries through marsad's search API and write a run file.

    tools/search_run.py --db STORE queries.tsv > run.tsv
    ../shared/tools/search-anchor/score_known_item.py queries.tsv run.tsv

``queries.tsv`` comes from ``../shared/tools/search-anchor/known_item_data.py`` (query id = the
article's ``ZIP#index``).  The store must hold the SaudiNewsNet zips, ingested from their folder
(bench/bench_search.py builds one); hits are mapped back to ``ZIP#index`` through each article's
origin.  Latency of ``Store.search`` (top 100, no snippets, then top 10 with snippets, as the CLI
does) goes to stderr as p50/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from marsad.store import open_store


def origin_map(db: str) -> dict[int, str]:
    """article id -> ``ZIP#index`` for articles read from SaudiNewsNet zips."""
    out = {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for aid, origin in conn.execute("SELECT id, origin FROM articles"):
        path, _, index = origin.rpartition("#")
        zip_part = path.split("!", 1)[0]
        out[aid] = f"{Path(zip_part).name}#{index}"
    conn.close()
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("queries")
    ap.add_argument("--db", required=True)
    ap.add_argument("--depth", type=int, default=100)
    ap.add_argument("--snippet-queries", type=int, default=2000, help="queries timed again with snippets")
    args = ap.parse_args()
    ids = origin_map(args.db)
    with open(args.queries, encoding="utf-8") as f:
        queries = [line.rstrip("\n").split("\t", 1) for line in f]
    out = sys.stdout
    lat: list[float] = []
    with open_store(args.db) as store:
        store.search("تحميل", limit=1)  # open the index outside the timings
        for qid, text in queries:
            t = time.perf_counter()
            hits = store.search(text, limit=args.depth, snippets=False)
            lat.append(time.perf_counter() - t)
            for rank, h in enumerate(hits, 1):
                out.write(f"{qid}\t{ids.get(h.id, h.id)}\t{rank}\n")
        snip: list[float] = []
        for _, text in queries[: args.snippet_queries]:
            t = time.perf_counter()
            store.search(text, limit=10, snippets=True)
            snip.append(time.perf_counter() - t)
    print(
        f"search latency over {len(lat)} queries (top {args.depth}, no snippets): "
        f"p50 {pct(lat, 0.5):.2f} ms p99 {pct(lat, 0.99):.2f} ms; "
        f"top 10 with snippets ({len(snip)} queries): p50 {pct(snip, 0.5):.2f} ms p99 {pct(snip, 0.99):.2f} ms",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
