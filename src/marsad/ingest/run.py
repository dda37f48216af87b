"""One ingest run: read the sources, skip what is stored, analyse in parallel, store batch by batch.

The run is idempotent and crash-safe because the store is: each batch is one transaction, articles
are keyed by their input, and batches are stored in input order, so running again after a crash
(or on the same input) stores exactly what a single clean run stores.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from marsad.ingest.readers import Failure, Item, read
from marsad.ingest.runner import BatchFn, LocalRunner, Runner, item_key, prepare
from marsad.store import Store

__all__ = ["Summary", "count_items", "ingest"]


@dataclass
class Summary:
    """What an ingest run did.  ``duplicates`` counts inputs already stored (or repeated in the
    input); ``grouped_exact``/``grouped_near`` count new articles that joined a duplicate group."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    grouped_exact: int = 0
    grouped_near: int = 0
    analysis_failed: int = 0
    failed: list[Failure] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Articles read per second."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        out = [
            (
                f"read {self.read} articles in {self.seconds:.1f} s ({self.rate:.0f}/s): {self.new} new, "
                f"{self.duplicates} already stored, {len(self.failed)} inputs failed"
            ),
            f"duplicate groups: {self.grouped_exact} exact and {self.grouped_near} near copies joined a group",
        ]
        if self.languages:
            out.append("languages of new articles: " + ", ".join(f"{k} {v}" for k, v in self.languages.most_common()))
        if self.analysis_failed:
            out.append(f"{self.analysis_failed} articles stored without analysis (the pipeline failed on them)")
        for f in self.failed[:50]:
            out.append(f"failed: {f.origin}: {f.reason}")
        if len(self.failed) > 50:
            out.append(f"... and {len(self.failed) - 50} more failures")
        return out


def count_items(sources: Sequence[str], *, encoding: str | None = None) -> int:
    """How many articles the local sources hold (URLs count as one: they are not fetched twice)."""
    n = 0
    for s in sources:
        if s.startswith(("http://", "https://")):
            n += 1
            continue
        n += sum(1 for x in read(s, encoding=encoding) if isinstance(x, Item))
    return n


def ingest(
    sources: Sequence[str],
    store: Store,
    *,
    workers: int | None = None,
    batch_size: int = 32,
    encoding: str | None = None,
    timeout: float = 30.0,
    progress: bool = False,
    runner: Runner | None = None,
    batch_fn: BatchFn = prepare,
    scheduler: str | None = None,
) -> Summary:
    """Read ``sources`` (files, folders, URLs) into ``store``; returns the run's :class:`Summary`.

    The analysis runs on ``runner`` if given, else on the Dask cluster at ``scheduler``
    (``tcp://host:8786``, see :mod:`marsad.ingest.dask_runner`) if given, else in ``workers`` local
    processes."""
    summary = Summary()
    started = time.perf_counter()
    own_runner = runner is None
    if runner is None and scheduler:
        from marsad.ingest.dask_runner import DaskRunner

        runner = DaskRunner(scheduler)
    run: Runner = runner if runner is not None else LocalRunner(workers)
    if isinstance(run, LocalRunner):
        run.start()  # fork the workers before the store opens its index writer
    bar = None
    if progress:
        from tqdm import tqdm

        total = count_items(sources, encoding=encoding)
        bar = tqdm(total=total, unit="article", dynamic_ncols=True, smoothing=0.1)

    def batches() -> Iterator[list[Item]]:
        batch: list[Item] = []

        def flush() -> list[Item]:
            keys = [item_key(it) for it in batch]
            stored = store.existing(keys)
            todo = [it for it, k in zip(batch, keys) if k not in stored]
            skipped = len(batch) - len(todo)
            summary.duplicates += skipped
            if bar is not None and skipped:
                bar.update(skipped)
            return todo

        for source in sources:
            for x in read(source, encoding=encoding, timeout=timeout):
                if isinstance(x, Failure):
                    summary.failed.append(x)
                    continue
                summary.read += 1
                batch.append(x)
                if len(batch) >= batch_size:
                    todo = flush()
                    batch = []
                    if todo:
                        yield todo
        if batch:
            todo = flush()
            if todo:
                yield todo

    try:
        for prepared in run.map(batch_fn, batches()):
            for p, added in zip(prepared, store.add(prepared)):
                if added.status == "exists":
                    summary.duplicates += 1
                    continue
                summary.new += 1
                summary.languages[p.language] += 1
                summary.analysis_failed += p.error is not None
                if added.dup_kind == "exact":
                    summary.grouped_exact += 1
                elif added.dup_kind == "near":
                    summary.grouped_near += 1
            if bar is not None:
                bar.update(len(prepared))
    finally:
        if own_runner:
            run.close()
        if bar is not None:
            bar.close()
    summary.seconds = time.perf_counter() - started
    return summary
