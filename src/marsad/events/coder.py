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
from dataclasses import replace
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Any

from marsad.document import Document, Event, Mention, Place, Quote, Sentence, Span, Token

from .actors import Actor, ActorFinder
from .arguments import ArgumentFinder, Arguments, SentenceActors
from .discourse import (
    after_subordinator,
    as_target,
    attributing_speaker,
    before_nisba,
    clause_initial,
    governed,
    inside_name,
    quote_at,
    sentence_subject,
    speaker_before,
    speaker_of,
)
from .guards import FUTURE, INTENT, REAL, REFUSED, Guards, SentenceContext
from .lexicon import Lexicon
from .match import Hit, find_triggers
from .merge import Draft, actor_key, country, dedupe, merge_sentence, political

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
        drafts: list[Draft] = []
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
                topic = speaker_before(doc, s, s.end) or topic
                continue
            at = self.guards.uncertain_at(ctx)
            if at is not None:  # "I am not in a position to confirm": nothing here, nor before it
                if at <= 3 and si > 0:
                    drafts = [d for d in drafts if d.sentence != si - 1]
                continue
            planned = self._plan(ctx, hits)
            if not planned:  # nothing here is reported as having happened: no need for its actors
                topic = speaker_before(doc, s, s.end) or topic
                continue
            lo, hi = bisect_left(ent_starts, s.start), bisect_left(ent_starts, s.end)
            rlo, rhi = bisect_left(role_starts, s.start), bisect_left(role_starts, s.end)
            sa = SentenceActors(ctx, self.actors.find(doc, toks, ents[lo:hi], roles[rlo:rhi]))
            found = self._sentence(doc, si, s, sa, hits, planned, topic)
            drafts.extend(found)
            with_source = [d.source for d in found if d.source is not None]
            topic = with_source[-1] if with_source else (speaker_before(doc, s, s.end) or topic)
        return self._dedupe(drafts)

    def _dedupe(self, drafts: list[Draft]) -> list[Event]:
        return dedupe(drafts, {t: p.material for t, p in self.policies.items()})

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
    ) -> list[Draft]:
        toks, ctx = sa.toks, sa.ctx
        by_anchor = {h.anchor: h for h in hits}
        drafts: list[Draft] = []
        donated: dict[str, str] = {}  # type -> a specific mode from a trigger coded without arguments
        for hit, modality, ptype in planned:
            t = hit.trigger
            if inside_name(sa, hit) or (t.is_verb and before_nisba(sa, hit)):
                continue
            args = self.args.find(sa, hit, by_anchor)
            if not args.targets and t.is_verb and t.type in _OPINION_TYPES:
                args = replace(args, targets=self._object_event_agent(sa, hit, hits, by_anchor))
            q = quote_at(doc.quotes, toks[hit.anchor].start) if doc.quotes else None
            sources = [a.mention for a in args.sources]
            targets = [as_target(a, t.type) for a in args.targets]
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
                sources = [speaker_of(doc, q.speaker)]
            if not sources and q is None and t.is_verb and clause_initial(toks, hit):
                here = [d.source for d in drafts if d.source is not None]  # وحضا: the subject so far
                subject = here[-1] if here else sentence_subject(sa, hit.anchor)
                subject = subject or speaker_before(doc, s, toks[hit.anchor].start) or topic
                if subject is not None:
                    sources = [subject]
            if not sources and t.is_verb and q is None:
                before = after_subordinator(sa, hit.anchor, self.args.boundary)
                if before is not None:  # مساعدة اليمن بعدما استنجد بالسعودية
                    sources = [before.mention]
            if not sources and not t.is_verb and modality in (INTENT, FUTURE):
                lead = self.args.clause_subject(sa, hit.anchor)
                if lead is not None:  # أن تبذل بريطانيا مزيدا من الجهود لمساعدة الولايات المتحدة
                    sources = [lead.mention]
            if not sources and not t.is_verb:
                speaker = attributing_speaker(doc, s, toks[hit.anchor].start, q)
                own = t.frame.predicate or t.frame.accusation or self.guards.own_intention(ctx, hit)
                if speaker is None and q is not None and q.speaker is not None and own:
                    speaker = q.speaker  # أعلن الوزير عزمه زيارة إيران، وجاء في البيان: ... واعدا
                if speaker is not None:
                    sources = [speaker_of(doc, speaker)]
            if (
                not sources
                and not t.is_verb
                and t.type not in _EVENT_NOUN_TYPES
                and governed(toks, hit)
                and not hit.reading.suffix
            ):
                lead = self.args.clause_subject(sa, hit.anchor)
                if lead is not None:  # حرص الوزير على التوجه إلى أبوظبي، قام بزيارة
                    sources = [lead.mention]
            if (
                not sources
                and not t.is_verb
                and t.type in _OPINION_TYPES
                and (
                    hit.reading.suffix in _THIRD_PERSON
                    or toks[hit.anchor].text.endswith(tuple(_THIRD_PERSON))  # تأييده, listed as a form
                )
                and not governed(toks, hit)
                and not hit.reading.conj  # مساندة اليمن ودعمه: the pronoun may be the object before
            ):
                lead = self.args.clause_subject(sa, hit.anchor)
                if lead is not None:  # أكد شتاينماير تفهمه: "his" is the subject's
                    sources = [lead.mention]
            if not sources:
                sources = self._own_country(doc, s, ctx, hit, q, topic)
            if ptype == "CONSULT" and not all(political(m) for m in sources):
                continue  # a visit is paid by an official or a body, not by travellers
            if ptype == "CONSULT" and any(a.place for a in args.targets):
                home = {country(m) for m in sources}
                targets = [m for m in targets if country(m) not in home]  # a meeting in one's own capital
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
        return merge_sentence(drafts)

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
                who = speaker_of(doc, q.speaker) if q is not None and q.speaker is not None else None
                who = who or speaker_before(doc, s, ctx.toks[k].start) or topic
                iso = country(who)
                if iso:
                    t = ctx.toks[k]
                    return [Mention(t.start, t.end, t.text, actor=iso, country=iso)]
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
        has_src = any(actor_key(m) for m in sources)
        has_tgt = any(actor_key(m) for m in targets)
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
    ) -> list[Draft]:
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
        conf = t.confidence + (0.1 if any(actor_key(m) for m in sources) else 0.0)
        conf += 0.05 if any(actor_key(m) for m in targets) else 0.0
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
        out: list[Draft] = []
        for src, tgt in pairs:
            if (
                src is not None
                and tgt is not None
                and (src.start == tgt.start or (src.actor and src.actor == tgt.actor and len(src.actor) > 3))
            ):
                continue  # one actor on both sides: a misreading
            ev = _evidence(doc, toks, hit, [a for a in sa.actors if _is(a, src) or _is(a, tgt)])
            out.append(Draft(ptype, mode, cameo, si, trigger, src, tgt, location, date, conf, ev))
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
_OPINION_TYPES = frozenset({"ACCUSE", "SUPPORT", "REJECT"})
_THIRD_PERSON = frozenset({"ه", "ها", "هم", "هما"})  # enclitic pronouns of the one spoken about
_STRONG = frozenset(".؛;:!?؟")
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
