"""Ingest: read articles from files, folders, feeds and URLs, analyse them in parallel, store them.

>>> from marsad.ingest import ingest
>>> from marsad.store import open_store
>>> with open_store("corpus.db") as store:                       # doctest: +SKIP
...     summary = ingest(["saudinewsnet/"], store, workers=2)
"""

from __future__ import annotations

from marsad.ingest.readers import Failure, Item, read
from marsad.ingest.run import Summary, count_items, ingest
from marsad.ingest.runner import LocalRunner, Runner, item_key, prepare

__all__ = ["Failure", "Item", "LocalRunner", "Runner", "Summary", "count_items", "ingest", "item_key", "prepare", "read"]
