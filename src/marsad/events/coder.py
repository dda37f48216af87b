"""The events stage: triggers → guards → arguments → one event per (type, source, target).

Per sentence with a trigger (most sentences have none and cost one dictionary lookup per word):
the trigger's modality decides whether and as what it is coded (:mod:`.guards`, ``types.tsv``);
its source and target come from :mod:`.arguments`; coordinated actors give one event each;
the place is a linked place named with في near the trigger, the date the nearest resolved date
of the sentence.  Over the article, one event is kept per (type, source actor, target actor): the
first mention, with the count of the others.
"""

from __future__ import annotations

import datetime as dt
import importlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Any

from marsad.document import Document, Event, Mention, Place, Quote, Sentence, Span, Token

from .actors import Actor, ActorFinder
from .arguments import ArgumentFinder, Arguments, SentenceActors
from .guards import FUTURE, INTENT, REAL, REFUSED, Guards, SentenceContext
from .lexicon import Lexicon
from .match import Hit, find_triggers

__all__ = ["EVIDENCE_WORDS", "EventCoder"]

EVIDENCE_WORDS = 15
_NORM = itemgetter(4)  # Token.norm
_MAX_TRIGGERS = 10  # triggers coded per sentence, best first

DateFinder = Callable[[str, "dt.date | None", int, int], list[Any]]


@lru_cache(maxsize=1)
def _date_finder() -> DateFinder | None:
    try:
        module = importlib.import_module("marsad.text.dates")
    except ModuleNotFoundError:
        return None
    return getattr(module, "find_dates", None)


@dataclass(frozen=True, slots=True)
class _Draft:
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


def _actor_key(m: Mention | None) -> str | None:
    if m is None:
        return None
    return m.actor or m.country


class EventCoder:
    """The ``events`` stage (see module docs); build it with :func:`marsad.events.load_events`."""

    name = "events"
    requires = ("tokens", "sentences", "entities", "quotes")
    provides = ("events",)

    def __init__(self, lexicon: Lexicon, actors: ActorFinder | None = None):
        self.lex = lexicon
        self.guards = Guards(lexicon)
        self.args = ArgumentFinder(lexicon)
        self.actors = actors if actors is not None else ActorFinder(lexicon.cue_words("preposition"))
        self.modes = {t: cues for t, cues in lexicon.modes.items() if "->" not in t}
        self.retype = {
            t.split("->")[0]: (t.split("->")[1], cues[0][0], cues[0][1])
            for t, cues in lexicon.modes.items()
            if "->" in t
        }
        self.policies = lexicon.policies
        self.own_country = lexicon.cue_words("own_country")
        self.casualty = lexicon.cue_words("casualty")
        self._hot: set[str] = set()  # words that may anchor a trigger or an 'I cannot confirm' cue
        self._cold: set[str] = set()  # words that may not

    def _hot_positions(self, doc: Document) -> list[int]:
        """Token indices of the words that may matter: one set lookup per token."""
        norms = list(map(_NORM, doc.tokens))
        hot, cold = self._hot, self._cold
        for n in set(norms) - hot - cold:
            if self.lex.lookup(n) is not None or self.lex.keys(n) & self.guards.uncertain_anchors:
                hot.add(n)
            elif len(cold) < 500_000:
                cold.add(n)
        return list(compress(range(len(norms)), map(hot.__contains__, norms)))

    def __call__(self, doc: Document) -> Document:
        return doc.replace(events=tuple(self.code(doc)))

    # -- the article ---------------------------------------------------------------------------

    def code(self, doc: Document) -> list[Event]:
        hot = self._hot_positions(doc)
        if not hot:
            return []
        drafts: list[_Draft] = []
        ents = sorted(doc.entities, key=lambda e: e.start)
        ent_starts = [e.start for e in ents]
        roles = self.actors.role_mentions(doc)
        role_starts = [m.start for m in roles]
        firsts = [s.first_token for s in doc.sentences]
        by_sentence: dict[int, list[int]] = {}
        for i in hot:
            si = bisect_right(firsts, i) - 1
            if si >= 0 and i < doc.sentences[si].last_token:
                by_sentence.setdefault(si, []).append(i - doc.sentences[si].first_token)
        topic: Mention | None = None
        for si in sorted(by_sentence):
            s = doc.sentences[si]
            toks = doc.tokens[s.first_token : s.last_token]
            hits = find_triggers(self.lex, toks, by_sentence[si])
            ctx = (
                self.guards.context(toks)
                if hits or _may_be_uncertain(toks, by_sentence[si], self.lex)
                else None
            )
            if ctx is None:
                topic = _speaker_before(doc, s, s.end) or topic
                continue
            at = self.guards.uncertain_at(ctx)
            if at is not None:  # "I am not in a position to confirm": nothing here, nor before it
                if at <= 3 and si > 0:
                    drafts = [d for d in drafts if d.sentence != si - 1]
                continue
            planned = self._plan(ctx, hits)
            if not planned:  # nothing here is reported as having happened: no need for its actors
                topic = _speaker_before(doc, s, s.end) or topic
                continue
            lo, hi = bisect_left(ent_starts, s.start), bisect_left(ent_starts, s.end)
            rlo, rhi = bisect_left(role_starts, s.start), bisect_left(role_starts, s.end)
            sa = SentenceActors(ctx, self.actors.find(doc, toks, ents[lo:hi], roles[rlo:rhi]))
            found = self._sentence(doc, si, s, sa, hits, planned, topic)
            drafts.extend(found)
            with_source = [d.source for d in found if d.source is not None]
            topic = with_source[-1] if with_source else (_speaker_before(doc, s, s.end) or topic)
        return self._dedupe(drafts)

    def _dedupe(self, drafts: list[_Draft]) -> list[Event]:
        """One event per (type, source, target) in the article, actors compared by country and
        sector, the state's sectors as one (``USAGOV``, ``USAELI`` and ``USA`` are the United States;
        ``SYRMIL`` is its forces); an event whose source is not named is the event of its type with
        the same target whose source is named, and an act (``material`` in ``types.tsv``) whose
        target is not named is the act of its source with a target.  The first mention stays; the
        others are counted."""
        kept: dict[tuple[str, Party | None, Party | None], int] = {}
        events: list[tuple[_Draft, int]] = []
        for d in drafts:
            k = (d.type, _party(d.source), _party(d.target))
            if k not in kept:  # a nationality adjective (الضربات الروسية) names no sector: any of its country
                k = next((kk for kk in kept if _same_event(kk, k)), k)
            if k in kept:
                d0, n = events[kept[k]]
                events[kept[k]] = (d0, n + 1)
            else:
                kept[k] = len(events)
                events.append((d, 1))
        drop: dict[int, int] = {}  # dropped event -> the event it is part of
        for k, i in kept.items():
            t, src, tgt = k
            policy = self.policies.get(t)
            # an act by someone unnamed is the act another mention names the doer of; an act told
            # again without its target is the act told with one (statements may be made again)
            if src is not None and (tgt is not None or policy is None or not policy.material):
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

    # -- one sentence ----------------------------------------------------------------------------

    def _plan(self, ctx: SentenceContext, hits: list[Hit]) -> list[tuple[Hit, str, str]]:
        """The triggers to code, best first up to _MAX_TRIGGERS, in text order: (hit, modality, type)."""
        ranked = sorted(hits, key=lambda h: -h.trigger.confidence)[:_MAX_TRIGGERS]
        out: list[tuple[Hit, str, str]] = []
        for hit in sorted(ranked, key=lambda h: h.anchor):
            t = hit.trigger
            if t.frame.past_only and t.form.startswith("imp"):
                continue
            modality = self.guards.modality(ctx, hit)
            ptype = self._coded_type(t.type, modality, t.frame.future_only, t.is_verb)
            if ptype is not None:
                out.append((hit, modality, ptype))
        return out

    def _sentence(
        self,
        doc: Document,
        si: int,
        s: Sentence,
        sa: SentenceActors,
        hits: list[Hit],
        planned: list[tuple[Hit, str, str]],
        topic: Mention | None,
    ) -> list[_Draft]:
        toks, ctx = sa.toks, sa.ctx
        by_anchor = {h.anchor: h for h in hits}
        drafts: list[_Draft] = []
        donated: dict[str, str] = {}  # type -> a specific mode from a trigger coded without arguments
        for hit, modality, ptype in planned:
            t = hit.trigger
            if _inside_name(sa, hit) or (t.is_verb and _before_nisba(sa, hit)):
                continue
            args = self.args.find(sa, hit, by_anchor)
            if not args.targets and t.is_verb and t.type in _OPINION_TYPES:
                args = replace(args, targets=self._object_event_agent(sa, hit, hits, by_anchor))
            q = _quote_at(doc.quotes, toks[hit.anchor].start) if doc.quotes else None
            sources = [a.mention for a in args.sources]
            targets = [_as_target(a, t.type) for a in args.targets]
            if not sources and t.frame.actor:  # an operation's name says whose it is (عاصفة الحزم)
                start, end = toks[hit.anchor].start, toks[hit.tokens[-1]].end
                code = t.frame.actor[
                    :3
                ]  # its country: which of its bodies led it, the text may say elsewhere
                sources = [Mention(start, end, doc.text[start:end], actor=code, country=code)]
            if (
                not sources
                and q is not None
                and q.speaker is not None
                and self.guards.first_person_subject(ctx, hit)
            ):
                sources = [_speaker(doc, q.speaker)]
            if not sources and q is None and t.is_verb and _clause_initial(toks, hit):
                here = [d.source for d in drafts if d.source is not None]  # وحضا: the subject so far
                subject = here[-1] if here else _sentence_subject(sa, hit.anchor)
                subject = subject or _speaker_before(doc, s, toks[hit.anchor].start) or topic
                if subject is not None:
                    sources = [subject]
            if not sources and t.is_verb and q is None:
                before = _after_subordinator(sa, hit.anchor, self.args.boundary)
                if before is not None:  # مساعدة اليمن بعدما استنجد بالسعودية
                    sources = [before.mention]
            if not sources and not t.is_verb and modality in (INTENT, FUTURE):
                lead = self.args.clause_subject(sa, hit.anchor)
                if lead is not None:  # أن تبذل بريطانيا مزيدا من الجهود لمساعدة الولايات المتحدة
                    sources = [lead.mention]
            if not sources and not t.is_verb:
                speaker = _attributing_speaker(doc, s, toks[hit.anchor].start, q)
                own = t.frame.predicate or t.frame.accusation or self.guards.own_intention(ctx, hit)
                if speaker is None and q is not None and q.speaker is not None and own:
                    speaker = q.speaker  # أعلن الوزير عزمه زيارة إيران، وجاء في البيان: ... واعدا
                if speaker is not None:
                    sources = [_speaker(doc, speaker)]
            if (
                not sources
                and not t.is_verb
                and t.type not in _EVENT_NOUN_TYPES
                and _governed(toks, hit)
                and not hit.reading.suffix
            ):
                lead = self.args.clause_subject(sa, hit.anchor)
                if lead is not None:  # حرص الوزير على التوجه إلى أبوظبي، قام بزيارة
                    sources = [lead.mention]
            if not sources:
                sources = self._own_country(doc, s, ctx, hit, q, topic)
            if ptype == "CONSULT" and not all(_political(m) for m in sources):
                continue  # a visit is paid by an official or a body, not by travellers
            if ptype == "CONSULT" and any(a.place for a in args.targets):
                home = {_country(m) for m in sources}
                targets = [m for m in targets if _country(m) not in home]  # a meeting in one's own capital
                if not targets:
                    continue
            if not self._enough(ptype, t.frame.requires_actor, sources, targets):
                if ptype == t.type and t.mode:
                    donated.setdefault(ptype, t.mode)
                continue
            drafts.extend(self._drafts(doc, si, s, toks, sa, hit, ptype, args, sources, targets, q, modality))
        if donated:  # بحث أوباما ونظيره خلال اتصال هاتفي: the call says how they met
            drafts = [
                replace(d, mode=donated[d.type]) if d.type in donated and d.mode in (None, "meet") else d
                for d in drafts
            ]
        return _merge_same_type(drafts)

    def _object_event_agent(
        self, sa: SentenceActors, hit: Hit, hits: list[Hit], by_anchor: dict[int, Hit]
    ) -> tuple[Actor, ...]:
        """``دانت ... القصف التركي``: condemning an act targets whoever did it."""
        for other in hits:
            if other.anchor <= hit.tokens[-1] or other.anchor - hit.tokens[-1] > 8 or other.trigger.is_verb:
                continue
            if any(sa.toks[k].text in _STRONG for k in range(hit.tokens[-1] + 1, other.anchor)):
                return ()
            found = self.args.find(sa, other, by_anchor)
            return found.sources
        return ()

    def _own_country(
        self,
        doc: Document,
        s: Sentence,
        ctx: SentenceContext,
        hit: Hit,
        q: Quote | None,
        topic: Mention | None,
    ) -> list[Mention]:
        """``ان بلاده لن تتخلى عن دعم ...``: "his country" is the country of the one speaking."""
        for k in ctx.words_before(hit.anchor, 6):
            if ctx.keys[k] & self.own_country:
                who = _speaker(doc, q.speaker) if q is not None and q.speaker is not None else None
                who = who or _speaker_before(doc, s, ctx.toks[k].start) or topic
                country = _country(who)
                if country:
                    t = ctx.toks[k]
                    return [Mention(t.start, t.end, t.text, actor=country, country=country)]
        return []

    def _coded_type(self, ptype: str, modality: str, future_only: bool, verb: bool = True) -> str | None:
        policy = self.policies.get(ptype)
        if future_only:
            return ptype if modality in (FUTURE, INTENT) else None
        if modality == REAL:
            return ptype
        if policy is None:
            return None
        if modality in (FUTURE, INTENT):
            if not verb and policy.future == "THREATEN":
                return None  # a vow of force is said with a verb (سنشن), not a wished-for act (لمساعدتها في تدمير)
            return policy.future
        if modality == REFUSED:
            return policy.refused
        return None

    def _enough(
        self, ptype: str, requires_actor: bool, sources: list[Mention], targets: list[Mention]
    ) -> bool:
        policy = self.policies.get(ptype)
        needs = policy.needs if policy is not None else "-"
        has_src = any(_actor_key(m) for m in sources)
        has_tgt = any(_actor_key(m) for m in targets)
        if needs in ("target", "both") and not has_tgt:
            return False
        if needs in ("source", "both") and not has_src:
            return False
        return has_src or has_tgt or not (needs == "actor" or requires_actor)

    def _drafts(
        self,
        doc: Document,
        si: int,
        s: Sentence,
        toks: Sequence[Token],
        sa: SentenceActors,
        hit: Hit,
        ptype: str,
        args: Arguments,
        sources: list[Mention],
        targets: list[Mention],
        quote: Quote | None,
        modality: str,
    ) -> list[_Draft]:
        t = hit.trigger
        trigger = _trigger_span(doc, toks, hit)
        mode = t.mode if ptype == t.type else None
        if ptype == t.type and t.cameo in self.retype:  # دعم عسكري، المدعومة جوا وبرا: military help is AID
            new, new_mode, words = self.retype[t.cameo]
            if self._near(sa.ctx, hit, words):
                ptype, mode = new, new_mode
        if mode is None and ptype == t.type:
            mode = self._mode(sa.ctx, hit, ptype)
        cameo = t.cameo if ptype == t.type else _FUTURE_CAMEO.get(ptype)
        used = {a.group for a in args.sources} | {a.group for a in args.targets}
        location = self._location(doc, toks, sa, hit, used, args)
        date = self._date(doc, s, trigger.start, sa)
        conf = t.confidence + (0.1 if any(_actor_key(m) for m in sources) else 0.0)
        conf += 0.05 if any(_actor_key(m) for m in targets) else 0.0
        if quote is not None:
            conf -= 0.1
        if modality != REAL:
            conf -= 0.1
        conf = max(0.05, min(0.95, conf))
        pairs: list[tuple[Mention | None, Mention | None]]
        if args.pair:
            pairs = list(zip(sources, targets, strict=False))
        else:
            no_one: list[Mention | None] = [None]
            pairs = [(src, tgt) for src in (sources or no_one) for tgt in (targets or no_one)]
        if (
            ptype == "ASSAULT"
            and not sources
            and not targets
            and mode is None
            and not self._casualties(sa.ctx)
        ):
            return []  # an attack no one did to no one, with no weapon and no casualty: a word, not a report
        out: list[_Draft] = []
        for src, tgt in pairs:
            if (
                src is not None
                and tgt is not None
                and (src.start == tgt.start or (src.actor and src.actor == tgt.actor and len(src.actor) > 3))
            ):
                continue  # one actor on both sides: a misreading
            ev = _evidence(doc, toks, hit, [a for a in sa.actors if _is(a, src) or _is(a, tgt)])
            out.append(_Draft(ptype, mode, cameo, si, trigger, src, tgt, location, date, conf, ev))
        return out

    def _casualties(self, ctx: SentenceContext) -> bool:
        """Does the sentence count dead or wounded (``قتيلا``، ``مقتل``، ``جرحى``)?"""
        return any(not k.isdisjoint(self.casualty) for k in ctx.keys)

    def _near(self, ctx: SentenceContext, hit: Hit, words: frozenset[str]) -> bool:
        lo, hi = max(0, hit.anchor - 4), min(len(ctx.toks), hit.tokens[-1] + 5)
        return any(ctx.keys[k] & words for k in range(lo, hi))

    def _mode(self, ctx: SentenceContext, hit: Hit, ptype: str) -> str | None:
        toks = ctx.toks
        cues = self.modes.get(ptype)
        if not cues:
            return None
        lo, hi = max(0, hit.anchor - 4), min(len(toks), hit.tokens[-1] + 5)
        keys: set[str] = set()
        for k in range(lo, hi):
            if toks[k].is_word:
                keys |= ctx.keys[k]
        for mode, words in cues:
            if keys & words:
                return mode
        return None

    def _location(
        self,
        doc: Document,
        toks: Sequence[Token],
        sa: SentenceActors,
        hit: Hit,
        used: set[int],
        args: Arguments,
    ) -> Place | None:
        best: tuple[int, Actor] | None = None
        for a in sa.actors:
            if not a.place or a.group in used or not _in_phrase(toks, a):
                continue
            d = a.first - hit.tokens[-1] if a.first > hit.anchor else (hit.anchor - a.last) + 3
            if best is None or d < best[0]:
                best = (d, a)
        if best is None and hit.trigger.type == "CONSULT":
            for a in args.targets:
                if a.place:
                    best = (0, a)
                    break
        if best is None:
            return None
        m = best[1].mention
        lat, lon = self.actors.coordinates(m.kb)
        return Place(m.start, m.end, m.text, m.entity, m.name_en, m.country, lat, lon)

    def _date(self, doc: Document, s: Sentence, at: int, sa: SentenceActors) -> dt.date | None:
        """The resolved day-precise date of the sentence nearest the trigger, or None."""
        if sa.dates is None:
            find = _date_finder()
            sa.dates = find(doc.text, doc.published, s.start, s.end) if find is not None else []
        best: tuple[int, dt.date] | None = None
        for d in sa.dates:
            if d.value is None or d.precision != "day":
                continue
            dist = abs(d.start - at)
            if best is None or dist < best[0]:
                best = (dist, d.value)
        return best[1] if best else None


_EVENT_NOUN_TYPES = frozenset(
    {"ASSAULT", "COERCE", "PROTEST"}
)  # nouns whose agent is not the clause's subject
_GOVERNING = frozenset({"علي", "في", "الي", "من", "عن", "خلال", "اثناء"})
_OPINION_TYPES = frozenset({"ACCUSE", "SUPPORT", "REJECT"})
_STRONG = frozenset(".؛;:!?؟")
_CLAUSE_PUNCT = frozenset('.،,؛;:"»”')
_FUTURE_CAMEO = {"AGREE": "030", "THREATEN": "130", "REJECT": "120"}


def _trigger_span(doc: Document, toks: Sequence[Token], hit: Hit) -> Span:
    """The trigger's words: all of a short pattern (``تتلقى مساعدة``); of a pattern with words between
    its parts, the part that names the event (``قلقها`` of ``اعربت ... عن قلقها``, ``شن`` of ``شن ... غارات``)."""
    first, last = hit.tokens[0], hit.tokens[-1]
    if last - first <= 2:
        return doc.span(toks[first].start, toks[last].end)
    k = last if hit.trigger.type in ("ACCUSE", "SUPPORT", "AGREE", "REQUEST") else first
    return doc.span(toks[k].start, toks[k].end)


def _may_be_uncertain(toks: Sequence[Token], positions: Sequence[int], lex: Lexicon) -> bool:
    """Is some hot word not a trigger key (so it anchors a cue phrase)?"""
    return any(lex.lookup(toks[i].norm) is None for i in positions)


def _in_phrase(toks: Sequence[Token], a: Actor) -> bool:
    """Is a place named as where something happens (``في حلب``، ``في محيط مدينة حلب``، ``بغزة``)?"""
    if a.prep in ("في", "ب"):
        return True
    k, words = a.first - 1, 0
    while k >= 0 and words < 3:
        t = toks[k]
        if t.is_word:
            if t.norm == "في":
                return True
            words += 1
        k -= 1
    return False


def _is(a: Actor, m: Mention | None) -> bool:
    return m is not None and a.mention.start <= m.start < a.mention.end


def _text(doc: Document, toks: Sequence[Token], hit: Hit) -> str:
    return doc.text[toks[hit.anchor].start : toks[hit.tokens[-1]].end]


def _as_target(a: Actor, ptype: str) -> Mention:
    """A visited or attacked city stands for its country (``زيارة الى موسكو`` → RUS)."""
    m = a.mention
    if a.place_only and m.country:
        return replace(m, actor=m.country)
    return m


def _speaker(doc: Document, sp: Mention) -> Mention:
    if sp.actor or sp.entity is None:
        return sp
    for e in doc.entities:
        if e.id == sp.entity:
            return replace(sp, actor=e.actor, country=e.country, kb=e.kb, name_en=e.name_en)
    return sp


def _attributing_speaker(doc: Document, s: Sentence, at: int, q: Quote | None) -> Mention | None:
    """The speaker of a quote whose reporting verb is in this sentence, for a nominal trigger
    outside the quote (``وقال عقب اتصال هاتفي مع أمير قطر «...»``): the one who spoke did it."""
    if q is not None:
        return None
    for quote in doc.quotes:
        cue = quote.cue
        if cue is None or quote.speaker is None or not (s.start <= cue.start < s.end):
            continue
        if not (quote.start <= at < quote.end) and abs(cue.start - at) < 80:
            return quote.speaker
    return None


def _quote_at(quotes: Sequence[Quote], offset: int) -> Quote | None:
    for q in quotes:
        if q.start <= offset < q.end:
            return q
    return None


def _inside_name(sa: SentenceActors, hit: Hit) -> bool:
    """A trigger word inside an organisation's or person's name (``التجمع اليمني للإصلاح``)."""
    a = sa.covering.get(hit.anchor)
    return a is not None and a.entity_type in ("ORG", "PER", "LOC") and not hit.trigger.frame.actor


def _before_nisba(sa: SentenceActors, hit: Hit) -> bool:
    """Is the "verb" a noun that an indefinite nationality adjective follows (``طالب سعودي``:
    a Saudi student, not "demanded")?"""
    a = sa.starting.get(hit.tokens[-1] + 1)
    return a is not None and a.entity_type == "ADJ" and not sa.toks[a.first].norm.startswith("ال")


def _clause_initial(toks: Sequence[Token], hit: Hit) -> bool:
    """Does the verb open its sentence or a clause of its own (``وشدد على ...``، ``... " وحضا``),
    so that its subject is the one of the clause before?"""
    if hit.reading.conj:
        return True
    k = hit.anchor - 1
    while k >= 0 and not toks[k].is_word:
        if toks[k].text in _CLAUSE_PUNCT:
            return True
        k -= 1
    return k < 0


def _speaker_before(doc: Document, s: Sentence, at: int) -> Mention | None:
    """The speaker of the last quote whose reporting verb stands in this sentence before ``at``."""
    best: tuple[int, Mention] | None = None
    for q in doc.quotes:
        cue, speaker = q.cue, q.speaker
        if (
            cue is not None
            and speaker is not None
            and s.start <= cue.start < at
            and (best is None or cue.start > best[0])
        ):
            best = (cue.start, speaker)
    return _speaker(doc, best[1]) if best is not None else None


def _evidence(doc: Document, toks: Sequence[Token], hit: Hit, args: Sequence[Actor]) -> Span:
    """At most EVIDENCE_WORDS consecutive words covering the trigger and as much of its arguments."""
    words = [k for k, t in enumerate(toks) if t.is_word]
    if not words:
        return doc.span(toks[hit.anchor].start, toks[hit.tokens[-1]].end)
    pos = {k: n for n, k in enumerate(words)}

    def wpos(k: int) -> int:
        while k not in pos and k > 0:
            k -= 1
        return pos.get(k, 0)

    t0, t1 = wpos(hit.anchor), wpos(hit.tokens[-1])
    lo, hi = t0, t1
    for a in args:
        lo, hi = min(lo, wpos(a.first)), max(hi, wpos(a.last))
    while hi - lo + 1 > EVIDENCE_WORDS:
        if (t0 - lo) > (hi - t1):
            lo += 1
        else:
            hi -= 1
    lo, hi = min(lo, t0), max(hi, min(t1, lo + EVIDENCE_WORDS - 1))
    return doc.span(toks[words[lo]].start, toks[words[hi]].end)


def _merge_same_type(drafts: list[_Draft]) -> list[_Draft]:
    """Within a sentence, events of one type between the same countries are one event (the first),
    and one whose arguments another of the type covers is that one."""
    unique: list[_Draft] = []
    pairs: set[tuple[str, str | None, str | None]] = set()
    for d in drafts:
        pair = (d.type, _country(d.source), _country(d.target))
        if pair not in pairs:
            pairs.add(pair)
            unique.append(d)
    drafts = _complete(unique)
    out: list[_Draft] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for d in drafts:
        pair = (d.type, _country(d.source), _country(d.target))
        if pair in seen:
            continue
        covered = False
        for o in drafts:
            if o is d or o.type != d.type:
                continue
            ks, kt = _country(d.source), _country(d.target)
            os_, ot = _country(o.source), _country(o.target)
            if (ks is None or ks == os_) and (kt is None or kt == ot) and (ks, kt) != (os_, ot):
                covered = True
                break
        if not covered:
            seen.add(pair)
            out.append(d)
    return out


def _complete(drafts: list[_Draft]) -> list[_Draft]:
    """One event of a type with only a source and one with only a target, in one sentence, are one
    event (``تبنى الحزب هجوما ... أدى إلى مقتل جنديين تركيين``)."""
    by_type: dict[str, list[_Draft]] = {}
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


def _political(m: Mention) -> bool:
    """An actor with a sector (``USAGOV``, ``IGOUNO``) or a named entity: not a bare nationality."""
    return bool(m.entity) or (m.actor is not None and len(m.actor) > 3)


def _governed(toks: Sequence[Token], hit: Hit) -> bool:
    """Is the noun the object of a preposition (``على التوجه``، ``بزيارة``، ``في مؤتمر``)?"""
    if hit.reading.prep:
        return True
    k = hit.anchor - 1
    return k >= 0 and toks[k].is_word and toks[k].norm in _GOVERNING


def _after_subordinator(sa: SentenceActors, v: int, subordinators: frozenset[str]) -> Actor | None:
    """A verb right after بعدما/عندما/حيث without a subject of its own: the actor just before."""
    toks = sa.toks
    k = v - 1
    if (
        k < 0
        or not toks[k].is_word
        or toks[k].norm not in subordinators
        or toks[k].norm in ("ان", "الذي", "التي")
    ):
        return None
    for j in range(k - 1, max(-1, k - 5), -1):
        a = sa.covering.get(j)
        if a is not None:
            return a if not a.place_only and a.entity_type != "ADJ" else None
        if toks[j].text in _STRONG:
            return None
    return None


def _sentence_subject(sa: SentenceActors, before: int) -> Mention | None:
    """The first actor of the sentence not governed by a preposition, before token ``before``:
    the subject a later verb without its own subject shares (``وغيرت تركيا ... وشنت غارات``)."""
    for a in sa.actors:
        if a.first >= before:
            return None
        if a.prep is None and not a.place_only and a.entity_type != "ADJ":
            return a.mention
    return None


Party = tuple[str | None, str]
_STATE_SECTORS = frozenset({"", "GOV", "ELI"})


def _party(m: Mention | None) -> Party | None:
    """An actor as (country, sector), the state's own sectors (government, former leaders) as one."""
    if m is None:
        return None
    if not m.actor:
        return (m.country, "*") if m.country else None
    if m.entity is None and m.kb is None and m.actor == m.country:
        return (m.country, "*")  # from a nationality adjective: the sector is not said
    sector = m.actor[3:6]
    return (m.actor[:3], "" if sector in _STATE_SECTORS else sector)


def _same_event(a: tuple[str, Party | None, Party | None], b: tuple[str, Party | None, Party | None]) -> bool:
    """Do two keys name the same event, a side with an unknown sector ("*") matching any sector?"""
    if a[0] != b[0]:
        return False
    for x, y in ((a[1], b[1]), (a[2], b[2])):
        if x == y:
            continue
        if x is None or y is None or x[0] != y[0] or (x[1] != "*" and y[1] != "*"):
            return False
    return True


def _country(m: Mention | None) -> str | None:
    if m is None:
        return None
    return m.actor[:3] if m.actor else m.country
