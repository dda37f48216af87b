"""Role phrases in context: bodies they name, people they stand beside, people they name again.

:func:`role_phrases` finds the role phrases of a document (:mod:`.roles`) and binds each person's
role to the name in apposition (``وزير الخارجية الاميركي جون كيري``, ``سامي أبو زهري، المتحدث``),
or, named again without the name (``المتحدث``، ``الوزير الألماني``), to the person who held that
office earlier in the article.  An institution or a force with an actor code becomes an entity
(unless it is only described by its kind and its country: :func:`.linker.described_body`).
:class:`BodyAt` tells a role phrase what entity (or alias) starts at a key.
"""

from __future__ import annotations

from .aliases import BARRIER
from .roles import Body, RolePhrase, entry_country
from .state import STATE, Candidate, Run

__all__ = ["BodyAt", "add_body", "apposition", "role_phrases", "starts"]


def role_phrases(run: Run) -> list[tuple[RolePhrase, Candidate | None]]:
    """Role phrases in order, each with the person it is bound to (apposition), if any."""
    l = run.l
    keys = run.keys
    own = run.owners()
    body_at = BodyAt(run, None)
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
        if o != -1 and (run.ents[o].type == "PER" or run.ents[o].first != k):
            k = run.ents[o].last + 1  # مركز «الملك» سلمان: inside a name
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
    bound: list[tuple[RolePhrase, Candidate | None]] = []
    loose: set[int] = set()  # bound to a name after a comma or a title: the memory may know better
    added: list[Candidate] = []
    own = run.owners()
    for ph, _ in out:
        if ph.role.kind in ("institution", "group"):
            add_body(run, ph, own, added)
            bound.append((ph, None))
            continue
        if ph.inner is not None:
            add_body(run, ph.inner, own, added)
        person, apart = apposition(run, ph, own)
        if apart:
            loose.add(len(bound))
        bound.append((ph, person))
    if added:
        run.ents.extend(added)
        run.ents.sort(key=lambda x: x.start)
    # a role named again without the name (``المتحدث``، ``الوزير الألماني``) is the same person
    memory: dict[tuple[tuple[str, ...], str | None], Candidate] = {}
    recent: dict[tuple[str, ...], Candidate] = {}
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


def add_body(run: Run, ph: RolePhrase, own: list[int], added: list[Candidate]) -> None:
    """An institution or a force with a known actor, not already an entity, becomes one; it may
    contain the place or body that gives its code (``شرطة محافظة شرورة``)."""
    if not ph.actor:
        return
    for i in range(ph.first, ph.last + 1):
        o = own[i]
        if o == -2 or (o >= 0 and (i == ph.first or run.ents[o].type == "PER" or run.ents[o].last > ph.last)):
            return
    start = run.char_start(ph.first, ph.strip)
    e = Candidate(ph.first, ph.last, start, run.ends[ph.last], "ORG", "role")
    e.actor, e.country = ph.actor, ph.country
    added.append(e)
    for i in range(ph.first, ph.last + 1):
        own[i] = -2  # taken


def apposition(run: Run, ph: RolePhrase, own: list[int]) -> tuple[Candidate | None, bool]:
    """The person named right after (or right before) a role phrase, and whether a comma or a
    title stands between them."""
    keys = run.keys
    words = run.l.words
    k = ph.last + 1
    steps = 0
    while k < len(keys) and steps < 4:
        o = own[k]
        if o >= 0:
            e = run.ents[o]
            return (e if e.type == "PER" and e.first == k else None), steps > 0
        if o == -2:
            break
        if keys[k] == BARRIER and run.toks[run.where[k]].text not in ",،":
            break
        if keys[k] != BARRIER and not words.has(keys[k], "title") and not words.has(keys[k], "filler"):
            break
        k += 1
        steps += 1
    # before: ``سامي أبو زهري، المتحدث الرسمي باسم الحركة``
    k = ph.first - 1
    if k >= 0 and keys[k] == BARRIER and run.toks[run.where[k]].text in ",،":
        k -= 1
    if k >= 0 and own[k] >= 0:
        e = run.ents[own[k]]
        governed = e.first > 0 and run.l.roles.may_start(keys[e.first - 1])  # مستشار «خادم الحرمين»
        if e.type == "PER" and e.last == k and not governed:
            return e, False
    return None, False


def starts(run: Run) -> dict[int, list[Candidate]]:
    """The run's entities by the key index they start at, in the run's order."""
    out: dict[int, list[Candidate]] = {}
    for e in run.ents:
        out.setdefault(e.first, []).append(e)
    return out


class BodyAt:
    """``key index → Body`` of the entity (or else the alias) starting there; one entity may be left out.

    ``by_first``: the run's :func:`starts`, when the caller asks for one entity after another
    (built once, so that a document of thousands of entities costs no more per entity)."""

    def __init__(self, run: Run, skip: Candidate | None, by_first: dict[int, list[Candidate]] | None = None):
        self.run = run
        self.skip = skip
        self.by_first = starts(run) if by_first is None else by_first

    def __call__(self, k: int) -> Body | None:
        e = None
        for x in self.by_first.get(k, ()):  # the last one starting there, but the one left out
            if x is not self.skip:
                e = x
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
        if m[0] == 1 and entry.type == "LOC" and entry.kind not in STATE and entry.kind != "capital":
            return None  # مركز الملك سلمان: not the town of Salman
        actor = run.l.actor_of(entry, run.date)
        country = entry_country(entry)
        if country is None and actor is None:
            return None
        return Body(actor, country, entry.type == "ORG", m[0], entry.type == "PER")
