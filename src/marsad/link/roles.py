"""Role phrases: a role noun and what fixes its country (``وزير الخارجية الاميركي`` → USAGOV).

A role phrase starts with a role noun of the knowledge base (``وزير``، ``المتحدث``، ``القوات``،
``الخارجية`` ...) and takes, in this order, further role nouns of the same office
(``وزير`` + ``الخارجية``), fillers (``الرسمي``، ``السابق``) and one of:

* a country adjective: ``الرئيس السوري`` → SYR + the role's sector;
* a body in the genitive or after ``باسم``/``ب``/``في``/``ل``: an entity or a nested role phrase
  (``وزير خارجية ألمانيا``، ``المتحدث باسم الخارجية الاميركية``، ``مسؤول بوزارة الخارجية التركية``,
  ``رئيس اللجنة الدولية للصليب الأحمر``) — an organisation's own code, or a country + the sector;
* ``الموالية ل`` + an actor: ``القوات الموالية للأسد`` → the actor's country + the role's sector.

``نظيره الروسي`` ("his Russian counterpart") takes the role of the previous role phrase and the
country of its adjective.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from marsad.kb import KBEntry, KnowledgeBase, Role, alias_key

from .aliases import BARRIER, PhraseIndex
from .words import WordClasses

__all__ = ["COUNTERPART", "Body", "RoleParser", "RolePhrase", "body_of", "entry_country"]

# How far a role phrase may reach, in words.
_MAX_WORDS = 9

# Words that link a role to its body and are no part of the office.
_CONNECTORS = frozenset({"on_behalf", "of", "loyal"})
# The role of a counterpart when no role phrase precedes it: an official of a government.
COUNTERPART = Role(form="نظير", sector="GOV", kind="person", name_en="counterpart")
# The role of an envoy (مندوب، ممثل، مبعوث): the body represented gives the code.
ENVOY = Role(form="مندوب", sector="GOV", kind="person", name_en="envoy", inherit=True)


@dataclass(frozen=True, slots=True)
class Body:
    """What a role phrase's country or code came from: an entity (by index) or a KB entry."""

    code: str | None  # the body's own actor code (``USAGOV``, ``NGOHLHIRC``), or None
    country: str | None  # ISO alpha-3, or None
    is_org: bool  # an organisation or institution (its code passes to its members)
    words: int  # how many words it spans
    person: bool = False  # a named person (قوات هادي: forces of Hadi)
    phrase: RolePhrase | None = None  # when the body is itself a role phrase (بوزارة الخارجية التركية)


@dataclass(frozen=True, slots=True)
class RolePhrase:
    """A role phrase over key positions ``first``..``last`` (inclusive)."""

    first: int
    last: int
    strip: int  # proclitic letters before the phrase in the first token
    role: Role
    country: str | None
    actor: str | None
    former: bool = False
    counterpart: bool = False
    inner: RolePhrase | None = None  # the institution named inside (المتحدث باسم «الخارجية الاميركية»)
    office: tuple[str, ...] = ()  # the role nouns without the article (وزير، خارجيه)

    @property
    def kind(self) -> str:
        return self.role.kind


class RoleParser:
    """Finds role phrases over token keys; entities are given by a lookup from key position."""

    def __init__(self, kb: KnowledgeBase, words: WordClasses):
        self.kb = kb
        self.words = words
        phrases: dict[str, Role] = {}
        for r in kb.roles():
            key = alias_key(r.form)
            if key and key not in phrases:
                phrases[key] = r
        self.index: PhraseIndex[Role] = PhraseIndex(phrases)
        self._may: dict[str, bool] = {}
        self._adjectives: dict[str, str | None] = {}

    def may_start(self, norm: str) -> bool:
        """A cheap test: could a role phrase start with this word? (cached per word)"""
        found = self._may.get(norm)
        if found is None:
            bare = _strip_conj(norm)
            found = bool(self.index.starts(norm)) or any(
                self.words.has(bare, c) for c in ("counterpart", "deputy", "envoy")
            )
            if len(self._may) < 300_000:
                self._may[norm] = found
        return found

    def country_of_adjective(self, norm: str) -> str | None:
        """The country of a nisba adjective (``الروسي`` → RUS), or None (cached per word)."""
        if norm in self._adjectives:
            return self._adjectives[norm]
        entry = self.kb.adjective(norm)
        iso = None if entry is None else entry.country or entry.id.rpartition(":")[2]
        if len(self._adjectives) < 300_000:
            self._adjectives[norm] = iso
        return iso

    def parse(
        self,
        keys: Sequence[str],
        i: int,
        body_at: Callable[[int], Body | None],
        previous: RolePhrase | None = None,
        depth: int = 0,
    ) -> RolePhrase | None:
        """The role phrase starting at key ``i``, or None."""
        k = keys[i]
        if k == BARRIER:
            return None
        words = self.words
        counterpart = False
        bare = _strip_conj(k)
        if words.has(bare, "deputy") and depth < 2:
            # مساعد وزير الخارجية الإيراني، وكيل الخارجية البحرينية: the office that follows, held in deputy
            j = i + 1
            while j < len(keys) and (words.has(keys[j], "filler") or words.has(keys[j], "of")):
                j += 1  # القائم بالأعمال في سفارة ...
            office_phrase = self.parse(keys, j, body_at, previous, depth + 1) if j < len(keys) else None
            if office_phrase is not None and (office_phrase.actor or office_phrase.country):
                return RolePhrase(
                    i,
                    office_phrase.last,
                    len(k) - len(bare),
                    office_phrase.role if office_phrase.role.kind == "person" else ENVOY,
                    office_phrase.country,
                    office_phrase.actor,
                    office_phrase.former,
                    False,
                    office_phrase.inner
                    or (office_phrase if office_phrase.role.kind == "institution" else None),
                    (_bare(k), *office_phrase.office),
                )
        if words.has(_strip_conj(k), "counterpart"):
            role = previous.role if previous is not None else COUNTERPART
            n, strip = 1, len(k) - len(_strip_conj(k))
            counterpart = True
        else:
            m = self.index.match_at(keys, i)
            if m is None:
                if not words.has(bare, "envoy"):
                    return None
                m = (1, len(k) - len(bare), bare, ENVOY)
            n, strip, _, role = m
            if role.kind == "modifier":
                return None
        # the office is the role's nouns, not its connectors (متحدث باسم → متحدث)
        office = [_bare(w) for w in keys[i : i + n] if not words.classes(w) & _CONNECTORS]
        j = i + n
        end = min(len(keys), i + _MAX_WORDS)
        country: str | None = None
        actor: str | None = None
        inner: RolePhrase | None = None
        former = False
        while j < end:
            k = keys[j]
            if k == BARRIER:
                break
            cls = words.classes(k)
            if "former" in cls:
                former = True
                j += 1
                continue
            if "filler" in cls:
                j += 1
                continue
            if country is not None or actor is not None:
                break
            adj = self.country_of_adjective(k)
            if adj is not None:
                country = adj
                j += 1
                continue
            if counterpart:
                break
            if "loyal" in cls:
                b = body_at(j + 1) or self._nested(keys, j + 1, body_at, depth)
                if b is not None and b.country:
                    country = b.country
                    inner = b.phrase
                    j += 1 + b.words
                break
            hop = 1 if ("on_behalf" in cls or "of" in cls or "place_noun" in cls) else 0
            b = body_at(j + hop)
            if b is None and hop == 0:
                # another noun of the same office: وزير + الخارجية، وزير + خارجية
                m2 = self.index.match_at(keys, j, proclitics=False)
                if m2 is not None and m2[3].kind == "institution":
                    office.extend(_bare(w) for w in keys[j : j + m2[0]])
                    j += m2[0]
                    continue
                # a portfolio the knowledge base does not list, then the country: وزير الخزانة الأمريكي
                if (
                    role.kind == "person"
                    and k.startswith("ال")
                    and j + 1 < end
                    and self.country_of_adjective(keys[j + 1]) is not None
                ):
                    office.append(_bare(k))
                    j += 1
                    continue
            if b is not None and b.person and role.kind != "group":
                break  # وزير الخارجية عادل الجبير: a name in apposition, not a genitive
            if b is None:
                b = self._nested(keys, j + hop, body_at, depth)
            if b is None:
                break
            country = b.country
            inner = b.phrase
            if b.is_org and b.code:
                actor = b.code
            j += hop + b.words
            break
        if actor is None and country is not None:
            actor = country + ("ELI" if former and role.kind == "person" else role.sector)
        if counterpart and country is None:
            return None
        return RolePhrase(i, j - 1, strip, role, country, actor, former, counterpart, inner, tuple(office))

    def _nested(
        self, keys: Sequence[str], j: int, body_at: Callable[[int], Body | None], depth: int
    ) -> Body | None:
        """A role phrase used as a body (``بوزارة الخارجية التركية``)."""
        if depth >= 2 or j >= len(keys) or keys[j] == BARRIER:
            return None
        m = self.index.match_at(keys, j)
        if m is None or m[3].kind not in ("institution", "group"):
            return None
        nested = self.parse(keys, j, body_at, None, depth + 1)
        if nested is None or nested.country is None:
            return None
        return Body(nested.actor, nested.country, True, nested.last - j + 1, phrase=nested)


def _bare(norm: str) -> str:
    """A word without a conjunction and the article (والوزير → وزير)."""
    n = _strip_conj(norm)
    return n[2:] if n.startswith("ال") and len(n) > 3 else n


def _strip_conj(norm: str) -> str:
    return norm[1:] if len(norm) > 4 and norm[0] in "وف" else norm


def entry_country(entry: KBEntry) -> str | None:
    """The ISO alpha-3 country of an entry (its own code for a country)."""
    if entry.country:
        return entry.country
    if entry.kind in ("country", "territory"):
        return entry.id.rpartition(":")[2]
    return None


def body_of(entry: KBEntry, actor: str | None, words: int) -> Body:
    return Body(actor, entry_country(entry) or (actor[:3] if actor else None), entry.type == "ORG", words)
