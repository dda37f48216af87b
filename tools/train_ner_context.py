"""Train the context model the neural NER tagger reads: a cloze model on the unlabeled SaudiNewsNet.

    nice python tools/train_ner_context.py [--shared ../shared] [--vectors /tmp/ner_vectors.npz] \
        [--out /tmp/ner_context.npz]

A sentence of labelled training data shows the tagger a name in one context; ten million words
of news show which contexts hold names.  This model learns, from the words around a position
alone (three on each side, not the word itself), to guess the word clusters of the word there
(``clusters.tsv.gz``: the syntactic clusters at 256 and 1,024 and the topical ones at 256, plus
a class for words too rare to have one).  A context that predicts a cluster of person names (or a
rare word) says "a name goes here" even when the word itself was never seen.  Its last hidden
layer (``--out-dim`` numbers per token) becomes an input of the BiLSTM of
``tools/train_ner_nn.py --context FILE``, which bundles these weights into ``ner.npz``.

Architecture (each token, numpy at tagging time, see ``marsad.ner.neural.ContextModel``): the
neighbours' word vectors (the tagger's own int8 vectors of ``tools/build_ner_vectors.py``: of the
word, else of its clitic-stripped stem; learned vectors for an unknown word and for the sentence
edge) projected to ``--proj`` dimensions, the six projections concatenated → ``--hidden`` ReLU →
``--out-dim`` ReLU; then one linear layer per cluster table, trained with cross-entropy.

Data: every title and body of SaudiNewsNet, in the matching form with digit runs as ``0``, split
into lines and after ``. ! ? ؟``; the last 1 % of the sentences are held out to report the
cluster accuracy.  Deterministic (seeded, one thread).  Needs PyTorch (``pip install -e .[tools]``).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
import torch
from build_clusters import read_articles, tokens
from torch import nn
from train_ner_nn import load_vectors

from marsad.ner.features import Clusters
from marsad.ner.neural import CONTEXT_OFFSETS, ContextModel, dequantise, quantise
from marsad.text.normalize import match_form
from marsad.text.tokenize import segment

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "marsad" / "ner" / "data"
TARGETS = ("256", "1024", "t256")  # the cluster tables the model learns to guess
_END = frozenset(".!?؟")
_DIGITS = re.compile(r"\d+")


class Cloze(nn.Module):
    def __init__(self, vectors: np.ndarray, proj: int, hidden: int, out_dim: int, classes: list[int]) -> None:
        super().__init__()
        self.n_words = len(vectors)
        pad = np.zeros((2, vectors.shape[1]), np.float32)
        self.vec: torch.Tensor
        self.register_buffer("vec", torch.from_numpy(np.concatenate([vectors, pad])))
        self.proj = nn.Linear(vectors.shape[1], proj)
        self.special = nn.Parameter(torch.randn(2, proj) * 0.1)  # unknown word, sentence edge
        n = len(CONTEXT_OFFSETS)
        self.hidden = nn.Linear(n * proj, hidden)
        self.out = nn.Linear(hidden, out_dim)
        self.heads = nn.ModuleList(nn.Linear(out_dim, k) for k in classes)

    def forward(self, ctx: torch.Tensor) -> torch.Tensor:
        """``ctx``: (batch, offsets) rows of the table."""
        x = self.proj(self.vec[ctx])
        extra = ctx >= self.n_words
        x = torch.where(extra.unsqueeze(-1), self.special[(ctx - self.n_words).clamp(min=0)], x)
        return torch.relu(self.out(torch.relu(self.hidden(x.flatten(1)))))


def corpus(
    folder: Path, index: dict[str, int], tables: list[dict[str, int]], limit: int
) -> tuple[np.ndarray, list[np.ndarray], int]:
    """The corpus as one stream of table rows, three edge rows between sentences (so a window never
    reaches into the next sentence); the targets per position of each cluster table (-1 at the
    edges); the number of sentences."""
    unk, edge = len(index), len(index) + 1
    gap = max(abs(k) for k in CONTEXT_OFFSETS)
    rows: list[int] = [edge] * gap
    targets: list[list[int]] = [[-1] * gap for _ in tables]
    memo: dict[str, tuple[int, tuple[int, ...]]] = {}
    rare = [len(set(t.values())) for t in tables]  # the class of a word without a cluster

    def row_of(tok: str) -> tuple[int, tuple[int, ...]]:
        got = memo.get(tok)
        if got is None:
            row = index.get(tok, -1)
            if row < 0 and tok.isalpha():
                n_pro, n_enc = segment(tok)
                if n_pro or n_enc:
                    row = index.get(_DIGITS.sub("0", match_form(tok[n_pro : len(tok) - n_enc])), -1)
            got = memo[tok] = (row if row >= 0 else unk, tuple(t.get(tok, r) for t, r in zip(tables, rare)))
        return got

    sentences = 0
    for text in read_articles(folder):
        for line in text.split("\n"):
            sent: list[str] = []
            for tok in tokens(line):
                sent.append(tok)
                if tok in _END:
                    sentences += _emit(sent, row_of, rows, targets, edge, gap)
                    sent = []
            sentences += _emit(sent, row_of, rows, targets, edge, gap)
        if limit and sentences >= limit:
            break
    return np.array(rows, np.int32), [np.array(t, np.int16) for t in targets], sentences


def _emit(
    sent: list[str],
    row_of: Callable[[str], tuple[int, tuple[int, ...]]],
    rows: list[int],
    targets: list[list[int]],
    edge: int,
    gap: int,
) -> int:
    if len(sent) < 2:
        return 0
    for tok in sent:
        row, ys = row_of(tok)
        rows.append(row)
        for t, y in zip(targets, ys):
            t.append(y)
    rows.extend([edge] * gap)
    for t in targets:
        t.extend([-1] * gap)
    return 1


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--vectors", type=Path, default=Path("/tmp/ner_vectors.npz"))
    ap.add_argument("--max-vectors", type=int, default=50_000, help="as tools/train_ner_nn.py's")
    ap.add_argument("--out", type=Path, default=Path("/tmp/ner_context.npz"))
    ap.add_argument("--proj", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--out-dim", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--limit", type=int, default=0, help="read only this many sentences (a quick run)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    if not args.vectors.exists():
        sys.exit(f"{args.vectors} not found: build it with tools/build_ner_vectors.py --out {args.vectors}")
    if not args.out.parent.is_dir():
        sys.exit(f"{args.out.parent} is not a folder: pass --out inside an existing one")
    t0 = time.time()
    words, raw = load_vectors(args.vectors, args.max_vectors)
    vectors = dequantise(*quantise(raw))  # as the tagger reads them
    clusters = Clusters.read(gzip.decompress((DATA / "clusters.tsv.gz").read_bytes()).decode("utf-8"))
    tables = [{w: int(ids[clusters.ks.index(k)]) for w, ids in clusters.table.items()} for k in TARGETS]
    classes = [len(set(t.values())) + 1 for t in tables]
    rows, ys, n_sent = corpus(
        args.shared / "data" / "saudinewsnet", {w: i for i, w in enumerate(words)}, tables, args.limit
    )
    print(f"{n_sent} sentences, {int((ys[0] >= 0).sum())} tokens ({time.time() - t0:.0f} s)", flush=True)
    positions = np.flatnonzero(ys[0] >= 0)
    cut = positions[int(len(positions) * 0.99)]
    train_pos, held_pos = positions[positions < cut], positions[positions >= cut]
    offs = np.array(CONTEXT_OFFSETS)
    rows_t = torch.from_numpy(rows.astype(np.int64))
    ys_t = [torch.from_numpy(y.astype(np.int64)) for y in ys]
    net = Cloze(vectors, args.proj, args.hidden, args.out_dim, classes)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(args.seed)
    offs_t = torch.from_numpy(offs)
    loss_fn = nn.CrossEntropyLoss()

    def held_accuracy() -> list[float]:
        net.eval()
        hits = [0] * len(ys_t)
        with torch.no_grad():
            for a in range(0, len(held_pos), 8192):
                pos = torch.from_numpy(held_pos[a : a + 8192])
                h = net(rows_t[pos[:, None] + offs_t])
                for k, head in enumerate(net.heads):
                    hits[k] += int((head(h).argmax(dim=1) == ys_t[k][pos]).sum())
        net.train()
        return [x / len(held_pos) for x in hits]

    steps = (len(train_pos) + args.batch - 1) // args.batch
    total_steps = steps * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.05, 1.0 - s / total_steps))
    for epoch in range(1, args.epochs + 1):
        order = torch.from_numpy(train_pos)[torch.randperm(len(train_pos), generator=gen)]
        total = 0.0
        for s in range(steps):
            pos = order[s * args.batch : (s + 1) * args.batch]
            h = net(rows_t[pos[:, None] + offs_t])
            loss = sum(loss_fn(head(h), y[pos]) for head, y in zip(net.heads, ys_t))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
            if (s + 1) % 2000 == 0:
                print(
                    f"  epoch {epoch} step {s + 1}/{steps}: loss {total / (s + 1):.3f} ({time.time() - t0:.0f} s)",
                    flush=True,
                )
        acc = " ".join(f"{k} {a:.3f}" for k, a in zip(TARGETS, held_accuracy()))
        print(
            f"epoch {epoch}: loss {total / steps:.3f}, held-out cluster accuracy {acc} ({time.time() - t0:.0f} s)",
            flush=True,
        )
    arrays = {
        "ctx_proj_w": net.proj.weight.detach().numpy().T.copy(),
        "ctx_proj_b": net.proj.bias.detach().numpy(),
        "ctx_special": net.special.detach().numpy(),
        "ctx_w1": net.hidden.weight.detach().numpy().T.copy(),
        "ctx_b1": net.hidden.bias.detach().numpy(),
        "ctx_w2": net.out.weight.detach().numpy().T.copy(),
        "ctx_b2": net.out.bias.detach().numpy(),
        "ctx_offsets": offs.astype(np.int64),
        "ctx_words": np.array(len(words)),
    }
    arrays.update(standardise(arrays, vectors, rows, held_pos))
    np.savez(args.out, **arrays)  # type: ignore[arg-type]
    print(f"wrote {args.out} ({time.time() - t0:.0f} s)")


def standardise(
    arrays: dict[str, np.ndarray], vectors: np.ndarray, rows: np.ndarray, positions: np.ndarray
) -> dict[str, np.ndarray]:
    """``ctx_mean`` and ``ctx_scale`` (1 / std; 0 for a unit that never varies) of the model's
    outputs at ``positions`` of the row stream ``rows`` (the held-out sentences)."""
    model = ContextModel(arrays, vectors)  # not yet standardised
    x = model.table[rows[positions[:, None] + np.array(model.offsets)]].reshape(len(positions), -1)
    out = np.maximum(np.maximum(x @ model.w1 + model.b1, 0.0) @ model.w2 + model.b2, 0.0)
    std = out.std(axis=0)
    scale = np.where(std > 1e-6, 1.0 / np.maximum(std, 1e-6), 0.0)
    return {"ctx_mean": out.mean(axis=0).astype(np.float32), "ctx_scale": scale.astype(np.float32)}


if __name__ == "__main__":
    main()
