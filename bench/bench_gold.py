"""Quality against the gold analyses: quotes P/R/F1 and linking accuracy (tools/eval_gold.py),
and what the link and quotes stages cost per article, on one core."""

from __future__ import annotations

import datetime as dt
import sys
import time

from common import ROOT, SHARED, one_core, saudinewsnet

sys.path.insert(0, str(ROOT / "tools"))

import eval_gold

from marsad import pipeline
from marsad.document import Document


def quality() -> None:
    files = [p for p in eval_gold.DEFAULT_GOLD if p.exists()]
    if not files:
        print(f"quality: skipped, needs {SHARED / 'data' / 'gold'}")
        return
    for p in files:
        print(eval_gold.report(eval_gold.evaluate(eval_gold.load_gold([p])), f"{p.name}: "))


def cost(n: int = 1000) -> None:
    articles = saudinewsnet(limit=n)
    pipe = pipeline.default_pipeline()
    pipe.analyze(articles[0]["content"])
    spent = {"link": 0.0, "quotes": 0.0}
    found = {"quotes": 0, "entities": 0}
    for a in articles:
        doc = Document(text=a["content"], published=dt.date.fromisoformat(a["date_extracted"][:10]))
        for s in pipe.stages:
            t0 = time.perf_counter()
            doc = s(doc)
            if s.name in spent:
                spent[s.name] += time.perf_counter() - t0
        found["quotes"] += len(doc.quotes)
        found["entities"] += len(doc.entities)
    for name, t in spent.items():
        print(f"{name:<8} {1000 * t / len(articles):.3f} ms/article  ({len(articles) / t if t else 0:,.0f} articles/s)")
    print(f"per article: {found['entities'] / len(articles):.1f} entities, {found['quotes'] / len(articles):.1f} quotes")


def main() -> None:
    one_core()
    quality()
    cost()


if __name__ == "__main__":
    main()
