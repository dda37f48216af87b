"""Instructions the ``ner`` stage executes on SaudiNewsNet articles, counted by callgrind.

    python bench/count_ner.py [--articles 64] [--batch 32]

Timing a small change on a shared machine is noise: its speed drifts by ±10 % from run to run.
An instruction count repeats: this script runs itself under ``valgrind --tool=callgrind`` with a
fixed ``PYTHONHASHSEED``, tags the articles once to warm the caches, turns the garbage
collector off, and counts only a second pass (callgrind's client requests, from a three-line C
library compiled on the spot), ``--batch`` articles per call (1: one per call, as
``marsad.analyze``; 32: as ``marsad analyze --jsonl``).  Needs valgrind, its headers
(Debian: ``valgrind``) and a C compiler; about five minutes for 64 articles, most of it loading
the model under valgrind.  Compare two versions of the code with the same arguments.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_HELPER = """#include <valgrind/callgrind.h>
void count_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void count_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS; }
"""
_CHILD = "MARSAD_COUNT_HELPER"  # set in the run under valgrind: the helper library's path


def parent(args: argparse.Namespace) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    need = "count_ner.py needs valgrind with its headers and a C compiler: apt-get install valgrind gcc"
    if shutil.which("valgrind") is None or cc is None:
        sys.exit(need)
    with tempfile.TemporaryDirectory() as tmp:
        src, lib = Path(tmp, "count.c"), Path(tmp, "libcount.so")
        src.write_text(_HELPER)
        built = subprocess.run(
            [cc, "-O2", "-shared", "-fPIC", "-o", str(lib), str(src)],
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode:
            sys.exit(f"{need}\n{built.stderr}")
        env = dict(os.environ, PYTHONHASHSEED="0", **{_CHILD: str(lib)})
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={tmp}/cg.out"]
        cmd += [sys.executable, __file__, "--articles", str(args.articles), "--batch", str(args.batch)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    sys.stdout.write(proc.stdout)
    counted = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode or counted is None:
        sys.exit(f"the run under valgrind failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    print(
        f"ner, warm caches, {args.articles} articles, {args.batch} per call: "
        f"{int(counted.group(1)):,} instructions"
    )


def child(args: argparse.Namespace, helper: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import saudinewsnet

    from marsad import pipeline
    from marsad.document import Document
    from marsad.ner import load_ner

    docs = []
    for a in saudinewsnet(limit=args.articles):
        doc = Document(text=a["content"], id=a["id"])
        for stage in (pipeline.structure, pipeline.tokens):
            doc = stage(doc)
        docs.append(doc)
    ner = load_ner()

    def tag() -> int:
        b = args.batch
        return sum(len(d.entities) for g in range(0, len(docs), b) for d in ner.many(docs[g : g + b]))

    tag()  # the caches warm
    count = ctypes.CDLL(helper)
    gc.collect()
    gc.disable()  # collections come at moments that depend on everything allocated before
    count.count_start()
    n = tag()
    count.count_stop()
    print(f"{sum(len(d.tokens) for d in docs):,} tokens, {n:,} entities")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32, help="articles per call of the stage (default 32)")
    args = ap.parse_args()
    helper = os.environ.get(_CHILD)
    if helper:
        child(args, helper)
    else:
        parent(args)


if __name__ == "__main__":
    main()
