"""Analysing batches of articles: the batch function and the runners that apply it.

:func:`prepare` turns a batch of :class:`~marsad.ingest.readers.Item` into the store's
:class:`~marsad.store.Prepared` records: language, analysis record, fingerprints, search terms.  It
is a plain top-level function, so any runner can ship it to workers: :class:`LocalRunner` uses a
process pool on this machine; a distributed runner only needs the same ``map`` (results in order).
"""

from __future__ import annotations

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

__all__ = ["BatchFn", "LocalRunner", "Runner", "item_key", "prepare", "prepare_unanalysed"]

BatchFn = Callable[[Sequence[Item]], list[Prepared]]


def item_key(item: Item) -> str:
    """The identity of an input article: same text, title, source, url and date → same key."""
    ident = [item.text, item.title, item.source, item.url, item.published.isoformat() if item.published else None]
    return hashlib.sha256(json.dumps(ident, ensure_ascii=False).encode("utf-8")).hexdigest()


def prepare_unanalysed(items: Sequence[Item]) -> list[Prepared]:
    """:func:`prepare` without the analysis pipeline: fingerprints and search terms only."""
    return prepare(items, analyse=False)


def _analyse(item: Item) -> tuple[dict[str, Any] | None, str | None]:
    from marsad.pipeline import analyze
    from marsad.serialize import to_record

    try:
        doc = analyze(item.text, published=item.published, source=item.source, title=item.title, id=item.ext_id)
        return to_record(doc), None
    except Exception as exc:  # noqa: BLE001 - one article's failure is recorded, the batch goes on
        return None, f"{type(exc).__name__}: {exc}"


def prepare(items: Sequence[Item], *, analyse: bool = True) -> list[Prepared]:
    """Analyse and fingerprint one batch.  Articles that are not Arabic are not analysed, nor any
    article when ``analyse`` is false (a store for search alone)."""
    out = []
    for it in items:
        language = detect_language(it.text)
        record, error = _analyse(it) if analyse and language == "ar" else (None, None)
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

    try:
        default_pipeline()
    except Exception:  # noqa: BLE001 - the failure shows again, per article, where it can be reported
        pass


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
            self._pool = ctx.Pool(self.workers)
        return self._pool

    def start(self) -> None:
        """Create the workers now (before the caller opens files or threads they should not inherit)."""
        if self.workers > 1:
            self._get_pool()

    def map(self, fn: BatchFn, batches: Iterable[Sequence[Item]]) -> Iterator[list[Prepared]]:
        if self.workers == 1:
            for b in batches:
                yield fn(b)
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
