"""Shared fixtures.  Tests that need ``../shared`` (training and evaluation data) skip without it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
SEED = "000_4da01e0e24fcc1d0"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``; skips the calling test when it is missing."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs {p} (the shared data folder)")
    return p


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article, from the repo's bundled samples (works without ../shared)."""
    return (ROOT / "samples" / f"{SEED}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict[str, Any]:
    return json.loads(shared_path("data", "seed", f"{SEED}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gold_dev() -> list[dict[str, Any]]:
    p = shared_path("data", "gold", "dev.jsonl")
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def pg_url() -> Any:
    """URL of a throwaway PostgreSQL server started for this test session.

    ``MARSAD_TEST_PG`` points the tests at an existing server instead.  Without PostgreSQL
    installed the tests that need it skip, except under CI (``CI=true``), where they fail:
    ``.ci/run`` installs the server, so a missing one is a broken set-up, not a reason to skip.
    """
    url = os.environ.get("MARSAD_TEST_PG")
    if url:
        yield url
        return
    from pgserver import PostgresUnavailable, TempPostgres

    try:
        server = TempPostgres()
        url = server.start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed under CI: {exc}")
        pytest.skip(str(exc))
    try:
        yield url
    finally:
        server.stop()
