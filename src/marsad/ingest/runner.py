"""Analysing batches of articles: the batch function and the runners that apply it.

:func:`prepare` turns a batch of :class:`~marsad.ingest.readers.Item` into the store's
:class:`~marsad.store.Prepared` records: language, analysis record, fingerprints, search terms.  It
is a plain top-level function, so any runner can ship it to workers: :class:`LocalRunner` uses a
process pool on this machine; a distributed runner only needs the same ``map`` (results in order).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from marsad import __version__
from marsad.ingest.language import detect_language
from marsad.ingest.readers import Item
from marsad.store import Prepared, analyzer, dedup

__all__ = ["BatchFn", "LocalRunner", "Runner", "item_key", "prepare", "prepare_unanalysed", "settle_gc"]

BatchFn = Callable[[Sequence[Item]], list[Prepared]]


def item_key(item: Item) -> str:
    """The identity of an input article: same text, title, source, url and date → same key."""
    ident = [
        item.text,
        item.title,
        item.source,
        item.url,
        item.published.isoformat() if item.published else None,
    ]
    return hashlib.sha256(json.dumps(ident, ensure_ascii=False).encode("utf-8")).hexdigest()


def prepare_unanalysed(items: Sequence[Item]) -> list[Prepared]:
    """:func:`prepare` without the analysis pipeline: fingerprints and search terms only."""
    return prepare(items, analyse=False)


def _analyse(items: Sequence[Item]) -> list[tuple[dict[str, Any] | None, str | None]]:
    """Each item's analysis record, or its error; the items go through the pipeline together
    (:meth:`~marsad.pipeline.Pipeline.run_many`: faster, and one article's failure is its own)."""
    from marsad.document import Document
    from marsad.pipeline import default_pipeline
    from marsad.serialize import to_record

    if not items:
        return []
    try:
        pipe = default_pipeline()
    except Exception as exc:  # noqa: BLE001 - recorded on every article of the batch
        return [(None, f"{type(exc).__name__}: {exc}")] * len(items)
    docs = [
        Document(text=it.text, id=it.ext_id, title=it.title, published=it.published, source_hint=it.source)
        for it in items
    ]
    out: list[tuple[dict[str, Any] | None, str | None]] = []
    for got in pipe.run_many(docs):
        try:
            if isinstance(got, Exception):
                raise got
            out.append((to_record(got), None))
        except Exception as exc:  # noqa: BLE001 - one article's failure is recorded, the batch goes on
            out.append((None, f"{type(exc).__name__}: {exc}"))
    return out


def prepare(items: Sequence[Item], *, analyse: bool = True) -> list[Prepared]:
    """Analyse and fingerprint one batch.  Articles that are not Arabic are not analysed, nor any
    article when ``analyse`` is false (a store for search alone)."""
    languages = [detect_language(it.text) for it in items]
    todo = [i for i, lang in enumerate(languages) if analyse and lang == "ar"]
    analysed = dict(zip(todo, _analyse([items[i] for i in todo]), strict=True))
    out = []
    for i, (it, language) in enumerate(zip(items, languages, strict=True)):
        record, error = analysed.get(i, (None, None))
        words, stems = analyzer.index_fields(it.text)
        text_hash, signature = dedup.fingerprint(it.text)
        out.append(
            Prepared(
                key=item_key(it), text_hash=text_hash, text=it.text, origin=it.origin,
                language=language, title=it.title, source=it.source, url=it.url, published=it.published,
                ext_id=it.ext_id, record=record, error=error, pipeline=__version__ if record or error else None,
                signature=signature, words=words, stems=stems, analyzer=analyzer.VERSION,
            )
        )  # fmt: skip
    return out


class Runner(Protocol):
    """Applies a batch function to batches, yielding results in the batches' order."""

    workers: int

    def map(self, fn: BatchFn, batches: Iterable[Sequence[Item]]) -> Iterator[list[Prepared]]: ...

    def close(self) -> None: ...


def _warm() -> None:
    """Load the pipeline's models once (in the parent, so forked workers share them)."""
    from marsad.pipeline import default_pipeline

    with contextlib.suppress(Exception):  # the failure shows again, per article, where it is reported
        default_pipeline()


# Collect the youngest generation after this many new container objects, not Python's default 700:
# analysing an article makes tens of thousands of short-lived objects.
_GC_THRESHOLDS = (50_000, 20, 100)


def settle_gc() -> None:
    """In a process that analyses articles, once the pipeline is loaded: put every object alive now
    (the models, lexicons and knowledge base: millions of them) in the collector's permanent
    generation, so that collections stop rescanning them and forked workers do not copy the memory
    pages the scans would touch, and collect young objects less often.  Together about a tenth less
    CPU per article (``bench/bench_corpus.py``)."""
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)


def _in_process(fn: BatchFn, batches: Iterable[Sequence[Item]]) -> Iterator[list[Prepared]]:
    """``fn`` over ``batches`` in this process, with :func:`settle_gc` from the first batch on (whatever
    it loaded is then frozen) and the collector as it was once done: the process is not ours alone."""
    thresholds = gc.get_threshold()
    settled = False
    try:
        for b in batches:
            out = fn(b)
            if not settled:
                settle_gc()
                settled = True
            yield out
    finally:
        if settled:
            gc.set_threshold(*thresholds)
            gc.unfreeze()


class LocalRunner:
    """Worker processes on this machine (``workers=1``: in this process, no pool)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self._pool: Any = None

    def _get_pool(self) -> Any:
        if self._pool is None:
            _warm()
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            gc.freeze()  # the workers inherit the loaded pipeline as frozen: no scans, no copied pages
            try:
                self._pool = ctx.Pool(self.workers, initializer=settle_gc)
            finally:
                gc.unfreeze()
        return self._pool

    def start(self) -> None:
        """Create the workers now (before the caller opens files or threads they should not inherit)."""
        if self.workers > 1:
            self._get_pool()

    def map(self, fn: BatchFn, batches: Iterable[Sequence[Item]]) -> Iterator[list[Prepared]]:
        if self.workers == 1:
            yield from _in_process(fn, batches)
            return
        pool = self._get_pool()
        window: deque[Any] = deque()
        for b in batches:
            window.append(pool.apply_async(fn, (list(b),)))
            if len(window) >= 2 * self.workers:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
