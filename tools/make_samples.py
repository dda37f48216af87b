"""Draw the bundled sample corpus (``samples/``) from SaudiNewsNet, deterministically.

Writes ``samples/saudinewsnet-sample.jsonl`` in the analysis contract's batch input format
(``id``, ``text``, ``published``, ``source``, ``title``, ``url``).  The sample holds every article of
the gold development set (so the demo shows what the gold covers) plus a seeded random draw of
news articles from the whole corpus.  SaudiNewsNet is CC BY-NC-SA 4.0: the sample keeps that
licence (``samples/LICENSE``, ``samples/README.md``).

Usage: python tools/make_samples.py [--shared ../shared] [--n 100] [--seed 13]
"""

from __future__ import annotations

import argparse
import json
import random
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_corpus(shared: Path) -> list[tuple[str, dict[str, str]]]:
    out = []
    for z in sorted((shared / "data" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(z) as f:
            arr = json.loads(f.read(f.namelist()[0]))
        out.extend((f"{z.name}#{i}", a) for i, a in enumerate(arr))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--n", type=int, default=100, help="articles in the sample")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    corpus = load_corpus(args.shared)
    gold_ids = [
        json.loads(line)["doc"]
        for line in (args.shared / "data" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_id = dict(corpus)
    chosen = [d for d in gold_ids if d in by_id]
    rng = random.Random(args.seed)
    pool = [
        doc_id
        for doc_id, a in corpus
        if doc_id not in set(chosen) and 400 <= len(a["content"]) <= 6000 and a["title"].strip()
    ]
    chosen += rng.sample(pool, args.n - len(chosen))
    chosen.sort(key=lambda d: (d.split("#")[0], int(d.split("#")[1])))

    out = ROOT / "samples" / "saudinewsnet-sample.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for doc_id in chosen:
            a = by_id[doc_id]
            rec = {
                "id": doc_id,
                "text": a["content"],
                "published": a["date_extracted"][:10],
                "source": a["source"],
                "title": a["title"],
                "url": a["url"],
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} articles ({len(gold_ids)} from the gold set) to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
