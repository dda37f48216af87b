"""Flattening an analysis record (``marsad.analysis/1``) into the store's entity, quote and event rows.

The record stays the source of truth (it is stored whole); these rows exist so that filters and
export are plain SQL.  Unknown or missing fields are tolerated: later pipeline stages add fields,
and records from earlier ones lack them.
"""

from __future__ import annotations

from typing import Any

from marsad.text.normalize import match_form

__all__ = ["EVENT_COLUMNS", "entity_rows", "event_rows", "quote_rows"]

EVENT_COLUMNS = (
    "article_id", "vid", "seq", "type", "mode", "cameo", "sentence",
    "trigger_text", "trigger_start", "trigger_end",
    "source_text", "source_norm", "source_entity", "source_kb", "source_name_en", "source_actor", "source_country",
    "target_text", "target_norm", "target_entity", "target_kb", "target_name_en", "target_actor", "target_country",
    "location_text", "location_name_en", "location_country", "lat", "lon",
    "date", "confidence", "mentions", "evidence_start", "evidence_end",
)  # fmt: skip


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _norm(text: Any) -> str | None:
    return match_form(text) if isinstance(text, str) and text else None


def entity_rows(article_id: int, record: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for i, e in enumerate(record.get("entities") or ()):
        e = _d(e)
        text = str(e.get("text") or "")
        rows.append(
            (
                article_id, str(e.get("id") or f"e{i + 1}"), e.get("start", 0), e.get("end", 0), text,
                match_form(text), str(e.get("type") or "MISC"), e.get("kb"), e.get("name_en"),
                e.get("actor"), e.get("country"),
            )
        )  # fmt: skip
    return rows


def quote_rows(article_id: int, record: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for i, q in enumerate(record.get("quotes") or ()):
        q = _d(q)
        sp = _d(q.get("speaker"))
        cue = q.get("cue")
        cue_text = cue.get("text") if isinstance(cue, dict) else cue
        rows.append(
            (
                article_id, str(q.get("id") or f"q{i + 1}"), q.get("start", 0), q.get("end", 0),
                str(q.get("text") or ""), 1 if q.get("direct") else 0, cue_text,
                sp.get("text"), sp.get("entity"), sp.get("kb"), sp.get("name_en"),
            )
        )  # fmt: skip
    return rows


def _evidence(ev: dict[str, Any], record: dict[str, Any]) -> tuple[int | None, int | None]:
    span = _d(ev.get("evidence"))
    if "start" in span and "end" in span:
        return int(span["start"]), int(span["end"])
    sentences = record.get("sentences") or ()
    idx = ev.get("sentence")
    if isinstance(idx, int) and 0 <= idx < len(sentences):
        s = _d(sentences[idx])
        if "start" in s and "end" in s:
            return int(s["start"]), int(s["end"])
    return None, None


def _mentions(value: Any) -> int:
    return value if isinstance(value, int) and value > 0 else 1


def event_rows(article_id: int, record: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for seq, ev in enumerate(record.get("events") or ()):
        ev = _d(ev)
        trig, src, tgt, loc = (_d(ev.get(k)) for k in ("trigger", "source", "target", "location"))
        ev_start, ev_end = _evidence(ev, record)
        rows.append(
            (
                article_id, str(ev.get("id") or f"v{seq + 1}"), seq, str(ev.get("type") or ""),
                ev.get("mode"), ev.get("cameo"), ev.get("sentence"),
                trig.get("text"), trig.get("start"), trig.get("end"),
                src.get("text"), _norm(src.get("text")), src.get("entity"), src.get("kb"), src.get("name_en"),
                src.get("actor"), src.get("country"),
                tgt.get("text"), _norm(tgt.get("text")), tgt.get("entity"), tgt.get("kb"), tgt.get("name_en"),
                tgt.get("actor"), tgt.get("country"),
                loc.get("text"), loc.get("name_en"), loc.get("country"), loc.get("lat"), loc.get("lon"),
                ev.get("date"), ev.get("confidence"), _mentions(ev.get("mentions")), ev_start, ev_end,
            )
        )  # fmt: skip
    return rows
