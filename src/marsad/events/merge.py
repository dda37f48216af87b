"""Events before and after the article is read whole: the draft record, merging within a sentence,
and one event per (type, source, target) in the article."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from marsad.document import Event, Mention, Place, Span

__all__ = ["Draft", "Party", "actor_key", "country", "dedupe", "merge_sentence", "party", "political"]

Party = tuple[str | None, str]
_STATE_SECTORS = frozenset({"", "GOV", "ELI"})


@dataclass(frozen=True, slots=True)
class Draft:
    """An event before ids and deduplication."""

    type: str
    mode: str | None
    cameo: str | None
    sentence: int
    trigger: Span
    source: Mention | None
    target: Mention | None
    location: Place | None
    date: dt.date | None
    confidence: float
    evidence: Span


def actor_key(m: Mention | None) -> str | None:
    if m is None:
        return None
    return m.actor or m.country


def merge_sentence(drafts: list[Draft]) -> list[Draft]:
    """Within a sentence, events of one type between the same countries are one event (the first),
    and one whose arguments another of the type covers is that one."""
    unique: list[Draft] = []
    pairs: set[tuple[str, str | None, str | None]] = set()
    for d in drafts:
        pair = (d.type, country(d.source), country(d.target))
        if pair not in pairs:
            pairs.add(pair)
            unique.append(d)
    drafts = complete(unique)
    out: list[Draft] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for d in drafts:
        pair = (d.type, country(d.source), country(d.target))
        if pair in seen:
            continue
        covered = False
        for o in drafts:
            if o is d or o.type != d.type:
                continue
            ks, kt = country(d.source), country(d.target)
            os_, ot = country(o.source), country(o.target)
            if (ks is None or ks == os_) and (kt is None or kt == ot) and (ks, kt) != (os_, ot):
                covered = True
                break
        if not covered:
            seen.add(pair)
            out.append(d)
    return out


def complete(drafts: list[Draft]) -> list[Draft]:
    """One event of a type with only a source and one with only a target, in one sentence, are one
    event (``تبنى الحزب هجوما ... أدى إلى مقتل جنديين تركيين``)."""
    by_type: dict[str, list[Draft]] = {}
    for d in drafts:
        by_type.setdefault(d.type, []).append(d)
    out = list(drafts)
    for group in by_type.values():
        src_only = [d for d in group if d.source is not None and d.target is None]
        tgt_only = [d for d in group if d.source is None and d.target is not None]
        if len(src_only) == 1 and len(tgt_only) == 1:
            a, b = src_only[0], tgt_only[0]
            first, other = (a, b) if a.trigger.start <= b.trigger.start else (b, a)
            merged = replace(first, source=a.source, target=b.target)
            out = [merged if d is first else d for d in out if d is not other]
    return out


def same_event(a: tuple[str, Party | None, Party | None], b: tuple[str, Party | None, Party | None]) -> bool:
    """Do two keys name the same event, a side with an unknown sector ("*") matching any sector?"""
    if a[0] != b[0]:
        return False
    for x, y in ((a[1], b[1]), (a[2], b[2])):
        if x == y:
            continue
        if x is None or y is None or x[0] != y[0] or (x[1] != "*" and y[1] != "*"):
            return False
    return True


def party(m: Mention | None) -> Party | None:
    """An actor as (country, sector), the state's own sectors (government, former leaders) as one."""
    if m is None:
        return None
    if not m.actor:
        return (m.country, "*") if m.country else None
    if m.entity is None and m.kb is None and m.actor == m.country:
        return (m.country, "*")  # from a nationality adjective: the sector is not said
    sector = m.actor[3:6]
    return (m.actor[:3], "" if sector in _STATE_SECTORS else sector)


def country(m: Mention | None) -> str | None:
    if m is None:
        return None
    return m.actor[:3] if m.actor else m.country


def political(m: Mention) -> bool:
    """An actor with a sector (``USAGOV``, ``IGOUNO``) or a named entity: not a bare nationality."""
    return bool(m.entity) or (m.actor is not None and len(m.actor) > 3)


def dedupe(drafts: list[Draft], material: dict[str, bool]) -> list[Event]:
    """One event per (type, source, target) in the article, actors compared by country and
    sector, the state's sectors as one (``USAGOV``, ``USAELI`` and ``USA`` are the United States;
    ``SYRMIL`` is its forces); an event whose source is not named is the event of its type with
    the same target whose source is named, and an act (``material`` in ``types.tsv``) whose
    target is not named is the act of its source with a target.  The first mention stays; the
    others are counted; ids ``v1``, ``v2`` ... follow the text."""
    kept: dict[tuple[str, Party | None, Party | None], int] = {}
    events: list[tuple[Draft, int]] = []
    for d in drafts:
        k = (d.type, party(d.source), party(d.target))
        if k not in kept:  # a nationality adjective (الضربات الروسية) names no sector: any of its country
            k = next((kk for kk in kept if same_event(kk, k)), k)
        if k in kept:
            d0, n = events[kept[k]]
            events[kept[k]] = (d0, n + 1)
        else:
            kept[k] = len(events)
            events.append((d, 1))
    drop: dict[int, int] = {}  # dropped event -> the event it is part of
    for k, i in kept.items():
        t, src, tgt = k
        # an act by someone unnamed is the act another mention names the doer of; an act told
        # again without its target is the act told with one (statements may be made again)
        if src is not None and (tgt is not None or not material.get(t, False)):
            continue
        for kk, j in kept.items():
            if kk != k and kk[0] == t and src in (None, kk[1]) and tgt in (None, kk[2]):
                drop[i] = j
                break
    for i, j in drop.items():
        while j in drop:
            j = drop[j]
        d0, n0 = events[j]
        events[j] = (d0, n0 + events[i][1])
    events = [e for i, e in enumerate(events) if i not in drop]
    events.sort(key=lambda x: (x[0].trigger.start, x[0].type))
    out: list[Event] = []
    for n, (d, mentions) in enumerate(events, 1):
        out.append(
            Event(
                id=f"v{n}",
                type=d.type,
                sentence=d.sentence,
                trigger=d.trigger,
                mode=d.mode,
                cameo=d.cameo,
                source=d.source,
                target=d.target,
                location=d.location,
                date=d.date,
                confidence=round(d.confidence, 3),
                evidence=d.evidence,
                mentions=mentions,
            )
        )
    return out
