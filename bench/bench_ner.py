"""NER: model load time and memory, tagging throughput on one core, and the model's dev scores.

Throughput is the ``ner`` stage alone on 2,000 SaudiNewsNet articles already tokenised and split
into sentences, starting from an empty feature cache: one article per call, as ``marsad.analyze``
runs it, then (in a fresh process, ``--batch 32``) 32 articles per call, as ``marsad analyze
--jsonl`` and ``marsad corpus ingest`` run it (``NerStage.many``).  The dev scores are the ones
``tools/train_ner.py`` (the CRF) and ``tools/train_ner_nn.py`` (the CRF with the network, as the
stage runs them) recorded in ``marsad/ner/data/model.json`` when they built the models.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from importlib import resources

from common import one_core, peak_rss_mb, saudinewsnet

from marsad import pipeline
from marsad.document import Document


def report_model(load_s: float, rss0: float, rss1: float) -> None:
    print(
        f"model load: {load_s:.2f} s, resident {rss1:.0f} MB (+{rss1 - rss0:.0f} MB for the model and data)"
    )

    meta = json.loads(
        resources.files("marsad.ner").joinpath("data", "model.json").read_text(encoding="utf-8")
    )
    network = meta.get("ensemble", {}).get("network", {})
    for name, sc in (
        ("CRF, dev (tail block of train.txt)", meta.get("dev_scores")),
        ("CRF, 5-fold cross-validation", meta.get("cv_scores")),
        ("CRF + network (the stage's model), dev", network.get("dev_scores_ensemble")),
        ("CRF + network, 5-fold cross-validation", network.get("cv_scores_ensemble")),
    ):
        if sc:
            per = "  ".join(f"{t} {v['f1']:.3f}" for t, v in sorted(sc.items()) if t != "ALL")
            print(
                f"{name}: F1 {sc['ALL']['f1']:.4f} (P {sc['ALL']['precision']:.4f} R {sc['ALL']['recall']:.4f})  {per}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=1, help="articles per call of the stage (default 1)")
    args = ap.parse_args()
    one_core()
    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    from marsad.ner import load_ner

    ner = load_ner()
    load_s = time.perf_counter() - t0
    rss1 = peak_rss_mb()
    if args.batch == 1:
        report_model(load_s, rss0, rss1)

    articles = saudinewsnet(limit=2000)
    pre = [pipeline.structure, pipeline.tokens]
    docs = []
    for a in articles:
        doc = Document(text=a["content"], id=a["id"])
        for s in pre:
            doc = s(doc)
        docs.append(doc)
    n_tok = sum(len(d.tokens) for d in docs)
    n_ent = 0
    b = args.batch

    def tag(some: list[Document]) -> int:
        if b == 1:
            return sum(len(ner(d).entities) for d in some)
        return sum(len(d.entities) for g in range(0, len(some), b) for d in ner.many(some[g : g + b]))

    t0 = time.perf_counter()
    n_ent = tag(docs)
    secs = time.perf_counter() - t0
    per_call = "one article per call" if b == 1 else f"{b} articles per call"
    print(
        f"ner on {len(docs)} articles ({per_call}), {n_tok:,} tokens: {secs:.2f} s one core -> "
        f"{n_tok / secs:,.0f} tokens/s, {len(docs) / secs:,.0f} articles/s ({n_ent:,} entities)"
    )
    t0 = time.perf_counter()
    tag(docs[:500])
    warm = time.perf_counter() - t0
    n500 = sum(len(d.tokens) for d in docs[:500])
    print(f"warm feature cache (500 articles again, {per_call}): {n500 / warm:,.0f} tokens/s")
    print(f"peak memory: {peak_rss_mb():.0f} MB")
    if b == 1:  # the batched figures, from a cold start too
        sys.stdout.flush()
        subprocess.call([sys.executable, __file__, "--batch", "32"])


if __name__ == "__main__":
    main()
