"""The linking stage: entities to knowledge-base entries and actor codes at the article's date.

In order, over one document:

1. each NER entity is matched against the knowledge base's aliases (longest match over the
   tokens; a longer alias that covers a partial NER span widens it);
2. aliases NER missed become entities when they are unambiguous enough (see :func:`_worth_adding`);
3. a person not in the knowledge base is tried by first + last name; an organisation not in it
   by its role noun (``الخارجية الاميركية`` → USAGOV);
4. role phrases (``وزير الخارجية الاميركي``، ``نظيره الروسي``، ``القوات الموالية للأسد``) become
   mentions with actor codes; an institution or a force with a known country becomes an entity;
   a role phrase next to a person's name (apposition) gives that person a country and sector
   when the knowledge base does not know them, and takes the person's identity;
5. short names take the identity of the full name used earlier (``كيري`` → ``جون كيري``);
6. a country or a capital is an actor (``GOV``) when one of its mentions is not a place
   (after ``في``، ``إلى``، ``مدينة`` ...), else a bare country code / no actor.

The role mentions are kept in ``Document.meta`` under :data:`MENTIONS` (see :func:`role_mentions`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from marsad.document import Document, Entity, Mention, Token
from marsad.kb import KBEntry, KnowledgeBase
from marsad.text.normalize import match_form

from .aliases import BARRIER, PhraseIndex, first_forms, skip_letters, token_keys
from .roles import Body, RoleParser, RolePhrase, entry_country
from .words import WordClasses, packaged_words

__all__ = ["MENTIONS", "Linker", "role_mentions"]

#: Key of the role mentions in ``Document.meta``.
MENTIONS = "link.mentions"

# Kinds of entries an alias may add as an entity on its own (one-word aliases).
_ADD_ONE_WORD = frozenset(
    {
        "country",
        "territory",
        "capital",
        "city",
        "igo",
        "ngo",
        "ministry",
        "institution",
        "media",
        "party",
        "group",
    }
)
# Kinds of entries that are states (their mentions as actors are the government).
_STATE = frozenset({"country", "territory"})
# How a word written with the article begins (الـ after a conjunction or preposition; لل).
_WITH_ARTICLE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال")
# Proclitic letters a surname may carry (وكيري، لكيري، وبكيري).
_PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
_NAME_LINKS = frozenset({"بن", "ابن", "بنت", "ال", "ابو", "ام", "عبد"})


@dataclass(slots=True)
class _Ent:
    first: int  # key index of the first word
    last: int  # key index of the last word (inclusive)
    start: int
    end: int
    type: str
    source: str = "ner"
    entry: KBEntry | None = None
    actor: str | None = None
    country: str | None = None
    confidence: float | None = None
    place: bool = True  # every mention so far reads as a place (for countries and capitals)
    partial: KBEntry | None = None  # an alias found inside the span
    roles: list[int] = field(default_factory=list)  # role phrases bound to this person


@dataclass(frozen=True, slots=True)
class Linked:
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


class Linker:
    """The ``link`` stage over one knowledge base (see the module documentation)."""

    name = "link"
    requires = ("entities", "tokens")
    provides = ("entities",)

    def __init__(self, kb: KnowledgeBase, words: WordClasses | None = None):
        self.kb = kb
        self.words = words or packaged_words()
        self.aliases: PhraseIndex[tuple[str, ...]] = PhraseIndex(kb.phrases)
        self.roles = RoleParser(kb, self.words)

    def __call__(self, doc: Document) -> Document:
        linked = self.link(doc)
        meta = tuple(kv for kv in doc.meta if kv[0] != MENTIONS) + ((MENTIONS, linked.mentions),)
        return doc.replace(entities=linked.entities, meta=meta)

    # -- the steps ------------------------------------------------------------------------

    def link(self, doc: Document) -> Linked:
        toks = doc.tokens
        keys, where = token_keys(toks)
        date = doc.published or doc.header.date
        run = _Run(self, doc, toks, keys, where, date)
        run.ner_entities()
        run.alias_entities()
        run.names()
        run.dateline()
        phrases = run.role_phrases()
        run.short_names()
        run.coreference()
        run.states()
        return run.output(phrases)

    # -- knowledge base helpers -------------------------------------------------------------

    def choose(self, ids: Sequence[str], want: str | None, date: dt.date | None) -> KBEntry | None:
        """The best entry among ``ids`` for an entity of type ``want`` (None: any)."""
        entries = [e for e in (self.kb.get(i) for i in ids) if e is not None]
        if want in ("PER", "ORG", "LOC"):
            typed = [e for e in entries if e.type == want]
            if not typed:
                if want == "PER" or any(e.type == "PER" for e in entries):
                    return None
                typed = entries  # ORG and LOC are often confused (الكرملين، البيت الأبيض)
            entries = typed
        if date is not None and len(entries) > 1:
            entries.sort(key=lambda e: e.type == "PER" and not e.active_at(date))
        return entries[0] if entries else None

    def actor_of(self, entry: KBEntry, date: dt.date | None) -> str | None:
        """The entry's actor code at ``date``; for an undated article a person's last office
        (news is mostly about people in office), not what they are today."""
        if date is None and entry.type == "PER" and entry.codes:
            dated = [c for c in entry.codes if c[1] is not None or c[2] is not None]
            if dated:
                return max(dated, key=lambda c: c[1] or dt.date.min)[0]
        return entry.actor_at(date)


class _Run:
    """The state of linking one document."""

    def __init__(
        self,
        linker: Linker,
        doc: Document,
        toks: Sequence[Token],
        keys: list[str],
        where: list[int],
        date: dt.date | None,
    ):
        self.l = linker
        self.doc = doc
        self.toks = toks
        self.keys = keys
        self.where = where
        self.date = date
        self.starts = [toks[w].start for w in where]
        self.ends = [toks[w].end for w in where]
        self.ents: list[_Ent] = []

    # positions ------------------------------------------------------------------------------

    def key_range(self, start: int, end: int) -> tuple[int, int]:
        """Key indices ``(first, last)`` of the words overlapping chars ``start..end``."""
        a = bisect_left(self.ends, start + 1)
        b = bisect_left(self.starts, end) - 1
        return a, b

    def char_start(self, k: int, strip: int) -> int:
        t = self.toks[self.where[k]]
        return t.start + skip_letters(t.text, strip)

    def owners(self) -> list[int]:
        own = [-1] * len(self.keys)
        for n, e in enumerate(self.ents):
            for k in range(max(e.first, 0), min(e.last, len(own) - 1) + 1):
                own[k] = n
        return own

    def entity_starting(self) -> dict[int, int]:
        return {e.first: n for n, e in enumerate(self.ents) if e.first <= e.last}

    # 1. NER entities -----------------------------------------------------------------------------

    def ner_entities(self) -> None:
        for e in self.doc.entities:
            a, b = self.key_range(e.start, e.end)
            self.ents.append(_Ent(a, b, e.start, e.end, e.type, "ner", confidence=e.confidence))

    # 2. aliases ----------------------------------------------------------------------------------

    def alias_entities(self) -> None:
        l = self.l
        own = self.owners()
        added: list[_Ent] = []
        for first, n, strip, key, ids in l.aliases.scan(self.keys):
            last = first + n - 1
            hit = {own[k] for k in range(first, last + 1)}
            start = self.char_start(first, strip)
            end = self.ends[last]
            if hit == {-1}:
                if n == 1 and self._adjective_here(first, key):
                    continue  # القوات السورية: "Syrian", not سورية "Syria"
                entry = l.choose(ids, None, self.date)
                if entry is None or not _worth_adding(entry, n, strip, key):
                    continue
                # a town's one-word name NER did not tag: only where a place is expected
                # (عبر "via" is not العبر, رابط الخبر "the news" is not al-Khobar)
                if (
                    n == 1
                    and entry.type == "LOC"
                    and entry.kind not in _STATE
                    and entry.kind != "capital"
                    and (_toggled(self.keys[first], key) or not self._locative(first, strip))
                ):
                    continue
                added.append(_Ent(first, last, start, end, entry.type, "kb", entry=entry))
                continue
            if -1 not in hit and len(hit) == 1:
                e = self.ents[hit.pop()]
                entry = l.choose(ids, e.type, self.date)
                if entry is None:
                    continue
                if e.first == first and e.last == last:
                    e.entry = entry
                    if strip == 0 and start < e.start:
                        e.start = start  # بان كي مون: the ب NER read as a preposition is the name's
                elif first <= e.first and e.last <= last:
                    e.first, e.last, e.start, e.end, e.entry = first, last, start, end, entry
                elif entry.type == e.type and (e.type != "PER" or (last == e.last and n >= 2)):
                    # inside a person's name only a full surname counts (not هادي in عبد الهادي الشيخ)
                    e.partial = e.partial or entry
                continue
            # an alias over a partial NER span and more words: widen to the alias
            inside = [self.ents[o] for o in hit if o != -1]
            if all(first <= x.first and x.last <= last for x in inside):
                entry = l.choose(ids, None, self.date)
                if entry is None or not _worth_adding(entry, n, strip, key):
                    continue
                keep = inside[0]
                keep.first, keep.last, keep.start, keep.end, keep.entry = first, last, start, end, entry
                keep.type = entry.type
                for x in inside[1:]:
                    x.first, x.last = 0, -1  # dropped below
        self._rematch()
        self.ents = [e for e in self.ents if e.first <= e.last] + added
        self._bracketed()
        self.ents.sort(key=lambda e: e.start)

    def _bracketed(self) -> None:
        """A name split by a bracket, as the wires write it: ``الرئيس السوري (بشار) الاسد``,
        ``الرئيس الاميركي (باراك) اوباما``; both parts are mentions of the person."""
        keys, toks, where = self.keys, self.toks, self.where
        own = self.owners()
        for k in range(1, len(keys) - 1):
            if keys[k] != BARRIER or toks[where[k]].text not in "()":
                continue
            left, right = k - 1, k + 1
            if keys[left] == BARRIER or keys[right] == BARRIER:
                continue
            first = left
            if own[left] >= 0 and self.ents[own[left]].type == "PER":
                first = self.ents[own[left]].first
            words = [w for w in keys[first : left + 1] if w != BARRIER]
            for n in (2, 1):
                tail = keys[right : right + n]
                if len(tail) < n or BARRIER in tail:
                    continue
                ids = self.l.aliases.get(" ".join(words + tail))
                entry = self.l.choose(ids, "PER", self.date) if ids else None
                if entry is None:
                    continue
                for a, b in ((first, left), (right, right + n - 1)):
                    o = own[a]
                    if o >= 0 and self.ents[o].first == a and self.ents[o].last == b:
                        self.ents[o].entry = self.ents[o].entry or entry
                    elif all(own[x] == -1 for x in range(a, b + 1)):
                        self.ents.append(
                            _Ent(a, b, self.char_start(a, 0), self.ends[b], "PER", "kb", entry=entry)
                        )
                break

    def _rematch(self) -> None:
        """An NER span still unlinked, read again from its own first word: the alias may reach past
        its end over further NER fragments (``سلمان بن عبدالعزيز آل`` + ``سعود``)."""
        l = self.l
        by_first = {e.first: e for e in self.ents if e.first <= e.last}
        for e in list(by_first.values()):
            if e.entry is not None or e.source != "ner":
                continue
            m = l.aliases.match_at(self.keys, e.first)
            if m is None or e.first + m[0] - 1 < e.last:
                continue
            last = e.first + m[0] - 1
            covered = [
                x
                for x in self.ents
                if x is not e and x.first <= last and x.last >= e.first and x.first <= x.last
            ]
            if any(x.first < e.first or x.last > last for x in covered):
                continue
            entry = l.choose(m[3], e.type, self.date)
            if entry is None:
                continue
            e.last, e.end, e.entry = last, self.ends[last], entry
            for x in covered:
                x.first, x.last = 0, -1  # dropped by the caller

    def _locative(self, k: int, strip: int) -> bool:
        """Whether the word at key ``k`` stands where a place is expected (في، إلى، مدينة، بـ، على)."""
        t = self.toks[self.where[k]]
        if strip and t.text[: skip_letters(t.text, strip)].endswith("ب"):
            return True
        prev = self.keys[k - 1] if k > 0 else BARRIER
        words = self.l.words
        return prev == "علي" or words.has(prev, "place_prep") or words.has(prev, "place_noun")

    def _adjective_here(self, k: int, key: str) -> bool:
        """Whether a one-word alias at key ``k`` reads as a country adjective here.

        It does when the word is an adjective and either matched the alias only with the article
        toggled (السورية / سورية) or follows a definite noun it can qualify (الدبلوماسية السعودية).
        """
        word = self.keys[k]
        if self.l.roles.country_of_adjective(word) is None:
            return False
        if _toggled(word, key):
            return True
        prev = self.keys[k - 1] if k > 0 else BARRIER
        return prev.startswith("ال") or self.l.roles.index.match_at(self.keys, k - 1) is not None

    # 3. names the knowledge base does not hold as written ---------------------------------------

    def names(self) -> None:
        l = self.l
        for e in self.ents:
            if e.entry is not None:
                continue
            words = [k for k in self.keys[e.first : e.last + 1] if k != BARRIER]
            if e.type == "PER":
                e.entry = self._person(words) or (
                    e.partial if e.partial and e.partial.type == "PER" else None
                )
            elif e.partial is not None and e.partial.type == e.type and e.partial.kind not in _STATE:
                e.entry = e.partial
            if e.entry is None and e.type in ("ORG", "LOC", "MISC"):
                body_at = self._body_at_excluding(e)
                for k in range(e.first, e.last + 1):  # مكتب «محافظ ديار بكر»
                    ph = l.roles.parse(self.keys, k, body_at)
                    if ph is not None and ph.actor and ph.last <= e.last:
                        e.actor, e.country = ph.actor, ph.country
                        break
        for e in self.ents:
            if e.entry is not None and e.actor is None:
                e.actor = l.actor_of(e.entry, self.date)
                e.country = entry_country(e.entry)

    def _person(self, words: list[str]) -> KBEntry | None:
        """A person by first + last name, or by the name without its ``بن``/``آل`` links."""
        l = self.l
        tries: list[str] = []
        if len(words) >= 3:
            tries.append(words[0] + " " + words[-1])
            core = [w for w in words if w not in _NAME_LINKS]
            if 2 <= len(core) < len(words):
                tries.append(" ".join(core))
                tries.append(core[0] + " " + core[-1])
            # سلمان بن عبدالعزيز آل سعود → سلمان بن عبدالعزيز
            tries.extend(
                " ".join(words[:n]) for n in range(len(words) - 1, 1, -1) if words[n - 1] not in _NAME_LINKS
            )
        for t in tries:
            m = l.aliases.get(t)
            if m:
                entry = l.choose(m, "PER", self.date)
                if entry is not None:
                    return entry
        return None

    def _body_at_excluding(self, skip: _Ent | None) -> _BodyAt:
        return _BodyAt(self, skip)

    # dateline --------------------------------------------------------------------------------------

    def dateline(self) -> None:
        d = self.doc.header.dateline
        if d is None:
            return
        for e in self.ents:
            if e.start <= d.start and d.end <= e.end:
                return
        a, b = self.key_range(d.start, d.end)
        if a > b:
            return
        m = self.l.aliases.match_at(self.keys, a, limit=b + 1)
        if m is None:
            return
        entry = self.l.choose(m[3], "LOC", self.date)
        if entry is None:
            return
        last = a + m[0] - 1
        e = _Ent(a, last, self.char_start(a, m[1]), self.ends[last], "LOC", "dateline", entry=entry)
        e.actor, e.country = self.l.actor_of(entry, self.date), entry_country(entry)
        self.ents.append(e)
        self.ents.sort(key=lambda x: x.start)

    # 4. role phrases -------------------------------------------------------------------------------

    def role_phrases(self) -> list[tuple[RolePhrase, _Ent | None]]:
        """Role phrases in order, each with the person it is bound to (apposition), if any."""
        l = self.l
        keys = self.keys
        own = self.owners()
        body_at = self._body_at_excluding(None)
        out: list[tuple[RolePhrase, None]] = []
        previous: RolePhrase | None = None
        k = 0
        n = len(keys)
        may_start = l.roles.may_start
        seen = l.roles._may
        while k < n:
            word = keys[k]
            start = seen.get(word)
            if not (start if start is not None else may_start(word)):
                k += 1
                continue
            o = own[k]
            if o != -1 and (self.ents[o].type == "PER" or self.ents[o].first != k):
                k = self.ents[o].last + 1  # مركز «الملك» سلمان: inside a name
                continue
            ph = l.roles.parse(keys, k, body_at, previous)
            if ph is None:
                k += 1
                continue
            if ph.role.kind == "person" or ph.counterpart:
                previous = ph
            out.append((ph, None))
            k = ph.last + 1
        # institutions and forces with an actor become entities; people bind to names
        bound: list[tuple[RolePhrase, _Ent | None]] = []
        loose: set[int] = set()  # bound to a name after a comma or a title: the memory may know better
        added: list[_Ent] = []
        own = self.owners()
        for ph, _ in out:
            if ph.role.kind in ("institution", "group"):
                self._add_body(ph, own, added)
                bound.append((ph, None))
                continue
            if ph.inner is not None:
                self._add_body(ph.inner, own, added)
            person, apart = self._apposition(ph, own)
            if apart:
                loose.add(len(bound))
            bound.append((ph, person))
        if added:
            self.ents.extend(added)
            self.ents.sort(key=lambda x: x.start)
        # a role named again without the name (``المتحدث``، ``الوزير الألماني``) is the same person
        memory: dict[tuple[tuple[str, ...], str | None], _Ent] = {}
        recent: dict[tuple[str, ...], _Ent] = {}
        for n, (ph, e) in enumerate(bound):
            if ph.role.kind not in ("person", "title") or not ph.office:
                continue
            office, head = ph.office, ph.office[:1]
            if e is not None and n in loose:
                # كرّم أمير نجران، العريف عبدالله ...: the emir named before, not the corporal after
                known = memory.get((office, ph.country)) or memory.get((office, None))
                if known is not None and known is not e and known.country in (None, ph.country):
                    bound[n] = (ph, known)
                    continue
            if e is not None:
                memory[(office, ph.country)] = e
                if ph.country is not None:
                    memory[(head, ph.country)] = e  # الوزير الألماني after وزير خارجية ألمانيا
                recent[office] = e
                if e.actor is None and ph.actor is not None:
                    e.actor, e.country = ph.actor, ph.country
                continue
            if ph.country is not None:
                e = memory.get((office, ph.country)) or memory.get((head, ph.country))
                if e is None:
                    e = memory.get((office, None))  # الأمير ... جلوي، later أمير نجران
                    if e is not None and e.country not in (None, ph.country):
                        e = None
            else:
                e = memory.get((office, None)) or recent.get(office)
            if e is not None:
                bound[n] = (ph, e)
        return bound

    def _add_body(self, ph: RolePhrase, own: list[int], added: list[_Ent]) -> None:
        """An institution or a force with a known actor, not already an entity, becomes one; it may
        contain the place or body that gives its code (``شرطة محافظة شرورة``)."""
        if not ph.actor:
            return
        for i in range(ph.first, ph.last + 1):
            o = own[i]
            if o == -2 or (
                o >= 0 and (i == ph.first or self.ents[o].type == "PER" or self.ents[o].last > ph.last)
            ):
                return
        start = self.char_start(ph.first, ph.strip)
        e = _Ent(ph.first, ph.last, start, self.ends[ph.last], "ORG", "role")
        e.actor, e.country = ph.actor, ph.country
        added.append(e)
        for i in range(ph.first, ph.last + 1):
            own[i] = -2  # taken

    def _apposition(self, ph: RolePhrase, own: list[int]) -> tuple[_Ent | None, bool]:
        """The person named right after (or right before) a role phrase, and whether a comma or a
        title stands between them."""
        keys = self.keys
        words = self.l.words
        k = ph.last + 1
        steps = 0
        while k < len(keys) and steps < 4:
            o = own[k]
            if o >= 0:
                e = self.ents[o]
                return (e if e.type == "PER" and e.first == k else None), steps > 0
            if o == -2:
                break
            if keys[k] == BARRIER and self.toks[self.where[k]].text not in ",،":
                break
            if keys[k] != BARRIER and not words.has(keys[k], "title") and not words.has(keys[k], "filler"):
                break
            k += 1
            steps += 1
        # before: ``سامي أبو زهري، المتحدث الرسمي باسم الحركة``
        k = ph.first - 1
        if k >= 0 and keys[k] == BARRIER and self.toks[self.where[k]].text in ",،":
            k -= 1
        if k >= 0 and own[k] >= 0:
            e = self.ents[own[k]]
            governed = e.first > 0 and self.l.roles.may_start(keys[e.first - 1])  # مستشار «خادم الحرمين»
            if e.type == "PER" and e.last == k and not governed:
                return e, False
        return None, False

    # 5. short names -----------------------------------------------------------------------------

    def short_names(self) -> None:
        """A surname standing alone after the full name (``جون كيري`` ... ``وقال كيري``) names that person,
        also where NER did not tag it."""
        surnames: dict[str, _Ent | None] = {}
        for e in self.ents:
            if e.type != "PER" or (e.entry is None and e.actor is None):
                continue
            words = [k for k in self.keys[e.first : e.last + 1] if k != BARRIER]
            if len(words) < 2 or len(words[-1]) < 3 or words[-1] in _NAME_LINKS:
                continue
            prior = surnames.get(words[-1], e)
            surnames[words[-1]] = e if prior is e or prior is None or prior.entry is e.entry else None
        if not surnames:
            return
        own = self.owners()
        added: list[_Ent] = []
        tails = {s[-3:] for s in surnames}
        for k, key in enumerate(self.keys):
            if key[-3:] not in tails or own[k] != -1:
                continue
            # the word, or the word without و ف ب ل ك (لل: ل + ال)
            for form, strip in ((key, 0), (key[1:], 1), (key[2:], 2), ("ا" + key[1:], 1)):
                full = surnames.get(form)
                if full is None or k <= full.last or (strip and key[:strip] not in _PROCLITICS):
                    continue
                if form[0] == "ا" and strip == 1 and not key.startswith("لل"):
                    continue
                start = self.char_start(k, strip)
                short = _Ent(
                    k,
                    k,
                    start,
                    self.ends[k],
                    "PER",
                    "kb",
                    entry=full.entry,
                    actor=full.actor,
                    country=full.country,
                )
                added.append(short)
                break
        if added:
            self.ents.extend(added)
            self.ents.sort(key=lambda x: x.start)

    def coreference(self) -> None:
        seen: list[tuple[tuple[str, ...], _Ent]] = []
        for e in self.ents:
            if e.type != "PER":
                continue
            words = tuple(match_form(w) for w in self.doc.text[e.start : e.end].split())  # without proclitics
            if not words:
                continue
            if e.entry is None or e.actor is None:
                ante = _antecedent(words, seen)
                if ante is not None:
                    if e.entry is None:
                        e.entry = ante.entry
                    if e.actor is None:
                        e.actor, e.country = ante.actor, ante.country
            seen.append((words, e))

    # 6. states and capitals -----------------------------------------------------------------------

    def states(self) -> None:
        words = self.l.words
        acting: dict[str, bool] = {}
        for e in self.ents:
            if e.entry is None or (e.entry.kind not in _STATE and e.entry.kind != "capital"):
                continue
            place = e.source == "dateline" or self._in_place_context(e, words)
            acting[e.entry.id] = acting.get(e.entry.id, False) or not place
        for e in self.ents:
            if e.entry is None or e.entry.id not in acting:
                continue
            iso = entry_country(e.entry)
            if iso is None:
                continue
            e.country = iso
            if acting[e.entry.id]:
                e.actor = iso + "GOV"
            elif e.entry.kind in _STATE:
                e.actor = iso
            else:
                e.actor = None

    def _in_place_context(self, e: _Ent, words: WordClasses) -> bool:
        t = self.toks[self.where[e.first]]
        if e.start > t.start and t.text[0] in "بف" and t.text[: e.start - t.start].endswith("ب"):
            return True  # بدمشق: in Damascus
        k = e.first - 1
        if k < 0:
            return True
        prev = self.keys[k]
        if prev == BARRIER:
            return False
        return (
            words.has(prev, "place_prep")
            or words.has(prev, "place_noun")
            or any(words.has(form, "place_noun") for form, strip in first_forms(prev)[:4] if strip)
        )

    # output -----------------------------------------------------------------------------------------

    def output(self, bound: list[tuple[RolePhrase, _Ent | None]]) -> Linked:
        text = self.doc.text
        kb = self.l.kb
        entities: list[Entity] = []
        ids: dict[int, Entity] = {}
        for n, e in enumerate(self.ents):
            eid = f"e{n + 1}"
            country = e.country
            if e.actor and kb.country(e.actor[:3]) is not None:
                country = e.actor[:3]
            entities.append(
                Entity(
                    id=eid,
                    start=e.start,
                    end=e.end,
                    text=text[e.start : e.end],
                    type=e.entry.type if e.entry is not None and e.type == "MISC" else e.type,
                    kb=e.entry.id if e.entry else None,
                    name_en=e.entry.name_en if e.entry else None,
                    actor=e.actor,
                    country=country,
                    confidence=e.confidence,
                )
            )
            ids[id(e)] = entities[-1]
        mentions: list[Mention] = []
        for ph, o in bound:
            start = self.char_start(ph.first, ph.strip)
            end = self.ends[ph.last]
            ent = ids[id(o)] if o is not None else None
            if ent is None:
                mentions.append(Mention(start, end, text[start:end], actor=ph.actor, country=ph.country))
            else:
                mentions.append(
                    Mention(
                        start,
                        end,
                        text[start:end],
                        entity=ent.id,
                        kb=ent.kb,
                        name_en=ent.name_en,
                        actor=ent.actor or ph.actor,
                        country=ent.country or ph.country,
                    )
                )
        return Linked(tuple(entities), tuple(mentions))


class _BodyAt:
    """``key index → Body`` of the entity (or else the alias) starting there; one entity may be left out."""

    def __init__(self, run: _Run, skip: _Ent | None):
        self.run = run
        self.by_first = {e.first: e for e in run.ents if e is not skip}

    def __call__(self, k: int) -> Body | None:
        e = self.by_first.get(k)
        if e is None:
            return self._alias(k)
        country = e.country
        if country is None and e.actor and len(e.actor) >= 3:
            country = e.actor[:3] if e.entry is None or e.entry.kind != "igo" else None
        if e.entry is not None and country is None:
            country = entry_country(e.entry)
        if country is None and e.actor is None:
            return None
        return Body(e.actor, country, e.type == "ORG", e.last - e.first + 1, e.type == "PER")

    def _alias(self, k: int) -> Body | None:
        run = self.run
        if k >= len(run.keys):
            return None
        m = run.l.aliases.match_at(run.keys, k)
        if m is None:
            return None
        entry = run.l.choose(m[3], None, run.date)
        if entry is None or (m[0] == 1 and run.l.roles.country_of_adjective(run.keys[k]) is not None):
            return None
        if m[0] == 1 and entry.type == "LOC" and entry.kind not in _STATE and entry.kind != "capital":
            return None  # مركز الملك سلمان: not the town of Salman
        actor = run.l.actor_of(entry, run.date)
        country = entry_country(entry)
        if country is None and actor is None:
            return None
        return Body(actor, country, entry.type == "ORG", m[0], entry.type == "PER")


def _toggled(word: str, key: str) -> bool:
    """Whether a one-word alias ``key`` matched ``word`` only with the article added or dropped."""
    return key.startswith("ال") != word.startswith(_WITH_ARTICLE)


def _worth_adding(entry: KBEntry, words: int, strip: int, key: str) -> bool:
    """Whether an alias NER did not tag is safe to add as an entity on its own.

    A person's one-word alias is a surname the knowledge base keeps for a political actor
    (لافروف، كيري); one with the article may be a common word or an adjective (الأسد، البغدادي).
    """
    if entry.type == "PER":
        return words >= 2 or (bool(entry.codes) and not key.startswith("ال") and len(key) >= 4)
    if words >= 2:
        return True
    return entry.kind in _ADD_ONE_WORD and len(key) >= 3


def _antecedent(words: tuple[str, ...], seen: list[tuple[tuple[str, ...], _Ent]]) -> _Ent | None:
    """The latest earlier person whose name contains ``words`` as its ending or beginning."""
    n = len(words)
    for prior, e in reversed(seen):
        if len(prior) <= n or (e.entry is None and e.actor is None):
            continue
        if prior[-n:] == words or prior[:n] == words:
            return e
    return None


def role_mentions(doc: Document) -> tuple[Mention, ...]:
    """The role phrases the linker found in ``doc`` (``وزير الخارجية الاميركي``), in text order."""
    for key, value in doc.meta:
        if key == MENTIONS:
            return tuple(value)
    return ()
