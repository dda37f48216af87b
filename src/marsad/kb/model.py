"""The records of the actor knowledge base: entries, roles, and the alias key they share.

A :class:`KBEntry` is one real-world entity (a country, a place, an organisation, an armed
group, a person) with its English name, its CAMEO actor codes over time and its Arabic aliases.
A :class:`Role` is a role noun (وزير، قوات، شرطة، متظاهرون ...) and the sector code it gives an
actor whose country comes from elsewhere (an adjective, a following name).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..text.normalize import match_form

__all__ = ["ELITE", "Code", "Country", "KBEntry", "Role", "alias_key", "code_problem"]

# (CAMEO actor code, first day or None, day it ends or None).  ``end`` is exclusive: the day the
# next term starts, as in the PETRARCH2 dictionaries (``[USAGOV >130201]``).
Code = tuple[str, dt.date | None, dt.date | None]

# Sector code for former office holders ("elites"): ``YEMELI`` for Ali Abdullah Saleh after 2012.
ELITE = "ELI"

_SEPARATORS = re.compile(r"[\s\-_‐-―/.'’‘`]+")


def code_problem(code: str, roots: frozenset[str], parts: frozenset[str]) -> str | None:
    """Why ``code`` is not a valid CAMEO actor code, or None when it is.

    A code is three-letter parts: a root (a country, a region, ``IGO``/``NGO``/``IMG``..., or a
    sector standing alone such as ``MED``) then sector or organisation parts (``GOV``, ``UNO``).
    """
    if not re.fullmatch(r"(?:[A-Z]{3})+", code):
        return f"{code!r} is not a sequence of three-letter codes"
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    if chunks[0] not in roots:
        return f"{code!r}: {chunks[0]} is not a country, region, IGO/NGO or sector code"
    bad = [c for c in chunks[1:] if c not in parts]
    if bad:
        return f"{code!r}: {', '.join(bad)} not among the PETRARCH2 sector/organisation codes"
    return None


def alias_key(text: str) -> str:
    """The key an alias is indexed and looked up by.

    :func:`~marsad.text.normalize.match_form` (diacritics and tatweel removed, alef and hamza
    forms folded, ة → ه, ى → ي) with hyphens, dots, apostrophes and runs of spaces turned into
    one space: ``"بان كي-مون"`` and ``"بان كي مون"`` share a key.
    """
    return _SEPARATORS.sub(" ", match_form(text)).strip()


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One entity of the knowledge base.

    ``type`` is the entity class (``PER``, ``ORG``, ``LOC``); ``kind`` what it is (``country``,
    ``territory``, ``capital``, ``city``, ``region``, ``igo``, ``ngo``, ``ministry``,
    ``institution``, ``media``, ``party``, ``group``, ``person`` ...).  ``codes`` are CAMEO actor
    codes with the dates they hold; ``roles`` the offices a person held (``foreign_minister``
    ...) over the same kind of date ranges.  ``aliases`` are Arabic names as written.
    """

    id: str
    name_en: str
    type: str
    kind: str
    country: str | None = None
    codes: tuple[Code, ...] = ()
    lat: float | None = None
    lon: float | None = None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Code, ...] = ()
    parent: str | None = None
    population: int | None = None
    died: dt.date | None = None

    def actor_at(self, date: dt.date | None = None) -> str | None:
        """The actor code at ``date`` (today's, or the latest known, when ``date`` is None).

        A person after their last term is a former office holder (country + ``ELI``) while alive;
        a person who has died keeps the code of their last term, which is how history refers to
        them (King Fahd → ``SAUGOV``).  Before the first term there is no code.  An entry whose
        codes carry no dates has that code at every date.
        """
        if not self.codes:
            return None
        if date is None:
            date = dt.date.today()
        current = [c for c in self.codes if (c[1] is None or c[1] <= date) and (c[2] is None or date < c[2])]
        if current:
            # the term that started last is the one in force (a new office replaces the old)
            return max(current, key=lambda c: c[1] or dt.date.min)[0]
        ended = [c for c in self.codes if c[2] is not None and c[2] <= date]
        if not ended:
            return None  # before the first term
        last = max(ended, key=lambda c: c[2] or dt.date.min)
        if self.type != "PER" or (self.died is not None and date >= self.died) or last[0].endswith(ELITE):
            return last[0]
        return (self.country or last[0][:3]) + ELITE

    def role_at(self, date: dt.date | None = None) -> str | None:
        """The office held at ``date`` (``"foreign_minister"`` ...), or None."""
        if date is None:
            date = dt.date.today()
        held = [r for r in self.roles if (r[1] is None or r[1] <= date) and (r[2] is None or date < r[2])]
        if not held:
            return None
        return max(held, key=lambda r: r[1] or dt.date.min)[0]

    def active_at(self, date: dt.date) -> bool:
        """True when one of the entry's dated codes covers ``date``."""
        return any((c[1] is None or c[1] <= date) and (c[2] is None or date < c[2]) for c in self.codes)

    @property
    def is_country(self) -> bool:
        return self.kind in ("country", "territory")


# An entry whose kind is ``country`` or ``territory``: what :meth:`KnowledgeBase.adjective` returns.
Country = KBEntry


@dataclass(frozen=True, slots=True)
class Role:
    """A role noun and the actor sector it implies.

    ``sector`` is a CAMEO sector code (``GOV``, ``MIL``, ``COP``, ``OPP``, ``REB``, ``JUD``,
    ``LEG``, ``MED``, ``CVL``, ``ELI`` ...).  ``kind`` says how it is used: ``person`` (وزير، متحدث),
    ``group`` (قوات، متظاهرون), ``institution`` (وزارة، حكومة، نظام), ``title`` (الملك، الشيخ),
    ``modifier`` (السابق → a former office holder).  ``inherit`` is true when the sector comes
    from the body the person speaks or works for (``المتحدث باسم الخارجية`` → the ministry's
    sector); ``sector`` is then the default.  ``office`` names a portfolio (``foreign``,
    ``defence``, ``interior`` ...) when the noun implies one.
    """

    form: str
    sector: str
    kind: str
    name_en: str
    inherit: bool = False
    office: str | None = None
