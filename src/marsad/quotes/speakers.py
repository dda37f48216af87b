"""Who speaks: the subject of a reporting cue, read off the linked entities and role phrases.

A subject after a cue (``قال المتحدث باسم الخارجية الاميركية جون كيربي``) is, in order of
preference, a role phrase bound to a named person, an entity, a role phrase, an anonymous
source (``مصدر دبلوماسي تركي``، ``مسؤول بوزارة الخارجية التركية``), a statement
(``بيان البيت الأبيض`` → the White House; ``البيان`` → its author named before), an honorific
pronoun (``سموه`` → the person named before) or a definite noun phrase followed by what opens the
content (``المرصد`` → the organisation named before with that head).  A description followed by
a name in apposition (``المسؤول الكبير ...، الجنرال تشارلز هوبر، أن``) is the named person.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.document import Document, Entity, Mention
from marsad.link import role_mentions
from marsad.link.words import WordClasses, packaged_words

from .lexicon import Lexicon
from .marks import QUOTE_MARKS

__all__ = ["Context", "Speaker"]

_COMMAS = frozenset(",،")
_WORD_KINDS = frozenset({"arabic", "latin", "number"})
# How far after a cue its subject may start (skipped adverbs, titles), and how far an apposed
# name may sit after a description.
_SUBJECT_REACH = 5
_APPOSITION_REACH = 14


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker and where it is named: tokens ``first..last`` (inclusive), or -1 when carried over."""

    mention: Mention
    first: int = -1
    last: int = -1
    named: bool = True  # named here (not a pronoun, honorific or carried-over speaker)
    from_source: bool = False  # an anonymous source (مصادر عسكرية، شهود)


def entity_mention(e: Entity) -> Mention:
    return Mention(e.start, e.end, e.text, e.id, e.kb, e.name_en, e.actor, e.country)


class Context:
    """A document's tokens with the entities, role phrases and quotations over them."""

    def __init__(self, doc: Document, lex: Lexicon, words: WordClasses | None = None):
        self.doc = doc
        self.lex = lex
        self.link_words = words or packaged_words()
        toks = doc.tokens
        self.toks = toks
        # index access: a NamedTuple's fields are properties (0 start, 2 text, 4 norm)
        self.norms = [t[4] for t in toks]
        self.texts = [t[2] for t in toks]
        self.starts = [t[0] for t in toks]
        self.words = [t[3] in _WORD_KINDS for t in toks]
        self.ent_first: dict[int, Entity] = {}
        self.ent_last: dict[int, Entity] = {}
        self.ent_span: dict[str, tuple[int, int]] = {}
        for e in doc.entities:
            a, b = self.token_range(e.start, e.end)
            if a > b:
                continue
            self.ent_span[e.id] = (a, b)
            self.ent_first.setdefault(a, e)
            self.ent_last[b] = e
        self.role_first: dict[int, tuple[Mention, int]] = {}
        self.role_last: dict[int, tuple[Mention, int]] = {}
        for m in role_mentions(doc):
            a, b = self.token_range(m.start, m.end)
            if a > b:
                continue
            self.role_first[a] = (m, b)
            self.role_last[b] = (m, a)
        self.orgs: list[tuple[str, Entity]] = []  # (head word without ال, entity), in text order
        for e in doc.entities:
            if e.type == "ORG" and e.id in self.ent_span:
                a, _ = self.ent_span[e.id]
                self.orgs.append((_bare(self.norms[a]), e))

    # positions ------------------------------------------------------------------------------

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        a = bisect_right(self.starts, start) - 1
        b = bisect_left(self.starts, end) - 1
        return max(a, 0), b

    def is_word(self, i: int) -> bool:
        return self.words[i]

    def is_comma(self, i: int) -> bool:
        return self.texts[i] in _COMMAS

    def is_quote_mark(self, i: int) -> bool:
        return self.texts[i] in QUOTE_MARKS

    def word(self, i: int, cls: str) -> bool:
        return self.lex.is_(self.norms[i], cls)

    def title(self, i: int) -> bool:
        return self.link_words.has(self.norms[i], "title")

    # subjects -------------------------------------------------------------------------------------

    def subject_after(
        self, j: int, stop: int, history: Sequence[Speaker], describe: bool = True
    ) -> Speaker | None:
        """The subject starting at token ``j`` (after skippable words), before ``stop``.

        With ``describe``, a description the knowledge base lacks may precede the name
        (``وكيل الخارجية البحرينية السفير عبدالله عبداللطيف، أن``).
        """
        k = j
        skipped = 0
        titled = False
        while k < stop and skipped < _SUBJECT_REACH:
            t = self.texts[k]
            if self.ent_first.get(k) is not None or self.role_first.get(k) is not None:
                break  # «الأمير خالد الفيصل»: a name that begins with its title
            if self.word(k, "skip") or self.title(k) or t in "()" or self.is_quote_mark(k):
                titled = titled or self.title(k)
                k += 1
                skipped += 1
                continue
            if self.norms[k] in ("ل", "لـ") and k + 1 < stop and self.is_quote_mark(k + 1):
                # أوضح لـ"الاقتصادية" الدكتور ...: the paper told, then the subject
                close = next((x for x in range(k + 2, min(stop, k + 7)) if self.is_quote_mark(x)), None)
                if close is not None:
                    k = close + 1
                    skipped += 1
                    continue
            break
        if k >= stop or not self.is_word(k):
            return None
        sp = self._named_at(k, stop, history)
        if sp is None and titled:
            sp = self.bare_name(
                k, stop, surname=True
            )  # صاحب السمو الملكي الأمير خالد الفيصل: a name NER missed
        if sp is None:
            if not describe or self.lex.word(self.norms[k]) or self.toks[k].prefix[-1:] in ("ب", "ل"):
                return None
            if self.lex.cue_at(self.norms, self.texts, k) is not None:
                return None
            return self._apposed_name(k + 1, stop)
        if sp.mention.entity is None and sp.named:
            better = self._apposed_name(sp.last + 1, stop)
            if better is not None:
                return better
        return sp

    def _named_at(self, k: int, stop: int, history: Sequence[Speaker]) -> Speaker | None:
        tok_start = self.toks[k].start
        role = self.role_first.get(k)
        if role is not None and role[0].start > tok_start:
            role = None  # بوزارة، للرئيس: the object of a preposition
        ent = self.ent_first.get(k)
        if ent is not None and ent.start > tok_start:
            ent = None
        if role is not None and (
            role[0].entity is not None or ent is None or role[1] > self.ent_span[ent.id][1]
        ):
            return self._joint(Speaker(role[0], k, role[1]), stop)
        if ent is not None:
            a, b = self.ent_span[ent.id]
            return self._joint(Speaker(entity_mention(ent), a, b), stop)
        n = self.norms[k]
        if self.word(k, "honorific") or self.word(k, "pronoun"):
            prev = history[-1].mention if history else None
            return Speaker(prev, k, k, named=False) if prev else None
        if self.word(k, "statement"):
            nxt = self.ent_first.get(k + 1)
            if nxt is not None and nxt.type in ("ORG", "LOC", "PER"):
                a, b = self.ent_span[nxt.id]
                return Speaker(entity_mention(nxt), k, b)
            author = next((h for h in reversed(history) if h.mention.entity and _is_body(self, h)), None)
            if author is None and history:
                author = history[-1]
            if author is None:  # وأورد التقرير أن: the report itself
                tok = self.toks[k]
                return Speaker(
                    Mention(tok.stem_start, tok.end, self.doc.text[tok.stem_start : tok.end]), k, k
                )
            return Speaker(author.mention, k, k, named=False)
        if self.word(k, "source") or self.word(k, "joint"):
            last = self._source_phrase(k, stop)
            return self._resolve_source(k, last, history)
        if n.startswith("ال") and len(n) > 4 and not self.lex.word(n):
            last = k
            while last + 1 < stop and last - k < 3:
                nxt = self.ent_first.get(last + 1)
                if nxt is not None and nxt.type != "PER" and nxt.start == self.starts[last + 1]:
                    last = self.ent_span[nxt.id][1]  # البنك «الأهلي» التجاري
                elif self._adjective(last + 1):
                    last += 1
                else:
                    break
            sp = self._resolve_definite(k, last)
            if sp.mention.entity is not None or self._opens_content(last + 1, stop):
                return sp
        return None

    def bare_name(self, k: int, stop: int, surname: bool = False) -> Speaker | None:
        """Up to three plain words at ``k`` read as a name NER did not tag (``عن ماجوميد دينييف من ...``):
        no article (but for a surname after the first word, with ``surname``: ``خالد الفيصل``), no
        function word, no cue; ended by punctuation, a function word or a cue."""
        last = k - 1
        while last + 1 < stop and last + 1 - k < 3:
            x = last + 1
            n = self.norms[x]
            if not self.is_word(x) or self.lex.word(n) or len(n) < 2:
                break
            if n.startswith("ال") and not (surname and x > k):
                break
            if self.lex.cue_at(self.norms, self.texts, x) is not None:
                break
            last = x
        if last < k:
            return None
        start, end = self.toks[k].start, self.toks[last].end
        return Speaker(Mention(start, end, self.doc.text[start:end]), k, last)

    def noun_phrase(self, k: int, stop: int) -> Speaker | None:
        """A definite noun phrase at ``k`` as a speaker (``الإيرانيون``), with its adjectives."""
        if k >= stop or not self.is_word(k):
            return None
        n = self.norms[k]
        if not n.startswith("ال") or len(n) <= 4 or self.lex.word(n):
            return None
        last = k
        while last + 1 < stop and last - k < 2 and self._adjective(last + 1):
            last += 1
        return self._resolve_definite(k, last)

    def _joint(self, sp: Speaker, stop: int) -> Speaker:
        """``كيري ولافروف``: two people named as one subject speak jointly (no one entity)."""
        k = sp.last + 1
        other = self.ent_first.get(k)
        if (
            k < stop
            and other is not None
            and self.norms[k][:1] == "و"
            and other.type == "PER"
            and sp.mention.entity is not None
        ):
            _, b = self.ent_span[other.id]
            start, end = sp.mention.start, self.toks[b].end
            return Speaker(Mention(start, end, self.doc.text[start:end]), sp.first, b)
        return sp

    def feminine_body(self, sp: Speaker) -> bool:
        """A subject headed by a feminine noun that is no person (وزارة، الهيئة، مصادر عسكرية is not)."""
        if sp.first < 0 or not sp.named or sp.from_source:
            return False
        m = sp.mention
        if m.entity is not None:
            span = self.ent_span.get(m.entity)
            e = self.ent_first.get(span[0]) if span else None
            if e is None or e.type == "PER" or e.type == "LOC":
                return False
        return self.texts[sp.first].endswith("ة")

    def qualifies(self, i: int) -> bool:
        """Whether token ``i`` is an adjective that may follow a name (``التركية``، ``مصري``)."""
        return self.is_word(i) and (self._adjective(i) or _nisba(self.norms[i]))

    def _adjective(self, i: int) -> bool:
        n = self.norms[i]
        if not self.is_word(i) or self.ent_first.get(i) is not None:
            return False
        return self.word(i, "modifier") or (n.startswith("ال") and n.endswith(("ي", "يه", "يين", "يون")))

    def _opens_content(self, i: int, stop: int) -> bool:
        """Whether what follows a noun phrase introduces the content (so the phrase is the subject)."""
        for k in range(i, min(stop, i + 3)):
            if self.is_quote_mark(k) or self.texts[k] == ":" or self.word(k, "comp"):
                return True
            if self.word(k, "skip") or self.is_comma(k):
                continue
            return self.word(k, "adverbial")
        return False

    def _source_phrase(self, k: int, stop: int) -> int:
        """The last token of an anonymous source phrase headed at ``k`` (``مصادر من أقارب القياديين``)."""
        last = k
        i = k + 1
        after_prep = False
        while i < stop and i - k <= 6 and self.is_word(i):
            n = self.norms[i]
            ent = self.ent_first.get(i)
            if ent is not None:
                if not after_prep and self.toks[i].start == ent.start:
                    break  # a name that is not governed: the object (وكالة فرانس برس)
                last = i = self.ent_span[ent.id][1]
                i += 1
                after_prep = False
                continue
            if (
                self.word(i, "skip")
                or self.word(i, "comp")
                or self.word(i, "rel")
                or self.lex.word(n) - {"modifier", "adverbial", "source"}
            ):
                break
            if self._adjective(i) or self.word(i, "modifier") or self.word(i, "source") or _nisba(n):
                last = i  # مصدر دبلوماسي مصري مسؤول
            elif n in ("في", "من", "لدي") or (n[:1] == "ب" and len(n) > 3 and not self.word(i, "adverbial")):
                after_prep = n in ("في", "من", "لدي")
                if not after_prep:
                    last = i  # بوزارة
                i += 1
                continue
            elif after_prep or (n.startswith("ال") and i == last + 1):
                last = i  # من أقارب القياديين: the object of the preposition, then its genitive
            else:
                break
            after_prep = False
            i += 1
        return last

    def _resolve_source(self, k: int, last: int, history: Sequence[Speaker]) -> Speaker:
        """An anonymous source; a definite one (``المصدر``) is the one named before with that head."""
        start, end = self.toks[k].start, self.toks[last].end
        n = self.norms[k]
        base = n[1:] if n[0] in "وف" and len(n) > 4 else n
        if base.startswith("ال") and len(base) > 4:
            head = base[2:]
            for prior in reversed(history):
                m = prior.mention
                if m.entity is None and _bare(m.text.split(" ")[0]) == head and prior.named:
                    return Speaker(m, k, last, named=False, from_source=True)
        text = self.doc.text[start:end]
        return Speaker(Mention(start, end, text), k, last, from_source=True)

    def _resolve_definite(self, k: int, last: int) -> Speaker:
        """``المرصد`` → the organisation named before whose name starts with ``مرصد``."""
        head = _bare(self.norms[k])
        start = self.toks[k].start
        for h, e in reversed(self.orgs):
            if e.start < start and h == head:
                m = entity_mention(e)
                return Speaker(
                    Mention(
                        start,
                        self.toks[last].end,
                        self.doc.text[start : self.toks[last].end],
                        m.entity,
                        m.kb,
                        m.name_en,
                        m.actor,
                        m.country,
                    ),
                    k,
                    last,
                )
        end = self.toks[last].end
        return Speaker(Mention(start, end, self.doc.text[start:end]), k, last)

    def _apposed_name(self, i: int, stop: int) -> Speaker | None:
        """A person named in apposition after a description, before the content opens.

        Right after the description, or after a comma or a title, a name is in apposition; further
        on only when the content opens (a complementiser, a colon, a quotation) soon after it.
        """
        end = min(stop, i + _APPOSITION_REACH)
        k = i
        loose: Speaker | None = None
        while k < end:
            if self.is_quote_mark(k) or self.texts[k] == ":" or self.word(k, "comp"):
                return loose
            if self.lex.cue_at(self.norms, self.texts, k) is not None:
                return None
            e = self.ent_first.get(k)
            if e is not None and e.type == "PER" and not self._governed(k):
                a, b = self.ent_span[e.id]
                sp = Speaker(entity_mention(e), a, b)
                if k == i or self.is_comma(k - 1) or self.title(k - 1):
                    return sp
                if b + 1 >= stop or self.is_comma(b + 1):
                    return (
                        sp  # the name closes the description: وفق ما قال وزير حقوق الإنسان عزالدين الأصبحي،
                    )
                if loose is None:
                    loose = sp
            k += 1
        return None

    def subject_before(self, i: int, floor: int) -> Speaker | None:
        """A subject right before a cue (``ان كيري اعرب``, ``الولايات المتحدة اعربت``)."""
        k = i - 1
        if k >= floor and self.word(k, "skip"):
            k -= 1
        if k < floor:
            return None
        role = self.role_last.get(k)
        if role is not None and not self._governed(role[1]):
            return Speaker(role[0], role[1], k)
        e = self.ent_last.get(k)
        if e is not None:
            a, b = self.ent_span[e.id]
            if not self._governed(a):
                return Speaker(entity_mention(e), a, b)
            return None
        n = self.norms[k]
        if (
            n.startswith("ال")
            and len(n) > 4
            and self.is_word(k)
            and (not self.lex.word(n) or self.word(k, "statement"))
        ):
            return self._resolve_definite(k, k)
        for head in range(k, max(floor, k - 4) - 1, -1):  # وسائل إعلام ألمانية أشارت
            if self.word(head, "source") and self._source_phrase(head, i) == k:
                start, end = self.toks[head].start, self.toks[k].end
                return Speaker(Mention(start, end, self.doc.text[start:end]), head, k, from_source=True)
        return None

    def person_before(self, r: int) -> Speaker | None:
        """The person a relative pronoun at ``r`` refers to (``الأصبحي، الذي أضاف``)."""
        k = r - 1
        if k >= 0 and self.is_comma(k):
            k -= 1
        if k < 0:
            return None
        role = self.role_last.get(k)
        if role is not None and role[0].entity is not None:
            return Speaker(role[0], role[1], k)
        e = self.ent_last.get(k)
        if e is not None and e.type == "PER":
            a, b = self.ent_span[e.id]
            return Speaker(entity_mention(e), a, b)
        return None

    def _governed(self, a: int) -> bool:
        """Whether a name at token ``a`` follows a preposition or carries one (``للافروف``)."""
        e = self.ent_first.get(a)
        if e is not None and e.start > self.toks[a].start:
            return True
        return a > 0 and self.word(a - 1, "adverbial")

    def first_person(self, a: int, b: int, head_org: bool = False) -> Speaker | None:
        """The first person (named, or a bound role phrase) in tokens ``a..b-1`` that is no object of a preposition.

        With ``head_org``, an organisation named among the sentence's first words
        (``وكانت قوات الدفاع الشعبي ... دانت``) when no person is.
        """
        k = a
        org: Speaker | None = None
        words = 0
        while k < b:
            role = self.role_first.get(k)
            if role is not None and role[0].entity is not None and not self._governed(k):
                return Speaker(role[0], k, role[1])
            e = self.ent_first.get(k)
            if e is not None:
                x, y = self.ent_span[e.id]
                if e.type == "PER" and not self._governed(x):
                    return Speaker(entity_mention(e), x, y)
                if head_org and org is None and e.type == "ORG" and words < 3 and not self._governed(x):
                    org = Speaker(entity_mention(e), x, y)
                k = y + 1
                words += 1
                continue
            words += self.is_word(k)
            k += 1
        return org


def _is_body(ctx: Context, sp: Speaker) -> bool:
    """Whether a speaker is an organisation or a state (the author a statement speaks for)."""
    span = ctx.ent_span.get(sp.mention.entity or "")
    if span is None:
        return False
    e = ctx.ent_first.get(span[0])
    return e is not None and e.type != "PER"


def _nisba(norm: str) -> bool:
    """An indefinite nisba adjective (مصري، دبلوماسية): no article, ending in ي or ية."""
    return len(norm) > 3 and not norm.startswith("ال") and norm.endswith(("ي", "يه"))


def _bare(norm: str) -> str:
    n = norm
    if len(n) > 4 and n[0] in "وف" and n[1:3] == "ال":
        n = n[1:]
    return n[2:] if n.startswith("ال") and len(n) > 3 else n
