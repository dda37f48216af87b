"""Checks on a knowledge base: ids, CAMEO codes, date ranges, aliases, ambiguity rules.

Used by ``tools/build_kb.py`` before it writes anything and by the test suite on the shipped data.
Each problem is one line naming the entry and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from .base import KnowledgeBase
from .model import KBEntry

__all__ = ["KINDS", "TYPES", "validate"]

TYPES = frozenset({"PER", "ORG", "LOC"})
KINDS = frozenset(
    {
        "country", "territory", "capital", "city", "region",
        "site", "igo", "ngo", "ministry", "institution", "media", "party", "group", "company",
        "person",
    }
)  # fmt: skip
_EARLIEST = dt.date(1900, 1, 1)
_ARABIC = re.compile(r"[\u0621-\u064a]")


def _entry_problems(e: KBEntry, kb: KnowledgeBase, today: dt.date) -> list[str]:
    out = []
    where = f"{e.id}:"
    if e.type not in TYPES:
        out.append(f"{where} type {e.type!r} is not one of {sorted(TYPES)}")
    if e.kind not in KINDS:
        out.append(f"{where} kind {e.kind!r} is not one of {sorted(KINDS)}")
    if not e.name_en:
        out.append(f"{where} no English name")
    if e.country is not None and kb.country(e.country) is None:
        out.append(f"{where} country {e.country!r} has no country entry")
    if e.parent is not None and kb.get(e.parent) is None:
        out.append(f"{where} parent {e.parent!r} does not exist")
    for code, start, end in e.codes:
        p = kb.code_problem(code)
        if p:
            out.append(f"{where} {p}")
        for d in (start, end):
            if d is not None and not _EARLIEST <= d <= today + dt.timedelta(days=366 * 6):
                out.append(f"{where} date {d} of {code} is outside 1900..{today.year + 6}")
        if start is not None and end is not None and not start < end:
            out.append(f"{where} {code} starts {start}, not before it ends {end}")
    if e.type == "PER":
        starts = sorted((c for c in e.codes if c[1] is not None), key=lambda c: c[1] or _EARLIEST)
        for a, b in itertools.pairwise(starts):
            if a[2] is None:
                out.append(f"{where} {a[0]} from {a[1]} is open-ended but {b[0]} starts {b[1]}")
    if e.type == "LOC" and e.kind != "country" and e.kind != "territory" and (e.lat is None or e.lon is None):
        out.append(f"{where} a place without coordinates")
    if e.lat is not None and not (-90 <= e.lat <= 90 and -180 <= (e.lon or 0) <= 180):
        out.append(f"{where} coordinates {e.lat},{e.lon} out of range")
    if not e.aliases:
        out.append(f"{where} no Arabic alias")
    for alias in e.aliases:
        if not _ARABIC.search(alias):
            out.append(f"{where} alias {alias!r} has no Arabic letter")
    return out


def validate(kb: KnowledgeBase, today: dt.date | None = None) -> list[str]:
    """Every problem found in ``kb``; an empty list when it is sound."""
    today = today or dt.date.today()
    out: list[str] = []
    for e in kb:
        out.extend(_entry_problems(e, kb, today))
    for key, ids in kb.phrases.items():
        if not key:
            out.append(f"empty alias key for {ids}")
        if len(ids) > 1 and kb.rule(key) is None:
            out.append(f"alias {key!r} names {', '.join(ids)} with no rule to choose (ambiguous.tsv)")
    for form, isos, rule in kb.adjective_forms():
        missing = [i for i in isos if kb.country(i) is None]
        if missing:
            out.append(f"adjective {form!r}: no country entry for {missing}")
        if len(isos) > 1 and not rule:
            out.append(f"adjective {form!r} names {isos} with no rule to choose")
    for r in kb.roles():
        p = kb.code_problem(r.sector)
        if p:
            out.append(f"role {r.form}: {p}")
    return out
