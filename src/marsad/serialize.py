"""The ``marsad.analysis/1`` record: a Document as JSON (see docs/analysis-contract.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .document import Document, Entity, Event, Mention, Place, Quote, Span, Token
from .text.normalize import match_form

__all__ = ["SCHEMA", "to_record", "token_record"]

SCHEMA = "marsad.analysis/1"


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _span(s: Span | None) -> dict[str, Any] | None:
    return None if s is None else {"text": s.text, "start": s.start, "end": s.end}


def _entity_at(doc: Document, start: int, end: int) -> Entity | None:
    for e in doc.entities:
        if e.start <= start and end <= e.end:
            return e
    return None


def _source(doc: Document) -> dict[str, Any] | None:
    h = doc.header
    if doc.source_hint:
        rec: dict[str, Any] = {"name": doc.source_hint, "start": None, "end": None}
        if h.source is not None and match_form(h.source.text) == match_form(doc.source_hint):
            rec.update(start=h.source.start, end=h.source.end)
        return rec
    if h.source is None:
        return None
    return {"name": h.source_name or h.source.text, "start": h.source.start, "end": h.source.end}


def _dateline(doc: Document) -> dict[str, Any] | None:
    d = doc.header.dateline
    if d is None:
        return None
    ent = _entity_at(doc, d.start, d.end)
    return {"place": d.text, "start": d.start, "end": d.end, "entity": ent.id if ent else None}


def _entity(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "text": e.text,
        "start": e.start,
        "end": e.end,
        "type": e.type,
        "kb": e.kb,
        "name_en": e.name_en,
        "actor": e.actor,
        "country": e.country,
    }


def _mention(m: Mention | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "entity": m.entity,
        "kb": m.kb,
        "name_en": m.name_en,
        "actor": m.actor,
        "country": m.country,
    }


def _quote(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "direct": q.direct,
        "cue": q.cue.text if q.cue else None,
        "cue_span": _span(q.cue),
        "speaker": _mention(q.speaker),
    }


def _place(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "text": p.text,
        "start": p.start,
        "end": p.end,
        "entity": p.entity,
        "name_en": p.name_en,
        "country": p.country,
        "lat": p.lat,
        "lon": p.lon,
    }


def _event(v: Event) -> dict[str, Any]:
    return {
        "id": v.id,
        "type": v.type,
        "mode": v.mode,
        "cameo": v.cameo,
        "sentence": v.sentence,
        "trigger": _span(v.trigger),
        "source": _mention(v.source),
        "target": _mention(v.target),
        "location": _place(v.location),
        "date": _date(v.date),
        "confidence": round(v.confidence, 3),
        "evidence": _span(v.evidence),
        "mentions": v.mentions,
    }


def token_record(t: Token) -> dict[str, Any]:
    """A token as JSON: its span, kind, matching form and the clitic-stripped stem span."""
    return {
        "text": t.text,
        "start": t.start,
        "end": t.end,
        "kind": t.kind,
        "norm": t.norm,
        "stem": {"start": t.stem_start, "end": t.stem_end},
    }


def to_record(doc: Document, *, tokens: bool = False) -> dict[str, Any]:
    """The contract's JSON object for ``doc``; ``tokens=True`` adds the token list."""
    rec: dict[str, Any] = {"schema": SCHEMA}
    if doc.id is not None:
        rec["id"] = doc.id
    rec["text"] = doc.text
    rec["title"] = doc.title
    rec["published"] = _date(doc.published)
    rec["source"] = _source(doc)
    rec["dateline"] = _dateline(doc)
    rec["paragraphs"] = [{"start": p.start, "end": p.end} for p in doc.paragraphs]
    rec["sentences"] = [{"start": s.start, "end": s.end} for s in doc.sentences]
    if tokens:
        rec["tokens"] = [token_record(t) for t in doc.tokens]
    rec["entities"] = [_entity(e) for e in doc.entities]
    rec["quotes"] = [_quote(q) for q in doc.quotes]
    rec["events"] = [_event(v) for v in doc.events]
    return rec
