"""The Document: one immutable text and typed records with offsets into it.

Every record below carries ``start``/``end``: Python string indices (code points) into
``Document.text``, end exclusive, with ``text[start:end] == record.text`` always.  The text
itself is never rewritten; normalised forms are derived views (see :mod:`marsad.text.normalize`).

Tokens and sentences are :class:`typing.NamedTuple` records because an article has hundreds
of them and they are built on the hot path; the richer, rarer records (entities, quotes,
events) are frozen dataclasses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "Span",
    "Token",
    "Sentence",
    "Header",
    "Entity",
    "Mention",
    "Quote",
    "Place",
    "Event",
    "Document",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the document text."""

    start: int
    end: int
    text: str


class Token(NamedTuple):
    """One surface token, with the clitic segmentation of Arabic words.

    ``stem_start``/``stem_end`` are absolute offsets of the stem once proclitics (و ف ب ل ك س ال)
    and enclitic pronouns are split off; for a token without clitics they equal ``start``/``end``.
    ``norm`` is the matching form of the whole token, ``stem_norm`` that of the stem
    (see :func:`marsad.text.normalize.match_form`).
    ``kind`` is one of ``"arabic"``, ``"latin"``, ``"number"``, ``"punct"``, ``"symbol"``.
    """

    start: int
    end: int
    text: str
    kind: str
    norm: str
    stem_start: int
    stem_end: int
    stem_norm: str

    @property
    def stem(self) -> str:
        return self.text[self.stem_start - self.start : self.stem_end - self.start]

    @property
    def prefix(self) -> str:
        """The proclitics as written (``"وال"`` in ``والولايات``), or ``""``."""
        return self.text[: self.stem_start - self.start]

    @property
    def name_start(self) -> int:
        """Where a name starting at this token begins: after the proclitics و ف ب ك ل, keeping the
        article (``والولايات`` → ``الولايات``, ``للافروف`` → ``لافروف``, ``للمملكة`` → ``لمملكة``)."""
        if self.stem_start <= self.start:
            return self.start
        letters = [
            (i, ch) for i, ch in enumerate(self.prefix) if "\u0621" <= ch <= "\u064a" or ch == "\u0671"
        ]
        core = "".join(ch for _, ch in letters)
        if core.endswith(("ال", "ٱل")):  # keep the article
            return self.start + letters[-2][0]
        if core.endswith("لل") and len(letters) >= 2:  # ل + ال with its alef dropped: keep the article's ل
            return self.start + letters[-1][0]
        return self.stem_start

    @property
    def suffix(self) -> str:
        """The enclitic pronoun as written (``"ه"`` in ``ابلغه``), or ``""``."""
        return self.text[self.stem_end - self.start :]

    @property
    def is_word(self) -> bool:
        return self.kind in ("arabic", "latin")


class Sentence(NamedTuple):
    """A sentence: character span and the half-open range of its tokens in ``Document.tokens``."""

    start: int
    end: int
    text: str
    first_token: int
    last_token: int  # exclusive


@dataclass(frozen=True, slots=True)
class Header:
    """What the article's opening line says about itself.

    ``dateline`` is the place the story was filed from (``واشنطن``), ``source`` the agency or paper
    (``المغرب اليوم``, ``واس``, ``أ ف ب``); ``date`` a date written in the header (SPA's
    ``الدمام 26 شوال 1436 هـ الموافق 11 اغسطس 2015 م واس``).  ``body_start`` is where the story proper
    begins, after the header.
    """

    dateline: Span | None = None
    source: Span | None = None
    source_name: str | None = None
    date: dt.date | None = None
    body_start: int = 0


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity mention, optionally linked to the knowledge base."""

    id: str
    start: int
    end: int
    text: str
    type: str  # PER ORG LOC MISC
    kb: str | None = None
    name_en: str | None = None
    actor: str | None = None
    country: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span playing a role (speaker, event source/target), linked where possible."""

    start: int
    end: int
    text: str
    entity: str | None = None
    kb: str | None = None
    name_en: str | None = None
    actor: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    start: int
    end: int
    text: str
    direct: bool
    cue: Span | None = None
    speaker: Mention | None = None


@dataclass(frozen=True, slots=True)
class Place:
    start: int
    end: int
    text: str
    entity: str | None = None
    name_en: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str  # one of PLOVER's 16 types
    sentence: int
    trigger: Span
    mode: str | None = None
    cameo: str | None = None
    source: Mention | None = None
    target: Mention | None = None
    location: Place | None = None
    date: dt.date | None = None
    confidence: float = 0.0
    evidence: Span | None = None
    mentions: int = 1


@dataclass(frozen=True, slots=True)
class Document:
    """An article and everything the pipeline found in it.

    Stages return a new Document via :meth:`replace`; nothing is mutated in place.
    """

    text: str
    id: str | None = None
    title: str | None = None
    published: dt.date | None = None
    source_hint: str | None = None  # the source given by the caller (``--source``), if any
    header: Header = field(default_factory=Header)
    paragraphs: tuple[Span, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    meta: tuple[tuple[str, Any], ...] = ()

    def replace(self, **changes: Any) -> Document:
        return dataclasses.replace(self, **changes)

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` of this text, checked."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} is outside the text (length {len(self.text)})")
        return Span(start, end, self.text[start:end])

    def sentence_tokens(self, index: int) -> tuple[Token, ...]:
        s = self.sentences[index]
        return self.tokens[s.first_token : s.last_token]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing character ``offset``, or None."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return None
