"""The knowledge base in memory: entries by id, an alias index, adjectives and role nouns.

Built once from the data files beside this module (see ``data/README.md`` for what they hold and
where each fact comes from) and shared: :meth:`KnowledgeBase.load` is a cached singleton.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from types import MappingProxyType

from .files import DataFileError, parse_date, parse_terms, read_table
from .model import Country, KBEntry, Role, alias_key, code_problem

__all__ = ["ENTITY_FILES", "KnowledgeBase"]

# The entity files, in the order they are read.
ENTITY_FILES = ("countries", "places", "organisations", "groups", "people")

# Proclitics a first word may carry before the alias itself: conjunction, then preposition.
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")


@lru_cache(maxsize=100_000)
def _first_word_forms(word: str) -> tuple[tuple[int, str], ...]:
    """Readings of a first word without its proclitics and with ال toggled, with a cost each.

    Cost 0 is the word itself; 1 the word with ال added or removed; 2 and more a word that
    carried proclitics (``والولايات`` → ``الولايات``, ``للامم`` → ``الامم``).
    """
    out: list[tuple[int, str]] = []
    for conj in _CONJ:
        if conj and not word.startswith(conj):
            continue
        rest = word[len(conj) :]
        for prep in _PREP:
            if prep and not rest.startswith(prep):
                continue
            stem = rest[len(prep) :]
            cost = 2 * (bool(conj) + bool(prep))
            if prep == "ل" and stem.startswith("ل") and len(stem) > 3:
                out.append((cost, "ا" + stem))  # لل = ل + ال with its alef dropped
            if len(stem) < 2:
                continue
            out.append((cost, stem))
            if stem.startswith("ال") and len(stem) > 3:
                out.append((cost + 1, stem[2:]))
            else:
                out.append((cost + 1, "ال" + stem))
    out.sort(key=lambda x: x[0])
    seen: set[str] = set()
    uniq = []
    for cost, form in out:
        if form not in seen:
            seen.add(form)
            uniq.append((cost, form))
    return tuple(uniq)


class KnowledgeBase:
    """Entries, their aliases, country adjectives and role nouns; see :meth:`load`."""

    def __init__(
        self,
        entries: Iterable[KBEntry],
        adjectives: Mapping[str, tuple[Sequence[str], str]],
        roles: Iterable[Role],
        ambiguous: Mapping[str, tuple[str, str]],
        codes: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    ):
        self._code_roots, self._code_parts = codes
        self._entries: dict[str, KBEntry] = {}
        index: dict[str, list[str]] = {}
        for e in entries:
            if e.id in self._entries:
                raise DataFileError(
                    f"knowledge base: id {e.id!r} is defined twice; rebuild with tools/build_kb.py"
                )
            self._entries[e.id] = e
            for a in e.aliases:
                k = alias_key(a)
                if not k:
                    continue
                ids = index.setdefault(k, [])
                if e.id not in ids:
                    ids.append(e.id)
        # ambiguous keys: the order the build decided (``ambiguous.tsv``), unknown ids dropped
        self._rules: dict[str, str] = {}
        for k, (ordered, rule) in ambiguous.items():
            if k in index:
                have = index[k]
                order = [i for i in ordered.split("|") if i in have]
                index[k] = order + [i for i in have if i not in order]
                self._rules[k] = rule
        self._index: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in index.items()}
        self._max_tokens = max((k.count(" ") + 1 for k in self._index), default=0)
        self._adjectives: dict[str, tuple[str, ...]] = {}
        self._adjective_rules: dict[str, str] = {}
        for form, (isos, rule) in adjectives.items():
            k = alias_key(form)
            self._adjectives[k] = tuple(isos)
            if rule:
                self._adjective_rules[k] = rule
        self._roles: dict[str, Role] = {}
        for r in roles:
            self._roles.setdefault(alias_key(r.form), r)

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls) -> KnowledgeBase:
        """The knowledge base shipped with marsad (loaded once, then shared)."""
        return _load_packaged()

    @classmethod
    def from_dir(cls, path: Path | Traversable) -> KnowledgeBase:
        """A knowledge base read from a folder of data files (a fresh build, a test fixture)."""

        def rows(name: str) -> Iterator[dict[str, str]]:
            f = path / f"{name}.tsv"
            try:
                text = f.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise DataFileError(
                    f"{f}: missing; build the knowledge base with tools/build_kb.py"
                ) from None
            return read_table(text, str(f))

        entries = [_entry(row, name) for name in ENTITY_FILES for row in rows(name)]
        adjectives = {r["form"]: (r["countries"].split("|"), r["rule"]) for r in rows("adjectives")}
        roles = [
            Role(
                form=r["form"],
                sector=r["sector"],
                kind=r["kind"],
                name_en=r["name_en"],
                inherit=r["inherit"] == "yes",
                office=r["office"] or None,
            )
            for r in rows("roles")
        ]
        ambiguous = {r["key"]: (r["ids"], r["rule"]) for r in rows("ambiguous")}
        code_rows = list(rows("codes"))
        roots = frozenset(r["code"] for r in code_rows if "root" in r["use"])
        parts = frozenset(r["code"] for r in code_rows if "part" in r["use"])
        return cls(entries, adjectives, roles, ambiguous, (roots, parts))

    # -- queries -------------------------------------------------------------------------

    def get(self, kb_id: str) -> KBEntry | None:
        return self._entries.get(kb_id)

    def country(self, iso3: str) -> Country | None:
        """The country or territory entry of an ISO alpha-3 code (``"SYR"``)."""
        return self._entries.get(f"country:{iso3}")

    def lookup(self, phrase: str, date: dt.date | None = None) -> list[KBEntry]:
        """Entries with ``phrase`` as an alias, best first.

        Matching is on :func:`~marsad.kb.model.alias_key`; the first word may carry proclitics
        (و ف ب ل ك) and may have or lack ال.  Exact matches come before such readings; among
        entries sharing an alias the build's rule decides (``ambiguous.tsv``), and with a
        ``date``, people in office at that date come first (for an ``office:ROLE`` rule, whoever
        held that office then: ``خادم الحرمين الشريفين`` in 2010 is King Abdullah).
        """
        words = alias_key(phrase).split(" ")
        if not words or not words[0]:
            return []
        tail = words[1:]
        found: list[tuple[int, int, str]] = []
        seen: set[str] = set()
        for cost, first in _first_word_forms(words[0]):
            k = " ".join([first, *tail])
            ids = self._index.get(k)
            if not ids:
                continue
            rule = self._rules.get(k, "")
            if date is not None and rule.startswith("office:"):
                office = rule.removeprefix("office:")
                ids = tuple(sorted(ids, key=lambda i: self._entries[i].role_at(date) != office))
            for rank, i in enumerate(ids):
                if i not in seen:
                    seen.add(i)
                    found.append((cost, rank, i))
        if date is not None:
            found.sort(key=lambda f: (f[0], not self._entries[f[2]].active_at(date), f[1]))
        return [self._entries[i] for _, _, i in found]

    def aliases(self) -> Iterator[tuple[str, str]]:
        """Every ``(alias key, kb id)`` pair, for gazetteers and phrase matching."""
        for k, ids in self._index.items():
            for i in ids:
                yield k, i

    @property
    def phrases(self) -> Mapping[str, tuple[str, ...]]:
        """Alias key (words joined by one space) → ids, best first: for longest-match over tokens."""
        return MappingProxyType(self._index)

    @property
    def max_alias_tokens(self) -> int:
        """The number of words in the longest alias."""
        return self._max_tokens

    def match(self, words: Sequence[str], start: int = 0) -> tuple[int, list[KBEntry]]:
        """Longest alias starting at ``words[start]``: ``(number of words, entries)``, or ``(0, [])``.

        ``words`` are alias keys of single words (token stems through
        :func:`~marsad.kb.model.alias_key`), punctuation left out.
        """
        for n in range(min(self._max_tokens, len(words) - start), 0, -1):
            ids = self._index.get(" ".join(words[start : start + n]))
            if ids:
                return n, [self._entries[i] for i in ids]
        return 0, []

    def code_problem(self, code: str) -> str | None:
        """Why ``code`` is not a valid CAMEO actor code (``data/codes.tsv``), or None."""
        return code_problem(code, self._code_roots, self._code_parts)

    def is_valid_code(self, code: str) -> bool:
        return self.code_problem(code) is None

    def rule(self, key: str) -> str | None:
        """How the entries sharing alias ``key`` are ordered (``priority``, ``kind`` ...), or None."""
        return self._rules.get(alias_key(key))

    def adjective(self, word: str) -> Country | None:
        """The country of a nisba adjective: ``الروسي``, ``الأمريكية``, ``والإيرانيين``, ``الكوري الشمالي``."""
        words = alias_key(word).split(" ")
        for _, first in _first_word_forms(words[0]):
            isos = self._adjectives.get(" ".join([first, *words[1:]]))
            if isos:
                return self.country(isos[0])
        return None

    def role(self, word: str) -> Role | None:
        """The role noun ``word`` (or phrase: ``وزير الخارجية``), with or without ال and proclitics."""
        words = alias_key(word).split(" ")
        if not words[0]:
            return None
        tail = words[1:]
        for _, first in _first_word_forms(words[0]):
            r = self._roles.get(" ".join([first, *tail]))
            if r is not None:
                return r
        return None

    def adjective_forms(self) -> Iterator[tuple[str, tuple[str, ...], str | None]]:
        """Every ``(adjective key, ISO alpha-3 codes best first, rule or None)``."""
        for k, isos in self._adjectives.items():
            yield k, isos, self._adjective_rules.get(k)

    def roles(self) -> Iterator[Role]:
        yield from self._roles.values()

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def stats(self) -> dict[str, object]:
        """Size figures: entries by kind and type, aliases, ambiguous keys, adjectives, roles."""
        kinds = Counter(e.kind for e in self._entries.values())
        types = Counter(e.type for e in self._entries.values())
        return {
            "entries": len(self._entries),
            "by_type": dict(types.most_common()),
            "by_kind": dict(kinds.most_common()),
            "aliases": sum(len(e.aliases) for e in self._entries.values()),
            "alias_keys": len(self._index),
            "ambiguous_keys": sum(1 for v in self._index.values() if len(v) > 1),
            "max_alias_tokens": self._max_tokens,
            "adjective_forms": len(self._adjectives),
            "roles": len(self._roles),
            "people_with_wikidata": sum(1 for e in self._entries.values() if e.type == "PER" and e.wikidata),
        }


def _float(cell: str) -> float | None:
    return float(cell) if cell else None


def _entry(row: Mapping[str, str], name: str) -> KBEntry:
    try:
        codes, roles = parse_terms(row["terms"])
        info = dict(item.split("=", 1) for item in row["info"].split(";") if item)
        return KBEntry(
            id=row["id"],
            name_en=row["name_en"],
            type=row["type"],
            kind=row["kind"],
            country=row["country"] or None,
            codes=codes,
            lat=_float(row["lat"]),
            lon=_float(row["lon"]),
            wikidata=row["wikidata"] or None,
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            roles=roles,
            parent=row["parent"] or None,
            population=int(info["population"]) if "population" in info else None,
            died=parse_date(info.get("died", "")),
        )
    except (KeyError, ValueError) as exc:
        raise DataFileError(
            f"{name}.tsv: bad row {row.get('id', '?')!r}: {exc}; rebuild with tools/build_kb.py"
        ) from exc


@lru_cache(maxsize=1)
def _load_packaged() -> KnowledgeBase:
    return KnowledgeBase.from_dir(resources.files("marsad.kb").joinpath("data"))
