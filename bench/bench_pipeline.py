"""Throughput of the analysis pipeline on 2,000 SaudiNewsNet articles (a seeded draw), on one core.

Prints, per stage and for the whole pipeline, articles/s and tokens/s, for a first pass over the
articles (caches cold, as for a fresh process) and a second pass (caches warm, as in a long ingest),
plus the foundation layer alone (header, paragraphs, tokens, sentences) and peak memory.
Times are CPU time of this process, so that other work on the machine skews them less;
``--wall`` reports wall-clock time instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from collections.abc import Callable

from common import one_core, peak_rss_mb, sample

from marsad.document import Document
from marsad.pipeline import default_pipeline

FOUNDATION = ("structure", "tokens")


def run_pass(
    articles: list[dict[str, object]], clock: Callable[[], float], batch: int = 1
) -> tuple[dict[str, float], int]:
    """One pass over ``articles``, ``batch`` at a time: a stage with a ``many`` method takes the
    batch in one call (as ``Pipeline.run_many`` runs it), the others one article after another."""
    pipe = default_pipeline()
    per_stage = dict.fromkeys(pipe.names, 0.0)
    n_tok = 0
    for g in range(0, len(articles), batch):
        docs = [
            Document(
                text=str(a["content"]), id=str(a["id"]),
                published=dt.date.fromisoformat(str(a["date_extracted"])[:10]),
            )
            for a in articles[g : g + batch]
        ]  # fmt: skip
        for s in pipe.stages:
            many = getattr(s, "many", None) if batch > 1 else None
            t = clock()
            docs = many(docs) if many is not None else [s(d) for d in docs]
            per_stage[s.name] += clock() - t
        n_tok += sum(len(d.tokens) for d in docs)
    return per_stage, n_tok


def report(label: str, per_stage: dict[str, float], n_art: int, n_tok: int) -> None:
    total = sum(per_stage.values())
    found = sum(t for name, t in per_stage.items() if name in FOUNDATION)
    print(f"{label}: {n_art / total:,.0f} articles/s, {n_tok / total:,.0f} tokens/s (all stages, {total:.2f} s)")
    print(f"  foundation layer (header, paragraphs, tokens, sentences): {n_art / found:,.0f} articles/s, "
          f"{n_tok / found:,.0f} tokens/s")
    for name, t in per_stage.items():
        print(f"  {name:<10} {n_art / t if t else float('inf'):>9,.0f} articles/s {n_tok / t if t else 0:>12,.0f} tokens/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    ap.add_argument(
        "--batch", type=int, default=32,
        help="articles per call in the batched passes, as `marsad analyze --jsonl` and ingest run (default 32)",
    )  # fmt: skip
    ap.add_argument("--batched-only", action="store_true", help="only the batched passes")
    args = ap.parse_args()
    one_core()
    clock = time.perf_counter if args.wall else time.process_time
    articles = sample(args.limit)
    t0 = time.perf_counter()
    default_pipeline()  # load models and data once, outside the timing
    if not args.batched_only:
        print(f"pipeline stages: {', '.join(default_pipeline().names)} (loaded in {time.perf_counter() - t0:.2f} s)")
        words = sum(len(str(a["content"]).split()) for a in articles)
        print(f"articles: {len(articles)}, {words / len(articles):.0f} words each on average; "
              f"{'wall-clock' if args.wall else 'CPU'} time on one core")
        for label in ("first pass (cold caches)", "second pass (warm caches)"):
            stages, n_tok = run_pass(articles, clock)
            report(f"{label}, one article per call", stages, len(articles), n_tok)
        print(f"peak memory: {peak_rss_mb():.0f} MB")
        if args.batch > 1:
            # in a fresh process, so that its first pass starts cold as well
            sys.stdout.flush()
            cmd = [sys.executable, __file__, "--limit", str(args.limit), "--batch", str(args.batch)]
            subprocess.call([*cmd, "--batched-only", *(["--wall"] if args.wall else [])])
        return
    for label in ("first pass (cold caches)", "second pass (warm caches)"):
        stages, n_tok = run_pass(articles, clock, args.batch)
        report(f"{label}, {args.batch} articles per call", stages, len(articles), n_tok)
    print(f"peak memory: {peak_rss_mb():.0f} MB")

if __name__ == "__main__":
    main()
