"""The state of linking one document: the candidate entities over the token keys.

A :class:`Candidate` is an entity being linked: its key span (see :func:`.aliases.token_keys`),
character span, type, and what linking found so far.  :class:`Run` holds them with the document's
keys and the :class:`~marsad.link.linker.Linker` that does the work.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marsad.document import Document, Token
from marsad.kb import KBEntry

from .aliases import skip_letters

if TYPE_CHECKING:
    from .linker import Linker

__all__ = ["STATE", "WITH_ARTICLE", "Candidate", "Run"]

# Kinds of entries that are states (their mentions as actors are the government).
STATE = frozenset({"country", "territory"})
# How a word written with the article begins (الـ after a conjunction or preposition; لل).
WITH_ARTICLE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال")


@dataclass(slots=True)
class Candidate:
    """An entity being linked."""

    first: int  # key index of the first word
    last: int  # key index of the last word (inclusive); last < first: dropped
    start: int
    end: int
    type: str
    source: str = "ner"  # ner, kb (an alias), role (a role phrase), dateline
    entry: KBEntry | None = None
    actor: str | None = None
    country: str | None = None
    confidence: float | None = None
    partial: KBEntry | None = None  # an alias found inside the span


class Run:
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
        self.ents: list[Candidate] = []

    def key_range(self, start: int, end: int) -> tuple[int, int]:
        """Key indices ``(first, last)`` of the words overlapping chars ``start..end``."""
        a = bisect_left(self.ends, start + 1)
        b = bisect_left(self.starts, end) - 1
        return a, b

    def char_start(self, k: int, strip: int) -> int:
        """Where the word at key ``k`` begins once ``strip`` letters of proclitics are left out."""
        t = self.toks[self.where[k]]
        return t.start + skip_letters(t.text, strip)

    def owners(self) -> list[int]:
        """For each key, the index of the candidate over it, or -1."""
        own = [-1] * len(self.keys)
        for n, e in enumerate(self.ents):
            for k in range(max(e.first, 0), min(e.last, len(own) - 1) + 1):
                own[k] = n
        return own
