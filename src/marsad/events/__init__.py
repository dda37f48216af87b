"""PLOVER event coding: who did what to whom, where and when, with the evidence for each event.

>>> stage = load_events()
>>> doc = stage(doc)        # doc.events: Event(type, mode, cameo, trigger, source, target, ...)

The stage needs the tokens and sentences, the linked entities and the quotes of a document; see
:mod:`marsad.events.coder` for the steps and ``data/`` for the lexicon (built by
``tools/build_event_lexicon.py``), the cue words and the type policies.
"""

from __future__ import annotations

from functools import lru_cache

from .coder import EVIDENCE_WORDS, EventCoder
from .lexicon import Lexicon, LexiconError

__all__ = ["EVIDENCE_WORDS", "EventCoder", "Lexicon", "LexiconError", "load_events"]


@lru_cache(maxsize=1)
def load_events() -> EventCoder:
    """The ``events`` stage over the lexicon shipped with marsad (built once)."""
    return EventCoder(Lexicon.load())
