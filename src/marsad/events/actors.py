"""The actors a sentence names, as candidate event arguments.

Two sources: the linked entities of the sentence, and role phrases that no entity covers
(``نظيره الروسي``, ``القوات السورية``, ``الخارجية البحرينية``), resolved by the linker's
``actor_for_span`` when the linker is part of the build, or else by the knowledge base's role
nouns and country adjectives.  Each actor records the preposition that governs it (a word
before it, or a proclitic ب ل ك on its first word) and its coordination group (``كيري ولافروف``).
"""

from __future__ import annotations

import importlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from marsad.document import Document, Entity, Mention, Token
from marsad.text.normalize import match_form

__all__ = ["Actor", "ActorFinder", "RoleSource"]

_NISBA_LAST = frozenset("يهنا")  # last letters of nisba adjectives and role nouns' plural and dual forms
_ROLE_KINDS = frozenset({"person", "group", "institution"})
# "the Kingdom" written alone (with its proclitics): the kingdom the article names in full
_KINGDOM = frozenset(
    match_form(w) for w in ("المملكة", "والمملكة", "بالمملكة", "وبالمملكة", "للمملكة", "وللمملكة", "فالمملكة")
)
_KINGDOM_FULL = match_form("المملكة") + " "
_KINGDOMS = frozenset({"SAU", "JOR", "MAR", "BHR", "GBR", "ESP", "NLD", "BEL", "SWE", "NOR", "DNK", "THA"})
_ROLE_WINDOW = 4  # words a role phrase may take after its role noun


@dataclass(frozen=True, slots=True)
class Actor:
    """A span of the sentence that names an actor or a place.

    ``first``/``last`` are sentence-local token indices (inclusive).  ``place_only`` marks a
    place that is not an actor by itself (a city: it can be visited and be an event's location);
    ``place`` marks anything that is also a place (countries are both).
    """

    first: int
    last: int
    mention: Mention
    place: bool
    place_only: bool
    prep: str | None
    group: int
    entity_type: str | None

    @property
    def country_key(self) -> str | None:
        m = self.mention
        if m.actor:
            return m.actor[:3]
        return m.country


def _entity_mention(e: Entity) -> Mention:
    return Mention(e.start, e.end, e.text, e.id, e.kb, e.name_en, e.actor, e.country)


RoleSource = Callable[[Document], Sequence[Mention]]


@lru_cache(maxsize=1)
def _link_roles() -> RoleSource | None:
    """The linker's role phrases of a document (``نظيره الروسي`` → RUSGOV), if the linker is built."""
    try:
        module = importlib.import_module("marsad.link")
    except ModuleNotFoundError as exc:
        if exc.name == "marsad.link":
            return None
        raise
    return getattr(module, "role_mentions", None)


@lru_cache(maxsize=1)
def _kb() -> Any:
    try:
        module = importlib.import_module("marsad.kb")
    except ModuleNotFoundError as exc:
        if exc.name == "marsad.kb":
            return None
        raise
    try:
        return module.KnowledgeBase.load()
    except (OSError, ValueError):  # a knowledge base without its data files: run without it
        return None


class ActorFinder:
    """Finds the actors of sentences; made once per stage, shared across documents."""

    def __init__(self, prepositions: frozenset[str], roles: RoleSource | None = None, kb: Any = None):
        self.prepositions = prepositions
        self.roles = roles if roles is not None else _link_roles()
        self.kb = kb if kb is not None else _kb()
        self._adjectives: dict[str, str | None] = {}

    def role_mentions(self, doc: Document) -> list[Mention]:
        """The document's role phrases with an actor, in text order (empty without the linker)."""
        if self.roles is None:
            return []
        return sorted((m for m in self.roles(doc) if m.actor or m.country), key=lambda m: m.start)

    # -- the knowledge base, when there is one --------------------------------------------

    def adjective_country(self, word: str) -> str | None:
        """The country of a nisba adjective (``الروسية`` → RUS), cached per word."""
        if self.kb is None:
            return None
        if word in self._adjectives:
            return self._adjectives[word]
        c = self.kb.adjective(word)
        iso = c.id.split(":", 1)[1] if c is not None and ":" in c.id else None
        if len(self._adjectives) < 100_000:
            self._adjectives[word] = iso
        return iso

    def is_role(self, word: str) -> bool:
        if self.kb is None:
            return False
        r = self.kb.role(word)
        return r is not None and r.kind in _ROLE_KINDS

    def coordinates(self, kb_id: str | None) -> tuple[float | None, float | None]:
        if self.kb is None or kb_id is None:
            return None, None
        e = self.kb.get(kb_id)
        return (e.lat, e.lon) if e is not None else (None, None)

    # -- finding ---------------------------------------------------------------------------

    def find(
        self, doc: Document, toks: Sequence[Token], ents: Sequence[Entity], roles: Sequence[Mention]
    ) -> list[Actor]:
        """Actors of one sentence: its tokens, the entities and the linker's role phrases in it."""
        if not toks:
            return []
        starts = [t.start for t in toks]
        covered = bytearray(len(toks))

        def cover(start: int, end: int) -> bool:
            """Mark the tokens of a span; False if one was already taken."""
            first = max(0, bisect_right(starts, start) - 1)
            last = bisect_left(starts, end) - 1
            if any(covered[first : last + 1]):
                return False
            covered[first : last + 1] = b"\x01" * (last + 1 - first)
            return True

        # entities and role phrases, the longer first where they overlap: a role phrase holding a
        # name is the head of its noun phrase (القوات الموالية للاسد is the forces, not al-Assad)
        found: list[tuple[int, int, Mention, str | None]] = [
            (e.start, e.end, _entity_mention(e), e.type) for e in ents if e.type != "MISC" or e.actor
        ]
        found += [(m.start, m.end, m, None) for m in roles]
        found.sort(key=lambda x: (x[0], x[0] - x[1]))
        spans: list[tuple[int, int, Mention, str | None]] = []
        for start, end, m, etype in found:
            if cover(start, end):
                spans.append((start, end, m, etype))
        looked, kingdom = False, None
        for i, t in enumerate(toks):
            if covered[i] or t.norm not in _KINGDOM:
                continue
            if not looked:
                looked, kingdom = True, _kingdom(doc)
            if kingdom and cover(t.start, t.end):  # المملكة: the kingdom the article names in full
                m = Mention(
                    t.name_start, t.end, doc.text[t.name_start : t.end], actor=kingdom, country=kingdom
                )
                spans.append((m.start, m.end, m, "LOC"))
        if self.kb is not None:
            for i, t in enumerate(toks):
                if covered[i] or t.kind != "arabic":
                    continue
                if self.roles is None and self.is_role(t.text):  # no linker: role noun + adjective
                    phrase = self._role_phrase(doc, toks, i)
                    if phrase is not None and cover(phrase.start, phrase.end):
                        spans.append((phrase.start, phrase.end, phrase, None))
                        continue
                if t.norm[-1:] not in _NISBA_LAST:
                    continue
                iso = self.adjective_country(t.text)  # a country adjective alone: الضربات الجوية الروسية
                if iso and cover(t.start, t.end):
                    m = Mention(t.name_start, t.end, doc.text[t.name_start : t.end], actor=iso, country=iso)
                    spans.append((m.start, m.end, m, "ADJ"))
        spans.sort(key=lambda x: (x[0], -x[1]))
        actors: list[Actor] = []
        for start, end, m, etype in spans:
            first = max(0, bisect_right(starts, start) - 1)
            last = max(first, bisect_left(starts, end) - 1)
            if actors and first <= actors[-1].last:  # overlapping: keep the one with an actor code
                prev = actors[-1]
                if not prev.mention.actor and m.actor:
                    actors[-1] = self._make(toks, first, last, m, etype, prev.group)
                continue
            actors.append(self._make(toks, first, last, m, etype, len(actors)))
        return self._coordinate(doc, self._merge_titles(doc, actors))

    def _make(
        self, toks: Sequence[Token], first: int, last: int, m: Mention, etype: str | None, g: int
    ) -> Actor:
        place = etype == "LOC"
        place_only = place and not m.actor
        return Actor(first, last, m, place, place_only, self._preposition(toks, first, m), g, etype)

    def _role_phrase(self, doc: Document, toks: Sequence[Token], i: int) -> Mention | None:
        j = i
        while j + 1 < len(toks) and j - i < _ROLE_WINDOW and toks[j + 1].is_word:
            if toks[j + 1].norm in self.prepositions:
                break
            j += 1
        start = toks[i].stem_start
        role = self.kb.role(toks[i].text) if self.kb is not None else None
        for k in range(i + 1, j + 1):
            iso = self.adjective_country(toks[k].text)
            if iso and role is not None:
                e = toks[k].end
                return Mention(start, e, doc.text[start:e], actor=iso + role.sector, country=iso)
        return None

    def _preposition(self, toks: Sequence[Token], first: int, m: Mention) -> str | None:
        t = toks[first]
        before = t.text[: max(0, m.start - t.start)]  # a name's own first letter is not a clitic (برلين)
        p = clitic_preposition(before) if before else None
        if p is not None:
            return p
        k = first - 1
        while k >= 0 and not toks[k].is_word and toks[k].text in "\"«“'(":
            k -= 1
        if k >= 0 and toks[k].is_word:
            n = toks[k].norm
            if n in self.prepositions:
                return n
            if n[:1] in "وف" and n[1:] in self.prepositions:  # وفي، ومن
                return n[1:]
        return None

    def _coordinate(self, doc: Document, actors: list[Actor]) -> list[Actor]:
        """Give coordinated actors (``X و Y``, ``ولافروف``; ``X، Y`` between places) one group id."""
        out: list[Actor] = []
        for a in actors:
            if out:
                prev = out[-1]
                between = doc.text[prev.mention.end : a.mention.start].strip()
                if between in ("و", "، و", "،و", ",و", ", و") or (
                    between in ("،", ",") and prev.place and a.place
                ):
                    a = replace(a, group=prev.group)
            out.append(a)
        return out

    def _merge_titles(self, doc: Document, actors: list[Actor]) -> list[Actor]:
        """A role phrase and a name beside it are one actor (``وزير الخارجية الاميركي جون كيري``,
        ``زيجمار جابريل، وزير الاقتصاد الألماني``); the name's code wins when it has one.  A name
        in brackets after the same actor is that actor (``حركة المقاومة الإسلامية (حماس)``)."""
        out: list[Actor] = []
        for a in actors:
            if out:
                prev = out[-1]
                kinds = {prev.entity_type, a.entity_type}
                between = doc.text[prev.mention.end : a.mention.start].strip()
                if between in ("(", "«") and a.mention.actor and a.mention.actor == prev.mention.actor:
                    out[-1] = replace(prev, last=a.last)
                    continue
                if kinds == {None, "PER"} and a.prep is None and between in ("", "،", ","):
                    name, role = (a, prev) if a.entity_type == "PER" else (prev, a)
                    best = name.mention if name.mention.actor else role.mention
                    start, end = prev.mention.start, a.mention.end
                    m = replace(best, start=start, end=end, text=doc.text[start:end])
                    if not m.actor and role.mention.actor:
                        m = replace(m, actor=role.mention.actor, country=role.mention.country)
                    out[-1] = replace(prev, last=a.last, mention=m, entity_type="PER")
                    continue
            out.append(a)
        return out


def clitic_preposition(prefix: str) -> str | None:
    """The preposition among a word's proclitics as written: ``بال`` → ب, ``لل`` → ل, ``وال`` → None."""
    p = match_form(prefix)
    if p.endswith("لل"):
        p = p[:-1]
    elif p.endswith("ال"):
        p = p[:-2]
    return p[-1] if p and p[-1] in "بلك" else None


def _kingdom(doc: Document) -> str | None:
    """The country of the kingdom an article names in full (``المملكة العربية السعودية``), when it
    names one only: what ``المملكة`` alone refers to."""
    found = {
        e.country
        for e in doc.entities
        if e.country and match_form(e.text).startswith(_KINGDOM_FULL) and e.type in ("LOC", "ORG")
    }
    if not found:  # else the one kingdom the article names at all (السعودية)
        found = {e.country for e in doc.entities if e.type == "LOC" and e.country in _KINGDOMS}
    return found.pop() if len(found) == 1 else None
