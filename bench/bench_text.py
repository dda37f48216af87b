"""Throughput of the text layer: tokenize and split_sentences over SaudiNewsNet articles, on one core.

Usage: python bench/bench_text.py [N]  (default: the first 2,000 articles)
Prints articles/s and tokens/s, cold (every word type new to the caches) and warm (a second pass), by
wall clock and by this process's CPU time (the fairer figure on a machine shared with other jobs).
"""

from __future__ import annotations

import sys
import time

from common import one_core, peak_rss_mb, saudinewsnet

from marsad.text import tokenize as tk
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize


def run(texts: list[str]) -> tuple[float, float, float, int, int]:
    """Wall time, CPU time of this process, CPU time in tokenize alone; tokens and sentences."""
    n_tokens = n_sentences = 0
    t0, c0 = time.perf_counter(), time.process_time()
    tok_time = 0.0
    for text in texts:
        a = time.process_time()
        toks = tokenize(text)
        tok_time += time.process_time() - a
        n_sentences += len(split_sentences(text, toks))
        n_tokens += len(toks)
    return time.perf_counter() - t0, time.process_time() - c0, tok_time, n_tokens, n_sentences


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    one_core()
    texts = [a["content"] for a in saudinewsnet(limit)]
    chars = sum(map(len, texts))
    t = time.perf_counter()
    tk._segmenter()
    load = time.perf_counter() - t
    print(
        f"{len(texts)} articles, {chars / len(texts):.0f} chars each on average; lexicon loaded in {load:.2f} s"
    )
    n = len(texts)
    for label in ("cold", "warm"):
        wall, cpu, tok_cpu, n_tokens, n_sentences = run(texts)
        print(
            f"{label}: tokenize + split_sentences {n / wall:,.0f} articles/s, {n_tokens / wall:,.0f} tokens/s wall;"
            f" {n / cpu:,.0f} articles/s, {n_tokens / cpu:,.0f} tokens/s CPU (tokenize alone {n / tok_cpu:,.0f}"
            f" articles/s); {n_tokens:,} tokens, {n_sentences:,} sentences"
        )
    print(f"peak memory {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
