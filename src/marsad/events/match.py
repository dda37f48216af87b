"""Finding triggers in a sentence: one dictionary lookup per word, then the pattern's other words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from marsad.document import Token

from .lexicon import GAP, GAP_WORDS, Lexicon, Reading, Trigger, word_keys

__all__ = ["Hit", "find_triggers", "STRONG_PUNCT"]

STRONG_PUNCT = frozenset(".،,؛;:!?؟")
_QUOTES = frozenset("\"'«»“”„‘’()[]")


class Hit(NamedTuple):
    """A trigger found in a sentence: token indices are local to the sentence."""

    trigger: Trigger
    anchor: int
    tokens: tuple[int, ...]
    reading: Reading


def _alt_matches(alts: tuple[str, ...], norm: str) -> bool:
    keys = word_keys(norm)
    for a in alts:
        if a.endswith("*"):
            p = a[:-1]
            if any(k.startswith(p) for k in keys):
                return True
        elif a in keys:
            return True
    return False


def _match_rest(rest: tuple[tuple[str, ...], ...], toks: Sequence[Token], i: int) -> tuple[int, ...] | None:
    """Token indices matching the pattern's tokens after the anchor at ``i``, or None."""
    got: list[int] = []
    j = i + 1
    gap = False
    for alts in rest:
        if alts == (GAP,):
            gap = True
            continue
        budget = GAP_WORDS if gap else 0
        found = None
        while j < len(toks):
            t = toks[j]
            if not t.is_word:
                if t.text in _QUOTES or (gap and t.text not in STRONG_PUNCT):
                    j += 1
                    continue
                break
            if _alt_matches(alts, t.norm):
                found = j
                break
            if budget == 0:
                break
            budget -= 1
            j += 1
        if found is None:
            return None
        got.append(found)
        j = found + 1
        gap = False
    return tuple(got)


def find_triggers(lex: Lexicon, toks: Sequence[Token]) -> list[Hit]:
    """Triggers in a sentence's tokens, left to right; the longest pattern wins at each word.

    Words a match uses cannot anchor another match; a block entry (``type`` ``-``) uses its
    words and yields nothing (``وقف إطلاق النار`` is not a shooting).  After a preposition a
    word that is both a verb and a noun (``عن دعم``) is read as the noun.
    """
    hits: list[Hit] = []
    used: set[int] = set()
    preps = lex.cue_words("preposition")
    for i, t in enumerate(toks):
        if i in used or not t.is_word:
            continue
        found = lex.lookup(t.norm)
        if found is None:
            continue
        reading, entries = found
        if i > 0 and toks[i - 1].is_word and toks[i - 1].norm in preps:
            nouns = tuple(e for e in entries if not e.is_verb)
            if nouns:
                entries = nouns
        best: tuple[tuple[int, bool, float], Trigger, tuple[int, ...]] | None = None
        for e in entries:
            rest = _match_rest(e.rest, toks, i) if e.rest else ()
            if rest is None:
                continue
            score = (len(rest), e.origin == "curated", e.confidence)
            if best is None or score > best[0]:
                best = (score, e, rest)
        if best is None:
            continue
        _, entry, rest = best
        span = (i, *rest)
        used.update(span)
        if not entry.is_block:
            hits.append(Hit(entry, i, span, reading))
    return hits
