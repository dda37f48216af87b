"""The store on real backends: a SQLite file and a PostgreSQL database (the ``location`` fixture runs
each test on both): schema, batches as transactions, idempotence, integrity, events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pgserver import fresh_database

from marsad.ingest import Item
from marsad.ingest.runner import prepare
from marsad.store import Filters, Prepared, StoreError, open_store
from marsad.store.postgres import is_postgres_url
from marsad.store.schema import SCHEMA_VERSION

STORY = (
    "أعلنت وزارة الخارجية السعودية اليوم أن الوزير عادل الجبير بحث في اتصال هاتفي مع نظيره الأمريكي جون كيري "
    "تطورات الأوضاع في سوريا واليمن، وأكد الجانبان أهمية التنسيق المشترك لمكافحة الإرهاب ودعم الحل السياسي "
    "للأزمة السورية وفق بيان جنيف الأول وقرارات مجلس الأمن الدولي ذات الصلة."
)
OTHER = (
    "افتتح أمير منطقة الرياض مساء أمس مهرجان الصيف في حديقة الملك عبدالله بحضور عدد من المسؤولين والأهالي، "
    "ويتضمن المهرجان عروضا شعبية ومسابقات ثقافية للأطفال والأسر تستمر طوال أسبوعين في عدة مواقع بالعاصمة."
)


def _event(vid: str, type_: str, src_actor: str | None, tgt_actor: str | None) -> dict[str, Any]:
    return {
        "id": vid, "type": type_, "mode": "phone", "cameo": "040", "sentence": 0,
        "trigger": {"text": "بحث", "start": 40, "end": 43},
        "source": {"text": "عادل الجبير", "start": 30, "end": 41, "kb": "adel_al_jubeir", "actor": src_actor, "country": "SAU"},
        "target": {"text": "جون كيري", "start": 80, "end": 88, "kb": "john_kerry", "actor": tgt_actor, "country": "USA"},
        "location": None, "date": "2015-07-20", "confidence": 0.8, "evidence": {"text": "x", "start": 0, "end": 20},
        "mentions": 1,
    }  # fmt: skip


def prepared(text: str, *, title: str = "t", source: str = "okaz", events: list[dict[str, Any]] | None = None,
             entities: list[dict[str, Any]] | None = None, published: dt.date | None = dt.date(2015, 7, 21)) -> Prepared:  # fmt: skip
    (p,) = prepare([Item(text=text, origin="test", title=title, source=source, published=published)], analyse=False)
    record = {"schema": "marsad.analysis/1", "text": text, "sentences": [{"start": 0, "end": len(text)}],
              "entities": entities or [], "quotes": [], "events": events or []}  # fmt: skip
    return Prepared(**{**{f: getattr(p, f) for f in p.__dataclass_fields__}, "record": record})


def counts(store: Any) -> Any:
    """The store's statistics without its size on disk (which WAL and index segments change)."""
    return dataclasses.replace(store.stats(), size_bytes=0)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a new store lives: a SQLite file, or a new database on the test session's PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "corpus.db")
    else:
        with fresh_database(request.getfixturevalue("pg_url")) as url:
            yield url


def raw_sql(location: str, query: str) -> list[tuple[Any, ...]]:
    """Run ``query`` on the store's database directly (to inspect or damage it)."""
    if is_postgres_url(location):
        with psycopg.connect(location, autocommit=True) as pg:
            cur = pg.execute(query)
            return cur.fetchall() if cur.description else []
    conn = sqlite3.connect(location)
    try:
        with conn:
            return conn.execute(query).fetchall()
    finally:
        conn.close()


@pytest.fixture
def store(location: str) -> Any:
    with open_store(location) as s:
        yield s


def test_new_store_has_the_schema_and_reopens(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "c.db"
    with open_store(db) as s:
        s.add([prepared(STORY)])
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with open_store(f"sqlite:///{db}") as s:
        assert s.stats().articles == 1
        assert s.check() == []


@pytest.mark.parametrize("bad", ["mysql://h/db", "ftp://h/db"])
def test_unsupported_urls_are_clear_errors(bad: str) -> None:
    with pytest.raises(StoreError, match="SQLite file path or a postgresql:// URL"):
        open_store(bad)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a marsad store"):
        open_store(junk)
    assert junk.read_bytes() == b"this is not sqlite" * 100  # nothing of the user's is touched


def test_default_location_follows_marsad_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "env.db"))
    with open_store() as s:
        assert s.location == str(tmp_path / "env.db")


def test_adding_the_same_article_twice_adds_nothing(store: Any) -> None:
    first = store.add([prepared(STORY), prepared(OTHER)])
    assert [a.status for a in first] == ["new", "new"]
    before = counts(store)
    again = store.add([prepared(STORY)])
    assert again[0].status == "exists" and again[0].id == first[0].id
    assert counts(store) == before


def test_a_failing_batch_leaves_the_store_as_it_was(store: Any) -> None:
    store.add([prepared(OTHER)])
    before = counts(store)
    dup_entity = [{"id": "e1", "text": "x", "start": 0, "end": 1, "type": "PER"}] * 2  # same id twice: PK clash
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):
        store.add([prepared(STORY), prepared(STORY + " وأضاف", entities=dup_entity)])
    assert counts(store) == before
    assert store.search("الجبير") == []
    assert store.check() == []


def test_record_round_trips_with_its_text(store: Any) -> None:
    (added,) = store.add([prepared(STORY, events=[_event("v1", "CONSULT", "SAUGOV", "USAGOV")])])
    art = store.article(added.id)
    assert art is not None and art.text == STORY
    assert art.record["text"] == STORY and art.record["events"][0]["type"] == "CONSULT"
    assert store.article(added.id + 100) is None


def test_exact_and_near_duplicates_join_the_first_article(store: Any) -> None:
    rewritten = STORY.replace("اليوم", "أمس").replace("أهمية", "ضرورة") + " وأضاف البيان أن الاتصال جاء بمبادرة أمريكية."
    out = store.add(
        [
            prepared(STORY, source="okaz"),
            prepared("  " + STORY.replace("،", " ، ") + " ", source="alriyadh"),  # same words, other spacing
            prepared(rewritten, source="aljazirah"),
            prepared(OTHER, source="sabq"),
        ]
    )
    assert [(a.dup_kind, a.canonical_id) for a in out] == [
        (None, out[0].id), ("exact", out[0].id), ("near", out[0].id), (None, out[3].id)
    ]  # fmt: skip
    s = store.stats()
    assert (s.canonical, s.exact_duplicates, s.near_duplicates) == (2, 1, 1)


def test_check_finds_a_broken_duplicate_group(location: str) -> None:
    with open_store(location) as s:
        s.add([prepared(STORY), prepared(OTHER)])
    raw_sql(location, "UPDATE articles SET canonical_id = 99 WHERE id = 2")
    with open_store(location) as s:
        assert any("dedup" in p for p in s.check())


def test_the_search_index_is_rebuilt_when_lost(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with open_store(db) as s:
        s.add([prepared(STORY), prepared(OTHER)])
    import shutil

    shutil.rmtree(tmp_path / "c.db-search")
    with open_store(db) as s:
        assert [h.id for h in s.search("مهرجان الصيف")] == [2]
        assert s.check() == []


def test_events_carry_their_article_and_evidence(store: Any) -> None:
    store.add([prepared(STORY, events=[_event("v1", "CONSULT", "SAUGOV", "USAGOV")], source="okaz")])
    store.add([prepared(OTHER, events=[_event("v1", "ASSAULT", "YEMMIL", None)], source="sabq")])
    rows = list(store.events())
    assert [(r.article_id, r.event["type"]) for r in rows] == [(1, "CONSULT"), (2, "ASSAULT")]
    assert rows[0].event["evidence"] == STORY[:20] and rows[0].url is None
    assert [r.event["type"] for r in store.events(Filters(actor="USA"))] == ["CONSULT"]
    assert [r.event["type"] for r in store.events(Filters(actor="yem"))] == ["ASSAULT"]
    assert [r.event["type"] for r in store.events(Filters(event_type="assault"))] == ["ASSAULT"]
    assert [r.event["type"] for r in store.events(Filters(entity="john_kerry"))] == ["CONSULT", "ASSAULT"]
    assert [r.event["type"] for r in store.events(Filters(entity="جون كيري"))] == ["CONSULT", "ASSAULT"]
    assert list(store.events(Filters(date_from=dt.date(2015, 7, 21)))) == []
    assert [r.article_id for r in store.events(Filters(source="sabq"))] == [2]


def test_actor_filter_treats_like_wildcards_literally(store: Any) -> None:
    store.add([prepared(STORY, events=[_event("v1", "CONSULT", "SAUGOV", "USAGOV")])])
    assert list(store.events(Filters(actor="%"))) == []
    assert list(store.events(Filters(actor="_AU"))) == []


def test_stored_analysis_is_compressed_json_without_the_text(location: str) -> None:
    with open_store(location) as s:
        s.add([prepared(STORY)])
    ((analysis,),) = raw_sql(location, "SELECT analysis FROM articles")
    record = json.loads(zlib.decompress(analysis))
    assert record["schema"] == "marsad.analysis/1" and "text" not in record
