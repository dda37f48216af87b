"""Readers for the hand-curated sources in ``tools/kb_sources/``.

* ``organisations.tsv``, ``groups.tsv``: id, English name, kind, country, codes (or a PETRARCH2
  entry to take them from), parent, Wikidata id, Arabic names.
* ``people.txt``: one block per person (see the file's header for the format).
* ``roles.tsv``, ``institutions.tsv``, ``ambiguity.tsv``: role nouns, per-country institution
  templates, rules for aliases that name several entries.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kb_common import CURATED, BuildError, Draft, Term, ascii_name, date, read_tsv, split
from kb_petrarch import P2Actor

_TERM_LINE = re.compile(r"^([A-Z]{3,})\s+([0-9-]*)\.\.([0-9-]*)(?:\s+([a-z_]+))?$")
_CELL_TERM = re.compile(r"^([A-Z]{3,})(?:\[([0-9-]*)\.\.([0-9-]*)\])?(?:\{([a-z_]+)\})?$")


def cell_terms(cell: str, where: str) -> list[Term]:
    out: list[Term] = []
    for item in cell.split():
        m = _CELL_TERM.match(item)
        if not m:
            raise BuildError(f"{where}: bad code {item!r}; write CODE or CODE[start..end]")
        code, s, e, role = m.groups()
        out.append((code, date(s), date(e), role))
    return out


def p2_terms(p2: dict[str, P2Actor], name: str, where: str) -> list[Term]:
    a = p2.get(name.upper().strip("_"))
    if a is None:
        raise BuildError(f"{where}: no PETRARCH2 entry {name!r}; fix the name or give codes")
    return [(c, s, e, None) for c, s, e in a.terms]


def read_orgs(path: Path, p2: dict[str, P2Actor], log: list[str]) -> list[Draft]:
    """Organisations or groups; codes from the row, else from the named PETRARCH2 entry."""
    out = []
    for r in read_tsv(path):
        where = f"{path.name}:{r['_line']}"
        terms = cell_terms(r["codes"], where)
        if r.get("p2"):
            theirs = p2_terms(p2, r["p2"], where)
            if not terms:
                terms = theirs
            elif {t[0] for t in theirs} != {t[0] for t in terms}:
                log.append(
                    f"{where}: {r['id']} coded {' '.join(t[0] for t in terms)}"
                    f" where PETRARCH2 {r['p2']} has {' '.join(t[0] for t in theirs)} (curated code kept)"
                )
        d = Draft(
            id=r["id"],
            type=r.get("type") or "ORG",
            kind=r["kind"],
            name_en=r["name_en"],
            country=r["country"] or None,
            terms=terms,
            parent=r["parent"] or None,
            wikidata=r["wikidata"] or None,
            source="curated" + ("+petrarch2" if r.get("p2") else ""),
        )
        for a in split(r["ar"]):
            d.add_alias(a, CURATED)
        if not d.aliases:
            raise BuildError(f"{where}: {r['id']} has no Arabic name")
        out.append(d)
    return out


def read_people(path: Path, p2: dict[str, P2Actor], log: list[str]) -> list[Draft]:
    """``people.txt`` blocks::

        @country USA
        john_kerry | John Kerry | Q22316 | p2=JOHN_KERRY
          ar: جون كيري | كيري
          USAGOVLEG 1985-01-03..2013-02-01 senator
          USAGOV 2013-02-01..2017-01-20 foreign_minister

    ``@country`` sets the country of the people that follow.  Header options: ``p2=NAME`` (check
    the terms against, or take them from, PETRARCH2), ``died=DATE``, ``country=ISO3``,
    ``foreign`` (a name transliterated from a non-Arabic language: variant spellings are generated).
    """
    out: list[Draft] = []
    country: str | None = None
    cur: Draft | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{lineno}"
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("@country"):
            country = line.split()[1]
            country = None if country == "-" else country
            continue
        if not line[0].isspace():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not re.fullmatch(r"[a-z0-9_]+", parts[0]):
                raise BuildError(f"{where}: a person line is 'id | English name | Wikidata id | options'")
            wikidata = parts[2] if len(parts) > 2 and parts[2] else None
            opts = dict((o.split("=", 1) + [""])[:2] for p in parts[3:] for o in p.split() if o)
            cur = Draft(
                id=parts[0],
                type="PER",
                kind="person",
                name_en=parts[1],
                country=opts.get("country") or country,
                wikidata=wikidata,
                source="curated",
            )
            if "died" in opts:
                cur.info["died"] = opts["died"]
            if "foreign" in opts:
                cur.info["foreign"] = "1"
            if opts.get("p2"):
                cur.info["p2"] = opts["p2"]
            out.append(cur)
            continue
        if cur is None:
            raise BuildError(f"{where}: an indented line before any person")
        body = line.strip()
        if body.startswith("ar:"):
            for a in split(body[3:]):
                cur.add_alias(a, CURATED)
            continue
        m = _TERM_LINE.match(body)
        if not m:
            raise BuildError(f"{where}: expected 'ar: ...' or 'CODE start..end role', got {body!r}")
        code, s, e, role = m.groups()
        try:
            cur.terms.append((code, date(s), date(e), role))
        except ValueError as exc:
            raise BuildError(f"{where}: bad date in {body!r}: {exc}") from None
    checked = 0
    for d in out:
        if "p2" in d.info:
            theirs = p2_terms(p2, d.info.pop("p2"), f"{path.name} {d.id}")
            if not d.terms:
                d.terms = theirs
                d.source += "+petrarch2"
            else:
                _compare(d, theirs, log)
            checked += 1
        else:  # the same person under their English name, when PETRARCH2 has them
            same = p2.get(re.sub(r"[^A-Z]+", "_", ascii_name(d.name_en).upper()).strip("_"))
            if same is not None and same.terms:
                _compare(d, [(c, s_, e, None) for c, s_, e in same.terms], log)
                checked += 1
        if not d.aliases:
            raise BuildError(f"{path.name}: {d.id} has no Arabic name")
    log.append(f"people.txt: {checked} of {len(out)} people compared with PETRARCH2")
    return out


def _compare(d: Draft, theirs: list[Term], log: list[str]) -> None:
    """Log where PETRARCH2 (dated January 2014) says more than the curated terms (which are kept).

    Only the years both cover are compared: a PETRARCH2 term running in 2010-2013 whose middle no
    curated term with the same code covers.
    """
    lo, hi = dt.date(2010, 1, 1), dt.date(2014, 1, 30)
    for code, s, e, _ in theirs:
        if s is None and e is None:
            continue  # an undated marker ([USAELI]): nothing to compare
        a, b = max(s or lo, lo), min(e or hi, hi)
        if a >= b:
            continue
        mid = a + (b - a) / 2
        if not any(
            c == code and (s2 is None or s2 <= mid) and (e2 is None or mid < e2) for c, s2, e2, _ in d.terms
        ):
            log.append(
                f"people.txt {d.id}: PETRARCH2 has {code} {s or ''}..{e or ''}, not covered here on {mid}"
            )


def read_roles(path: Path, agents: dict[str, str], log: list[str]) -> list[dict[str, str]]:
    rows = read_tsv(path)
    for r in rows:
        key = r.get("p2", "").strip("_")
        if key:
            theirs = agents.get(key)
            if theirs is None:
                raise BuildError(f"{path.name}:{r['_line']}: no PETRARCH2 agent {key!r}")
            if theirs != r["sector"]:
                log.append(
                    f"roles.tsv:{r['_line']}: {r['forms']} → {r['sector']} where PETRARCH2 {key} has {theirs}"
                )
    return rows


def read_ambiguity(path: Path) -> list[dict[str, str]]:
    return read_tsv(path)
