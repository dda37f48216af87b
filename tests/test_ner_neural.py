"""The numpy BiLSTM-CRF of marsad.ner.neural: its CRF against brute force, its helpers."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from marsad.ner.conll import tag_spans, to_iob2
from marsad.ner.neural import (
    CHAR_DIM,
    CONTEXT_OFFSETS,
    LABELS,
    ContextModel,
    NeuralTagger,
    _matmul,
    allowed_transitions,
    char_ids,
    forward_backward,
    length_groups,
)


def _crf_only(seed: int) -> NeuralTagger:
    """A tagger whose CRF layer has random scores (the network parts are not used here)."""
    rng = np.random.default_rng(seed)
    tagger = NeuralTagger.__new__(NeuralTagger)
    trans, start, end = allowed_transitions()
    n = len(LABELS)
    t = np.where(trans, rng.normal(size=(n, n)), -np.inf).astype(np.float32)
    s = np.where(start, rng.normal(size=n), -np.inf).astype(np.float32)
    e = np.where(end, rng.normal(size=n), -np.inf).astype(np.float32)
    tagger.w = type("W", (), {"trans": t, "start": s, "end": e})()  # type: ignore[assignment]
    tagger._exp_trans = np.exp(t)
    tagger._exp_start = np.exp(s)
    tagger._exp_end = np.exp(e)
    return tagger


def test_allowed_transitions_are_iobes() -> None:
    trans, start, end = allowed_transitions()
    ix = {lab: k for k, lab in enumerate(LABELS)}
    assert trans[ix["B-PER"], ix["I-PER"]] and trans[ix["B-PER"], ix["E-PER"]]
    assert not trans[ix["B-PER"], ix["O"]] and not trans[ix["B-PER"], ix["I-LOC"]]
    assert trans[ix["E-ORG"], ix["S-LOC"]] and not trans[ix["O"], ix["I-ORG"]]
    assert start[ix["S-MISC"]] and not start[ix["E-MISC"]]
    assert end[ix["E-PER"]] and not end[ix["I-PER"]]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_crf_marginals_and_viterbi_match_brute_force(seed: int) -> None:
    tagger = _crf_only(seed)
    rng = np.random.default_rng(100 + seed)
    n = len(LABELS)
    lens = [3, 2]  # the second sentence is padded: padding must not change its result
    emit = rng.normal(size=(2, 3, n)).astype(np.float32) * 2
    mask = np.arange(3)[None, :] < np.array(lens)[:, None]
    marg = tagger._marginals(emit, mask)
    path = tagger._viterbi(emit, mask)
    w = tagger.w
    for r, length in enumerate(lens):
        scores = {}
        for seq in itertools.product(range(n), repeat=length):
            sc = w.start[seq[0]] + w.end[seq[-1]] + sum(emit[r, t, seq[t]] for t in range(length))
            sc += sum(w.trans[seq[t - 1], seq[t]] for t in range(1, length))
            if np.isfinite(sc):
                scores[seq] = sc
        best = max(scores, key=lambda k: scores[k])
        assert tuple(path[r, :length]) == best
        z = np.logaddexp.reduce(list(scores.values()))
        expect = np.zeros((length, n))
        for seq, sc in scores.items():
            for t, k in enumerate(seq):
                expect[t, k] += np.exp(sc - z)
        np.testing.assert_allclose(marg[r, :length], expect, atol=1e-5)


def test_forward_backward_of_stacked_models_equals_each_alone() -> None:
    """Two CRFs over the same padded sentences, stacked, give each one's own marginals."""
    rng = np.random.default_rng(7)
    n = len(LABELS)
    mask = np.arange(5)[None, :] < np.array([5, 2, 4])[:, None]
    emit = rng.normal(size=(2, 3, 5, n)).astype(np.float32) * 2
    trans = np.exp(rng.normal(size=(2, n, n))).astype(np.float32)
    start = np.exp(rng.normal(size=(2, n))).astype(np.float32)
    end = np.exp(rng.normal(size=(2, n))).astype(np.float32)
    both = forward_backward(emit, mask, trans, start[:, None], end[:, None])
    for k in range(2):
        alone = forward_backward(emit[k], mask, trans[k], start[k], end[k])
        np.testing.assert_allclose(both[k][mask], alone[mask], atol=1e-6)


def test_viterbi_paths_are_valid_iobes() -> None:
    tagger = _crf_only(5)
    rng = np.random.default_rng(7)
    emit = rng.normal(size=(4, 9, len(LABELS))).astype(np.float32) * 3
    path = tagger._viterbi(emit, np.ones((4, 9), dtype=bool))
    trans, start, end = allowed_transitions()
    for row in path:
        assert start[row[0]] and end[row[-1]]
        assert all(trans[a, b] for a, b in itertools.pairwise(row))
        tags = [LABELS[k] for k in row]
        assert all(t[0] in "OBIES" for t in tags)
        assert tag_spans(to_iob2(tags)) is not None


def test_matmul_in_blocks_equals_the_product() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(size=(700, 128)).astype(np.float32)
    b = rng.normal(size=(128, 512)).astype(np.float32)
    np.testing.assert_allclose(_matmul(a, b), a @ b, rtol=1e-5, atol=1e-4)


def test_char_ids_mark_ends_digits_and_unknowns() -> None:
    chars = {"ك": 4, "0": 5}
    assert char_ids("ك12س", chars) == [1, 4, 5, 2, 3]
    assert len(char_ids("ا" * 50, chars)) == 22


def _random_model(path: Path, *, chars: bool, extra: tuple[str, ...] = (), context: bool = False) -> None:
    """A neural model file with random weights (``extra`` features too; with ``context``, a
    context model), and its ``.json`` beside it."""
    rng = np.random.default_rng(11)
    features = ("b", "sh=a", "v=w", "v=oov", *extra)
    h, d_feat, d_vec, n_feat, n_words, n = 8, 6, 5, len(features), 3, len(LABELS)
    filters = 4 if chars else 0
    d_ctx = 3 if context else 0
    d_in = d_feat + d_vec + filters + 8 + d_ctx
    alphabet = "ابتكلمنوي"
    arrays = {
        "features": np.frombuffer("\n".join(features).encode(), dtype=np.uint8),
        "words": np.frombuffer("كيري\nموسكو\nفي".encode(), dtype=np.uint8),
        "feat_emb": rng.integers(-127, 128, size=(n_feat, d_feat)).astype(np.int8),
        "feat_emb_scale": np.full(n_feat, 0.01, np.float16),
        "vectors": rng.integers(-127, 128, size=(n_words, d_vec)).astype(np.int8),
        "vectors_scale": np.full(n_words, 0.01, np.float16),
        "w_ih": rng.normal(size=(2, 4 * h, d_in)).astype(np.float32),
        "w_hh": rng.normal(size=(2, 4 * h, h)).astype(np.float32),
        "bias": rng.normal(size=(2, 4 * h)).astype(np.float32),
        "w_out": rng.normal(size=(n, 2 * h)).astype(np.float32),
        "b_out": rng.normal(size=n).astype(np.float32),
        "trans": rng.normal(size=(n, n)).astype(np.float32),
        "start": rng.normal(size=n).astype(np.float32),
        "end": rng.normal(size=n).astype(np.float32),
    }
    if chars:
        arrays["chars"] = np.frombuffer(alphabet.encode(), dtype=np.uint8)
        arrays["char_emb"] = rng.normal(size=(4 + len(alphabet), CHAR_DIM)).astype(np.float32)
        arrays["char_w"] = rng.normal(size=(3 * CHAR_DIM, filters)).astype(np.float32)
        arrays["char_b"] = rng.normal(size=filters).astype(np.float32)
    if context:
        arrays.update(_random_context(rng, np.zeros((n_words, d_vec), np.float32), d_ctx).arrays())
    np.savez(path, **arrays)
    meta = {"kind": "neural", "file": path.name, "settings": {}, "clusters": None, "gazetteer": None}
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")


def _random_context(rng: np.random.Generator, vectors: np.ndarray, dim: int) -> ContextModel:
    offsets = np.array(CONTEXT_OFFSETS)
    return ContextModel(
        {
            "ctx_proj_w": rng.normal(size=(vectors.shape[1], 4)).astype(np.float32),
            "ctx_proj_b": rng.normal(size=4).astype(np.float32),
            "ctx_special": rng.normal(size=(2, 4)).astype(np.float32),
            "ctx_w1": rng.normal(size=(4 * len(offsets), 7)).astype(np.float32),
            "ctx_b1": rng.normal(size=7).astype(np.float32),
            "ctx_w2": rng.normal(size=(7, dim)).astype(np.float32),
            "ctx_b2": rng.normal(size=dim).astype(np.float32),
            "ctx_offsets": offsets,
            "ctx_mean": rng.normal(size=dim).astype(np.float32),
            "ctx_scale": np.abs(rng.normal(size=dim)).astype(np.float32),
        },
        vectors,
    )


def test_context_model_reads_the_neighbours_within_the_sentence() -> None:
    """Each token's output is the two ReLU layers over its neighbours' rows at the offsets,
    the sentence edge's row beyond either end (never the next sentence's words), the unknown
    word's row for ``-1``; the token's own row is not read."""
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(6, 5)).astype(np.float32)
    ctx = _random_context(rng, vectors, 3)
    np.testing.assert_allclose(ctx.table[:6], vectors @ ctx.proj_w + ctx.proj_b, rtol=1e-5, atol=1e-5)
    sentences = [[0, 1, -1, 2, 3, 4, 5, 1], [], [5], [2, 3]]
    got = ctx(sentences)
    assert [g.shape for g in got] == [(8, 3), (0, 3), (1, 3), (2, 3)]
    for rows, out in zip(sentences, got):
        for i in range(len(rows)):
            picked = []
            for k in ctx.offsets:
                j = i + k
                r = ctx.edge if not 0 <= j < len(rows) else rows[j] if rows[j] >= 0 else ctx.unknown
                picked.append(ctx.table[r])
            h = np.maximum(np.concatenate(picked) @ ctx.w1 + ctx.b1, 0)
            want = (np.maximum(h @ ctx.w2 + ctx.b2, 0) - ctx.mean) * ctx.scale
            np.testing.assert_allclose(out[i], want, rtol=1e-5, atol=1e-5)
    changed = ctx([[0, 1, -1, 2, 3, 4, 5, 4], [], [5], [2, 3]])[0]
    np.testing.assert_array_equal(changed[-1], got[0][-1])  # a token's own row is not read
    np.testing.assert_array_equal(changed[:4], got[0][:4])  # nor by tokens more than 3 away
    assert not np.allclose(changed[4:7], got[0][4:7])
    assert ctx([]) == []
    with pytest.raises(ValueError, match=r"5-d word vectors.*4-d.*train_ner_context\.py"):
        ContextModel(ctx.arrays(), np.zeros((6, 4), np.float32))


def test_tagger_with_context_is_the_same_per_sentence_and_uses_it(tmp_path: Path) -> None:
    """A model with a context model gives each sentence the same marginals in a document as alone
    (the context of the right sentence reaches the right batch row), and the context matters."""
    from marsad.ner import load_ner
    from marsad.ner.models import NeuralModel

    path = tmp_path / "nn.npz"
    _random_model(path, chars=False, context=True)
    model = load_ner(model=path)._model
    assert isinstance(model, NeuralModel)
    tagger = model.tagger
    assert tagger.w.context is not None
    doc = [
        ["قال", "جون", "كيري", "في", "موسكو", "إن", "المحادثات", "مع", "لافروف", "كانت", "جيدة"],
        ["في", "موسكو"],
        [],
        ["كيري", "في", "موسكو", "اليوم"],
    ]
    together = tagger.run(doc)
    for sentence, (labels, marg) in zip(doc, together):
        alone_labels, alone = tagger.run([sentence])[0]
        assert labels == alone_labels
        np.testing.assert_allclose(marg, alone, atol=1e-5)
    tagger.w = dataclasses.replace(tagger.w, context=None)
    tagger._w_ctx = np.zeros_like(tagger._w_ctx)
    assert not np.allclose(tagger.run(doc)[0][1], together[0][1], atol=1e-3)


@pytest.mark.parametrize(("chars", "context"), [(False, False), (True, False), (False, True)])
def test_stage_runs_a_neural_model(tmp_path: Path, chars: bool, context: bool) -> None:
    """The stage loads a ``"kind": "neural"`` model and gives entities with offsets and
    confidences; every model label sequence is valid IOBES."""
    from marsad.ner import load_ner
    from marsad.pipeline import default_pipeline

    path = tmp_path / "nn.npz"
    _random_model(path, chars=chars, context=context)
    ner = load_ner(model=path)
    words = ["قال", "جون", "كيري", "في", "موسكو", "إن", "المحادثات", "مع", "لافروف", "كانت", "جيدة"]
    labels = ner._model.run([words, [], words[:3]])
    assert [len(x) for x in labels] == [len(words), 0, 3]
    trans, start, end = allowed_transitions()
    ix = {lab: k for k, lab in enumerate(LABELS)}
    for seq in (labels[0], labels[2]):
        ks = [ix[x] for x in seq]
        assert start[ks[0]] and end[ks[-1]] and all(trans[a, b] for a, b in itertools.pairwise(ks))
    for j in range(len(words)):
        assert 0.0 <= ner._model.label_prob(0, j) <= 1.0 + 1e-6
    text = "قال جون كيري في موسكو إن المحادثات مع لافروف كانت جيدة."
    pipe = default_pipeline()
    stages = [ner if s.name == "ner" else s for s in pipe.stages]
    doc = type(pipe)(stages).analyze(text)
    for e in doc.entities:
        assert text[e.start : e.end] == e.text


def test_viterbi_marginals_is_the_best_valid_path() -> None:
    """Decoding averaged marginals: the valid IOBES path with the largest product, by brute force;
    sentences whose per-token best labels are already valid and those that need the search,
    alone and padded together in one batch."""
    from marsad.ner.models import decode_marginals

    trans, start, end = allowed_transitions()
    n = len(LABELS)
    rng = np.random.default_rng(21)
    cases = []
    for length in (1, 2, 3):
        for trial in range(12):
            # sharp marginals often make the argmax path valid, flat ones seldom
            marg = rng.dirichlet(np.ones(n) * (0.05 if trial % 2 else 0.5), size=length).astype(np.float32)
            best, best_score = None, -np.inf
            for seq in itertools.product(range(n), repeat=length):
                if not (
                    start[seq[0]] and end[seq[-1]] and all(trans[a, b] for a, b in itertools.pairwise(seq))
                ):
                    continue
                sc = sum(np.log(max(float(marg[t, k]), 1e-9)) for t, k in enumerate(seq))
                if sc > best_score:
                    best, best_score = seq, sc
            assert tuple(decode_marginals(marg[None], np.ones((1, length), bool))[0]) == best
            cases.append((marg, best))
    argmax_valid = [
        all(trans[a, b] for a, b in itertools.pairwise(m.argmax(axis=1)))
        and start[m.argmax(axis=1)[0]]
        and end[m.argmax(axis=1)[-1]]
        for m, _ in cases
    ]
    assert any(argmax_valid) and not all(argmax_valid)  # both ways are exercised
    batch = np.full((len(cases), 3, n), 1.0 / n, np.float32)
    mask = np.zeros((len(cases), 3), bool)
    for r, (m, _) in enumerate(cases):
        batch[r, : len(m)] = m
        mask[r, : len(m)] = True
    paths = decode_marginals(batch, mask)
    for r, (m, best) in enumerate(cases):
        assert tuple(paths[r, : len(m)]) == best


def _tiny_crf(path: Path, ensemble: dict[str, object] | None, profile: str | None = None) -> None:
    """A CRF trained on two sentences, with its ``.json`` (and an ensemble entry) beside it;
    ``profile``: the word-profile file its ``.json`` names (the CRF itself was trained without)."""
    import pycrfsuite

    from marsad.ner.features import Clusters, FeatureSettings, Featurizer
    from marsad.ner.gazetteer import Gazetteer

    feat = Featurizer(Clusters.empty(), Gazetteer.from_sources(), FeatureSettings())
    trainer = pycrfsuite.Trainer(verbose=False)
    data = [
        (["قال", "جون", "كيري", "في", "موسكو"], ["O", "B-PER", "E-PER", "O", "S-LOC"]),
        (["زار", "لافروف", "جنيف", "أمس"], ["O", "S-PER", "S-LOC", "O"]),
    ]
    for words, labels in data:
        trainer.append(feat.sentence(words), labels)
    trainer.set_params({"max_iterations": 30, "feature.possible_states": True})
    trainer.train(str(path))
    settings = FeatureSettings(profile=profile is not None).to_dict()
    meta: dict[str, object] = {"settings": settings, "clusters": None, "gazetteer": None, "profile": profile}
    if ensemble is not None:
        meta["ensemble"] = ensemble
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.mark.parametrize("pool", [None, "mean", "geometric"])
def test_stage_runs_an_ensemble(tmp_path: Path, pool: str | None) -> None:
    """A CRF whose ``.json`` names a network runs as an ensemble: its marginals are the two
    models' pooled as the ``.json`` says (the weighted mean when it does not), and its labels
    the best valid path through them."""
    from marsad.ner import load_ner
    from marsad.ner.models import CrfModel, EnsembleModel, decode_marginals

    _random_model(tmp_path / "nn.npz", chars=False)
    crf_path = tmp_path / "crf.crfsuite"
    entry: dict[str, object] = {"file": "nn.npz", "weight": 0.3, "settings": {}}
    if pool:
        entry["pool"] = pool
    _tiny_crf(crf_path, entry)
    model = load_ner(model=crf_path).model
    assert isinstance(model, EnsembleModel)
    assert model.pool == (pool or "mean")
    words = ["قال", "جون", "كيري", "في", "موسكو", "إن", "لافروف", "زار", "جنيف"]
    labels = model.run([words, [], words[:2]])
    assert [len(x) for x in labels] == [len(words), 0, 2]
    # the two models' own marginals, computed apart (the CRF's by crfsuite itself)
    net = model.neural.tagger.run([words])[0][1]
    tagger = model.crf.tagger
    tagger.set(model.crf.featurizer.sentence(words))
    known = set(tagger.labels())  # the tiny CRF never saw I- labels: they count as 0
    crf = np.array([[tagger.marginal(lab, j) if lab in known else 0.0 for lab in LABELS] for j in range(9)])
    if pool == "geometric":
        mean = (crf + 1e-6) ** 0.7 * (net + 1e-6) ** 0.3
        mean /= mean.sum(axis=1, keepdims=True)
    else:
        mean = 0.3 * net + 0.7 * crf
    ix = {lab: k for k, lab in enumerate(LABELS)}
    ours, _ = model.weights.marginals(model.crf.featurizer, [words])
    np.testing.assert_allclose(ours[0], crf, atol=1e-5)
    path = decode_marginals(mean[None].astype(np.float32), np.ones((1, len(words)), bool))[0]
    assert [LABELS[k] for k in path] == labels[0]
    for j, lab in enumerate(labels[0]):
        assert model.label_prob(0, j) == pytest.approx(mean[j, ix[lab]], abs=1e-5)
    assert model.entity_prob(0, 1, 3) == pytest.approx(1 - mean[1:3, 0].min(), abs=1e-5)
    assert isinstance(model.crf, CrfModel)


def test_ensemble_errors_name_the_file_and_the_fix(tmp_path: Path) -> None:
    from marsad.ner import load_ner

    crf_path = tmp_path / "crf.crfsuite"
    _tiny_crf(crf_path, {"file": "missing.npz", "weight": 0.4, "settings": {}})
    with pytest.raises(RuntimeError, match=r"missing\.npz.*train_ner_nn\.py"):
        load_ner(model=crf_path)
    _random_model(tmp_path / "nn.npz", chars=False)
    _tiny_crf(crf_path, {"file": "nn.npz", "weight": 1.5, "settings": {}})
    with pytest.raises(RuntimeError, match=r"weight 1\.5.*model\.json"):
        load_ner(model=crf_path)
    _tiny_crf(crf_path, {"file": "nn.npz", "weight": 0.5, "pool": "median", "settings": {}})
    with pytest.raises(RuntimeError, match=r"pool 'median' is not one of mean, geometric.*model\.json"):
        load_ner(model=crf_path)


def test_ensemble_network_reads_the_crfs_profile(tmp_path: Path) -> None:
    """A network trained with the word profiles (``tools/train_ner_nn.py --profiles``) gets the
    profile classes of the CRF's profile file, read through the CRF's featurizer."""
    import gzip

    from marsad.ner import load_ner
    from marsad.ner.features import FeatureSettings
    from marsad.ner.models import EnsembleModel

    (tmp_path / "p.tsv.gz").write_bytes(gzip.compress("كيري\tPER3\n".encode()))
    _random_model(tmp_path / "nn.npz", chars=False, extra=("au=PER3",))
    crf_path = tmp_path / "crf.crfsuite"
    settings = FeatureSettings(profile=True).to_dict()
    _tiny_crf(crf_path, {"file": "nn.npz", "weight": 0.3, "settings": settings}, profile="p.tsv.gz")
    model = load_ner(model=crf_path).model
    assert isinstance(model, EnsembleModel)
    inputs = model.neural.tagger.inputs
    assert inputs.featurizer._source is model.crf.featurizer
    au = inputs.features["au=PER3"]
    assert au in inputs.word("كيري")[0]
    assert au not in inputs.word("موسكو")[0]
    assert len(model.run([["قال", "كيري", "في", "موسكو"]])[0]) == 4


def test_pseudo_labels_keep_the_confident_sentences_with_a_name(tmp_path: Path) -> None:
    """``tools/ner_pseudo.py`` keeps a sentence only when it has an entity and every token's
    label is at least as probable as the threshold, and writes what ``read_conll`` reads back."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from ner_pseudo import confident, write_conll

    from marsad.ner.conll import read_conll

    table = {  # sentence -> (IOBES labels, each label's marginal)
        ("زار", "لافروف", "جنيف"): (["O", "S-PER", "S-LOC"], [0.99, 0.95, 0.9]),
        ("قال", "جون", "كيري"): (["O", "B-PER", "E-PER"], [0.99, 0.85, 0.97]),
        ("ثم", "عاد"): (["O", "O"], [0.99, 0.99]),
        (): ([], []),
        ("في", "الأمم", "المتحدة"): (["O", "B-ORG", "E-ORG"], [0.93, 0.91, 0.92]),
    }

    class Fake:
        def run(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
            self.probs = [table[tuple(ws)][1] for ws in sentences]
            return [table[tuple(ws)][0] for ws in sentences]

        def label_prob(self, i: int, j: int) -> float:
            return self.probs[i][j]

        def entity_prob(self, i: int, s: int, e: int) -> float:
            raise AssertionError("not read")

    sents = [list(k) for k in table]
    kept = confident(Fake(), sents, 0.9, batch=2)  # the last sentence is in a batch of its own
    assert kept == [
        (["زار", "لافروف", "جنيف"], ["O", "B-PER", "B-LOC"]),
        (["في", "الأمم", "المتحدة"], ["O", "B-ORG", "I-ORG"]),
    ]
    assert [w for w, _ in confident(Fake(), sents, 0.8)] == [sents[0], sents[1], sents[4]]
    write_conll(tmp_path / "p.txt", kept)
    assert read_conll(tmp_path / "p.txt") == kept


def test_pseudo_labels_come_from_the_plain_network(tmp_path: Path) -> None:
    """``tools/ner_pseudo.py`` tells a teacher whose network learnt from pseudo-labelled news (the
    packaged network: ``model.json`` records it) from the plain one of the recipe's first round;
    the second round asks for such a teacher with ``--second-round``."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from ner_pseudo import self_trained

    crf = tmp_path / "m.crfsuite"
    for network, expected in (
        ({"data": {"train": "ANERcorp", "pseudo_labelled": {"sentences": 9852}}}, True),
        ({"data": {"train": "ANERcorp"}}, False),
        (None, False),
    ):
        ens: dict[str, object] = {"file": "nn.npz", "weight": 0.5}
        if network is not None:
            ens["network"] = network
        crf.with_suffix(".json").write_text(json.dumps({"ensemble": ens}), encoding="utf-8")
        assert self_trained(crf) is expected
    crf.with_suffix(".json").write_text("{", encoding="utf-8")
    assert self_trained(crf) is False  # left to load_ner, which names the fix
    packaged = json.loads(
        (Path(__file__).resolve().parent.parent / "src/marsad/ner/data/model.json").read_text(
            encoding="utf-8"
        )
    )
    net = packaged.get("ensemble", {}).get("network", {})
    assert bool(net.get("data", {}).get("pseudo_labelled")) == (net.get("params", {}).get("word_drop", 0) > 0)


def test_cv_decodes_the_weighted_mean_of_the_fold_models() -> None:
    """``tools/ner_cv.py`` scores a weight from the two models' padded marginals: weight 0 is the
    CRF's best valid path, 1 the networks', and the spans come back per sentence of the document."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from ner_cv import decode

    ix = {lab: k for k, lab in enumerate(LABELS)}

    def marg(rows: list[list[str]], n: int) -> np.ndarray:
        out = np.full((len(rows), n, len(LABELS)), 0.01, np.float32)
        for r, labels in enumerate(rows):
            for j, lab in enumerate(labels):
                out[r, j, ix[lab]] = 0.9
        return out

    sents = [
        (["زار", "لافروف", "جنيف"], ["O", "B-PER", "B-LOC"]),
        (["قال", "كيري"], ["O", "B-PER"]),
    ]
    crf = marg([["O", "S-PER", "S-LOC"], ["O", "O"]], 3)
    net = marg([["O", "B-PER", "E-PER"], ["O", "S-PER"]], 3)
    mask = np.array([[True, True, True], [True, True, False]])
    for pool in ("mean", "geometric"):
        gold, pred = decode([(crf, mask, net)], sents, 0.0, pool)
        assert gold == [{(1, 2, "PER"), (2, 3, "LOC")}, {(1, 2, "PER")}]
        assert pred == [{(1, 2, "PER"), (2, 3, "LOC")}, set()]
        _, pred = decode([(crf, mask, net)], sents, 1.0, pool)
        assert pred == [{(1, 3, "PER")}, {(1, 2, "PER")}]


def test_cv_dev_pair_is_checked_before_any_scoring(tmp_path: Path) -> None:
    """``tools/ner_cv.py --dev-crf/--dev-net``: one without the other, or a missing file, stops the
    run at once with the fix, before hours of cross-validation scoring."""
    pytest.importorskip("torch")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from ner_cv import main

    crf = tmp_path / "dev.crfsuite"
    crf.write_bytes(b"")
    base = ["--shared", str(tmp_path), "--crf-folds", str(tmp_path), "--net-folds", str(tmp_path)]
    with pytest.raises(SystemExit, match="--dev-crf and --dev-net go together"):
        main([*base, "--dev-crf", str(crf)])
    with pytest.raises(
        SystemExit, match=r"devnn\.npz not found: make it with tools/train_ner_nn\.py --save-dev"
    ):
        main([*base, "--dev-crf", str(crf), "--dev-net", str(tmp_path / "devnn.npz")])
    # --only-folds scores the folds that exist so far; it checks only their files, never --record
    with pytest.raises(SystemExit, match="--only-folds 5: each fold must be within 0..4"):
        main([*base, "--only-folds", "5"])
    with pytest.raises(SystemExit, match="--only-folds 'a': give fold numbers"):
        main([*base, "--only-folds", "a"])
    with pytest.raises(SystemExit, match="--record writes the whole cross-validation"):
        main([*base, "--only-folds", "0", "--record"])
    (tmp_path / "data" / "anercorp").mkdir(parents=True)
    (tmp_path / "data" / "anercorp" / "train.txt").write_text("كيري B-PERS\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"fold1\.crfsuite not found: make it with tools/train_ner\.py"):
        main([*base, "--only-folds", "1"])


def test_geometric_pool_lets_a_sure_model_outvote_an_unsure_one() -> None:
    """``pool_marginals``: the mean splits the difference; the geometric pool is the renormalised
    weighted product, so a model that is sure a token is ``O`` (0.98) outvotes one that spreads
    its mass over names (0.4 ``O``, 0.3 each for two names), where the mean would not."""
    from marsad.ner.models import pool_marginals

    ix = {lab: k for k, lab in enumerate(LABELS)}
    sure = np.full((1, 1, len(LABELS)), 0.02 / (len(LABELS) - 1), np.float32)
    sure[0, 0, ix["O"]] = 0.98
    unsure = np.zeros((1, 1, len(LABELS)), np.float32)
    unsure[0, 0, [ix["O"], ix["S-PER"], ix["S-LOC"]]] = [0.1, 0.45, 0.45]
    mean = pool_marginals(sure, unsure, 0.5, "mean")
    np.testing.assert_allclose(mean, 0.5 * sure + 0.5 * unsure)
    geo = pool_marginals(sure, unsure, 0.5, "geometric")
    want = np.sqrt((sure + 1e-6) * (unsure + 1e-6))
    np.testing.assert_allclose(geo, want / want.sum(), rtol=1e-5)
    assert geo.sum() == pytest.approx(1.0, abs=1e-6)
    assert mean[0, 0].argmax() == ix["O"] and geo[0, 0].argmax() == ix["O"]
    assert geo[0, 0, ix["O"]] > mean[0, 0, ix["O"]]  # the sure model counts for more
    # another weight: the weighted product; 0 and 1 give each model back (but for the 10⁻⁶ lift)
    w = pool_marginals(sure, unsure, 0.3, "geometric")
    want = (sure + 1e-6) ** 0.7 * (unsure + 1e-6) ** 0.3
    np.testing.assert_allclose(w, want / want.sum(), rtol=1e-5)
    np.testing.assert_allclose(pool_marginals(sure, unsure, 0.0, "geometric"), sure, atol=5e-5)
    np.testing.assert_allclose(pool_marginals(sure, unsure, 1.0, "geometric"), unsure, atol=5e-5)
    with pytest.raises(ValueError, match=r"'median'.*model\.json"):
        pool_marginals(sure, unsure, 0.5, "median")


def test_length_groups_cut_sorted_sentences_where_padding_would_pass_half() -> None:
    lens = [5, 1, 9, 2, 2, 40, 3, 8]
    groups = length_groups(lens, range(len(lens)))
    assert sorted(i for g in groups for i in g) == list(range(len(lens)))
    assert [[lens[i] for i in g] for g in groups] == [[1, 2, 2, 3, 5], [8, 9], [40]]
    assert [len(g) for g in length_groups(lens, range(len(lens)), most=3)] == [3, 3, 2]
    # no group closes before it has ``least`` members
    assert [len(g) for g in length_groups(lens, [0, 1, 2, 5], least=3)] == [3, 1]
    assert length_groups(lens, []) == []


def test_network_starts_from_the_pretrained_language_model() -> None:
    """``tools/train_ner_nn.py --init``: the LSTM is the language model's, and so is the embedding of
    each feature the language model learnt; the other features keep their random start."""
    torch = pytest.importorskip("torch")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from train_ner_nn import Net, init_from

    def net(n_feat: int, seed: int) -> Net:
        torch.manual_seed(seed)
        return Net(n_feat, np.ones((3, 4), np.float32), 5, 6, 0.5, 0.0, 4, 0, 0, 0.1, 0)

    lm = net(3, 1)
    pre = {
        "features": ["v=oov", "w=كيري", "w=موسكو"],
        "state": {k: v.clone() for k, v in lm.state_dict().items() if k.startswith(("feat.", "lstm."))},
    }
    tagger = net(4, 2)
    before = tagger.feat.weight.detach().clone()
    features = ["v=oov", "w=جنيف", "w=كيري", "w=موسكو"]  # as build_features sorts them
    assert init_from(tagger, features, pre) == 3
    for name, param in tagger.lstm.named_parameters():
        assert torch.equal(param, lm.lstm.get_parameter(name))
    got = tagger.feat.weight.detach()
    assert torch.equal(got[[0, 2, 3]], lm.feat.weight.detach()[[0, 1, 2]])
    assert torch.equal(got[1], before[1])  # not pretrained: as it was
    assert torch.equal(got[4], before[4])  # the padding row stays zero
    assert not torch.equal(got[2], before[2])
    with_chars = Net(4, np.ones((3, 4), np.float32), 5, 6, 0.5, 0.0, 4, 3, 0, 0.1, 0)
    with pytest.raises(SystemExit, match="without --char-filters"):
        init_from(with_chars, features, pre)


def test_pretrained_language_model_file_is_checked(tmp_path: Path) -> None:
    """``--init`` names what is wrong with its file before any training starts."""
    torch = pytest.importorskip("torch")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from train_ner_nn import load_pretrained

    path = tmp_path / "lm.pt"
    with pytest.raises(SystemExit, match="not a pretrained language model"):
        load_pretrained(path, 64, 64)  # missing
    torch.save({"settings": {"hidden": 64, "feat_dim": 64}, "state": {}, "features": []}, path)
    with pytest.raises(SystemExit, match="not a pretrained language model.*lstm.weight_ih_l0"):
        load_pretrained(path, 64, 64)  # no weights
    state = {"lstm.weight_ih_l0": torch.zeros(4, 2), "feat.weight": torch.zeros(2, 2)}
    torch.save({"settings": {"hidden": 32, "feat_dim": 64}, "state": state, "features": ["v=oov"]}, path)
    with pytest.raises(SystemExit, match="--hidden 64 --feat-dim 64"):
        load_pretrained(path, 64, 64)  # other sizes
    assert load_pretrained(path, 32, 64)["features"] == ["v=oov"]
