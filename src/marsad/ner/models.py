"""The two kinds of tagging model behind the ``ner`` stage, one small interface.

``run(sentences)`` tags a document's sentences (word strings) and returns IOBES labels; then
``label_prob(i, j)`` is the model's marginal probability of the label it chose for token ``j`` of
sentence ``i``, and ``entity_prob(i, s, e)`` the largest probability over tokens ``s..e-1`` that
the token belongs to some entity (1 − P(O)).  The stage's post-processing uses only these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pycrfsuite

from marsad.ner.features import Featurizer
from marsad.ner.neural import NeuralTagger

__all__ = ["CrfModel", "NerModel", "NeuralModel"]


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
