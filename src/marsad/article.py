"""Article structure: the opening header (dateline, source, a written date) and the paragraphs.

Wire stories open with a header naming where the story was filed and who filed it.  The forms
read here, as a line of their own or before the story on the same line:

* ``واشنطن - المغرب اليوم``, ``القاهرة - أ ف ب:``, ``دبي - رويترز:``, ``بيروت ـ «الشرق الأوسط»``
  (place, dash or tatweel-dash, source, optional colon);
* ``الرياض (واس) -`` (source in parentheses);
* ``سبق- مكة المكرمة:``, ``عين اليوم – القاهرة``, ``بندر الدوشي- سبق- أبو عريش:`` (source first,
  with or without the reporter's name), ``حنان الحامدي – عين اليوم`` (reporter and source: no
  dateline), ``ناصر الطميحي ـ جدة`` (reporter and place);
* ``لندن: «الشرق الأوسط»``, ``«الاقتصادية» من الرياض``, ``واشنطن:`` (a known place alone);
* SPA's ``الدمام 26 شوال 1436 هـ الموافق 11 اغسطس 2015 م واس``, whose date becomes
  :attr:`Header.date`.

A dateline is a place-like phrase of one to four words without particles or verbs.  Sources are
recognised from ``data/sources.tsv`` (agencies, papers, broadcasters: :func:`lookup_source`); a
name in guillemets or parentheses counts as a source even when unknown.  A header needs a source
or a dateline from ``data/dateline_places.tsv`` (see ``tools/build_dateline_places.py``), so a
title such as ``الهلال - النصر`` is not taken for one.  When the first line reads as a title and
has no header, the second line is tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from marsad.document import Header, Span
from marsad.text.dates import find_dates
from marsad.text.normalize import DELETED, match_form

__all__ = ["SourceInfo", "lookup_source", "parse_header", "split_paragraphs"]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A known news source: canonical Arabic name, English name, short code and kind."""

    name: str
    name_en: str
    code: str
    kind: str  # agency | paper | broadcaster | site | generic


def _rows(name: str) -> Iterator[list[str]]:
    raw = resources.files("marsad").joinpath(f"data/{name}").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


_QUOTES = "«»\"“”‘’'"


def _source_key(text: str) -> str:
    """Sources match with dots, spaces and quotes ignored: أ ف ب = أ.ف.ب = "أ.ف.ب"."""
    return "".join(ch for ch in match_form(text) if ch not in " .\u00a0" and ch not in _QUOTES)


def _word_key(word: str) -> str:
    return match_form(word.strip(_QUOTES + "()،,.:"))


_ALEFS = {**str.maketrans("أإآٱ", "اااا"), **{cp: None for cp in DELETED}}  # and no diacritics


def _stop_key(word: str) -> str:
    """Stop words keep ى apart from ي: على is a particle, علي a name."""
    return word.strip(_QUOTES + "()،,.:").translate(_ALEFS)


_SOURCES = {_source_key(r[0]): SourceInfo(r[1], r[2], r[3], r[4]) for r in _rows("sources.tsv")}
_WORDS: dict[str, set[str]] = {}
for _w, _role in _rows("header_words.tsv"):
    _WORDS.setdefault(_role, set()).add(_stop_key(_w) if _role == "stop" else _word_key(_w))
_PLACES = {" ".join(match_form(r[0]).split()): r[1] for r in _rows("dateline_places.tsv")}  # → origin


def lookup_source(name: str) -> SourceInfo | None:
    """The known source ``name`` stands for (``"أ.ف.ب"`` → AFP), or None."""
    return _SOURCES.get(_source_key(name))


# ---------------------------------------------------------------------------------------------
# Paragraphs

_BLANK = r"\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_PARAGRAPH = re.compile(rf"[^{_BLANK}](?:[^\n\r\u2028\u2029]*[^{_BLANK}])?")


def split_paragraphs(text: str, start: int = 0) -> list[Span]:
    """The non-empty lines of ``text`` from ``start``, trimmed of surrounding blanks and marks."""
    return [Span(m.start(), m.end(), m.group()) for m in _PARAGRAPH.finditer(text, start)]


# ---------------------------------------------------------------------------------------------
# Header parts

_LEAD = re.compile(rf"[{_BLANK}*•■▪●◆\-–—ـ]*(?:(?:[A-Za-z]+[{_BLANK}]+){{1,3}}(?=[\u0600-\u06ff«(\"“]))?")
_SEPARATOR = re.compile(r"[^\S\n]*(?:[-–—]+|(?<=\s)ـ+(?=\s)|:)[^\S\n]*")
_NEXT_TEXT = re.compile(rf"[{_BLANK}]*")
_FROM_PLACE = re.compile(r"([«\"“][^»\"”\n]{1,40}[»\"”])\s+من\s+(\S.{0,40})$")
_PAREN_END = re.compile(r"^(.*?\S)\s*\(([^()\n]{1,40})\)$")
_SOURCE_AFTER = re.compile(r"[^\S\n]*([«\"“])([^»\"”\n]{1,40})[»\"”]")
_NOT_IN_NAME = re.compile(r"[\d«»\"“”!؟?.،,;؛]")
_MAX_DATELINE_WORDS = 4


@dataclass(frozen=True, slots=True)
class _Part:
    """One piece of a header: what it may be, and its span."""

    start: int
    end: int
    source: Span | None = None
    info: SourceInfo | None = None
    place: Span | None = None
    place_score: int = 0  # 3 a known place, 2 place-like, 1 a reporter's name as likely as a place
    byline: bool = False
    other: bool = False  # anything else: the line is not a header
    either: bool = False  # the same words name a source and a place (الرياض, المدينة)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "\u200e\u200f\u200b\ufeff"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "\u200e\u200f\u200b\ufeff"):
        e -= 1
    return s, e


def _unquote(text: str, s: int, e: int) -> tuple[int, int, bool]:
    if e - s >= 3 and text[s] in '«"“(' and text[e - 1] in '»"”)':
        return s + 1, e - 1, True
    return s, e, False


def _place_key(phrase: str) -> str:
    return " ".join(match_form(phrase).split())


def _place_score(text: str, s: int, e: int) -> int:
    """0: not a place; 1: could be a place or a name; 2: place-like; 3: a known dateline place."""
    phrase = text[s:e]
    words = phrase.split()
    if not 1 <= len(words) <= _MAX_DATELINE_WORDS or _NOT_IN_NAME.search(
        phrase.replace("(", "").replace(")", "")
    ):
        return 0
    keys = [_word_key(w) for w in words]
    if any(not k or k in _WORDS["byline"] for k in keys) or any(
        _stop_key(w) in _WORDS["stop"] for w in words
    ):
        return 0
    main = _PAREN_END.match(phrase)  # فيرجسون (ميزوري)
    if main is not None:
        words = main.group(1).split()
        keys = keys[: len(words)]
    if _place_key(" ".join(words)) in _PLACES:
        return 3
    if len(words) == 1 or keys[0] in _WORDS["place_head"] or keys[0].startswith("ال"):
        return 2
    return 1


def _classify(text: str, s: int, e: int) -> _Part:
    s, e = _trim(text, s, e)
    if s >= e:
        return _Part(s, e, other=True)
    segment = text[s:e]
    m = _FROM_PLACE.match(segment)  # «الاقتصادية» من الرياض
    if m is not None:
        src = _classify(text, s + m.start(1), s + m.end(1))
        where = _classify(text, s + m.start(2), s + m.end(2))
        if src.source is not None and where.place is not None:
            return _Part(s, e, src.source, src.info, where.place, where.place_score)
    m = _PAREN_END.match(segment)  # الرياض (واس)
    if m is not None:
        info = lookup_source(m.group(2))
        if info is not None:
            ps, pe = _trim(text, s + m.start(2), s + m.end(2))
            score = _place_score(text, s, s + m.end(1))
            if score < 2:
                return _Part(s, e, other=True)
            return _Part(
                s, e, Span(ps, pe, text[ps:pe]), info, Span(s, s + m.end(1), text[s : s + m.end(1)]), score
            )
    us, ue, quoted = _unquote(text, s, e)
    info = lookup_source(text[us:ue])
    if info is not None or (quoted and text[s] != "(" and _place_score(text, us, ue) > 0):
        # الرياض, المدينة: a paper and a city; _decide reads it from the other parts
        score = 0 if quoted else _place_score(text, s, e)
        place = Span(s, e, segment) if score == 3 else None
        return _Part(
            s, e, Span(us, ue, text[us:ue]), info, place, score if place else 0, either=place is not None
        )
    words = segment.split()
    if words and _word_key(words[0]) in _WORDS["byline"]:
        return _Part(s, e, byline=True)
    if "،" in segment or "," in segment:  # سبق، واس / محمد المواسي، عمر عريبي
        pieces = [(s + p.start(), s + p.end()) for p in re.finditer(r"[^،,]+", segment)]
        for ps, pe in pieces:
            part = _classify(text, ps, pe)
            if part.source is not None and part.place is None:
                return _Part(s, e, part.source, part.info)
        if all(_place_score(text, *_trim(text, ps, pe)) for ps, pe in pieces):
            return _Part(s, e, byline=True)
    score = _place_score(text, s, e)
    if score:
        return _Part(s, e, place=Span(s, e, segment), place_score=score)
    return _Part(s, e, other=True)


def _split(text: str, s: int, e: int) -> list[_Part]:
    parts: list[_Part] = []
    pos = s
    for sep in _SEPARATOR.finditer(text, s, e):
        if sep.start() > pos:
            parts.append(_classify(text, pos, sep.start()))
        pos = sep.end()
    if pos < e:
        parts.append(_classify(text, pos, e))
    return [p for p in parts if p.start < p.end]


def _either(part: _Part, parts: list[_Part]) -> _Part:
    """A part that may be a paper or a city (المدينة - جدة, الرياض - محمد الحيدر): choose by the others."""
    if not part.either:
        return part
    others = [p for p in parts if p is not part]
    if any(p.source is not None for p in others):
        return _Part(part.start, part.end, place=part.place, place_score=part.place_score)
    if any(p.place_score >= 2 for p in others):
        return _Part(part.start, part.end, part.source, part.info)
    return _Part(part.start, part.end, place=part.place, place_score=part.place_score)


def _reporter(part: _Part, most: int = 3) -> bool:
    return part.place_score == 1 and part.place is not None and 2 <= len(part.place.text.split()) <= most


def _decide(parts: list[_Part], body_start: int, mode: str) -> Header | None:
    """A header from classified parts, or None when they do not make one.

    Without a source, a place needs to be a known one, or to follow a reporter's name on a line
    of its own (``حاتم النجيمي – الخرمة``, ``mode="line"``); a known city may stand alone before a
    colon (``واشنطن:``, ``mode="colon"``).  On a line that goes on with the story
    (``mode="inline"``), where dashes also set off remarks (``وصل - بحفظ الله ورعايته -``), a
    header without a source is places only, or a two-word name and a known place.
    """
    if not parts or len(parts) > 4 or any(p.other for p in parts):
        return None
    if len(parts) == 1 and parts[0].source is None:
        place = parts[0].place
        if mode != "colon" or place is None or parts[0].place_score < 3:
            return None
        if _PLACES.get(_place_key(place.text)) == "cldr":
            return None  # * اليونان: a country heading a list item, not a dateline
    if (
        mode == "inline"
        and not any(p.source for p in parts)
        and not all(p.place_score >= 2 for p in parts)
        and not (len(parts) == 2 and _reporter(parts[0], 2) and parts[1].place_score == 3)
    ):
        return None
    if any(p.either for p in parts):
        parts = [_either(p, parts) for p in parts]
    sources = [p for p in parts if p.source is not None]
    named = [p for p in sources if p.info is None or p.info.kind != "generic"]
    src = named[0] if named else sources[0] if sources else None
    places = [p for p in parts if p.place is not None]
    best = max(places, key=lambda p: p.place_score, default=None)
    # without a source, a place must be known, or come with a reporter's name (حاتم النجيمي – الخرمة)
    reporter = mode == "line" and len(parts) == 2 and any(_reporter(p) for p in parts)
    if best is not None and (best.place_score < 2 or (src is None and best.place_score < 3 and not reporter)):
        best = None  # a reporter's name, or a title such as الهلال - النصر
    if best is None and (src is None or src.info is None):
        return None  # nothing, or only an unknown name in quotes: a title, not a header
    source = src.source if src is not None else None
    name = None
    if src is not None and source is not None:
        name = src.info.name if src.info is not None else source.text
    return Header(
        dateline=best.place if best is not None else None,
        source=source,
        source_name=name,
        body_start=body_start,
    )


# ---------------------------------------------------------------------------------------------
# Header forms


def _next_text(text: str, pos: int) -> int:
    """The offset of the first non-blank character at or after ``pos``."""
    m = _NEXT_TEXT.match(text, pos)
    return m.end() if m is not None else pos


_SPA_PLACE = re.compile(r"[^\d\n:()«»\"\-–—]{2,40}?\s*(?=\d|[\u0660-\u0669])")
_LAST_WORD = re.compile(r"[^\s.:\-–—]+(?=[\s.:\-–—]*$)")


def _spa_header(text: str, s: int, e: int) -> Header | None:
    """``PLACE <dates> SOURCE``: SPA's long form, a Hijri and a Gregorian date, the source last."""
    m = _SPA_PLACE.match(text, s, e)
    if m is None or e - m.end() > 90:
        return None
    last = _LAST_WORD.search(text, m.end(), e)
    if last is None:
        return None
    ls, le = last.span()
    if lookup_source(text[ls:le]) is None and lookup_source(text[ls + 1 : le]) is not None:
        ls += 1  # "2015 مواس": the era letter glued to the source
    source = _classify(text, ls, le)
    mentions = find_dates(text, None, m.end(), ls)
    if source.info is None or not mentions or mentions[0].start != m.end():
        return None
    dated = [d for d in mentions if d.value is not None and d.precision == "day"]
    value = dated[-1].value if dated else None  # the Gregorian date, written after the Hijri one
    dateline = _classify(text, s, m.end())
    h = _decide([dateline, source], _next_text(text, e), "line")
    if h is None:
        return None
    return Header(h.dateline, h.source, h.source_name, value, h.body_start)


def _line_header(text: str, s: int, e: int) -> Header | None:
    """A short line that is all header: ``واشنطن - المغرب اليوم``, ``عين اليوم – القاهرة``."""
    return _decide(_split(text, s, e), _next_text(text, e), "line")


def _colon_header(text: str, s: int, colon: int, e: int) -> Header | None:
    """``PLACE - SOURCE: story``, ``سبق- مكة المكرمة: story``, ``لندن: «الشرق الأوسط» story``."""
    parts = _split(text, s, colon)
    body = colon + 1
    q = _SOURCE_AFTER.match(text, body, e)
    if q is not None and not any(p.source for p in parts):
        after = _classify(text, q.start(1), q.end())
        if after.source is not None:
            parts.append(after)
            body = q.end()
    rest = text[body : min(e, body + 60)].split()
    if 0 < len(rest) <= 3 and e < len(text) and _place_score(text, *_trim(text, body, e)) == 1:
        body = e  # بيروت: كارولين عاكوم, the reporter's name on the rest of the line
    return _decide(parts, _next_text(text, body), "colon")


def _header_prefix(text: str, body: int, e: int, parts: list[_Part], source: bool) -> int:
    """Take a known source (or a known place) of up to four words off the start of the story."""
    words = list(re.finditer(r"[^\s:]+", text[body : min(e, body + 60)]))
    for n in range(min(4 if source else 3, len(words)), 0, -1):
        end = body + words[n - 1].end()
        if source and lookup_source(text[body:end]) is None:
            continue
        if not source and _place_key(text[body:end]) not in _PLACES:
            continue
        parts.append(_classify(text, body, end))
        sep = _SEPARATOR.match(text, end, e)
        return sep.end() if sep is not None else end
    return body


def _inline_header(text: str, s: int, e: int) -> Header | None:
    """``الرياض (واس) - story``, ``القاهرة - أ ف ب - story``, ``واشنطن - رويترز story``."""
    parts: list[_Part] = []
    pos = s
    body = -1
    for sep in _SEPARATOR.finditer(text, s, min(e, s + 100)):
        if text[sep.start() : sep.end()].strip() == ":" or len(text[pos : sep.start()].split()) > 4:
            break
        parts.append(_classify(text, pos, sep.start()))
        pos = body = sep.end()
        if len(parts) == 3:
            break
    if body < 0:
        return None
    # the header may run into the story: واشنطن - رويترز أعلن ..., نايف السعدي – الطائف شهدت ...
    if not any(p.source is not None for p in parts):
        body = _header_prefix(text, body, e, parts, source=True)
    if not any(p.place_score >= 2 for p in parts):
        body = _header_prefix(text, body, e, parts, source=False)
    return _decide(parts, _next_text(text, body), "inline")


def _header_in_line(text: str, s: int, e: int) -> Header | None:
    s = _LEAD.match(text, s, e).end()  # type: ignore[union-attr]  # the pattern can match empty
    if s >= e:
        return None
    if text[s].isdigit():
        return None
    spa = _spa_header(text, s, e)
    if spa is not None:
        return spa
    colon = text.find(":", s, min(e, s + 80))
    if colon > s and len(text[s:colon].split()) <= 8:
        h = _colon_header(text, s, colon, e)
        if h is not None:
            return h
    if e - s <= 70 and len(text[s:e].split()) <= 7 and (colon < 0 or not text[colon + 1 : e].strip()):
        h = _line_header(text, s, e)
        if h is not None:
            return h
    return _inline_header(text, s, e)


def _lines(text: str, limit: int) -> Iterator[tuple[int, int]]:
    for m in _PARAGRAPH.finditer(text, 0, min(len(text), 2000)):
        if limit == 0:
            return
        limit -= 1
        yield m.start(), m.end()


def parse_header(text: str) -> Header:
    """The header of an article (see the module docs); ``Header()`` when it has none."""
    first = True
    for s, e in _lines(text, 2):
        h = _header_in_line(text, s, e)
        if h is not None:
            return h
        title_like = e - s <= 150 and len(text[s:e].split()) <= 15 and text[e - 1] not in ".:؟?!"
        if not first or not title_like:
            break
        first = False
    return Header()
