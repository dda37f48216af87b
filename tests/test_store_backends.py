"""The PostgreSQL store on a real server, beyond the shared store tests (test_store.py runs those on
both backends): its schema and errors, the same store as SQLite from the same input, several ingest
processes writing at once, kill -9 mid-ingest, and the search vectors kept in step with the analyser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pgserver import fresh_database
from test_ingest import _POOL, _corpus
from test_store import OTHER, STORY, prepared, raw_sql

from marsad.ingest import Item, ingest
from marsad.ingest.runner import prepare_unanalysed
from marsad.store import StoreError, open_store
from marsad.store.pg_schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent

_ARTICLE_COLS = (
    "id, key, text_hash, canonical_id, dup_kind, similarity, ext_id, title, source, url, published, "
    "language, origin, text, analysis, error, pipeline"
)


def _plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row with the backends' types made alike (dates as text, binary as bytes)."""
    return tuple(
        v.isoformat() if isinstance(v, dt.date) else bytes(v) if isinstance(v, memoryview) else v for v in row
    )


def dump(location: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a store holds but its search index and timestamps, comparable across backends."""
    tables = {
        "articles": f"SELECT {_ARTICLE_COLS} FROM articles",
        "entities": "SELECT * FROM entities",
        "quotes": "SELECT * FROM quotes",
        "events": "SELECT * FROM events",
        "minhash": "SELECT article_id, signature FROM minhash",
        "lsh": "SELECT band, bucket, article_id FROM lsh",
    }
    return {name: sorted(_plain(r) for r in raw_sql(location, sql)) for name, sql in tables.items()}


def counts(location: str) -> Any:
    with open_store(location) as store:
        assert store.check() == []
        return dataclasses.replace(store.stats(), size_bytes=0)


@contextmanager
def new_database(pg_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped on leaving."""
    with fresh_database(pg_url) as url:
        yield url


@pytest.fixture
def pg(pg_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database."""
    with fresh_database(pg_url) as url:
        yield url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- schema and errors ----------------------------------------------------------------------------
def test_a_new_store_is_migrated_once_and_reopens(pg: str) -> None:
    with open_store(pg) as s:
        s.add([prepared(STORY)])
    with open_store(pg) as s:  # opening again migrates nothing and keeps everything
        assert s.stats().articles == 1 and s.check() == []
    assert raw_sql(pg, "SELECT version FROM marsad_schema") == [(SCHEMA_VERSION,)]
    assert (
        raw_sql(pg, "SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_search'")[0][0].find("gin")
        > 0
    )


def test_both_backends_have_the_same_tables_and_columns(pg: str, tmp_path: Path) -> None:
    """The two schemas are written out separately (released migrations are never edited), and the
    shared queries of marsad.store.sql rely on their tables and columns being the same."""
    db = str(tmp_path / "s.db")
    open_store(db).close()
    open_store(pg).close()
    tables = ("meta", "articles", "entities", "quotes", "events", "minhash", "lsh")
    lite = {t: [r[1] for r in raw_sql(db, f"PRAGMA table_info({t})")] for t in tables}
    post = {
        t: [
            r[0]
            for r in raw_sql(
                pg,
                "SELECT column_name FROM information_schema.columns "
                f"WHERE table_schema = current_schema() AND table_name = '{t}' ORDER BY ordinal_position",
            )
        ]
        for t in tables
    }
    post["articles"].remove("search")  # PostgreSQL's search vector; SQLite's index is a tantivy folder
    assert lite == post


def test_opening_a_new_store_from_many_processes_at_once_migrates_once(pg: str) -> None:
    code = "import sys; from marsad.store import open_store; open_store(sys.argv[1]).close()"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, pg], env=env, stderr=subprocess.PIPE) for _ in range(4)
    ]
    errors = [p.communicate()[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    assert raw_sql(pg, "SELECT version FROM marsad_schema") == [(SCHEMA_VERSION,)]


def test_a_database_of_something_else_is_refused_and_left_alone(pg: str) -> None:
    raw_sql(pg, "CREATE TABLE articles (title TEXT)")
    raw_sql(pg, "INSERT INTO articles VALUES ('keep me')")
    with pytest.raises(StoreError, match="not a marsad store"):
        open_store(pg)
    assert raw_sql(pg, "SELECT title FROM articles") == [("keep me",)]


def test_a_store_from_a_newer_marsad_is_refused(pg: str) -> None:
    open_store(pg).close()
    raw_sql(pg, f"UPDATE marsad_schema SET version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="upgrade marsad"):
        open_store(pg)


def test_an_unreachable_server_is_one_clear_line_without_the_password() -> None:
    url = f"postgresql://marsad:s3cret@127.0.0.1:{_free_port()}/marsad"
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert "cannot connect to the PostgreSQL server" in message and "createdb" in message
    assert "s3cret" not in message and "***" in message and "\n" not in message


def test_text_postgresql_cannot_hold_is_refused_and_nothing_of_the_batch_is_stored(pg: str) -> None:
    with open_store(pg) as s:
        with pytest.raises(StoreError, match="NUL"):
            s.add([prepared(OTHER), prepared(STORY + "\x00")])
        assert s.stats().articles == 0


def test_search_vectors_follow_the_analyser_version(pg: str) -> None:
    with open_store(pg) as s:
        s.add([prepared(STORY), prepared(OTHER)])
    # vectors from another analyser (here: none at all) are rebuilt when the store is opened
    raw_sql(pg, "UPDATE articles SET search = ''::tsvector")
    raw_sql(pg, "UPDATE meta SET value = 'ar-light-0' WHERE key = 'analyzer'")
    with open_store(pg) as s:
        assert [h.id for h in s.search("مهرجان الصيف")] == [2]
        assert s.check() == []
        assert s.reindex() == 2


# -- one store whatever the backend, the batching or the number of writers ----------------------
_RUN = """
import sys
from marsad.ingest import ingest
from marsad.ingest.runner import prepare_unanalysed
from marsad.store import open_store
with open_store(sys.argv[1]) as store:
    ingest([sys.argv[2]], store, workers=1, batch_size=int(sys.argv[3]), batch_fn=prepare_unanalysed)
"""


def test_postgres_and_sqlite_stores_of_one_input_are_identical(pg: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    lite = str(tmp_path / "s.db")
    for location in (lite, pg):
        with open_store(location) as store:
            ingest([str(corpus)], store, workers=1, batch_size=7, batch_fn=prepare_unanalysed)
    assert counts(pg) == counts(lite)
    assert counts(pg).near_duplicates > 0
    assert dump(pg) == dump(lite)


@pytest.mark.slow
def test_several_ingest_processes_at_once_store_each_article_once(pg_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with new_database(pg_url) as clean, new_database(pg_url) as shared:
        subprocess.run([sys.executable, "-c", _RUN, clean, str(corpus), "5"], check=True, env=env)
        procs = [
            subprocess.Popen([sys.executable, "-c", _RUN, shared, str(corpus), str(size)], env=env)
            for size in (3, 5, 8)
        ]
        assert [p.wait() for p in procs] == [0, 0, 0]
        assert counts(shared) == counts(clean)
        keys = "SELECT key, text_hash, dup_kind IS NULL FROM articles"
        assert sorted(raw_sql(shared, keys)) == sorted(raw_sql(clean, keys))


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 120])
def test_kill_9_mid_ingest_then_rerun_gives_the_clean_store(
    pg_url: str, tmp_path: Path, kill_after: int
) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with new_database(pg_url) as clean, new_database(pg_url) as crashed:
        subprocess.run([sys.executable, "-c", _RUN, clean, str(corpus), "4"], check=True, env=env)
        proc = subprocess.Popen([sys.executable, "-c", _RUN, crashed, str(corpus), "4"], env=env)
        stored = 0
        deadline = time.monotonic() + 120
        with psycopg.connect(crashed, autocommit=True) as conn:
            while proc.poll() is None and time.monotonic() < deadline:
                try:
                    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                except psycopg.errors.UndefinedTable:
                    stored = 0
                if stored >= kill_after:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
                time.sleep(0.005)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
        assert 0 < stored < 300
        subprocess.run([sys.executable, "-c", _RUN, crashed, str(corpus), "4"], check=True, env=env)
        assert counts(crashed) == counts(clean)
        assert dump(crashed) == dump(clean)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, len(_POOL) - 1), min_size=1, max_size=12), st.integers(0, 12))
def test_storing_in_any_batches_any_number_of_times_gives_one_store(
    pg_url: str, picks: list[int], cut: int
) -> None:
    batch = prepare_unanalysed([Item(text=_POOL[i], origin=f"#{i}", title=str(i)) for i in picks])
    with new_database(pg_url) as once, new_database(pg_url) as split:
        with open_store(once) as s:
            s.add(batch)
        with open_store(split) as s:
            s.add(batch[:cut])
            s.add(batch[cut:])
            s.add(batch)  # and all of it again
            assert s.check() == []
        dump_once = dump(once)
        assert dump(split) == dump_once
    with tempfile.TemporaryDirectory() as tmp:  # and SQLite stores the same
        with open_store(Path(tmp) / "s.db") as s:
            s.add(batch)
        assert dump(str(Path(tmp) / "s.db")) == dump_once


def test_common_words_rank_but_do_not_select(pg: str) -> None:
    # 40 reports of a festival; one of them also names the castle where it was held
    texts = [f"{OTHER} وبلغ عدد الزوار في اليوم رقم {i} نحو {i * 100} زائر" for i in range(40)]
    texts[7] += " وأقيمت الحفلة الختامية في قلعة المصمك التاريخية"
    with open_store(pg) as s:
        s.add([prepared(t, title=str(i)) for i, t in enumerate(texts)])
    raw_sql(pg, "ANALYZE articles")
    with open_store(pg) as s:
        common = s._common_lexemes()  # type: ignore[attr-defined]
        assert {"مهرج", "=مهرجان"} <= common and "قلع" not in common
        assert [h.title for h in s.search("مهرجان قلعة المصمك", limit=1)] == ["7"]
        hits = s.search("مهرجان قلعة المصمك", limit=40)  # more than the castle selects: every word selects
        assert len(hits) == 40 and hits[0].title == "7"
        assert len(s.search("مهرجان الصيف", limit=40)) == 40


def test_a_lost_server_is_a_clear_error_and_loses_nothing_stored(pg: str) -> None:
    with open_store(pg) as s:
        s.add([prepared(OTHER)])
        raw_sql(pg, f"SELECT pg_terminate_backend({s._conn.info.backend_pid})")  # type: ignore[attr-defined]
        with pytest.raises(StoreError, match="lost the PostgreSQL server.*this batch was not stored"):
            s.add([prepared(STORY)])
        with pytest.raises(StoreError, match="lost the PostgreSQL server"):
            s.search("مهرجان")
    assert counts(pg).articles == 1
