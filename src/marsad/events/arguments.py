"""Who did it and to whom: the source and target of a trigger, from word order and prepositions.

No parse: the sentence's actors (:mod:`.actors`) and a few positional rules.

* Verbs: the subject is the actor right after the verb (verb-initial, the common order in news:
  ``طلب وزير الخارجية الاميركي جون كيري ...``) or right before it within its clause
  (``ان كيري اجرى``، ``وكانت الولايات المتحدة اعربت``).  The target is the direct object (the next
  actor not governed by a preposition) or the actor after one of the trigger's prepositions
  (``طلب ... من نظيره``، ``اجرى مكالمة مع``، ``زيارة الى موسكو``).
* Nouns: the genitive or a country adjective after the noun (``زيارة وزير الخارجية الإيراني``،
  ``قصف جوي تركي``); a relative clause (``الهجوم الذي تشنه القوات السورية``); a light verb before
  it (``شن سلاح الجو التركي سلسلة غارات``); an agent phrase (``على يد``، ``من قبل``);
  ``تعرض X لهجوم`` makes X the target.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.document import Token

from .actors import Actor, clitic_preposition
from .guards import SentenceContext
from .lexicon import Lexicon
from .match import STRONG_PUNCT, Hit

__all__ = ["ArgumentFinder", "Arguments", "SentenceActors"]

_SUBJECT_WORDS = 6  # words a subject may stand after its verb
_OBJECT_WORDS = 10  # words a target may stand after its trigger
_LEFT_WORDS = 4  # words between a pre-verbal subject and its verb
_COMMAS = frozenset("،,")
_APPOSITION_TOKENS = 12
_PP_HEAD_WORDS = 3  # words a preposition's object may start with before the actor it names
_COMPLEMENT_TYPES = frozenset({"ACCUSE", "SUPPORT", "ASSAULT", "COERCE", "REQUEST", "RETREAT"})
_PLACE_TARGETS = frozenset(
    {"CONSULT", "ASSAULT"}
)  # a visited or attacked place stands for its country  # قصف على مواقع الحزب
_OBJECT_LIST_TYPES = frozenset({"SUPPORT", "AID", "AGREE", "COOPERATE"})  # دعم أصدقائنا وشعوب فلسطين واليمن
_LIST_WORDS = 24  # how far a list of supported parties may run
_TITLE_WORDS = 3  # words of a title a person's name may follow (وزير الخارجية جون كيري)
_PASSIVE_TYPES = frozenset(
    {"ASSAULT", "COERCE"}
)  # verbs whose unvocalised passive looks active  # concern about / praise for what an actor did


@dataclass(frozen=True, slots=True)
class Arguments:
    """Sources and targets of one trigger (several when coordinated), sentence-local actors."""

    sources: tuple[Actor, ...] = ()
    targets: tuple[Actor, ...] = ()
    pair: bool = False  # sources[i] with targets[i] (a symmetric pair), not every combination


class SentenceActors:
    """A sentence's actors with an index from token to actor, and the sentence's context."""

    def __init__(self, ctx: SentenceContext, actors: Sequence[Actor]):
        self.ctx = ctx
        self.toks = ctx.toks
        self.dates: list[Any] | None = None  # the sentence's date mentions, found when first needed
        self.actors = list(actors)
        self.starting: dict[int, Actor] = {}
        self.covering: dict[int, Actor] = {}
        for a in self.actors:
            self.starting.setdefault(a.first, a)
            for k in range(a.first, a.last + 1):
                self.covering.setdefault(k, a)

    def group(self, a: Actor) -> tuple[Actor, ...]:
        return tuple(x for x in self.actors if x.group == a.group)


class ArgumentFinder:
    def __init__(self, lex: Lexicon):
        w = lex.cue_words
        self.boundary = w("subordinator") | w("relative")
        self.relative = w("relative")
        self.time = w("time")
        self.light = w("light")
        self.exposed = w("exposed")
        self.attribute = w("attribute")
        self.prepositions = w("preposition")
        self.victim = w("victim")
        self.quantity = w("quantity")
        self.partitive = w("partitive")
        self.affiliation = w("affiliation")

    # -- scanning helpers --------------------------------------------------------------------

    def _is_boundary(self, t: Token) -> bool:
        if not t.is_word:
            return t.text in STRONG_PUNCT
        return t.norm in self.boundary

    def _right(
        self,
        sa: SentenceActors,
        start: int,
        limit: int,
        stop_preps: frozenset[str] = frozenset(),
        commas: bool = False,
    ) -> Iterator[Actor]:
        """Actors starting at or after ``start`` within ``limit`` words, up to a clause boundary
        (with ``commas``, a comma is not one: appositions, ``زيجمار جابريل، وزير الاقتصاد، إلى طهران``)."""
        toks = sa.toks
        k, words = start, 0
        while k < len(toks) and words <= limit:
            t = toks[k]
            a = sa.starting.get(k)
            if a is not None:
                yield a
                k = a.last + 1
                words += 1
                continue
            if commas and t.is_word and t.norm in self.relative and k > 0 and toks[k - 1].text in _COMMAS:
                k += 1  # زيارة وفد حماس، التي وصفها بالناجحة، إلى السعودية: past the relative clause
                while k < len(toks) and toks[k].text not in _COMMAS and toks[k].text not in STRONG_PUNCT:
                    k += 1
                continue
            if self._is_boundary(t) and k > start and not (commas and t.text in _COMMAS):
                return
            if t.is_word:
                if t.norm in stop_preps:
                    return
                if t.norm not in self.time:
                    words += 1
            k += 1

    def _left_subject(self, sa: SentenceActors, v: int) -> Actor | None:
        """The subject before a verb (SVO), within its clause."""
        toks = sa.toks
        k, words = v - 1, 0
        while k >= 0 and words <= _LEFT_WORDS:
            a = sa.covering.get(k)
            if a is not None:
                if a.prep is None and not a.place_only:
                    return sa.group(a)[0]
                return None
            t = toks[k]
            if t.text in _COMMAS and words == 0:
                named = self._before_apposition(sa, k)
                if named is not None:
                    return named
            if self._is_boundary(t):
                return None
            if t.is_word and t.norm not in self.time:
                words += 1
            k -= 1
        return None

    def clause_subject(self, sa: SentenceActors, i: int, relatives: bool = False) -> Actor | None:
        """The nearest actor before ``i`` in its clause not governed by a preposition (the subject
        of the verb a purpose noun depends on: ``أن تبذل بريطانيا مزيدا من الجهود لمساعدة ...``)."""
        toks = sa.toks
        k, words = i - 1, 0
        while k >= 0 and words <= 6:
            a = sa.covering.get(k)
            if a is not None:
                if a.prep is None and not a.place_only:
                    return a
                k = a.first - 1
                words += 1
                continue
            t = toks[k]
            if self._is_boundary(t) and not (relatives and t.is_word and t.norm in self.relative):
                return None
            if t.is_word:
                words += 1
            k -= 1
        return None

    def _before_apposition(self, sa: SentenceActors, comma: int) -> Actor | None:
        """``قاسم سليماني، قائد فيلق القدس في الحرس الثوري، يقوم``: the name before an apposition
        set off by commas, when the apposition itself starts with an actor."""
        toks = sa.toks
        k = comma - 1
        while k >= 0 and comma - k <= _APPOSITION_TOKENS:
            if toks[k].text in _COMMAS:
                inner = [j for j in range(k + 1, comma) if toks[j].is_word][:2]
                head = next((sa.covering[j] for j in inner if j in sa.covering), None)
                before = sa.covering.get(k - 1)
                if head is not None and before is not None and before.prep is None:
                    return None if before.place_only else sa.group(before)[0]
                return None
            if toks[k].text in STRONG_PUNCT:
                return None
            k -= 1
        return None

    def _right_subject(self, sa: SentenceActors, start: int, stop: frozenset[str]) -> Actor | None:
        """The subject after a verb: the first actor, after at most time words, numbers and
        quantities (``تظاهر الاف الاسرائيليين``), one other word before a partitive من (``قوة من
        الشرطة``), or a prepositional phrase (``قال في بيان وزير ...``)."""
        return self._subject_scan(sa, start, stop)[0]

    def _subject_scan(
        self,
        sa: SentenceActors,
        start: int,
        stop: frozenset[str],
        skip: Actor | None = None,
        titled: bool = False,
    ) -> tuple[Actor | None, bool]:
        """(subject, whether a number, quantity or victim noun came first: قتل 20 شخصا، قتل جنديان اميركيان).

        ``titled``: a title closed by a relative adjective names that country's actor
        (``صعد المرشد الأعلى الإيراني``); not for attacks, whose nouns after the verb are often victims.
        """
        toks, keys = sa.toks, sa.ctx.keys
        k, content, victim, affiliated = start, 0, False, 0
        plain = titled  # no prepositional phrase passed
        last_content = -1  # the last common noun counted as content
        crossed = False  # a prepositional phrase passed
        heads = 1 if skip is None else 2  # words a (non-person) object may follow: القائم بأعمال السفارة
        while k < len(toks):
            a = sa.starting.get(k)
            if a is not None and skip is not None and a.group == skip.group:
                k = a.last + 1
                continue
            if a is not None:
                if a.prep is not None and a.prep in stop:
                    return None, victim  # استنجد بالسعودية: the target's phrase, the subject is not after it
                if affiliated and a.prep in (None, "ل") and not a.place_only:
                    return a, victim  # مسلحون تابعون للحوثيين، القوات الموالية لحكومة الرئيس اليمني
                if a.prep is None and not a.place_only:
                    # an object country may be the genitive of one head noun: ثمن جهود المملكة
                    place_limit = 1 if skip is not None and not crossed and last_content == a.first - 1 else 0
                    limit = _TITLE_WORDS if a.entity_type == "PER" else (place_limit if a.place else heads)
                    if content > limit and not (plain and content <= _TITLE_WORDS and self._nisba(sa, a)):
                        return None, victim
                    named = sa.starting.get(a.last + 1)
                    if (
                        titled
                        and content
                        and named is not None
                        and named.prep is None
                        and named.entity_type == "PER"
                    ):
                        a = named  # الرئيس اليمني عبدربه منصور هادي: the name, not its title's adjective
                    return a, victim or bool(keys[a.first] & self.victim)
                if a.prep is None:  # a place named after a common noun: قطع طريق بيروت
                    return None, victim
                k = a.last + 1
                continue
            t = toks[k]
            if t.kind == "number":
                victim = True
                k += 1
                continue
            if not t.is_word:
                if t.text in STRONG_PUNCT and not (skip is not None and t.text in _COMMAS):
                    return None, victim
                k += 1
                continue
            n = t.norm
            if n in stop or n in self.boundary:
                return None, victim
            kk = keys[k]
            if kk & self.affiliation and content:
                affiliated = 1
                k += 1
                continue
            if affiliated:
                affiliated += 1
                if affiliated > 3:
                    return None, victim
                k += 1
                continue
            if kk & self.victim:
                victim = True
                content += 1
            elif kk & self.quantity or n in self.time:
                victim = victim or bool(kk & self.quantity)
            elif n in self.partitive and content:
                content = 0
            elif n in self.prepositions:
                plain, crossed = False, True
                k = self._skip_phrase(sa, k + 1)
                continue
            else:
                content += 1
                last_content = k
                if content > _TITLE_WORDS:
                    return None, victim
            k += 1
        return None, victim

    @staticmethod
    def _nisba(sa: SentenceActors, a: Actor) -> bool:
        """A one-word relative adjective closing a title (``المرشد الأعلى الإيراني``, ``الطائرات
        الحربية الإسرائيلية``): the phrase is that country's actor."""
        return (
            a.entity_type == "ADJ"
            and not a.place
            and a.first == a.last
            and sa.toks[a.first].norm.startswith("ال")
        )

    def _skip_phrase(self, sa: SentenceActors, k: int) -> int:
        """After a preposition: past its object (an actor, or one word)."""
        a = sa.starting.get(k)
        if a is not None:
            return a.last + 1
        return k + 1

    def _prep_target(
        self, sa: SentenceActors, start: int, preps: frozenset[str], places: bool
    ) -> Actor | None:
        """The actor after one of ``preps``: right after it, or a few words on when the preposition
        governs a common noun first (``إلى العاصمة اليمنية صنعاء``، ``على مواقع حزب العمال``)."""
        for a in self._right(sa, start, _OBJECT_WORDS, commas=True):
            if a.prep is not None and a.prep in preps and (places or not a.place_only):
                return a
        toks = sa.toks
        k, words = start, 0
        while k < len(toks) and words <= _OBJECT_WORDS:
            t = toks[k]
            if t.is_word:
                if t.norm in preps or clitic_preposition(t.prefix) in preps:
                    for j in range(k + 1, min(len(toks), k + 1 + _PP_HEAD_WORDS)):
                        head = sa.starting.get(j)
                        if head is not None:
                            ok = head.prep is None and (places or not head.place_only)
                            return head if ok else None
                        if toks[j].text in STRONG_PUNCT or toks[j].norm in self.boundary:
                            break
                    return None
                words += 1
            elif t.text in STRONG_PUNCT and t.text not in _COMMAS:
                return None
            k += 1
        return None

    def _complement_actor(self, sa: SentenceActors, start: int, preps: frozenset[str]) -> Actor | None:
        """The first actor inside a prepositional complement that starts with a common noun:
        ``قلقها حيال الهجوم الذي تشنه القوات السورية`` → the forces.  Crosses relative clauses."""
        toks = sa.toks
        k, words, opened = start, 0, False
        while k < len(toks) and words <= _OBJECT_WORDS:
            t = toks[k]
            if not t.is_word:
                if t.text in STRONG_PUNCT:
                    return None
                k += 1
                continue
            a = sa.starting.get(k)
            if opened and a is not None and not a.place_only:
                return a
            if not opened and (t.norm in preps or clitic_preposition(t.prefix) in preps):
                opened = True
            elif t.norm in self.boundary and t.norm not in self.relative:
                return None
            words += 1
            k += 1
        return None

    def _object_list(self, sa: SentenceActors, start: int) -> tuple[Actor, ...]:
        """The parties a noun's object names, over coordinated lists and ``في`` phrases
        (``دعم أصدقائنا في المنطقة وشعوب فلسطين واليمن``): countries and actors, up to the clause's end."""
        out: list[Actor] = []
        toks = sa.toks
        k, words = start, 0
        while k < len(toks) and words <= _LIST_WORDS:
            a = sa.starting.get(k)
            if a is not None:
                if (a.prep is None or a.prep == "في") and not a.place_only and a.entity_type != "ADJ":
                    out.append(a)
                k = a.last + 1
                words += 1
                continue
            t = toks[k]
            if not t.is_word:
                if t.text in STRONG_PUNCT and t.text not in _COMMAS:
                    break
            elif t.norm in self.boundary:
                break
            else:
                words += 1
            k += 1
        return tuple(out)

    def _direct_object(self, sa: SentenceActors, start: int, skip: Actor | None) -> Actor | None:
        """The object right after the verb and its subject: the first actor, after at most time
        words, numbers and one title word (``استقبل ... وزير العدل اليمني``)."""
        a, _ = self._subject_scan(sa, start, frozenset(), skip)
        return a

    def _genitive(self, sa: SentenceActors, end: int) -> Actor | None:
        """An actor right after a noun (within two words: ``زيارة وفد حماس``، ``قصف جوي تركي``)."""
        toks = sa.toks
        k, words = end + 1, 0
        while k < len(toks) and words < 3:
            a = sa.starting.get(k)
            if a is not None:
                return a if a.prep is None else None
            t = toks[k]
            if self._is_boundary(t) or (t.is_word and t.norm in self.prepositions):
                return None
            if t.is_word:
                words += 1
            k += 1
        return None

    def _relative_source(
        self, sa: SentenceActors, end: int, lex_hits: dict[int, Hit]
    ) -> tuple[Actor | None, Actor | None]:
        """``الهجوم الذي تشنه القوات السورية``: (source, target) from a relative clause after a noun."""
        toks = sa.toks
        k, words = end + 1, 0
        while k < len(toks) and words < 3:
            t = toks[k]
            if t.is_word and t.norm in self.relative:
                break
            if self._is_boundary(t) or sa.starting.get(k) is not None:
                return None, None
            if t.is_word:
                words += 1
            k += 1
        else:
            return None, None
        if k >= len(toks) or not toks[k].is_word or toks[k].norm not in self.relative:
            return None, None
        v = k + 1
        while v < len(toks) and not toks[v].is_word:
            v += 1
        if v >= len(toks):
            return None, None
        keys = sa.ctx.keys[v]
        if keys & self.light:
            return self._right_subject(sa, v + 1, frozenset()), None
        if keys & self.attribute:  # الاعتداء الذي نسب إلى تنظيم «داعش»
            return self._complement_actor(sa, v + 1, frozenset({"الي", "ل"})), None
        hit = lex_hits.get(v)
        if hit is not None and hit.trigger.is_verb:
            return self._right_subject(sa, v + 1, frozenset()), None
        return None, None

    def _light_verb_source(self, sa: SentenceActors, i: int) -> Actor | None:
        """``شن سلاح الجو التركي سلسلة غارات``: the subject of a light verb before the noun."""
        toks = sa.toks
        k, words = i - 1, 0
        while k >= 0 and words < 8:
            t = toks[k]
            if self._is_boundary(t):
                return None
            if t.is_word and sa.ctx.keys[k] & self.light:
                subject = self._subject_scan(sa, k + 1, frozenset())[0]
                if subject is not None and subject.last < i:
                    return subject  # قام مسلحون تابعون للحوثيين بالقبض
                return self._left_subject(sa, k)
            if t.is_word:
                words += 1
            k -= 1
        return None

    def _exposed_target(self, sa: SentenceActors, i: int) -> Actor | None:
        """``تعرضت قافلته لهجوم``، ``تعرض السفير لمحاولة اغتيال``: who suffered the attack."""
        toks = sa.toks
        k = i - 1
        words = 0
        while k >= 0 and words < 5:
            t = toks[k]
            if t.is_word and sa.ctx.keys[k] & self.exposed:
                right = [a for a in sa.actors if k < a.first < i and a.prep is None]
                return right[0] if right else self._left_subject(sa, k)
            if self._is_boundary(t):
                return None
            if t.is_word:
                words += 1
            k -= 1
        return None

    def _agent(self, sa: SentenceActors, end: int) -> Actor | None:
        """``من قبل X``، ``على يد X`` right after a trigger (within ten tokens)."""
        for a, b in sa.ctx.cues.get("agent", ()):
            if end < a <= end + 10:
                actor = sa.starting.get(b + 1)
                if actor is None:
                    cov = sa.covering.get(b)  # بيد حزب الله: the name glued to the cue's last word
                    actor = cov if cov is not None and cov.first == b else None
                if actor is not None and not actor.place_only:
                    return actor
        return None

    # -- the two kinds of trigger ---------------------------------------------------------------

    def find(self, sa: SentenceActors, hit: Hit, lex_hits: dict[int, Hit]) -> Arguments:
        if hit.trigger.is_verb:
            return self._verb(sa, hit)
        return self._noun(sa, hit, lex_hits)

    def _verb(self, sa: SentenceActors, hit: Hit) -> Arguments:
        f = hit.trigger.frame
        v, end = hit.anchor, hit.tokens[-1]
        stop = f.tgt_preps | f.src_preps
        left = self._left_subject(sa, v)
        subject: Actor | None = left
        passive = False
        if left is not None:
            passive = self._victim_before(sa, left)
        else:
            titled = hit.trigger.type not in _PASSIVE_TYPES
            subject, passive = self._subject_scan(sa, v + 1, stop, titled=titled)
        target: Actor | None = None
        if passive and hit.trigger.type in _PASSIVE_TYPES:  # قتل جنديان اميركيان، ثلاثة عراقيين قتلوا
            return self._assemble(sa, hit, self._agent(sa, end), subject, None, passive=True)
        source_by_prep: Actor | None = None
        if f.src_preps:
            source_by_prep = self._prep_target(sa, v + 1, f.src_preps, False)
        if f.tgt_preps:
            target = self._prep_target(sa, v + 1, f.tgt_preps, hit.trigger.type in _PLACE_TARGETS)
            if target is None and hit.trigger.type in _COMPLEMENT_TYPES:
                target = self._complement_actor(sa, end + 1, f.tgt_preps)
        if target is None and not f.intransitive:
            after = subject.last + 1 if subject is not None and subject.first > v else end + 1
            target = self._direct_object(sa, after, subject)
        if subject is not None and target is not None and target.group == subject.group:
            target = None
        return self._assemble(sa, hit, subject, target, source_by_prep)

    def _noun(self, sa: SentenceActors, hit: Hit, lex_hits: dict[int, Hit]) -> Arguments:
        f = hit.trigger.frame
        i, end = hit.anchor, hit.tokens[-1]
        if f.swap:  # بدعم من X، بناء على طلب من X، المدعومة من X: X did it to the clause's subject
            giver = self._prep_target(sa, end + 1, f.src_preps, False) if f.src_preps else None
            receiver = self.clause_subject(sa, i, relatives=True)
            return Arguments(sa.group(giver) if giver else (), (receiver,) if receiver else ())
        source: Actor | None = None
        target: Actor | None = None
        gen = None if f.accusation else self._genitive(sa, end)
        if (
            gen is not None
            and gen.place_only
            and (f.genitive != "tgt" or hit.trigger.type not in _PLACE_TARGETS)
        ):
            gen = None  # a town after a noun is where, not who (except what is attacked: استعادة عدن)
        pp_target = (
            self._prep_target(sa, end + 1, f.tgt_preps, hit.trigger.type in _PLACE_TARGETS)
            if f.tgt_preps
            else None
        )
        if gen is not None:
            adjective = gen.entity_type == "ADJ" and not (
                f.genitive == "tgt" and self._victim_between(sa, end, gen)
            )
            subject_like = adjective or (pp_target is not None and not gen.place_only)
            if adjective or f.genitive == "src" or (f.genitive == "either" and subject_like):
                source = gen  # قصف جوي تركي، الغزو العراقي، زيارة وزير الخارجية، دعم طهران لنظام الأسد
            else:
                target = gen  # مقتل جنديين، دعم أصدقائنا
        rel_src, _ = self._relative_source(sa, end, lex_hits)
        if source is None:
            source = rel_src or self._agent(sa, end) or self._light_verb_source(sa, i)
        if f.src_preps and source is None:
            source = self._prep_target(sa, end + 1, f.src_preps, False)
        if source is None and f.predicate:  # المملكة حريصة على ...، واعدا بالعمل مع
            source = self._left_subject(sa, i)
        if target is None and f.tgt_preps:
            target = pp_target
            if target is None and hit.trigger.type in _COMPLEMENT_TYPES:
                target = self._complement_actor(sa, end + 1, f.tgt_preps)
        if target is None and hit.trigger.type == "ASSAULT":
            target = self._exposed_target(sa, i)
        if f.accusation and target is None:
            target = self.clause_subject(sa, i, relatives=True)  # أن تغير إيران سياستها التي تكمن بالتدخل
        if target is None and f.genitive != "src" and hit.trigger.type in _OBJECT_LIST_TYPES:
            targets = self._object_list(sa, end + 1)
            if targets:
                return Arguments(sa.group(source) if source is not None else (), targets)
        return self._assemble(sa, hit, source, target, None)

    def _victim_between(self, sa: SentenceActors, end: int, a: Actor) -> bool:
        """Is a victim noun or a number between a noun and the adjective after it?  Then the adjective
        describes the victims (``مقتل الشاب الأميركي``, ``مقتل ثلاثة جنود أتراك``), not the attacker
        (``قصف جوي تركي``)."""
        keys = sa.ctx.keys
        return any(
            sa.toks[k].kind == "number" or bool(keys[k] & (self.victim | self.quantity))
            for k in range(end + 1, a.first)
        )

    def _victim_before(self, sa: SentenceActors, a: Actor) -> bool:
        """Is the actor the victims of a passive verb (``ثلاثة عراقيين قتلوا``)?"""
        keys = sa.ctx.keys
        if keys[a.first] & self.victim:
            return True
        k = a.first - 1
        while k >= 0 and not sa.toks[k].is_word and sa.toks[k].kind != "number":
            k -= 1
        return k >= 0 and (sa.toks[k].kind == "number" or bool(keys[k] & (self.victim | self.quantity)))

    def _assemble(
        self,
        sa: SentenceActors,
        hit: Hit,
        subject: Actor | None,
        target: Actor | None,
        by_prep: Actor | None,
        passive: bool = False,
    ) -> Arguments:
        f = hit.trigger.frame
        source = subject
        if passive:
            pass
        elif f.swap:
            source, target = (by_prep or target), subject
        elif by_prep is not None and source is None:
            source = by_prep
        sources = sa.group(source) if source is not None else ()
        targets = sa.group(target) if target is not None else ()
        if f.symmetric and len(sources) > 1 and not (target is not None and target.prep in ("مع", "ب")):
            first, *others = sources
            return Arguments((first,) * len(others), tuple(others), pair=True)
        if source is not None and target is None and targets == () and f.tgt_preps & {"بين"}:
            pass
        if (
            target is not None
            and source is None
            and "بين" in f.tgt_preps
            and len(targets) > 1
            and target.prep == "بين"
        ):
            first, *others = targets
            return Arguments((first,) * len(others), tuple(others), pair=True)
        return Arguments(tuple(sources), tuple(targets))
