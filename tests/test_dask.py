"""Distributed analysis on a real local Dask cluster (two worker processes): the same store as a local
run, a worker killed mid-run loses and duplicates nothing, the pipeline loads once per worker, and
the command line's ``--scheduler``."""

from __future__ import annotations

import inspect
import json
import logging
import os
import platform
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import test_store
from test_ingest import ARTICLE, SAMPLE
from test_store_backends import counts, dump

from marsad.ingest import Item, ingest
from marsad.ingest.dask_runner import ClusterError, DaskRunner
from marsad.ingest.runner import BatchFn, prepare
from marsad.store import Prepared, open_store

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module

location = test_store.location  # the fixture: each test runs on SQLite and on PostgreSQL


def _corpus(path: Path, n: int) -> Path:
    """The first ``n`` sample articles, each also as a rewritten copy (so dedup has work to do)."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:n]]
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            paras = r["text"].split("\n")
            copy = dict(r, id=f"{r['id']}/copy", text="\n".join(paras[1:] + paras[:1]) + "\nتحديث")
            f.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return path


def _cluster() -> Any:
    return distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with _cluster() as cluster, distributed.Client(cluster, set_as_default=False) as c:
        yield c


def _pipelines_loaded() -> int:
    from marsad.pipeline import default_pipeline

    return int(default_pipeline.cache_info().misses)


def test_a_cluster_run_gives_the_store_of_a_local_run(client: Any, tmp_path: Path) -> None:
    corpus = str(_corpus(tmp_path / "c.jsonl", 20))
    with open_store(tmp_path / "local.db") as store:
        local = ingest([corpus], store, workers=1, batch_size=3)
    with open_store(tmp_path / "cluster.db") as store, DaskRunner(client) as runner:
        clustered = ingest([corpus], store, runner=runner, batch_size=3)
    assert (clustered.new, clustered.analysis_failed) == (local.new, local.analysis_failed) == (40, 0)
    assert clustered.grouped_near == local.grouped_near > 0
    assert counts(str(tmp_path / "cluster.db")) == counts(str(tmp_path / "local.db"))
    assert counts(str(tmp_path / "cluster.db")).events > 0
    assert dump(str(tmp_path / "cluster.db")) == dump(str(tmp_path / "local.db"))
    # each worker loaded the pipeline once, however many batches it analysed
    assert list(client.run(_pipelines_loaded).values()) == [1, 1]


class _KillOneWorker:
    """A runner that kills (SIGKILL) a worker busy with a batch after ``after`` batches came back."""

    def __init__(self, inner: DaskRunner, after: int) -> None:
        self.inner, self.after, self.workers = inner, after, inner.workers
        self.killed: int | None = None

    def map(self, fn: BatchFn, batches: Iterable[Sequence[Item]]) -> Iterator[list[Prepared]]:
        for n, result in enumerate(self.inner.map(fn, batches), 1):
            if n == self.after:
                self.killed = self._kill_a_busy_worker()
            yield result

    def _kill_a_busy_worker(self) -> int:
        client = self.inner.client
        busy = [w for w, tasks in client.processing().items() if tasks]
        assert busy, "no worker had a batch in hand"
        pid = int(client.run(os.getpid, workers=busy[:1])[busy[0]])
        os.kill(pid, signal.SIGKILL)
        return pid

    def close(self) -> None:
        pass


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(location: str, tmp_path: Path) -> None:
    corpus = str(_corpus(tmp_path / "c.jsonl", 60))
    with open_store(tmp_path / "clean.db") as store:
        clean = ingest([corpus], store, workers=1, batch_size=4)
    with _cluster() as cluster, distributed.Client(cluster, set_as_default=False) as client:
        before = set(client.run(os.getpid).values())
        with open_store(location) as store, DaskRunner(client) as runner:
            killer = _KillOneWorker(runner, after=2)
            summary = ingest([corpus], store, runner=killer, batch_size=4)
        assert killer.killed in before
        client.wait_for_workers(2, timeout=60)
        assert killer.killed not in set(client.run(os.getpid).values())  # the nanny started a new worker
    assert (summary.new, summary.duplicates) == (clean.new, 0) == (120, 0)
    assert counts(location) == counts(str(tmp_path / "clean.db"))
    assert dump(location) == dump(str(tmp_path / "clean.db"))


def test_ingest_command_sends_the_analysis_to_the_scheduler(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.cli import main

    address = client.scheduler.address
    good = tmp_path / "a.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "cli.db")
    assert main(["ingest", "--db", db, "--scheduler", address, "--quiet", str(good)]) == 0
    assert "1 new" in capsys.readouterr().out
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address)
    other = tmp_path / "b.txt"
    other.write_text(ARTICLE.replace("القصيم", "حائل"), encoding="utf-8")
    assert main(["ingest", "--db", db, "--quiet", str(good), str(other)]) == 0
    assert "1 new, 1 already stored" in capsys.readouterr().out
    with open_store(db) as store:
        article = store.article(2)
        assert article is not None and article.record is not None and article.record["entities"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler") as info:
        DaskRunner(address, timeout=2)
    assert address in str(info.value) and "\n" not in str(info.value)


def test_no_scheduler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    with pytest.raises(ClusterError, match="DASK_SCHEDULER_ADDRESS"):
        DaskRunner()


def _fail_on_marked(items: Sequence[Item]) -> list[Prepared]:
    if any("<fail>" in it.text for it in items):
        raise ValueError("a batch function failed")
    return prepare(items, analyse=False)


def test_a_failing_batch_stops_the_run_and_keeps_the_batches_before_it(client: Any, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        text = ARTICLE.replace("ثلاثة", f"{i + 3} من") + (" <fail>" if i == 4 else "")
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    with open_store(tmp_path / "f.db") as store, DaskRunner(client) as runner:
        with pytest.raises(ValueError, match="a batch function failed"):
            ingest([str(folder)], store, runner=runner, batch_size=2, batch_fn=_fail_on_marked)
        assert store.stats().articles == 4 and store.check() == []


def _mmap_threshold_raised() -> bool:
    """Whether a 1 MB allocation comes from the heap (mmap threshold above it), read from glibc's
    malloc statistics: mapped bytes do not grow."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd")] + [
            (name, ctypes.c_size_t) for name in ("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")
        ]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(1 << 20)
    grew = libc.mallinfo2().hblkhd > before
    libc.free(ctypes.c_void_p(block))
    return not grew


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_workers_serve_arrays_from_the_heap(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask starts workers with MALLOC_TRIM_THRESHOLD_ set, which pins glibc's mmap threshold at
    128 KB; marsad's worker plugin raises it again (and does nothing outside such a worker)."""
    from marsad.ingest.dask_runner import heap_for_arrays

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    assert heap_for_arrays() is False
    # a process started as Dask starts its workers maps a 1 MB block until heap_for_arrays
    code = inspect.getsource(_mmap_threshold_raised) + textwrap.dedent(
        """
        from marsad.ingest.dask_runner import heap_for_arrays
        before = _mmap_threshold_raised()
        print(before, heap_for_arrays(), _mmap_threshold_raised())
        """
    )
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True", "True"]
    # and the cluster's workers have had it done by marsad's worker plugin
    with DaskRunner(client) as runner:
        runner._load_pipelines()  # what an ingest's first batch does
        got = client.run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"), _mmap_threshold_raised()))
    assert got and all(env and raised for env, raised in got.values())
