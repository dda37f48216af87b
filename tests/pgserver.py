"""A throwaway PostgreSQL server for tests and benchmarks.

``TempPostgres`` runs ``initdb`` in a temporary folder, starts the server on loopback on a free
port with its socket in that folder, and removes everything on ``stop()``.  As root (CI runs as
root, and PostgreSQL refuses to), the server runs as the ``postgres`` system user that Debian's
package creates.  ``tools/ensure_postgres.sh`` installs the server when it is missing.

Used by ``tests/conftest.py`` (the ``pg_url`` fixture) and ``bench/``; also runnable:
``python tests/pgserver.py`` starts one and prints its URL until interrupted.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PostgresUnavailable", "TempPostgres", "find_pg_bin", "fresh_database"]


class PostgresUnavailable(RuntimeError):
    pass


def find_pg_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, newest version first, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.insert(0, which)
    for c in candidates:
        p = Path(os.path.realpath(c)).parent
        if (p / "pg_ctl").exists():
            return p
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def fresh_database(server_url: str, prefix: str = "marsad_test") -> Iterator[str]:
    """A new, empty database on the PostgreSQL server at ``server_url``; dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class TempPostgres:
    def __init__(self) -> None:
        bindir = find_pg_bin()
        if bindir is None:
            raise PostgresUnavailable(
                "PostgreSQL is not installed: run tools/ensure_postgres.sh (apt-get install postgresql)"
            )
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="marsad-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "marsad"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root needs the 'postgres' system user") from None
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        proc = subprocess.run([*self._as, *args], capture_output=True, text=True, check=False)
        if proc.returncode:
            raise PostgresUnavailable(f"{' '.join(args[:2])} failed: {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> str:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c max_connections=60 -c shared_buffers=128MB"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"),
            "-w", "-t", "60", "start",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self.url
            except OSError:
                time.sleep(0.2)
        raise PostgresUnavailable(f"the server did not accept connections; see {self.dir / 'log'}")

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [*self._as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True, check=False,
            )
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    with TempPostgres() as url:
        print(url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
