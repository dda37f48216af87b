"""CRF features for Arabic NER, computed once per word type and joined per sentence.

A word's own features (forms, clitic-stripped stem, affixes, shape, clusters, one-word gazetteer
classes) and the smaller sets it contributes to its neighbours at offsets -2..+2 are built once
per distinct word string and cached; a sentence then only concatenates cached lists and adds the
few features that depend on the sentence (multi-word gazetteer matches, word bigrams, edges).
Feature strings are plain ``name=value`` strings (binary features for crfsuite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from marsad.ner.gazetteer import Gazetteer, data_text
from marsad.text.normalize import match_form
from marsad.text.tokenize import segment

__all__ = ["Clusters", "FeatureSettings", "Featurizer", "Profile", "WordInfo", "can_read_from"]

PROFILE_TYPES = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True, slots=True)
class Clusters:
    """Word → cluster ids at several granularities (coarse to fine), keyed by matching form."""

    ks: tuple[str, ...]
    table: dict[str, tuple[str, ...]]

    @classmethod
    def read(cls, raw: str) -> Clusters:
        ks: tuple[str, ...] = ()
        table: dict[str, tuple[str, ...]] = {}
        for line in raw.splitlines():
            if line.startswith("#"):
                if line.startswith("#ks\t"):
                    ks = tuple(line.rstrip().split("\t")[1:])
                continue
            word, _, ids = line.partition("\t")
            table[word] = tuple(ids.split("\t"))
        if table and len(ks) != len(next(iter(table.values()))):
            raise ValueError("cluster table lacks its '#ks' line: rebuild it with tools/build_clusters.py")
        return cls(ks, table)

    @classmethod
    def packaged(cls, name: str = "clusters.tsv.gz") -> Clusters:
        return cls.read(data_text(name))

    @classmethod
    def empty(cls) -> Clusters:
        return cls((), {})


@dataclass(frozen=True, slots=True)
class Profile:
    """How a word was tagged across unlabeled news: word (its name key, see
    :attr:`WordInfo.key`) → the classes of its profile (``PER3``, ``ORG1`` …: the type and a band
    of the mean probability that an occurrence is inside an entity of that type, 3 for ≥ 0.5, 2 for
    ≥ 0.2, 1 for ≥ 0.05), an empty tuple for a word seen often enough but never in a name.  Its
    *context classes* say what the word stands next to: ``>PER2`` for a word the next word of
    which often begins a person's name (``قال``, ``السيد``), ``<LOC3`` for a word that often
    follows the end of a place name (bands 3, 2, 1 for ≥ 0.3, 0.1, 0.03: these are rarer).

    Built by ``tools/train_ner.py --profile``: a base model tags SaudiNewsNet, so the tagger knows
    how a word it meets is used across ten million words of news, not only in its sentence.
    """

    table: dict[str, tuple[str, ...]]

    @staticmethod
    def classes(
        probs: Sequence[float], before: Sequence[float] = (), after: Sequence[float] = ()
    ) -> tuple[str, ...]:
        """The classes of a word whose mean type probabilities (PER ORG LOC MISC) are ``probs``;
        ``before``: that the next word begins a name of each type; ``after``: that the previous
        word ends one."""
        out = []
        for mark, ps, (hi, mid, lo) in (
            ("", probs, (0.5, 0.2, 0.05)),
            (">", before, (0.3, 0.1, 0.03)),
            ("<", after, (0.3, 0.1, 0.03)),
        ):
            for t, p in zip(PROFILE_TYPES, ps, strict=True) if ps else ():
                band = "3" if p >= hi else "2" if p >= mid else "1" if p >= lo else ""
                if band:
                    out.append(mark + t + band)
        return tuple(out)

    @classmethod
    def read(cls, raw: str) -> Profile:
        table: dict[str, tuple[str, ...]] = {}
        for line in raw.splitlines():
            if not line or line.startswith("#"):
                continue
            word, _, classes = line.partition("\t")
            table[word] = tuple(classes.split()) if classes else ()
        return cls(table)

    def write(self) -> str:
        return "".join(f"{w}\t{' '.join(c)}\n" for w, c in sorted(self.table.items()))

    @classmethod
    def empty(cls) -> Profile:
        return cls({})

    def features(self, key: str) -> tuple[list[str], list[str], list[str]]:
        """The word's features: its own, those its next word sees, those its previous word sees.
        The type classes go to all three (``au=PER3``; ``au=O`` for none, ``au=none`` for a word
        not in the profile); ``>`` classes (``an=PER2``) to the word and its next word, ``<``
        classes (``ap=LOC3``) to the word and its previous word."""
        got = self.table.get(key)
        if got is None:
            return ["au=none"], ["-1au=none"], ["+1au=none"]
        own = ["au=" + c for c in got if c[0] not in "<>"] or ["au=O"]
        nxt = ["-1" + f for f in own]
        prev = ["+1" + f for f in own]
        for c in got:
            if c[0] == ">":
                own.append("an=" + c[1:])
                nxt.append("-1an=" + c[1:])
            elif c[0] == "<":
                own.append("ap=" + c[1:])
                prev.append("+1ap=" + c[1:])
        return own, nxt, prev


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    """Which feature groups the model uses; stored with the model so tagging matches training."""

    affixes: bool = True
    clusters: bool = True
    gazetteer: bool = True
    window: int = 2
    context_clusters: bool = True
    bigrams: bool = True
    ngrams: bool = False
    cluster_bigrams: bool = False
    profile: bool = False

    def to_dict(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in self.__slots__}


class WordInfo(NamedTuple):
    """Cached per word type: own features, features seen from offsets -2, -1, +1, +2, and keys.

    All tuples of strings, so that the garbage collector stops tracking the cached ones (lists
    would keep a million objects of a long run in every full collection)."""

    own: tuple[str, ...]
    m2: tuple[str, ...]
    m1: tuple[str, ...]
    p1: tuple[str, ...]
    p2: tuple[str, ...]
    norm: str
    stem: str
    key: str  # matching form without the proclitics و ف ب ك ل (ال kept): how names are compared
    gaz: tuple[str, ...]  # the forms of the word that start gazetteer names of two or more words
    cluster: str  # a middle-granularity cluster id (or "-"), for cluster bigrams


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word:
        if ch.isdigit():
            c = "d"
        elif "\u0600" <= ch <= "\u06ff":
            c = "a"
        elif ch.isalpha():
            c = "X" if ch.isupper() else "x"
        elif ch.isspace():
            c = " "
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:6])


class Featurizer:
    """Turns a sentence (its word strings) into crfsuite feature lists."""

    def __init__(
        self,
        clusters: Clusters,
        gazetteer: Gazetteer,
        settings: FeatureSettings,
        known: frozenset[str] | None = None,
        *,
        context: bool = True,
        profile: Profile | None = None,
        source: Featurizer | None = None,
    ) -> None:
        """``known``: the attributes a trained model has weights for; others are never emitted.
        ``context=False``: only a word's own features (the neural tagger reads the context).
        ``source``: a featurizer whose unfiltered features of each word this one filters, instead
        of computing them again (the two models of an ensemble featurize each word once); it
        must have the same clusters, gazetteer and own-word settings, and this one
        ``context=False`` (or the very same settings)."""
        self.clusters = clusters
        self.gazetteer = gazetteer
        self.settings = settings
        self.known = known
        self.context = context
        self.profile = profile or Profile.empty()
        self._cache: dict[str, WordInfo] = {}
        self._source = source
        # the unfiltered features of recent words, kept while a featurizer reads from this one
        self._raw: dict[str, WordInfo] | None = None
        if source is not None:
            if not can_read_from(self, source):
                raise ValueError(
                    f"a featurizer with settings {settings} cannot read its words from one with "
                    f"{source.settings}: build it without source="
                )
            if source._raw is None:
                source._raw = {}

    def word(self, word: str) -> WordInfo:
        info = self._cache.get(word)
        if info is None:
            info = self._filter(self._source.raw(word) if self._source is not None else self.raw(word))
            if len(self._cache) < 500_000:
                self._cache[word] = info
        return info

    def raw(self, word: str) -> WordInfo:
        """The word's features before the ``known`` filter; for a featurizer that others read
        from, the last few thousand words' are kept (a document's new words are featurized by
        one model and then by the other)."""
        memo = self._raw
        if memo is None:
            return self._word(word)
        info = memo.get(word)
        if info is None:
            if len(memo) >= 20_000:
                memo.clear()
            info = memo[word] = self._word(word)
        return info

    def _filter(self, info: WordInfo) -> WordInfo:
        # run once per new word and model: spelt out, as generators and _replace cost here
        known = self.known
        own, m2, m1, p1, p2, *rest = info
        if self._source is not None and not self.context:
            own = tuple(filter(known.__contains__, own)) if known is not None else own
            return WordInfo(own, (), (), (), (), *rest)
        if known is None:
            return info
        keep = known.__contains__
        return WordInfo(
            tuple(filter(keep, own)),
            tuple(filter(keep, m2)) if m2 else m2,
            tuple(filter(keep, m1)) if m1 else m1,
            tuple(filter(keep, p1)) if p1 else p1,
            tuple(filter(keep, p2)) if p2 else p2,
            *rest,
        )

    def _word(self, word: str) -> WordInfo:
        st = self.settings
        norm = match_form(word)[:40]
        if len(word) > 40:
            word = word[:40]
        n_pro, n_enc = segment(word) if word.isalpha() else (0, 0)
        stem = match_form(word[n_pro : len(word) - n_enc]) if (n_pro or n_enc) else norm
        pro = match_form(word[:n_pro])
        if not n_pro:
            key = norm
        elif pro.endswith("ال"):
            key = match_form(word[n_pro - 2 :]) if word[n_pro - 2 : n_pro] == "ال" else norm
        elif pro.endswith("لل"):  # ل + ال with the alef dropped
            key = "ا" + match_form(word[n_pro - 1 :])
        else:
            key = match_form(word[n_pro:])
        enc = match_form(word[len(word) - n_enc :]) if n_enc else ""
        shape = _shape(word)
        own = ["b", "w=" + norm, "s=" + stem, "sh=" + shape]
        if pro:
            own.append("p=" + pro)
            if pro.endswith("ال"):
                own.append("al")
        if enc:
            own.append("e=" + enc)
        if st.affixes:
            for k in (1, 2, 3):
                if len(stem) > k:
                    own.append(f"s{k}=" + stem[-k:])
            for k in (2, 3):
                if len(stem) > k + 1:
                    own.append(f"f{k}=" + stem[:k])
        if st.ngrams and len(stem) > 3:
            own.extend(dict.fromkeys("g3=" + stem[i : i + 3] for i in range(1, len(stem) - 3)))
            own.extend(("f4=" + stem[:4], "s4=" + stem[-4:]))
        ln = len(stem)
        own.append(
            "l=" + ("1" if ln <= 1 else "2" if ln <= 3 else "4" if ln <= 5 else "6" if ln <= 8 else "9")
        )
        cl: tuple[str, ...] = ()
        if st.clusters and self.clusters.table:
            cl = self.clusters.table.get(norm) or ()
            scl = self.clusters.table.get(stem) or () if stem != norm else ()
            if cl:
                own.extend(f"c{k}={c}" for k, c in zip(self.clusters.ks, cl))
            else:
                own.append("c=oov")
            if scl:
                own.extend(f"sc{k}={c}" for k, c in zip(self.clusters.ks, scl))
            if not cl:
                cl = scl
        gaz: frozenset[str] = frozenset()
        if st.gazetteer:
            gaz = self.gazetteer.lookup(norm)
            own.extend("g1=" + t for t in sorted(gaz))
            for form in (norm, stem):
                first = self.gazetteer.first.get(form)
                if first:
                    own.extend("gf=" + t for t in sorted(first))
                    break
        prof, prof_m1, prof_p1 = self.profile.features(key) if st.profile else ((), (), ())
        own.extend(prof)
        m1: list[str] = []
        p1: list[str] = []
        m2: list[str] = []
        p2: list[str] = []
        if self.context:
            m1 = ["-1w=" + norm, "-1s=" + stem]
            p1 = ["+1w=" + norm, "+1s=" + stem]
            if pro:
                m1.append("-1p=" + pro)
                p1.append("+1p=" + pro)
            if st.context_clusters and cl:
                m1.extend(f"-1c{k}={c}" for k, c in zip(self.clusters.ks, cl))
                p1.extend(f"+1c{k}={c}" for k, c in zip(self.clusters.ks, cl))
            m1.extend(prof_m1)
            p1.extend(prof_p1)
            if gaz:
                m1.extend("-1g=" + t for t in sorted(gaz))
                p1.extend("+1g=" + t for t in sorted(gaz))
            m2 = ["-2s=" + stem]
            p2 = ["+2s=" + stem]
            if st.context_clusters and cl:
                m2.append(f"-2c={cl[-1]}")
                p2.append(f"+2c={cl[-1]}")
            if shape in (".", "،", ",", "(", ")", '"', "-", ":"):
                m1.append("-1punct=" + shape)
                p1.append("+1punct=" + shape)
        gcands = self.gazetteer.first_keys(norm) if st.gazetteer else ()
        mid = (cl[-2] if len(cl) > 1 else cl[0]) if cl else "-"
        return WordInfo(tuple(own), tuple(m2), tuple(m1), tuple(p1), tuple(p2), norm, stem, key, gcands, mid)

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        infos = [self.word(w) for w in words]
        n = len(infos)
        if not n:
            return []
        # own features + the neighbours' contributions, by shifted lists
        m1 = [_BOS1, *(i.m1 for i in infos[:-1])]
        p1 = [*(i.p1 for i in infos[1:]), _EOS1]
        if self.settings.window >= 2:
            m2 = [_BOS2, _BOS2, *(i.m2 for i in infos[:-2])][:n]
            p2 = [*(i.p2 for i in infos[2:]), _EOS2, _EOS2][-n:] if n >= 2 else [_EOS2]
            out = [[*i.own, *a, *b, *c, *d] for i, a, b, c, d in zip(infos, m1, p1, m2, p2)]
        else:
            out = [[*i.own, *a, *b] for i, a, b in zip(infos, m1, p1)]
        self._extras(infos, out)
        return out

    def extras(self, infos: Sequence[WordInfo]) -> list[list[str]] | None:
        """Only the features that depend on more than a word and its place in the window (word
        and cluster pairs, multi-word gazetteer names), or None when the sentence has none."""
        out: list[list[str]] = [[] for _ in infos]
        self._extras(infos, out)
        return out if any(out) else None

    def _extras(self, infos: Sequence[WordInfo], out: list[list[str]]) -> None:
        n = len(infos)
        known = self.known
        if self.settings.bigrams and n > 1:
            self._add_pairs(out, "bg", [i.stem for i in infos])
        if self.settings.gazetteer and any(i.gaz for i in infos):
            for m in self.gazetteer.match_long([i.norm for i in infos], [i.gaz for i in infos]):
                if m.end - m.start < 2:
                    continue
                for t in sorted(m.types):
                    for j in range(m.start, m.end):
                        tag = ("G=B-" if j == m.start else "G=I-") + t
                        for k, pre in ((j, ""), (j + 1, "-1"), (j - 1, "+1")):
                            if 0 <= k < n and (known is None or pre + tag in known):
                                out[k].append(pre + tag)
        if self.settings.cluster_bigrams and n > 1:
            self._add_pairs(out, "cb", [i.cluster for i in infos])

    def _add_pairs(self, out: list[list[str]], name: str, values: list[str]) -> None:
        """The features of each pair of neighbours' ``values`` (stem or cluster bigrams): ``name=a|b``
        on the second word, ``name+=a|b`` on the first (only those the model knows)."""
        known = self.known
        for j in range(len(values) - 1):
            v = values[j] + "|" + values[j + 1]
            f = f"{name}+={v}"
            if known is None or f in known:
                out[j].append(f)
            f = f"{name}={v}"
            if known is None or f in known:
                out[j + 1].append(f)


def can_read_from(view: Featurizer, source: Featurizer) -> bool:
    """Whether ``view`` could filter the words of ``source`` instead of featurizing them (see
    :class:`Featurizer`'s ``source``)."""
    a, b = view.settings, source.settings
    same = view.clusters is source.clusters and view.gazetteer is source.gazetteer
    same = same and all(
        getattr(a, k) == getattr(b, k) for k in ("affixes", "clusters", "gazetteer", "ngrams")
    )
    if a.profile:
        same = same and b.profile and view.profile is source.profile
    elif b.profile:
        same = same and view.known is not None  # its filter drops the profile classes
    return same and (not view.context or a == b)


_BOS1 = ("BOS",)
_EOS1 = ("EOS",)
_BOS2 = ("-2BOS",)
_EOS2 = ("+2EOS",)
