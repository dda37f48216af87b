"""The tagging models behind the ``ner`` stage (the CRF, the BiLSTM-CRF, the two together), one
small interface.

``run(sentences)`` tags a document's sentences (word strings) and returns IOBES labels; then
``label_prob(i, j)`` is the model's marginal probability of the label it chose for token ``j`` of
sentence ``i``, and ``entity_prob(i, s, e)`` the largest probability over tokens ``s..e-1`` that
the token belongs to some entity (1 − P(O)).  The stage's post-processing uses only these.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pycrfsuite

from marsad.ner.features import Featurizer
from marsad.ner.neural import (
    LABELS,
    NeuralTagger,
    allowed_transitions,
    forward_backward,
    length_groups,
    viterbi,
)

__all__ = [
    "CrfDump",
    "CrfFile",
    "CrfModel",
    "CrfWeights",
    "EnsembleModel",
    "NerModel",
    "NeuralModel",
    "crf_dump",
    "decode_marginals",
    "read_crf",
]


class NerModel(Protocol):
    def run(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]: ...

    def label_prob(self, i: int, j: int) -> float: ...

    def entity_prob(self, i: int, s: int, e: int) -> float: ...


class CrfModel:
    """python-crfsuite over :class:`Featurizer` features."""

    def __init__(self, tagger: pycrfsuite.Tagger, featurizer: Featurizer) -> None:
        self.tagger = tagger
        self.featurizer = featurizer
        self._x: list[list[list[str]]] = []
        self._labels: list[list[str]] = []
        self._probs: list[dict[int, float]] = []
        self._current = -1  # the sentence the tagger holds: setting one re-runs its lattice

    def run(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        tagger = self.tagger
        self._x = [self.featurizer.sentence(ws) for ws in sentences]
        self._labels, self._probs = [], []
        for x in self._x:
            labels = tagger.tag(x) if x else []
            # the chosen labels' marginals inside entities, while the tagger holds the sentence
            self._probs.append({j: tagger.marginal(lab, j) for j, lab in enumerate(labels) if lab != "O"})
            self._labels.append(labels)
        self._current = len(self._x) - 1
        return self._labels

    def label_prob(self, i: int, j: int) -> float:
        got = self._probs[i].get(j)
        if got is None:
            self._hold(i)
            got = self.tagger.marginal(self._labels[i][j], j)
        return float(got)

    def entity_prob(self, i: int, s: int, e: int) -> float:
        self._hold(i)
        return float(max(1.0 - self.tagger.marginal("O", j) for j in range(s, e)))

    def _hold(self, i: int) -> None:
        if self._current != i:
            self.tagger.set(self._x[i])
            self._current = i


class NeuralModel:
    """The numpy BiLSTM-CRF of :mod:`marsad.ner.neural`; marginals come with every run."""

    def __init__(self, tagger: NeuralTagger) -> None:
        self.tagger = tagger
        self._marg: list[np.ndarray] = []
        self._ids: list[list[int]] = []

    def run(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        out = self.tagger.run(sentences)
        self._marg = [m for _, m in out]
        index = self.tagger.label_index
        self._ids = [[index[lab] for lab in labels] for labels, _ in out]
        return [labels for labels, _ in out]

    def label_prob(self, i: int, j: int) -> float:
        return float(self._marg[i][j, self._ids[i][j]])

    def entity_prob(self, i: int, s: int, e: int) -> float:
        return float(1.0 - self._marg[i][s:e, 0].min())


_TRANS, _START, _END = allowed_transitions()
_LOG_TRANS = np.where(_TRANS, 0.0, -np.inf).astype(np.float32)
_LOG_START = np.where(_START, 0.0, -np.inf).astype(np.float32)
_LOG_END = np.where(_END, 0.0, -np.inf).astype(np.float32)
_ONES = np.ones(len(LABELS), np.float32)


POOLS = ("mean", "geometric")
_EPS = np.float32(1e-6)


def pool_marginals(crf: np.ndarray, net: np.ndarray, weight: float, pool: str) -> np.ndarray:
    """Two models' per-token label marginals pooled into one distribution per token, ``weight``
    for the second's: their weighted ``mean``, or their weighted ``geometric`` mean renormalised
    (``crf**(1 - weight) * net**weight``, each lifted by 10⁻⁶ so that no label one model rules
    out is ruled out for both).  The geometric pool lets a model that is sure a token is not a
    name outvote one that is unsure, where the mean lets the unsure one's spread through."""
    w = np.float32(weight)
    if check_pool(pool) == "mean":
        out: np.ndarray = (1 - w) * crf + w * net
        return out
    prod = (crf + _EPS) ** (1 - w) * (net + _EPS) ** w
    out = prod / prod.sum(axis=-1, keepdims=True)
    return out


def check_pool(pool: str) -> str:
    """``pool`` if it names one of :data:`POOLS`; otherwise a ``ValueError`` naming the fix."""
    if pool not in POOLS:
        raise ValueError(f"ensemble pool {pool!r} is not one of {', '.join(POOLS)}: fix model.json")
    return pool


def decode_marginals(marg: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The IOBES-valid label paths (indices into ``LABELS``) with the highest product of
    per-token marginals, for a padded batch (sentences, tokens, labels): how averaged marginals
    are decoded, as no single model's lattice holds them.

    Where the most probable label of each token already makes a valid path, that path is the
    best one (no path scores more); only the other sentences need the Viterbi search."""
    best: np.ndarray = marg.argmax(axis=2)
    rows = np.arange(len(best))
    last = best[rows, mask.sum(axis=1) - 1]
    steps = _TRANS[best[:, :-1], best[:, 1:]] | ~mask[:, 1:]  # padding steps pass
    bad = ~(steps.all(axis=1) & _START[best[:, 0]] & _END[last])
    if bad.any():
        best[bad] = viterbi(np.log(np.maximum(marg[bad], 1e-9)), mask[bad], _LOG_TRANS, _LOG_START, _LOG_END)
    return best


@dataclass
class CrfDump:
    """A crfsuite model's labels and weights, as ``pycrfsuite.Tagger.info()`` gives them."""

    labels: dict[str, str] = field(default_factory=dict)  # label -> crfsuite's id
    transitions: dict[tuple[str, str], float] = field(default_factory=dict)
    state_features: dict[tuple[str, str], float] = field(default_factory=dict)  # (attribute, label)


_LABEL_LINE = re.compile(r"^[ \t]*(\d+): (.*)$", re.MULTILINE)
_WEIGHT_LINE = re.compile(r"^[ \t]*\(\d+\) (.+) --> (.+): ([+-]?\d+\.\d+)$", re.MULTILINE)


def crf_dump(tagger: pycrfsuite.Tagger) -> CrfDump:
    """The labels and weights of the model ``tagger`` has open.

    The same as ``tagger.info()``, whose parser matches a regular expression per line of
    crfsuite's text dump (0.6–1.6 s of the model load on a slow core); this one matches each
    section of the dump in one pass (0.25 s).
    """
    fd, name = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        tagger.dump(name)
        with open(name, encoding="utf-8", newline="\n") as f:
            text = f.read()
    finally:
        os.unlink(name)
    out = CrfDump()
    out.labels = {lab: k for k, lab in _LABEL_LINE.findall(_section(text, "LABELS"))}
    for kind in ("TRANSITIONS", "STATE_FEATURES"):
        rows = _WEIGHT_LINE.findall(_section(text, kind))
        weights = np.array([w for _a, _b, w in rows], dtype=np.float64).tolist()
        got = {(a, b): w for (a, b, _w), w in zip(rows, weights)}
        setattr(out, kind.lower(), got)
    return out


def _section(dump: str, name: str) -> str:
    """The lines of section ``name`` of a crfsuite text dump (empty when it has none)."""
    head = f"{name} = {{\n"
    start = dump.find(head)
    if start < 0 or (start and dump[start - 1] != "\n"):
        return ""
    start += len(head)
    end = dump.find("\n}", start - 1)
    return dump[start : end if end >= 0 else len(dump)]


@dataclass(frozen=True)
class CrfFile:
    """What a crfsuite model file holds: its labels and attributes by id, and each feature as
    ``kind`` (0: an attribute's weight for a label, ``src`` the attribute's id and ``dst`` the
    label's; 1: a transition, from label ``src`` to label ``dst``) and ``weight``."""

    labels: list[str]
    attrs: list[str]
    kind: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray  # float64, as crfsuite stores it

    def state_attrs(self) -> frozenset[str]:
        """The attributes that carry a weight for some label."""
        attrs = self.attrs
        return frozenset(attrs[i] for i in np.unique(self.src[self.kind == 0]).tolist())


# crfsuite's 1st-order CRF file ("FOMC", version 100): a 48-byte header, the features (20 bytes
# each, little-endian, packed), and the labels' and the attributes' names in CQDB string tables
_HEADER = struct.Struct("<4sI4s9I")
_FEATURE = np.dtype([("kind", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


def read_crf(raw: bytes, name: str = "the CRF model") -> CrfFile:
    """The labels, attributes and weights of a crfsuite model file's bytes ``raw``.

    python-crfsuite reads them only through the model's text dump (:func:`crf_dump`: a third of
    a second, most of the CRF's share of the model load); the file's own layout reads in a few
    milliseconds.  Raises ``ValueError`` naming ``name`` when ``raw`` is not such a file.
    """

    def bad(why: str) -> ValueError:
        return ValueError(f"{name} is not a crfsuite CRF model file ({why})")

    if len(raw) < _HEADER.size:
        raise bad(f"{len(raw)} bytes")
    magic, size, kind, version, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs, *_refs = (
        _HEADER.unpack_from(raw)
    )
    if magic != b"lCRF" or kind != b"FOMC" or version != 100:
        raise bad(f"header {magic!r} {kind!r} version {version}")
    if size != len(raw):
        raise bad(f"the header says {size} bytes, the file has {len(raw)}")
    try:
        chunk, _size, n_feat = struct.unpack_from("<4sII", raw, off_feat)
        if chunk != b"FEAT":
            raise bad(f"no feature chunk at {off_feat}")
        feats = np.frombuffer(raw, _FEATURE, n_feat, off_feat + 12)
        labels = _cqdb_strings(raw, off_labels, n_labels, bad)
        attrs = _cqdb_strings(raw, off_attrs, n_attrs, bad)
    except (struct.error, ValueError) as exc:
        raise bad(str(exc)) from exc
    kinds = feats["kind"].astype(np.int64)
    src, dst = feats["src"].astype(np.int64), feats["dst"].astype(np.int64)
    state = kinds == 0
    if (kinds > 1).any() or (src[state] >= n_attrs).any() or (dst >= n_labels).any():
        raise bad("a feature refers to an attribute or label the file does not list")
    if (src[~state] >= n_labels).any():
        raise bad("a transition refers to a label the file does not list")
    return CrfFile(labels, attrs, kinds, src, dst, feats["weight"].astype(np.float64))


def _cqdb_strings(raw: bytes, off: int, n: int, bad: Any) -> list[str]:
    """The ``n`` strings of the CQDB table at ``off``, by id (its backward array: each id's
    record, which holds the id, the key's size with its final NUL, and the key)."""
    chunk, _size, _flag, _order, n_bwd, off_bwd = struct.unpack_from("<4s5I", raw, off)
    if chunk != b"CQDB" or n_bwd < n or not off_bwd:
        raise bad(f"no string table with {n} names at {off}")
    out = []
    for rec in np.frombuffer(raw, "<u4", n, off + off_bwd).tolist():
        p = off + rec
        k = int.from_bytes(raw[p + 4 : p + 8], "little")
        if not rec or k < 1 or p + 8 + k > len(raw):
            raise bad(f"a broken string record at {p}")
        out.append(raw[p + 8 : p + 7 + k].decode("utf-8"))
    return out


class CrfWeights:
    """A crfsuite model's weights as numpy arrays, for the marginals of a whole document at once
    (python-crfsuite gives one label's marginal at one position per call, 17 calls a token)."""

    def __init__(self, info: Any) -> None:
        """``info``: the model file's :func:`read_crf`, or its :func:`crf_dump` (or
        ``pycrfsuite.Tagger.info()``; the dump has the weights to six decimals)."""
        index = {lab: k for k, lab in enumerate(LABELS)}
        trans = np.zeros((len(LABELS), len(LABELS)), np.float32)
        if isinstance(info, CrfFile):
            col = np.array([index.get(lab, -1) for lab in info.labels], np.int64)
            state = info.kind == 0
            keep = state & (col[np.where(state, info.dst, 0)] >= 0)
            used, rows = np.unique(info.src[keep], return_inverse=True)
            self.attrs: dict[str, int] = {info.attrs[a]: r for r, a in enumerate(used.tolist())}
            self.state = np.zeros((len(used), len(LABELS)), np.float32)
            self.state[rows, col[info.dst[keep]]] = info.weight[keep]
            present = set(info.labels)
            moves = (~state) & (col[np.where(state, 0, info.src)] >= 0) & (col[info.dst] >= 0)
            trans[col[info.src[moves]], col[info.dst[moves]]] = info.weight[moves]
        else:
            self.attrs = {}
            rows_, cols, vals = [], [], []
            for (attr, lab), weight in info.state_features.items():
                k = index.get(lab)
                if k is not None:
                    rows_.append(self.attrs.setdefault(attr, len(self.attrs)))
                    cols.append(k)
                    vals.append(weight)
            self.state = np.zeros((len(self.attrs), len(LABELS)), np.float32)
            self.state[rows_, cols] = vals
            present = set(info.labels)
            for (a, b), weight in info.transitions.items():
                if a in index and b in index:
                    trans[index[a], index[b]] = weight
        # a label the model never saw (its training data lacked it) must never be chosen
        self._missing = np.array([0.0 if lab in present else -1e4 for lab in LABELS], np.float32)
        self.exp_trans = np.exp(trans)

        self._bos = [self._sum(f) for f in (["BOS"], ["-2BOS"], ["EOS"], ["+2EOS"])]
        self._cache: dict[str, np.ndarray] = {}  # 340 bytes a word
        self._exact: Featurizer | None = None  # a featurizer known to emit only our attributes
        self.cache_size = 100_000

    def _sum(self, feats: Sequence[str]) -> np.ndarray:
        attrs = self.attrs
        out: np.ndarray = self.state[[attrs[f] for f in feats if f in attrs]].sum(axis=0)
        return out

    def _words(self, featurizer: Featurizer, words: Sequence[str]) -> dict[str, np.ndarray]:
        """Caches the scores each of ``words`` gives, by where they land: itself, and the words 2
        and 1 after it and 1 and 2 before it (its ``own``, ``m2``, ``m1``, ``p1``, ``p2``
        features): one (5, labels) array per word, summed for all the words at once."""
        attrs = self.attrs
        groups = [fs for w in words for fs in featurizer.word(w)[:5]]  # own, m2, m1, p1, p2
        if featurizer is not self._exact:
            if featurizer.known is not None and featurizer.known <= attrs.keys():
                self._exact = featurizer  # it emits only attributes the model weighs
            else:
                groups = [[f for f in fs if f in attrs] for fs in groups]
        counts = np.fromiter(map(len, groups), np.int64, len(groups))
        sums = np.zeros((len(groups), len(LABELS)), np.float32)
        if counts.any():
            get = attrs.__getitem__
            flat = np.fromiter((get(f) for g in groups for f in g), np.int64, int(counts.sum()))
            starts = np.cumsum(counts) - counts
            full = counts > 0
            sums[full] = np.add.reduceat(self.state[flat], starts[full], axis=0)
        got = dict(zip(words, sums.reshape(len(words), 5, len(LABELS))))
        if len(self._cache) + len(got) <= self.cache_size:
            self._cache.update(got)
        return got

    def _emissions(
        self, featurizer: Featurizer, sentences: Sequence[Sequence[str]], lens: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per token and label of non-empty sentences (padded), the sum of the weights of the
        features ``featurizer.sentence`` gives the token (the same sum crfsuite makes), from
        per-word sums; and the mask of real tokens."""
        cache = self._cache
        vocab = dict.fromkeys(w for ws in sentences for w in ws)
        new = [w for w in vocab if w not in cache]
        fresh = self._words(featurizer, new) if new else {}
        # row 0 pads, then the document's words
        table = np.zeros((len(vocab) + 1, 5, len(LABELS)), np.float32)
        index = {}
        for k, w in enumerate(vocab, 1):
            index[w] = k
            got = cache.get(w)
            table[k] = got if got is not None else fresh[w]
        b, t_max = len(sentences), int(lens.max())
        ids = np.zeros((b, t_max), np.int64)
        for r, ws in enumerate(sentences):
            ids[r, : len(ws)] = [index[w] for w in ws]
        v = table[ids]  # (sentences, tokens, 5, labels); padding scores nothing
        rows = np.arange(b)
        bos1, bos2, eos1, eos2 = self._bos
        e = v[:, :, 0] + self._missing
        e[:, 1:] += v[:, :-1, 2]
        e[:, 0] += bos1
        e[:, :-1] += v[:, 1:, 3]
        e[rows, lens - 1] += eos1
        if featurizer.settings.window >= 2:
            e[:, 2:] += v[:, :-2, 1]
            e[:, :2] += bos2  # on padding where a sentence has one token
            e[:, :-2] += v[:, 2:, 4]
            e[rows, lens - 1] += eos2
            two = lens > 1
            e[rows[two], lens[two] - 2] += eos2
        # the features of word pairs and multi-word names: all of the document's in one gather
        attrs = self.attrs
        where: list[int] = []  # flat token position (r * t_max + j) of each attribute
        flat: list[int] = []
        for r, ws in enumerate(sentences):
            extras = featurizer.extras([featurizer.word(w) for w in ws])
            if extras:
                base = r * t_max
                for j, feats in enumerate(extras):
                    for f in feats:
                        k = attrs.get(f)
                        if k is not None:
                            flat.append(k)
                            where.append(base + j)
        if flat:
            pos = np.array(where)
            starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
            e.reshape(b * t_max, -1)[pos[starts]] += np.add.reduceat(self.state[flat], starts, axis=0)
        return e, np.arange(t_max)[None, :] < lens[:, None]

    def emissions(
        self, featurizer: Featurizer, sentences: Sequence[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The label scores (sentences, tokens, labels) of non-empty sentences, padded, and the
        mask of real tokens."""
        return self._emissions(featurizer, sentences, np.array([len(ws) for ws in sentences]))

    def marginals(
        self, featurizer: Featurizer, sentences: Sequence[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The marginals (sentences, tokens, labels) of non-empty sentences, padded, and the mask
        of real tokens."""
        emit, mask = self.emissions(featurizer, sentences)
        return forward_backward(emit, mask, self.exp_trans, _ONES, _ONES), mask


# A run over more sentences than this (several documents) is cut into buckets of similar length.
BUCKET = 48


def _buckets(lens: Sequence[int]) -> list[list[int]]:
    """The indices of the non-empty sentences of lengths ``lens``, in the groups a run tags
    together.  Up to ``BUCKET`` sentences (one document, mostly): one group, in order.  More (a
    batch of documents): groups of at least ``BUCKET`` sentences of similar length, as the
    forward-backward pass steps over the longest sentence of its group."""
    idx = [i for i, n in enumerate(lens) if n]
    if len(idx) <= BUCKET:
        return [idx] if idx else []
    return length_groups(lens, idx, least=BUCKET)


class EnsembleModel:
    """The CRF and the BiLSTM-CRF together: per token, their marginals pooled (``weight`` for the
    network's; ``pool``: see :func:`pool_marginals`), decoded by :func:`decode_marginals`.

    The two models err differently (the CRF is the more precise, the network finds more rare
    names), so the pool beats either in every cross-validation fold (``MODEL_CARD.md``).
    """

    def __init__(
        self,
        crf: CrfModel,
        neural: NeuralModel,
        weight: float,
        crf_weights: CrfWeights | None = None,
        pool: str = "mean",
    ) -> None:
        """``crf_weights``: the CRF's, if the caller already has them (reading them from crfsuite
        takes a third of a second)."""
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"ensemble weight {weight} must be within 0..1: fix model.json")
        self.crf = crf
        self.neural = neural
        self.pool = check_pool(pool)
        self.weight = np.float32(weight)
        self.weights = crf_weights or CrfWeights(crf_dump(crf.tagger))
        self._marg: list[np.ndarray] = []
        self._ids: list[list[int]] = []
        # both CRFs' exponentiated transition, start and end scores, stacked for one
        # forward-backward pass (the CRF's first)
        trans, start, end = neural.tagger.crf
        self._stacked = (
            np.stack([self.weights.exp_trans, trans]),
            np.stack([_ONES, start])[:, None],
            np.stack([_ONES, end])[:, None],
        )

    def run(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        n = len(LABELS)
        self._marg = [np.zeros((0, n), np.float32)] * len(sentences)
        self._ids = [[] for _ in sentences]
        out: list[list[str]] = [[] for _ in sentences]
        for idx in _buckets([len(ws) for ws in sentences]):
            todo = [sentences[i] for i in idx]
            net_emit, mask = self.neural.tagger.emissions(todo)
            crf_emit, _mask = self.weights.emissions(self.crf.featurizer, todo)
            # both models' marginals in one forward-backward pass
            both = forward_backward(np.stack([crf_emit, net_emit]), mask, *self._stacked)
            mean = pool_marginals(both[0], both[1], self.weight, self.pool)
            paths = decode_marginals(mean, mask)
            for r, i in enumerate(idx):
                k = len(sentences[i])
                self._marg[i] = mean[r, :k]
                self._ids[i] = paths[r, :k].tolist()
                out[i] = [LABELS[j] for j in self._ids[i]]
        return out

    def label_prob(self, i: int, j: int) -> float:
        return float(self._marg[i][j, self._ids[i][j]])

    def entity_prob(self, i: int, s: int, e: int) -> float:
        return float(1.0 - self._marg[i][s:e, 0].min())
