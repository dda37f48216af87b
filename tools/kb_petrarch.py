"""Facts from the PETRARCH2 (English) and UniversalPetrarch (Arabic) dictionaries (MIT).

* actor codes and date ranges of named actors (``JOHN_KERRY_ [USAGOVLEG 850103-130201] [USAGOV >130201]``),
* the vocabulary of CAMEO code parts (countries, regions, IGO/NGO roots, sectors, organisations),
* agent (role noun) codes (``MINISTER [~GOV]``),
* Arabic spellings of people's names from the UniversalPetrarch actor dictionary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kb_common import alias_key

ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
_CODE = re.compile(r"\[~?([A-Z]{3,}|---)\s*([<>]?\s*\d{6,8}(?:\s*-\s*\d{6,8})?)?\s*\]")


@dataclass
class P2Actor:
    """One PETRARCH2 actor entry: its names and (code, start, end) terms."""

    name: str
    synonyms: list[str] = field(default_factory=list)
    terms: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)


def _date(d: str) -> dt.date:
    d = d.strip()
    if len(d) == 6:
        d = ("19" if int(d[:2]) > 30 else "20") + d
    y, m, day = int(d[:4]), int(d[4:6]), int(d[6:8])
    return dt.date(y, max(m, 1), max(day, 1))


def parse_terms(text: str) -> list[tuple[str, dt.date | None, dt.date | None]]:
    out = []
    for code, span in _CODE.findall(text):
        if code == "---":
            continue
        start = end = None
        span = span.replace(" ", "")
        try:
            if span.startswith(">"):
                start = _date(span[1:])
            elif span.startswith("<"):
                end = _date(span[1:])
            elif "-" in span:
                a, b = span.split("-")
                start, end = _date(a), _date(b)
        except ValueError:
            continue  # an impossible date in the source: keep the code, drop the range
        out.append((code, start, end))
    return out


def read_actors(path: Path) -> list[P2Actor]:
    """Entries of a TABARI/PETRARCH ``.actors`` file (names with ``_``, synonyms with ``+``)."""
    actors: list[P2Actor] = []
    cur: P2Actor | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line[0] in " \t" and line.strip().startswith("["):
            if cur is not None:
                cur.terms.extend(parse_terms(line))
            continue
        if line.startswith("+"):
            if cur is not None:
                cur.synonyms.append(line[1:].split("[")[0].strip().strip("_"))
                cur.terms.extend(parse_terms(line))
            continue
        name = line.split("[")[0].strip().strip("_")
        cur = P2Actor(name=name, terms=parse_terms(line))
        actors.append(cur)
    return actors


def actor_index(p2_dir: Path) -> dict[str, P2Actor]:
    """Every PETRARCH2 actor by its main name and synonyms (first definition wins)."""
    idx: dict[str, P2Actor] = {}
    for f in ACTOR_FILES:
        for a in read_actors(p2_dir / f):
            for n in [a.name, *a.synonyms]:
                idx.setdefault(n.upper(), a)
    return idx


def read_agents(p2_dir: Path) -> dict[str, str]:
    """PETRARCH2 agents: ``MINISTER`` → ``GOV`` (``!PERSON!``-style macros left as written)."""
    out: dict[str, str] = {}
    for raw in (p2_dir / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0]
        m = re.match(r"^([A-Z][A-Z0-9_!'.\-]*)\s*(?:\{[^}]*\})?\s*\[~([A-Z]+)\]", line)
        if m:
            out.setdefault(m.group(1).strip("_"), m.group(2))
    return out


def code_vocabulary(p2_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(roots, parts) seen in PETRARCH2 codes: code → where it was seen.

    A root opens an actor code (a country, region, ``IGO``/``NGO``/``IMG``/``MNC``, or an
    agent-only code such as ``MED``); a part follows (sectors, organisations: ``GOV``, ``UNO``).
    """
    roots: dict[str, str] = {}
    parts: dict[str, str] = {}
    for f in (*ACTOR_FILES, "Phoenix.agents.txt"):
        text = (p2_dir / f).read_text(encoding="utf-8", errors="replace")
        for code in re.findall(r"\[~?([A-Z]{3,})[\]\s>]", text):
            if len(code) % 3:
                continue
            chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
            if f == "Phoenix.agents.txt":
                for c in chunks:
                    parts.setdefault(c, f)
                roots.setdefault(chunks[0], f)
            else:
                roots.setdefault(chunks[0], f)
                for c in chunks[1:]:
                    parts.setdefault(c, f)
    return roots, parts


_UP_NOISE = re.compile(r"[\u200e\u200f\u0640]")


def up_person_names(up_dir: Path) -> dict[str, set[str]]:
    """Arabic person-like names of the UniversalPetrarch actor dictionary by country code.

    Only dated entries (people have terms) with two to four words are kept; the dictionary's
    lemmatised organisation names and role phrases are left out.
    """
    out: dict[str, set[str]] = defaultdict(set)
    text = (up_dir / "actor_dict_ar_v4.txt").read_text(encoding="utf-8", errors="replace")
    name: str | None = None
    for raw in text.splitlines():
        line = _UP_NOISE.sub("", raw.split("#", 1)[0]).rstrip()
        if not line.strip():
            continue
        if line[0] in " \t" and line.strip().startswith("["):
            if name:
                for code, _, _ in parse_terms(line):
                    if len(code) >= 3 and code[:3].isalpha():
                        out[code[:3]].add(name)
            continue
        name = None
        head = line.split("[")[0].strip()
        if "[" in line:  # undated entries are roles, places and organisations
            continue
        words = [w for w in head.strip("_").split("_") if w]
        if 2 <= len(words) <= 4 and all(re.fullmatch(r"[\u0621-\u064a]+", w) for w in words):
            name = " ".join(words)
    return out


def surname_index(names_by_country: dict[str, set[str]]) -> dict[tuple[str, str], set[str]]:
    """(country, alias key of the last word) → UP names, for matching curated people."""
    idx: dict[tuple[str, str], set[str]] = defaultdict(set)
    for country, names in names_by_country.items():
        for n in names:
            idx[(country, alias_key(n.split()[-1]))].add(n)
    return idx
