"""The full-text index: a tantivy index derived from the stored texts.

Why tantivy and not SQLite FTS5, measured on the SaudiNewsNet known-item task (26,912 queries over
31,030 articles, bench/bench_search.py) with the same analysis on 2 shared cores: FTS5 (one column
per field, ``bm25()`` weights, adjacent stems as phrases) reached MRR@10 0.638 with p50 22 ms and p99
112 ms, because it evaluates ``bm25()`` for every row an OR query matches (p99 50 ms with the stem
terms alone); tantivy (BM25 with block-max WAND) reaches MRR@10 0.651 with p50 0.5 ms and p99 under
10 ms through :meth:`marsad.store.Store.search`, on a 42 MB index.

The index lives in a folder beside the database and is never the record: documents are added
after the store's transaction commits, identified by the article's id, in increasing id order.
Articles are never deleted, so ``max id in the index`` says exactly what is missing after a crash;
:meth:`SearchIndex.catch_up` adds it.  A folder written by another analyser version or schema is
rebuilt from the store.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import tantivy

from marsad.store import analyzer
from marsad.store.search import WEIGHTS, Query

__all__ = ["IndexBusy", "SearchIndex"]

_FORMAT = 1
_STAMP = "marsad-index.json"
_HEAP = 64_000_000


class IndexBusy(Exception):
    """Another process is writing the index (an ingest is running)."""


def _schema() -> Any:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("words", stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("stems", stored=False, tokenizer_name="whitespace", index_option="position")
    return sb.build()


class SearchIndex:
    """A tantivy index of ``(article id, word terms, stem terms)``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = _schema()
        stamp = {"format": _FORMAT, "analyzer": analyzer.VERSION}
        stamp_file = path / _STAMP
        fresh = False
        if path.exists():
            try:
                current = json.loads(stamp_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                current = None
            if current != stamp:
                shutil.rmtree(path)
        if not path.exists():
            path.mkdir(parents=True)
            fresh = True
        self.index = tantivy.Index(self.schema, path=str(path), reuse=not fresh)
        if fresh:
            stamp_file.write_text(json.dumps(stamp), encoding="utf-8")
        self._writer: Any = None
        self._last_commit = time.monotonic()
        self._added_upto = 0  # highest id added through this writer (committed or not)
        self._dirty = False

    # -- writing ---------------------------------------------------------------------------
    def _get_writer(self) -> Any:
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=_HEAP, num_threads=1)
            except ValueError as exc:  # the lock file is held by another writer
                raise IndexBusy(str(exc)) from exc
        return self._writer

    def add(self, docs: Iterable[tuple[int, str, str]]) -> int:
        """Add ``(id, words, stems)`` documents (ids above :meth:`max_id`, increasing); not yet committed."""
        w = self._get_writer()
        n = 0
        for article_id, words, stems in docs:
            w.add_document(tantivy.Document(id=article_id, words=words, stems=stems))
            self._added_upto = max(self._added_upto, article_id)
            n += 1
        self._dirty = self._dirty or n > 0
        return n

    def commit(self, *, every: float = 0.0) -> None:
        """Commit what was added (only if ``every`` seconds passed since the last commit)."""
        if self._writer is not None and self._dirty and time.monotonic() - self._last_commit >= every:
            self._writer.commit()
            self.index.reload()
            self._last_commit = time.monotonic()
            self._dirty = False

    def release(self) -> None:
        """Commit and let go of the writer lock (merges finish first)."""
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
            self._dirty = False
            self.index.reload()

    def catch_up(self, texts: Iterable[tuple[int, str]], *, batch: int = 2000) -> int:
        """Index ``(id, text)`` pairs (those above :meth:`max_id`), committing every ``batch``."""
        n = 0
        pending: list[tuple[int, str, str]] = []
        for article_id, text in texts:
            words, stems = analyzer.index_fields(text)
            pending.append((article_id, words, stems))
            if len(pending) >= batch:
                n += self.add(pending)
                self.commit()
                pending = []
        if pending:
            n += self.add(pending)
        self.release()
        return n

    # -- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.index.searcher().num_docs)

    def upto(self) -> int:
        """The highest article id in the index, counting documents added but not yet committed."""
        return max(self._added_upto, self.max_id())

    def max_id(self) -> int:
        """The highest committed article id."""
        s = self.index.searcher()
        if s.num_docs == 0:
            return 0
        res = s.search(tantivy.Query.all_query(), 1, order_by_field="id", order=tantivy.Order.Desc)
        if not res.hits:
            return 0
        return int(s.doc(res.hits[0][1])["id"][0])

    def search(self, q: Query, *, allowed: Sequence[int] | None = None, limit: int = 10) -> list[tuple[int, float]]:
        """``(article id, score)`` best first.  ``allowed`` restricts the hits to those ids."""
        if q.empty or limit <= 0 or (allowed is not None and not allowed):
            return []
        T, B, should = tantivy.Query.term_query, tantivy.Query.boost_query, tantivy.Occur.Should
        w_words, w_stems, w_pairs = WEIGHTS
        clauses = [(should, B(T(self.schema, "words", w), w_words)) for w in q.words]
        clauses += [(should, B(T(self.schema, "stems", s), w_stems)) for s in q.stems]
        clauses += [
            (should, B(tantivy.Query.phrase_query(self.schema, "stems", [a, b]), w_pairs))
            for a, b in zip(q.stems, q.stems[1:])
        ]
        query = tantivy.Query.boolean_query(clauses)
        self.commit()  # documents this process added are searchable at once
        if allowed is not None:
            ids = tantivy.Query.term_set_query(self.schema, "id", list(allowed))
            query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, query),
                    (tantivy.Occur.Must, tantivy.Query.const_score_query(ids, 0.0)),
                ]
            )
        s = self.index.searcher()
        res = s.search(query, limit)
        return [(int(s.doc(addr)["id"][0]), float(score)) for score, addr in res.hits]
