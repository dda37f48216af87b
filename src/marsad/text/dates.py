"""Arabic date expressions, found in the text and resolved against the publication date.

:func:`find_dates` returns :class:`DateMention` records with offsets into the untouched text.
It knows

* relative days and periods (``أمس``, ``أول أمس``, ``اليوم``, ``غدا``, ``الأسبوع الماضي``,
  ``الشهر الماضي``, ``العام المقبل``...: ``relative_dates.tsv``);
* weekdays (``الجمعة``, ``يوم الأحد المقبل``: ``weekdays.tsv``): the latest such day on or before
  publication (the same day counts); with ``المقبل``/``القادم`` the first one after it, with
  ``الماضي`` the last one before it;
* Gregorian months in their standard, Levantine/Iraqi, Maghrebi and Moroccan names, alone or paired
  (``شباط/فبراير``, ``أغسطس (آب)``), with or without day and year; Hijri months and years
  (``26 شوال 1436 هـ``, ``1436هـ``), converted with :mod:`hijridate`; numeric dates
  (``20/9/1436``, ``29/6/2015``); Eastern Arabic digits throughout;
* combinations read as one date: ``أمس (الأحد)``, ``الخميس 6 أغسطس``,
  ``26 شوال 1436 هـ الموافق 11 اغسطس 2015 م``.

Precision is ``"day"``, ``"week"`` (``الأسبوع الماضي``: the value is the publication date moved by
whole weeks), ``"month"`` (value: the first of the month) or ``"year"`` (value: 1 January, or
1 Muharram for a Hijri year).  A month and day without a year take the latest such date at most
:data:`FUTURE_DAYS` days after publication; a month alone the latest such month on or before it.
Anything that needs the publication date has ``value=None`` when it is unknown, and so has a date
that does not exist (``32 يناير``, ``30 صفر``...).

Matching runs on the raw text: one compiled pattern built from the data files, whose letters stand
for their hamza/alef, ta marbuta and alef maqsura variants (the folding of
:func:`marsad.text.normalize.match_form`) and allow diacritics and tatweel between them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, wraps
from importlib import resources
from typing import Any, NamedTuple

from hijridate import Gregorian, Hijri

from marsad.text.normalize import match_form, to_ascii_digits

__all__ = ["FUTURE_DAYS", "DateMention", "find_dates", "parse_date_arg", "resolve_date"]

FUTURE_DAYS = 7
"""A day and month written without a year may lie at most this many days after publication."""


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in the text and the date it stands for (None when unresolved)."""

    start: int
    end: int
    text: str
    value: dt.date | None
    kind: str  # "absolute" | "hijri" | "relative" | "weekday"
    precision: str  # "day" | "week" | "month" | "year"


# ---------------------------------------------------------------------------------------------
# Language data


def _rows(name: str) -> Iterator[list[str]]:
    raw = resources.files("marsad.text").joinpath(f"data/{name}").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=50_000)
def _key(text: str) -> str:
    """The lookup key of a word or phrase: matching form, single spaces."""
    return " ".join(match_form(text).split())


class _Month(NamedTuple):
    month: int
    hijri: bool
    needs_context: bool


class _Weekday(NamedTuple):
    iso: int


class _Relative(NamedTuple):
    unit: str
    amount: int
    precision: str


_Entry = _Month | _Weekday | _Relative


def _load_lexicon() -> dict[str, _Entry]:
    lex: dict[str, _Entry] = {}
    for form, month, calendar, _variety, ambiguous in _rows("months.tsv"):
        lex[_key(form)] = _Month(int(month), calendar == "hijri", ambiguous == "1")
    for form, iso in _rows("weekdays.tsv"):
        lex[_key(form)] = _Weekday(int(iso))
    for form, unit, amount, precision in _rows("relative_dates.tsv"):
        lex[_key(form)] = _Relative(unit, int(amount), precision)
    return lex


def _load_words() -> dict[str, frozenset[str]]:
    roles: dict[str, set[str]] = {}
    for word, role in _rows("date_words.tsv"):
        roles.setdefault(role, set()).add(_key(word))
    return {role: frozenset(words) for role, words in roles.items()}


_LEX = _load_lexicon()
_WORDS = _load_words()
_ROLE_WORDS = frozenset().union(*_WORDS.values())

# ---------------------------------------------------------------------------------------------
# The pattern

_MARKS = "[\u064b-\u065f\u0670\u0640]*"  # diacritics and tatweel inside a word
_F_MARKS = "[\ue000-\ue002]*"  # the same in folded text (see ``_fold``)
_SEP = r"\s()\[\]«»\"'“”‘’،,:؛;.\-–—ـ/\\!؟?"  # characters a date expression may follow


def _letter_groups() -> dict[str, set[str]]:
    """Each matching-form letter → the letters that fold to it."""
    groups: dict[str, set[str]] = {}
    for cp in range(0x0620, 0x0700):
        ch = chr(cp)
        k = match_form(ch)
        if len(k) == 1:
            groups.setdefault(k, set()).add(ch)
    return groups


_GROUPS = _letter_groups()
# Each matching-form letter → a regex class of the letters that fold to it.
_CLASSES = {k: "[" + "".join(sorted(v)) + "]" if len(v) > 1 else re.escape(k) for k, v in _GROUPS.items()}

# The lexicon pattern is long, and a class per letter (``[آأإا]``) makes Python's compiler slow:
# 0.7 s of every start-up.  So that pattern reads a folded copy of the text instead, one
# character for one (offsets hold): each letter of a class replaced by the class's letter, and
# the marks a word may hold by placeholders from one range of private-use code points (a class
# of one range compiles fast, one of several does not): diacritics, tatweel (a mark and a
# separator both) and U+0670, superscript alef (a mark inside a word but, unlike the others,
# allowed after its end).  It then compiles in a tenth of the time.
_F_MARK, _F_TATWEEL, _F_ALEF, _F_OTHER = "\ue000", "\ue001", "\ue002", "\ue003"


def _fold_table() -> dict[int, str]:
    table = {cp: _F_OTHER for cp in range(0xE000, 0xE004)}  # the text's own never pass for marks
    for k, members in _GROUPS.items():
        if len(members) > 1:
            table.update((ord(c), k) for c in members if c != k)
    table.update((cp, _F_MARK) for cp in range(0x064B, 0x0660))
    table[0x0640] = _F_TATWEEL
    table[0x0670] = _F_ALEF
    return table


_FOLD = _fold_table()
_folded_last: tuple[str, str] = ("", "")  # the text last folded and its folding
_fold_lut: Any = None  # _FOLD as a numpy table over the BMP, made at the first call


def _fold(text: str) -> str:
    """``text`` as the lexicon pattern reads it (the same length).  The last one is remembered:
    the events coder asks about one document's text sentence by sentence.  A table lookup in
    numpy over the UTF-32 code units: ``str.translate`` with a dict took 0.23 ms for an article
    of 2,400 characters, this 0.02 ms."""
    global _fold_lut, _folded_last
    last = _folded_last  # one read: another thread may replace it
    if text is last[0]:
        return last[1]
    import numpy as np  # here: numpy is needed only once there is text

    if _fold_lut is None:
        lut = np.arange(0x10000, dtype=np.uint32)
        for cp, ch in _FOLD.items():
            lut[cp] = ord(ch)
        _fold_lut = lut
    units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    if units.size and int(units.max()) < 0x10000:
        folded = _fold_lut[units].tobytes().decode("utf-32-le", "surrogatepass")
    else:  # characters past the BMP, or no text: the slow way
        folded = text.translate(_FOLD)
    _folded_last = (text, folded)
    return folded


_Trie = dict[str, "_Trie"]


def _trie_pattern(keys: Iterable[str], folded: bool = False) -> str:
    """One regex alternation for ``keys`` (matching forms), factored as a prefix tree; with
    ``folded``, for the text's :func:`_fold`."""
    trie: _Trie = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = []
        for ch in sorted(c for c in node if c):
            if ch == " ":
                atom = r"\s+"
            elif folded:
                atom = re.escape(ch) + _F_MARKS
            else:
                atom = _CLASSES.get(ch, re.escape(ch)) + _MARKS
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _alternatives(words: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted((_trie_pattern([w]) for w in words), key=len, reverse=True)) + ")"


_PROCLITICS = ("", "و", "ف", "ب", "وب", "فب")


def _lexicon_forms() -> dict[str, tuple[_Entry, int]]:
    """Every matching form the pattern accepts → (entry, length of its proclitics)."""
    forms: dict[str, tuple[_Entry, int]] = {}
    for key, entry in _LEX.items():
        bare = [key] + (["لل" + key[2:]] if key.startswith("ال") else [])  # لـ + الجمعة = للجمعة
        for b in bare:
            for p in _PROCLITICS:
                forms.setdefault(p + b, (entry, len(p)))
    return forms


_FORMS = _lexicon_forms()
# The folded pattern accepts a letter of a form where the class would: the letter itself is in
# its class (not so for the digit classes, ٠۰ → 0, and no form holds a digit)
assert all(
    ch in _GROUPS.get(ch, ch) or len(_GROUPS[ch]) == 1 for ch in {c for k in _FORMS for c in k if c != " "}
)
_D = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_HIJRI_ERA = _alternatives(_WORDS["hijri_era"])
_GREG_ERA = _alternatives(_WORDS["gregorian_era"])
_END = r"(?![\w\u064b-\u065f\u0640])"


def _era(group: str) -> str:
    """An era marker after a year; the group ``group`` is set when it is Hijri."""
    return f"(?:(?P<{group}>{_HIJRI_ERA})|{_GREG_ERA}){_END}"


# A word or phrase of the lexicon, with its proclitics, after a separator, in folded text
# (``_fold``; the end check is ``_END``'s).  Starting with the separator class lets the regex
# engine skip to candidate positions in C.  The pattern is long (tens of thousands of
# characters), so it is compiled once, and a word that must start at a given position is
# matched by the same pattern (``_lex_at``).
_F_SEP = _SEP.replace("ـ", _F_TATWEEL)  # tatweel, folded
_F_END = r"(?![\w\ue000\ue001])"  # _END in folded text
_LEX_AFTER_SEP = re.compile(rf"[{_F_SEP}](?P<lex>{_trie_pattern(_FORMS, folded=True)}){_F_END}")
_IS_SEP = re.compile(f"[{_SEP}]")

# A lexicon hit: where its word starts and ends (proclitics included) and the text matched.
_Lex = tuple[int, int, str]


# The characters a lexicon form can start with, in any spelling the pattern accepts.
_FIRST = frozenset(k[0] for k in _FORMS)
_STARTS = _FIRST | {ch for ch in map(chr, range(0x0620, 0x0700)) if match_form(ch) in _FIRST}


def _lex_at(text: str, pos: int, hi: int) -> _Lex | None:
    """The lexicon word or phrase starting exactly at ``pos`` and ending by ``hi``, if any."""
    if pos >= hi or text[pos] not in _STARTS:
        return None  # most calls: no copy of the text below for them
    folded = _fold(text)
    if pos > 0 and _IS_SEP.match(text, pos - 1):
        m, shift = _LEX_AFTER_SEP.match(folded, pos - 1, hi), 0  # the separator before it is in the text
    else:
        m, shift = _LEX_AFTER_SEP.match(" " + folded[pos:hi]), pos - 1  # one put before it
    if m is None:
        return None
    s, e = m.start("lex") + shift, m.end("lex") + shift
    return s, e, text[s:e]


# Numbers that may be dates: d/m/y, y/m/d, a four-digit year (with its era, if written).
# The leading digit group keeps the first op a character class, for the same fast skip.
_NUMBER = re.compile(
    rf"(?P<lead>{_D})(?:"
    rf"(?P<num>{_D}?\s*(?P<ns>[/\-.])\s*(?P<nm>{_D}{{1,2}})\s*(?P=ns)\s*(?P<ny>{_D}{{4}})(?!{_D})"
    rf"(?:\s*{_era('nhera')})?)"
    rf"|(?P<ymd>{_D}{{3}}\s*(?P<rs>[/\-])\s*(?P<rm>{_D}{{1,2}})\s*(?P=rs)\s*(?P<rd>{_D}{{1,2}}))(?!{_D})"
    rf"|(?P<year>{_D}{{3}})(?![{_D[1:-1]}/\-])(?:\s*{_era('hera')})?"
    ")"
)

_DAY_BEFORE = re.compile(rf"(?<!{_D})({_D}{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?$")
_YEAR_AFTER = re.compile(
    rf"\s*[،,]?\s*(?:من\s+)?(?:{_alternatives(_WORDS['year_cue'])}\s+)?({_D}{{4}})(?!{_D})(?:\s*{_era('hera')})?"
)
_OF = re.compile(r"\s*(?:من\s+)?")
_PAIR_GLUE = re.compile(r"\s*[/(\-–]?\s*")
_CLOSE = re.compile(r"\s*\)")
_WORD_AFTER = re.compile(r"\s*\(?\s*([^\s\d()،,.:؛]+)")
_NOT_WORD = re.compile(r"[\s\d()،,.:؛]+")
_GLUE_REL_WEEKDAY = re.compile(r"\s*[،,]?\s*\(?\s*")
_GLUE_DATES = re.compile(rf"\s*\)?\s*[،,\-–]?\s*(?:{_alternatives(_WORDS['equals'])}\s*)?")
_SEP_SET = frozenset(" \t\n\r\f\v\u00a0\u2028\u2029" + _SEP.replace("\\s", "").replace("\\", ""))


# ---------------------------------------------------------------------------------------------
# Atoms: what the pattern finds, before combination


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    kind: str  # absolute | hijri | relative | weekday
    precision: str
    value: dt.date | None
    weekday: int = 0  # ISO weekday of a weekday piece, for combining with a relative day
    unit: str = ""  # unit of a relative piece


def _word_key(m: re.Match[str] | None) -> str:
    """The key of a neighbouring word, without a leading و/ف before a known word."""
    if m is None:
        return ""
    w = _key(m.group(1))
    return w[1:] if len(w) > 2 and w[0] in "وف" and w[1:] in _ROLE_WORDS else w


def _word_before(text: str, pos: int, lo: int) -> str:
    """The key of the word just before ``pos`` (past blanks and an opening parenthesis), or ""."""
    chunk = text[max(lo, pos - 20) : pos].rstrip().rstrip("(").rstrip()
    if not chunk or _NOT_WORD.match(chunk[-1]):
        return ""
    w = _key(_NOT_WORD.split(chunk)[-1])
    return w[1:] if len(w) > 2 and w[0] in "وف" and w[1:] in _ROLE_WORDS else w


def _modifier(text: str, end: int, stop: int) -> tuple[str, int]:
    m = _WORD_AFTER.match(text, end, stop)
    if m is not None:
        w = _key(m.group(1))
        for role in ("next", "last", "current"):
            if w in _WORDS[role]:
                return role, m.end()
    return "", end


def _int(s: str) -> int:
    return int(to_ascii_digits(s))


def _hijri_to_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        g = Hijri(y, m, d, validate=True).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(g.year, g.month, g.day)


def _make_date(y: int, m: int, d: int, hijri: bool) -> dt.date | None:
    if hijri:
        return _hijri_to_date(y, m, d)
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _to_hijri(d: dt.date) -> tuple[int, int, int] | None:
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    return h.year, h.month, h.day


def _in_range(resolve: Callable[..., dt.date | None]) -> Callable[..., dt.date | None]:
    """Dates pushed past year 1 or 9999 by the arithmetic resolve to None."""

    @wraps(resolve)
    def guarded(*args: Any) -> dt.date | None:
        try:
            return resolve(*args)
        except (OverflowError, ValueError):
            return None

    return guarded


@_in_range
def _month_date(
    day: int | None, month: int, year: int | None, hijri: bool, modifier: str, published: dt.date | None
) -> dt.date | None:
    """Resolve a month, with or without day and year (see the module docs)."""
    if day is not None and not 1 <= day <= 31:
        return None
    if year is not None:
        return _make_date(year, month, day or 1, hijri)
    if published is None:
        return None
    here = _to_hijri(published) if hijri else (published.year, published.month, published.day)
    if here is None:
        return None
    py, pm = here[0], here[1]
    if day is None:
        if modifier == "next":
            y = py if month > pm else py + 1
        elif modifier == "current":
            y = py
        elif modifier == "last":
            y = py if month < pm else py - 1
        else:
            y = py if month <= pm else py - 1
        return _make_date(y, month, 1, hijri)
    candidates = [c for y in (py - 1, py, py + 1) if (c := _make_date(y, month, day, hijri)) is not None]
    if modifier == "next":
        after = [c for c in candidates if c > published]
        return min(after) if after else None
    if modifier == "last":
        before = [c for c in candidates if c < published]
        return max(before) if before else None
    limit = published + dt.timedelta(days=FUTURE_DAYS)
    ok = [c for c in candidates if c <= limit]
    return max(ok) if ok else None


@_in_range
def _weekday_date(iso: int, modifier: str, published: dt.date | None) -> dt.date | None:
    if published is None:
        return None
    delta = (published.isoweekday() - iso) % 7
    if modifier == "next":
        return published + dt.timedelta(days=(7 - delta) % 7 or 7)
    if modifier == "last":
        return published - dt.timedelta(days=delta or 7)
    return published - dt.timedelta(days=delta)


@_in_range
def _relative_date(rel: _Relative, published: dt.date | None) -> dt.date | None:
    if published is None:
        return None
    if rel.unit == "day":
        return published + dt.timedelta(days=rel.amount)
    if rel.unit == "week":
        return published + dt.timedelta(weeks=rel.amount)
    if rel.unit == "month":
        n = published.year * 12 + published.month - 1 + rel.amount
        return dt.date(n // 12, n % 12 + 1, 1)
    return dt.date(published.year + rel.amount, 1, 1)


_MARK_SET = frozenset(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, 0x0640])


def _core_start(text: str, start: int, proclitics: int) -> int:
    """Offset after ``proclitics`` letters (and their diacritics) from ``start``."""
    i = start
    for _ in range(proclitics):
        i += 1
        while i < len(text) and text[i] in _MARK_SET:
            i += 1
    return i


def _neighbour_in(text: str, s: int, e: int, lo: int, hi: int, before: str, after: str) -> bool:
    """Whether the word before ``s`` has role ``before`` or the word after ``e`` role ``after``."""
    return (
        _word_before(text, s, lo) in _WORDS[before]
        or _word_key(_WORD_AFTER.match(text, e, hi)) in _WORDS[after]
    )


def _lexicon_piece(text: str, lex: _Lex, lo: int, hi: int, published: dt.date | None) -> _Piece | None:
    """A piece for a lexicon hit, extended to its day, paired name, year and modifier."""
    s, e, found = lex
    entry, proclitics = _FORMS[_key(found)]
    lex_start = s
    if proclitics:
        s = _core_start(text, s, proclitics)
    if isinstance(entry, _Relative):
        today = entry.unit == "day" and entry.amount == 0 and entry.precision == "day"
        if today and _neighbour_in(text, s, e, lo, hi, "not_today_before", "not_today_after"):
            return None
        return _Piece(s, e, "relative", entry.precision, _relative_date(entry, published), unit=entry.unit)
    if isinstance(entry, _Weekday):
        if _neighbour_in(text, s, e, lo, hi, "not_weekday_before", "not_weekday_after"):
            return None
        modifier, end = _modifier(text, e, hi)
        return _Piece(
            s, end, "weekday", "day", _weekday_date(entry.iso, modifier, published), weekday=entry.iso
        )
    # a month: a day before it, a paired name, a year or a modifier after it
    day: int | None = None
    start = s
    d = _DAY_BEFORE.search(text, max(lo, s - 24), lex_start)
    if d is not None:
        day, start = _int(d.group(1)), d.start(1)
    end = e
    paired = False
    g = _PAIR_GLUE.match(text, end, hi)
    if g is not None:
        p = _lex_at(text, g.end(), hi)
        if p is not None:
            other, pre = _FORMS[_key(p[2])]
            if isinstance(other, _Month) and other.hijri == entry.hijri and not pre:
                end, paired = p[1], True
                c = _CLOSE.match(text, end, hi)
                if c is not None and "(" in text[e : g.end()]:
                    end = c.end()
    year: int | None = None
    y = _YEAR_AFTER.match(text, end, hi)
    if y is not None and (entry.hijri or not y.group("hera")):  # not a Gregorian month with a Hijri year
        year, end = _int(y.group(1)), y.end()
    elif not entry.hijri and published is not None:  # يونيو من العام الماضي
        of = _OF.match(text, end, hi)
        r = _lex_at(text, of.end() if of else end, hi)
        rel = _FORMS[_key(r[2])][0] if r is not None else None
        if r is not None and isinstance(rel, _Relative) and rel.unit == "year":
            year, end = published.year + rel.amount, r[1]
    modifier = ""
    if year is None:
        modifier, end = _modifier(text, end, hi)
    bare = entry.needs_context and day is None and year is None and not paired and not modifier
    if bare and _word_before(text, lex_start, lo) not in _WORDS["month_cue"]:
        return None  # مارس the verb, رمضان the name
    value = _month_date(day, entry.month, year, entry.hijri, modifier, published)
    kind = "hijri" if entry.hijri else "absolute"
    return _Piece(start, end, kind, "day" if day is not None else "month", value)


def _number_piece(text: str, m: re.Match[str], lo: int) -> _Piece | None:
    start = m.start()
    if start > lo and (text[start - 1].isalnum() or text[start - 1] in "/-.,"):
        return None  # inside a longer number or word
    if m.group("num"):
        d, mo, y = _int(text[start : m.start("ns")].strip()), _int(m.group("nm")), _int(m.group("ny"))
        hijri = bool(m.group("nhera")) or 1300 <= y <= 1500
        value = _make_date(y, mo, d, hijri) if hijri or 1800 <= y <= 2200 else None
        return _Piece(start, m.end(), "hijri" if hijri else "absolute", "day", value)
    if m.group("ymd"):
        y, mo, d = _int(text[start : m.start("rs")].strip()), _int(m.group("rm")), _int(m.group("rd"))
        hijri = 1300 <= y <= 1500
        return _Piece(start, m.end(), "hijri" if hijri else "absolute", "day", _make_date(y, mo, d, hijri))
    y = _int(text[start : m.end("year")])
    if m.end() == m.end("year"):  # no era: a year only after عام / سنة
        if _word_before(text, start, lo) not in _WORDS["year_cue"]:
            return None
        hijri = 1300 <= y <= 1500
    else:
        hijri = bool(m.group("hera"))
    value = _hijri_to_date(y, 1, 1) if hijri else _make_date(y, 1, 1, False)
    return _Piece(start, m.end(), "hijri" if hijri else "absolute", "year", value)


def _pieces(text: str, lo: int, hi: int, published: dt.date | None) -> list[_Piece]:
    spans = [m.span("lex") for m in _LEX_AFTER_SEP.finditer(_fold(text), lo, hi)]
    words = [(s, e, text[s:e]) for s, e in spans]
    if lo == 0 or text[lo - 1] in _SEP_SET:
        first = _lex_at(text, lo, hi)
        if first is not None:
            words.insert(0, first)
    found: list[tuple[int, int, _Lex | re.Match[str]]] = [(w[0], 0, w) for w in words]
    found += [(m.start(), 1, m) for m in _NUMBER.finditer(text, lo, hi)]
    found.sort(key=lambda f: f[0])
    pieces: list[_Piece] = []
    last_end = lo
    for pos, is_number, hit in found:
        if pos < last_end:
            continue
        if isinstance(hit, tuple):
            piece = _lexicon_piece(text, hit, lo, hi, published)
        else:
            piece = _number_piece(text, hit, lo)
        if piece is None or (pieces and piece.start < pieces[-1].end):
            continue
        pieces.append(piece)
        last_end = piece.end
    return pieces


# ---------------------------------------------------------------------------------------------
# Combination and the public API

_RANK = {"absolute": 0, "hijri": 1, "weekday": 2, "relative": 3}


def _joined(text: str, a: _Piece, b: _Piece) -> bool:
    """Whether ``b`` continues the date ``a`` (أمس الأحد, الخميس 6 أغسطس, ... الموافق ...)."""
    if a.kind == "relative" and a.unit == "day" and b.kind == "weekday":
        glue = _GLUE_REL_WEEKDAY
    elif a.precision == "day" and b.precision == "day" and b.kind in ("absolute", "hijri"):
        glue = _GLUE_DATES
    else:
        return False
    g = glue.match(text, a.end, b.start)
    return g is not None and g.end() == b.start


def _combine(text: str, pieces: list[_Piece], hi: int, published: dt.date | None) -> list[DateMention]:
    out: list[DateMention] = []
    i = 0
    while i < len(pieces):
        group = [pieces[i]]
        i += 1
        while i < len(pieces) and _joined(text, group[-1], pieces[i]):
            group.append(pieces[i])
            i += 1
        start, end = group[0].start, group[-1].end
        if text.count("(", start, end) > text.count(")", start, end):
            c = _CLOSE.match(text, end, hi)
            end = c.end() if c is not None else end
        best = min(group, key=lambda p: (p.value is None, _RANK[p.kind]))
        value, kind, precision = best.value, best.kind, best.precision
        if len(group) > 1 and group[0].kind == "relative" and group[1].kind == "weekday":
            anchor = group[0].value
            if best.kind not in ("absolute", "hijri") and anchor is not None:
                value, kind = (
                    _weekday_near(anchor, group[1].weekday, published is not None and anchor > published),
                    "relative",
                )
        out.append(DateMention(start, end, text[start:end], value, kind, precision))
    return out


@_in_range
def _weekday_near(anchor: dt.date, iso: int, future: bool) -> dt.date | None:
    """Weekday ``iso`` on or before ``anchor`` (on or after it for a future anchor such as غدا).

    ``أمس الأربعاء`` in an article dated a Tuesday is read as the Wednesday before: a publication
    date that lags the writing is more common than a report about tomorrow's past.
    """
    delta = (iso - anchor.isoweekday()) % 7
    return anchor + dt.timedelta(days=delta) if future else anchor - dt.timedelta(days=(7 - delta) % 7)


def find_dates(
    text: str, published: dt.date | None, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, resolved against ``published`` (see module docs)."""
    hi = len(text) if end is None else min(end, len(text))
    if start >= hi:
        return []
    return _combine(text, _pieces(text, start, hi, published), hi, published)


def resolve_date(expression: str, published: dt.date | None) -> dt.date | None:
    """The date one expression stands for (``"الجمعة"``, ``"أمس"``, ``"26 شوال 1436 هـ"``), or None."""
    mentions = find_dates(expression, published)
    if not mentions:
        return None
    return max(mentions, key=lambda m: m.end - m.start).value


_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*")


@lru_cache(maxsize=4096)
def parse_date_arg(value: str) -> dt.date:
    """``YYYY-MM-DD`` (Arabic digits accepted, a trailing time ignored) → date; else ValueError."""
    m = _ISO.fullmatch(to_ascii_digits(value))
    if m is not None:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD, for example 2016-04-15")
