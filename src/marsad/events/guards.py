"""Precision guards: is a trigger reported as having happened, or negated, planned, hypothetical?

Everything is read from the words around the trigger within its clause (no parse): negation
particles (``لم``، ``لن``، ``لا``، ``عدم``), a denial verb earlier in the sentence (``نفى``),
future and plans (``سيزور``، ``من المقرر``، ``الزيارة المرتقبة``), intentions (``عزمه``، ``يريد``،
``ضرورة``), cancellation (``تأجيل الزيارة``), conditionals (``إذا``، ``لو``).  The cue words are
data (``data/cues.tsv``); what each outcome does to each type is ``data/types.tsv``.
"""

from __future__ import annotations

from collections.abc import Sequence

from marsad.document import Token

from .lexicon import Lexicon, word_keys
from .match import STRONG_PUNCT, Hit

__all__ = ["Guards", "REAL", "NEGATED", "FUTURE", "INTENT", "REFUSED", "UNREAL"]

REAL = "real"
NEGATED = "negated"  # did not happen (لم، عدم، نفى، أُلغي)
FUTURE = "future"  # will happen (س، سوف، لن نكف عن)
INTENT = "intent"  # wanted, planned, urged (عزم، يريد، من المقرر، ضرورة)
REFUSED = "refused"  # we do not / will not (لا نتفاوض)
UNREAL = "unreal"  # hypothetical (إذا، لو)

_CLAUSE_WORDS = 8  # how far back a cue may stand, within the clause
_REFUSAL = frozenset({"لا", "لن"})  # present and future negation: a refusal when the subject acts


def _words_before(toks: Sequence[Token], i: int, limit: int) -> list[int]:
    """Indices of up to ``limit`` word tokens before ``i``, stopping at strong punctuation."""
    out: list[int] = []
    k = i - 1
    while k >= 0 and len(out) < limit:
        t = toks[k]
        if not t.is_word:
            if t.text in STRONG_PUNCT:
                break
        else:
            out.append(k)
        k -= 1
    return out


def _words_after(toks: Sequence[Token], i: int, limit: int) -> list[int]:
    out: list[int] = []
    k = i + 1
    while k < len(toks) and len(out) < limit:
        t = toks[k]
        if not t.is_word:
            if t.text in STRONG_PUNCT:
                break
        else:
            out.append(k)
        k += 1
    return out


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
        self.phrases = {k: lex.cue_phrases(k) for k in ("future", "plan", "intent", "cancel", "hypothetical", "uncertain")}
        self.uncertain_first = frozenset(p[0] for p in self.phrases["uncertain"])

    def _has(self, toks: Sequence[Token], idx: Sequence[int], words: frozenset[str]) -> int | None:
        for k in idx:
            if word_keys(toks[k].norm) & words:
                return k
        return None

    def _phrase_before(self, toks: Sequence[Token], i: int, kind: str, limit: int) -> bool:
        idx = list(reversed(_words_before(toks, i, limit)))
        norms = [toks[k].norm for k in idx]
        keys = [word_keys(n) for n in norms]
        for phrase in self.phrases[kind]:
            n = len(phrase)
            for s in range(0, len(idx) - n + 1):
                if all(phrase[j] in keys[s + j] for j in range(n)):
                    return True
        return False

    def sentence_uncertain(self, toks: Sequence[Token]) -> int | None:
        """Word index where an 'I cannot confirm' cue starts (``لست في موقع لتأكيد``), or None."""
        if not any(t.norm in self.uncertain_first for t in toks):
            return None
        keys = [word_keys(t.norm) for t in toks]
        for phrase in self.phrases["uncertain"]:
            n = len(phrase)
            for s in range(0, len(toks) - n + 1):
                if all(phrase[j] in keys[s + j] for j in range(n)):
                    return s
        return None

    def modality(self, toks: Sequence[Token], hit: Hit) -> str:
        """The modality of a trigger in its sentence (one of the constants of this module)."""
        i = hit.anchor
        t = hit.trigger
        before = _words_before(toks, i, _CLAUSE_WORDS)
        near = [k for k in before[:3] if toks[k].norm not in self.time][:2]
        # negation right before the trigger (or before a "stop" verb: لن نكف عن دعم = will go on)
        stop_at = self._has(toks, before[:3], self.stop)
        if stop_at is not None:
            neg = self._has(toks, _words_before(toks, stop_at, 2), self.negation)
            return FUTURE if neg is not None else NEGATED
        neg = self._has(toks, near, self.negation)
        if neg is not None:
            if word_keys(toks[neg].norm) & _REFUSAL:
                return REFUSED if t.is_verb else NEGATED
            return NEGATED
        if t.is_verb and t.form.startswith("perf") and self._has(toks, near[:1], self.negation_past) is not None:
            return NEGATED
        if not t.is_verb and self._has(toks, near[:1], self.negation_noun) is not None:
            return NEGATED
        if any(word_keys(toks[k].norm) & self.denial for k in range(0, i)):
            return NEGATED
        if self._phrase_before(toks, i, "cancel", 3):
            return NEGATED
        if not t.is_verb and self._has(toks, _words_after(toks, hit.tokens[-1], 8), self.cancel_after) is not None:
            return NEGATED
        if self._phrase_before(toks, i, "hypothetical", _CLAUSE_WORDS):
            return UNREAL
        if hit.reading.future or self._phrase_before(toks, i, "future", 2):
            return FUTURE
        if self._phrase_before(toks, i, "plan", 6):
            return FUTURE
        if not t.is_verb and self._has(toks, _words_after(toks, hit.tokens[-1], 3), self.plan_after) is not None:
            return FUTURE
        if self._phrase_before(toks, i, "intent", 4):
            return INTENT
        if hit.reading.prep == "ل" and (t.is_verb or t.type in ("AID", "CONSULT", "SUPPORT", "COOPERATE")):
            return INTENT  # ليزور، لمساعدة: purpose, not a report
        return REAL

    def first_person_subject(self, toks: Sequence[Token], hit: Hit) -> bool:
        """Is the trigger's subject 'we'/'I' (``نتفاوض``، ``إننا ...``)?"""
        if hit.trigger.first_person:
            return True
        before = _words_before(toks, hit.anchor, 3)
        return self._has(toks, before, self.first_person) is not None
