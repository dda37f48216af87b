"""Quotes: direct (in quotation marks) and reported (``قال إن ...``), each with its speaker.

Sentence by sentence, every reporting cue (``data/cues.tsv``) outside a quotation is read as:

* a speaker — the subject after the cue, or right before it (``ان كيري اعرب``); when the
  sentence names none there: the subject of the clause the cue is reported in (``قال المتحدث ان
  كيري اجرى مكالمة ... ابلغه ان`` → Kerry), else the speaker of the cue before it in the sentence,
  else the sentence's first named person, else the previous speaker of the article;
* a content — after a complementiser (``إن``، ``أن``), the cue's preposition (``أشار إلى أن``،
  ``شدد على``), a colon, a quotation, or directly its object (``أعلن تأجيل الزيارة``); for "according
  to" cues (``بحسب``، ``وفق ما أفادت``) the clause before the cue.  The content runs to the next
  cue or the end of the sentence, or to the end of a quotation that goes on past it.

Quotations in the content are direct quotes; text before them is reported speech when it says
something on its own (four words or more); a quotation inside a clause that goes on after it
is part of reported speech.  Quotations of three words or fewer are scare quotes, never quotes.
When a clause reports another attribution (A said that B told C "..."), only the inner one is
a quote, and A stays the speaker carried over to the next ``وأضاف``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from marsad.document import Document, Quote, Sentence, Span
from marsad.text.normalize import match_form

from .lexicon import Cue, Lexicon, packaged_lexicon
from .marks import Quoted, find_quoted
from .speakers import Context, Speaker

__all__ = ["SCARE_WORDS", "QuoteFinder"]

#: A quotation of this many words or fewer is a scare quote.
SCARE_WORDS = 3
# Reported content needs at least this many words; text before a quotation, this many more.
_MIN_REPORTED = 3
_MIN_LEAD = 4
# How far after a cue (and its subject) the content may open.
_OPEN_REACH = 20
_PREP_REACH = 8
_OBJ_PEEK = 8
# The subject of a sentence's first verb sits within its first words.
_TOPIC_REACH = 6


@dataclass(slots=True)
class _Attribution:
    first: int  # the cue's tokens
    last: int
    strip: int
    cue: Cue
    speaker: Speaker | None
    how: str
    mode: str = ""
    start: int = 0  # content tokens [start, end)
    end: int = 0
    dropped: bool = False
    nested: bool = False
    parts: list[int] = field(default_factory=list)


class QuoteFinder:
    """Finds the quotes of a document whose tokens, sentences, entities and links are known."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lex = lexicon or packaged_lexicon()

    def find(self, doc: Document) -> tuple[Quote, ...]:
        ctx = Context(doc, self.lex)
        run = _Run(self.lex, ctx, doc)
        return run.quotes()


class _Run:
    def __init__(self, lex: Lexicon, ctx: Context, doc: Document):
        self.lex = lex
        self.ctx = ctx
        self.doc = doc
        toks = doc.tokens
        n = len(toks)
        quoted = find_quoted(doc.text, toks, doc.paragraphs)
        self.real: list[Quoted] = []
        for q in _outermost(quoted):
            a, b = ctx.token_range(q.start, q.end)
            words = sum(1 for k in range(a, b + 1) if ctx.is_word(k))
            if words > SCARE_WORDS:
                self.real.append(q)
        self.inside = [-1] * n  # the real quotation a token sits in
        self.opens: dict[int, int] = {}  # token of an opening mark → quotation
        for qi, q in enumerate(self.real):
            a, b = ctx.token_range(q.open, q.close)
            self.opens[a] = qi
            for k in range(a + 1, min(b + 1, n)):
                if toks[k].start >= q.start and toks[k].end <= q.end:
                    self.inside[k] = qi
        self.covered = [False] * n  # tokens inside an entity: no cue there
        for x, y in ctx.ent_span.values():
            for k in range(x, min(y + 1, n)):
                self.covered[k] = True
        self.history: list[Speaker] = []
        # the person a sentence without attribution was about: the subject of the next ``وقال``
        # the openings of sentences since the last attribution: the latest person named there is the
        # subject of a following ``وقال`` (read only when needed)
        self.topics: list[tuple[int, int]] = []
        self.claimed: set[int] = set()
        self.out: list[tuple[int, int, bool, Span | None, Speaker | None]] = []

    # cues -------------------------------------------------------------------------------------

    def cues(self, a: int, b: int) -> list[tuple[int, int, int, Cue]]:
        ctx, lex = self.ctx, self.lex
        found: list[tuple[int, int, int, Cue]] = []
        k = a
        covered, inside, norms = self.covered, self.inside, ctx.norms
        may, seen = lex.may_cue, lex._may
        while k < b:
            w = norms[k]
            hit_maybe = seen.get(w)
            if not (hit_maybe if hit_maybe is not None else may(w)) or inside[k] != -1 or covered[k]:
                k += 1
                continue
            hit = lex.cue_at(ctx.norms, ctx.texts, k)
            if hit is None:
                k += 1
                continue
            n, strip, cue = hit
            if (
                k > a
                and cue.kind in ("verb", "relay")
                and (
                    ctx.word(k - 1, "neg")
                    or ctx.word(k - 1, "subj")
                    or (
                        ctx.word(k - 1, "rel") and _agrees(ctx, k - 1, k) and ctx.person_before(k - 1) is None
                    )
                )
            ):
                if ctx.word(k - 1, "neg"):
                    found.append((k - 1, n + 1, 0, _BOUNDARY))  # ولم يذكر: no attribution, but a new clause
                k += n
                continue
            if cue.kind == "according":
                # بحسب ما أفادت / وفق ما أعلنه / على ما أعلنته: the verb belongs to the cue
                j = k + n
                if j < b and ctx.norms[j] == "ما":
                    j += 1
                nxt = lex.cue_at(ctx.norms, ctx.texts, j) if j < b and ctx.is_word(j) else None
                if nxt is not None and nxt[2].kind == "verb":
                    n = j + nxt[0] - k
                elif cue.lemma == "على ما":
                    k += n
                    continue
            found.append((k, n, strip, cue))
            k += n
        return found

    # the document --------------------------------------------------------------------------------

    def quotes(self) -> tuple[Quote, ...]:
        doc = self.doc
        sentences: Sequence[Sentence] = doc.sentences or (
            Sentence(0, len(doc.text), doc.text, 0, len(doc.tokens)),
        )
        for s in sentences:
            self.sentence(s.first_token, s.last_token)
        self.said_after()
        self.out.sort(key=lambda q: q[0])
        quotes: list[Quote] = []
        text = doc.text
        for n, (start, end, direct, cue, sp) in enumerate(self.out, 1):
            quotes.append(
                Quote(
                    id=f"q{n}",
                    start=start,
                    end=end,
                    text=text[start:end],
                    direct=direct,
                    cue=cue,
                    speaker=sp.mention if sp is not None else None,
                )
            )
        return tuple(quotes)

    def sentence(self, a: int, b: int) -> None:
        ctx = self.ctx
        cues = [
            c
            for c in self.cues(a, b)
            if c[3].kind not in ("according", "quoting")
            or _source(ctx.subject_after(_after_an(ctx, c[0] + c[1], b), b, (), describe=False)) is not None
        ]
        if not cues:
            self.topics.append((a, min(b, a + _TOPIC_REACH)))
            return
        attrs: list[_Attribution] = []
        for idx, (i, n, strip, cue) in enumerate(cues):
            nxt = cues[idx + 1][0] if idx + 1 < len(cues) else b
            if cue.kind in ("impersonal", "boundary"):
                continue
            at = self.attribute(i, n, strip, cue, a, nxt, b, attrs)
            if at is None:
                if attrs and attrs[-1].end == i and attrs[-1].mode != "before":
                    attrs[-1].end = nxt  # not an attribution after all: the clause before goes on
                continue
            attrs.append(at)
            if at.speaker is not None and not at.nested:
                self.history.append(at.speaker)
                self.topics.clear()
        for at in attrs:
            if not at.dropped:
                self.emit(at, b)

    def said_after(self) -> None:
        """A quotation no cue before it claimed, followed by one: «...»، قال المتحدث."""
        ctx = self.ctx
        n = len(ctx.toks)
        for qi, q in enumerate(self.real):
            if qi in self.claimed:
                continue
            _, k = ctx.token_range(q.close - 1, q.close)
            k += 1
            while k < n and not ctx.is_word(k) and not ctx.is_quote_mark(k) and ctx.texts[k] not in ".!?؟":
                k += 1
            if k >= n or not ctx.is_word(k):
                continue
            hit = self.lex.cue_at(ctx.norms, ctx.texts, k)
            if hit is None or hit[2].kind not in ("verb", "participle"):
                continue
            size, strip, cue = hit
            s = ctx.doc.sentence_at(ctx.toks[k].start)
            stop = ctx.doc.sentences[s].last_token if s is not None else n
            sp = ctx.subject_after(k + size, stop, self.history, describe=False)
            if sp is None and self.history:
                sp = Speaker(self.history[-1].mention, named=False)
            at = _Attribution(k, k + size - 1, strip, cue, sp, "after")
            self._direct(qi, self._cue_span(at), sp)

    # one cue -------------------------------------------------------------------------------------

    def attribute(
        self, i: int, n: int, strip: int, cue: Cue, a: int, nxt: int, b: int, attrs: list[_Attribution]
    ) -> _Attribution | None:
        ctx = self.ctx
        j = i + n
        prev = attrs[-1] if attrs else None
        if cue.kind == "quoting":
            return self.quoting(i, n, strip, cue, a, nxt, prev)
        if cue.kind == "according":
            subject = _source(ctx.subject_after(j, nxt, self.history, describe=False))
            return self.according(i, n, strip, cue, a, nxt, subject, prev)
        sp: Speaker | None = None
        how = "after"
        k0 = j
        if cue.kind == "relay":
            relayed = self.relayed(j, nxt)
            if relayed is None:
                return None
            sp, k0 = relayed
        elif cue.kind == "verb":
            sp = ctx.subject_after(j, nxt, self.history)
            if sp is not None and _masculine(ctx.norms[i], cue) and ctx.feminine_body(sp):
                sp = None  # وطالب وزارة التجارة بـ: the ministry is asked, not asking
            if sp is None and i > a and ctx.word(i - 1, "rel"):
                sp = ctx.person_before(i - 1)  # الأصبحي، الذي أضاف أنه: who added that
            if sp is None and i > a and ctx.norms[i - 1] == "ما":
                return None  # ما يشير إلى: "which indicates", no speaker
            if i > a and ctx.norms[i - 1] in ("كما", "وكما"):
                # كما أعلنت واشنطن / وكما يردد الإيرانيون: "as X says", about the clause before
                subject = sp or ctx.noun_phrase(j, nxt)
                if subject is not None and self.content(cue, subject.last + 1, nxt) is None:
                    return self.according(i, n, strip, cue, a, nxt, subject, prev, before_only=True)
            if sp is None and strip == 0:
                sp = ctx.subject_before(i, a)
                how = "before"
            elif sp is not None:
                k0 = sp.last + 1
        if sp is None:
            sp, how = self.omitted(i, a, prev, cue.kind == "verb", strip)
        opened = self.content(cue, k0, nxt)
        if opened is None:
            return None
        mode, start = opened
        at = _Attribution(i, i + n - 1, strip, cue, sp, how, mode, start, nxt)
        if (
            prev is not None
            and sp is not None
            and how in ("before", "embedded")
            and prev.start <= sp.first < prev.end
        ):
            # A says that B told C "...": B's quotation is the quote, A stays the speaker carried on.
            # A says that B thinks ... (no quotation): it is all A's reported speech.
            if mode not in ("direct", "colon") and not any(start <= k < nxt for k in self.opens):
                prev.end = nxt
                return None
            prev.dropped = True
            at.nested = True
        return at

    def relayed(self, j: int, nxt: int) -> tuple[Speaker | None, int] | None:
        """``نقلت الوكالة عن المسؤول القول إن``: the speaker after عن (``عنها`` → the previous one).

        With a complementiser first (نقلت وكالة الأناضول أن) the relayer reports it; with neither the
        verb passes something on (نقلتها وكالة إرنا): no attribution, None.
        """
        ctx = self.ctx
        relayer = ctx.subject_after(j, nxt, self.history)
        k = relayer.last + 1 if relayer is not None else j
        for x in range(j, min(nxt, k + _PREP_REACH)):
            n = ctx.norms[x]
            if ctx.word(x, "comp") and relayer is not None:
                return relayer, k  # نقلت الوكالة أن ...: the agency reports it
            if n == "عن":
                sp = ctx.subject_after(x + 1, nxt, self.history) or ctx.bare_name(x + 1, nxt)
                if sp is not None:
                    after = sp.last + 1
                    if after < nxt and self.lex.cue_at(ctx.norms, ctx.texts, after) is not None:
                        after += 1  # القول
                    return sp, after
            if n in ("عنه", "عنها", "عنهم"):
                prev = self.history[-1] if self.history else None
                sp = Speaker(prev.mention, x, x, named=False) if prev is not None else None
                named = ctx.subject_after(x + 1, nxt, self.history)  # the relayer named after عنها
                return sp, (named.last + 1 if named is not None else x + 1)
        return None

    def quoting(
        self, i: int, n: int, strip: int, cue: Cue, a: int, nxt: int, prev: _Attribution | None
    ) -> _Attribution | None:
        """``نقلا عن شهود``: the speaker after عن; it replaces the speaker of the cue just before."""
        ctx = self.ctx
        j = i + n
        if j < nxt and ctx.norms[j] == "عن":
            j += 1
        sp = _source(ctx.subject_after(j, nxt, self.history, describe=False))
        if sp is None:
            return None
        if prev is not None and prev.speaker is not None and prev.speaker.last + 1 >= i - 1:
            prev.speaker = sp
            if self.history and not prev.nested:
                self.history[-1] = sp
            return None
        return self.according(i, n, strip, cue, a, nxt, sp, prev)

    def according(
        self,
        i: int,
        n: int,
        strip: int,
        cue: Cue,
        a: int,
        nxt: int,
        sp: Speaker | None,
        prev: _Attribution | None,
        before_only: bool = False,
    ) -> _Attribution | None:
        """ "According to X": the content is the clause before the cue, or after it at a sentence's head
        (not for ``كما قال``: "as X said" refers back only)."""
        ctx = self.ctx
        if sp is None:
            return None
        floor = prev.end if prev is not None and prev.end <= i else a
        if prev is not None and prev.mode == "before":
            floor = max(floor, prev.last + 1)
        words = sum(1 for k in range(floor, i) if ctx.is_word(k) and not ctx.word(k, "link"))
        if words >= _MIN_REPORTED:
            return _Attribution(i, i + n - 1, strip, cue, sp, "after", "before", floor, i)
        if before_only:
            return None
        k = sp.last + 1
        while k < nxt and (
            ctx.is_comma(k) or ctx.word(k, "comp") or ctx.norms[k] in ("فان", "فإن") or ctx.qualifies(k)
        ):
            k += 1  # وبحسب وكالة دوغان التركية، نشرت ...
        return _Attribution(i, i + n - 1, strip, cue, sp, "after", "after", k, nxt)

    def omitted(
        self, i: int, a: int, prev: _Attribution | None, verb: bool, strip: int = 0
    ) -> tuple[Speaker | None, str]:
        """The speaker of a cue whose sentence does not name one right there."""
        ctx = self.ctx
        if (
            verb
            and strip == 0
            and prev is not None
            and prev.end == i
            and prev.mode in ("that", "prep", "obj")
        ):
            sp = ctx.subject_after(prev.start, i, self.history)
            if sp is not None and sp.named and sp.first == prev.start and sp.mention.entity is not None:
                return sp, "embedded"
        if prev is not None and prev.speaker is not None and prev.mode != "before":
            return prev.speaker, "previous"
        sp = ctx.first_person(a, i, head_org=not verb)
        if sp is not None:
            return sp, "sentence"
        for x, y in reversed(self.topics):
            topic = ctx.first_person(x, y)
            if topic is not None:
                return Speaker(topic.mention, named=False), "topic"
        if self.history:
            return Speaker(self.history[-1].mention, named=False), "carry"
        return None, "none"

    def content(self, cue: Cue, k0: int, limit: int) -> tuple[str, int] | None:
        """How the content opens after token ``k0``, and its first token; None when it does not."""
        ctx = self.ctx
        end = min(limit, k0 + _OPEN_REACH)
        first = True
        k = k0
        while k < end:
            t = ctx.texts[k]
            nrm = ctx.norms[k]
            if k in self.opens:
                return "direct", k
            if t == ":":
                return "colon", (k + 2 if k + 1 < limit and ctx.word(k + 1, "comp") else k + 1)
            if cue.that and ctx.word(k, "comp") and not (k > 0 and ctx.word(k - 1, "subord")):
                return "that", k + 1
            if k - k0 <= _PREP_REACH:
                for p in cue.preps:
                    if nrm == p or (len(nrm) > len(p) + 1 and nrm[1:] == p and nrm[0] in "وف"):
                        start = k + 1
                        if start < limit and ctx.word(start, "comp"):
                            start += 1
                        return "prep", start
                    if p == "ب" and nrm.startswith("ب") and len(nrm) > 3 and not ctx.word(k, "adverbial"):
                        if ctx.word(k, "comp"):
                            return "that", k + 1
                        return "prep", k
            role = ctx.role_first.get(k)
            if first and role is not None and role[0].start == ctx.starts[k]:
                k = role[1] + 1  # the speaker's titles: خالد الفيصل «مستشار» خادم الحرمين «أمير» منطقة مكة
                continue
            e = ctx.ent_first.get(k)
            if first and e is not None and (e.type == "PER" or (e.start > ctx.starts[k] and nrm[:1] == "ل")):
                # وزير الخارجية النمساوي، سباستيان كورتس، عزمه / أكد مصدر لوكالة الصحافة الفرنسية «...»
                k = ctx.ent_span[e.id][1] + 1
                continue
            if first and cue.obj and ctx.is_word(k) and not ctx.lex.word(nrm) & _NOT_OBJECT:
                for x in range(k + 1, min(end, k + _OBJ_PEEK)):
                    if cue.that and ctx.word(x, "comp") and not ctx.word(x - 1, "subord"):
                        return "that", x + 1
                    if x <= k + 2 and ctx.norms[x] in cue.preps:  # أعلنت شركة أديداس عن تجديد
                        start = x + 1
                        return "prep", (start + 1 if start < limit and ctx.word(start, "comp") else start)
                return "obj", k
            if ctx.is_word(k) and ctx.word(k, "skip") or ctx.is_comma(k) or ctx.title(k):
                k += 1
                continue
            first = False
            k += 1
        return None

    # quotes out ------------------------------------------------------------------------------------

    def emit(self, at: _Attribution, b: int) -> None:
        ctx = self.ctx
        start, end = at.start, at.end
        if start >= end:
            return
        parts = [qi for k, qi in sorted(self.opens.items()) if start <= k < end]
        cue = self._cue_span(at)
        if at.mode in ("direct", "colon") and parts:
            for qi in parts:
                self._direct(qi, cue, at.speaker)
            return
        if not parts:
            self._reported(start, end, cue, at.speaker)
            return
        q = self.real[parts[0]]
        qa, _ = ctx.token_range(q.open, q.open + 1)
        lead = sum(1 for k in range(start, qa) if ctx.is_word(k) and not ctx.word(k, "comp"))
        last = self.real[parts[-1]]
        _, qb = ctx.token_range(last.close - 1, last.close)
        tail = sum(1 for k in range(qb + 1, end) if ctx.is_word(k))
        if tail >= _MIN_REPORTED and last.close <= ctx.toks[end - 1].end:
            self._reported(start, end, cue, at.speaker)
            self.claimed.update(parts)
            return
        if lead >= _MIN_LEAD:
            self._reported(start, qa, cue, at.speaker)
        for qi in parts:
            self._direct(qi, cue, at.speaker)

    def _cue_span(self, at: _Attribution) -> Span:
        toks = self.ctx.toks
        first = toks[at.first]
        start = first.start + at.strip
        return self.doc.span(start, toks[at.last].end)

    def _direct(self, qi: int, cue: Span, sp: Speaker | None) -> None:
        if qi in self.claimed:
            return
        self.claimed.add(qi)
        q = self.real[qi]
        self.out.append((q.start, q.end, True, cue, sp))

    def _reported(self, a: int, b: int, cue: Span, sp: Speaker | None) -> None:
        ctx = self.ctx
        while (
            b > a
            and not ctx.is_quote_mark(b - 1)
            and (not ctx.is_word(b - 1) or ctx.lex.word(ctx.norms[b - 1]) & _TRAILING)
        ):
            b -= 1
        while a < b and not ctx.is_word(a) and not ctx.is_quote_mark(a):
            a += 1
        if sum(1 for k in range(a, b) if ctx.is_word(k)) < _MIN_REPORTED:
            return
        toks = ctx.toks
        self.out.append((toks[a].start, toks[b - 1].end, False, cue, sp))


_TRAILING = frozenset({"link", "neg", "subj", "comp", "rel"})
_NOT_OBJECT = frozenset({"adverbial", "skip", "comp", "neg", "rel", "link", "subord"})


def _masculine(norm: str, cue: Cue) -> bool:
    """Whether a reporting verb's form is masculine singular (قال، يقول; not قالت، تقول، قالوا)."""
    lemma = match_form(cue.lemma)
    form = norm[1:] if norm[:1] in "وف" and norm[1:2] == lemma[:1] else norm
    return form == lemma or (form.startswith("ي") and not form.endswith(("ون", "ان")))


def _source(sp: Speaker | None) -> Speaker | None:
    """A speaker fit to be a source "according to" whom: linked, or an anonymous source or a name.

    ``وفق القضاء المستقل`` ("in accordance with the independent judiciary") names none.
    """
    if sp is None:
        return None
    m = sp.mention
    return sp if (m.entity or m.actor or m.kb or m.name_en or sp.from_source) else None


def _after_an(ctx: Context, k: int, b: int) -> int:
    """Past the عن of ``نقلا عن``."""
    return k + 1 if k < b and ctx.norms[k] == "عن" else k


_BOUNDARY = Cue(lemma="", kind="boundary")
_MASCULINE_REL = frozenset({"الذي", "الذين", "اللذان", "اللذين"})


def _agrees(ctx: Context, rel: int, verb: int) -> bool:
    """Whether a verb after a relative pronoun agrees with it in gender (so the relative is its subject).

    ``التقارير التي تفيد``: it does, the reports say it; ``الهجوم الذي قالت إنه``: it does not,
    someone else (the sources) said it.
    """
    v = ctx.norms[verb]
    if v[:1] in "وف" and len(v) > 3:
        v = v[1:]
    feminine_verb = v.endswith("ت") or v.startswith("ت")
    masculine_rel = ctx.norms[rel] in _MASCULINE_REL
    return feminine_verb != masculine_rel


def _outermost(quoted: list[Quoted]) -> list[Quoted]:
    out: list[Quoted] = []
    for q in quoted:
        if out and q.open >= out[-1].open and q.close <= out[-1].close:
            continue
        out.append(q)
    return out
