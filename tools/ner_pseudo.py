"""Pseudo-labelled news for the NER network: SaudiNewsNet sentences an ensemble tags confidently.

    python tools/ner_pseudo.py --model MODEL.crfsuite --out FILE                  # one model
    python tools/ner_pseudo.py --crf-folds DIR --net-folds DIR --out DIR          # each CV fold

A seeded sample of the corpus's sentences (split and tokenised by marsad's own pipeline, as for
the word profiles) is tagged by an ensemble; a sentence is kept when it holds at least one
entity and every token's label has a marginal probability of at least ``--min-prob``.  The kept
sentences are written as ``token TAG`` lines (IOB2), a blank line between sentences: what
``tools/train_ner_nn.py --extra DIR`` adds to the network's training sentences (self-training).

The teacher must not have seen the sentences the student is scored on.  ``--model`` takes a
CRF saved with its ``.json`` and an ``ensemble`` entry (``tools/train_ner_nn.py --attach`` or
``--final``).  The packaged CRF with the plain network (``train_ner_nn.py --final`` without
``--extra``, the recipe's first network) gives ``final.txt``, the dev-block pair ``dev.txt``.
``--crf-folds`` (``tools/train_ner.py --keep-folds``) with ``--net-folds``
(``tools/train_ner_nn.py --keep-folds``) pairs each fold's CRF with its network and writes
``foldK.txt``.  The recipe runs two rounds: the second round's teachers pair the CRFs with the
first round's students (``--second-round`` lets ``--model`` take such a pair; ``--weight 0.5``
for the folds).  The teacher pools its two models' marginals by their mean (``--pool``), as the
recipe's teachers did, whatever the model's ``.json`` says.  Deterministic: the sample is seeded
and the models are.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from marsad.ner import load_ner
from marsad.ner.conll import to_iob2
from marsad.ner.models import POOLS, EnsembleModel, NerModel

ROOT = Path(__file__).resolve().parent.parent


def confident(
    model: NerModel, sentences: Sequence[list[str]], min_prob: float, batch: int = 50
) -> list[tuple[list[str], list[str]]]:
    """The sentences ``model`` tags with at least one entity and every label's marginal at least
    ``min_prob``, with their IOB2 tags; tagged ``batch`` sentences at a time."""
    kept = []
    for a in range(0, len(sentences), batch):
        chunk = sentences[a : a + batch]
        for i, (words, labels) in enumerate(zip(chunk, model.run(chunk), strict=True)):
            if not words or min(model.label_prob(i, j) for j in range(len(words))) < min_prob:
                continue
            tags = to_iob2(labels)
            if any(t.startswith("B-") for t in tags):
                kept.append((words, tags))
    return kept


def write_conll(path: Path, sents: list[tuple[list[str], list[str]]]) -> None:
    """Write ``sents`` to ``path`` whole or not at all (a partial file is never left there)."""
    part = path.with_name(path.name + ".part")
    with part.open("w", encoding="utf-8") as f:
        for words, tags in sents:
            f.write("".join(f"{w} {t}\n" for w, t in zip(words, tags, strict=True)) + "\n")
    part.replace(path)


def fold_model(crf: Path, net: Path, weight: float, tmp: Path) -> NerModel:
    """Fold ``crf`` (with its ``.json`` and profile) paired with ``net``, loaded as the stage
    loads the packaged ensemble (a copy in ``tmp``, so the folds' folders stay as they were)."""
    from train_ner_nn import attach, network_settings

    for f in crf.parent.glob(crf.stem + ".*"):
        shutil.copy(f, tmp / f.name)
    shutil.copy(net, tmp / (crf.stem + ".net.npz"))
    # the networks of train_ner_nn.py's folds read no profile
    attach(tmp / crf.name, tmp / (crf.stem + ".net.npz"), weight, network_settings())
    return load_ner(model=tmp / crf.name).model


def self_trained(model: Path) -> bool:
    """Whether the network of the ensemble ``model`` (a CRF's ``.crfsuite``; its ``.json`` says)
    learnt from pseudo-labelled news itself, as the packaged one does.  The first round's teacher
    has the plain network; a self-trained one teaches only in the second round, on purpose."""
    try:
        meta = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # load_ner reports it
    network = meta.get("ensemble", {}).get("network", {}) if isinstance(meta, dict) else {}
    return bool(isinstance(network, dict) and network.get("data", {}).get("pseudo_labelled"))


def main(argv: list[str] | None = None) -> None:
    import ner_profile  # these need the tools extra (scipy, torch)
    from train_ner_nn import WEIGHT

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--model", type=Path, help="an ensemble CRF (.crfsuite with its .json beside it)")
    ap.add_argument("--crf-folds", type=Path, help="the CV fold CRFs of tools/train_ner.py --keep-folds")
    ap.add_argument(
        "--net-folds", type=Path, help="the CV fold networks of tools/train_ner_nn.py --keep-folds"
    )
    ap.add_argument("--folds", type=int, default=ner_profile.PARTS)
    ap.add_argument("--out", type=Path, required=True, help="a file (--model) or a folder (the folds)")
    ap.add_argument("--sample", type=int, default=50_000, help="corpus sentences to tag")
    ap.add_argument("--min-prob", type=float, default=0.9)
    ap.add_argument("--weight", type=float, default=WEIGHT, help="with the folds: the network's weight")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--pool",
        choices=POOLS,
        default="mean",
        help="how the teacher pools its two models' marginals (the recipe's teachers: the mean)",
    )
    ap.add_argument(
        "--second-round",
        action="store_true",
        help="accept a --model whose network learnt from pseudo-labelled news itself",
    )
    args = ap.parse_args(argv)
    if (args.model is None) == (args.crf_folds is None):
        sys.exit("pass either --model or --crf-folds with --net-folds")
    if args.crf_folds is not None and args.net_folds is None:
        sys.exit("--crf-folds needs --net-folds: the fold networks of tools/train_ner_nn.py --keep-folds")
    if args.model is not None and not args.out.parent.is_dir():
        sys.exit(f"{args.out.parent} is not a folder: pass --out inside an existing one")
    if args.crf_folds is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    needed = [(args.model, "tools/train_ner.py --save-dev or --final")] if args.model is not None else []
    if args.crf_folds is not None and args.net_folds is not None:
        for k in range(args.folds):
            needed.append((args.crf_folds / f"fold{k}.crfsuite", "tools/train_ner.py --keep-folds"))
            needed.append((args.net_folds / f"fold{k}.npz", "tools/train_ner_nn.py --keep-folds"))
    for path, fix in needed:
        if not path.is_file():
            sys.exit(f"{path} not found: make it with {fix}")
    if args.model is not None and self_trained(args.model) and not args.second_round:
        sys.exit(
            f"the network of {args.model} learnt from pseudo-labelled news itself: the first round's "
            "teacher has a plain network, trained by train_ner_nn.py without --extra; pass "
            "--second-round for the second round, whose teacher is that student (MODEL_CARD.md has "
            "the recipe)"
        )
    single: NerModel | None = None
    if args.model is not None:  # before the corpus: a wrong model fails at once
        try:
            single = load_ner(model=args.model).model
        except (OSError, ValueError, RuntimeError) as exc:
            sys.exit(f"cannot load {args.model} ({exc}): pass a CRF with its .json beside it")
    corpus = args.shared / "data" / "saudinewsnet"
    if not corpus.is_dir():
        sys.exit(f"{corpus} not found: pass --shared pointing at the shared data folder")

    t0 = time.time()
    sentences = ner_profile.corpus_sentences(corpus)
    if args.sample > len(sentences):
        sys.exit(f"--sample {args.sample} is more than the corpus's {len(sentences)} sentences")
    sample = random.Random(args.seed).sample(sentences, args.sample)
    print(f"{len(sentences)} corpus sentences, {len(sample)} sampled ({time.time() - t0:.0f} s)", flush=True)

    jobs: list[tuple[str, Path]] = []
    if args.model is not None:
        jobs.append(("model", args.out))
    else:
        jobs.extend((str(k), args.out / f"fold{k}.txt") for k in range(args.folds))
    for name, out in jobs:
        t0 = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            if single is not None:
                model = single
            else:
                assert args.crf_folds is not None and args.net_folds is not None
                crf, net = args.crf_folds / f"fold{name}.crfsuite", args.net_folds / f"fold{name}.npz"
                model = fold_model(crf, net, args.weight, Path(tmp))
            if not isinstance(model, EnsembleModel):
                sys.exit(
                    f"the model for {out} is not an ensemble: attach its network first (train_ner_nn.py)"
                )
            model.pool = args.pool  # whatever its .json says: the teacher is the recipe's
            kept = confident(model, sample, args.min_prob)
        write_conll(out, kept)
        ents = sum(t.startswith("B-") for _, tags in kept for t in tags)
        print(
            f"{out}: {len(kept)} sentences, {sum(len(w) for w, _ in kept)} tokens, {ents} entities "
            f"({time.time() - t0:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
