"""Places and states: where a word reads as a place, and when a country or a capital is an actor.

A country or a capital is an actor (its government, ``GOV``) when one of its mentions is not a
place (after ``في``، ``إلى``، ``مدينة`` ...); else a country is its bare code and a capital no actor.
"""

from __future__ import annotations

from .aliases import BARRIER, first_forms, skip_letters
from .roles import entry_country
from .state import STATE, WITH_ARTICLE, Candidate, Run
from .words import WordClasses

__all__ = ["adjective_here", "in_place_context", "locative", "states", "toggled"]


def locative(run: Run, k: int, strip: int) -> bool:
    """Whether the word at key ``k`` stands where a place is expected (في، إلى، مدينة، بـ، على)."""
    t = run.toks[run.where[k]]
    if strip and t.text[: skip_letters(t.text, strip)].endswith("ب"):
        return True
    prev = run.keys[k - 1] if k > 0 else BARRIER
    words = run.l.words
    return prev == "علي" or words.has(prev, "place_prep") or words.has(prev, "place_noun")


def adjective_here(run: Run, k: int, key: str) -> bool:
    """Whether a one-word alias at key ``k`` reads as a country adjective here.

    It does when the word is an adjective and either matched the alias only with the article
    toggled (السورية / سورية) or follows a definite noun it can qualify (الدبلوماسية السعودية).
    """
    word = run.keys[k]
    if run.l.roles.country_of_adjective(word) is None:
        return False
    if toggled(word, key):
        return True
    prev = run.keys[k - 1] if k > 0 else BARRIER
    return prev.startswith("ال") or run.l.roles.index.match_at(run.keys, k - 1) is not None


def states(run: Run) -> None:
    """Countries and capitals: the government when a mention acts, else the country as a place."""
    words = run.l.words
    acting: dict[str, bool] = {}
    for e in run.ents:
        if e.entry is None or (e.entry.kind not in STATE and e.entry.kind != "capital"):
            continue
        place = e.source == "dateline" or in_place_context(run, e, words)
        acting[e.entry.id] = acting.get(e.entry.id, False) or not place
    for e in run.ents:
        if e.entry is None or e.entry.id not in acting:
            continue
        iso = entry_country(e.entry)
        if iso is None:
            continue
        e.country = iso
        if acting[e.entry.id]:
            e.actor = iso + "GOV"
        elif e.entry.kind in STATE:
            e.actor = iso
        else:
            e.actor = None


def in_place_context(run: Run, e: Candidate, words: WordClasses) -> bool:
    """Whether a mention reads as a place: after a preposition of place or a place noun, or with بـ."""
    t = run.toks[run.where[e.first]]
    if e.start > t.start and t.text[0] in "بفو" and t.text[: e.start - t.start].endswith("ب"):
        return True  # بدمشق: in Damascus
    k = e.first - 1
    if k < 0:
        return True
    prev = run.keys[k]
    if prev == BARRIER:
        return False
    return (
        words.has(prev, "place_prep")
        or words.has(prev, "place_noun")
        or any(words.has(form, "place_noun") for form, strip in first_forms(prev)[:4] if strip)
    )


def toggled(word: str, key: str) -> bool:
    """Whether a one-word alias ``key`` matched ``word`` only with the article added or dropped."""
    return key.startswith("ال") != word.startswith(WITH_ARTICLE)
