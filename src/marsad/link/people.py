"""People: names the knowledge base holds in another form, surnames, names split by brackets.

* :func:`person_entry`: a person by first + last name or without the ``بن``/``آل`` links;
* :func:`bracketed`: ``الرئيس السوري (بشار) الاسد`` is one person named in two parts;
* :func:`short_names`: a surname standing alone after the full name names that person, tagged
  by NER or not;
* :func:`coreference`: a short name takes the identity of the full name used earlier.
"""

from __future__ import annotations

from marsad.kb import KBEntry
from marsad.text.normalize import match_form

from .aliases import BARRIER
from .state import Candidate, Run

__all__ = ["NAME_LINKS", "antecedent", "bracketed", "coreference", "person_entry", "short_names"]

# Words that link the parts of an Arabic name.
NAME_LINKS = frozenset({"بن", "ابن", "بنت", "ال", "ابو", "ام", "عبد"})
# Proclitic letters a surname may carry (وكيري، لكيري، وبكيري).
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})


def person_entry(run: Run, words: list[str]) -> KBEntry | None:
    """A person by first + last name, or by the name without its ``بن``/``آل`` links."""
    l = run.l
    tries: list[str] = []
    if len(words) >= 3:
        tries.append(words[0] + " " + words[-1])
        core = [w for w in words if w not in NAME_LINKS]
        if 2 <= len(core) < len(words):
            tries.append(" ".join(core))
            tries.append(core[0] + " " + core[-1])
        # سلمان بن عبدالعزيز آل سعود → سلمان بن عبدالعزيز
        tries.extend(
            " ".join(words[:n]) for n in range(len(words) - 1, 1, -1) if words[n - 1] not in NAME_LINKS
        )
    for t in tries:
        m = l.aliases.get(t)
        if m:
            entry = l.choose(m, "PER", run.date)
            if entry is not None:
                return entry
    return None


def bracketed(run: Run) -> None:
    """A name split by a bracket, as the wires write it: ``الرئيس السوري (بشار) الاسد``,
    ``الرئيس الاميركي (باراك) اوباما``; both parts are mentions of the person."""
    keys, toks, where = run.keys, run.toks, run.where
    own = run.owners()
    for k in range(1, len(keys) - 1):
        if keys[k] != BARRIER or toks[where[k]].text not in "()":
            continue
        left, right = k - 1, k + 1
        if keys[left] == BARRIER or keys[right] == BARRIER:
            continue
        first = left
        if own[left] >= 0 and run.ents[own[left]].type == "PER":
            first = run.ents[own[left]].first
        words = [w for w in keys[first : left + 1] if w != BARRIER]
        for n in (2, 1):
            tail = keys[right : right + n]
            if len(tail) < n or BARRIER in tail:
                continue
            ids = run.l.aliases.get(" ".join(words + tail))
            entry = run.l.choose(ids, "PER", run.date) if ids else None
            if entry is None:
                continue
            for a, b in ((first, left), (right, right + n - 1)):
                o = own[a]
                if o >= 0 and run.ents[o].first == a and run.ents[o].last == b:
                    run.ents[o].entry = run.ents[o].entry or entry
                elif all(own[x] == -1 for x in range(a, b + 1)):
                    run.ents.append(
                        Candidate(a, b, run.char_start(a, 0), run.ends[b], "PER", "kb", entry=entry)
                    )
            break


def short_names(run: Run) -> None:
    """A surname standing alone after the full name (``جون كيري`` ... ``وقال كيري``) names that person,
    also where NER did not tag it."""
    surnames: dict[str, Candidate | None] = {}
    for e in run.ents:
        if e.type != "PER" or (e.entry is None and e.actor is None):
            continue
        words = [k for k in run.keys[e.first : e.last + 1] if k != BARRIER]
        if len(words) < 2 or len(words[-1]) < 3 or words[-1] in NAME_LINKS:
            continue
        prior = surnames.get(words[-1], e)
        surnames[words[-1]] = e if prior is e or prior is None or prior.entry is e.entry else None
    if not surnames:
        return
    own = run.owners()
    added: list[Candidate] = []
    tails = {s[-3:] for s in surnames}
    for k, key in enumerate(run.keys):
        if key[-3:] not in tails or own[k] != -1:
            continue
        # the word, or the word without و ف ب ل ك (لل: ل + ال)
        for form, strip in ((key, 0), (key[1:], 1), (key[2:], 2), ("ا" + key[1:], 1)):
            full = surnames.get(form)
            if full is None or k <= full.last or (strip and key[:strip] not in PROCLITICS):
                continue
            if form[0] == "ا" and strip == 1 and not key.startswith("لل"):
                continue
            start = run.char_start(k, strip)
            short = Candidate(
                k,
                k,
                start,
                run.ends[k],
                "PER",
                "kb",
                entry=full.entry,
                actor=full.actor,
                country=full.country,
            )
            added.append(short)
            break
    if added:
        run.ents.extend(added)
        run.ents.sort(key=lambda x: x.start)


def coreference(run: Run) -> None:
    """A person NER tagged by a short name takes the link of the full name used earlier."""
    # the latest linked person by each beginning and ending of its name (shorter than the name):
    # what antecedent() finds by scanning every earlier person, looked up at once
    latest: dict[tuple[str, ...], Candidate] = {}
    for e in run.ents:
        if e.type != "PER":
            continue
        words = tuple(match_form(w) for w in run.doc.text[e.start : e.end].split())  # without proclitics
        if not words:
            continue
        if e.entry is None or e.actor is None:
            ante = latest.get(words)
            if ante is not None:
                if e.entry is None:
                    e.entry = ante.entry
                if e.actor is None:
                    e.actor, e.country = ante.actor, ante.country
        if e.entry is not None or e.actor is not None:
            for n in range(1, len(words)):
                latest[words[:n]] = e
                latest[words[-n:]] = e


def antecedent(words: tuple[str, ...], seen: list[tuple[tuple[str, ...], Candidate]]) -> Candidate | None:
    """The latest earlier person whose name contains ``words`` as its ending or beginning."""
    n = len(words)
    for prior, e in reversed(seen):
        if len(prior) <= n or (e.entry is None and e.actor is None):
            continue
        if prior[-n:] == words or prior[:n] == words:
            return e
    return None
