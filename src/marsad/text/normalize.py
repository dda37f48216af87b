"""Arabic normalisation as a view over the untouched text.

Two levels:

* :func:`normalize` gives a :class:`NormalizedText`: diacritics, tatweel and invisible marks
  (RLM, LRM, ZWNJ, ZWJ, BOM, bidi controls) removed; alef forms (أ إ آ ٱ) → ا; alef maqsura ى → ي;
  hamza on waw/ya (ؤ ئ) → و ي; Eastern Arabic and Persian digits → ASCII; Persian/Urdu letters
  (ک ی ے ه‍) → Arabic; Arabic punctuation and quotation marks (، ؛ ؟ « » “ ” ‹ › „) → ASCII;
  presentation forms unfolded.  With ``match=True`` the view also folds ta marbuta ة → ه, the
  form used to match names and lexicon entries whatever their spelling.
  Every character of the view maps back to an offset in the original text.
* :func:`match_form` is the same folding for one word, cached: the key every lexicon, gazetteer
  and knowledge-base lookup uses.

The character tables live in ``data/charmap.tsv`` (language data is data).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["DELETED", "NormalizedText", "match_form", "normalize", "strip_marks", "to_ascii_digits"]


def _load_charmap() -> tuple[dict[int, str | None], dict[int, str | None]]:
    """Read ``charmap.tsv``: ``codepoint<TAB>replacement<TAB>level<TAB>comment``.

    An empty replacement deletes the character.  ``level`` is ``view`` (applies to both levels)
    or ``match`` (only to the matching form).
    """
    view: dict[int, str | None] = {}
    match: dict[int, str | None] = {}
    raw = resources.files("marsad.text").joinpath("data/charmap.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        first, _, last = cols[0].partition("..")
        lo = int(first.removeprefix("U+"), 16)
        hi = int(last.removeprefix("U+"), 16) if last else lo
        repl = "".join(chr(int(c.removeprefix("U+"), 16)) for c in cols[1].split()) if cols[1] else None
        for cp in range(lo, hi + 1):
            match[cp] = repl
            if cols[2] == "view":
                view[cp] = repl
    # Arabic presentation forms (ﻻ ﺍ ...): unfold with NFKC, then apply the table to the result.
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch and unicodedata.category(ch) != "Cn":
            v = "".join(view.get(ord(c), c) or "" for c in folded)
            m = "".join(match.get(ord(c), c) or "" for c in folded)
            view.setdefault(cp, v or None)
            match.setdefault(cp, m or None)
    # Close each table under itself, so that folding twice changes nothing (ۀ → ة → ه for matching).
    for table in (view, match):
        changed = True
        while changed:
            changed = False
            for cp, r in table.items():
                if r:
                    again = "".join(table.get(ord(c), c) or "" for c in r)
                    if again != r:
                        table[cp] = again or None
                        changed = True
    return view, match


_VIEW, _MATCH = _load_charmap()
DELETED = frozenset(cp for cp, r in _MATCH.items() if r is None)
# Characters that the view deletes or unfolds into several: only these need an offset map.
_RESHAPING = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp, r in sorted(_MATCH.items()) if r is None or len(r) != 1) + "]"
)
_DIGITS = {cp: r for cp, r in _VIEW.items() if r is not None and r.isdigit() and chr(cp) != r}


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised view of ``original`` and the map from view offsets back to it.

    ``offsets[i]`` is the original offset of view character ``i``; ``offsets[len(text)]`` is
    ``len(original)``.  A view character produced by unfolding one original character (ﻻ → لا)
    maps to that character.
    """

    original: str
    text: str
    offsets: array[int] | None  # None: the identity map (nothing deleted or unfolded)

    def to_original(self, i: int) -> int:
        return i if self.offsets is None else int(self.offsets[i])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of view span ``[start, end)``; covers whole source characters."""
        if self.offsets is None:
            return start, end
        if start >= end:
            o = int(self.offsets[start])
            return o, o
        s = int(self.offsets[start])
        # end: one past the original character that produced view char end-1
        last = int(self.offsets[end - 1])
        nxt = int(self.offsets[end])
        e = nxt if nxt > last else last + 1
        return s, e


def normalize(text: str, *, match: bool = False) -> NormalizedText:
    """Normalise ``text`` into a view with an offset map (see module docs)."""
    table = _MATCH if match else _VIEW
    out = text.translate(table)
    if _RESHAPING.search(text) is None:
        return NormalizedText(text, out, None)
    n = len(text)
    parts: list[str] = []
    offs = array("l")
    get = table.get
    for i, ch in enumerate(text):
        r = get(ord(ch), ch)
        if r is None:
            continue
        parts.append(r)
        offs.extend([i] * len(r))
    offs.append(n)
    return NormalizedText(text, "".join(parts), offs)


@lru_cache(maxsize=200_000)
def match_form(word: str) -> str:
    """The matching form of a word or phrase: the ``match`` level of :func:`normalize`."""
    return word.translate(_MATCH)


def strip_marks(text: str) -> str:
    """Remove only diacritics, tatweel and invisible marks (keeps letters as written)."""
    return text.translate({cp: None for cp in DELETED})


def to_ascii_digits(text: str) -> str:
    """Eastern Arabic and Persian digits → ASCII digits; nothing else changes."""
    return text.translate(_DIGITS)
