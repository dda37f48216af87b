"""Exporting the store's events: PLOVER JSON (one record per line), CSV and Parquet.

Events are aggregated over duplicate groups: the canonical article's events are the events; an
event of a copy (a wire story another paper ran) that matches one of them by type, source and
target adds its mentions, its article and its newspaper, and is never an event of its own.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from marsad import __version__
from marsad.store import EventRow, Filters, Store

__all__ = ["CSV_COLUMNS", "FORMATS", "AggregatedEvent", "aggregate", "export_events", "plover_record", "top_events"]

FORMATS = ("plover-json", "csv", "parquet")


@dataclass(frozen=True, slots=True)
class AggregatedEvent:
    """One event with everything the corpus says about it."""

    id: str
    type: str
    mode: str | None
    cameo: str | None
    date: str | None
    source: dict[str, Any]
    target: dict[str, Any]
    location: dict[str, Any]
    evidence: str | None
    confidence: float | None
    article_ids: tuple[int, ...]
    urls: tuple[str, ...]
    sources: tuple[str, ...]  # newspapers / agencies reporting it
    mentions: int


def _actor(ev: dict[str, Any], role: str) -> dict[str, Any]:
    return {k: ev.get(f"{role}_{k}") for k in ("text", "kb", "name_en", "actor", "country")}


def _key(ev: dict[str, Any]) -> tuple[str, str, str]:
    def who(role: str) -> str:
        return str(ev.get(f"{role}_actor") or ev.get(f"{role}_kb") or ev.get(f"{role}_norm") or "")

    return str(ev.get("type")), who("source"), who("target")


class _Builder:
    def __init__(self, row: EventRow) -> None:
        self.row = row
        self.article_ids: list[int] = [row.article_id]
        self.urls: list[str] = [row.url] if row.url else []
        self.sources: list[str] = [row.article_source] if row.article_source else []
        self.mentions = int(row.event.get("mentions") or 1)

    def add(self, row: EventRow) -> None:
        if row.article_id not in self.article_ids:
            self.article_ids.append(row.article_id)
            if row.url and row.url not in self.urls:
                self.urls.append(row.url)
            if row.article_source and row.article_source not in self.sources:
                self.sources.append(row.article_source)
        self.mentions += int(row.event.get("mentions") or 1)

    def build(self) -> AggregatedEvent:
        ev, row = self.row.event, self.row
        return AggregatedEvent(
            id=f"{row.article_id}-{ev['vid']}",
            type=str(ev["type"]),
            mode=ev.get("mode"),
            cameo=ev.get("cameo"),
            date=ev.get("date") or (row.published.isoformat() if row.published else None),
            source=_actor(ev, "source"),
            target=_actor(ev, "target"),
            location={
                "text": ev.get("location_text"), "name_en": ev.get("location_name_en"),
                "country": ev.get("location_country"), "lat": ev.get("lat"), "lon": ev.get("lon"),
            },  # fmt: skip
            evidence=ev.get("evidence"),
            confidence=ev.get("confidence"),
            article_ids=tuple(self.article_ids),
            urls=tuple(self.urls),
            sources=tuple(self.sources),
            mentions=self.mentions,
        )


def aggregate(rows: Iterable[EventRow], *, source: str | None = None) -> Iterator[AggregatedEvent]:
    """Fold event rows (ordered by duplicate group, then article) into one event per canonical event."""

    def flush(group: list[EventRow]) -> Iterator[AggregatedEvent]:
        canonical = group[0].canonical_id
        events = [_Builder(r) for r in group if r.article_id == canonical]
        keys = [_key(b.row.event) for b in events]
        taken: set[tuple[int, int]] = set()  # (copy article, canonical event) already matched
        for r in group:
            if r.article_id == canonical:
                continue
            key = _key(r.event)
            # a copy's event is a mention of the first canonical event like it that this copy has not
            # matched yet; with none, it is dropped (never a new event)
            for i, k in enumerate(keys):
                if k == key and (r.article_id, i) not in taken:
                    taken.add((r.article_id, i))
                    events[i].add(r)
                    break
        for b in events:
            agg = b.build()
            if source is None or source in agg.sources:
                yield agg

    group: list[EventRow] = []
    for row in rows:
        if group and row.canonical_id != group[0].canonical_id:
            yield from flush(group)
            group = []
        group.append(row)
    if group:
        yield from flush(group)


# -- formats -----------------------------------------------------------------------------------
def _plover_actor(a: dict[str, Any]) -> list[dict[str, Any]]:
    if not any(a.values()):
        return []
    code = a.get("actor") or a.get("country") or None
    return [
        {
            "code": code[:3] if code else None,
            "sector": code[3:] or None if code else None,
            "entity_text": a.get("text"),
            "identifier_id": a.get("kb"),
            "identifier_text": a.get("name_en"),
        }
    ]


def plover_record(e: AggregatedEvent) -> dict[str, Any]:
    loc = e.location
    return {
        "id": f"marsad-{e.id}",
        "date": e.date,
        "actor": _plover_actor(e.source),
        "recipient": _plover_actor(e.target),
        "event": [e.type],
        "mode": [e.mode] if e.mode else [],
        "cameo": e.cameo,
        "event_loc": (
            {"extracted_place": loc["text"], "resolved_place": loc["name_en"], "country_code": loc["country"],
             "lat": loc["lat"], "lon": loc["lon"]}
            if loc.get("text") else None
        ),  # fmt: skip
        "event_text": [e.evidence] if e.evidence else [],
        "confidence": e.confidence,
        "mentions": e.mentions,
        "sources": list(e.sources),
        "articles": [{"id": i} for i in e.article_ids],
        "urls": list(e.urls),
        "coder": f"marsad {__version__}",
    }


CSV_COLUMNS = (
    "id", "date", "type", "mode", "cameo",
    "source_actor", "source_country", "source_name", "source_kb", "source_text",
    "target_actor", "target_country", "target_name", "target_kb", "target_text",
    "location", "location_name", "location_country", "lat", "lon",
    "mentions", "sources", "source_names", "article_ids", "urls", "evidence", "confidence",
)  # fmt: skip


def flat_row(e: AggregatedEvent) -> dict[str, Any]:
    s, t, loc = e.source, e.target, e.location
    return {
        "id": e.id, "date": e.date, "type": e.type, "mode": e.mode, "cameo": e.cameo,
        "source_actor": s["actor"], "source_country": s["country"], "source_name": s["name_en"] or s["text"],
        "source_kb": s["kb"], "source_text": s["text"],
        "target_actor": t["actor"], "target_country": t["country"], "target_name": t["name_en"] or t["text"],
        "target_kb": t["kb"], "target_text": t["text"],
        "location": loc["text"], "location_name": loc["name_en"], "location_country": loc["country"],
        "lat": loc["lat"], "lon": loc["lon"],
        "mentions": e.mentions, "sources": len(e.sources), "source_names": list(e.sources),
        "article_ids": list(e.article_ids), "urls": list(e.urls), "evidence": e.evidence,
        "confidence": e.confidence,
    }  # fmt: skip


def _write_jsonl(events: Iterable[AggregatedEvent], out: IO[str]) -> int:
    n = 0
    for e in events:
        out.write(json.dumps(plover_record(e), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(events: Iterable[AggregatedEvent], out: IO[str]) -> int:
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for e in events:
        row = flat_row(e)
        for k in ("source_names", "urls"):
            row[k] = " ".join(row[k])
        row["article_ids"] = " ".join(str(i) for i in row["article_ids"])
        w.writerow(row)
        n += 1
    return n


def _parquet_table(events: Iterable[AggregatedEvent]) -> tuple[Any, int]:
    import pyarrow as pa

    rows = [flat_row(e) for e in events]
    string = pa.string()
    types = {c: string for c in CSV_COLUMNS}
    types.update(
        lat=pa.float64(), lon=pa.float64(), confidence=pa.float64(), mentions=pa.int32(), sources=pa.int32(),
        source_names=pa.list_(string), urls=pa.list_(string), article_ids=pa.list_(pa.int64()),
    )  # fmt: skip
    schema = pa.schema([(c, types[c]) for c in CSV_COLUMNS])
    return pa.Table.from_pylist(rows, schema=schema), len(rows)


def top_events(events: Iterable[AggregatedEvent], n: int) -> list[AggregatedEvent]:
    """The ``n`` most reported events: most mentions, then most sources, then earliest."""
    return sorted(events, key=lambda e: (-e.mentions, -len(e.sources), e.date or "9999", e.id))[:n]


def export_events(
    store: Store,
    fmt: str,
    output: str | os.PathLike[str],
    *,
    filters: Filters | None = None,
    top: int | None = None,
) -> int:
    """Write the store's (aggregated) events to ``output`` (``-``: stdout, not for parquet);
    with ``top``, only the ``top`` most reported ones (see :func:`top_events`).

    The file is written beside its final name and renamed when complete, so a failed export never
    leaves a half-written file.  Returns the number of events.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    f = filters or Filters()
    events: Iterable[AggregatedEvent] = aggregate(store.events(f), source=f.source)
    if top is not None:
        events = top_events(events, top)
    if str(output) == "-":
        if fmt == "parquet":
            raise ValueError("parquet cannot be written to stdout: give --output FILE.parquet")
        return (_write_jsonl if fmt == "plover-json" else _write_csv)(events, sys.stdout)
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            os.close(fd)
            table, n = _parquet_table(events)  # n: int
            pq.write_table(table, tmp)
        else:
            with open(fd, "w", encoding="utf-8", newline="") as out:
                n = (_write_jsonl if fmt == "plover-json" else _write_csv)(events, out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
