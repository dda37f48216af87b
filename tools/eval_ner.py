"""Score NER on a ``token TAG`` (IOB2) file through the public interface, CoNLL exact match.

    python tools/eval_ner.py FILE [--group N] [--errors K]

Each sentence's tokens are joined with spaces into a text (``--group N`` puts N consecutive
sentences into one text, one per line, so document-level context counts as in an article;
default 1), the texts go through ``marsad analyze --jsonl`` (the real command, in a subprocess),
(or, with ``--model``, the same pipeline in-process with another model file; ``--ner-only``
stops it after the ``ner`` stage), and each
predicted entity is mapped back to the file's tokens: the token holding its first
character through the token holding its last (an entity that starts after a proclitic, such as
``لافروف`` in ``للافروف``, maps to that whole token, as the file's tokens keep their clitics).
Prints precision, recall and F1 overall and per type (``PERS`` is read as ``PER``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from marsad.ner.conll import Score, read_conll, score_spans, tag_spans

CharSpan = tuple[int, int, str]
Predictor = Callable[[list[str]], list[list[CharSpan]]]


def cli_predictor(texts: list[str]) -> list[list[CharSpan]]:
    """Entities of each text from ``marsad analyze --jsonl``."""
    lines = "".join(
        json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)
    )
    proc = subprocess.run(
        [sys.executable, "-m", "marsad", "analyze", "--jsonl"],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if proc.returncode:
        sys.exit(
            f"marsad analyze --jsonl failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}"
        )
    out: dict[int, list[CharSpan]] = {}
    for line in proc.stdout.decode("utf-8").splitlines():
        rec = json.loads(line)
        if "error" in rec:
            sys.exit(f"marsad analyze failed on record {rec.get('id')}: {rec['error']}")
        out[int(rec["id"])] = [(e["start"], e["end"], e["type"]) for e in rec.get("entities", [])]
    return [out.get(i, []) for i in range(len(texts))]


def model_predictor(model: Path, ner_only: bool = False) -> Predictor:
    """Entities from the in-process pipeline with the ``ner`` stage using another model file
    (``MODEL.crfsuite`` with its ``MODEL.json`` beside it, as ``train_ner.py --save-dev`` writes):
    the whole analysis, as ``marsad analyze`` runs it (linking adds the names NER missed that the
    knowledge base knows, and joins NER's pieces of one name), or with ``ner_only`` the stages up
    to ``ner``."""
    from marsad.ner import load_ner
    from marsad.pipeline import Pipeline, default_pipeline

    stages = []
    for s in default_pipeline().stages:
        stages.append(load_ner(model=model) if s.name == "ner" else s)
        if s.name == "ner" and ner_only:
            break
    pipe = Pipeline(stages)

    def predict(texts: list[str]) -> list[list[CharSpan]]:
        return [[(e.start, e.end, e.type) for e in pipe.analyze(t).entities] for t in texts]

    return predict


def build_texts(
    sents: Sequence[tuple[list[str], list[str]]], group: int
) -> list[tuple[str, list[tuple[int, int]], list[str]]]:
    """Texts of ``group`` sentences each, with every token's character span and the tags."""
    out = []
    for g in range(0, len(sents), group):
        parts: list[str] = []
        offsets: list[tuple[int, int]] = []
        tags: list[str] = []
        pos = 0
        for words, ts in sents[g : g + group]:
            if parts:
                parts.append("\n")
                pos += 1
            for j, w in enumerate(words):
                if j:
                    parts.append(" ")
                    pos += 1
                parts.append(w)
                offsets.append((pos, pos + len(w)))
                pos += len(w)
            tags.extend(ts)
        out.append(("".join(parts), offsets, tags))
    return out


def to_token_spans(spans: list[CharSpan], offsets: list[tuple[int, int]]) -> set[tuple[int, int, str]]:
    """Character spans → token spans (first token touched through last token touched)."""
    out: set[tuple[int, int, str]] = set()
    for start, end, typ in spans:
        first = next((i for i, (a, b) in enumerate(offsets) if b > start), None)
        last = next((i for i in range(len(offsets) - 1, -1, -1) if offsets[i][0] < end), None)
        if first is not None and last is not None and first <= last:
            out.add((first, last + 1, typ))
    return out


def evaluate(
    sents: Sequence[tuple[list[str], list[str]]], predict: Predictor, group: int = 1
) -> tuple[
    dict[str, Score], list[tuple[str, set[tuple[int, int, str]], set[tuple[int, int, str]], list[str]]]
]:
    """Scores, and per text (text, gold spans, predicted spans, tokens) for error listings."""
    texts = build_texts(sents, group)
    preds = predict([t for t, _, _ in texts])
    gold_all, pred_all, rows = [], [], []
    for (text, offsets, tags), spans in zip(texts, preds, strict=True):
        gold = tag_spans(tags)
        pred = to_token_spans(spans, offsets)
        gold_all.append(gold)
        pred_all.append(pred)
        rows.append((text, gold, pred, [text[a:b] for a, b in offsets]))
    return score_spans(gold_all, pred_all), rows


def report(scores: dict[str, Score]) -> str:
    lines = [f"{'type':<5} {'precision':>9} {'recall':>7} {'F1':>7} {'gold':>6} {'pred':>6}"]
    for t in ["ALL", *sorted(k for k in scores if k != "ALL")]:
        s = scores[t]
        lines.append(
            f"{t:<5} {s.precision:>9.4f} {s.recall:>7.4f} {s.f1:>7.4f} {s.tp + s.fn:>6} {s.tp + s.fp:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", type=Path, help="token TAG file, IOB2, blank line between sentences")
    ap.add_argument("--group", type=int, default=1, help="sentences per analysed text (default 1)")
    ap.add_argument("--model", type=Path, help="score this model file in-process instead of the packaged one")
    ap.add_argument(
        "--ner-only",
        action="store_true",
        help="with --model: the entities of the ner stage, before linking (default: the whole analysis)",
    )
    ap.add_argument("--errors", type=int, default=0, help="list the K most frequent misses and false alarms")
    args = ap.parse_args(argv)
    if not args.file.exists():
        sys.exit(
            f"{args.file}: no such file: give a 'token TAG' file such as ../shared/data/anercorp/train.txt"
        )
    try:
        sents = read_conll(args.file)
    except ValueError as exc:
        sys.exit(str(exc))
    t0 = time.perf_counter()
    if args.ner_only and not args.model:
        sys.exit("--ner-only needs --model: the packaged model is scored through `marsad analyze --jsonl`")
    predictor = model_predictor(args.model, args.ner_only) if args.model else cli_predictor
    scores, rows = evaluate(sents, predictor, args.group)
    secs = time.perf_counter() - t0
    n_tok = sum(len(w) for w, _ in sents)
    print(f"{args.file}: {len(sents)} sentences, {n_tok} tokens, {len(rows)} texts; analysed in {secs:.1f} s")
    print(report(scores))
    if args.errors:
        misses: Counter[str] = Counter()
        false: Counter[str] = Counter()
        for _text, gold, pred, toks in rows:
            for s, e, t in gold - pred:
                misses[f"{' '.join(toks[s:e])} {t}"] += 1
            for s, e, t in pred - gold:
                false[f"{' '.join(toks[s:e])} {t}"] += 1
        print("missed:", ", ".join(f"{k} ×{n}" for k, n in misses.most_common(args.errors)))
        print("false: ", ", ".join(f"{k} ×{n}" for k, n in false.most_common(args.errors)))


if __name__ == "__main__":
    main()
