"""Duplicate detection: fingerprints, and grouping of real rewritten wire copies from SaudiNewsNet."""

from __future__ import annotations

import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_path

from marsad.ingest import Item
from marsad.ingest.runner import prepare
from marsad.store import dedup, open_store

TEXT = " ".join(f"كلمة{i}" for i in range(60))


def test_text_hash_ignores_spacing_punctuation_and_marks() -> None:
    a = "قال الوزيرُ إنّ المفاوضات، مستمرة."
    b = "قال  الوزير إن المفاوضات مستمرة"
    assert dedup.text_hash(a) == dedup.text_hash(b)
    assert dedup.text_hash(a) != dedup.text_hash(b + " اليوم")


def test_short_texts_have_no_signature() -> None:
    assert dedup.signature("خبر قصير جدا") is None
    sig = dedup.signature(TEXT)
    assert sig is not None and len(sig) == dedup.NUM_PERM * 4


def test_similarity_estimates_jaccard() -> None:
    words = TEXT.split()
    half = " ".join(words[:30] + [f"أخرى{i}" for i in range(30)])
    a, b = dedup.signature(TEXT), dedup.signature(half)
    assert a is not None and b is not None
    exact = dedup.jaccard(dedup.shingles(TEXT), dedup.shingles(half))
    assert abs(dedup.similarity(a, b) - exact) < 0.15
    assert dedup.similarity(a, a) == 1.0
    assert len(dedup.buckets(a)) == dedup.BANDS


@cache
def _zip(name: str) -> list[dict[str, Any]]:
    path: Path = shared_path("data", "saudinewsnet", name)
    with zipfile.ZipFile(path) as f:
        return json.loads(f.read(f.namelist()[0]))  # type: ignore[no-any-return]


def _article(ref: str) -> Item:
    name, _, index = ref.partition("#")
    a = _zip(name)[int(index)]
    return Item(text=a["content"], origin=ref, title=a["title"], source=a["source"], url=a["url"])


# Copies of one story by two papers, each rewritten (found by MinHash over the corpus, read by hand).
COPIES = [
    ("2015-08-11.zip#1179", "2015-08-11.zip#601"),  # labour inspectors' sun-ban campaign: alyaum / almadina
    ("2015-08-06.zip#1565", "2015-08-06.zip#3004"),  # fifth Saudi relief flight lands in Aden: alriyadh / okaz
    ("2015-08-06.zip#2746", "2015-08-06.zip#735"),  # the crown prince receives princes and ulema: okaz / aljazirah
    ("2015-08-03.zip#1072", "2015-08-03.zip#312"),  # al-Rabeeah receives Yemen's information minister
    ("2015-08-10.zip#203", "2015-08-10.zip#744"),  # al-Nassr cleared to register players: aleqtisadiya / alriyadh
    ("2015-07-25.zip#610", "2015-07-25.zip#987"),  # inquiry into the Tabuk student case: almadina / alriyadh
    ("2015-07-24.zip#1147", "2015-07-25.zip#945"),  # girl killed by a swing in Qassim: aljazirah / alriyadh
]
# Different stories on one template: must stay apart.
DISTINCT = [
    ("2015-08-04.zip#1084", "2015-08-10.zip#1143"),  # two different executions
    ("2015-08-06.zip#2293", "2015-08-09.zip#966"),  # the fifth and the sixth relief flight
    ("2015-07-21.zip#1967", "2015-07-23.zip#147"),  # the weather forecast on two days
    ("2015-08-03.zip#885", "2015-08-04.zip#324"),  # two reports of one cabinet session
]


@pytest.mark.shared
def test_real_wire_copies_group_and_template_stories_do_not(tmp_path: Path) -> None:
    refs = [r for pair in COPIES + DISTINCT for r in pair]
    batch = prepare([_article(r) for r in refs], analyse=False)
    with open_store(tmp_path / "d.db") as store:
        added = dict(zip(refs, store.add(batch)))
        for a, b in COPIES:
            assert added[b].canonical_id == added[a].id, (a, b)
            assert added[b].dup_kind == "near" and added[b].similarity is not None
            assert added[b].similarity >= dedup.THRESHOLD
        for a, b in DISTINCT:
            assert added[b].canonical_id == added[b].id, (a, b)
            assert added[b].dup_kind is None
        assert store.check() == []
