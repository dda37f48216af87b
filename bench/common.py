"""Helpers for the benchmarks: the SaudiNewsNet articles, one core, peak memory."""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))


def saudinewsnet(limit: int | None = None) -> list[dict[str, Any]]:
    """SaudiNewsNet articles in corpus order (zip by zip), each with an ``id``; exits 0 if absent."""
    folder = SHARED / "data" / "saudinewsnet"
    if not folder.is_dir():
        print(f"skipped: needs {folder}")
        sys.exit(0)
    out: list[dict[str, Any]] = []
    for z in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(z) as f:
            arr = json.loads(f.read(f.namelist()[0]))
        for i, a in enumerate(arr):
            a["id"] = f"{z.name}#{i}"
            out.append(a)
            if limit is not None and len(out) >= limit:
                return out
    return out


def subset_files(folder: Path, limit: int, tmp: Path) -> list[str]:
    """The first ``limit`` articles, as JSON files of the same shape (zip order kept)."""
    out, left = [], limit
    for z in sorted(folder.glob("*.zip")):
        if left <= 0:
            break
        with zipfile.ZipFile(z) as f:
            arr = json.loads(f.read(f.namelist()[0]))[:left]
        left -= len(arr)
        p = tmp / f"{z.stem}.json"
        p.write_text(json.dumps(arr, ensure_ascii=False), encoding="utf-8")
        out.append(str(p))
    return out


def sample(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` SaudiNewsNet articles drawn at random (seeded) from the whole corpus.

    The corpus's first zip holds long articles (about 560 words each against 284 overall), so the
    first ``n`` are not representative; a seeded draw is, and stays the same from run to run.
    """
    articles = saudinewsnet()
    random.Random(seed).shuffle(articles)
    return articles[:n]


def one_core() -> None:
    """Pin this process to one CPU, so figures are per core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
