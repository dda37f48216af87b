"""``marsad demo``: the main job on its embedded defaults, what ``make run`` runs.

Ingests the bundled sample articles into the store (the default store unless ``--db``; running it
again adds nothing), then prints the store's summary, an example search and the most reported
events.  It needs nothing but the repository.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import CliError

__all__ = ["register"]

EXAMPLE_QUERY = "وزير الخارجية الأمريكي"


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="ingest the bundled sample articles, then search them and show the top events")
    p.add_argument("--samples", default="samples", help="folder of sample articles (default: samples)")
    p.add_argument("--db", help="the store (default: $MARSAD_DB, else marsad.db in the user data directory)")
    p.add_argument("--query", default=EXAMPLE_QUERY, help=f"the example search (default: {EXAMPLE_QUERY})")
    p.add_argument("--top", type=int, default=8, help="how many of the most reported events to show (default 8)")
    p.set_defaults(handler=_run)


def _who(actor: dict[str, Any]) -> str:
    name = actor.get("name_en") or actor.get("text") or "-"
    code = actor.get("actor")
    return f"{name} ({code})" if code else name


def _run(args: argparse.Namespace) -> int:
    from ..export import aggregate, top_events
    from ..store import Filters, open_store
    from . import main

    samples = Path(args.samples)
    if not samples.is_dir():
        raise CliError(f"{samples}: no such folder; run from the repository root or pass --samples DIR")
    db = ["--db", args.db] if args.db else []

    print(f"== ingest {samples}/ ==")
    rc = main(["ingest", *db, str(samples)])
    if rc:
        return rc

    print(f"\n== search: {args.query} ==")
    rc = main(["search", *db, "--limit", "3", args.query])
    if rc:
        return rc

    print(f"\n== the {args.top} most reported events ==")
    with open_store(args.db) if args.db else open_store() as store:
        events = top_events(aggregate(store.events(Filters())), args.top)
    for e in events:
        where = e.location.get("name_en") or e.location.get("text") or ""
        mode = f"/{e.mode}" if e.mode else ""
        print(
            f"{e.date or '?':<10} {e.type}{mode} ({e.cameo or '-'}): {_who(e.source)} -> {_who(e.target)}"
            f"{'  at ' + where if where else ''}  [{e.mentions} mention{'s' if e.mentions != 1 else ''}, "
            f"{len(e.sources)} source{'s' if len(e.sources) != 1 else ''}]"
        )
        if e.evidence:
            print(f"           {e.evidence}")
    return 0
