"""Throughput and coverage of the article-structure functions on SaudiNewsNet.

    .venv/bin/python bench/bench_article.py                 # first 2,000 articles: articles/s
    .venv/bin/python bench/bench_article.py --all --sample 40   # all 31,030: headers per source + a sample

Times ``parse_header`` + ``split_paragraphs`` + ``find_dates`` over each whole article (published =
the record's ``date_extracted``) on one core, and counts the headers, datelines, sources and dates found.
Needs ``../shared/data/saudinewsnet`` (or ``MARSAD_SHARED``).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from marsad.article import parse_header, split_paragraphs
from marsad.text.dates import find_dates, parse_date_arg

SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def load(limit: int | None) -> list[dict[str, Any]]:
    folder = SHARED / "data" / "saudinewsnet"
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        sys.exit(f"no SaudiNewsNet zips in {folder}: set MARSAD_SHARED to the shared data folder")
    articles: list[dict[str, Any]] = []
    for z in zips:
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                articles.extend(json.loads(zf.read(name)))
        if limit is not None and len(articles) >= limit:
            return articles[:limit]
    return articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--all", action="store_true", help="run over every article, not the first 2,000")
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--sample", type=int, default=0, help="print this many headers picked at random")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (the fastest is reported)")
    args = ap.parse_args()
    articles = load(None if args.all else args.limit)
    texts = [a["content"] for a in articles]
    published = [parse_date_arg(a["date_extracted"]) if a.get("date_extracted") else None for a in articles]

    best = float("inf")
    results = []
    for _ in range(args.repeat):
        results = []
        t0 = time.process_time()
        for text, pub in zip(texts, published):
            header = parse_header(text)
            paragraphs = split_paragraphs(text, header.body_start)
            dates = find_dates(text, header.date or pub)
            results.append((header, paragraphs, dates))
        best = min(best, time.process_time() - t0)

    n = len(texts)
    chars = sum(map(len, texts)) / n
    print(f"{n} articles, {chars:.0f} chars on average")
    print(
        f"parse_header + split_paragraphs + find_dates: {n / best:,.0f} articles/s, {best / n * 1e6:.1f} µs/article"
    )
    for label, fn in (
        ("parse_header", lambda t, p: parse_header(t)),
        ("split_paragraphs", lambda t, p: split_paragraphs(t)),
        ("find_dates", lambda t, p: find_dates(t, p)),
    ):
        t0 = time.process_time()
        for text, pub in zip(texts, published):
            fn(text, pub)
        print(f"  {label:17s} {(time.process_time() - t0) / n * 1e6:6.1f} µs/article")

    per_source: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    kinds: collections.Counter[str] = collections.Counter()
    resolved = 0
    for a, (header, _, dates) in zip(articles, results):
        c = per_source[a["source"]]
        c["articles"] += 1
        c["header"] += header.dateline is not None or header.source is not None
        c["dateline"] += header.dateline is not None
        c["source"] += header.source is not None
        c["date"] += header.date is not None
        for d in dates:
            kinds[d.kind] += 1
            resolved += d.value is not None
    total = sum(kinds.values())
    print(
        f"dates: {total} ({total / n:.1f}/article), resolved {resolved / max(total, 1):.1%}, by kind {dict(kinds)}"
    )
    print(f"{'source':14s} {'articles':>8s} {'header':>7s} {'dateline':>8s} {'source':>7s} {'date':>6s}")
    for name, c in sorted(per_source.items(), key=lambda kv: -kv[1]["articles"]):
        print(
            f"{name:14s} {c['articles']:8d} {c['header']:7d} {c['dateline']:8d} {c['source']:7d} {c['date']:6d}"
        )
    totals = sum(per_source.values(), collections.Counter())
    print(
        f"{'all':14s} {totals['articles']:8d} {totals['header']:7d} {totals['dateline']:8d} "
        f"{totals['source']:7d} {totals['date']:6d}"
    )

    if args.sample:
        rng = random.Random(0)
        found = [(a, h) for a, (h, _, _) in zip(articles, results) if h.dateline or h.source]
        for a, h in rng.sample(found, min(args.sample, len(found))):
            head = a["content"][: h.body_start].strip().replace("\n", " / ")[:90]
            print(
                f"[{a['source']}] {head!r} -> dateline={h.dateline and h.dateline.text!r} "
                f"source={h.source_name!r} date={h.date}"
            )


if __name__ == "__main__":
    main()
