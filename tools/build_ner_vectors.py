"""Build the word vectors the neural NER tagger starts from, from the unlabeled SaudiNewsNet articles.

    nice python tools/build_ner_vectors.py [--shared ../shared] [--out /tmp/ner_vectors.npz]

The same deterministic PPMI-SVD as ``tools/build_clusters.py`` (whose tokenisation and
embedding code this reuses): the ``--max-words`` most frequent words (matching form, digit runs
as ``0``), a *syntactic* part from the words at -2, -1, +1, +2 (each offset its own context
block) and a *topical* part from a bag of the words at -5..+5, each L2-normalised, concatenated.
Output: an ``.npz`` with ``words`` (one string, newline-separated) and ``vectors`` (float32).
``tools/train_ner_nn.py`` reads it and packages the vectors it keeps as int8.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from build_clusters import OFFSETS, ROOT, TOPIC_OFFSETS, corpus_ids, embed


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=Path("/tmp/ner_vectors.npz"))
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--max-words", type=int, default=80_000)
    ap.add_argument("--contexts", type=int, default=10_000)
    ap.add_argument("--dim", type=int, default=64, help="syntactic dimensions")
    ap.add_argument("--topic-dim", type=int, default=32, help="topical dimensions (0 for none)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    t0 = time.time()
    vocab, ids, n_tokens, _types, n_docs = corpus_ids(
        args.shared / "data" / "saudinewsnet", max_words=args.max_words, min_count=args.min_count
    )
    print(f"{n_docs} articles, {n_tokens} tokens ({time.time() - t0:.0f}s)", flush=True)
    n_ctx = min(args.contexts, len(vocab))
    unk = len(vocab)
    parts = [embed(ids, unk, n_ctx, OFFSETS, positional=True, dim=args.dim, seed=args.seed)]
    print(f"syntactic {parts[0].shape} ({time.time() - t0:.0f}s)", flush=True)
    if args.topic_dim:
        parts.append(
            embed(ids, unk, n_ctx, TOPIC_OFFSETS, positional=False, dim=args.topic_dim, seed=args.seed)
        )
        print(f"topical {parts[1].shape} ({time.time() - t0:.0f}s)", flush=True)
    vec = np.concatenate(parts, axis=1).astype(np.float32)
    np.savez(args.out, words="\n".join(vocab), vectors=vec)
    print(f"wrote {args.out} {vec.shape} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
