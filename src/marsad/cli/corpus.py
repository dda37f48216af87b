"""``marsad ingest``, ``marsad search``, ``marsad export``: the corpus commands, thin over
:mod:`marsad.ingest`, :mod:`marsad.store` and :mod:`marsad.export`."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from .common import CliError, parse_date_option

__all__ = ["register"]


def register(sub: Any) -> None:
    db_help = (
        "the store: a SQLite file or a postgresql://USER@HOST/DBNAME URL "
        "(default: $MARSAD_DB, else marsad.db in the user data directory)"
    )

    p = sub.add_parser(
        "ingest",
        help="read articles (files, folders, feeds, URLs, JSONL, SaudiNewsNet zips) into the store",
        description="Read, deduplicate, analyse and store articles.  Running it again adds nothing new.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, or http(s) URL of a feed or page")
    p.add_argument("--db", help=db_help)
    p.add_argument("--workers", type=int, help="analysis worker processes (default: all cores)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="analyse on the Dask cluster of this scheduler, e.g. tcp://HOST:8786 (default: "
        "$DASK_SCHEDULER_ADDRESS, unless --workers is given)",
    )
    p.add_argument("--encoding", help="encoding of the input files when it cannot be detected (e.g. windows-1256)")
    p.add_argument("--batch-size", type=int, default=32, help="articles per transaction (default 32)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a URL (default 30)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_ingest)

    p = sub.add_parser(
        "search",
        help="full-text search of the store (Arabic-aware, BM25)",
        description="Search the stored articles.  Any text is a valid query.",
    )
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--limit", type=int, default=10, help="number of hits (default 10)")
    _filters(p)
    p.set_defaults(handler=_search)

    p = sub.add_parser(
        "export",
        help="export the stored events as PLOVER JSON (JSONL), CSV or Parquet",
        description="Export events, one per canonical event: copies of a story add mentions and sources.",
    )
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=("plover-json", "csv", "parquet"), required=True)
    p.add_argument("--output", required=True, help="output file (- for standard output, not for parquet)")
    p.add_argument("--top", type=int, metavar="N", help="only the N most reported events (most mentions first)")
    _filters(p)
    p.set_defaults(handler=_export)


def _filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--from", dest="date_from", metavar="DATE", help="from this date (YYYY-MM-DD), inclusive")
    g.add_argument("--to", dest="date_to", metavar="DATE", help="up to this date (YYYY-MM-DD), inclusive")
    g.add_argument("--source", help="newspaper or agency, as stored (e.g. okaz)")
    g.add_argument("--entity", help="a knowledge-base id (john_kerry) or an entity's name")
    g.add_argument("--event-type", help="a PLOVER event type (CONSULT, ASSAULT ...)")
    g.add_argument("--actor", help="a CAMEO actor code or prefix (USAGOV, SYR ...)")


def _make_filters(args: argparse.Namespace) -> Any:
    from ..store import Filters

    return Filters(
        date_from=parse_date_option(args.date_from, "--from"),
        date_to=parse_date_option(args.date_to, "--to"),
        source=args.source,
        entity=args.entity,
        event_type=args.event_type,
        actor=args.actor,
    )


def _open(db: str | None, *, must_exist: bool) -> Any:
    from ..store import StoreError, default_location, open_store

    location = db or default_location()
    if must_exist and "://" not in location and not Path(location).expanduser().exists():
        raise CliError(f"{location}: no store there yet; run 'marsad ingest --db {location} SOURCE...' first")
    try:
        return open_store(location)
    except StoreError as exc:
        raise CliError(str(exc)) from None


def _ingest(args: argparse.Namespace) -> int:
    from ..ingest import ingest

    if args.workers is not None and args.workers < 1:
        raise CliError(f"--workers {args.workers}: give 1 or more")
    if args.batch_size < 1:
        raise CliError(f"--batch-size {args.batch_size}: give 1 or more")
    if args.encoding:
        import codecs

        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise CliError(f"--encoding {args.encoding}: unknown encoding (try utf-8 or windows-1256)") from None
    if args.scheduler and args.workers is not None:
        raise CliError("--workers is for local analysis; with --scheduler the cluster's workers analyse")
    # an explicit --workers means local analysis, whatever $DASK_SCHEDULER_ADDRESS says
    scheduler = args.scheduler or (None if args.workers else os.environ.get("DASK_SCHEDULER_ADDRESS"))
    from ..store import StoreError

    expected: tuple[type[Exception], ...] = (StoreError,)
    if scheduler:
        from ..ingest.dask_runner import ClusterError

        expected = (StoreError, ClusterError)
    with _open(args.db, must_exist=False) as store:
        try:
            summary = ingest(
                args.sources, store, workers=args.workers, batch_size=args.batch_size, encoding=args.encoding,
                timeout=args.timeout, progress=not args.quiet and sys.stderr.isatty(), scheduler=scheduler,
            )  # fmt: skip
        except sqlite3.OperationalError as exc:
            raise CliError(
                f"{store.location}: {exc}; the batches stored before this one are kept, and running the same "
                "command again goes on from there (if the store is locked, wait for the other ingest to finish)"
            ) from None
        except expected as exc:
            raise CliError(str(exc)) from None
        stats = store.stats()
        for line in summary.lines():
            print(line)
        print(
            f"store {store.location}: {stats.articles} articles ({stats.canonical} distinct stories), "
            f"{stats.entities} entities, {stats.quotes} quotes, {stats.events} events, "
            f"{stats.size_bytes / 1e6:.1f} MB"
        )
    return 1 if summary.read == 0 and summary.failed else 0


def _search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError(f"--limit {args.limit}: give 1 or more")
    filters = _make_filters(args)
    query = " ".join(args.query)
    from ..store import StoreError

    with _open(args.db, must_exist=True) as store:
        try:
            hits = store.search(query, filters=filters, limit=args.limit)
        except StoreError as exc:  # e.g. the PostgreSQL server went away
            raise CliError(str(exc)) from None
    if args.format == "json":
        out = [
            {
                "id": h.id, "title": h.title, "source": h.source,
                "published": h.published.isoformat() if h.published else None,
                "url": h.url, "score": round(h.score, 4), "canonical_id": h.canonical_id,
                "snippet": h.marked("<b>", "</b>"),
            }
            for h in hits
        ]  # fmt: skip
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    marks = ("\033[1m", "\033[0m") if bold else ("[[", "]]")
    if not hits:
        print("no hits")
    for n, h in enumerate(hits, 1):
        date = h.published.isoformat() if h.published else "?"
        print(f"{n}. [{h.id}] {h.title or '(no title)'} — {h.source or '?'}, {date}  (score {h.score:.2f})")
        print("   " + " ".join(h.marked(*marks).split()))
    return 0


def _export(args: argparse.Namespace) -> int:
    from ..export import export_events
    from ..store import StoreError

    filters = _make_filters(args)
    if args.top is not None and args.top < 1:
        raise CliError(f"--top {args.top}: give 1 or more")
    with _open(args.db, must_exist=True) as store:
        try:
            n = export_events(store, args.format, args.output, filters=filters, top=args.top)
        except BrokenPipeError:
            raise
        except StoreError as exc:  # e.g. the PostgreSQL server went away
            raise CliError(str(exc)) from None
        except (ValueError, OSError) as exc:
            raise CliError(f"--output {args.output}: {exc}") from None
    if args.output != "-":
        print(f"wrote {n} events to {args.output}", file=sys.stderr)
    return 0
