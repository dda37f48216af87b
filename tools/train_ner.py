"""Train the NER model (a linear-chain CRF, python-crfsuite) from ANERcorp's training part.

    nice python tools/train_ner.py                 # tune run: fit on train minus dev, score dev
    nice python tools/train_ner.py --final         # also refit on all of train.txt and write the model
    nice python tools/train_ner.py --profile ...   # with word-profile features (tools/ner_profile.py)

The dev split is a contiguous block of whole sentences at the end of ``train.txt`` (ANERcorp's
sentences come in article order, so a contiguous block keeps articles together): the last
``--dev-fraction`` of the sentences.  The held-out test split is never read here.

Everything is deterministic: the data order is fixed and L-BFGS has no randomness.  Every
attribute may weigh every label (crfsuite's ``feature.possible_states``, which needs
``--min-freq 0``), so the model also learns which labels a feature argues against.  With
``--final`` the model goes to ``src/marsad/ner/data/model.crfsuite`` and its settings and dev
scores to ``model.json`` beside it (the stage reads the feature settings from there).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import ner_profile
import pycrfsuite

from marsad.ner.conll import Score, read_conll, score_spans, tag_spans, to_iob2, to_iobes
from marsad.ner.features import Clusters, FeatureSettings, Featurizer, Profile
from marsad.ner.gazetteer import Gazetteer
from marsad.text.tokenize import segment

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "marsad" / "ner" / "data"


def split(
    sents: list[tuple[list[str], list[str]]], fraction: float
) -> tuple[list[tuple[list[str], list[str]]], list[tuple[list[str], list[str]]]]:
    n_dev = round(len(sents) * fraction)
    return sents[: len(sents) - n_dev], sents[len(sents) - n_dev :]


def segmentation_sample(sents: list[tuple[list[str], list[str]]], n: int = 2000) -> dict[str, str]:
    """The clitic segmentation of the ``n`` most frequent words, as the model saw it: features
    depend on it, so a test can tell when the tokeniser has changed enough to retrain."""
    counts = Counter(w for words, _ in sents for w in words if w.isalpha())
    top = sorted(counts, key=lambda w: (-counts[w], w))[:n]
    return {w: "{},{}".format(*segment(w)) for w in top}


def fit(
    feat: Featurizer,
    sents: list[tuple[list[str], list[str]]],
    params: dict[str, Any],
    path: Path,
    scheme: str,
) -> float:
    t0 = time.time()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for words, tags in sents:
        trainer.append(feat.sentence(words), to_iobes(tags) if scheme == "iobes" else tags)
    trainer.set_params(params)
    trainer.train(str(path))
    return time.time() - t0


def predict(
    feat: Featurizer, sents: list[tuple[list[str], list[str]]], path: Path
) -> tuple[list[set[tuple[int, int, str]]], list[set[tuple[int, int, str]]]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    gold, pred = [], []
    for words, tags in sents:
        gold.append(tag_spans(tags))
        pred.append(tag_spans(to_iob2(tagger.tag(feat.sentence(words)))))
    return gold, pred


def keep(model: Path, dest: Path, record: dict[str, Any], profile: Profile | None) -> None:
    """Copy a model trained here to ``dest``, with its ``.json`` (and its profile) beside it, so
    that ``marsad.ner.load_ner(model=dest)`` and ``tools/eval_ner.py --model`` can load it."""
    shutil.copyfile(model, dest)
    out = dict(record)
    if profile is not None:
        name = dest.stem + ".profile.tsv.gz"
        ner_profile.dump(profile, dest.with_name(name))
        out["profile"] = name
    dest.with_suffix(".json").write_text(json.dumps(out, ensure_ascii=False, indent=2))


def as_record(scores: dict[str, Score]) -> dict[str, Any]:
    return {
        t: {
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "f1": round(s.f1, 4),
            "gold": s.tp + s.fn,
        }
        for t, s in scores.items()
    }


def print_scores(title: str, scores: dict[str, Any]) -> None:
    print(title)
    for t in ["ALL", *sorted(k for k in scores if k != "ALL")]:
        s = scores[t]
        print(f"  {t:<5} P {s['precision']:.4f}  R {s['recall']:.4f}  F1 {s['f1']:.4f}  (gold {s['gold']})")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument("--c1", type=float, default=0.02)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument(
        "--min-freq",
        type=int,
        default=0,
        help="drop features seen fewer times (1 or more drops the possible states)",
    )
    ap.add_argument(
        "--no-possible-states",
        action="store_true",
        help="weigh only the (attribute, label) pairs seen in training (crfsuite's default)",
    )
    ap.add_argument("--clusters", type=Path, default=DATA / "clusters.tsv.gz", help="'' for none")
    ap.add_argument("--gazetteer", type=Path, default=DATA / "gazetteer.tsv.gz", help="'' for none")
    ap.add_argument("--no-affixes", action="store_true")
    ap.add_argument("--no-bigrams", action="store_true")
    ap.add_argument("--no-cluster-bigrams", action="store_true")
    ap.add_argument("--no-ngrams", action="store_true", help="no character trigrams inside the stem")
    ap.add_argument("--no-context-clusters", action="store_true")
    ap.add_argument("--scheme", default="iobes", choices=("iob2", "iobes"))
    ap.add_argument("--window", type=int, default=2, choices=(1, 2))
    ap.add_argument(
        "--save-dev",
        type=Path,
        help="keep the model trained without the dev block here (with --profile, its profile and its "
        "training parts' jackknife profiles beside it: NAME.profile.tsv.gz, NAME.partK.profile.tsv.gz)",
    )
    ap.add_argument("--folds", type=int, default=0, help="also cross-validate over N contiguous blocks")
    ap.add_argument(
        "--keep-folds",
        type=Path,
        help="keep the fold models in this folder (foldK.crfsuite with its .json and profile), "
        "for tools/train_ner_nn.py --crf-folds",
    )
    ap.add_argument("--final", action="store_true", help="refit on all of train.txt and write the model")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="add word-profile features: base models tag SaudiNewsNet (jackknifed; slower to train)",
    )
    ap.add_argument(
        "--no-profile-context",
        action="store_true",
        help="profiles without the context classes (what the words next to a word are tagged)",
    )
    ap.add_argument("--workers", type=int, default=2, help="processes for the profile's base models")
    ap.add_argument("--skip-dev", action="store_true", help="with --final: skip the dev run")
    args = ap.parse_args(argv)

    train_path = args.shared / "data" / "anercorp" / "train.txt"
    if not train_path.exists():
        sys.exit(f"{train_path} not found: pass --shared pointing at the shared data folder")
    sents = read_conll(train_path)
    clusters = Clusters.empty()
    if str(args.clusters) not in ("", "."):
        import gzip

        clusters = Clusters.read(gzip.decompress(args.clusters.read_bytes()).decode("utf-8"))
    gazetteer = Gazetteer.from_sources()
    if str(args.gazetteer) not in ("", "."):
        import gzip

        from marsad.ner.gazetteer import read_gazetteer_file

        gazetteer = Gazetteer.from_sources(
            read_gazetteer_file(gzip.decompress(args.gazetteer.read_bytes()).decode())
        )
    settings = FeatureSettings(
        affixes=not args.no_affixes,
        clusters=bool(clusters.table),
        gazetteer=gazetteer.size > 0,
        window=args.window,
        context_clusters=not args.no_context_clusters and bool(clusters.table),
        bigrams=not args.no_bigrams,
        ngrams=not args.no_ngrams,
        cluster_bigrams=not args.no_cluster_bigrams and bool(clusters.table),
        profile=args.profile,
    )
    if args.profile and args.folds not in (0, ner_profile.PARTS):
        sys.exit(
            f"--profile cross-validates over its own {ner_profile.PARTS} parts: pass --folds {ner_profile.PARTS}"
        )
    corpus: list[list[str]] = []

    def profiles(data: ner_profile.Sentences, full: bool) -> tuple[list[Profile], Profile | None]:
        """The jackknife (and with ``full`` the full) profiles of ``data``, as the options say."""
        context = not args.no_profile_context
        return ner_profile.profiles(
            data, clusters, gazetteer, settings, params, corpus, args.workers, full=full, context=context
        )

    if args.profile:
        t0 = time.time()
        corpus = ner_profile.corpus_sentences(args.shared / "data" / "saudinewsnet")
        print(f"profile corpus: {len(corpus)} SaudiNewsNet sentences ({time.time() - t0:.0f} s)", flush=True)
    params = {
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.iterations,
        "feature.possible_transitions": True,
        "feature.possible_states": not args.no_possible_states,
        "feature.minfreq": args.min_freq,
    }
    print(f"settings: {settings.to_dict()}  params: {params}")
    train, dev = split(sents, args.dev_fraction)
    record: dict[str, Any] = {
        "data": {
            "train": "ANERcorp train.txt (CAMeL Lab split)",
            "sha256": hashlib.sha256(train_path.read_bytes()).hexdigest(),
            "sentences": len(sents),
            "tokens": sum(len(w) for w, _ in sents),
            "dev": f"last {len(dev)} sentences ({sum(len(w) for w, _ in dev)} tokens)",
        },
        "settings": settings.to_dict(),
        "segmentation": segmentation_sample(sents),
        "params": params,
        "scheme": args.scheme,
        "clusters": args.clusters.name if clusters.table else None,
        "gazetteer": args.gazetteer.name if gazetteer.size else None,
    }
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_dev:
            path = Path(tmp) / "dev.crfsuite"
            if args.profile:
                t0 = time.time()
                jack, full = profiles(train, full=True)
                ner_profile.fit(train, jack, clusters, gazetteer, settings, params, path)
                secs = time.time() - t0
                assert full is not None
                feat = Featurizer(clusters, gazetteer, settings, profile=full)
            else:
                feat = Featurizer(clusters, gazetteer, settings)
                secs = fit(feat, train, params, path, args.scheme)
            scores = as_record(score_spans(*predict(feat, dev, path)))
            print_scores(f"dev ({len(dev)} sentences), trained on {len(train)} in {secs:.0f} s:", scores)
            print(f"  model size {path.stat().st_size / 1e6:.1f} MB")
            if args.save_dev:
                keep(path, args.save_dev, record, feat.profile if args.profile else None)
                if args.profile:  # the jackknife profiles of its training parts, for train_ner_nn.py
                    for k, part in enumerate(jack):
                        ner_profile.dump(
                            part, args.save_dev.with_name(f"{args.save_dev.stem}.part{k}.profile.tsv.gz")
                        )
            record["dev_scores"] = scores
        jack_all: list[Profile] = []
        full_all: Profile | None = None
        if args.profile and (args.folds or args.final):
            jack_all, full_all = profiles(sents, full=args.final)
        if args.folds:
            gold: list[set[tuple[int, int, str]]] = []
            pred: list[set[tuple[int, int, str]]] = []
            size = -(-len(sents) // args.folds)
            for k in range(args.folds):
                path = Path(tmp) / f"fold{k}.crfsuite"
                held = sents[k * size : (k + 1) * size]
                if args.profile:
                    # the held-out part gets the profile of the base model trained without it; the
                    # training parts keep their jackknife profiles (whose base models saw the
                    # held-out part: a small optimism in the training features only)
                    ner_profile.fit(sents, jack_all, clusters, gazetteer, settings, params, path, skip=k)
                    feat = Featurizer(clusters, gazetteer, settings, profile=jack_all[k])
                else:
                    feat = Featurizer(clusters, gazetteer, settings)
                    fit(feat, sents[: k * size] + sents[(k + 1) * size :], params, path, args.scheme)
                g, p = predict(feat, held, path)
                if args.keep_folds:
                    args.keep_folds.mkdir(parents=True, exist_ok=True)
                    keep(path, args.keep_folds / path.name, record, feat.profile if args.profile else None)
                gold += g
                pred += p
                print(f"  fold {k}: F1 {score_spans(g, p)['ALL'].f1:.4f}", flush=True)
            cv = as_record(score_spans(gold, pred))
            print_scores(f"{args.folds}-fold cross-validation over train.txt (pooled):", cv)
            record["cv_scores"] = cv
        if args.final:
            out = DATA / "model.crfsuite"
            if args.profile:
                secs = ner_profile.fit(sents, jack_all, clusters, gazetteer, settings, params, out)
                assert full_all is not None
                ner_profile.dump(full_all, DATA / "profile.tsv.gz")
                record["profile"] = "profile.tsv.gz"
            else:
                secs = fit(Featurizer(clusters, gazetteer, settings), sents, params, out, args.scheme)
                (DATA / "profile.tsv.gz").unlink(missing_ok=True)
            print(
                f"final model on all {len(sents)} sentences in {secs:.0f} s: {out} ({out.stat().st_size / 1e6:.1f} MB)"
            )
            old = DATA / "model.json"
            prev = json.loads(old.read_text(encoding="utf-8")) if old.exists() else {}
            if args.skip_dev:
                record["dev_scores"] = prev.get("dev_scores")
            ens = prev.get("ensemble")
            if ens and (DATA / ens.get("file", "")).is_file():
                record["ensemble"] = ens
                print(
                    f"  the network {ens['file']} stays in the ensemble: retrain it and re-score the pair with "
                    "tools/train_ner_nn.py --final --crf-folds DIR (see MODEL_CARD.md)"
                )
            (DATA / "model.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )


if __name__ == "__main__":
    main()
