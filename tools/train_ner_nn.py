"""Train the neural NER tagger (BiLSTM-CRF over cached word inputs) from ANERcorp's training part.

    nice python tools/train_ner_nn.py                  # fit on train minus dev, early-stop on dev
    nice python tools/train_ner_nn.py --folds 5        # also cross-validate (fixed epoch count)
    nice python tools/train_ner_nn.py --folds 5 --crf-folds DIR   # ... and score it with the CRF
    nice python tools/train_ner_nn.py --final          # refit on all of train.txt, write the model

Needs PyTorch (``pip install -e .[tools]``; the package itself runs the model in numpy, see
``marsad/ner/neural.py``) and the word vectors of ``tools/build_ner_vectors.py``.  The dev block
is the same as ``tools/train_ner.py``'s (the last 10 % of the sentences); the held-out test split
is never read.  Deterministic: fixed seeds, one thread, a seeded data order.  The dev score of
every epoch is computed by the numpy tagger on the exported weights, so it is the score the
package gets.  ``--final`` trains on everything for the best dev epoch count (or ``--epochs``
with ``--skip-dev``) and writes ``ner.npz`` to ``src/marsad/ner/data/``, where it joins the CRF
of ``model.json`` as an ensemble (the two models' marginals pooled, ``--weight`` for the
network's, ``--pool`` the mean by default; ``marsad.ner.models.EnsembleModel``); with ``--alone``
it replaces the CRF instead
(``model.json`` then says ``"kind": "neural"``).

``--extra DIR`` adds pseudo-labelled news (``tools/ner_pseudo.py``: SaudiNewsNet sentences the
ensemble tags confidently) to the training sentences of each run, self-training the network.
The packaged network is trained so, with ``--word-drop 0.1 --weight 0.5``, in two rounds: a plain
network (no ``--extra``) tags the news with the CRF for a first student, which tags it again for
the packaged one; both students start from the network pretrained as a language model
(``--init``, ``tools/pretrain_ner_lm.py``).  The recipe is in ``marsad/ner/MODEL_CARD.md``.

``--context FILE`` adds the output of a context model (``tools/train_ner_context.py``) to the
network's inputs and bundles its weights into the model; ``--keep-folds DIR`` keeps each
cross-validation fold's network (``foldK.npz``) for experiments on the fold models.

The ensemble is scored the way it runs: ``--crf-folds DIR`` (the fold models that
``tools/train_ner.py --folds 5 --keep-folds DIR`` keeps) pairs each fold's network with the CRF of
the same fold; ``--attach MODEL.crfsuite`` pairs the dev network saved by ``--save-dev`` with a
CRF saved the same way, for ``tools/eval_ner.py --model MODEL.crfsuite``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import ner_profile
import numpy as np
import torch
from torch import nn
from train_ner import as_record, print_scores, segmentation_sample, split

from marsad.ner import load_ner
from marsad.ner.conll import read_conll, score_spans, tag_spans, to_iob2, to_iobes
from marsad.ner.features import Clusters, FeatureSettings, Featurizer, Profile
from marsad.ner.gazetteer import Gazetteer, read_gazetteer_file
from marsad.ner.models import POOLS, CrfModel, EnsembleModel, NerModel, NeuralModel
from marsad.ner.neural import (
    CHAR_DIM,
    LABELS,
    MAX_CHARS,
    ContextModel,
    NeuralInputs,
    NeuralTagger,
    allowed_transitions,
    char_ids,
    char_text,
    dequantise,
    quantise,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "marsad" / "ner" / "data"
Sents = list[tuple[list[str], list[str]]]


class Net(nn.Module):
    def __init__(
        self,
        n_feat: int,
        vectors: np.ndarray,
        d_feat: int,
        hidden: int,
        dropout: float,
        feat_drop: float,
        n_chars: int,
        char_filters: int,
        d_ctx: int = 0,
        word_drop: float = 0.0,
        oov_feat: int = -1,
    ) -> None:
        """``word_drop``: in training, show each word with this probability as an unknown one (no
        vector, the features ``oov_feat`` alone)."""
        super().__init__()
        self.word_drop = word_drop
        self.oov_feat = oov_feat
        self.n_feat = n_feat
        self.char_filters = char_filters
        if char_filters:
            self.char_emb = nn.Embedding(n_chars, CHAR_DIM, padding_idx=0)
            self.conv = nn.Conv1d(CHAR_DIM, char_filters, 3)
        self.feat_drop = feat_drop
        self.feat = nn.Embedding(n_feat + 1, d_feat, padding_idx=n_feat)
        nn.init.normal_(self.feat.weight, std=0.1)
        with torch.no_grad():
            self.feat.weight[n_feat].zero_()
        vec = np.concatenate([vectors, np.zeros((1, vectors.shape[1]), np.float32)])
        self.vec: torch.Tensor
        self.register_buffer("vec", torch.from_numpy(vec))
        d_in = d_feat + vectors.shape[1] + char_filters + 8 + d_ctx
        self.lstm = nn.LSTM(d_in, hidden, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden, len(LABELS))
        n = len(LABELS)
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))
        t, s, e = allowed_transitions()
        self.register_buffer("bad_t", torch.from_numpy(np.where(t, 0.0, -1e4).astype(np.float32)))
        self.register_buffer("bad_s", torch.from_numpy(np.where(s, 0.0, -1e4).astype(np.float32)))
        self.register_buffer("bad_e", torch.from_numpy(np.where(e, 0.0, -1e4).astype(np.float32)))

    def emissions(self, *inputs: torch.Tensor) -> torch.Tensor:
        """Each label's score at each token; ``inputs`` as for ``states``."""
        return self.out(self.drop(self.states(*inputs)))

    def states(
        self,
        fids: torch.Tensor,
        fcount: torch.Tensor,
        vrow: torch.Tensor,
        chars: torch.Tensor,
        gaz: torch.Tensor,
        ctx: torch.Tensor,
        lens: torch.Tensor,
    ) -> torch.Tensor:
        """The BiLSTM's states (forward, then backward) over a batch of ``Encoded.batch``'s inputs."""
        if self.training and self.feat_drop:  # drop single features, so none is relied on alone
            keep = torch.rand(fids.shape) >= self.feat_drop
            fids = torch.where(keep, fids, torch.full_like(fids, self.n_feat))
            fcount = (fids != self.n_feat).sum(dim=2).float()
        if self.training and self.word_drop:  # a word as if never seen: names must come from context
            drop = torch.rand(vrow.shape) < self.word_drop
            vrow = torch.where(drop, torch.full_like(vrow, self.vec.shape[0] - 1), vrow)
            unknown = torch.full_like(fids, self.n_feat)
            unknown[:, :, 0] = self.oov_feat
            fids = torch.where(drop.unsqueeze(-1), unknown, fids)
            fcount = (fids != self.n_feat).sum(dim=2).float()
        sym = self.feat(fids).sum(dim=2) / fcount.clamp(min=1).unsqueeze(-1)
        parts = [sym, self.vec[vrow]]
        if self.char_filters:
            b, t, n = chars.shape
            ce = self.char_emb(chars.view(b * t, n)).transpose(1, 2)  # (b*t, dim, n)
            parts.append(self.conv(ce).max(dim=2).values.view(b, t, -1))
        x = torch.cat([*parts, gaz, ctx], dim=2)
        x = self.drop(x)
        packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
        return h

    def nll(self, emit: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        trans = self.trans + self.bad_t
        start = self.start + self.bad_s
        end = self.end + self.bad_e
        b, t_max, _ = emit.shape
        ar = torch.arange(b)
        # gold path score
        score = start[tags[:, 0]] + emit[ar, 0, tags[:, 0]]
        for t in range(1, t_max):
            step = trans[tags[:, t - 1], tags[:, t]] + emit[ar, t, tags[:, t]]
            score = score + step * mask[:, t]
        last = tags[ar, mask.sum(dim=1).long() - 1]
        score = score + end[last]
        # partition
        alpha = start + emit[:, 0]
        for t in range(1, t_max):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + emit[:, t]
            alpha = torch.where(mask[:, t].unsqueeze(1) > 0, nxt, alpha)
        log_z = torch.logsumexp(alpha + end, dim=1)
        return (log_z - score).sum()


# The plain network's weight in the ensemble that tags news for self-training (tools/ner_pseudo.py);
# the self-trained networks (two rounds, --word-drop 0.1) have --weight 0.5 (MODEL_CARD.md).
WEIGHT = 0.4


def network_settings(profile: bool = False) -> FeatureSettings:
    """The CRF features the network reads (``profile``: the word profiles too, ``--profiles``)."""
    return FeatureSettings(ngrams=True, cluster_bigrams=True, profile=profile)


def load_vectors(path: Path, limit: int) -> tuple[list[str], np.ndarray]:
    z = np.load(path)
    words = str(z["words"]).split("\n")[:limit]
    return words, z["vectors"][:limit].astype(np.float32)


def build_features(parts: list[tuple[Featurizer, Sents]], min_count: int) -> list[str]:
    counts: Counter[str] = Counter()
    for feat, data in parts:
        for words, _ in data:
            for w in words:
                counts.update(feat.word(w).own)
    counts.update({"v=w": min_count, "v=s": min_count, "v=oov": min_count})
    return sorted(f for f, c in counts.items() if c >= min_count)


def load_pretrained(path: Path, hidden: int, feat_dim: int) -> dict[str, Any]:
    """The language model of ``tools/pretrain_ner_lm.py`` at ``path``, checked against this run's sizes."""
    try:
        pre = torch.load(path, weights_only=True)
        sizes = (pre["settings"]["hidden"], pre["settings"]["feat_dim"])
        missing = [k for k in ("lstm.weight_ih_l0", "feat.weight") if k not in pre["state"]]
        if missing or not isinstance(pre["features"], list):
            raise KeyError(missing or "features")
    except (OSError, RuntimeError, KeyError, TypeError) as exc:
        sys.exit(f"{path} is not a pretrained language model ({exc}): make it with tools/pretrain_ner_lm.py")
    if sizes != (hidden, feat_dim):
        sys.exit(
            f"{path} has hidden {sizes[0]} and feat-dim {sizes[1]}, this run {hidden} and {feat_dim}: "
            f"pass the same sizes, or pretrain with tools/pretrain_ner_lm.py --hidden {hidden} --feat-dim {feat_dim}"
        )
    return pre


def init_from(net: Net, features: list[str], pre: dict[str, Any]) -> int:
    """Start ``net`` from the pretrained language model ``pre``: its LSTM, and the embedding of each
    of ``features`` that the language model learnt (the others keep their random start).
    Returns how many features were pretrained."""
    state = pre["state"]
    got, want = tuple(state["lstm.weight_ih_l0"].shape), tuple(net.lstm.weight_ih_l0.shape)
    if got != want:  # the language model reads the plain network's inputs
        sys.exit(
            f"the pretrained language model's LSTM takes {got[1]} inputs, this network {want[1]}: "
            "--init works without --char-filters and --context"
        )
    index = {f: i for i, f in enumerate(pre["features"])}
    shared = [(i, j) for i, f in enumerate(features) if (j := index.get(f)) is not None]
    with torch.no_grad():
        for name, param in net.lstm.named_parameters():
            param.copy_(state["lstm." + name])
        if shared:
            rows, src = zip(*shared)
            net.feat.weight[list(rows)] = state["feat.weight"][list(src)]
    return len(shared)


def repair(tags: list[str]) -> list[str]:
    """A stray ``I-`` (after ``O`` or another type) starts an entity, as the scorer reads it."""
    out = []
    for i, t in enumerate(tags):
        if t[0] == "I" and (i == 0 or tags[i - 1][2:] != t[2:]):
            t = "B" + t[1:]
        out.append(t)
    return out


class Encoded:
    """Sentences as padded-ready arrays, each part of them through its own NeuralInputs."""

    def __init__(
        self,
        parts: list[tuple[NeuralInputs, Sents]],
        n_feat: int,
        n_vec: int,
        chars: dict[str, int],
        context: ContextModel | None,
    ) -> None:
        self.items = []
        self.d_ctx = context.dim if context is not None else 0
        for inputs, sents in parts:
            for words, tags in sents:
                fl = [(*inputs.word(w), char_ids(inputs.featurizer.word(w).norm, chars)) for w in words]
                gaz = np.zeros((len(words), 8), np.float32)
                for j, ks in enumerate(inputs.gazetteer(words)):
                    gaz[j, ks] = 1.0
                y = np.array([LABELS.index(t) for t in to_iobes(repair(tags))], np.int64)
                ctx = (
                    context([[row for _, row, _ in fl]])[0]
                    if context is not None
                    else np.zeros((len(words), 0), np.float32)
                )
                self.items.append((fl, gaz, ctx, y))
        self.n_feat = n_feat
        self.n_vec = n_vec

    def batch(self, ids: list[int]) -> tuple[torch.Tensor, ...]:
        items = [self.items[i] for i in ids]
        lens = [len(it[3]) for it in items]
        t_max = max(lens)
        f_max = max(len(f[0]) for it in items for f in it[0]) or 1
        fids = np.full((len(items), t_max, f_max), self.n_feat, np.int64)
        fcount = np.zeros((len(items), t_max), np.float32)
        vrow = np.full((len(items), t_max), self.n_vec, np.int64)
        chars = np.zeros((len(items), t_max, MAX_CHARS + 2), np.int64)
        gaz = np.zeros((len(items), t_max, 8), np.float32)
        ctx = np.zeros((len(items), t_max, self.d_ctx), np.float32)
        tags = np.zeros((len(items), t_max), np.int64)
        mask = np.zeros((len(items), t_max), np.float32)
        for r, (fl, g, c, y) in enumerate(items):
            n = len(y)
            for j, (fs, row, cs) in enumerate(fl):
                chars[r, j, : len(cs)] = cs
                fids[r, j, : len(fs)] = fs
                fcount[r, j] = len(fs)
                vrow[r, j] = row if row >= 0 else self.n_vec
            gaz[r, :n] = g
            ctx[r, :n] = c
            tags[r, :n] = y
            mask[r, :n] = 1.0
        return tuple(
            torch.from_numpy(a)
            for a in (fids, fcount, vrow, chars, gaz, ctx, tags, mask, np.array(lens, np.int64))
        )


def export(
    sd: dict[str, np.ndarray],
    features: list[str],
    words: list[str],
    chars: str,
    vectors: np.ndarray,
    context: ContextModel | None,
) -> bytes:
    n_feat = len(features)

    feat_q, feat_s = quantise(sd["feat.weight"][:n_feat])
    vec_q, vec_s = quantise(vectors)
    arrays = {
        "features": np.frombuffer("\n".join(features).encode("utf-8"), dtype=np.uint8),
        "words": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        "feat_emb": feat_q,
        "feat_emb_scale": feat_s,
        "vectors": vec_q,
        "vectors_scale": vec_s,
        "w_ih": np.stack([sd["lstm.weight_ih_l0"], sd["lstm.weight_ih_l0_reverse"]]),
        "w_hh": np.stack([sd["lstm.weight_hh_l0"], sd["lstm.weight_hh_l0_reverse"]]),
        "bias": np.stack(
            [
                sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
                sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
            ]
        ),
        "w_out": sd["out.weight"],
        "b_out": sd["out.bias"],
        "trans": sd["trans"],
        "start": sd["start"],
        "end": sd["end"],
    }
    if "conv.weight" in sd:
        w = sd["conv.weight"]  # (filters, dim, 3) -> (3 * dim, filters), window-major
        arrays["chars"] = np.frombuffer(chars.encode("utf-8"), dtype=np.uint8)
        arrays["char_emb"] = sd["char_emb.weight"]
        arrays["char_w"] = w.transpose(2, 1, 0).reshape(-1, w.shape[0])
        arrays["char_b"] = sd["conv.bias"]
    if context is not None:
        arrays.update(context.arrays())
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def evaluate(raw: bytes, feat: Featurizer, sents: Sents) -> dict[str, Any]:
    return as_record(score_spans(*predict(raw, feat, sents)))


def predict(raw: bytes, feat: Featurizer, sents: Sents) -> tuple[list[Any], list[Any]]:
    return predict_model(NeuralModel(NeuralTagger.load(raw, feat)[0]), sents)


def train(
    args: argparse.Namespace,
    parts: list[tuple[Featurizer, Sents]],
    vectors: np.ndarray,
    words: list[str],
    dev: tuple[Featurizer, Sents] | None,
    epochs: int,
    context: ContextModel | None,
    pretrained: dict[str, Any] | None = None,
) -> tuple[bytes, int, dict[str, Any] | None]:
    """Train for ``epochs`` (with ``dev``: keep the best dev epoch, stop after ``--patience``) on
    ``parts``, each featurized by its own featurizer (the jackknife profiles of ``--profiles``);
    ``context``: the context model of ``--context``, whose output the network also reads;
    ``pretrained``: the language model of ``--init`` to start from."""
    torch.manual_seed(args.seed)
    features = build_features(parts, args.min_feat_count)
    char_counts = Counter(
        c for feat, data in parts for ws, _ in data for w in ws for c in char_text(feat.word(w).norm)
    )
    chars = "".join(sorted(c for c, n in char_counts.items() if n >= 2 and c != "\n"))
    char_index = {c: 4 + k for k, c in enumerate(chars)}
    enc = Encoded(
        [(NeuralInputs(feat, features, words), data) for feat, data in parts],
        len(features),
        len(words),
        char_index,
        context,
    )
    net = Net(
        len(features),
        vectors,
        args.feat_dim,
        args.hidden,
        args.dropout,
        args.feat_drop,
        4 + len(chars),
        args.char_filters,
        enc.d_ctx,
        args.word_drop,
        features.index("v=oov"),
    )
    if pretrained is not None:
        shared = init_from(net, features, pretrained)
        print(
            f"  started from the pretrained language model: {shared} of {len(features)} features", flush=True
        )
    recent: list[dict[str, np.ndarray]] = []
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(args.seed)
    best: tuple[float, int, bytes, dict[str, Any] | None] = (-1.0, 0, b"", None)
    for epoch in range(1, epochs + 1):
        t0 = time.time()
        net.train()
        order = torch.randperm(len(enc.items), generator=gen).tolist()
        total = 0.0
        for a in range(0, len(order), args.batch):
            fids, fcount, vrow, char_t, gaz, ctx, tags, mask, lens = enc.batch(order[a : a + args.batch])
            emit = net.emissions(fids, fcount, vrow, char_t, gaz, ctx, lens)
            loss = net.nll(emit, tags, mask)
            opt.zero_grad()
            (loss / len(lens)).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
        net.eval()
        recent = [*recent, {k: v.detach().numpy().copy() for k, v in net.state_dict().items()}][
            -args.average :
        ]
        sd = {k: np.mean([r[k] for r in recent], axis=0) for k in recent[0]}
        raw = export(sd, features, words, chars, vectors, context)
        msg = f"  epoch {epoch}: loss {total / len(order):.3f} ({time.time() - t0:.0f} s)"
        if dev is not None:
            sc = evaluate(raw, *dev)
            f1 = sc["ALL"]["f1"]
            per = " ".join(f"{t} {v['f1']:.3f}" for t, v in sorted(sc.items()) if t != "ALL")
            msg += f"  dev F1 {f1:.4f} (P {sc['ALL']['precision']:.3f} R {sc['ALL']['recall']:.3f}) {per}"
            if f1 > best[0] or args.last:
                best = (f1, epoch, raw, sc)
            elif epoch - best[1] >= args.patience:
                print(msg, flush=True)
                break
        else:
            best = (0.0, epoch, raw, None)
        print(msg, flush=True)
    return best[2], best[1], best[3]


def fold_list(text: str, folds: int) -> list[int]:
    """``--only-folds 0,1``: the fold numbers, sorted; anything else exits naming the fix."""
    try:
        only = sorted({int(k) for k in text.split(",")})
    except ValueError:
        sys.exit(f"--only-folds {text!r}: give fold numbers separated by commas, such as 0,1")
    if not all(0 <= k < folds for k in only):
        sys.exit(f"--only-folds {text}: each fold must be within 0..{folds - 1}")
    return only


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--vectors", type=Path, default=Path("/tmp/ner_vectors.npz"))
    ap.add_argument("--max-vectors", type=int, default=50_000)
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--patience", type=int, default=6)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--feat-dim", type=int, default=64)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--feat-drop", type=float, default=0.0, help="drop each symbolic feature in training")
    ap.add_argument(
        "--word-drop", type=float, default=0.0, help="show each word as an unknown one in training"
    )
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--char-filters", type=int, default=0, help="a character CNN with this many filters")
    ap.add_argument("--average", type=int, default=1, help="average the weights of the last K epochs")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--min-feat-count", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save-dev", type=Path, help="keep the dev-trained model here (with a .json beside it)")
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--final", action="store_true")
    ap.add_argument("--skip-dev", action="store_true", help="no dev run: train for --epochs (CV, final)")
    ap.add_argument("--last", action="store_true", help="dev run: keep the last epoch, not the best")
    ap.add_argument("--weight", type=float, default=WEIGHT, help="the network's weight in the ensemble")
    ap.add_argument(
        "--pool", choices=POOLS, default="mean", help="how the ensemble pools the two models' marginals"
    )
    ap.add_argument("--crf-folds", type=Path, help="with --folds: also score each fold with this CRF")
    ap.add_argument("--keep-folds", type=Path, help="with --folds: keep each fold's network here (foldK.npz)")
    ap.add_argument(
        "--only-folds",
        help="with --folds: train only these folds (such as 0,1): split a run over processes, then "
        "score the kept folds together with tools/ner_cv.py",
    )
    ap.add_argument(
        "--attach", type=Path, help="a CRF saved by train_ner.py --save-dev: pair --save-dev with it"
    )
    ap.add_argument(
        "--context", type=Path, help="the network also reads this context model (tools/train_ner_context.py)"
    )
    ap.add_argument("--alone", action="store_true", help="with --final: the network replaces the CRF")
    ap.add_argument(
        "--extra",
        type=Path,
        help="also train on pseudo-labelled news from tools/ner_pseudo.py: this folder's dev.txt for "
        "the dev run, foldK.txt for fold K, final.txt for --final",
    )
    ap.add_argument(
        "--init",
        type=Path,
        help="start from this pretrained language model (tools/pretrain_ner_lm.py) instead of random weights",
    )
    ap.add_argument(
        "--profiles",
        type=Path,
        help="the network also reads the CRF's word profiles: the folder of tools/train_ner.py --profile "
        "--folds 5 --keep-folds DIR --save-dev DIR/dev.crfsuite (its jackknife profiles)",
    )
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    train_path = args.shared / "data" / "anercorp" / "train.txt"
    if not train_path.exists():
        sys.exit(f"{train_path} not found: pass --shared pointing at the shared data folder")
    if not args.vectors.exists():
        sys.exit(f"{args.vectors} not found: build it with tools/build_ner_vectors.py --out {args.vectors}")
    sents = read_conll(train_path)
    clusters = Clusters.read(gzip.decompress((DATA / "clusters.tsv.gz").read_bytes()).decode("utf-8"))
    gazetteer = Gazetteer.from_sources(
        read_gazetteer_file(gzip.decompress((DATA / "gazetteer.tsv.gz").read_bytes()).decode())
    )
    settings = network_settings(profile=args.profiles is not None)
    feat = Featurizer(clusters, gazetteer, settings)
    if args.profiles is not None and args.folds not in (0, ner_profile.PARTS):
        sys.exit(f"--profiles holds {ner_profile.PARTS} jackknife parts: pass --folds {ner_profile.PARTS}")
    if args.profiles is not None and args.extra is not None:
        sys.exit(
            "--extra with --profiles: the pseudo-labelled news has no jackknife profile; pass one of them"
        )
    only = set(range(args.folds))
    if args.only_folds:
        if not args.folds or not args.keep_folds:
            sys.exit(
                f"--only-folds {args.only_folds} needs --folds N and --keep-folds DIR "
                "(tools/ner_cv.py scores the kept folds)"
            )
        only = set(fold_list(args.only_folds, args.folds))
    if args.extra is not None:  # all of them now, not after hours of training
        names = [] if args.skip_dev else ["dev.txt"]
        names += [f"fold{k}.txt" for k in sorted(only)] + (["final.txt"] if args.final else [])
        missing = [n for n in names if not (args.extra / n).is_file()]
        if missing:
            sys.exit(
                f"{args.extra} lacks {', '.join(missing)}: make them with tools/ner_pseudo.py (see its --help)"
            )
    made: dict[str, Featurizer] = {}

    def featurizer(name: str) -> Featurizer:
        """The featurizer with the profile ``name`` of ``--profiles`` (without: ``feat``)."""
        if args.profiles is None:
            return feat
        if name not in made:
            path = args.profiles / name
            try:
                profile = Profile.read(gzip.decompress(path.read_bytes()).decode("utf-8"))
            except OSError as exc:
                sys.exit(
                    f"{path} cannot be read ({exc}): run tools/train_ner.py --profile --folds 5 "
                    f"--keep-folds {args.profiles} --save-dev {args.profiles / 'dev.crfsuite'} first"
                )
            made[name] = Featurizer(clusters, gazetteer, settings, profile=profile)
        return made[name]

    def jackknife(data: Sents, prefix: str) -> list[tuple[Featurizer, Sents]]:
        """``data`` in contiguous parts (the folds, or the profile's parts), each with its featurizer:
        with ``--profiles`` the part's jackknife profile (``prefix{k}``)."""
        parts = ner_profile.parts(data, args.folds or ner_profile.PARTS)
        return [(featurizer(f"{prefix}{k}.profile.tsv.gz"), p) for k, p in enumerate(parts)]

    def extra(name: str) -> list[tuple[Featurizer, Sents]]:
        """The pseudo-labelled sentences ``name`` of ``--extra`` as one more training part."""
        if args.extra is None:
            return []
        path = args.extra / name
        try:
            data = read_conll(path)
        except (OSError, ValueError) as exc:
            sys.exit(f"{path} cannot be read ({exc}): make it with tools/ner_pseudo.py (see its --help)")
        print(f"  {len(data)} pseudo-labelled sentences from {path}", flush=True)
        return [(feat, data)]

    def with_pseudo(rec: dict[str, Any], parts: list[tuple[Featurizer, Sents]]) -> dict[str, Any]:
        """``rec`` saying how many pseudo-labelled sentences the last training part added (if
        any): ``tools/ner_pseudo.py`` reads it to accept a self-trained teacher only with --second-round."""
        if args.extra is None:
            return rec
        note = {
            "sentences": len(parts[-1][1]),
            "from": "SaudiNewsNet sentences an ensemble of the CRF and a network tagged confidently "
            "(tools/ner_pseudo.py; the recipe is in MODEL_CARD.md)",
        }
        return {**rec, "data": {**rec["data"], "pseudo_labelled": note}}

    words, vectors = load_vectors(args.vectors, args.max_vectors)
    context = None
    if args.context is not None:
        try:
            z = np.load(args.context)
            # the context model reads the vectors as the tagger stores them
            context = ContextModel(z, dequantise(*quantise(vectors)))
            trained_on = int(z["ctx_words"])
        except (OSError, KeyError, ValueError) as exc:
            sys.exit(
                f"{args.context} is not a context model ({exc}): build it with tools/train_ner_context.py"
            )
        if trained_on != len(words):
            sys.exit(
                f"{args.context} was trained on {trained_on} word vectors, this run has {len(words)}: "
                f"rebuild it with tools/train_ner_context.py --max-vectors {len(words)}"
            )
    hp = {
        k: getattr(args, k)
        for k in (
            "max_vectors",
            "hidden",
            "feat_dim",
            "dropout",
            "feat_drop",
            "word_drop",
            "char_filters",
            "average",
            "lr",
            "batch",
            "min_feat_count",
            "seed",
        )
    }
    if context is not None:
        hp["context"] = {"dim": context.dim, "offsets": list(context.offsets), "file": args.context.name}
    pretrained = None
    if args.init is not None:
        pretrained = load_pretrained(args.init, args.hidden, args.feat_dim)
        hp["init"] = {"file": args.init.name, **pretrained["settings"]}
    print(f"settings: {hp}")
    record: dict[str, Any] = {
        "kind": "neural",
        "file": "ner.npz",
        "data": {
            "train": "ANERcorp train.txt (CAMeL Lab split)",
            "sha256": hashlib.sha256(train_path.read_bytes()).hexdigest(),
            "sentences": len(sents),
        },
        "settings": settings.to_dict(),
        "segmentation": segmentation_sample(sents),
        "params": hp,
        "scheme": "iobes",
        "clusters": "clusters.tsv.gz",
        "gazetteer": "gazetteer.tsv.gz",
    }
    epochs = args.epochs
    tr, dev = split(sents, args.dev_fraction)
    if args.skip_dev:  # --epochs as chosen before; no dev scores (another network's would mislead)
        print("no dev run (--skip-dev): the model records no dev scores", flush=True)
    else:
        dev_feat = featurizer("dev.profile.tsv.gz")
        dev_parts = jackknife(tr, "dev.part") + extra("dev.txt")
        raw, epochs, scores = train(
            args, dev_parts, vectors, words, (dev_feat, dev), args.epochs, context, pretrained
        )
        print_scores(f"dev ({len(dev)} sentences), best epoch {epochs}:", scores or {})
        record["dev_scores"] = scores
    record["params"]["epochs"] = epochs
    if args.save_dev and not args.skip_dev:
        args.save_dev.write_bytes(raw)
        dev_record = with_pseudo({**record, "file": args.save_dev.name}, dev_parts)
        args.save_dev.with_suffix(".json").write_text(json.dumps(dev_record, ensure_ascii=False, indent=2))
        if args.attach:
            attach(args.attach, args.save_dev, args.weight, settings, dev_record, args.pool)
            model = load_ner(model=args.attach).model
            scores = as_record(score_spans(*predict_model(model, dev)))
            print_scores(f"dev, the ensemble with {args.attach.name} (weight {args.weight}):", scores)
            record["dev_scores_ensemble"] = scores
    if args.folds:
        runs: dict[str, tuple[list[Any], list[Any]]] = {
            "network": ([], []),
            "crf": ([], []),
            "ensemble": ([], []),
        }
        folds = jackknife(sents, "fold")
        for k, (held_feat, held) in enumerate(folds):
            if k not in only:
                continue
            tparts = folds[:k] + folds[k + 1 :] + extra(f"fold{k}.txt")
            raw_k, _, _ = train(args, tparts, vectors, words, None, epochs, context, pretrained)
            if args.keep_folds:
                args.keep_folds.mkdir(parents=True, exist_ok=True)
                (args.keep_folds / f"fold{k}.npz").write_bytes(raw_k)
            # with --profiles, the held-out part's profile comes from a base model that never saw it
            network = NeuralModel(NeuralTagger.load(raw_k, held_feat)[0])
            models: dict[str, NerModel] = {"network": network}
            if args.crf_folds:
                crf = load_ner(model=args.crf_folds / f"fold{k}.crfsuite").model
                if not isinstance(crf, CrfModel):
                    sys.exit(
                        f"{args.crf_folds / f'fold{k}.crfsuite'} is not a CRF: pass train_ner.py's --keep-folds"
                    )
                models["crf"] = crf
                models["ensemble"] = EnsembleModel(crf, network, args.weight, pool=args.pool)
            line = []
            for name, model in models.items():
                g, p = predict_model(model, held)
                runs[name][0].extend(g)
                runs[name][1].extend(p)
                line.append(f"{name} {score_spans(g, p)['ALL'].f1:.4f}")
            print(f"  fold {k}: F1 " + ", ".join(line), flush=True)
        for name, (gold, pred) in runs.items():
            if gold and args.only_folds:  # not the whole cross-validation: tools/ner_cv.py records it
                print_scores(f"folds {args.only_folds}, {name} (pooled):", as_record(score_spans(gold, pred)))
            elif gold:
                cv = as_record(score_spans(gold, pred))
                print_scores(f"{args.folds}-fold cross-validation, {name} (pooled):", cv)
                record["cv_scores" if name == "network" else f"cv_scores_{name}"] = cv
    if args.final:
        tparts = jackknife(sents, "fold") + extra("final.txt")
        record = with_pseudo(record, tparts)
        raw, _, _ = train(args, tparts, vectors, words, None, epochs, context, pretrained)
        (DATA / "ner.npz").write_bytes(raw)
        print(f"final model on all {len(sents)} sentences: {DATA / 'ner.npz'} ({len(raw) / 1e6:.1f} MB)")
        if args.alone:
            (DATA / "model.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        else:
            attach(DATA / "model.crfsuite", DATA / "ner.npz", args.weight, settings, record, args.pool)


def attach(
    crf: Path,
    network: Path,
    weight: float,
    settings: FeatureSettings,
    record: dict[str, Any] | None = None,
    pool: str = "mean",
) -> None:
    """Make the CRF ``crf`` (its ``.json``) an ensemble with ``network``, a file beside it, their
    marginals pooled as ``pool`` says (``marsad.ner.models.pool_marginals``)."""
    if network.parent.resolve() != crf.parent.resolve():
        sys.exit(f"{network} must be in the folder of {crf}: the model's .json names it by file name")
    meta_path = crf.with_suffix(".json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        sys.exit(f"cannot read {meta_path} ({exc}): train the CRF first (tools/train_ner.py)")
    if meta.get("kind") == "neural":
        sys.exit(f"{meta_path} is a network's: retrain the CRF (tools/train_ner.py --final) first")
    ens: dict[str, Any] = {
        "file": network.name,
        "weight": weight,
        "pool": pool,
        "settings": settings.to_dict(),
    }
    if record is not None:
        ens["network"] = {k: v for k, v in record.items() if k not in ("segmentation", "settings", "file")}
    meta["ensemble"] = ens
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{meta_path}: ensemble with {network.name}, weight {weight}, {pool} pool")


def predict_model(model: NerModel, sents: Sents) -> tuple[list[Any], list[Any]]:
    """Gold and predicted spans of ``model`` (any kind) over documents of 50 sentences."""
    gold, pred = [], []
    for a in range(0, len(sents), 50):
        chunk = sents[a : a + 50]
        for (_words, tags), labels in zip(chunk, model.run([w for w, _ in chunk])):
            gold.append(tag_spans(tags))
            pred.append(tag_spans(to_iob2(labels)))
    return gold, pred


if __name__ == "__main__":
    main()
