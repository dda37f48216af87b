"""The SQLite schema, as numbered migrations.

Each migration is a list of SQL statements applied in one transaction together with the bump of
``PRAGMA user_version``, so a store is always at a whole version.  Never edit a released migration:
add the next one.  The full-text index is not here: it is derived data kept beside the database
(see :mod:`marsad.store.index`) and rebuilt from ``articles`` whenever it is missing or stale.
"""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: articles, analysis tables and dedup fingerprints
    (
        """CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE articles (
            id          INTEGER PRIMARY KEY,
            key         TEXT NOT NULL UNIQUE,      -- sha256 of the input record: identity across stores
            text_hash   TEXT NOT NULL,             -- sha256 of the normalised text: exact duplicates
            canonical_id INTEGER NOT NULL,         -- first article of its duplicate group (itself if none)
            dup_kind    TEXT CHECK (dup_kind IN ('exact', 'near')),
            similarity  REAL,                      -- estimated Jaccard with the canonical article
            ext_id      TEXT,                      -- the caller's id (JSONL ``id``), if any
            title       TEXT,
            source      TEXT,
            url         TEXT,
            published   TEXT,                      -- YYYY-MM-DD
            language    TEXT NOT NULL,
            origin      TEXT NOT NULL,             -- where it was read from: file, file#item, URL
            text        TEXT NOT NULL,
            analysis    BLOB,                      -- marsad.analysis/1 record without its text: zlib(JSON)
            error       TEXT,                      -- why the analysis failed, if it did
            pipeline    TEXT,                      -- marsad version that analysed it
            ingested_at TEXT NOT NULL
        )""",
        "CREATE INDEX articles_text_hash ON articles(text_hash)",
        "CREATE INDEX articles_canonical ON articles(canonical_id)",
        "CREATE INDEX articles_published ON articles(published)",
        "CREATE INDEX articles_source ON articles(source)",
        "CREATE INDEX articles_url ON articles(url)",
        """CREATE TABLE entities (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            eid        TEXT NOT NULL,
            start      INTEGER NOT NULL,
            end        INTEGER NOT NULL,
            text       TEXT NOT NULL,
            norm       TEXT NOT NULL,              -- match form of the text
            type       TEXT NOT NULL,
            kb         TEXT,
            name_en    TEXT,
            actor      TEXT,
            country    TEXT,
            PRIMARY KEY (article_id, eid)
        ) WITHOUT ROWID""",
        "CREATE INDEX entities_kb ON entities(kb)",
        "CREATE INDEX entities_norm ON entities(norm)",
        "CREATE INDEX entities_actor ON entities(actor)",
        """CREATE TABLE quotes (
            article_id     INTEGER NOT NULL REFERENCES articles(id),
            qid            TEXT NOT NULL,
            start          INTEGER NOT NULL,
            end            INTEGER NOT NULL,
            text           TEXT NOT NULL,
            direct         INTEGER NOT NULL,
            cue            TEXT,
            speaker_text   TEXT,
            speaker_entity TEXT,
            speaker_kb     TEXT,
            speaker_name_en TEXT,
            PRIMARY KEY (article_id, qid)
        ) WITHOUT ROWID""",
        "CREATE INDEX quotes_speaker_kb ON quotes(speaker_kb)",
        """CREATE TABLE events (
            article_id     INTEGER NOT NULL REFERENCES articles(id),
            vid            TEXT NOT NULL,
            seq            INTEGER NOT NULL,       -- order in the article
            type           TEXT NOT NULL,
            mode           TEXT,
            cameo          TEXT,
            sentence       INTEGER,
            trigger_text   TEXT,
            trigger_start  INTEGER,
            trigger_end    INTEGER,
            source_text    TEXT,
            source_norm    TEXT,
            source_entity  TEXT,
            source_kb      TEXT,
            source_name_en TEXT,
            source_actor   TEXT,
            source_country TEXT,
            target_text    TEXT,
            target_norm    TEXT,
            target_entity  TEXT,
            target_kb      TEXT,
            target_name_en TEXT,
            target_actor   TEXT,
            target_country TEXT,
            location_text  TEXT,
            location_name_en TEXT,
            location_country TEXT,
            lat            REAL,
            lon            REAL,
            date           TEXT,
            confidence     REAL,
            mentions       INTEGER NOT NULL DEFAULT 1,  -- times the article reports it
            evidence_start INTEGER,
            evidence_end   INTEGER,
            PRIMARY KEY (article_id, vid)
        ) WITHOUT ROWID""",
        "CREATE INDEX events_type ON events(type)",
        "CREATE INDEX events_date ON events(date)",
        "CREATE INDEX events_source_actor ON events(source_actor)",
        "CREATE INDEX events_target_actor ON events(target_actor)",
        """CREATE TABLE minhash (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            signature  BLOB NOT NULL
        )""",
        """CREATE TABLE lsh (
            band       INTEGER NOT NULL,
            bucket     INTEGER NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (band, bucket, article_id)
        ) WITHOUT ROWID""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring ``conn`` up to :data:`SCHEMA_VERSION`; returns the version it was at.

    Raises :class:`RuntimeError` for a store written by a newer marsad (downgrades are not supported).
    """
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"this store has schema version {version} but this marsad knows only up to {SCHEMA_VERSION}: "
            "upgrade marsad to open it"
        )
    for number in range(version, SCHEMA_VERSION):
        with conn:  # one transaction per migration
            conn.execute("BEGIN IMMEDIATE")
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
    return int(version)
