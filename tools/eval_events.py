"""Evaluate the events stage through the public analysis (``marsad.analyze``), on the shared data.

1. UniversalPetrarch's Arabic gold sentences (``universal-petrarch-ar/*_gsr_validation.dev.xml``:
   135 PROTEST and 201 ASSAULT sentences, one coded event each).  Each sentence is analysed alone,
   without a publication date.  Reported: the share of sentences where an event of the gold type
   is found, and on those the accuracy of the source's and target's country (the first part of
   the gold code, ``None`` for none, against the country part of the found event's actor); beside
   them the events per sentence, since emitting many types is not finding the right one.
2. The gold articles (``gold/dev.jsonl`` and the seed's gold): precision, recall and F1 where a
   found event matches a gold event of the same type, source country and target country (null
   matches null; each gold event is matched once), and with the type alone.

Countries are compared as in ../docs/annotation-guidelines.md: the first three letters of an
actor code (``USAGOV`` and ``USA`` agree on ``USA``; ``IGOUNO`` is ``IGO``).

    python tools/eval_events.py            # both, a summary
    python tools/eval_events.py -v         # also each article's misses and false events
    python tools/eval_events.py --json     # the figures as one JSON object
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared")) / "data"
UP_FILES = ("arabic_protest_gsr_validation.dev.xml", "arabic_assault_gsr_validation.dev.xml")
SEED = "000_4da01e0e24fcc1d0"

Key = tuple[str, str | None, str | None]


def country(code: str | None) -> str | None:
    """The country part of an actor code (``USAGOV`` → ``USA``), None for none."""
    if not code or code == "None":
        return None
    return code[:3]


def mention_country(m: Any) -> str | None:
    if m is None:
        return None
    return country(m.actor) or m.country


# -- UniversalPetrarch sentences ------------------------------------------------------------------


@dataclass(frozen=True)
class GoldSentence:
    id: str
    text: str
    type: str
    source: str | None
    target: str | None


def read_up(folder: Path) -> list[GoldSentence]:
    """The gold sentences; read with regular expressions, as the files are not well-formed XML."""
    out: list[GoldSentence] = []
    for name in UP_FILES:
        raw = (folder / name).read_text(encoding="utf-8")
        for block in re.findall(r"<Sentence (.*?)</Sentence>", raw, re.DOTALL):
            sid = re.search(r'id="([^"]*)"', block)
            coding = re.search(r"<EventCoding ([^>]*)/>", block)
            text = re.search(r"<Text>(.*?)</Text>", block, re.DOTALL)
            if not (sid and coding and text):
                continue
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', coding.group(1)))
            out.append(
                GoldSentence(
                    sid.group(1),
                    text.group(1).strip(),
                    attrs.get("plover", ""),
                    country(attrs.get("sourcecode", "None").split()[0]),
                    country(attrs.get("targetcode", "None").split()[0]),
                )
            )
    return out


def eval_up(sentences: list[GoldSentence], verbose: bool = False) -> dict[str, Any]:
    import marsad

    found = src_ok = tgt_ok = n_events = over_two = 0
    by_type: Counter[str] = Counter()
    found_by_type: Counter[str] = Counter()
    for g in sentences:
        doc = marsad.analyze(g.text)
        events = doc.events
        n_events += len(events)
        over_two += len(events) > 2
        by_type[g.type] += 1
        hit = next((v for v in events if v.type == g.type), None)
        if hit is None:
            if verbose:
                print(f"  miss {g.type}: {g.text[:140]}")
            continue
        found += 1
        found_by_type[g.type] += 1
        s_ok = mention_country(hit.source) == g.source
        t_ok = mention_country(hit.target) == g.target
        src_ok += s_ok
        tgt_ok += t_ok
        if verbose and not s_ok:
            got = hit.source.text if hit.source else None
            print(f"  source {mention_country(hit.source)} ({got}) != {g.source}: {g.text[:120]}")
    n = len(sentences)
    return {
        "sentences": n,
        "type_found": found / n if n else 0.0,
        "type_found_by_type": {t: found_by_type[t] / by_type[t] for t in sorted(by_type)},
        "source_country_accuracy": src_ok / found if found else 0.0,
        "target_country_accuracy": tgt_ok / found if found else 0.0,
        "events_per_sentence": n_events / n if n else 0.0,
        "sentences_over_two_events": over_two / n if n else 0.0,
    }


# -- gold articles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldArticle:
    doc: str
    text: str
    title: str | None
    published: dt.date | None
    events: tuple[dict[str, Any], ...]


def _zip_articles(folder: Path, name: str, cache: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    if name not in cache:
        with zipfile.ZipFile(folder / name) as z:
            cache[name] = json.loads(z.read(z.namelist()[0]))
    return cache[name]


def read_gold(shared: Path) -> list[GoldArticle]:
    out: list[GoldArticle] = []
    cache: dict[str, list[dict[str, Any]]] = {}
    records = [
        json.loads(line)
        for line in (shared / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    seed = json.loads((shared / "seed" / f"{SEED}.gold.json").read_text(encoding="utf-8"))
    for rec in [seed, *records]:
        published = dt.date.fromisoformat(rec["published"]) if rec.get("published") else None
        if "#" in rec["doc"]:
            name, _, idx = rec["doc"].partition("#")
            art = _zip_articles(shared / "saudinewsnet", name, cache)[int(idx)]
            text, title = art["content"], art.get("title")
        else:
            text, title = (shared / "seed" / rec["doc"]).read_text(encoding="utf-8"), None
        out.append(GoldArticle(rec["doc"], text, title, published, tuple(rec.get("events", ()))))
    return out


def _matched(pred: Iterable[Key], gold: Iterable[Key]) -> int:
    p, g = Counter(pred), Counter(gold)
    return sum(min(n, g[k]) for k, n in p.items())


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def eval_gold(articles: list[GoldArticle], verbose: bool = False) -> dict[str, Any]:
    import marsad

    tp = tp_type = n_pred = n_gold = 0
    per_type_tp: Counter[str] = Counter()
    per_type_pred: Counter[str] = Counter()
    per_type_gold: Counter[str] = Counter()
    for a in articles:
        doc = marsad.analyze(a.text, published=a.published, title=a.title, id=a.doc)
        pred = [(v.type, mention_country(v.source), mention_country(v.target)) for v in doc.events]
        gold = [(e["type"], country(e.get("source_actor")), country(e.get("target_actor"))) for e in a.events]
        m = _matched(pred, gold)
        tp += m
        tp_type += _matched([k[0] for k in pred], [k[0] for k in gold])  # type: ignore[misc]
        n_pred += len(pred)
        n_gold += len(gold)
        for t in {k[0] for k in pred} | {k[0] for k in gold}:
            per_type_tp[t] += _matched([k for k in pred if k[0] == t], [k for k in gold if k[0] == t])
            per_type_pred[t] += sum(1 for k in pred if k[0] == t)
            per_type_gold[t] += sum(1 for k in gold if k[0] == t)
        if verbose:
            gp, gg = Counter(pred), Counter(gold)
            print(f"== {a.doc}: {m} of {len(gold)} gold, {len(pred)} found")
            for k in sorted(gg - gp, key=str):
                print(f"   missed {k}")
            for v in doc.events:
                k = (v.type, mention_country(v.source), mention_country(v.target))
                mark = "ok " if gg[k] > 0 else "FP "
                gg[k] -= 1
                ev = v.evidence.text if v.evidence else ""
                print(f"   {mark}{k} [{v.trigger.text}] {ev}")
    return {
        "articles": len(articles),
        "gold_events": n_gold,
        "found_events": n_pred,
        "type_source_target": _prf(tp, n_pred, n_gold),
        "type_only": _prf(tp_type, n_pred, n_gold),
        "by_type": {
            t: _prf(per_type_tp[t], per_type_pred[t], per_type_gold[t])
            | {"gold": per_type_gold[t], "found": per_type_pred[t]}
            for t in sorted(per_type_gold | per_type_pred)
        },
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Evaluate the events stage on the shared gold data.")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false events")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--only", choices=("up", "gold"), help="run one of the two evaluations")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: needs {SHARED} (the shared data folder)")
        return 0
    result: dict[str, Any] = {}
    if args.only in (None, "up"):
        result["universal_petrarch"] = eval_up(read_up(SHARED / "universal-petrarch-ar"), args.verbose)
    if args.only in (None, "gold"):
        result["gold_articles"] = eval_gold(read_gold(SHARED), args.verbose)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_summary(result)
    return 0


def print_summary(result: dict[str, Any]) -> None:
    up = result.get("universal_petrarch")
    if up:
        print(f"UniversalPetrarch dev sentences: {up['sentences']}")
        by = ", ".join(f"{t} {v:.1%}" for t, v in up["type_found_by_type"].items())
        print(f"  gold type found       {up['type_found']:.1%}  ({by})")
        print(f"  source country right  {up['source_country_accuracy']:.1%} of those")
        print(f"  target country right  {up['target_country_accuracy']:.1%} of those")
        print(
            f"  events per sentence   {up['events_per_sentence']:.2f}  (more than two: {up['sentences_over_two_events']:.1%})"
        )
    g = result.get("gold_articles")
    if g:
        print(f"Gold articles: {g['articles']} ({g['gold_events']} gold events, {g['found_events']} found)")
        for name in ("type_source_target", "type_only"):
            m = g[name]
            print(f"  {name:<20} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
        for t, m in g["by_type"].items():
            print(
                f"    {t:<10} gold {m['gold']:>3} found {m['found']:>3}  P {m['precision']:.2f} R {m['recall']:.2f}"
            )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
