"""Quotation marks paired into quoted stretches of text.

Two families are paired separately: guillemets ``« »`` (and ``‹ ›``), which nest, and double
quotes ``“ ” „ "``, where writers use ``"`` and often ``”`` for both ends.  A mark of the second
family is read as opening or closing by the spaces around it (``ان "الولايات`` opens,
``ذاته".`` closes) and, when that does not tell, by turns.  A quotation left open at the end of
its paragraph ends there, unless the next paragraph goes on with it (the press convention of
opening each continued paragraph again); a closing mark more than two paragraphs later does not
close it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from marsad.document import Span, Token

__all__ = ["CLOSERS", "OPENERS", "QUOTE_MARKS", "Quoted", "find_quoted"]

OPENERS = frozenset("«‹“„")
CLOSERS = frozenset("»›")
_AMBIGUOUS = frozenset('"”″＂')
QUOTE_MARKS = OPENERS | CLOSERS | _AMBIGUOUS
_GUILLEMETS = frozenset("«»‹›")
_LEFT_OPEN = frozenset("([{:،,؛;-–—/")
_RIGHT_CLOSE = frozenset(".,،؛;:!?؟)]}-–—/")


class Quoted(NamedTuple):
    """A quoted stretch: ``start``/``end`` the content (marks excluded), ``open``/``close`` with them."""

    open: int
    start: int
    end: int
    close: int


def _paragraph_ends(text: str, paragraphs: Sequence[Span]) -> list[int]:
    if paragraphs:
        return [p.end for p in paragraphs]
    ends = []
    i = text.find("\n")
    while i != -1:
        ends.append(i)
        i = text.find("\n", i + 1)
    ends.append(len(text))
    return ends


def _side(text: str, i: int) -> str:
    """``open``, ``close`` or ``either`` for an ambiguous mark at ``i``, from the spaces around it."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    left = prev.isspace() or prev in _LEFT_OPEN
    right = nxt.isspace() or nxt in _RIGHT_CLOSE
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    return "either"


def find_quoted(text: str, tokens: Sequence[Token], paragraphs: Sequence[Span] = ()) -> list[Quoted]:
    """The quoted stretches of ``text``, in order, from its quotation-mark tokens."""
    ends = _paragraph_ends(text, paragraphs)

    def para(i: int) -> int:
        return bisect_right(ends, i)

    def para_end(i: int) -> int:
        p = para(i)
        return ends[p] if p < len(ends) else len(text)

    out: list[Quoted] = []
    # guillemets, nesting
    depth = 0
    g_open = -1
    # double quotes, by side and by turns
    d_open = -1
    for t in tokens:
        ch = t.text
        if len(ch) != 1 or ch not in QUOTE_MARKS:
            continue
        i = t.start
        if ch in _GUILLEMETS:
            if ch in OPENERS:
                if depth and para(i) != para(g_open):
                    out.append(_make(text, g_open, para_end(g_open), None))
                    depth = 0
                if depth == 0:
                    g_open = i
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    if para(i) - para(g_open) > 2:
                        out.append(_make(text, g_open, para_end(g_open), None))
                    else:
                        out.append(_make(text, g_open, i, i + 1))
            continue
        side = "open" if ch in OPENERS else _side(text, i)
        if d_open >= 0:
            same = para(i) == para(d_open)
            if side == "open" and not same:
                out.append(_make(text, d_open, para_end(d_open), None))
                d_open = i
            elif side == "open" and ch in OPENERS:
                out.append(_make(text, d_open, i, None))
                d_open = i
            elif para(i) - para(d_open) > 2:
                out.append(_make(text, d_open, para_end(d_open), None))
                d_open = i if side != "close" else -1
            else:
                out.append(_make(text, d_open, i, i + 1))
                d_open = -1
        elif side != "close":
            d_open = i
    if depth:
        out.append(_make(text, g_open, para_end(g_open), None))
    if d_open >= 0:
        out.append(_make(text, d_open, para_end(d_open), None))
    out = [q for q in out if q.end > q.start]
    out.sort()
    return out


def _make(text: str, open_at: int, end: int, close: int | None) -> Quoted:
    start = open_at + 1
    while start < end and text[start].isspace():
        start += 1
    e = end
    while e > start and text[e - 1].isspace():
        e -= 1
    return Quoted(open_at, start, e, close if close is not None else e)
