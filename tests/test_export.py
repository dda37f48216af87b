"""Export: one event per canonical event; copies add mentions and sources; PLOVER JSON, CSV, Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import test_store
from test_store import OTHER, STORY, _event, prepared

from marsad.export import CSV_COLUMNS, aggregate, export_events
from marsad.store import Filters, open_store

location = test_store.location  # the fixture: each test runs on SQLite and on PostgreSQL

COPY = STORY.replace("اليوم", "أمس") + " وأضاف البيان أن الاتصال جاء بمبادرة أمريكية."


@pytest.fixture
def store(location: str) -> Any:
    with open_store(location) as s:
        s.add(
            [
                prepared(STORY, source="okaz", events=[_event("v1", "CONSULT", "SAUGOV", "USAGOV")]),
                # a rewritten copy: the same event, plus one its analysis found only here
                prepared(COPY, source="aljazirah",
                         events=[_event("v1", "CONSULT", "SAUGOV", "USAGOV"), _event("v2", "ACCUSE", "USAGOV", "IRNGOV")]),
                prepared(OTHER, source="sabq", events=[_event("v1", "ASSAULT", "YEMMIL", None)]),
            ]
        )  # fmt: skip
        yield s


def test_copies_add_mentions_and_sources_never_events(store: Any) -> None:
    events = list(aggregate(store.events()))
    assert [e.type for e in events] == ["CONSULT", "ASSAULT"]
    consult = events[0]
    assert consult.mentions == 2
    assert consult.sources == ("okaz", "aljazirah")
    assert consult.article_ids == (1, 2)
    assert consult.source["actor"] == "SAUGOV" and consult.target["name_en"] is None


def test_source_filter_keeps_events_the_source_reported(store: Any) -> None:
    assert [e.type for e in aggregate(store.events(Filters(source="aljazirah")), source="aljazirah")] == ["CONSULT"]


def test_csv_has_a_header_then_one_row_per_event(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "ev.csv"
    assert export_events(store, "csv", out) == 2
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert [r["type"] for r in body] == ["CONSULT", "ASSAULT"]
    assert body[0]["mentions"] == "2" and body[0]["sources"] == "2"
    assert body[0]["source_names"] == "okaz aljazirah" and body[0]["article_ids"] == "1 2"
    assert body[0]["source_actor"] == "SAUGOV" and body[0]["target_actor"] == "USAGOV"
    assert body[0]["evidence"] == STORY[:20] and body[0]["cameo"] == "040" and body[0]["mode"] == "phone"


def test_plover_json_lines(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "ev.jsonl"
    export_events(store, "plover-json", out, filters=Filters(event_type="CONSULT"))
    (rec,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rec["event"] == ["CONSULT"] and rec["mode"] == ["phone"] and rec["date"] == "2015-07-20"
    assert rec["actor"] == [
        {"code": "SAU", "sector": "GOV", "entity_text": "عادل الجبير", "identifier_id": "adel_al_jubeir",
         "identifier_text": None}
    ]  # fmt: skip
    assert rec["recipient"][0]["code"] == "USA" and rec["mentions"] == 2
    assert rec["sources"] == ["okaz", "aljazirah"] and [a["id"] for a in rec["articles"]] == [1, 2]


def test_parquet_is_typed(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "ev.parquet"
    assert export_events(store, "parquet", out, filters=Filters(actor="YEM")) == 1
    table = pq.read_table(out)
    assert table.column_names == list(CSV_COLUMNS)
    row = table.to_pylist()[0]
    assert row["type"] == "ASSAULT" and row["article_ids"] == [3] and row["mentions"] == 1


def test_top_events_are_the_most_reported(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "top.csv"
    assert export_events(store, "csv", out, top=1) == 1
    (row,) = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["type"] == "CONSULT" and row["mentions"] == "2"


def test_a_failed_export_leaves_no_file(store: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export_events(store, "xml", tmp_path / "x.xml")
    with pytest.raises(ValueError, match="stdout"):
        export_events(store, "parquet", "-")
    assert list(tmp_path.glob("x*")) == []


def test_alike_events_of_one_article_stay_apart(tmp_path: Path) -> None:
    twice = [_event("v1", "ASSAULT", "YEMMIL", None), _event("v2", "ASSAULT", "YEMMIL", None)]
    with open_store(tmp_path / "t.db") as s:
        s.add([prepared(STORY, source="okaz", events=twice),
               prepared(COPY, source="alyaum", events=twice[:1])])  # fmt: skip
        events = list(aggregate(s.events()))
    assert [(e.id, e.mentions, e.sources) for e in events] == [
        ("1-v1", 2, ("okaz", "alyaum")),
        ("1-v2", 1, ("okaz",)),
    ]
