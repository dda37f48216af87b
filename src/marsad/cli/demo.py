"""``marsad demo``: analyse the bundled sample corpus and print a readable report.

This is what ``make run`` runs: it needs nothing but the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..pipeline import analyze
from ..serialize import to_record
from ..text.dates import parse_date_arg
from .common import CliError, read_text_file

__all__ = ["register", "load_samples"]


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="analyse the bundled sample articles and print a report")
    p.add_argument("--samples", default="samples", help="folder of .txt and .jsonl articles (default: samples)")
    p.add_argument(
        "--output", default="out/analyses.jsonl", help="where to write the analyses (default: out/analyses.jsonl)"
    )
    p.add_argument("--limit", type=int, default=None, help="analyse at most this many articles")
    p.set_defaults(handler=_run)


def load_samples(folder: Path) -> list[dict[str, Any]]:
    """Input records from ``folder``: each ``.txt`` is one article, each ``.jsonl`` line one record."""
    if not folder.is_dir():
        raise CliError(f"{folder}: no such folder; run from the repository root or pass --samples DIR")
    records: list[dict[str, Any]] = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".txt":
            records.append({"id": path.name, "text": read_text_file(str(path), None)})
        elif path.suffix == ".jsonl":
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise CliError(f"{path}:{n}: not JSON ({exc.msg})") from None
    if not records:
        raise CliError(f"{folder}: holds no .txt or .jsonl articles")
    return records


def _short(s: str | None, n: int = 28) -> str:
    if not s:
        return "-"
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _run(args: argparse.Namespace) -> int:
    records = load_samples(Path(args.samples))[: args.limit]
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    docs = []
    with out.open("w", encoding="utf-8") as f:
        for rec in tqdm(records, desc="analysing", unit="article", file=sys.stderr):
            pub = parse_date_arg(rec["published"]) if rec.get("published") else None
            doc = analyze(rec["text"], published=pub, source=rec.get("source"), title=rec.get("title"), id=rec["id"])
            docs.append(doc)
            f.write(json.dumps(to_record(doc), ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - t0

    print(f"{'article':<22} {'source':<14} {'dateline':<12} {'date':<10} {'sent':>4} {'ent':>4} {'quo':>4} {'evt':>4}")
    for d in docs:
        src = d.source_hint or d.header.source_name
        dl = d.header.dateline.text if d.header.dateline else None
        print(
            f"{_short(d.id, 22):<22} {_short(src, 14):<14} {_short(dl, 12):<12} "
            f"{d.published.isoformat() if d.published else '-':<10} {len(d.sentences):>4} "
            f"{len(d.entities):>4} {len(d.quotes):>4} {len(d.events):>4}"
        )
    n_tok = sum(len(d.tokens) for d in docs)
    print()
    print(
        f"{len(docs)} articles, {sum(len(d.sentences) for d in docs)} sentences, {n_tok} tokens, "
        f"{sum(len(d.entities) for d in docs)} entities, {sum(len(d.quotes) for d in docs)} quotes, "
        f"{sum(len(d.events) for d in docs)} events in {elapsed:.2f} s"
    )
    types = Counter(v.type for d in docs for v in d.events)
    if types:
        print("events by type: " + ", ".join(f"{t} {n}" for t, n in types.most_common()))
    print(f"analyses written to {out}")
    return 0
