"""NER: model load time and memory, tagging throughput on one core, and the model's dev scores.

Throughput is the ``ner`` stage alone on 2,000 SaudiNewsNet articles already tokenised and split
into sentences, starting from an empty feature cache.  The dev scores are the ones
``tools/train_ner.py`` (the CRF) and ``tools/train_ner_nn.py`` (the CRF with the network, as the
stage runs them) recorded in ``marsad/ner/data/model.json`` when they built the models.
"""

from __future__ import annotations

import json
import time
from importlib import resources

from common import one_core, peak_rss_mb, saudinewsnet

from marsad import pipeline
from marsad.document import Document


def main() -> None:
    one_core()
    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    from marsad.ner import load_ner

    ner = load_ner()
    load_s = time.perf_counter() - t0
    rss1 = peak_rss_mb()
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
    t0 = time.perf_counter()
    for d in docs:
        n_ent += len(ner(d).entities)
    secs = time.perf_counter() - t0
    print(
        f"ner on {len(docs)} articles, {n_tok:,} tokens: {secs:.2f} s one core -> "
        f"{n_tok / secs:,.0f} tokens/s, {len(docs) / secs:,.0f} articles/s ({n_ent:,} entities)"
    )
    t0 = time.perf_counter()
    for d in docs[:500]:
        ner(d)
    warm = time.perf_counter() - t0
    n500 = sum(len(d.tokens) for d in docs[:500])
    print(f"warm feature cache (500 articles again): {n500 / warm:,.0f} tokens/s")
    print(f"peak memory: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
