"""Entity linking: mentions to knowledge-base entries and CAMEO actor codes at the article's date.

>>> stage = load_linker()
>>> doc = stage(doc)                      # entities get kb, name_en, actor, country
>>> actor_for_span(doc, start, end)       # the best linked actor mention for a stretch of text

See :mod:`marsad.link.linker` for the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from marsad.document import Document, Mention

from .linker import MENTIONS, Linked, Linker, role_mentions

__all__ = [
    "MENTIONS",
    "Linked",
    "Linker",
    "actor_for_span",
    "load_linker",
    "mention_for_entity",
    "role_mentions",
]


@lru_cache(maxsize=1)
def load_linker() -> Linker:
    """The ``link`` stage over the knowledge base shipped with marsad (built once).

    A town's one-word name that NER did not tag becomes an entity only if the news uses the word
    as a name: the NER model's word profile (how its base tagger labels the word across
    SaudiNewsNet, ``marsad/ner/MODEL_CARD.md``) puts it inside a name at least a fifth of the
    time, or has not seen it.  ``بورصة`` (Bursa; "stock exchange") and ``الزاوية`` (Zawiya; "the
    corner") are common words there; ``شبوة`` and ``لحج`` are names."""
    from marsad.kb import KnowledgeBase

    return Linker(KnowledgeBase.load(), name_in_news=_name_in_news())


def _name_in_news() -> Callable[[str], bool] | None:
    try:
        from marsad.ner import load_ner

        table = load_ner().featurizer.profile.table
    except (ImportError, RuntimeError):
        return None
    if not table:
        return None

    def name_in_news(key: str) -> bool:
        classes = table.get(key)
        return classes is None or any(c[0] not in "<>" and c[-1] in "23" for c in classes)

    return name_in_news


def mention_for_entity(doc: Document, entity_id: str) -> Mention | None:
    """A :class:`Mention` carrying the linked fields of entity ``entity_id``."""
    for e in doc.entities:
        if e.id == entity_id:
            return Mention(e.start, e.end, e.text, e.id, e.kb, e.name_en, e.actor, e.country)
    return None


def actor_for_span(doc: Document, start: int, end: int) -> Mention | None:
    """The best linked actor mention within (or overlapping) ``text[start:end]``, or None.

    Candidates are the document's entities and the role phrases the linker found.  One with an
    actor code beats one without; then the one that starts first (the head of an Arabic noun
    phrase comes first: ``القوات الموالية للأسد`` is the forces, not al-Assad); then the longer.
    A role phrase bound to a named person counts as that person
    (``وزير الخارجية الاميركي جون كيري`` → John Kerry).
    """
    best: tuple[tuple[int, int, int], Mention] | None = None
    candidates = [
        Mention(e.start, e.end, e.text, e.id, e.kb, e.name_en, e.actor, e.country) for e in doc.entities
    ]
    candidates.extend(role_mentions(doc))
    for m in candidates:
        if m.end <= start or m.start >= end:
            continue
        key = (0 if m.actor else 1, max(m.start, start), -(min(m.end, end) - max(m.start, start)))
        if best is None or key < best[0]:
            best = (key, m)
    return best[1] if best else None
