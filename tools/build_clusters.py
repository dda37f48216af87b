"""Build the word clusters the NER model uses, from the unlabeled SaudiNewsNet articles.

    nice python tools/build_clusters.py [--shared ../shared] [--out src/marsad/ner/data/clusters.tsv.gz]

Method (deterministic, fixed seed, numpy/scipy only):

1. Tokenise every title and article body (``\\w+`` runs and single punctuation marks) in the
   matching form of :func:`marsad.text.normalize.match_form`; digit runs become ``0``.
2. Count co-occurrences of each vocabulary word with the ``--contexts`` most frequent words at
   offsets -2, -1, +1, +2, each offset its own column block (word order matters for NER).
3. Positive PMI with context-distribution smoothing (alpha 0.75), then a seeded randomised SVD
   to ``--dim`` dimensions (U·sqrt(S)), rows L2-normalised.
4. Spherical k-means with ``--ks`` cluster counts (coarse to fine), seeded initialisation.
5. The same again with a bag of the words at -5..+5 (no word order): *topical* clusters
   (``--topic-ks``), which tell a football club from the city it is named after.

Output: a gzipped TSV ``word<TAB>t_k1...<TAB>c_k1<TAB>c_k2...`` (topical columns first, named
``t256``...) with a ``#`` header recording the settings and a ``#ks`` line naming the columns.
The clusters are derived from SaudiNewsNet (CC BY-NC-SA 4.0); see ``src/marsad/ner/MODEL_CARD.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
from scipy import sparse

from marsad.text.normalize import match_form

ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"\w+|[^\w\s]")
_DIGITS = re.compile(r"\d+")
OFFSETS = (-2, -1, 1, 2)
TOPIC_OFFSETS = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)


def read_articles(folder: Path) -> Iterator[str]:
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        sys.exit(f"no SaudiNewsNet zips in {folder}: pass --shared pointing at the shared data folder")
    for zpath in zips:
        with zipfile.ZipFile(zpath) as z:
            for name in sorted(z.namelist()):
                for art in json.loads(z.read(name)):
                    yield (art.get("title") or "") + "\n" + (art.get("content") or "")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(_DIGITS.sub("0", match_form(text)))


def spherical_kmeans(x: np.ndarray, k: int, seed: int, iters: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centroids = x[rng.choice(len(x), size=k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for it in range(iters):
        new = np.empty(len(x), dtype=np.int64)
        best = np.empty(len(x), dtype=x.dtype)
        for a in range(0, len(x), 8192):  # in blocks: the full similarity matrix may not fit
            sims = x[a : a + 8192] @ centroids.T
            new[a : a + 8192] = sims.argmax(axis=1)
            best[a : a + 8192] = sims.max(axis=1)
        changed = int((new != labels).sum()) if it else len(x)
        labels = new
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, x)
        norms = np.linalg.norm(sums, axis=1)
        empty = np.flatnonzero(norms == 0)
        centroids = sums / np.where(norms == 0, 1.0, norms)[:, None]
        # an empty cluster takes the points farthest from their centroids
        centroids[empty] = x[np.argsort(best)[: len(empty)]]
        if changed < len(x) // 2000:
            break
    # renumber clusters by first appearance in frequency order, so ids are stable and readable
    order: dict[int, int] = {}
    for lab in labels:
        order.setdefault(int(lab), len(order))
    return np.array([order[int(lab)] for lab in labels], dtype=np.int64)


def randomized_svd(
    m: sparse.csr_matrix, dim: int, seed: int, power: int = 4
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    q = m @ rng.standard_normal((m.shape[1], dim + 20))
    q, _ = np.linalg.qr(q)
    for _ in range(power):
        z, _ = np.linalg.qr(m.T @ q)
        q, _ = np.linalg.qr(m @ z)
    b = (m.T @ q).T
    ub, s, _ = np.linalg.svd(b, full_matrices=False)
    return (q @ ub)[:, :dim], s[:dim]


def embed(
    ids: np.ndarray, unk: int, n_ctx: int, offsets: tuple[int, ...], *, positional: bool, dim: int, seed: int
) -> np.ndarray:
    """Unit-length PPMI-SVD vectors of the vocabulary from co-occurrences at ``offsets``, each
    offset its own block of context columns when ``positional``, else one bag."""
    rows_all, cols_all = [], []
    for block, off in enumerate(offsets):
        if off < 0:
            tgt, ctx = ids[-off:], ids[:off]
        else:
            tgt, ctx = ids[:-off], ids[off:]
        keep = (tgt < unk) & (ctx < n_ctx)
        rows_all.append(tgt[keep])
        cols_all.append(ctx[keep] + (block * n_ctx if positional else 0))
    rows = np.concatenate(rows_all)
    cols = np.concatenate(cols_all)
    width = n_ctx * len(offsets) if positional else n_ctx
    cooc = sparse.coo_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(unk, width)).tocsr()
    cooc.sum_duplicates()
    total = cooc.sum()
    row_sum = np.asarray(cooc.sum(axis=1)).ravel()
    col_sum = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
    col_p = col_sum / col_sum.sum()
    coo = cooc.tocoo()
    pmi = np.log((coo.data / total) / ((row_sum[coo.row] / total) * col_p[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=cooc.shape)
    u, s = randomized_svd(ppmi, dim, seed)
    vec: np.ndarray = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-12
    return vec


def corpus_ids(
    folder: Path, *, max_words: int, min_count: int
) -> tuple[list[str], np.ndarray, int, int, int]:
    """The corpus's vocabulary (the ``max_words`` most frequent words seen ``min_count`` times or more,
    ties by the word) and every token as a vocabulary index, ``len(vocab)`` for the others and for
    the end of each article (so no context crosses articles).  Also the numbers of tokens, types and
    articles."""
    counts: Counter[str] = Counter()
    docs: list[list[str]] = []
    for text in read_articles(folder):
        toks = tokens(text)
        counts.update(toks)
        docs.append(toks)
    n_tokens = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    vocab = [w for w, c in ranked[:max_words] if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    unk = len(vocab)
    ids = np.fromiter(
        (index.get(w, unk) for toks in docs for w in [*toks, "\n"]),
        dtype=np.int64,
        count=n_tokens + len(docs),
    )
    return vocab, ids, n_tokens, len(counts), len(docs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "src/marsad/ner/data/clusters.tsv.gz")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--max-words", type=int, default=80_000)
    ap.add_argument("--contexts", type=int, default=10_000)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--ks", default="64,256,1024")
    ap.add_argument("--topic-ks", default="256,1024", help="topical clusters (bag of +-5 words); '' for none")
    ap.add_argument("--iters", type=int, default=25)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    t0 = time.time()

    vocab, ids, n_tokens, n_types, n_docs = corpus_ids(
        args.shared / "data" / "saudinewsnet", max_words=args.max_words, min_count=args.min_count
    )
    print(f"{n_docs} articles, {n_tokens} tokens, {n_types} types ({time.time() - t0:.0f}s)")
    n_ctx = min(args.contexts, len(vocab))
    unk = len(vocab)

    vec = embed(ids, unk, n_ctx, OFFSETS, positional=True, dim=args.dim, seed=args.seed)
    print(f"embeddings {vec.shape} ({time.time() - t0:.0f}s)")
    topic_ks = [int(k) for k in args.topic_ks.split(",") if k]
    labels = []
    names: list[str] = []
    if topic_ks:
        tvec = embed(ids, unk, n_ctx, TOPIC_OFFSETS, positional=False, dim=args.dim, seed=args.seed)
        for k in topic_ks:
            labels.append(spherical_kmeans(tvec, k, args.seed + k + 1, args.iters))
            names.append(f"t{k}")
            print(f"topical k={k} done ({time.time() - t0:.0f}s)")
        del tvec

    ks = [int(k) for k in args.ks.split(",")]
    for k in ks:
        labels.append(spherical_kmeans(vec, k, args.seed + k, args.iters))
        names.append(str(k))
        print(f"k={k} done ({time.time() - t0:.0f}s)")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw:
        out = raw
        header = (
            f"# word clusters for marsad NER: SaudiNewsNet (CC BY-NC-SA 4.0), {len(vocab)} words "
            f"(min count {args.min_count}), PPMI-SVD dim {args.dim} over offsets {OFFSETS} with "
            f"{n_ctx} context words, spherical k-means k={args.ks}, seed {args.seed}. "
            f"Built by tools/build_clusters.py\n"
        )
        out.write(header.encode("utf-8"))
        out.write(("#ks\t" + "\t".join(names) + "\n").encode("utf-8"))
        for i, w in enumerate(vocab):
            line = w + "\t" + "\t".join(str(int(lab[i])) for lab in labels) + "\n"
            out.write(line.encode("utf-8"))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, {time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
