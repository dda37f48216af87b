"""Throughput of the whole analysis pipeline on 2,000 SaudiNewsNet articles, on one core."""

from __future__ import annotations

import datetime as dt
import time

from common import one_core, peak_rss_mb, saudinewsnet

import marsad.pipeline as pipeline
from marsad.document import Document


def main() -> None:
    one_core()
    articles = saudinewsnet(limit=2000)
    pipe = pipeline.default_pipeline()
    pipe.analyze(articles[0]["content"])  # load models once, outside the timing
    n_tok = 0
    t0 = time.perf_counter()
    per_stage = dict.fromkeys(pipe.names, 0.0)
    for a in articles:
        doc = Document(
            text=a["content"], id=a["id"], published=dt.date.fromisoformat(a["date_extracted"][:10])
        )
        for s in pipe.stages:
            ts = time.perf_counter()
            doc = s(doc)
            per_stage[s.name] += time.perf_counter() - ts
        n_tok += len(doc.tokens)
    elapsed = time.perf_counter() - t0
    print(f"pipeline stages: {', '.join(pipe.names)}")
    print(f"articles: {len(articles)}  tokens: {n_tok}  time: {elapsed:.2f} s (one core)")
    print(f"throughput: {len(articles) / elapsed:,.0f} articles/s, {n_tok / elapsed:,.0f} tokens/s")
    for name, t in per_stage.items():
        print(f"  {name:<10} {len(articles) / t if t else float('inf'):>10,.0f} articles/s  ({t:.2f} s)")
    print(f"peak memory: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
