"""Gazetteers: lists of names with an entity type, matched over a sentence's tokens.

A gazetteer is built from *sources*, each an iterable of ``(name, type)`` pairs (``type`` one of
``PER ORG LOC MISC``, or a feature-only class such as ``TITLE`` for words that introduce a name).
The data files in ``data/`` are one source each; other components (the actor knowledge base)
can be passed in as further sources, so loading stays pluggable.

Matching works on the matching form (:func:`marsad.text.normalize.match_form`) of each word.
The first word of a match may carry attached proclitics (و ف ب ل ك): ``والولايات المتحدة``
matches ``الولايات المتحدة``, and ``للولايات`` is read as ``ل + الولايات``.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from marsad.text.normalize import match_form

__all__ = [
    "TYPES",
    "Candidates",
    "Gazetteer",
    "GazetteerMatch",
    "data_text",
    "name_key",
    "read_gazetteer_file",
]

TYPES = ("PER", "ORG", "LOC", "MISC")
_MAX_WORDS = 8


# Names a word may start: (the words after the first, types), longest first.
Candidates = tuple[tuple[tuple[str, ...], frozenset[str]], ...]


class GazetteerMatch(NamedTuple):
    start: int  # token index in the sentence
    end: int  # exclusive
    types: frozenset[str]


def name_key(norm: str) -> tuple[str, ...]:
    """Keys a sentence-initial word of a name may match: itself and its forms without proclitics.

    ``norm`` is already in matching form.  ``والولايات`` → (``والولايات``, ``الولايات``);
    ``للولايات`` → (``للولايات``, ``لولايات``, ``الولايات``).
    """
    keys = [norm]
    w = norm
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
        keys.append(w)
    if len(w) > 3 and w[0] in "بكل":
        if w[0] == "ل" and w[1] == "ل":  # ل + ال with the alef dropped: للولايات
            keys.append("ا" + w[1:])
        w = w[1:]
        keys.append(w)
    return tuple(dict.fromkeys(keys))


def read_gazetteer_file(text: str) -> list[tuple[str, str]]:
    """Parse ``name<TAB>type[<TAB>source...]`` lines; ``#`` lines are comments."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise ValueError(f"gazetteer line {line!r} needs name<TAB>type: fix the data file")
        out.append((cols[0], cols[1]))
    return out


def data_text(name: str, folder: Path | None = None) -> str:
    """The text of the data file ``name`` (gunzipped if it ends in ``.gz``): from ``folder`` if
    given, else from the package's ``marsad/ner/data``."""
    ref = folder / name if folder is not None else resources.files("marsad.ner").joinpath("data", name)
    raw = ref.read_bytes()  # a missing file: OSError
    try:
        return (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")
    except (EOFError, gzip.BadGzipFile, zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(
            f"{ref} is not a whole UTF-8 {'gzip ' if name.endswith('.gz') else ''}file ({exc})"
        ) from exc


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Names indexed by their first word's matching form."""

    # first word -> list of (rest of the words, types), longest first
    index: dict[str, Candidates]
    single: dict[str, frozenset[str]]  # one-word names
    first: dict[str, frozenset[str]]  # first words of multi-word names (given names, "مجلس")
    size: int
    # (first word, second word) -> the names of two or more words they start, longest first: a
    # common first word (``وزارة``, ``مجلس``) starts hundreds of names, the next word a few
    pairs: dict[tuple[str, str], Candidates] = field(init=False, repr=False, compare=False)
    # the last two letters of every first word: every name_key() form of a word ends as the word
    # does, so a word that ends otherwise starts no name (most words, for a document's names)
    ends: frozenset[str] = field(init=False, repr=False, compare=False)
    # candidates() of the words met so far: every sentence of every document asks again
    _memo: dict[str, Candidates] = field(default_factory=dict, repr=False, compare=False)
    memo_size = 200_000

    def __post_init__(self) -> None:
        pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        for k, cands in self.index.items():
            for rest, ft in cands:
                if rest:
                    pairs.setdefault((k, rest[0]), []).append((rest, ft))
        object.__setattr__(self, "pairs", {k: tuple(v) for k, v in pairs.items()})
        object.__setattr__(self, "ends", frozenset(k[-2:] for k in self.index))

    @classmethod
    def from_sources(cls, *sources: Iterable[tuple[str, str]]) -> Gazetteer:
        return cls.from_forms(
            (tuple(match_form(w) for w in name.split()), typ) for source in sources for name, typ in source
        )

    @classmethod
    def from_forms(cls, names: Iterable[tuple[tuple[str, ...], str]]) -> Gazetteer:
        """:meth:`from_sources` with each name already split into words in matching form."""
        phrases: dict[tuple[str, ...], set[str]] = {}
        for words, typ in names:
            if not words or len(words) > _MAX_WORDS:
                continue
            phrases.setdefault(words, set()).add(typ)
        grouped: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        single: dict[str, frozenset[str]] = {}
        first: dict[str, set[str]] = {}
        for words, types in phrases.items():
            ft = frozenset(types)
            grouped.setdefault(words[0], []).append((words[1:], ft))
            if len(words) == 1:
                single[words[0]] = ft
            else:
                first.setdefault(words[0], set()).update(types)
        index = {k: tuple(sorted(v, key=lambda rt: -len(rt[0]))) for k, v in grouped.items()}
        return cls(index, single, {k: frozenset(v) for k, v in first.items()}, len(phrases))

    @classmethod
    def packaged(
        cls, *extra: Iterable[tuple[str, str]], files: Sequence[str] = ("gazetteer.tsv.gz",)
    ) -> Gazetteer:
        """The gazetteer shipped in ``marsad/ner/data`` plus any ``extra`` sources."""
        return cls.from_sources(*(read_gazetteer_file(data_text(f)) for f in files), *extra)

    def lookup(self, norm: str) -> frozenset[str]:
        """Types of the one-word name ``norm`` (any proclitics removed), or an empty set."""
        for k in name_key(norm):
            t = self.single.get(k)
            if t:
                return t
        return frozenset()

    def candidates(self, norm: str) -> Candidates:
        """Names that a word with matching form ``norm`` (proclitics allowed) may start."""
        got = self._memo.get(norm)
        if got is None:
            if norm[-2:] not in self.ends:
                return ()
            found: list[tuple[tuple[str, ...], frozenset[str]]] = []
            for key in name_key(norm):
                found.extend(self.index.get(key, ()))
            if len(found) > 1:
                found.sort(key=lambda rt: -len(rt[0]))
            got = tuple(found)
            if len(self._memo) < self.memo_size:
                self._memo[norm] = got
        return got

    def first_keys(self, norm: str) -> tuple[str, ...]:
        """The :func:`name_key` forms of ``norm`` that start names of two or more words."""
        first = self.first
        return tuple(k for k in name_key(norm) if k in first)

    def match_long(self, norms: Sequence[str], keys: Sequence[tuple[str, ...]]) -> list[GazetteerMatch]:
        """The matches of two or more words of :meth:`match`, given each word's
        :meth:`first_keys` (computed once per word, so that a sentence costs a few lookups)."""
        pairs = self.pairs
        n = len(norms)
        cands: list[Candidates] = [()] * n
        for i in [k for k, ks in enumerate(keys[: n - 1]) if ks]:  # most words start no name
            ks, after = keys[i], norms[i + 1]
            if len(ks) == 1:
                cands[i] = pairs.get((ks[0], after), ())
            else:  # as candidates(): in key order, then longest first
                found = (c for k in ks for c in pairs.get((k, after), ()))
                cands[i] = tuple(sorted(found, key=lambda rt: -len(rt[0])))
        return self.match_candidates(norms, cands)

    def match(self, norms: Sequence[str]) -> list[GazetteerMatch]:
        """Longest non-overlapping matches, left to right, over a sentence's word forms."""
        memo = self._memo  # asked of every word of every sentence: the memo first
        cands = [c if (c := memo.get(n)) is not None else self.candidates(n) for n in norms]
        return self.match_candidates(norms, cands)

    @staticmethod
    def match_candidates(norms: Sequence[str], cands: Sequence[Candidates]) -> list[GazetteerMatch]:
        """:meth:`match` with each word's :meth:`candidates` already looked up."""
        out: list[GazetteerMatch] = []
        n = len(norms)
        end = 0  # where the last match ends: the next may start there
        for i in [k for k, c in enumerate(cands) if c]:  # most words start no name
            if i < end:
                continue
            after = norms[i + 1] if i + 1 < n else None
            for rest, types in cands[i]:  # longest first; a common first word starts hundreds of names
                m = len(rest)
                if m and (rest[0] != after or i + 1 + m > n):
                    continue
                if m <= 1 or tuple(norms[i + 2 : i + 1 + m]) == rest[1:]:
                    out.append(GazetteerMatch(i, i + 1 + m, types))
                    end = i + 1 + m
                    break
        return out
