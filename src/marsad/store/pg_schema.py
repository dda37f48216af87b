"""The PostgreSQL schema, as numbered migrations.

The tables and columns are those of the SQLite schema (:mod:`marsad.store.schema`) in PostgreSQL's
types, plus the search column: ``articles.search``, a ``tsvector`` of the search analyser's terms
(:mod:`marsad.store.analyzer`) under a GIN index, written in the same transaction as its article.

The version lives in ``marsad_schema``.  Migrations run under an advisory lock, each in one
transaction with the bump of the version, so several processes opening a new store at once apply
each migration once and a store is always at a whole version.  Never edit a released migration: add
the next one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LOCK_MIGRATE", "LOCK_WRITE", "MIGRATIONS", "SCHEMA_VERSION", "SchemaMismatch", "migrate"]

# Advisory lock keys (per database): schema changes, and the single writer of a batch.
LOCK_MIGRATE = 0x6D617273_61640001
LOCK_WRITE = 0x6D617273_61640002

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: articles with their search vector, analysis tables and dedup fingerprints
    (
        """CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE articles (
            id           BIGINT PRIMARY KEY,
            key          TEXT NOT NULL UNIQUE,     -- sha256 of the input record: identity across stores
            text_hash    TEXT NOT NULL,            -- sha256 of the normalised text: exact duplicates
            canonical_id BIGINT NOT NULL,          -- first article of its duplicate group (itself if none)
            dup_kind     TEXT CHECK (dup_kind IN ('exact', 'near')),
            similarity   DOUBLE PRECISION,         -- estimated Jaccard with the canonical article
            ext_id       TEXT,
            title        TEXT,
            source       TEXT,
            url          TEXT,
            published    DATE,
            language     TEXT NOT NULL,
            origin       TEXT NOT NULL,
            text         TEXT NOT NULL,
            analysis     BYTEA,                    -- marsad.analysis/1 record without its text: zlib(JSON)
            error        TEXT,
            pipeline     TEXT,
            ingested_at  TIMESTAMPTZ NOT NULL,
            search       TSVECTOR NOT NULL         -- the analyser's stem and word terms (see postgres.py)
        )""",
        "CREATE INDEX articles_text_hash ON articles(text_hash)",
        "CREATE INDEX articles_canonical ON articles(canonical_id)",
        "CREATE INDEX articles_published ON articles(published)",
        "CREATE INDEX articles_source ON articles(source)",
        "CREATE INDEX articles_url ON articles(url)",
        "CREATE INDEX articles_search ON articles USING GIN (search)",
        # ranking reads the whole vector of each candidate: keep it uncompressed (it compresses by a
        # fifth only, and decompressing costs more than reading)
        "ALTER TABLE articles ALTER COLUMN search SET STORAGE EXTERNAL",
        """CREATE TABLE entities (
            article_id BIGINT NOT NULL REFERENCES articles(id),
            eid        TEXT NOT NULL,
            start      INTEGER NOT NULL,
            "end"      INTEGER NOT NULL,
            text       TEXT NOT NULL,
            norm       TEXT NOT NULL,
            type       TEXT NOT NULL,
            kb         TEXT,
            name_en    TEXT,
            actor      TEXT,
            country    TEXT,
            PRIMARY KEY (article_id, eid)
        )""",
        "CREATE INDEX entities_kb ON entities(kb)",
        "CREATE INDEX entities_norm ON entities(norm)",
        "CREATE INDEX entities_actor ON entities(actor text_pattern_ops)",
        """CREATE TABLE quotes (
            article_id      BIGINT NOT NULL REFERENCES articles(id),
            qid             TEXT NOT NULL,
            start           INTEGER NOT NULL,
            "end"           INTEGER NOT NULL,
            text            TEXT NOT NULL,
            direct          INTEGER NOT NULL,
            cue             TEXT,
            speaker_text    TEXT,
            speaker_entity  TEXT,
            speaker_kb      TEXT,
            speaker_name_en TEXT,
            PRIMARY KEY (article_id, qid)
        )""",
        "CREATE INDEX quotes_speaker_kb ON quotes(speaker_kb)",
        """CREATE TABLE events (
            article_id       BIGINT NOT NULL REFERENCES articles(id),
            vid              TEXT NOT NULL,
            seq              INTEGER NOT NULL,
            type             TEXT NOT NULL,
            mode             TEXT,
            cameo            TEXT,
            sentence         INTEGER,
            trigger_text     TEXT,
            trigger_start    INTEGER,
            trigger_end      INTEGER,
            source_text      TEXT,
            source_norm      TEXT,
            source_entity    TEXT,
            source_kb        TEXT,
            source_name_en   TEXT,
            source_actor     TEXT,
            source_country   TEXT,
            target_text      TEXT,
            target_norm      TEXT,
            target_entity    TEXT,
            target_kb        TEXT,
            target_name_en   TEXT,
            target_actor     TEXT,
            target_country   TEXT,
            location_text    TEXT,
            location_name_en TEXT,
            location_country TEXT,
            lat              DOUBLE PRECISION,
            lon              DOUBLE PRECISION,
            date             TEXT,
            confidence       DOUBLE PRECISION,
            mentions         INTEGER NOT NULL DEFAULT 1,
            evidence_start   INTEGER,
            evidence_end     INTEGER,
            PRIMARY KEY (article_id, vid)
        )""",
        "CREATE INDEX events_type ON events(type)",
        "CREATE INDEX events_date ON events(date)",
        "CREATE INDEX events_source_actor ON events(source_actor text_pattern_ops)",
        "CREATE INDEX events_target_actor ON events(target_actor text_pattern_ops)",
        """CREATE TABLE minhash (
            article_id BIGINT PRIMARY KEY REFERENCES articles(id),
            signature  BYTEA NOT NULL
        )""",
        """CREATE TABLE lsh (
            band       INTEGER NOT NULL,
            bucket     BIGINT NOT NULL,
            article_id BIGINT NOT NULL,
            PRIMARY KEY (band, bucket, article_id)
        )""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaMismatch(RuntimeError):
    """The database cannot be used as this marsad's store (the message says why and what to do)."""


def migrate(conn: Any) -> int:
    """Bring the database of ``conn`` (a psycopg connection in autocommit mode) up to
    :data:`SCHEMA_VERSION`; returns the version it was at.

    Raises :class:`SchemaMismatch` for a store written by a newer marsad, or for a database that
    already holds an ``articles`` table of something else (nothing of it is touched).
    """
    conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_MIGRATE,))
    try:
        with conn.transaction():
            conn.execute("CREATE TABLE IF NOT EXISTS marsad_schema (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM marsad_schema").fetchone()
            if row is None:
                if conn.execute("SELECT to_regclass('articles') IS NOT NULL").fetchone()[0]:
                    raise SchemaMismatch(
                        "this database already has an 'articles' table that is not a marsad store: "
                        "give another database (CREATE DATABASE marsad)"
                    )
                conn.execute("INSERT INTO marsad_schema (version) VALUES (0)")
                version = 0
            else:
                version = int(row[0])
        if version > SCHEMA_VERSION:
            raise SchemaMismatch(
                f"this store has schema version {version} but this marsad knows only up to {SCHEMA_VERSION}: "
                "upgrade marsad to open it"
            )
        for number in range(version, SCHEMA_VERSION):
            with conn.transaction():  # one transaction per migration
                for statement in MIGRATIONS[number]:
                    conn.execute(statement)
                conn.execute("UPDATE marsad_schema SET version = %s", (number + 1,))
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_MIGRATE,))
    return version
