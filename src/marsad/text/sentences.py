"""Sentence splitting over tokens.

A sentence ends at a stop (``. ! ? ؟ …``), together with any further stops and the closing quotes or
brackets that follow it (``..."`` belongs to the sentence), and at every line break or paragraph
boundary, which sentences never cross.  A full stop does not end a sentence after an abbreviation
(``د.`` ``م.`` ``Dr.`` ``U.S.``, the list in ``data/abbreviations.tsv``), inside an acronym spelt out in
Arabic letters (``بي.بي.سي``, ``بي. بي. سي``) or between two Latin or number tokens written together
(``sabq.org``); decimal and thousands separators are inside number tokens already.  A stop glued to
the next word (``لنا".كما``) still ends the sentence.  A sentence holding no word (a list number
``1.``) joins the next one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from operator import itemgetter

from marsad.document import Sentence, Token

__all__ = ["STOPS", "split_sentences"]

#: Characters that end a sentence.
STOPS = frozenset(".!?؟…۔‼⁇⁈⁉")
_STOP_RE = re.compile("[" + re.escape("".join(sorted(STOPS))) + "]")
_BREAK_RE = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CLOSERS = frozenset("»”’›)]}﴿")  # close whatever they follow, even after a space
_QUOTES = frozenset("\"'")  # close only when a quotation is open on the line
_WORDS = ("arabic", "latin")
# names of Latin letters that are also common Arabic words (أن، أو، أي، في ...): a stop after one of
# them followed by a space ends a sentence as usual
_COMMON_WORDS = frozenset({"ال", "ام", "ان", "او", "اي", "في"})


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """Latin abbreviations and Arabic names of Latin letters, from ``data/abbreviations.tsv``."""
    raw = resources.files("marsad.text").joinpath("data", "abbreviations.tsv").read_text("utf-8")
    latin: set[str] = set()
    letters: set[str] = set()
    for line in raw.splitlines():
        if not line or line.startswith(("#", "word\t")):
            continue
        word, kind = line.split("\t")[:2]
        (latin if kind == "latin" else letters).add(word)
    return frozenset(latin), frozenset(letters)


def _is_abbreviation(tokens: Sequence[Token], i: int) -> bool:
    """Whether the full stop ``tokens[i]`` closes an abbreviation or sits inside an acronym or name."""
    stop = tokens[i]
    if i == 0 or tokens[i - 1].end != stop.start:
        return False
    prev = tokens[i - 1]
    nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].start == stop.end else None
    latin, letters = _abbreviations()
    if prev.kind == "latin":
        if len(prev.norm) == 1 or prev.norm.lower() in latin:
            return True
        return nxt is not None and nxt.kind in ("latin", "number")
    if prev.kind == "number":
        return nxt is not None and nxt.kind in ("latin", "number")
    if prev.kind == "arabic":
        if len(prev.norm) == 1:  # د. م. أ. — but 2015م. ends a sentence
            return not (i >= 2 and tokens[i - 2].kind == "number" and tokens[i - 2].end == prev.start)
        if prev.norm not in letters:
            return False
        if nxt is not None:
            return nxt.norm in letters
        # spelt out with spaces (بي. بي. سي), where neither letter's name is also a common word
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        return (
            after is not None
            and after.start == stop.end + 1
            and after.norm in letters
            and not {prev.norm, after.norm} & _COMMON_WORDS
        )
    return False


def _quote_open(text: str, line_start: int, pos: int, quote: str) -> bool:
    return text.count(quote, line_start, pos) % 2 == 1


def split_sentences(
    text: str, tokens: Sequence[Token], paragraphs: Sequence[tuple[int, int]] | None = None
) -> list[Sentence]:
    """Sentences over ``tokens`` (tokens of ``text``, in order): every token in exactly one sentence.

    ``paragraphs`` are ``(start, end)`` character spans that sentences must not cross (line breaks are
    boundaries anyway).  ``first_token``/``last_token`` index ``tokens`` (``last_token`` exclusive);
    ``start``/``end`` are the first token's start and the last token's end.
    """
    n = len(tokens)
    if n == 0:
        return []
    starts = list(map(itemgetter(0), tokens))
    lo, hi = starts[0], tokens[-1].end
    hard: set[int] = set()
    for m in _BREAK_RE.finditer(text, lo, hi):
        hard.add(bisect_left(starts, m.start()))
    for ps, pe in paragraphs or ():
        hard.add(bisect_left(starts, ps))
        hard.add(bisect_left(starts, pe))
    soft: set[int] = set()
    for m in _STOP_RE.finditer(text, lo, hi):
        pos = m.start()
        i = bisect_right(starts, pos) - 1
        tok = tokens[i]
        if tok.start != pos or tok.end != pos + 1 or tok.kind != "punct":
            continue  # the dot of a number, URL or e-mail address
        if tok.text == "." and _is_abbreviation(tokens, i):
            continue
        line_start = max(text.rfind("\n", 0, pos) + 1, lo)
        j = i + 1
        while j < n:
            t = tokens[j]
            closes = (
                (t.kind == "punct" and t.text in STOPS)
                or (t.text in _CLOSERS and "\n" not in text[tokens[j - 1].end : t.start])
                or (t.text in _QUOTES and _quote_open(text, line_start, t.start, t.text))
            )
            if not closes:
                break
            j += 1
        soft.add(j)
    cuts = sorted(c for c in hard | soft if 0 < c < n)
    sentences: list[Sentence] = []
    first = 0
    for c in cuts:
        if c not in hard and not any(tokens[k].kind in _WORDS for k in range(first, c)):
            continue  # nothing but a number or stray marks so far: keep going
        sentences.append(_sentence(text, tokens, first, c))
        first = c
    sentences.append(_sentence(text, tokens, first, n))
    return sentences


def _sentence(text: str, tokens: Sequence[Token], first: int, last: int) -> Sentence:
    start, end = tokens[first].start, tokens[last - 1].end
    return Sentence(start, end, text[start:end], first, last)
