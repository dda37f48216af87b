"""Finding triggers in a sentence: one dictionary lookup per word, then the pattern's other words."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from marsad.document import Token

from .lexicon import GAP, GAP_WORDS, Lexicon, Reading, Trigger, final_ta

__all__ = ["STRONG_PUNCT", "Hit", "find_triggers"]

STRONG_PUNCT = frozenset(".،,؛;:!?؟")
_QUOTES = frozenset("\"'«»“”„‘’()[]")
_TA = frozenset("ة\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")


class Hit(NamedTuple):
    """A trigger found in a sentence: token indices are local to the sentence."""

    trigger: Trigger
    anchor: int
    tokens: tuple[int, ...]
    reading: Reading


@lru_cache(maxsize=4096)
def _compiled(alts: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """A pattern token's alternatives as (exact words, prefixes).

    A prefix ending in a ta marbuta (``لهجة*``, matched as ``لهجه``) also matches the word with an
    enclitic pronoun, where the ta is written open (``لهجته``).
    """
    prefixes = [a[:-1] for a in alts if a.endswith("*")]
    prefixes += [p[:-1] + "ت" for p in prefixes if p.endswith("ه") and len(p) > 2]
    return frozenset(a for a in alts if not a.endswith("*")), tuple(prefixes)


def _alt_matches(lex: Lexicon, alts: tuple[str, ...], norm: str) -> bool:
    keys = lex.keys(norm)
    exact, prefixes = _compiled(alts)
    if not keys.isdisjoint(exact):
        return True
    return bool(prefixes) and any(k.startswith(prefixes) for k in keys)


def _match_rest(
    lex: Lexicon, rest: tuple[tuple[str, ...], ...], toks: Sequence[Token], i: int
) -> tuple[int, ...] | None:
    """Token indices matching the pattern's tokens after the anchor at ``i``, or None."""
    got: list[int] = []
    j = i + 1
    gap = False
    budget_next = 0
    for alts in rest:
        if len(alts) == 1 and alts[0].startswith(GAP):
            budget_next = int(alts[0][1:]) if len(alts[0]) > 1 else GAP_WORDS
            gap = True
            continue
        budget = budget_next if gap else 0
        found = None
        while j < len(toks):
            t = toks[j]
            if not t.is_word:
                if t.text in _QUOTES or (gap and t.text not in STRONG_PUNCT):
                    j += 1
                    continue
                break
            if _alt_matches(lex, alts, t.norm):
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


def find_triggers(lex: Lexicon, toks: Sequence[Token], positions: Sequence[int] | None = None) -> list[Hit]:
    """Triggers in a sentence's tokens, left to right; the longest pattern wins at each word.

    Words a match uses cannot anchor another match; a block entry (``type`` ``-``) uses its
    words and yields nothing (``وقف إطلاق النار`` is not a shooting).  After a preposition a
    word that is both a verb and a noun (``عن دعم``) is read as the noun.  ``positions``, when
    given, are the only token indices that may anchor a trigger (the caller's quick filter).
    """
    hits: list[Hit] = []
    used: set[int] = set()
    preps = lex.cue_words("preposition")
    for i in range(len(toks)) if positions is None else positions:
        if i in used:
            continue
        t = toks[i]
        found = lex.lookup(t.norm, t.text[-1:] in _TA and final_ta(t.text))
        if found is None:
            continue
        reading, entries = found
        if i > 0 and toks[i - 1].is_word and toks[i - 1].norm in preps:
            nouns = tuple(e for e in entries if not e.is_verb)
            if nouns:
                entries = nouns
        best: tuple[tuple[int, bool, bool, float], Trigger, tuple[int, ...]] | None = None
        for e in entries:
            rest = _match_rest(lex, e.rest, toks, i) if e.rest else ()
            if rest is None:
                continue
            # the same letters as a verb and as a noun: the article or a preposition makes it the noun
            fits = (not e.is_verb) if (reading.article or reading.prep in ("ب", "ك")) else e.is_verb
            score = (len(rest), e.origin == "curated", fits, e.confidence)
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
