"""Analysing batches on a Dask cluster (``dask.distributed``): the distributed :class:`Runner`.

>>> from marsad.ingest import ingest
>>> from marsad.ingest.dask_runner import DaskRunner
>>> with open_store("postgresql://marsad@db/marsad") as store, DaskRunner("tcp://scheduler:8786") as runner:
...     ingest(["saudinewsnet/"], store, runner=runner)                # doctest: +SKIP

The cluster only analyses: each batch is one task (the batch function, e.g.
:func:`~marsad.ingest.runner.prepare`, applied to the batch's items), and its result comes back to
this process, where :func:`~marsad.ingest.ingest` stores batches in input order, one transaction
each, keyed by the hash of each input.  So a run on a cluster stores exactly what a local run
stores, and a worker that dies mid-run loses nothing: the scheduler runs its tasks again on another
worker, and a batch's result is stored once, whichever worker computed it.  A batch that keeps
killing workers (``distributed.scheduler.allowed-failures``, 3 by default) stops the run with a
:class:`ClusterError`; the batches stored before it are kept and running again goes on from there.

Each worker loads the analysis pipeline once, when it joins (a worker plugin), not per batch.
Workers need the same marsad version as this process (checked on connecting).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self

from marsad import __version__
from marsad.ingest.readers import Item
from marsad.ingest.runner import BatchFn, prepare, settle_gc
from marsad.store import Prepared

__all__ = ["ClusterError", "DaskRunner", "scheduler_address"]

_REFRESH = 16  # submissions between two looks at the number of worker threads


class ClusterError(RuntimeError):
    """The Dask cluster cannot do the work (the message says why and what to do)."""


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The scheduler to use: ``scheduler`` if given, else ``$DASK_SCHEDULER_ADDRESS``, else None (local)."""
    return scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None


def _worker_version() -> str:
    return __version__


def _load_pipeline() -> None:
    from marsad.pipeline import default_pipeline

    default_pipeline()


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def heap_for_arrays() -> bool:
    """Let glibc serve the analysis' numpy arrays from the heap again in a Dask worker; True if
    it did.

    Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_`` set (so that freed memory goes
    back to the system), and setting it also fixes glibc's mmap threshold at 128 KB: every array
    the NER models allocate above that is then mapped and unmapped afresh, which made the
    analysis 17 % slower in a worker than in a plain process (6 % with this).  This raises
    the mmap threshold to 32 MB (its ceiling); the trim threshold stays as Dask set it."""
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or not sys.platform.startswith("linux"):
        return False
    try:
        return bool(ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 32 << 20))
    except (OSError, AttributeError):  # not glibc
        return False


_WorkerPlugin: Any
try:
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - without the extra, DaskRunner says what to install
    _WorkerPlugin = object


class PipelineLoader(_WorkerPlugin):  # type: ignore[misc]
    """Loads the analysis pipeline once in each worker, when it starts (and when a restarted one joins)."""

    name = "marsad-pipeline"

    def setup(self, worker: Any) -> None:
        heap_for_arrays()
        # a failure shows again, per article, where the ingest records it
        with contextlib.suppress(Exception):
            _load_pipeline()
        settle_gc()


class DaskRunner:
    """Runs batch functions on the Dask cluster at ``scheduler`` (``tcp://host:8786``), or through an
    existing ``distributed.Client``.  ``window`` bounds the batches in flight (default: twice the
    cluster's worker threads), so a large input never piles up in memory."""

    def __init__(self, scheduler: Any = None, *, timeout: float = 30.0, window: int | None = None) -> None:
        try:
            import distributed
        except ImportError:
            raise ClusterError(
                "distributed analysis needs dask.distributed: pip install 'marsad[dask]'"
            ) from None
        dd: Any = distributed
        self.client: Any
        if isinstance(scheduler, dd.Client):
            self.client = scheduler
            self._own_client = False
            self.address = str(scheduler.scheduler.address)
        else:
            address = scheduler_address(scheduler)
            if address is None:
                raise ClusterError(
                    "no Dask scheduler given: use --scheduler tcp://HOST:8786 or set DASK_SCHEDULER_ADDRESS"
                )
            self.address = address
            try:
                self.client = dd.Client(address, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(
                    f"{address}: cannot reach the Dask scheduler ({' '.join(str(exc).split())}); check that "
                    "'dask scheduler' runs there and that the address and port are right"
                ) from None
            self._own_client = True
        self._window = window
        self._warm = False
        try:
            self._check_workers()
        except BaseException:
            self.close()
            raise
        self.workers = self._threads()

    def _threads(self) -> int:
        return max(1, int(sum(self.client.nthreads().values())))

    def _check_workers(self) -> None:
        try:
            versions = self.client.run(_worker_version)
        except Exception as exc:  # noqa: BLE001 - e.g. the workers cannot import marsad
            raise ClusterError(
                f"{self.address}: the Dask workers cannot run marsad ({type(exc).__name__}: "
                f"{' '.join(str(exc).split())}); install "
                f"marsad {__version__} (with its data) in the workers' environment"
            ) from None
        other = {w: v for w, v in versions.items() if v != __version__}
        if other:
            worker, version = next(iter(other.items()))
            raise ClusterError(
                f"{self.address}: worker {worker} runs marsad {version} and this process {__version__}: "
                "install the same version on the workers (analyses must not depend on where they ran)"
            )

    def _load_pipelines(self) -> None:
        if not self._warm:
            self.client.register_plugin(PipelineLoader(), name=PipelineLoader.name)
            self._warm = True

    def map(self, fn: BatchFn, batches: Iterable[Sequence[Item]]) -> Iterator[list[Prepared]]:
        """``fn`` applied to each batch on the cluster; results in the batches' order."""
        from distributed import KilledWorker

        if fn is prepare:
            self._load_pipelines()
        in_flight: deque[Any] = deque()
        window = self._window or 2 * self._threads()
        try:
            for n, batch in enumerate(batches, 1):
                items = list(batch)
                in_flight.append(self.client.submit(fn, items, pure=False))
                if self._window is None and n % _REFRESH == 0:
                    window = 2 * self._threads()
                while len(in_flight) >= max(2, window):
                    yield self._result(in_flight.popleft(), KilledWorker)
            while in_flight:
                yield self._result(in_flight.popleft(), KilledWorker)
        finally:
            if in_flight:
                self.client.cancel(list(in_flight))

    def _result(self, future: Any, killed: type[BaseException]) -> list[Prepared]:
        try:
            result: list[Prepared] = future.result()
        except killed as exc:
            raise ClusterError(
                f"{self.address}: a batch of articles killed Dask workers again and again ({exc}); the "
                "batches before it are stored: check the workers' memory and logs, then run the same "
                "command again to go on"
            ) from None
        except OSError as exc:
            raise ClusterError(
                f"{self.address}: lost the Dask scheduler ({exc}); the batches before this one are stored: "
                "run the same command again to go on"
            ) from None
        return result

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
