"""Score marsad's analysis against gold analyses (docs/annotation-guidelines.md format).

    tools/eval_gold.py                                  # ../shared dev gold and the seed's gold
    tools/eval_gold.py --gold ../shared/data/gold/dev.jsonl --verbose
    tools/eval_gold.py --json                           # the figures as one JSON object

Each gold record names its article: ``"2015-08-11.zip#772"`` (the SaudiNewsNet zip in
``../shared/data/saudinewsnet/`` and the index in its JSON array) or a file name (the seed, read
from ``samples/`` or beside the gold file).  The article goes through the public API
(:func:`marsad.analyze`) with the record's publication date, and is scored on:

* **quotes** — a hit is a predicted quote whose content overlaps the gold quote's span (located
  in the text from its ``text_start`` to its ``text_end``) and whose speaker is the gold one:
  the same English name (or knowledge-base name), or, for a speaker the gold does not list as a
  named entity of the article (``مصدر دبلوماسي تركي``), the same head word and most of the words.
  Each gold quote and each prediction is used once.  Precision, recall and F1, and the same
  without the speaker condition;
* **linking** — over the gold entities with an actor code: the entity is found when a predicted
  entity has the same text (proclitics and ال aside) or covers it, and it is right when one of
  its mentions has the gold country (the country part of the code; ``IGOUNO`` whole) or the gold
  English name.  Also the share of gold entities whose English name is found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
DEFAULT_GOLD = (
    SHARED / "data" / "gold" / "dev.jsonl",
    SHARED / "data" / "seed" / "000_4da01e0e24fcc1d0.gold.json",
)

__all__ = ["article_text", "evaluate", "load_gold", "locate", "main", "names_match", "speaker_matches"]

Analyze = Callable[..., Any]

# Actor codes whose first three letters are no country: compared on their first six letters.
_NON_COUNTRY = (
    "IGO",
    "NGO",
    "IMG",
    "MNC",
    "UAF",
    "MED",
    "PGS",
    "AFR",
    "ASA",
    "EUR",
    "MEA",
    "WST",
    "SAM",
    "NAF",
)


# -- gold files and article texts --------------------------------------------------------------------


def load_gold(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Gold records from ``.jsonl`` files (one per line) and ``.json`` files (one record)."""
    out: list[dict[str, Any]] = []
    for p in paths:
        try:
            raw = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SystemExit(f"eval_gold: {p} not found; pass --gold FILE or set MARSAD_SHARED") from None
        if p.suffix == ".jsonl":
            recs: list[dict[str, Any]] = [json.loads(line) for line in raw.splitlines() if line.strip()]
        else:
            recs = [json.loads(raw)]
        for r in recs:
            r.setdefault("_gold_file", str(p))
        out.extend(recs)
    return out


@lru_cache(maxsize=32)
def _zip_articles(path: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(path) as z:
        articles: list[dict[str, Any]] = json.loads(z.read(z.namelist()[0]))
    return articles


def article_text(record: dict[str, Any], shared: Path = SHARED) -> str:
    """The text of the article a gold record names (``zip#index`` or a file name)."""
    doc: str = record["doc"]
    if "#" in doc:
        name, _, index = doc.partition("#")
        path = shared / "data" / "saudinewsnet" / name
        if not path.exists():
            raise SystemExit(f"eval_gold: {path} not found (needed for {doc}); set MARSAD_SHARED")
        return str(_zip_articles(path)[int(index)]["content"])
    for folder in (ROOT / "samples", Path(record.get("_gold_file", ".")).parent, shared / "data" / "seed"):
        p = folder / doc
        if p.exists():
            return p.read_text(encoding="utf-8")
    raise SystemExit(f"eval_gold: article {doc!r} not found in samples/ or beside its gold file")


def _published(record: dict[str, Any]) -> dt.date | None:
    p = record.get("published")
    return dt.date.fromisoformat(p) if p else None


# -- matching helpers --------------------------------------------------------------------------------


def _fold(text: str) -> str:
    from marsad.text.normalize import match_form

    return match_form(text)


def _view(text: str) -> tuple[str, list[int]]:
    """A matching view of ``text`` with runs of spaces folded, and the map back to offsets."""
    from marsad.text.normalize import match_form

    chars: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        f = match_form(ch)
        for c in f:
            if c.isspace():
                if space:
                    continue
                c, space = " ", True
            else:
                space = False
            chars.append(c)
            where.append(i)
    return "".join(chars), where


def locate(text: str, first: str, last: str, after: int = 0) -> tuple[int, int] | None:
    """Character span of the stretch from ``first`` to ``last`` (the gold's opening and closing words)."""
    view, where = _view(text)
    fv = _view(first)[0].strip()
    lv = _view(last)[0].strip()
    a = _find_from(view, fv, where, after)
    if a < 0:
        return None
    b = view.find(lv, a)
    if b < 0 or b - a > 6000:
        end = a + len(fv)
    else:
        end = b + len(lv)
    return where[a], where[end - 1] + 1


def _find_from(view: str, needle: str, where: list[int], after: int) -> int:
    if not needle:
        return -1
    start = 0
    while start < len(where) and where[start] < after:
        start += 1
    i = view.find(needle, start)
    return i if i >= 0 else view.find(needle)


def _words(text: str) -> list[str]:
    out = []
    for w in re.findall(r"\w+", _fold(text)):
        if len(w) > 3 and w[0] in "وف":
            w = w[1:]
        if len(w) > 3 and w[0] in "بل" and w[1:3] == "ال":
            w = w[1:]
        if w.startswith("لل") and len(w) > 3:
            w = w[2:]
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        out.append(w)
    return out


# Honorifics and titles an English name may or may not carry (Prince Jalawi / Jalawi).
_TITLES = frozenset(
    {"king", "prince", "princess", "sheikh", "emir", "dr", "president", "general", "sir", "the"}
)


def _name(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", t.replace("-", " "))
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def names_match(a: str | None, b: str | None) -> bool:
    """English names of one person or body: equal once folded, with or without a bracketed part,
    or with the same last word and first words that begin alike (Sergey/Sergei Lavrov)."""
    if not a or not b:
        return False
    forms_a = {_name(a), _name(re.sub(r"\([^)]*\)", "", a))}
    forms_b = {_name(b), _name(re.sub(r"\([^)]*\)", "", b))}
    forms_a.discard("")
    forms_b.discard("")
    if forms_a & forms_b:
        return True
    for x in forms_a:
        for y in forms_b:
            xs, ys = x.split(), y.split()
            if len(xs) >= 2 and len(ys) >= 2 and xs[-1] == ys[-1] and xs[0][:3] == ys[0][:3]:
                return True
    return False


def _texts_match(pred: str, gold: str) -> bool:
    """Same head word and most of the words, or all the words of one of them (anonymous speakers:
    ``مصدر عسكري`` / ``مصدر عسكري ميداني``; ``المصادر`` / ``مصادر من أقارب القياديين``)."""
    p, g = _words(pred), _words(gold)
    if not p or not g or p[0] != g[0]:
        return False
    shared = set(p) & set(g)
    return shared in (set(p), set(g)) or len(shared) * 2 >= max(len(p), len(g))


def speaker_matches(
    pred: dict[str, Any] | None,
    gold: dict[str, Any],
    named: Sequence[Any],
    entity_text: dict[str, str] | None = None,
) -> bool:
    """Whether a predicted speaker (the contract's mention record) is the gold quote's speaker.

    ``named`` are the article's gold entities (records with ``text`` and ``name_en``; plain
    English names are accepted too).  A gold speaker among them is matched by English name, or,
    when the prediction has no English name (a person the knowledge base does not know), by the
    Arabic name of the entity the prediction points to (``entity_text``: predicted entity id →
    text) or names itself: it must be the gold entity's name or a part of it (``الساهر`` of
    ``كاظم الساهر``).  Any other gold speaker (an anonymous source, several people speaking
    together) is matched by its Arabic words.
    """
    if pred is None:
        return False
    gold_en = gold.get("speaker_en") or ""
    people = [n.strip() for n in re.split(r"\band\b", gold_en) if n.strip()] or [gold_en]
    if pred.get("name_en") and any(names_match(pred["name_en"], n) for n in people):
        return True
    ents = [e if isinstance(e, dict) else {"name_en": e, "text": ""} for e in named]
    same = [e for e in ents if len(people) == 1 and names_match(gold_en, e.get("name_en"))]
    if same:
        names = [t for t in ((entity_text or {}).get(pred.get("entity") or ""), pred.get("text")) if t]
        return any(
            _same_entity_text(t, e.get("text") or "", pred.get("name_en")) for t in names for e in same
        )
    gold_text = gold.get("speaker_text") or ""
    return bool(gold_text) and _texts_match(pred.get("text") or "", gold_text)


def _same_entity_text(pred: str, gold: str, pred_name: str | None) -> bool:
    """The predicted Arabic name is the gold entity's name, or (unnamed in English) a part of it."""
    p, g = _words(pred), _words(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    return pred_name is None and set(p) <= set(g) and p[-1] == g[-1]


def _country(code: str | None) -> str | None:
    if not code:
        return None
    if code.startswith(_NON_COUNTRY):
        return code[:6]
    return code[:3]


def _same_text(a: str, b: str) -> bool:
    return _words(a) == _words(b)


def _mostly_same(pred: dict[str, Any], at: tuple[int, int], text: str) -> bool:
    """A predicted entity over the gold mention at ``at``: it covers it, or they share at least
    half the words of the longer one (``سلمان بن عبدالعزيز آل`` for ``سلمان بن عبدالعزيز آل سعود``)."""
    if pred["start"] <= at[0] and at[1] <= pred["end"]:
        return True
    lo, hi = max(pred["start"], at[0]), min(pred["end"], at[1])
    if hi <= lo:
        return False
    shared = len(_words(text[lo:hi]))
    return shared * 2 >= max(len(_words(pred["text"])), len(_words(text[at[0] : at[1]])))


# -- scoring ---------------------------------------------------------------------------------------------


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "predicted": n_pred, "gold": n_gold, "precision": p, "recall": r, "f1": f}


def _match(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of (overlap, gold, pred) pairs, largest overlap first."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, g, p in sorted(pairs, reverse=True):
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        out.append((g, p))
    return out


def score_quotes(text: str, gold: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """Quote hits of one article; ``record`` is the contract's analysis record."""
    named = [e for e in gold.get("entities", []) if e.get("name_en")]
    entity_text = {e["id"]: e["text"] for e in record.get("entities", [])}
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for q in gold.get("quotes", []):
        span = locate(text, q["text_start"], q["text_end"], cursor)
        spans.append(span)
        if span:
            cursor = span[0]
    preds = record.get("quotes", [])
    overlap: list[tuple[int, int, int]] = []
    with_speaker: list[tuple[int, int, int]] = []
    for gi, (q, span) in enumerate(zip(gold.get("quotes", []), spans)):
        if span is None:
            continue
        for pi, p in enumerate(preds):
            o = min(span[1], p["end"]) - max(span[0], p["start"])
            if o <= 0:
                continue
            overlap.append((o, gi, pi))
            if speaker_matches(p.get("speaker"), q, named, entity_text):
                with_speaker.append((o, gi, pi))
    hits = _match(with_speaker)
    any_hits = _match(overlap)
    direct_ok = sum(1 for g, p in hits if bool(preds[p]["direct"]) == bool(gold["quotes"][g]["direct"]))
    return {
        "gold": len(spans),
        "unlocated": sum(1 for s in spans if s is None),
        "predicted": len(preds),
        "hits": hits,
        "any_hits": any_hits,
        "direct_agree": direct_ok,
        "spans": spans,
    }


def score_entities(text: str, gold: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    preds = record.get("entities", [])
    rows = []
    for g in gold.get("entities", []):
        found = [p for p in preds if _same_text(p["text"], g["text"])]
        if not found:
            # the first mention of the gold text, covered by a prediction or sharing most of its words
            at = locate(text, g["text"], g["text"])
            if at is not None:
                found = [p for p in preds if _mostly_same(p, at, text)]
        want = _country(g.get("actor"))
        right_country = (
            any(
                _country(p.get("actor")) == want or (p.get("country") and p["country"] == want) for p in found
            )
            if want
            else False
        )
        right_name = any(names_match(p.get("name_en"), g.get("name_en")) for p in found)
        rows.append(
            {
                "text": g["text"],
                "actor": g.get("actor"),
                "name_en": g.get("name_en"),
                "found": bool(found),
                "right": bool(found) and (right_country or right_name),
                "name_ok": right_name,
                "got": sorted({f"{p.get('name_en')}/{p.get('actor')}" for p in found}),
            }
        )
    return {"rows": rows}


def evaluate(
    gold_records: Sequence[dict[str, Any]],
    *,
    analyze: Analyze | None = None,
    shared: Path = SHARED,
) -> dict[str, Any]:
    """Score ``analyze`` (default :func:`marsad.analyze`) on gold records; figures as a dict."""
    from marsad.pipeline import analyze as default_analyze
    from marsad.serialize import to_record

    run = analyze or default_analyze
    per_doc = []
    q_tp = q_any = n_pred = n_gold = direct_agree = 0
    link_total = link_found = link_right = name_total = name_right = 0
    for g in gold_records:
        text = article_text(g, shared)
        doc = run(text, published=_published(g), id=g["doc"])
        rec = to_record(doc)
        qs = score_quotes(text, g, rec)
        es = score_entities(text, g, rec)
        q_tp += len(qs["hits"])
        q_any += len(qs["any_hits"])
        n_pred += qs["predicted"]
        n_gold += qs["gold"]
        direct_agree += qs["direct_agree"]
        actors = [r for r in es["rows"] if r["actor"]]
        link_total += len(actors)
        link_found += sum(r["found"] for r in actors)
        link_right += sum(r["right"] for r in actors)
        named = [r for r in es["rows"] if r["name_en"]]
        name_total += len(named)
        name_right += sum(r["name_ok"] for r in named)
        per_doc.append(
            {"doc": g["doc"], "text": text, "gold": g, "record": rec, "quotes": qs, "entities": es}
        )
    return {
        "docs": len(gold_records),
        "quotes": _prf(q_tp, n_pred, n_gold),
        "quotes_any_speaker": _prf(q_any, n_pred, n_gold),
        "direct_agreement": direct_agree / q_tp if q_tp else 0.0,
        "linking": {
            "gold": link_total,
            "found": link_found,
            "right": link_right,
            "accuracy": link_right / link_total if link_total else 0.0,
        },
        "name_en": {
            "gold": name_total,
            "right": name_right,
            "accuracy": name_right / name_total if name_total else 0.0,
        },
        "per_doc": per_doc,
    }


# -- report ---------------------------------------------------------------------------------------------


def _line(label: str, s: dict[str, Any]) -> str:
    return (
        f"{label:<24} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
        f"   ({s['tp']} hits / {s['predicted']} predicted / {s['gold']} gold)"
    )


def report(result: dict[str, Any], title: str = "") -> str:
    lk, ne = result["linking"], result["name_en"]
    lines = [f"{title}{result['docs']} articles"]
    lines.append(_line("quotes (with speaker)", result["quotes"]))
    lines.append(_line("quotes (any speaker)", result["quotes_any_speaker"]))
    lines.append(
        f"{'linking (actor codes)':<24} accuracy {lk['accuracy']:.3f}   "
        f"({lk['right']} right, {lk['found']} found / {lk['gold']} gold entities with a code)"
    )
    lines.append(
        f"{'linking (English names)':<24} accuracy {ne['accuracy']:.3f}   ({ne['right']} / {ne['gold']})"
    )
    return "\n".join(lines)


def details(result: dict[str, Any]) -> str:
    """Misses and false alarms, article by article."""
    out = []
    for d in result["per_doc"]:
        gold, rec, qs = d["gold"], d["record"], d["quotes"]
        out.append(f"=== {d['doc']}")
        hit_g = {g for g, _ in qs["hits"]}
        hit_p = {p for _, p in qs["hits"]}
        any_g = dict(qs["any_hits"])
        preds = rec["quotes"]
        for gi, q in enumerate(gold.get("quotes", [])):
            if gi in hit_g:
                continue
            span = qs["spans"][gi]
            why = "not located" if span is None else "no overlap"
            if gi in any_g:
                sp = preds[any_g[gi]].get("speaker") or {}
                why = f"speaker {sp.get('text')!r}/{sp.get('name_en')}"
            out.append(
                f"  MISS  [{q['speaker_en']} | {q['speaker_text']}] {q['cue']}: {q['text_start']} ... ({why})"
            )
        for pi, p in enumerate(preds):
            if pi in hit_p:
                continue
            sp = p.get("speaker") or {}
            out.append(f"  FALSE [{sp.get('name_en')} | {sp.get('text')}] {p.get('cue')}: {p['text'][:70]}")
        for r in d["entities"]["rows"]:
            if r["actor"] and not r["right"]:
                out.append(
                    f"  LINK  {r['text']} ({r['name_en']}, {r['actor']}): "
                    f"{'found ' + ', '.join(r['got']) if r['found'] else 'not found'}"
                )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", action="append", type=Path, help="a gold .jsonl or .json file (repeatable)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses and false alarms")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    paths = args.gold or [p for p in DEFAULT_GOLD]
    missing = [p for p in paths if not p.exists()]
    if missing and not args.gold:
        print(f"skipped: needs {missing[0]} (the shared data folder; set MARSAD_SHARED)")
        return 0
    results = []
    for p in paths:
        res = evaluate(load_gold([p]))
        results.append((p, res))
    if args.json:
        print(
            json.dumps({str(p): {k: v for k, v in r.items() if k != "per_doc"} for p, r in results}, indent=2)
        )
        return 0
    for p, r in results:
        print(report(r, f"{p.name}: "))
        if args.verbose:
            print(details(r))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
