"""The actor knowledge base: its shipped data, lookups, codes over time, adjectives and roles."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections import Counter
from importlib import resources
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.kb import KnowledgeBase, alias_key, validate
from marsad.kb.base import ENTITY_FILES, _load_packaged
from marsad.kb.files import read_table
from marsad.kb.model import KBEntry

D = dt.date


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("marsad.kb").joinpath(f"data/{name}.tsv").read_text(encoding="utf-8")
    return list(read_table(text, name))


# -- the data as shipped -------------------------------------------------------------------


def test_loads_fast_and_once() -> None:
    _load_packaged.cache_clear()
    t = time.perf_counter()
    kb = KnowledgeBase.load()
    assert time.perf_counter() - t < 1.0
    assert KnowledgeBase.load() is kb


def test_shipped_data_is_valid(kb: KnowledgeBase) -> None:
    assert validate(kb) == []


def test_ids_are_unique_across_files() -> None:
    ids = Counter(r["id"] for name in ENTITY_FILES for r in _rows(name))
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("name", [*ENTITY_FILES, "adjectives", "roles", "ambiguous", "codes"])
def test_data_files_state_provenance_and_licence(name: str) -> None:
    text = resources.files("marsad.kb").joinpath(f"data/{name}.tsv").read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "tools/build_kb.py" in header
    assert any(word in header for word in ("MIT", "Apache-2.0", "CC BY", "Unicode"))


def test_size_and_coverage(kb: KnowledgeBase) -> None:
    s = kb.stats()
    kinds = s["by_kind"]
    assert isinstance(kinds, dict)
    assert kinds["country"] >= 193  # every UN member state, and observers
    assert kinds["capital"] >= 190
    assert kinds["person"] >= 400
    assert kinds["igo"] >= 30 and kinds["group"] >= 30 and kinds["media"] >= 50
    assert isinstance(s["aliases"], int) and s["aliases"] >= 10_000
    size = sum(f.stat().st_size for f in (ROOT / "src" / "marsad" / "kb" / "data").glob("*.tsv"))
    assert size < 3_000_000


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("USAGOV", True), ("IGOUNOIAE", True), ("IMGMUSISI", True), ("SAUGOVMED", True),
        ("MED", True), ("PGS", True), ("USAXXX", False), ("QQQGOV", False), ("USAGO", False),
    ],
)  # fmt: skip
def test_code_validity(kb: KnowledgeBase, code: str, ok: bool) -> None:
    assert kb.is_valid_code(code) is ok


def test_every_code_is_valid_and_every_range_sane(kb: KnowledgeBase) -> None:
    for e in kb:
        for code, start, end in e.codes:
            assert kb.is_valid_code(code), (e.id, code)
            if start and end:
                assert start < end, (e.id, code)
            for d in (start, end):
                assert d is None or D(1900, 1, 1) <= d <= D(2035, 1, 1), (e.id, d)


def test_no_alias_names_two_entries_without_a_rule(kb: KnowledgeBase) -> None:
    listed = {r["key"]: r for r in _rows("ambiguous")}
    for key, ids in kb.phrases.items():
        if len(ids) > 1:
            assert key in listed, key
            assert set(listed[key]["ids"].split("|")) >= set(ids), key
            assert listed[key]["rule"] in ("priority", "kind", "population", "date") or listed[key][
                "rule"
            ].startswith("office:")


def test_aliases_index_and_longest_match(kb: KnowledgeBase) -> None:
    pairs = list(kb.aliases())
    assert all(kb.get(i) is not None for _, i in pairs)
    assert max(k.count(" ") + 1 for k, _ in pairs) == kb.max_alias_tokens
    words = [alias_key(w) for w in ["وقالت", "وزارة", "الخارجية", "التركية", "في", "بيان"]]
    n, found = kb.match(words, 1)
    assert n == 3 and found[0].id == "org:tur_mfa" and found[0].actor_at(D(2015, 8, 11)) == "TURGOV"
    assert kb.match(words, 0) == (0, [])


# -- lookups ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "kb_id"),
    [
        ("سيرجيه لافروف", "sergey_lavrov"),
        ("سيرغي لافروف", "sergey_lavrov"),
        ("سيرجي لافروف", "sergey_lavrov"),
        ("جون كيري", "john_kerry"),
        ("والولايات المتحدة", "country:USA"),
        ("للأمم المتحدة", "org:un"),
        ("بدمشق", "place:damascus"),
        ("الخارجية الاميركية", "org:usa_mfa"),
        ("داعش", "group:isis"),
        ("الحوثيين", "group:houthis"),
        ("أنصار الله", "group:houthis"),
        ("جبهة النصرة", "group:nusra"),
        ("حزب الله", "group:hezbollah"),
        ("حركة المقاومة الإسلامية", "group:hamas"),
        ("الوكالة الدولية للطاقة الذرية", "org:iaea"),
        ("حلف الناتو", "org:nato"),
        ("مجلس التعاون لدول الخليج العربية", "org:gcc"),
        ("وكالة فرانس برس", "org:afp"),
        ("واس", "org:spa"),
        ("إرنا", "org:irna"),
        ("عادل جبير", "adel_al_jubeir"),
        ("عادل بن أحمد الجبير", "adel_al_jubeir"),
        ("عبدربه منصور هادي", "abd_rabbuh_mansur_hadi"),
        ("حسین أمیر عبد اللهیان", "hossein_amir_abdollahian"),
        ("التحالف الأميركي", "org:us_coalition"),
    ],
)
def test_lookup(kb: KnowledgeBase, phrase: str, kb_id: str) -> None:
    found = kb.lookup(phrase)
    assert found and found[0].id == kb_id


def test_capital_is_its_government(kb: KnowledgeBase) -> None:
    damascus = kb.lookup("دمشق")[0]
    assert (damascus.kind, damascus.country, damascus.actor_at(D(2016, 4, 15))) == (
        "capital",
        "SYR",
        "SYRGOV",
    )
    assert damascus.lat is not None and 33 < damascus.lat < 34
    assert kb.lookup("جنيف")[0].actor_at(D(2016, 4, 15)) is None
    assert kb.lookup("القدس")[0].actor_at(None) is None  # not named for a government


@pytest.mark.parametrize(
    ("kb_id", "date", "code"),
    [
        ("john_kerry", D(2012, 6, 1), "USAGOVLEG"),
        ("john_kerry", D(2016, 4, 15), "USAGOV"),
        ("john_kerry", D(2018, 1, 1), "USAELI"),  # out of office: a former official
        ("sergey_lavrov", D(2012, 6, 1), "RUSGOV"),
        ("sergey_lavrov", D(2016, 4, 15), "RUSGOV"),
        ("sergey_lavrov", D(2018, 1, 1), "RUSGOV"),
        ("ali_abdullah_saleh", D(2015, 8, 4), "YEMELI"),
        ("saddam_hussein", D(2015, 7, 27), "IRQGOV"),  # dead: history names him by his office
        ("bashar_al_assad", D(2015, 8, 11), "SYRGOV"),
        ("bashar_al_assad", D(2025, 6, 1), "SYRELI"),
        ("ahmed_al_sharaa", D(2016, 1, 1), "SYRREBMUS"),
        ("ahmed_al_sharaa", D(2025, 6, 1), "SYRGOV"),
        ("mevlut_cavusoglu", D(2015, 8, 11), "TURGOV"),
        ("antonio_guterres", D(2010, 1, 1), "IGOUNOREFHCR"),
        ("group:rsf", D(2024, 1, 1), "SDNREB"),
    ],
)
def test_codes_over_time(kb: KnowledgeBase, kb_id: str, date: dt.date, code: str) -> None:
    entry = kb.get(kb_id)
    assert entry is not None and entry.actor_at(date) == code


def test_roles_over_time(kb: KnowledgeBase) -> None:
    kerry = kb.get("john_kerry")
    assert kerry is not None
    assert kerry.role_at(D(2016, 4, 15)) == "foreign_minister"
    assert kerry.role_at(D(2018, 1, 1)) is None


def test_dated_lookup_prefers_who_held_the_office(kb: KnowledgeBase) -> None:
    title = "خادم الحرمين الشريفين"
    assert kb.lookup(title, D(2010, 1, 1))[0].id == "king_abdullah"
    assert kb.lookup(title, D(2016, 1, 1))[0].id == "king_salman"
    assert kb.lookup("الملك عبدالله", D(2016, 1, 1))[0].id == "king_abdullah_ii"
    assert kb.rule(title) == "office:head_of_state"


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("الأميركية", "USA"), ("الأمريكي", "USA"), ("الأمريكيين", "USA"), ("أميركيون", "USA"),
        ("الروسي", "RUS"), ("والإيرانية", "IRN"), ("السعوديون", "SAU"), ("الأتراك", "TUR"),
        ("الكوري الشمالي", "PRK"), ("الكوري", "KOR"), ("البريطانية", "GBR"), ("اليمنيين", "YEM"),
    ],
)  # fmt: skip
def test_adjective(kb: KnowledgeBase, word: str, iso3: str) -> None:
    country = kb.adjective(word)
    assert country is not None and country.id == f"country:{iso3}" and country.is_country


def test_adjective_rejects_other_words(kb: KnowledgeBase) -> None:
    assert kb.adjective("المالية") is None  # "financial", not Malian
    assert kb.adjective("وزير") is None


@pytest.mark.parametrize(
    ("word", "sector", "kind"),
    [
        ("وزير", "GOV", "person"), ("الرئيس", "GOV", "person"), ("جيش", "MIL", "group"),
        ("والقوات", "MIL", "group"), ("الشرطة", "COP", "group"), ("متظاهرون", "OPP", "person"),
        ("المعارضة", "OPP", "group"), ("النظام", "GOV", "institution"), ("متمردين", "REB", "person"),
        ("المتحدث", "GOV", "person"), ("مسؤول", "GOV", "person"), ("السابق", "ELI", "modifier"),
        ("وزير الخارجية", "GOV", "person"),
    ],
)  # fmt: skip
def test_role(kb: KnowledgeBase, word: str, sector: str, kind: str) -> None:
    role = kb.role(word)
    assert role is not None and (role.sector, role.kind) == (sector, kind)


def test_role_details(kb: KnowledgeBase) -> None:
    spokesman, fm = kb.role("المتحدث"), kb.role("وزير الخارجية")
    assert spokesman is not None and spokesman.inherit
    assert fm is not None and fm.office == "foreign"
    assert kb.role("دمشق") is None


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_lookups_never_fail(text: str) -> None:
    kb = KnowledgeBase.load()
    assert alias_key(alias_key(text)) == alias_key(text)
    assert isinstance(kb.lookup(text), list)
    kb.adjective(text)
    kb.role(text)


def test_actor_at_without_dates() -> None:
    e = KBEntry(id="x", name_en="X", type="ORG", kind="igo", codes=(("IGOUNO", None, None),))
    assert e.actor_at(None) == "IGOUNO" and e.actor_at(D(1950, 1, 1)) == "IGOUNO"
    assert KBEntry(id="y", name_en="Y", type="LOC", kind="city").actor_at(D(2015, 1, 1)) is None


# -- against the gold analyses (skipped without ../shared) ---------------------------------


def test_seed_gold_entities(kb: KnowledgeBase, seed_gold: dict[str, Any]) -> None:
    # The seed carries no date; it reports the Kerry–Lavrov call of Friday 15 April 2016.
    date = D.fromisoformat(seed_gold["published"]) if seed_gold["published"] else D(2016, 4, 15)
    assert len(seed_gold["entities"]) == 18
    for ent in seed_gold["entities"]:
        found = kb.lookup(ent["text"], date)
        assert found, ent["text"]
        assert found[0].name_en == ent["name_en"], ent["text"]
        assert found[0].actor_at(date) == ent["actor"], ent["text"]


def test_dev_gold_actor_entities_found_with_their_country(
    kb: KnowledgeBase, gold_dev: list[dict[str, Any]]
) -> None:
    """The knowledge base alone (no context) puts the right country on most gold actors."""
    hit = total = 0
    for doc in gold_dev:
        date = D.fromisoformat(doc["published"])
        for ent in doc["entities"]:
            if not ent.get("actor"):
                continue
            total += 1
            found = kb.lookup(ent["text"], date)
            actor = found[0].actor_at(date) if found else None
            hit += actor is not None and actor[:3] == ent["actor"][:3]
    assert total >= 150
    assert hit / total >= 0.88


@pytest.mark.slow
@pytest.mark.shared
def test_committed_data_matches_a_fresh_build(shared_dir: Any) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_kb.py"), "--check", "--shared", str(shared_dir)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
