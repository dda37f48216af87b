"""A small neural tagger in plain numpy: word inputs → BiLSTM → CRF (IOBES), trained by
``tools/train_ner_nn.py`` (PyTorch is needed for training only).

Each token's input is, per word type and computed once (cached):

* the mean of learned embeddings of the word's symbolic features (the CRF's own-word features of
  :class:`~marsad.ner.features.Featurizer`: forms, clitic-stripped stem, proclitics, affixes,
  stem trigrams, shape, clusters, one-word gazetteer classes), those seen in training;
* a fixed word vector pretrained on SaudiNewsNet (PPMI-SVD, ``tools/build_ner_vectors.py``), of
  the word or else of its stem, stored as int8 with a scale per row;

and, per sentence, the multi-word gazetteer matches the token is part of (``B-``/``I-`` × type),
and, for a model trained with one (``tools/train_ner_nn.py --context``), what a
:class:`ContextModel` reads in the words around the token.
A one-layer BiLSTM reads the sentence, a linear layer gives label scores, and a linear-chain CRF
with the IOBES constraints decodes (Viterbi) and gives every token's label marginals
(forward-backward).  All sentences of a document run as one padded batch.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from marsad.ner.features import Featurizer, WordInfo, can_read_from
from marsad.ner.gazetteer import TYPES

__all__ = [
    "CHAR_DIM",
    "CONTEXT_OFFSETS",
    "LABELS",
    "MAX_CHARS",
    "ContextModel",
    "NeuralInputs",
    "NeuralTagger",
    "allowed_transitions",
    "char_ids",
    "char_text",
    "dequantise",
    "length_groups",
    "quantise",
]

LABELS = ("O", *(p + "-" + t for t in TYPES for p in "BIES"))
MAX_CHARS = 20  # a word's first characters the character CNN reads
CHAR_DIM = 16
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)  # the words the context model reads around a position
_DIGITS = re.compile(r"\d+")


def quantise(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with a float16 scale each (how the tagger stores its embeddings)."""
    scale = (np.abs(a).max(axis=1) / 127.0 + 1e-12).astype(np.float16).astype(np.float32)
    return np.clip(np.round(a / scale[:, None]), -127, 127).astype(np.int8), scale.astype(np.float16)


def dequantise(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The float32 rows that :func:`quantise`'s int8 rows and scales stand for."""
    out: np.ndarray = q.astype(np.float32) * scale.astype(np.float32)[:, None]
    return out


class ContextModel:
    """What the words around a position say goes there (``tools/train_ner_context.py``: a cloze
    model trained on SaudiNewsNet to guess a word's clusters from the three words on each side).

    Each neighbour is its word vector (the tagger's own; ``-1``: unknown) projected to a few
    dimensions, or a learned row for an unknown word or the sentence edge; a token's
    representation is two ReLU layers over its neighbours' rows, standardised (``mean``,
    ``scale``: measured on held-out news)."""

    def __init__(self, z: Any, vectors: np.ndarray) -> None:
        """``z``: the ``ctx_`` arrays; ``vectors``: the word vectors (rows) as the tagger reads them."""
        proj = np.asarray(z["ctx_proj_w"], np.float32)
        if len(proj) != vectors.shape[1]:
            raise ValueError(
                f"the context model reads {len(proj)}-d word vectors, the tagger has {vectors.shape[1]}-d: "
                "retrain it with tools/train_ner_context.py on the tagger's vectors"
            )
        self.proj_w = proj
        self.proj_b = np.asarray(z["ctx_proj_b"], np.float32)
        self.special = np.asarray(z["ctx_special"], np.float32)  # the unknown word, the sentence edge
        self.table = np.concatenate([_matmul(vectors, proj, 4096) + self.proj_b, self.special])
        self.w1 = np.asarray(z["ctx_w1"], np.float32)
        self.b1 = np.asarray(z["ctx_b1"], np.float32)
        self.w2 = np.asarray(z["ctx_w2"], np.float32)
        self.b2 = np.asarray(z["ctx_b2"], np.float32)
        self.offsets = tuple(int(k) for k in z["ctx_offsets"])
        dim = self.w2.shape[1]
        self.mean = np.asarray(z["ctx_mean"], np.float32) if "ctx_mean" in z else np.zeros(dim, np.float32)
        self.scale = np.asarray(z["ctx_scale"], np.float32) if "ctx_scale" in z else np.ones(dim, np.float32)
        self.unknown = len(self.table) - 2
        self.edge = len(self.table) - 1
        self.dim = dim

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "ctx_proj_w": self.proj_w,
            "ctx_proj_b": self.proj_b,
            "ctx_special": self.special,
            "ctx_w1": self.w1,
            "ctx_b1": self.b1,
            "ctx_w2": self.w2,
            "ctx_b2": self.b2,
            "ctx_offsets": np.array(self.offsets, np.int64),
            "ctx_mean": self.mean,
            "ctx_scale": self.scale,
        }

    def __call__(self, rows: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Per sentence (its tokens' vector rows, ``-1`` for none), a (tokens, dim) matrix."""
        if not rows:
            return []
        gap = max(abs(k) for k in self.offsets)
        stream = [self.edge] * gap
        positions = []
        for rs in rows:  # the sentences one after the other, ``gap`` edge rows between them
            positions.append(np.arange(len(stream), len(stream) + len(rs)))
            stream.extend(r if r >= 0 else self.unknown for r in rs)
            stream.extend([self.edge] * gap)
        pos = np.concatenate(positions)
        x = self.table[np.array(stream)[pos[:, None] + np.array(self.offsets)]].reshape(len(pos), -1)
        h = np.maximum(_matmul(x, self.w1) + self.b1, 0.0)
        out = (np.maximum(_matmul(h, self.w2) + self.b2, 0.0) - self.mean) * self.scale
        return np.split(out, np.cumsum([len(rs) for rs in rows])[:-1])


def char_text(norm: str) -> str:
    """The characters of a word (in matching form) that the character CNN reads."""
    return _DIGITS.sub("0", norm)[:MAX_CHARS]


def char_ids(norm: str, chars: dict[str, int]) -> list[int]:
    """Character ids of a word in matching form: 1 begins, 3 ends, 2 is unknown, 0 pads."""
    return [1, *(chars.get(c, 2) for c in char_text(norm)), 3]


def allowed_transitions() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IOBES validity: (from, to) matrix, allowed first labels, allowed last labels."""
    n = len(LABELS)
    trans = np.zeros((n, n), dtype=bool)
    for i, a in enumerate(LABELS):
        for j, b in enumerate(LABELS):
            if a == "O" or a[0] in "ES":
                trans[i, j] = b == "O" or b[0] in "BS"
            else:
                trans[i, j] = b[0] in "IE" and b[2:] == a[2:]
    start = np.array([b == "O" or b[0] in "BS" for b in LABELS])
    end = np.array([a == "O" or a[0] in "ES" for a in LABELS])
    return trans, start, end


def viterbi(
    emit: np.ndarray, mask: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Best label paths of a batch of sentences ``emit`` (sentences, tokens, labels), padded
    where ``mask`` is false; ``trans`` (from, to), ``start`` and ``end`` are log scores
    (``-inf`` forbids)."""
    b, t_max, n = emit.shape
    score = start + emit[:, 0]
    back = np.zeros((b, t_max, n), np.int64)
    same = np.broadcast_to(np.arange(n), (b, n))
    for t in range(1, t_max):
        cand = score[:, :, None] + trans[None]  # (b, from, to)
        best = cand.argmax(axis=1)
        new = cand.max(axis=1) + emit[:, t]
        m = mask[:, t, None]
        score = np.where(m, new, score)
        back[:, t] = np.where(m, best, same)
    score = score + end
    path = np.zeros((b, t_max), np.int64)
    path[:, -1] = score.argmax(axis=1)
    for t in range(t_max - 1, 0, -1):
        path[:, t - 1] = back[np.arange(b), t, path[:, t]]
    return path


def forward_backward(
    emit: np.ndarray, mask: np.ndarray, exp_trans: np.ndarray, exp_start: np.ndarray, exp_end: np.ndarray
) -> np.ndarray:
    """Marginals of a linear-chain CRF over a padded batch (as :func:`viterbi`), by scaled
    forward-backward; padding positions pass the state through unchanged.  The transition,
    start and end scores come exponentiated.

    Several CRFs over the same sentences run in one pass when ``emit`` is stacked
    (models, sentences, tokens, labels) and ``exp_trans`` (models, labels, labels),
    ``exp_start`` and ``exp_end`` (models, 1, labels).
    """
    t_max = emit.shape[-2]
    # floored so that no reachable label underflows to zero in float32
    e = np.exp(np.maximum(emit - emit.max(axis=-1, keepdims=True), -60.0))
    alpha = np.empty(emit.shape, np.float32)
    a = exp_start * e[..., 0, :]
    alpha[..., 0, :] = a / a.sum(axis=-1, keepdims=True)
    for t in range(1, t_max):
        a = (alpha[..., t - 1, :] @ exp_trans) * e[..., t, :]
        a = np.where(mask[:, t, None], a / a.sum(axis=-1, keepdims=True), alpha[..., t - 1, :])
        alpha[..., t, :] = a
    beta = np.empty(emit.shape, np.float32)
    beta[..., -1, :] = exp_end / exp_end.sum(axis=-1, keepdims=True)
    trans_t = np.swapaxes(exp_trans, -1, -2)
    for t in range(t_max - 2, -1, -1):
        bt = (beta[..., t + 1, :] * e[..., t + 1, :]) @ trans_t
        bt = np.where(mask[:, t + 1, None], bt / bt.sum(axis=-1, keepdims=True), beta[..., t + 1, :])
        beta[..., t, :] = bt
    p: np.ndarray = alpha * beta
    p /= p.sum(axis=-1, keepdims=True)
    return p


class NeuralInputs:
    """The per-word-type inputs: feature ids and the pretrained vector's row (``-1``: none)."""

    def __init__(
        self, featurizer: Featurizer, features: Sequence[str], words: Sequence[str], *, cache: bool = True
    ) -> None:
        """``cache``: keep each word's inputs (for training; the tagger caches further on)."""
        self.featurizer = featurizer
        self.cache = cache
        self.features = {f: i for i, f in enumerate(features)}
        self.words = {w: i for i, w in enumerate(words)}
        self._cache: dict[str, tuple[list[int], int]] = {}
        known = featurizer.known
        self._exact = known is not None and known <= self.features.keys()

    def word(self, word: str) -> tuple[list[int], int]:
        got = self._cache.get(word)
        if got is None:
            info = self.featurizer.word(word)
            row, extra = self._row(info)
            feats = self.features
            # the featurizer keeps only our features when they are its ``known`` ones
            ids = [feats[f] for f in info.own] if self._exact else [feats[f] for f in info.own if f in feats]
            if extra in feats:
                ids.append(feats[extra])
            got = (ids, row)
            if self.cache and len(self._cache) < 500_000:
                self._cache[word] = got
        return got

    def row(self, word: str) -> int:
        """The word's pretrained vector row: of the word, else of its stem; ``-1`` for none."""
        return self._row(self.featurizer.word(word))[0]

    def _row(self, info: WordInfo) -> tuple[int, str]:
        """The vector row and the feature that says whose it is (``v=w``, ``v=s``, ``v=oov``)."""
        row = self.words.get(_DIGITS.sub("0", info.norm), -1)
        if row >= 0:
            return row, "v=w"
        row = self.words.get(_DIGITS.sub("0", info.stem), -1)
        return row, "v=s" if row >= 0 else "v=oov"

    def gazetteer(self, words: Sequence[str]) -> list[list[int]]:
        """Per token, indices 0..7 of the multi-word gazetteer tags (B-/I- × type) it carries."""
        feat = self.featurizer
        out: list[list[int]] = [[] for _ in words]
        if not feat.settings.gazetteer:
            return out
        infos = [feat.word(w) for w in words]
        if not any(i.gaz for i in infos):
            return out
        for m in feat.gazetteer.match_long([i.norm for i in infos], [i.gaz for i in infos]):
            if m.end - m.start < 2:
                continue
            for t in m.types:
                if t in TYPES:
                    k = TYPES.index(t)
                    out[m.start].append(2 * k)
                    for j in range(m.start + 1, m.end):
                        out[j].append(2 * k + 1)
        return out


@dataclass(frozen=True, slots=True)
class _Weights:
    feat_emb: np.ndarray  # (features, d_feat) int8, dequantised as rows are read
    feat_scale: np.ndarray  # (features,): a row's values are feat_emb[row] * feat_scale[row]
    vectors: np.ndarray  # (words, d_vec) int8
    scale: np.ndarray  # (words,): a row's values are vectors[row] * scale[row]
    w_ih: np.ndarray  # (2, 4H, d_in)
    w_hh: np.ndarray  # (2, 4H, H)
    bias: np.ndarray  # (2, 4H)
    w_out: np.ndarray  # (L, 2H)
    b_out: np.ndarray  # (L,)
    trans: np.ndarray  # (L, L) log scores, from → to, -inf where not allowed
    start: np.ndarray  # (L,)
    end: np.ndarray  # (L,)
    chars: dict[str, int]  # the character CNN's alphabet (empty: no CNN)
    char_emb: np.ndarray  # (chars, dim)
    char_w: np.ndarray  # (3 * dim, filters): windows of three characters
    char_b: np.ndarray  # (filters,)
    context: ContextModel | None  # what the neighbours say (None: a model trained without it)


def length_groups(
    lens: Sequence[int], idx: Iterable[int], *, least: int = 1, most: int = 0
) -> list[list[int]]:
    """``idx`` sorted by ``lens`` and cut into groups of similar length, to be padded to their
    longest: a group closes at ``most`` members (0: no limit), or, once it has ``least``, when the
    next one would make it more than half padding."""
    groups: list[list[int]] = []
    group: list[int] = []
    total = 0
    for i in sorted(idx, key=lens.__getitem__):
        n = int(lens[i])
        if len(group) == most > 0 or (len(group) >= least and (len(group) + 1) * n > 2 * (total + n)):
            groups.append(group)
            group, total = [], 0
        group.append(i)
        total += n
    if group:
        groups.append(group)
    return groups


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _matmul(a: np.ndarray, b: np.ndarray, min_rows: int = 1) -> np.ndarray:
    """``a @ b`` for a 2-D ``a``, in row blocks small enough that OpenBLAS stays on one thread
    (it threads products above 2**18 multiply-adds, and extra threads only wait where other
    processes hold the cores); ``min_rows`` trades that for fewer calls (the per-word paths)."""
    rows = max(min_rows, (1 << 18) // (b.shape[0] * b.shape[1]))
    out: np.ndarray = (
        a @ b if len(a) <= rows else np.concatenate([a[k : k + rows] @ b for k in range(0, len(a), rows)])
    )
    return out


class NeuralTagger:
    """Labels and marginals for the sentences of a document (numpy, one thread's worth).

    What depends on the word string alone, up to the LSTM's input projection (both directions),
    is computed once per word type and cached (float16); a document then costs the recurrence,
    the output layer and the CRF, run over batches of up to 16 sentences of similar length.
    """

    cache_size = 100_000
    max_batch = 16  # keeps the recurrence's products on one BLAS thread

    def __init__(self, inputs: NeuralInputs, w: _Weights) -> None:
        self.inputs = inputs
        self.w = w
        self.hidden = w.w_hh.shape[2]
        self.label_index = {lab: k for k, lab in enumerate(LABELS)}
        self._gates: dict[str, np.ndarray] = {}
        d_x = w.feat_emb.shape[1] + w.vectors.shape[1] + w.char_b.shape[0]
        d_ctx = w.context.dim if w.context is not None else 0
        h = self.hidden
        # gate order i, f, o, g (PyTorch's is i, f, g, o): one sigmoid call covers three gates
        perm = np.r_[0 : 2 * h, 3 * h : 4 * h, 2 * h : 3 * h]
        w_ih = w.w_ih[:, perm]
        self._w_word = np.concatenate([w_ih[0][:, :d_x], w_ih[1][:, :d_x]]).T.copy()  # (d_x, 8h)
        d_gaz = w_ih.shape[2] - d_x - d_ctx
        self._w_gaz = np.concatenate([w_ih[0][:, d_x : d_x + d_gaz], w_ih[1][:, d_x : d_x + d_gaz]]).T.copy()
        self._w_ctx = np.concatenate([w_ih[0][:, d_x + d_gaz :], w_ih[1][:, d_x + d_gaz :]]).T.copy()
        self._bias = np.concatenate([w.bias[0][perm], w.bias[1][perm]])
        self._w_hh = np.stack([w.w_hh[0][perm].T, w.w_hh[1][perm].T])  # (2, h, 4h)
        self._w_out = [w.w_out[:, :h].T.copy(), w.w_out[:, h:].T.copy()]
        self._exp_trans = np.exp(w.trans).astype(np.float32)
        self._exp_start = np.exp(w.start).astype(np.float32)
        self._exp_end = np.exp(w.end).astype(np.float32)

    @classmethod
    def load(
        cls, raw: bytes, featurizer: Featurizer, *, source: Featurizer | None = None
    ) -> tuple[NeuralTagger, dict[str, Any]]:
        """The tagger saved in ``raw``, with ``featurizer``'s settings, clusters and gazetteer;
        ``source``: a featurizer (the CRF's of an ensemble) to read each word's features from
        (see :class:`~marsad.ner.features.Featurizer`)."""
        z = np.load(io.BytesIO(raw), allow_pickle=False)
        features = bytes(z["features"]).decode("utf-8").split("\n")
        words = bytes(z["words"]).decode("utf-8").split("\n")
        trans, start, end = allowed_transitions()
        ninf = np.float32(-np.inf)

        def dequant(name: str) -> np.ndarray:
            return dequantise(z[name], z[name + "_scale"])

        w = _Weights(
            feat_emb=z["feat_emb"],
            feat_scale=z["feat_emb_scale"].astype(np.float32),
            vectors=z["vectors"],
            scale=z["vectors_scale"].astype(np.float32),
            w_ih=z["w_ih"].astype(np.float32),
            w_hh=z["w_hh"].astype(np.float32),
            bias=z["bias"].astype(np.float32),
            w_out=z["w_out"].astype(np.float32),
            b_out=z["b_out"].astype(np.float32),
            trans=np.where(trans, z["trans"].astype(np.float32), ninf),
            start=np.where(start, z["start"].astype(np.float32), ninf),
            end=np.where(end, z["end"].astype(np.float32), ninf),
            chars={c: 4 + k for k, c in enumerate(bytes(z["chars"]).decode("utf-8"))} if "chars" in z else {},
            char_emb=z["char_emb"].astype(np.float32) if "chars" in z else np.zeros((0, 0), np.float32),
            char_w=z["char_w"].astype(np.float32) if "chars" in z else np.zeros((0, 0), np.float32),
            char_b=z["char_b"].astype(np.float32) if "chars" in z else np.zeros(0, np.float32),
            context=None,
        )
        if "ctx_proj_w" in z:
            w = replace(w, context=ContextModel(z, dequant("vectors")))
        # the featurizer need only build the features the model has embeddings for
        known = frozenset(features)
        args = (featurizer.clusters, featurizer.gazetteer, featurizer.settings, known)
        made = Featurizer(*args, context=False, profile=featurizer.profile)
        if source is not None and can_read_from(made, source):
            made = Featurizer(*args, context=False, profile=featurizer.profile, source=source)
        return cls(NeuralInputs(made, features, words, cache=False), w), {}

    def _doc_gates(self, sentences: Sequence[Sequence[str]]) -> dict[str, np.ndarray]:
        """Both directions' input-gate pre-activations (bias included) of every word of the
        document from the word alone: cached ones, and the new ones in one product."""
        cache = self._gates
        new = [x for x in dict.fromkeys(x for ws in sentences for x in ws) if x not in cache]
        if not new:
            return cache
        w = self.w
        got = [self.inputs.word(x) for x in new]  # every word has at least its v= feature
        flat = np.fromiter((k for ids, _ in got for k in ids), np.int64)
        starts = np.cumsum([0, *(len(ids) for ids, _ in got[:-1])])
        counts = np.array([len(ids) for ids, _ in got], np.float32)
        emb = w.feat_emb[flat].astype(np.float32) * w.feat_scale[flat][:, None]  # dequantised rows
        sym = np.add.reduceat(emb, starts, axis=0) / counts[:, None]
        rows = np.array([row for _, row in got])
        vec = w.vectors[rows].astype(np.float32) * w.scale[rows][:, None]
        vec[rows < 0] = 0.0
        parts = [sym, vec]
        if w.chars:
            parts.append(self._char_cnn([self.inputs.featurizer.word(x).norm for x in new]))
        gates = (_matmul(np.concatenate(parts, axis=1), self._w_word) + self._bias).astype(np.float16)
        room = self.cache_size - len(cache)
        if room >= len(new):
            cache.update(zip(new, gates))
            return cache
        cache.update(zip(new[: max(room, 0)], gates))
        return {**cache, **dict(zip(new, gates))}

    def _char_cnn(self, norms: Sequence[str]) -> np.ndarray:
        """Max over windows of three characters of a linear filter bank, per word."""
        w = self.w
        n = MAX_CHARS + 2
        ids = np.zeros((len(norms), n), np.int64)
        for r, norm in enumerate(norms):
            cs = char_ids(norm, w.chars)
            ids[r, : len(cs)] = cs
        e = w.char_emb[ids]  # (words, n, dim)
        win = np.concatenate([e[:, 0 : n - 2], e[:, 1 : n - 1], e[:, 2:n]], axis=2)  # (words, n-2, 3*dim)
        conv = _matmul(win.reshape(-1, win.shape[2]), w.char_w, 256).reshape(len(norms), n - 2, -1)
        out: np.ndarray = conv.max(axis=1) + w.char_b
        return out

    def run(
        self, sentences: Sequence[Sequence[str]], *, labels: bool = True
    ) -> list[tuple[list[str], np.ndarray]]:
        """IOBES labels (none with ``labels=False``) and the (tokens, labels) marginal matrix of
        each sentence."""
        out: list[tuple[list[str], np.ndarray]] = [([], np.zeros((0, len(LABELS)), np.float32))] * len(
            sentences
        )
        idx = [i for i, s in enumerate(sentences) if len(s)]
        if not idx:
            return out
        emit, mask = self.emissions([sentences[i] for i in idx])
        paths = self._viterbi(emit, mask) if labels else None
        marg = self._marginals(emit, mask)
        lens = mask.sum(axis=1)
        for r, i in enumerate(idx):
            n = int(lens[r])
            out[i] = ([LABELS[k] for k in paths[r, :n]] if paths is not None else [], marg[r, :n])
        return out

    @property
    def crf(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The output CRF's exponentiated transition, start and end scores."""
        return self._exp_trans, self._exp_start, self._exp_end

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The label scores (sentences, tokens, labels) of non-empty ``sentences``, padded, and the
        mask of real tokens."""
        cached = self._doc_gates(sentences)
        # the document's words' input gates as one table (last row: zeros, for padding)
        vocab = {x: k for k, x in enumerate(dict.fromkeys(x for ws in sentences for x in ws))}
        doc_gates = np.zeros((len(vocab) + 1, 8 * self.hidden), np.float32)
        doc_gates[:-1] = np.stack([cached[x] for x in vocab])
        ids = [[vocab[x] for x in ws] for ws in sentences]
        context: list[np.ndarray] | None = None
        if self.w.context is not None:
            # what the neighbours say, straight into both directions' input gates
            ctx = self.w.context([[self.inputs.row(x) for x in ws] for ws in sentences])
            flat = _matmul(np.concatenate(ctx), self._w_ctx)
            context = np.split(flat, np.cumsum([len(c) for c in ctx])[:-1])
        lens = np.array([len(ws) for ws in sentences])
        emit = np.zeros((len(sentences), int(lens.max()), len(LABELS)), np.float32)
        # the LSTM runs over batches of sentences of similar length (little padding, and few
        # enough rows for one BLAS thread); the CRF over all sentences at once
        for batch in length_groups(lens, range(len(sentences)), most=self.max_batch):
            self._lstm(sentences, batch, (doc_gates, ids), context, emit)
        return emit, np.arange(emit.shape[1])[None, :] < lens[:, None]

    def _lstm(
        self,
        sentences: Sequence[Sequence[str]],
        batch: list[int],
        doc_gates: tuple[np.ndarray, list[list[int]]],
        context: list[np.ndarray] | None,
        emit: np.ndarray,
    ) -> None:
        """Label scores of the sentences ``sentences[r]`` for ``r`` in ``batch``, into ``emit[r]``;
        ``doc_gates``: the input gates of the document's words (a table whose last row is zeros)
        and each sentence's rows in it; ``context[r]``: the context model's share of sentence
        ``r``'s input gates."""
        w = self.w
        table, ids = doc_gates
        lens = np.array([len(ids[r]) for r in batch])
        b, t_max, h = len(batch), int(lens.max()), self.hidden
        rows_of = np.full((b, t_max), len(table) - 1, np.int64)
        for k, r in enumerate(batch):
            rows_of[k, : lens[k]] = ids[r]
        gates = table[rows_of]  # (b, t, 8h)
        for k, r in enumerate(batch):
            ws = sentences[r]
            if context is not None:
                gates[k, : len(ws)] += context[r]
            for j, ks in enumerate(self.inputs.gazetteer(ws)):
                if ks:
                    gates[k, j] += self._w_gaz[ks].sum(axis=0)
        mask = np.arange(t_max)[None, :] < lens[:, None]  # (b, t)
        # the backward direction reads each sentence reversed, left-aligned
        rev = np.where(mask, lens[:, None] - 1 - np.arange(t_max)[None, :], 0)
        rows = np.arange(b)[:, None]
        # both directions step together: (2, b, ...) arrays, one stacked product per step; time
        # first, so that each step reads and writes contiguous memory
        gates_in = np.empty((t_max, 2, b, 4 * h), np.float32)
        gates_in[:, 0] = gates[:, :, : 4 * h].transpose(1, 0, 2)
        gates_in[:, 1] = gates[rows, rev, 4 * h :].transpose(1, 0, 2)
        hd = np.zeros((2, b, h), np.float32)
        cd = np.zeros((2, b, h), np.float32)
        hs = np.empty((t_max, 2, b, h), np.float32)
        w_hh = self._w_hh
        for t in range(t_max):
            g = gates_in[t] + np.matmul(hd, w_hh)
            sg = _sigmoid(g[:, :, : 3 * h])
            cd = sg[:, :, h : 2 * h] * cd + sg[:, :, :h] * np.tanh(g[:, :, 3 * h :])
            hd = sg[:, :, 2 * h :] * np.tanh(cd)
            hs[t] = hd
        e = _matmul(hs[:, 0].transpose(1, 0, 2).reshape(b * t_max, h), self._w_out[0])
        e += _matmul(hs[:, 1].transpose(1, 0, 2)[rows, rev].reshape(b * t_max, h), self._w_out[1])
        emit[batch, :t_max] = e.reshape(b, t_max, -1) + w.b_out

    def _viterbi(self, emit: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        return viterbi(emit, mask, w.trans, w.start, w.end)

    def _marginals(self, emit: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return forward_backward(emit, mask, self._exp_trans, self._exp_start, self._exp_end)
