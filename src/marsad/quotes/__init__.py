"""Quotes and their speakers: direct quotations and reported speech.

>>> stage = load_quotes()
>>> doc = stage(doc)          # doc.quotes: Quote(start, end, text, direct, cue, speaker)

The reporting verbs and the small word classes the finder reads are data (``data/cues.tsv``,
``data/words.tsv``); see :mod:`marsad.quotes.finder` for how a quote and its speaker are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from marsad.document import Document, Quote

from .finder import SCARE_WORDS, QuoteFinder
from .lexicon import Cue, Lexicon, packaged_lexicon

__all__ = ["SCARE_WORDS", "Cue", "Lexicon", "QuoteFinder", "QuoteStage", "find_quotes", "load_quotes"]


@dataclass(frozen=True, slots=True)
class QuoteStage:
    """The ``quotes`` stage: fills ``Document.quotes``."""

    finder: QuoteFinder = field(default_factory=QuoteFinder)
    name: str = "quotes"
    requires: tuple[str, ...] = ("tokens", "sentences", "entities")
    provides: tuple[str, ...] = ("quotes",)

    def __call__(self, doc: Document) -> Document:
        return doc.replace(quotes=self.finder.find(doc))


@lru_cache(maxsize=1)
def load_quotes() -> QuoteStage:
    """The ``quotes`` stage with the packaged lexicon (built once)."""
    return QuoteStage(QuoteFinder(packaged_lexicon()))


def find_quotes(doc: Document) -> tuple[Quote, ...]:
    """The quotes of an analysed document (tokens, sentences and entities filled)."""
    return load_quotes().finder.find(doc)
