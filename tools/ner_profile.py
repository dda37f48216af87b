"""Word profiles for the NER model: how a model tags each word across the unlabeled news.

``tools/train_ner.py --profile`` uses this.  A base model (without profile features) tags every
sentence of SaudiNewsNet (264,000 sentences, split and tokenised by marsad's own pipeline, as
the ``ner`` stage sees them); each word that occurs at least twice gets the mean probability,
over its occurrences, that it is inside an entity of each type (the marginal 1 − P(O) of the
token, given to the type of its Viterbi label), and the same means for the next word beginning
a name and the previous word ending one.  :meth:`marsad.ner.features.Profile.classes` bands
these into features.

The profile is a feature the model weighs, so the profiles it is trained with must be as good
as the one it meets on new text and no better: the training sentences are split into five
contiguous parts and each part gets the profile of a base model trained without it
(jackknifing); the packaged profile comes from a base model trained on all of them.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pycrfsuite
from build_clusters import read_articles

from marsad.ner.conll import to_iobes
from marsad.ner.features import Clusters, FeatureSettings, Featurizer, Profile
from marsad.ner.gazetteer import Gazetteer

Sentences = list[tuple[list[str], list[str]]]
MIN_COUNT = 2
PARTS = 5


def corpus_sentences(folder: Path, max_tokens: int = 60) -> list[list[str]]:
    """The sentences of every article in ``folder`` (SaudiNewsNet's zips) as word strings, split
    and tokenised by the pipeline's stages before ``ner``; sentences of 4..``max_tokens`` tokens."""
    from marsad.pipeline import Pipeline, default_pipeline

    stages = []
    for s in default_pipeline().stages:
        if s.name == "ner":
            break
        stages.append(s)
    pipe = Pipeline(stages)
    out: list[list[str]] = []
    for text in read_articles(folder):
        doc = pipe.analyze(text)
        for a, b in sorted((x.first_token, x.last_token) for x in doc.sentences):
            if 4 <= b - a <= max_tokens:
                out.append([t.text for t in doc.tokens[a:b]])
    return out


def tag_profile(
    model: Path, featurizer: Featurizer, sentences: Sequence[Sequence[str]], context: bool = True
) -> Profile:
    """The profile of ``sentences`` as ``model`` (features from ``featurizer``) tags them;
    ``context=False``: without the context classes (``>PER2``, ``<LOC1``)."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    index = {"PER": 1, "ORG": 2, "LOC": 3, "MISC": 4}
    # per word: count; inside a name of each type; the next word begins one; the previous ends one
    rows: dict[str, list[float]] = {}
    for ws in sentences:
        labels = tagger.tag(featurizer.sentence(ws))
        p_name = [0.0 if lab == "O" else 1.0 - tagger.marginal("O", j) for j, lab in enumerate(labels)]
        last = len(ws) - 1
        for j, (w, lab) in enumerate(zip(ws, labels, strict=True)):
            key = featurizer.word(w).key
            row = rows.get(key)
            if row is None:
                row = rows[key] = [0] + [0.0] * 12
            row[0] += 1
            if lab != "O":
                row[index[lab[2:]]] += p_name[j]
            if j < last and labels[j + 1][0] in "BS":
                row[4 + index[labels[j + 1][2:]]] += p_name[j + 1]
            if j and labels[j - 1][0] in "ES":
                row[8 + index[labels[j - 1][2:]]] += p_name[j - 1]
    table = {}
    for k, r in rows.items():
        if r[0] >= MIN_COUNT:
            mean = [x / r[0] for x in r[1:]]
            table[k] = (
                Profile.classes(mean[:4], mean[4:8], mean[8:]) if context else Profile.classes(mean[:4])
            )
    return Profile(table)


# The worker state of a pool: set once per process by _init, read by _base_profile.
_STATE: dict[str, Any] = {}


def _init(
    clusters: Clusters,
    gazetteer: Gazetteer,
    settings: FeatureSettings,
    params: dict[str, Any],
    corpus: list[list[str]],
    context: bool,
) -> None:
    _STATE.update(
        clusters=clusters,
        gazetteer=gazetteer,
        settings=settings,
        params=params,
        corpus=corpus,
        context=context,
    )


def _base_profile(train: Sentences) -> dict[str, tuple[str, ...]]:
    """Fit a base model on ``train`` and return the profile it gives the corpus."""
    s = _STATE
    feat = Featurizer(s["clusters"], s["gazetteer"], s["settings"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "base.crfsuite"
        # the base settings have no profile, so the empty profiles are never read
        fit(train, [Profile.empty()] * PARTS, s["clusters"], s["gazetteer"], s["settings"], s["params"], path)
        return tag_profile(path, feat, s["corpus"], s["context"]).table


def parts(sents: Sentences, n: int = PARTS) -> list[Sentences]:
    size = -(-len(sents) // n)
    return [sents[k * size : (k + 1) * size] for k in range(n)]


def profiles(
    sents: Sentences,
    clusters: Clusters,
    gazetteer: Gazetteer,
    settings: FeatureSettings,
    params: dict[str, Any],
    corpus: list[list[str]],
    workers: int = 2,
    full: bool = True,
    context: bool = True,
) -> tuple[list[Profile], Profile | None]:
    """The jackknife profiles of the :data:`PARTS` parts of ``sents`` (each from a base model
    trained without that part) and, with ``full``, the profile of a base model trained on all of
    ``sents``.  Base models use ``settings`` without the profile; runs on ``workers`` processes."""
    base = dataclasses.replace(settings, profile=False)
    ps = parts(sents)
    jobs = [[s for j, p in enumerate(ps) if j != k for s in p] for k in range(len(ps))]
    if full:
        jobs.append(sents)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(
        workers, initializer=_init, initargs=(clusters, gazetteer, base, params, corpus, context)
    ) as pool:
        tables = pool.map(_base_profile, jobs, chunksize=1)
    got = [Profile(t) for t in tables]
    return (got[:-1], got[-1]) if full else (got, None)


def fit(
    sents: Sentences,
    jackknife: Sequence[Profile],
    clusters: Clusters,
    gazetteer: Gazetteer,
    settings: FeatureSettings,
    params: dict[str, Any],
    path: Path,
    skip: int | None = None,
) -> float:
    """Train the profiled model on ``sents`` into ``path``, part ``k`` featurized with
    ``jackknife[k]`` (part ``skip`` left out, for cross-validation); returns the seconds taken."""
    t0 = time.time()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for k, part in enumerate(parts(sents)):
        if k == skip:
            continue
        feat = Featurizer(clusters, gazetteer, settings, profile=jackknife[k])
        for words, tags in part:
            trainer.append(feat.sentence(words), to_iobes(tags))
    trainer.set_params(params)
    trainer.train(str(path))
    return time.time() - t0


def dump(profile: Profile, path: Path) -> None:
    import gzip

    head = "# marsad NER word profile: word<TAB>classes. Built by tools/train_ner.py --profile from SaudiNewsNet (CC BY-NC-SA 4.0).\n"
    path.write_bytes(gzip.compress((head + profile.write()).encode("utf-8"), mtime=0))
