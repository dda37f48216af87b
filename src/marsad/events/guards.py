"""Precision guards: is a trigger reported as having happened, or negated, planned, hypothetical?

Everything is read from the words around the trigger within its clause (no parse): negation
particles (``لم``، ``لن``، ``لا``، ``عدم``), a denial verb earlier in the sentence (``نفى``),
future and plans (``سيزور``، ``من المقرر``، ``الزيارة المرتقبة``), intentions (``عزمه``، ``يريد``،
``ضرورة``), cancellation (``تأجيل الزيارة``), conditionals (``إذا``، ``لو``).  The cue words are
data (``data/cues.tsv``); what each outcome does to each type is ``data/types.tsv``.

A sentence is scanned once (:meth:`Guards.context`): the keys of its words and where each cue
phrase stands; the questions about each trigger are then range checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from marsad.document import Token

from .lexicon import Lexicon
from .match import STRONG_PUNCT, Hit

__all__ = ["FUTURE", "INTENT", "NEGATED", "REAL", "REFUSED", "UNREAL", "Guards", "SentenceContext"]

REAL = "real"
NEGATED = "negated"  # did not happen (لم، عدم، نفى، أُلغي)
FUTURE = "future"  # will happen (س، سوف، لن نكف عن)
INTENT = "intent"  # wanted, planned, urged (عزم، يريد، من المقرر، ضرورة)
REFUSED = "refused"  # we do not / will not (لا نتفاوض)
UNREAL = "unreal"  # hypothetical (إذا، لو)

_CLAUSE_WORDS = 8  # how far back a cue may stand, within the clause
_INTENT_WORDS = 12  # an intention or a wish governs the rest of its clause (يريد ... لمساعدة ... في تدمير)
_REFUSAL = frozenset({"لا", "لن"})  # present and future negation: a refusal when the subject acts
_NORM = itemgetter(4)  # Token.norm
_KIND = itemgetter(3)  # Token.kind
PHRASE_KINDS = ("future", "plan", "intent", "cancel", "hypothetical", "uncertain", "agent")


class _PhraseIndex:
    """Cue phrases of several kinds indexed by their longest word (the rarest, as a rule)."""

    def __init__(self, phrases: dict[str, frozenset[tuple[str, ...]]]):
        self.by_anchor: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        for kind, ps in phrases.items():
            for p in sorted(ps):
                at = max(range(len(p)), key=lambda j: (len(p[j]), -j))
                self.by_anchor.setdefault(p[at], []).append((at, p, kind))
        self.anchors = frozenset(self.by_anchor)

    def scan(self, words: Sequence[int], keys: Sequence[frozenset[str]]) -> dict[str, list[tuple[int, int]]]:
        """Where the phrases stand: kind → [(first word token, last word token)].

        ``words`` are the token indices of the sentence's words, ``keys`` every token's keys.
        """
        found: dict[str, list[tuple[int, int]]] = {}
        anchors = self.anchors
        for w, k in enumerate(words):
            if keys[k].isdisjoint(anchors):
                continue
            for anchor in keys[k] & anchors:
                for at, p, kind in self.by_anchor[anchor]:
                    b = w - at
                    if b < 0 or b + len(p) > len(words):
                        continue
                    if all(p[j] in keys[words[b + j]] for j in range(len(p)) if j != at):
                        found.setdefault(kind, []).append((words[b], words[b + len(p) - 1]))
        return found


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """A sentence's tokens, the keys of each, its word positions and its cue phrases."""

    toks: Sequence[Token]
    keys: list[frozenset[str]]
    words: list[int]
    cues: dict[str, list[tuple[int, int]]]

    def words_before(self, i: int, limit: int) -> list[int]:
        """Token indices of up to ``limit`` words before ``i``, nearest first, within the clause."""
        out: list[int] = []
        toks = self.toks
        k = i - 1
        while k >= 0 and len(out) < limit:
            t = toks[k]
            if t.kind == "punct" or t.kind == "symbol":
                if t.text in STRONG_PUNCT:
                    break
            else:
                out.append(k)
            k -= 1
        return out

    def words_after(self, i: int, limit: int) -> list[int]:
        out: list[int] = []
        toks = self.toks
        k = i + 1
        while k < len(toks) and len(out) < limit:
            t = toks[k]
            if t.kind == "punct" or t.kind == "symbol":
                if t.text in STRONG_PUNCT:
                    break
            else:
                out.append(k)
            k += 1
        return out

    def cue_between(self, kind: str, lo: int, hi: int) -> bool:
        """Does a cue phrase of ``kind`` lie within tokens ``[lo, hi)``?"""
        return any(lo <= a and b < hi for a, b in self.cues.get(kind, ()))


class Guards:
    """Cue sets from the lexicon, and the modality of a trigger."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        w = lex.cue_words
        self.negation = w("negation")
        self.negation_noun = w("negation_noun")
        self.negation_past = w("negation_past")
        self.denial = w("denial")
        self.stop = w("stop")
        self.time = w("time")
        self.plan_after = w("plan_after")
        self.cancel_after = w("cancel_after")
        self.first_person = w("first_person")
        self.intent_words = w("intent")
        self.index = _PhraseIndex({k: lex.cue_phrases(k) for k in PHRASE_KINDS})
        self.uncertain_anchors = frozenset(
            a for a, entries in self.index.by_anchor.items() if any(k == "uncertain" for _, _, k in entries)
        )

    def context(self, toks: Sequence[Token]) -> SentenceContext:
        known = self.lex.known_keys
        keys = [known(n) or self.lex.keys(n) for n in map(_NORM, toks)]
        words = [k for k, kind in enumerate(map(_KIND, toks)) if kind != "punct" and kind != "symbol"]
        return SentenceContext(toks, keys, words, self.index.scan(words, keys))

    def _has(self, ctx: SentenceContext, idx: Sequence[int], words: frozenset[str]) -> int | None:
        for k in idx:
            if ctx.keys[k] & words:
                return k
        return None

    def _phrase_before(self, ctx: SentenceContext, i: int, kind: str, before: list[int], limit: int) -> bool:
        """Is a cue of ``kind`` among the ``limit`` words before ``i`` (``before``: nearest first)?"""
        window = before[:limit]
        return bool(window) and ctx.cue_between(kind, window[-1], i)

    def uncertain_at(self, ctx: SentenceContext) -> int | None:
        """Word position where an 'I cannot confirm' cue starts (``لست في موقع لتأكيد``), or None."""
        found = ctx.cues.get("uncertain")
        if not found:
            return None
        first = min(a for a, _ in found)
        return ctx.words.index(first)

    def modality(self, ctx: SentenceContext, hit: Hit) -> str:
        """The modality of a trigger in its sentence (one of the constants of this module)."""
        i = hit.anchor
        t = hit.trigger
        toks = ctx.toks
        before = ctx.words_before(i, _CLAUSE_WORDS)
        near = [k for k in before[:3] if toks[k].norm not in self.time][:2]
        # negation right before the trigger (or before a "stop" verb: لن نكف عن دعم = will go on)
        stop_at = self._has(ctx, before[:3], self.stop)
        if stop_at is not None:
            neg = self._has(ctx, ctx.words_before(stop_at, 2), self.negation)
            return FUTURE if neg is not None else NEGATED
        neg = self._has(ctx, near, self.negation)
        if neg is not None:
            if ctx.keys[neg] & _REFUSAL:
                return REFUSED if t.is_verb else NEGATED
            return NEGATED
        if (
            t.is_verb
            and t.form.startswith("perf")
            and self._has(ctx, near[:1], self.negation_past) is not None
        ):
            return NEGATED
        if not t.is_verb and self._has(ctx, near[:1], self.negation_noun) is not None:
            return NEGATED
        if any(ctx.keys[k] & self.denial for k in range(i)):
            return NEGATED
        if self._phrase_before(ctx, i, "cancel", before, 3):
            return NEGATED
        if (
            not t.is_verb
            and self._has(ctx, ctx.words_after(hit.tokens[-1], 8), self.cancel_after) is not None
        ):
            return NEGATED
        if self._phrase_before(ctx, i, "hypothetical", before, _CLAUSE_WORDS):
            return UNREAL
        if hit.reading.future or self._phrase_before(ctx, i, "future", before, 2):
            return FUTURE
        if self._phrase_before(ctx, i, "plan", before, 6):
            return FUTURE
        if not t.is_verb and self._has(ctx, ctx.words_after(hit.tokens[-1], 3), self.plan_after) is not None:
            return FUTURE
        if self._phrase_before(ctx, i, "intent", ctx.words_before(i, _INTENT_WORDS), _INTENT_WORDS):
            return INTENT
        if hit.reading.prep == "ل" and (t.is_verb or t.type in ("AID", "CONSULT", "SUPPORT", "COOPERATE")):
            return INTENT  # ليزور، لمساعدة: purpose, not a report
        return REAL

    def own_intention(self, ctx: SentenceContext, hit: Hit) -> bool:
        """Is the trigger governed by a noun of intention with a pronoun (``عزمه زيارة``): the
        intention of the sentence's subject or speaker?"""
        for k in ctx.words_before(hit.anchor, 3):
            n = ctx.toks[k].norm
            if (
                ctx.keys[k] & self.intent_words
                and n not in self.intent_words
                and n.endswith(("ه", "ها", "هم"))
            ):
                return True
        return False

    def first_person_subject(self, ctx: SentenceContext, hit: Hit) -> bool:
        """Is the trigger's subject 'we'/'I' (``نتفاوض``، ``إننا ...``)?"""
        if hit.trigger.first_person:
            return True
        return self._has(ctx, ctx.words_before(hit.anchor, 3), self.first_person) is not None
