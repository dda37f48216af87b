"""Score kept cross-validation fold models of the NER ensemble, pooled over the folds.

    python tools/ner_cv.py --crf-folds DIR --net-folds DIR [--weights 0.4,0.5,0.6] [--pool P]
        [--dev-crf DEV.crfsuite --dev-net DEVNN.npz] [--only-folds 0,1] [--record]

Each fold ``k`` pairs ``DIR/foldK.crfsuite`` (``tools/train_ner.py --profile --folds 5
--keep-folds DIR``) with the network ``foldK.npz`` (``tools/train_ner_nn.py --folds 5
--keep-folds DIR``, perhaps run as several processes with ``--only-folds``), loaded as
``tools/ner_pseudo.py`` loads its teachers, and tags the held-out block of ``train.txt`` the
fold left out.  Printed: per fold and pooled (CoNLL exact match, per type), the CRF alone, the
network alone and the ensemble at each weight, its marginals pooled as ``--pool`` says (the
packaged model's pool by default; ``marsad.ner.models.pool_marginals``).  ``--only-folds 0,1``
scores those folds alone, pooled over them, while the others still train.  Several
``--net-folds`` folders are averaged (their marginals, equal weights) into one network.

``--dev-crf DEV.crfsuite --dev-net DEVNN.npz`` also scores the dev run's pair (``train_ner.py
--save-dev``, ``train_ner_nn.py --save-dev``) on the dev block (the last 10 % of ``train.txt``):
the network alone and the ensemble at the same weights and pool.

``--record`` writes the pooled scores at the packaged weight into ``model.json``'s ensemble entry
(``cv_scores`` for the network, ``cv_scores_crf``, ``cv_scores_ensemble``; with the dev pair
``dev_scores`` and ``dev_scores_ensemble``) and the pool into ``pool``, as a ``train_ner_nn.py
--save-dev --attach --folds 5 --final`` run in one process does: so the dev run, the folds and a
``--skip-dev --final`` run can be separate processes.  The held-out test split is never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from marsad.ner.conll import read_conll, score_spans, tag_spans, to_iob2
from marsad.ner.models import POOLS, EnsembleModel, decode_marginals, pool_marginals
from marsad.ner.neural import LABELS

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    import ner_profile  # these need the tools extra (scipy, torch)
    from ner_pseudo import fold_model
    from train_ner import as_record, print_scores, split
    from train_ner_nn import DATA, WEIGHT, fold_list, predict_model

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--crf-folds", type=Path, required=True, help="tools/train_ner.py --keep-folds DIR")
    ap.add_argument(
        "--net-folds",
        type=Path,
        required=True,
        action="append",
        help="tools/train_ner_nn.py --keep-folds DIR",
    )
    ap.add_argument("--folds", type=int, default=ner_profile.PARTS)
    ap.add_argument(
        "--only-folds",
        help="score only these folds, such as 0,1 (pooled over them), while the others still train",
    )
    ap.add_argument("--weights", default=str(WEIGHT), help="the network's weights to score, such as 0.4,0.5")
    ap.add_argument(
        "--pool", choices=POOLS, help="how the marginals are pooled (default: the packaged model's)"
    )
    ap.add_argument("--dev-crf", type=Path, help="the dev run's CRF (tools/train_ner.py --save-dev)")
    ap.add_argument("--dev-net", type=Path, help="the dev run's network (tools/train_ner_nn.py --save-dev)")
    ap.add_argument(
        "--record", action="store_true", help="write the scores at the packaged weight into model.json"
    )
    args = ap.parse_args(argv)
    try:
        weights = [float(w) for w in args.weights.split(",")]
    except ValueError:
        sys.exit(f"--weights {args.weights!r}: give numbers between 0 and 1 separated by commas")
    if any(not 0.0 <= w <= 1.0 for w in weights):
        sys.exit(f"--weights {args.weights!r}: each weight must be within 0..1")
    only = list(range(args.folds))
    if args.only_folds is not None:
        only = fold_list(args.only_folds, args.folds)
        if args.record:
            sys.exit("--record writes the whole cross-validation: drop --only-folds")
    if (args.dev_crf is None) != (args.dev_net is None):
        sys.exit("--dev-crf and --dev-net go together: the dev run's CRF and its network")
    for path, fix in [
        (args.dev_crf, "train_ner.py --save-dev"),
        (args.dev_net, "train_ner_nn.py --save-dev"),
    ]:
        if path is not None and not path.is_file():
            sys.exit(f"{path} not found: make it with tools/{fix}")
    train_path = args.shared / "data" / "anercorp" / "train.txt"
    if not train_path.exists():
        sys.exit(f"{train_path} not found: pass --shared pointing at the shared data folder")
    for k in only:
        for path, fix in [(args.crf_folds / f"fold{k}.crfsuite", "tools/train_ner.py --keep-folds")] + [
            (d / f"fold{k}.npz", "tools/train_ner_nn.py --keep-folds") for d in args.net_folds
        ]:
            if not path.is_file():
                sys.exit(f"{path} not found: make it with {fix}")
    packaged = json.loads((DATA / "model.json").read_text(encoding="utf-8"))
    ens_entry = packaged.get("ensemble") or {}
    packaged_weight = float(ens_entry.get("weight", WEIGHT))
    pool = args.pool or str(ens_entry.get("pool", "mean"))
    if pool not in POOLS:
        sys.exit(f"{DATA / 'model.json'} names the pool {pool!r}: pass --pool {' or '.join(POOLS)}")
    if args.record:  # before the scoring, not after it
        if "network" not in ens_entry:
            sys.exit(f"{DATA / 'model.json'} has no network in its ensemble: train_ner_nn.py --final first")
        if len(args.net_folds) > 1:
            sys.exit("--record scores one network: pass a single --net-folds (the packaged network's folds)")
        if packaged_weight not in weights:
            weights.append(packaged_weight)

    sents = read_conll(train_path)
    dev_scores: dict[str, Any] = {}  # first: a dev pair that does not load stops the run at once
    if args.dev_crf is not None and args.dev_net is not None:
        _, dev = split(sents, 0.1)  # train_ner_nn.py's dev block
        with tempfile.TemporaryDirectory() as tmp:
            model = fold_model(args.dev_crf, args.dev_net, 0.5, Path(tmp))
            if not isinstance(model, EnsembleModel):
                sys.exit(f"{args.dev_crf} with {args.dev_net} did not load as an ensemble")
            parts = marginals([model], dev)
            dev_runs = {"network": predict_model(model.neural, dev)}
            dev_runs |= {f"ensemble {w}": decode(parts, dev, w, pool) for w in weights}
        for name, (gold, pred) in dev_runs.items():
            dev_scores[name] = as_record(score_spans(gold, pred))
            print_scores(f"dev block ({len(dev)} sentences), {name}:", dev_scores[name])
        print("dev summary: " + ", ".join(f"{n} {r['ALL']['f1']:.4f}" for n, r in dev_scores.items()))
    names = ["crf", "network"] + [f"ensemble {w}" for w in weights]
    runs: dict[str, tuple[list[Any], list[Any]]] = {n: ([], []) for n in names}
    for k, held in enumerate(ner_profile.parts(sents, args.folds)):
        if k not in only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            models = []
            for i, d in enumerate(args.net_folds):
                sub = Path(tmp) / str(i)
                sub.mkdir()
                # the weight attached here is not used: decode() weighs the marginals itself
                models.append(fold_model(args.crf_folds / f"fold{k}.crfsuite", d / f"fold{k}.npz", 0.5, sub))
            if not all(isinstance(m, EnsembleModel) for m in models):
                sys.exit(f"fold {k}: the fold models did not load as an ensemble")
            parts = marginals(models, held)
            line = []
            for name in names:
                if name == "crf":  # each model alone decodes its own lattice, as the stage would
                    g, p = predict_model(models[0].crf, held)
                elif name == "network" and len(models) == 1:
                    g, p = predict_model(models[0].neural, held)
                elif name == "network":
                    g, p = decode(parts, held, 1.0, "mean")
                else:
                    g, p = decode(parts, held, float(name.split()[1]), pool)
                runs[name][0].extend(g)
                runs[name][1].extend(p)
                line.append(f"{name} {score_spans(g, p)['ALL'].f1:.4f}")
            print(f"fold {k}: " + ", ".join(line), flush=True)
    scores = {}
    for name, (gold, pred) in runs.items():
        scores[name] = as_record(score_spans(gold, pred))
        what = "" if len(only) == args.folds else f", folds {','.join(map(str, only))} only"
        print_scores(f"{args.folds}-fold cross-validation{what}, {name} (pooled):", scores[name])
    print(f"pool: {pool}")
    print("summary: " + ", ".join(f"{n} {scores[n]['ALL']['f1']:.4f}" for n in names))
    if args.record:
        net = ens_entry["network"]
        net["cv_scores"] = scores["network"]
        net["cv_scores_crf"] = scores["crf"]
        net["cv_scores_ensemble"] = scores[f"ensemble {packaged_weight}"]
        if dev_scores:
            net["dev_scores"] = dev_scores["network"]
            net["dev_scores_ensemble"] = dev_scores[f"ensemble {packaged_weight}"]
        ens_entry["pool"] = pool
        (DATA / "model.json").write_text(
            json.dumps(packaged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        what = "cross-validation and dev scores" if dev_scores else "cross-validation scores"
        print(f"{DATA / 'model.json'}: {what} recorded (weight {packaged_weight})")


def marginals(models: list[EnsembleModel], sents: list[tuple[list[str], list[str]]]) -> list[Any]:
    """Per document of 50 sentences (as ``predict_model`` cuts them): the CRF's marginals, the
    mask of real tokens and the mean of the networks' marginals, all padded alike."""
    out = []
    for a in range(0, len(sents), 50):
        words = [w for w, _ in sents[a : a + 50]]
        crf, mask = models[0].weights.marginals(models[0].crf.featurizer, words)
        net = np.zeros_like(crf)
        for m in models:
            for r, (_labels, marg) in enumerate(m.neural.tagger.run(words, labels=False)):
                net[r, : len(marg)] += marg / len(models)
        out.append((crf, mask, net))
    return out


def decode(
    parts: list[Any], sents: list[tuple[list[str], list[str]]], weight: float, pool: str
) -> tuple[list[Any], list[Any]]:
    """Gold and predicted spans of the pooled marginals (``weight`` for the networks')."""
    gold, pred = [], []
    for (crf, mask, net), a in zip(parts, range(0, len(sents), 50), strict=True):
        w = np.float32(weight)  # as EnsembleModel weighs them, to the last bit
        paths = decode_marginals(pool_marginals(crf, net, w, pool), mask)
        for r, (_words, tags) in enumerate(sents[a : a + 50]):
            gold.append(tag_spans(tags))
            pred.append(tag_spans(to_iob2([LABELS[j] for j in paths[r, : len(tags)]])))
    return gold, pred


if __name__ == "__main__":
    main()
