"""The events stage: its throughput on 2,000 SaudiNewsNet articles (one core), then its quality.

The earlier stages run first, untimed; the events stage is then timed alone over the analysed
documents.  The quality figures are those of ``tools/eval_events.py`` (UniversalPetrarch gold
sentences, gold articles).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter

from common import ROOT, one_core, saudinewsnet

from marsad import pipeline
from marsad.document import Document


def main() -> None:
    one_core()
    articles = saudinewsnet(limit=2000)
    pipe = pipeline.default_pipeline()
    if "events" not in pipe.names:
        print("skipped: the events stage is not in the pipeline")
        return
    before = [s for s in pipe.stages if s.name != "events"]
    events = next(s for s in pipe.stages if s.name == "events")
    docs = []
    for a in articles:
        doc = Document(
            text=a["content"], id=a["id"], published=dt.date.fromisoformat(a["date_extracted"][:10])
        )
        for s in before:
            doc = s(doc)
        docs.append(doc)
    events(docs[0])
    n_words = sum(sum(1 for t in d.tokens if t.is_word) for d in docs)
    print(f"articles: {len(docs)}  words: {n_words}  ({n_words / len(docs):.0f} per article)")
    for label in ("first pass (word caches filling)", "second pass"):
        t0, c0 = time.perf_counter(), time.process_time()
        out = [events(d) for d in docs]
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"events stage, {label}: {len(docs) / elapsed:,.0f} articles/s, {1000 * elapsed / len(docs):.3f} ms/article"
            f" ({1000 * cpu / len(docs):.3f} ms CPU)"
        )
    n_events = sum(len(d.events) for d in out)
    types = Counter(v.type for d in out for v in d.events)
    print(
        f"events: {n_events} ({n_events / len(docs):.2f} per article)  "
        + ", ".join(f"{t} {n}" for t, n in types.most_common())
    )
    sys.path.insert(0, str(ROOT / "tools"))
    import eval_events

    eval_events.main([])


if __name__ == "__main__":
    main()
