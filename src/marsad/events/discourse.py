"""Who the discourse is about: speakers of quotes, the subject a verb without one shares, words
that look like triggers but are names or nouns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from marsad.document import Document, Mention, Quote, Sentence, Token

from .actors import Actor
from .arguments import SentenceActors
from .match import Hit

__all__ = [
    "after_subordinator",
    "as_target",
    "attributing_speaker",
    "before_nisba",
    "clause_initial",
    "governed",
    "inside_name",
    "quote_at",
    "sentence_subject",
    "speaker_before",
    "speaker_of",
]

_GOVERNING = frozenset({"علي", "في", "الي", "من", "عن", "خلال", "اثناء"})
_STRONG = frozenset(".؛;:!?؟")
_CLAUSE_PUNCT = frozenset('.،,؛;:"»”')


def as_target(a: Actor, ptype: str) -> Mention:
    """A visited or attacked city stands for its country (``زيارة الى موسكو`` → RUS)."""
    m = a.mention
    if a.place_only and m.country:
        return replace(m, actor=m.country)
    return m


def speaker_of(doc: Document, sp: Mention) -> Mention:
    if sp.actor or sp.entity is None:
        return sp
    for e in doc.entities:
        if e.id == sp.entity:
            return replace(sp, actor=e.actor, country=e.country, kb=e.kb, name_en=e.name_en)
    return sp


def attributing_speaker(doc: Document, s: Sentence, at: int, q: Quote | None) -> Mention | None:
    """The speaker of a quote whose reporting verb is in this sentence, for a nominal trigger
    outside the quote (``وقال عقب اتصال هاتفي مع أمير قطر «...»``): the one who spoke did it."""
    if q is not None:
        return None
    for quote in doc.quotes:
        cue = quote.cue
        if cue is None or quote.speaker is None or not (s.start <= cue.start < s.end):
            continue
        if not (quote.start <= at < quote.end) and abs(cue.start - at) < 80:
            return quote.speaker
    return None


def quote_at(quotes: Sequence[Quote], offset: int) -> Quote | None:
    for q in quotes:
        if q.start <= offset < q.end:
            return q
    return None


def inside_name(sa: SentenceActors, hit: Hit) -> bool:
    """A trigger word inside an organisation's or person's name (``التجمع اليمني للإصلاح``)."""
    a = sa.covering.get(hit.anchor)
    return a is not None and a.entity_type in ("ORG", "PER", "LOC") and not hit.trigger.frame.actor


def before_nisba(sa: SentenceActors, hit: Hit) -> bool:
    """Is the "verb" a noun that an indefinite nationality adjective follows (``طالب سعودي``:
    a Saudi student, not "demanded")?"""
    a = sa.starting.get(hit.tokens[-1] + 1)
    return a is not None and a.entity_type == "ADJ" and not sa.toks[a.first].norm.startswith("ال")


def clause_initial(toks: Sequence[Token], hit: Hit) -> bool:
    """Does the verb open its sentence or a clause of its own (``وشدد على ...``، ``... " وحضا``),
    so that its subject is the one of the clause before?"""
    if hit.reading.conj:
        return True
    k = hit.anchor - 1
    while k >= 0 and not toks[k].is_word:
        if toks[k].text in _CLAUSE_PUNCT:
            return True
        k -= 1
    return k < 0


def speaker_before(doc: Document, s: Sentence, at: int) -> Mention | None:
    """The speaker of the last quote whose reporting verb stands in this sentence before ``at``."""
    best: tuple[int, Mention] | None = None
    for q in doc.quotes:
        cue, speaker = q.cue, q.speaker
        if (
            cue is not None
            and speaker is not None
            and s.start <= cue.start < at
            and (best is None or cue.start > best[0])
        ):
            best = (cue.start, speaker)
    return speaker_of(doc, best[1]) if best is not None else None


def governed(toks: Sequence[Token], hit: Hit) -> bool:
    """Is the noun the object of a preposition (``على التوجه``، ``بزيارة``، ``في مؤتمر``)?"""
    if hit.reading.prep:
        return True
    k = hit.anchor - 1
    return k >= 0 and toks[k].is_word and toks[k].norm in _GOVERNING


def after_subordinator(sa: SentenceActors, v: int, subordinators: frozenset[str]) -> Actor | None:
    """A verb right after بعدما/عندما/حيث without a subject of its own: the actor just before."""
    toks = sa.toks
    k = v - 1
    if (
        k < 0
        or not toks[k].is_word
        or toks[k].norm not in subordinators
        or toks[k].norm in ("ان", "الذي", "التي")
    ):
        return None
    for j in range(k - 1, max(-1, k - 5), -1):
        a = sa.covering.get(j)
        if a is not None:
            return a if not a.place_only and a.entity_type != "ADJ" else None
        if toks[j].text in _STRONG:
            return None
    return None


def sentence_subject(sa: SentenceActors, before: int) -> Mention | None:
    """The first actor of the sentence not governed by a preposition, before token ``before``:
    the subject a later verb without its own subject shares (``وغيرت تركيا ... وشنت غارات``)."""
    for a in sa.actors:
        if a.first >= before:
            return None
        if a.prep is None and not a.place_only and a.entity_type != "ADJ":
            return a.mention
    return None
