"""The corpus store: articles, their analyses, duplicate groups and full-text search.

>>> from marsad.store import open_store, Filters
>>> with open_store("corpus.db") as store:                      # doctest: +SKIP
...     hits = store.search("وزير الخارجية", filters=Filters(source="okaz"))

``open_store()`` with no argument uses ``$MARSAD_DB``, else ``marsad.db`` in the user's data
directory.  A SQLite file or a PostgreSQL database; every backend implements :class:`Store`.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from marsad.store.base import (
    Added,
    EventRow,
    Filters,
    Hit,
    Prepared,
    Store,
    StoredArticle,
    StoreError,
    StoreStats,
)

__all__ = [
    "Added",
    "EventRow",
    "Filters",
    "Hit",
    "Prepared",
    "Store",
    "StoreError",
    "StoreStats",
    "StoredArticle",
    "default_location",
    "open_store",
]


def default_location() -> str:
    """``$MARSAD_DB`` if set, else ``marsad.db`` in the user's data directory."""
    env = os.environ.get("MARSAD_DB")
    if env:
        return env
    return str(Path(user_data_dir("marsad", appauthor=False)) / "marsad.db")


def open_store(location: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating if needed) the store at ``location``: a SQLite file path, ``sqlite:///path``, or
    ``postgresql://user:password@host:port/dbname`` (an existing database; see docs/scaling.md)."""
    from marsad.store.postgres import is_postgres_url

    loc = str(location) if location is not None else default_location()
    if is_postgres_url(loc):
        from marsad.store.postgres import PostgresStore

        return PostgresStore(loc)
    if loc.startswith("sqlite:///"):
        loc = loc[len("sqlite:///") :]
    elif "://" in loc:
        raise StoreError(f"{loc}: unknown store URL; give a SQLite file path or a postgresql:// URL")
    from marsad.store.sqlite import SQLiteStore

    return SQLiteStore(loc)
