"""The linking stage: entities to knowledge-base entries and actor codes at the article's date.

In order, over one document:

1. each NER entity is matched against the knowledge base's aliases (longest match over the
   tokens; a longer alias that covers a partial NER span links it, and the entity keeps NER's
   boundaries unless the alias joins NER's pieces of one name or names a larger entity of
   another type: see :func:`output`);
2. aliases NER missed become entities when they are unambiguous enough (see :func:`worth_adding`);
3. a person not in the knowledge base is tried by first + last name (:mod:`.people`); an
   organisation not in it by its role noun (``الخارجية الاميركية`` → USAGOV);
4. role phrases (``وزير الخارجية الاميركي``، ``نظيره الروسي``، ``القوات الموالية للأسد``) become
   mentions with actor codes (:mod:`.roles`, :mod:`.binding`); an institution or a force with a
   known country becomes an entity, unless it is only described by its kind and its country
   (``الحكومة السودانية``, ``الجيش اللبناني``: see :func:`described_body`); a role phrase next
   to a person's name (apposition) gives that person a country and sector when the knowledge base
   does not know them, and takes the person's identity;
5. short names take the identity of the full name used earlier (``كيري`` → ``جون كيري``);
6. a country or a capital is an actor (``GOV``) when one of its mentions is not a place
   (after ``في``، ``إلى``، ``مدينة`` ...), else a bare country code / no actor (:mod:`.places`).

The role mentions are kept in ``Document.meta`` under :data:`MENTIONS` (see :func:`role_mentions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from marsad.document import Document, Entity, Mention
from marsad.kb import KBEntry, KnowledgeBase
from marsad.text.normalize import match_form

from .aliases import BARRIER, PhraseIndex, token_keys
from .binding import BodyAt, role_phrases, starts
from .people import bracketed, coreference, person_entry, short_names
from .places import adjective_here, locative, states, toggled
from .roles import RoleParser, RolePhrase, entry_country
from .state import STATE, Candidate, Run
from .words import WordClasses, packaged_words

__all__ = ["MENTIONS", "Linker", "role_mentions"]

#: Key of the role mentions in ``Document.meta``.
MENTIONS = "link.mentions"

# The words that join a person's name to a parent's (matching forms).
_PATRONYMIC = frozenset({"بن", "ابن", "بنت"})

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


@dataclass(frozen=True, slots=True)
class Linked:
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


class Linker:
    """The ``link`` stage over one knowledge base (see the module documentation)."""

    name = "link"
    requires = ("entities", "tokens")
    provides = ("entities",)

    def __init__(
        self,
        kb: KnowledgeBase,
        words: WordClasses | None = None,
        name_in_news: Callable[[str], bool] | None = None,
    ):
        """``name_in_news(key)``: whether the news uses a word (its key) as a name often enough
        that a town's one-word name NER missed may be added as an entity (None: any may)."""
        self.kb = kb
        self.words = words or packaged_words()
        self.name_in_news = name_in_news
        self.aliases: PhraseIndex[tuple[str, ...]] = PhraseIndex(kb.phrases)
        self.roles = RoleParser(kb, self.words)

    def __call__(self, doc: Document) -> Document:
        linked = self.link(doc)
        meta = tuple(kv for kv in doc.meta if kv[0] != MENTIONS) + ((MENTIONS, linked.mentions),)
        return doc.replace(entities=linked.entities, meta=meta)

    # -- the steps ------------------------------------------------------------------------

    def link(self, doc: Document) -> Linked:
        """Entities linked and role mentions of ``doc`` (the document itself is not changed)."""
        toks = doc.tokens
        keys, where = token_keys(toks)
        date = doc.published or doc.header.date
        run = Run(self, doc, toks, keys, where, date)
        ner_entities(run)
        alias_entities(run)
        names(run)
        dateline(run)
        phrases = role_phrases(run)
        short_names(run)
        coreference(run)
        states(run)
        return output(run, phrases)

    # -- knowledge base helpers -------------------------------------------------------------

    def choose(self, ids: Sequence[str], want: str | None, date: dt.date | None) -> KBEntry | None:
        """The best entry among ``ids`` for an entity of type ``want`` (None: any)."""
        entries = [e for e in (self.kb.get(i) for i in ids) if e is not None]
        if want in ("PER", "ORG", "LOC"):
            typed = [e for e in entries if e.type == want]
            if not typed:
                if want == "PER" or any(e.type == "PER" for e in entries):
                    return None
                # ORG and LOC are often confused (الكرملين، البيت الأبيض); but an organisation
                # named after a town is not the town (ليون، ميلان، برشلونة: football clubs)
                typed = [e for e in entries if not (want == "ORG" and e.kind == "city")]
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


def ner_entities(run: Run) -> None:
    """The NER entities as candidates over the keys."""
    for e in run.doc.entities:
        a, b = run.key_range(e.start, e.end)
        run.ents.append(Candidate(a, b, e.start, e.end, e.type, "ner", confidence=e.confidence))


def alias_entities(run: Run) -> None:
    """Knowledge-base aliases over the text: they link the NER spans they match (or widen), and
    add the names NER missed that are safe to add on their own (:func:`worth_adding`)."""
    l = run.l
    own = run.owners()
    added: list[Candidate] = []
    for first, n, strip, key, ids in l.aliases.scan(run.keys):
        last = first + n - 1
        hit = {own[k] for k in range(first, last + 1)}
        start = run.char_start(first, strip)
        end = run.ends[last]
        if hit == {-1}:
            if n == 1 and adjective_here(run, first, key):
                continue  # القوات السورية: "Syrian", not سورية "Syria"
            entry = l.choose(ids, None, run.date)
            if entry is None or not worth_adding(entry, n, strip, key):
                continue
            if (
                # قاعدة "a base" is not القاعدة (al-Qaeda), الذي بين "which between" is not ذي بين
                # (Dhaybin), يمن "bestows" is not اليمن: a name NER missed is added only with its
                # article as written
                toggled(run.keys[first], key.split(" ", 1)[0])
                # بنوك "banks" is not ب + نوك (Nuuk), وربات "and housewives" not و + ربات (Rabat):
                # a word read as proclitics and a name, which the news never uses as a name whole
                or (n == 1 and strip and l.name_in_news is not None and not l.name_in_news(run.keys[first]))
            ):
                continue
            if entry.kind == "region" and described_region(run, first, last, strip):
                continue
            # a town's one-word name NER did not tag: only where a place is expected
            # (عبر "via" is not العبر, رابط الخبر "the news" is not al-Khobar)
            if (
                n == 1
                and entry.type == "LOC"
                and entry.kind not in STATE
                and entry.kind != "capital"
                and (
                    not locative(run, first, strip)
                    # بورصة (Bursa; "stock exchange"), الزاوية (Zawiya; "the corner"): mostly
                    # common words in the news, also after في
                    or (l.name_in_news is not None and not l.name_in_news(key))
                )
            ):
                continue
            added.append(Candidate(first, last, start, end, entry.type, "kb", entry=entry))
            continue
        if -1 not in hit and len(hit) == 1:
            e = run.ents[hit.pop()]
            entry = l.choose(ids, e.type, run.date)
            if entry is None:
                continue
            if e.first == first and e.last == last:
                e.entry = entry
                if strip == 0 and start < e.start:
                    e.start = start  # بان كي مون: the ب NER read as a preposition is the name's
                elif strip and e.start < start < run.ends[first]:
                    e.start = start  # وبالولايات: proclitics the tokeniser left on the word
            elif first <= e.first and e.last <= last:
                e.first, e.last, e.start, e.end, e.entry = first, last, start, end, entry
            elif entry.type == e.type and (
                e.type != "PER" or (last == e.last and n >= 2 and run.keys[first - 1] not in _PATRONYMIC)
            ):
                # inside a person's name only a full surname counts (not هادي in عبد الهادي الشيخ),
                # and not an ancestor's name (فيصل بن عبدالعزيز آل سعود is not عبدالعزيز آل سعود)
                e.partial = e.partial or entry
            continue
        # an alias over a partial NER span and more words: widen to the alias
        inside = [run.ents[o] for o in hit if o != -1]
        if all(first <= x.first and x.last <= last for x in inside):
            entry = l.choose(ids, None, run.date)
            if entry is None or not worth_adding(entry, n, strip, key):
                continue
            keep = inside[0]
            keep.first, keep.last, keep.start, keep.end, keep.entry = first, last, start, end, entry
            keep.type = entry.type
            for x in inside[1:]:
                x.first, x.last = 0, -1  # dropped below
    rematch(run)
    run.ents = [e for e in run.ents if e.first <= e.last] + added
    bracketed(run)
    run.ents.sort(key=lambda e: e.start)


def rematch(run: Run) -> None:
    """An NER span still unlinked, read again from its own first word: the alias may reach past
    its end over further NER fragments (``سلمان بن عبدالعزيز آل`` + ``سعود``)."""
    l = run.l
    by_first = {e.first: e for e in run.ents if e.first <= e.last}
    for e in list(by_first.values()):
        if e.entry is not None or e.source != "ner":
            continue
        m = l.aliases.match_at(run.keys, e.first)
        if m is None or e.first + m[0] - 1 < e.last:
            continue
        last = e.first + m[0] - 1
        covered = [
            x for x in run.ents if x is not e and x.first <= last and x.last >= e.first and x.first <= x.last
        ]
        if any(x.first < e.first or x.last > last for x in covered):
            continue
        entry = l.choose(m[3], e.type, run.date)
        if entry is None:
            continue
        e.last, e.end, e.entry = last, run.ends[last], entry
        for x in covered:
            x.first, x.last = 0, -1  # dropped by the caller


def names(run: Run) -> None:
    """Entities still unlinked: people by the parts of their name, bodies by their role noun;
    then every linked candidate takes its entry's code at the article's date."""
    l = run.l
    by_first = starts(run)  # the entities do not move in this loop, only take entries
    for e in run.ents:
        if e.entry is not None:
            continue
        words = [k for k in run.keys[e.first : e.last + 1] if k != BARRIER]
        if e.type == "PER":
            e.entry = person_entry(run, words) or (
                e.partial if e.partial and e.partial.type == "PER" else None
            )
        elif e.partial is not None and e.partial.type == e.type and e.partial.kind not in STATE:
            e.entry = e.partial
        if e.entry is None and e.type in ("ORG", "LOC", "MISC"):
            body_at = BodyAt(run, e, by_first)
            for k in range(e.first, e.last + 1):  # مكتب «محافظ ديار بكر»
                ph = l.roles.parse(run.keys, k, body_at)
                if ph is not None and ph.actor and ph.last <= e.last:
                    e.actor, e.country = ph.actor, ph.country
                    break
    for e in run.ents:
        if e.entry is not None and e.actor is None:
            e.actor = l.actor_of(e.entry, run.date)
            e.country = entry_country(e.entry)


def dateline(run: Run) -> None:
    """The dateline's place (``واشنطن -``) as an entity, when no entity covers it yet."""
    d = run.doc.header.dateline
    if d is None:
        return
    for e in run.ents:
        if e.start <= d.start and d.end <= e.end:
            return
    a, b = run.key_range(d.start, d.end)
    if a > b:
        return
    m = run.l.aliases.match_at(run.keys, a, limit=b + 1)
    if m is None:
        return
    entry = run.l.choose(m[3], "LOC", run.date)
    if entry is None:
        return
    last = a + m[0] - 1
    e = Candidate(a, last, run.char_start(a, m[1]), run.ends[last], "LOC", "dateline", entry=entry)
    e.actor, e.country = run.l.actor_of(entry, run.date), entry_country(entry)
    run.ents.append(e)
    run.ents.sort(key=lambda x: x.start)


def output(run: Run, bound: list[tuple[RolePhrase, Candidate | None]]) -> Linked:
    """The linked entities (ids in text order) and the role mentions with the identity bound to them.

    Each NER entity keeps the boundaries NER gave it (ANERcorp's conventions, which the contract
    names: no title, no descriptive head such as ``مدينة`` or ``قطاع``) and takes the link of the
    candidate that now holds it, whose alias may have read more words (``قطاع غزة`` links ``غزة``);
    only a change within its own words is kept (``بان كي مون``: the ب NER read as a proclitic).  An
    alias that joins two or more of NER's pieces of one name (``مجلس التعاون`` … ``الخليج العربية``),
    or a larger entity of another type around NER's span (``مركز الملك سلمان للإغاثة`` around the
    person ``سلمان``), gives the whole name instead: a longer name of the same type is the same
    entity named more fully (``مكة المكرمة``, ``الملك عبدالله الثاني``), one of another type is
    another entity.  The entities the knowledge base and the role phrases add are those that
    overlap no NER entity.
    """
    text = run.doc.text
    kb = run.l.kb
    ner = run.doc.entities
    own = run.owners()
    in_ner = [False] * len(run.keys)
    keys: list[tuple[int, int]] = []  # each NER entity's key range
    holder: list[Candidate | None] = []
    for n in ner:
        # the candidate holding the NER entity: the one over most of its characters (an NER one first)
        a, b = run.key_range(n.start, n.end)
        a = max(a, 0)
        keys.append((a, b))
        best: tuple[int, bool, Candidate] | None = None
        for i in dict.fromkeys(own[a : b + 1]):
            if i < 0:
                continue
            x = run.ents[i]
            overlap = min(x.end, n.end) - max(x.start, n.start)
            if overlap > 0 and (best is None or (overlap, x.source == "ner") > best[:2]):
                best = (overlap, x.source == "ner", x)
        holder.append(best[2] if best is not None else None)
        in_ner[a : b + 1] = [True] * max(0, b + 1 - a)
    pieces: dict[int, list[float | None]] = {}  # candidate → the confidences of the NER entities it holds
    for n, h in zip(ner, holder):
        if h is not None:
            pieces.setdefault(id(h), []).append(n.confidence)
    placed: list[tuple[int, int, str, Candidate | None, float | None]] = []
    whole: set[int] = set()  # given whole: they join NER's pieces or hold a part of another type
    for n, c, (a, b) in zip(ner, holder, keys):
        if c is None:
            placed.append((n.start, n.end, n.type, c, n.confidence))
            continue
        kind = c.entry.type if c.entry is not None else c.type
        if len(pieces[id(c)]) > 1 or (
            c.first <= a and b <= c.last and (c.first, c.last) != (a, b) and kind != n.type
        ):
            # an alias that joins NER's pieces of one name (مجلس التعاون … الخليج العربية), or a
            # larger entity of another type around NER's span (a place in an organisation's name:
            # مركز الملك سلمان للإغاثة): the whole name, once
            if id(c) not in whole:
                whole.add(id(c))
                known = [x for x in pieces[id(c)] if x is not None]
                placed.append((c.start, c.end, kind, c, min(known) if known else None))
            continue
        start, end = n.start, n.end
        if (c.first, c.last) == (a, b):
            start, end = c.start, c.end  # within its own words (بان كي مون)
        placed.append((start, end, n.type, c, n.confidence))
    described: list[Candidate] = []  # bodies named by what they are: mentions, not entities
    for c in run.ents:
        # what the knowledge base and the role phrases add where NER found nothing
        if id(c) not in pieces and c.first <= c.last and not any(in_ner[c.first : c.last + 1]):
            if c.source != "ner" and described_body(run, c):
                described.append(c)
            else:
                placed.append((c.start, c.end, c.type, c, c.confidence))
    placed.sort(key=lambda x: (x[0], x[1]))
    entities: list[Entity] = []
    ids: dict[int, Entity] = {}
    for k, (start, end, typ, e, confidence) in enumerate(placed):
        entry = e.entry if e is not None else None
        actor = e.actor if e is not None else None
        country = e.country if e is not None else None
        if actor and kb.country(actor[:3]) is not None:
            country = actor[:3]
        entities.append(
            Entity(
                id=f"e{k + 1}",
                start=start,
                end=end,
                text=text[start:end],
                type=entry.type if entry is not None and typ == "MISC" else typ,
                kb=entry.id if entry else None,
                name_en=entry.name_en if entry else None,
                actor=actor,
                country=country,
                confidence=confidence,
            )
        )
        # a candidate holding several NER entities answers for the longest of them
        if e is not None:
            have = ids.get(id(e))
            if have is None or end - start >= have.end - have.start:
                ids[id(e)] = entities[-1]
    mentions: list[Mention] = []
    for ph, o in bound:
        start = run.char_start(ph.first, ph.strip)
        end = run.ends[ph.last]
        ent = ids.get(id(o)) if o is not None else None
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
    if described:
        spans = {(m.start, m.end): i for i, m in enumerate(mentions)}
        for c in described:
            entry = c.entry
            m = Mention(
                c.start,
                c.end,
                text[c.start : c.end],
                kb=entry.id if entry else None,
                name_en=entry.name_en if entry else None,
                actor=c.actor,
                country=c.country,
            )
            at = spans.get((c.start, c.end))
            if at is None:
                mentions.append(m)
            elif mentions[at].entity is None:
                mentions[at] = m
        mentions.sort(key=lambda m: m.start)
    return Linked(tuple(entities), tuple(mentions))


# Nouns that describe a region by the people or the faith it belongs to (العالم العربي).
_REGION_NOUNS = frozenset(match_form(w) for w in ("عالم", "وطن", "قارة", "منطقة"))


def described_region(run: Run, first: int, last: int, strip: int) -> bool:
    """Whether a region's alias is a description: a noun and an adjective (``العالم العربي`` "the
    Arab world", ``القارة الأفريقية`` "the African continent", ``المنطقة العربية``), which ANERcorp
    leaves untagged (``العالم العربي`` ten times in ``train.txt``, never in a name), unlike a
    region's name (``الشرق الأوسط``)."""
    if last != first + 1:
        return False
    adjective = run.keys[last]
    return (
        _head(run, first, run.char_start(first, strip)) in _REGION_NOUNS
        and adjective.startswith("ال")
        and adjective.endswith(("ي", "يه"))
    )


def _head(run: Run, k: int, start: int) -> str:
    """The word at key ``k`` from ``start`` (its proclitics off), without the article, in matching
    form: ``الحكومة`` and ``للحكومة`` (ل + الحكومة with its alef dropped) give ``حكومه``."""
    word = match_form(run.doc.text[start : run.ends[k]])
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    if word.startswith("ل") and len(word) > 3:
        return word[1:]  # للحكومة: its first ل is already off
    return word


# The heads of a description that names a body by its kind (government, authorities, army,
# forces, police, press, judiciary, intelligence, opposition) or its members (policemen,
# dissidents), in matching form without the article.
_DESCRIBED_HEADS = frozenset(
    match_form(w)
    for w in (
        "حكومة",
        "حكومات",
        "سلطات",
        "سلطة",
        "إدارة",
        "نظام",
        "جيش",
        "جيوش",
        "قوات",
        "قوى",
        "شرطة",
        "صحف",
        "صحافة",
        "ميليشيات",
        "مليشيات",
        "قضاء",
        "مخابرات",
        "استخبارات",
        "معارضة",
        "شرطي",
        "شرطيين",
        "معارض",
        "معارضين",
        "معارضون",
    )
)


def described_body(run: Run, c: Candidate) -> bool:
    """Whether an organisation the linker found is a description, not a name: a body's kind and
    the adjectives that say whose it is (``الحكومة السودانية``, ``الجيش اللبناني``, ``القوات
    المسلحة التركية``, ``الصحف الاسرائيلية``).

    So is an indefinite phrase that a role noun begins (``محكمة مصرية`` "an Egyptian court",
    ``شرطيين تركيين`` "two Turkish policemen").  ANERcorp leaves such phrases untagged, as it
    leaves ``الرئيس`` or ``الوزير``; so do most of our gold articles (``السلطات التركية``,
    ``الحكومة الألمانية``, ``القوات اليمنية``).  They stay role mentions with their actor code,
    which is what quotes and events need of them.
    """
    if c.type != "ORG" or c.last <= c.first:
        return False
    rest = run.keys[c.first + 1 : c.last + 1]
    adjective = run.l.roles.country_of_adjective
    if (
        c.source == "role"
        and not match_form(run.doc.text[c.start : run.ends[c.first]]).startswith("ال")
        and not any(w.startswith("ال") for w in rest)
        and adjective(rest[-1]) is not None
    ):
        return True  # indefinite: محكمة مصرية "an Egyptian court", شرطيين تركيين "two Turkish policemen"
    return (
        _head(run, c.first, c.start) in _DESCRIBED_HEADS
        and all(w.startswith("ال") for w in rest)
        and any(adjective(w) is not None for w in rest)
    )


def worth_adding(entry: KBEntry, words: int, strip: int, key: str) -> bool:
    """Whether an alias NER did not tag is safe to add as an entity on its own.

    A person's one-word alias is a surname the knowledge base keeps for a political actor
    (لافروف، كيري); one with the article may be a common word or an adjective (الأسد، البغدادي).
    """
    if entry.type == "PER":
        return words >= 2 or (bool(entry.codes) and not key.startswith("ال") and len(key) >= 4)
    if words >= 2:
        return True
    return entry.kind in _ADD_ONE_WORD and len(key) >= 3


def role_mentions(doc: Document) -> tuple[Mention, ...]:
    """The role phrases the linker found in ``doc`` (``وزير الخارجية الاميركي``), in text order."""
    for key, value in doc.meta:
        if key == MENTIONS:
            return tuple(value)
    return ()
