"""Longest-match of knowledge-base phrases (aliases, role nouns) over a document's tokens.

Phrases are keyed by their words' matching forms joined by one space (the knowledge base's
:func:`~marsad.kb.alias_key`).  The first word of a match may carry proclitics (و ف, then ب ل ك)
and may have or lack the article ال; the other words match as written.  An index of first words
to the phrase lengths they start keeps the scan to one or two dictionary probes per token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

from marsad.document import Token

__all__ = ["BARRIER", "PhraseIndex", "PhraseMatch", "first_forms", "skip_letters", "token_keys"]

V = TypeVar("V")

# A token that no phrase may cross (punctuation other than the separators inside names).
BARRIER = "\x00"
# How many distinct words the per-index cache of readings holds.
_CACHE_WORDS = 300_000
# Punctuation that may sit inside a name (بان كي-مون، ام1آي1، سروج/سوروتش is two names though).
_INNER = frozenset("-‐‑–.'’‘`")
_WORDS = frozenset({"arabic", "latin", "number"})


class PhraseMatch(NamedTuple, Generic[V]):
    first: int  # token index of the first word
    last: int  # token index of the last word (inclusive)
    strip: int  # letters of proclitics to drop from the first token (و ب لل → 1, وب → 2)
    key: str
    value: V


@lru_cache(maxsize=100_000)
def first_forms(norm: str) -> tuple[tuple[str, int], ...]:
    """Readings of a first word: ``(form, proclitic letters dropped)``, the word itself first.

    ``والولايات`` → (والولايات, 0), (الولايات, 1), (ولايات, 1)...; ``للامم`` → (للامم, 0), (الامم, 1);
    each form also with the article toggled (``الولايات`` ↔ ``ولايات``).
    """
    out: list[tuple[str, int]] = []

    def add(form: str, strip: int) -> None:
        if len(form) >= 2:
            out.append((form, strip))
            if form.startswith("ال") and len(form) > 3:
                out.append((form[2:], strip))
            elif not form.startswith("ال"):
                out.append(("ال" + form, strip))

    add(norm, 0)
    for conj in ("", "و", "ف"):
        if conj and not norm.startswith(conj):
            continue
        rest = norm[len(conj) :]
        for prep in ("", "ب", "ل", "ك"):
            if not (conj or prep) or (prep and not rest.startswith(prep)):
                continue
            stem = rest[len(prep) :]
            if len(stem) < 2:
                continue
            n = len(conj) + len(prep)
            if prep == "ل" and stem.startswith("ل") and len(stem) > 3:
                out.append(("ا" + stem, n))  # لل = ل + ال with its alef dropped
            add(stem, n)
    seen: set[str] = set()
    uniq = []
    for form, strip in out:
        if form not in seen:
            seen.add(form)
            uniq.append((form, strip))
    return tuple(uniq)


def token_keys(tokens: Sequence[Token]) -> tuple[list[str], list[int]]:
    """The words a phrase may match, and the token index of each.

    Word and number tokens give their matching form; punctuation that may sit inside a name is
    left out; any other punctuation becomes :data:`BARRIER`.
    """
    words, inner = _WORDS, _INNER
    # index access: a NamedTuple's fields are properties, slower in a hot loop (2 text, 3 kind, 4 norm)
    where = [i for i, t in enumerate(tokens) if t[3] in words or t[2] not in inner]
    keys = [t[4] if t[3] in words else BARRIER for t in map(tokens.__getitem__, where)]
    return keys, where


def skip_letters(text: str, n: int) -> int:
    """Offset in ``text`` after its first ``n`` letters (marks such as diacritics do not count)."""
    if n <= 0:
        return 0
    seen = 0
    for i, ch in enumerate(text):
        if ch.isalpha():
            seen += 1
            if seen == n:
                return i + 1
    return len(text)


class PhraseIndex(Generic[V]):
    """Phrases (space-joined matching forms) → values, matched longest-first over token keys."""

    def __init__(self, phrases: Mapping[str, V]):
        self._phrases = phrases
        lengths: dict[str, set[int]] = {}
        self._pairs: set[str] = set()  # the first two words of every longer phrase
        for key in phrases:
            words = key.split(" ")
            lengths.setdefault(words[0], set()).add(len(words))
            if len(words) > 1:
                self._pairs.add(words[0] + " " + words[1])
        self._lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        # word → its readings that start a phrase: (form, strip, lengths); most words have none
        self._starts: dict[str, tuple[tuple[str, int, tuple[int, ...]], ...]] = {}

    def starts(self, word: str) -> tuple[tuple[str, int, tuple[int, ...]], ...]:
        """The readings of ``word`` that begin a phrase, with the phrase lengths they begin (cached)."""
        found = self._starts.get(word)
        if found is None:
            lengths = self._lengths
            found = tuple(
                (form, strip, lengths[form]) for form, strip in first_forms(word) if form in lengths
            )
            if len(self._starts) < _CACHE_WORDS:
                self._starts[word] = found
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._phrases

    def get(self, key: str) -> V | None:
        return self._phrases.get(key)

    def match_at(
        self, keys: Sequence[str], i: int, *, proclitics: bool = True, limit: int | None = None
    ) -> tuple[int, int, str, V] | None:
        """The longest phrase starting at ``keys[i]``: ``(words, strip, key, value)``, or None.

        ``limit`` bounds the end (exclusive) of the match.  Without ``proclitics`` the first
        word must match as written (or with ال toggled).
        """
        first = keys[i]
        if first == BARRIER:
            return None
        readings = self.starts(first)
        if not readings:
            return None
        end = len(keys) if limit is None else min(limit, len(keys))
        best: tuple[int, int, str, V] | None = None
        second = keys[i + 1] if i + 1 < end else BARRIER
        for form, strip, ns in readings:
            if strip and not proclitics:
                continue
            longer = (form + " " + second) in self._pairs  # no phrase of 2+ words goes on this way
            for n in ns:
                if i + n > end or (best is not None and n <= best[0]) or (n > 1 and not longer):
                    continue
                if n == 1:
                    key = form
                else:
                    rest = keys[i + 1 : i + n]
                    if BARRIER in rest:
                        continue
                    key = form + " " + " ".join(rest)
                value = self._phrases.get(key)
                if value is not None:
                    best = (n, strip, key, value)
                    break
        return best

    def scan(self, keys: Sequence[str]) -> list[tuple[int, int, int, str, V]]:
        """Non-overlapping longest matches left to right: ``(first, words, strip, key, value)``."""
        out: list[tuple[int, int, int, str, V]] = []
        i = 0
        n = len(keys)
        cache = self._starts
        while i < n:
            k = keys[i]
            found = cache.get(k)
            if found is None:
                found = self.starts(k)
            if not found or k == BARRIER:
                i += 1
                continue
            m = self.match_at(keys, i)
            if m is None:
                i += 1
                continue
            out.append((i, m[0], m[1], m[2], m[3]))
            i += m[0]
        return out
