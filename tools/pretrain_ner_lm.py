"""Pretrain the NER network's word inputs and BiLSTM as a two-way language model over SaudiNewsNet.

    nice python tools/pretrain_ner_lm.py --out /tmp/ner_lm.pt          # 100,000 sentences: 15 minutes
    nice python tools/train_ner_nn.py ... --init /tmp/ner_lm.pt         # start from it

The network of ``tools/train_ner_nn.py`` (the mean of learned embeddings of a word's CRF
features, its fixed word vector, its multi-word gazetteer tags, then one BiLSTM layer) learns
here from unlabeled news what comes next: at each token the forward LSTM's state predicts the
cluster of the next word (1,024 syntactic clusters of ``clusters.tsv.gz``, one class for a word too
rare for one, one for the sentence's end) and the backward state the cluster of the word before;
with ``--words N``, the word itself among the N most frequent (an adaptive softmax), not its
cluster.
ANERcorp's 125,000 tokens teach the network's LSTM little about Arabic sentences; 2.6 million
words of news (100,000 sentences; ``--sentences`` for more) teach it more, and the NER training
then starts from those weights (``--init``: the LSTM's weights and the embedding of every feature
both runs know) instead of from random ones.  The network keeps its size and speed; only its
training changes.  What it gave in cross-validation (much for the plain network, little once
self-training has shown the network the news) is in ``marsad/ner/MODEL_CARD.md``.

Its inputs are the network's (``train_ner_nn.network_settings()``), the features counted over
the news (seen five times), so the fine-tuning finds most of its own features pretrained.  The
sentences are those of ``tools/ner_profile.py`` (every SaudiNewsNet article, split and tokenised
by marsad's pipeline), shuffled with a fixed seed; 2,000 of them are held out to report the
loss and the accuracy of the cluster guesses.  Word dropout 0.1 (a word shown as an unknown
one) and dropout 0.3; Adam at a constant rate of 0.002 (``--lr``), or with ``--decay`` lowered
linearly to a tenth of it over the run.  ``--out`` is written after every pass over the news
(``--epochs``), so a long run stopped part-way keeps its last finished pass.  Deterministic:
fixed seeds, one thread.  Needs the ``tools`` extra.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import ner_profile
import numpy as np
import torch
import train_ner_nn
from torch import nn

from marsad.ner.features import Clusters, Featurizer
from marsad.ner.gazetteer import Gazetteer
from marsad.ner.neural import NeuralInputs

ROOT = Path(__file__).resolve().parent.parent
HELD = 2000
MIN_COUNT = 5
GRAIN = "1024"  # the cluster granularity predicted
BATCH = 32
LR = 2e-3


class Corpus:
    """Sentences encoded as the network's inputs, and each word's cluster to predict."""

    def __init__(
        self, sents: list[list[str]], inputs: NeuralInputs, clusters: Clusters, vocab: dict[str, int] | None
    ) -> None:
        self.encoded = train_ner_nn.Encoded(
            [(inputs, [(s, ["O"] * len(s)) for s in sents])],
            len(inputs.features),
            len(inputs.words),
            {},
            None,
        )
        word = inputs.featurizer.word
        if vocab is not None:  # the word itself (its matching form), or one class for a rare word
            rare = len(vocab)
            self.targets = [np.array([vocab.get(word(w).norm, rare) for w in s], np.int64) for s in sents]
            return
        k = clusters.ks.index(GRAIN)
        rare = int(GRAIN)
        self.targets = [
            np.array([int(c[k]) if (c := clusters.table.get(word(w).norm)) else rare for w in s], np.int64)
            for s in sents
        ]

    def __len__(self) -> int:
        return len(self.targets)


class LanguageModel(nn.Module):
    """The NER network's inputs and BiLSTM with a classifier over next and previous clusters
    (``cutoffs`` empty) or words (an adaptive softmax: the frequent words in a head, the rest in
    clusters of shrinking dimension, Grave et al. 2017)."""

    def __init__(self, net: train_ner_nn.Net, hidden: int, n_classes: int, cutoffs: list[int]) -> None:
        super().__init__()
        self.net = net
        self.hidden = hidden
        self.n_classes = n_classes
        self.adaptive = bool(cutoffs)
        if self.adaptive:
            self.ahead: nn.Module = nn.AdaptiveLogSoftmaxWithLoss(hidden, n_classes, cutoffs, div_value=4.0)
            self.behind: nn.Module = nn.AdaptiveLogSoftmaxWithLoss(hidden, n_classes, cutoffs, div_value=4.0)
        else:
            self.ahead = nn.Linear(hidden, n_classes)
            self.behind = nn.Linear(hidden, n_classes)

    def states(self, batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
        """The BiLSTM's states over a batch of ``Encoded.batch``, with the network's dropout."""
        fids, fcount, vrow, chars, gaz, ctx, _tags, _mask, lens = batch
        return self.net.drop(self.net.states(fids, fcount, vrow, chars, gaz, ctx, lens))

    def loss(self, corpus: Corpus, ids: list[int]) -> tuple[torch.Tensor, int, int]:
        """Summed cross-entropy of both directions, the number of right guesses and of guesses."""
        h = self.states(corpus.encoded.batch(ids))
        end = self.n_classes - 1
        ahead = torch.full(h.shape[:2], -100, dtype=torch.long)
        behind = torch.full(h.shape[:2], -100, dtype=torch.long)
        for r, i in enumerate(ids):
            y = torch.from_numpy(corpus.targets[i])
            n = len(y)
            ahead[r, : n - 1] = y[1:]
            ahead[r, n - 1] = end
            behind[r, 1:n] = y[: n - 1]
            behind[r, 0] = end
        if self.adaptive:
            total = torch.zeros(())
            right = 0
            for head, states, y in [
                (self.ahead, h[:, :, : self.hidden], ahead),
                (self.behind, h[:, :, self.hidden :], behind),
            ]:
                keep = y != -100
                x, t = states[keep], y[keep]
                total = total + head(x, t).loss * len(t)
                if not self.training:  # the most probable word: a full softmax, held-out only
                    right += int((head.predict(x) == t).sum())
            return total, right, 2 * int((ahead != -100).sum())
        out_a = self.ahead(h[:, :, : self.hidden])
        out_b = self.behind(h[:, :, self.hidden :])
        ce = nn.functional.cross_entropy
        c = self.n_classes
        total = ce(out_a.reshape(-1, c), ahead.reshape(-1), reduction="sum") + ce(
            out_b.reshape(-1, c), behind.reshape(-1), reduction="sum"
        )
        right = int((out_a.argmax(-1) == ahead).sum() + (out_b.argmax(-1) == behind).sum())
        return total, right, 2 * int((ahead != -100).sum())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--vectors", type=Path, default=Path("/tmp/ner_vectors.npz"))
    ap.add_argument("--max-vectors", type=int, default=50_000)
    ap.add_argument("--sentences", type=int, default=100_000, help="news sentences to learn from")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--hidden", type=int, default=64, help="as train_ner_nn.py's --hidden")
    ap.add_argument("--feat-dim", type=int, default=64, help="as train_ner_nn.py's --feat-dim")
    ap.add_argument(
        "--words",
        type=int,
        default=0,
        help="predict the next and previous word itself among this many frequent ones, not its cluster",
    )
    ap.add_argument("--lr", type=float, default=LR, help="Adam's learning rate")
    ap.add_argument(
        "--decay",
        action="store_true",
        help="lower the learning rate linearly over the run, to a tenth of it at the last batch",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="written after every pass over the news")
    args = ap.parse_args(argv)
    if args.sentences < 1 or args.epochs < 1:
        sys.exit(f"--sentences {args.sentences} --epochs {args.epochs}: both must be at least 1")
    if not 0.0 < args.lr < 1.0:
        sys.exit(f"--lr {args.lr}: give a learning rate between 0 and 1, such as {LR}")
    if args.words and args.words < 20_000:
        sys.exit(
            f"--words {args.words}: give at least 20000 words (the adaptive softmax's head and clusters)"
        )
    torch.set_num_threads(1)
    folder = args.shared / "data" / "saudinewsnet"
    if not folder.is_dir():
        sys.exit(f"{folder} not found: pass --shared pointing at the shared data folder")
    if not args.vectors.is_file():
        sys.exit(
            f"{args.vectors} not found: make it with python tools/build_ner_vectors.py --out {args.vectors}"
        )

    t0 = time.time()
    corpus = ner_profile.corpus_sentences(folder)
    random.Random(11).shuffle(corpus)
    held, train = corpus[:HELD], corpus[HELD : HELD + args.sentences]
    print(
        f"{len(corpus)} news sentences ({time.time() - t0:.0f} s); learning from {len(train)}, "
        f"{sum(map(len, train))} tokens",
        flush=True,
    )
    clusters = Clusters.packaged()
    feat = Featurizer(clusters, Gazetteer.packaged(), train_ner_nn.network_settings())
    counts: Counter[str] = Counter()
    for s in train:
        for w in s:
            counts.update(feat.word(w).own)
    counts.update({"v=w": MIN_COUNT, "v=s": MIN_COUNT, "v=oov": MIN_COUNT})
    features = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    words, vectors = train_ner_nn.load_vectors(args.vectors, args.max_vectors)
    inputs = NeuralInputs(feat, features, words)
    vocab = None
    if args.words:
        norms: Counter[str] = Counter(feat.word(w).norm for s in train for w in s)
        vocab = {w: i for i, (w, _) in enumerate(norms.most_common(args.words))}
    t0 = time.time()
    data, held_out = Corpus(train, inputs, clusters, vocab), Corpus(held, inputs, clusters, vocab)
    print(f"{len(features)} features; encoded in {time.time() - t0:.0f} s", flush=True)

    torch.manual_seed(args.seed)
    net = train_ner_nn.Net(
        len(features), vectors, args.feat_dim, args.hidden, 0.3, 0.0, 4, 0, 0, 0.1, features.index("v=oov")
    )
    if vocab is None:
        lm = LanguageModel(net, args.hidden, int(GRAIN) + 2, [])
    else:  # the words, one class for the rare ones and one for the sentence's end
        lm = LanguageModel(net, args.hidden, len(vocab) + 2, [2_000, 10_000])
    params = [
        p for n, p in lm.named_parameters() if n.startswith(("net.feat.", "net.lstm.", "ahead", "behind"))
    ]
    opt = torch.optim.Adam(params, lr=args.lr)
    steps = args.epochs * -(-len(data) // BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: 1.0 - 0.9 * step / steps if args.decay else 1.0
    )
    gen = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        lm.train()
        order = torch.randperm(len(data), generator=gen).tolist()
        total, seen = 0.0, 0
        for b, a in enumerate(range(0, len(order), BATCH)):
            loss, _, n = lm.loss(data, order[a : a + BATCH])
            opt.zero_grad()
            (loss / n).backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
            seen += n
            if b % 500 == 0:
                print(
                    f"  epoch {epoch}, batch {b}: loss {total / seen:.3f} ({time.time() - t0:.0f} s)",
                    flush=True,
                )
        lm.eval()
        h_loss, h_right, h_n = 0.0, 0, 0
        with torch.no_grad():
            for a in range(0, len(held_out), 64):
                loss, right, n = lm.loss(held_out, list(range(a, min(a + 64, len(held_out)))))
                h_loss, h_right, h_n = h_loss + float(loss), h_right + right, h_n + n
        print(
            f"epoch {epoch}: loss {total / seen:.3f}, held out {h_loss / h_n:.3f}, "
            f"{'words' if vocab else 'clusters'} guessed {h_right / h_n:.1%} ({time.time() - t0:.0f} s)",
            flush=True,
        )
        # after every pass, so that a long run stopped part-way keeps its last finished pass
        state = {
            k: v.detach().clone() for k, v in net.state_dict().items() if k.startswith(("feat.", "lstm."))
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        part = args.out.with_name(args.out.name + ".part")  # the last pass stays whole until this one is
        torch.save(
            {
                "features": features,
                "state": state,
                "settings": {
                    "hidden": args.hidden,
                    "feat_dim": args.feat_dim,
                    "sentences": len(train),
                    "target": f"{len(vocab)} words" if vocab else f"{GRAIN} clusters",
                    "passes": epoch,
                    "lr": args.lr,
                    "decay": args.decay,
                },
            },
            part,
        )
        part.replace(args.out)
        print(f"wrote {args.out} (pass {epoch} of {args.epochs})", flush=True)


if __name__ == "__main__":
    main()
