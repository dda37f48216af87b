"""Tokens with offsets into the untouched text, and the clitic segmentation of Arabic words.

:func:`tokenize` cuts a text into :class:`~marsad.document.Token` records: Arabic words (with their
diacritics, tatweel and invisible marks such as ZWNJ or RLM inside), other-script words, numbers with
their separators (``1,500`` ``3.5`` ``٣٫٥``), URLs and e-mail addresses, emoji, and one token per
punctuation mark.  Whitespace (NBSP, ZWSP included) and stray invisible marks separate tokens.

Each Arabic word is segmented into proclitics (و ف, then ب ل ك or the future س, then the article ال,
written ل after ل), a stem and an enclitic pronoun.  The split is decided per word type by evidence,
not by stripping letters that look like clitics: a candidate stem must be attested, in a news corpus,
in enough other forms (the leave-one-out paradigm count of ``data/lexicon.tsv.gz``) to explain the word
better than the word explains itself as a stem; names (``data/names.tsv``) and lexicalised function
words (``data/segment_protected.tsv``) stay whole.  So ``وقال`` is و + قال but ``وزير``, ``لبنان``,
``بشار``, ``كيري`` and ``كما`` stay whole, and ``والولايات`` is و + ال + ولايات.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import accumulate, repeat
from operator import add, itemgetter

from marsad.document import Token
from marsad.text.normalize import match_form, normalize

__all__ = ["TOKEN_PATTERN", "Analysis", "Segmenter", "segment", "segments", "tokenize", "word_skeleton"]


# --- character classes -------------------------------------------------------------------------------


def _class(codepoints: Iterable[int]) -> str:
    """A regex character-class body for a sorted set of code points, as ranges."""
    out: list[str] = []
    cps = sorted(set(codepoints))
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        out.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "".join(out)


_ARABIC_BLOCKS = ((0x0600, 0x0700), (0x0750, 0x0780), (0x0870, 0x0900), (0xFB50, 0xFE00), (0xFE70, 0xFEFF))
_TATWEEL = "\u0640"
_AR_LETTERS = _class(
    cp for lo, hi in _ARABIC_BLOCKS for cp in range(lo, hi) if chr(cp).isalpha() and chr(cp) != _TATWEEL
)
_MARKS = _class(
    [cp for cp in range(0x0300, 0x3000) if unicodedata.category(chr(cp)).startswith("M")]
    + list(range(0xFE20, 0xFE30))
)
# Invisible format marks kept inside a word when letters follow (ZWNJ, ZWJ, LRM, RLM, ALM, bidi controls,
# soft hyphen); elsewhere they separate, like every other invisible character below.
_IN_WORD = "\u00ad\u061c\u200c-\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = (
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
_NOT_OTHER = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"  # Arabic-script blocks
_EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf\u2934\u2935"
    "\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_EMOJI_MOD = "\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"

_AR_CONT = f"[{_AR_LETTERS}{_TATWEEL}{_MARKS}]"
_OT_START = rf"[^\W\d_{_NOT_OTHER}]"
_OT_CONT = rf"(?:[^\W_{_NOT_OTHER}]|[{_MARKS}])"
_URL = r"(?:https?://|www\.)[^\s<>\"«»()\[\]{}]*[^\s<>\"«»()\[\]{}.,;:!?؟،'’”]"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_NUMBER = r"\d+(?:[.,\u066b\u066c]\d+)*"
_ARABIC = rf"[{_AR_LETTERS}](?:{_AR_CONT}|[{_IN_WORD}]+(?={_AR_CONT}))*"
_OTHER = rf"{_OT_START}(?:{_OT_CONT}|[{_IN_WORD}]+(?={_OT_CONT}))*"
_EMOJI_SEQ = rf"[\U0001f1e6-\U0001f1ff]{{2}}|[{_EMOJI}](?:[{_EMOJI_MOD}]|\u200d[{_EMOJI}])*"

#: The token pattern, one alternative per kind, in priority order (no capturing groups).
TOKEN_PATTERN = "|".join(
    [_ARABIC, _URL, _EMAIL, _NUMBER, _OTHER, f"{_TATWEEL}+", _EMOJI_SEQ, rf"[^\s{_INVISIBLE}]"]
)
_SPLIT_RE = re.compile(f"({TOKEN_PATTERN})")
_KIND_RE = re.compile(
    f"(?P<arabic>{_ARABIC})$|(?P<url>{_URL}|{_EMAIL})$|(?P<number>{_NUMBER})$|(?P<latin>{_OTHER})$"
    f"|(?P<tatweel>{_TATWEEL}+)$|(?P<emoji>{_EMOJI_SEQ})$"
)
_WORD_RE = re.compile(_ARABIC)


def _kind(w: str) -> str:
    m = _KIND_RE.match(w)
    group = m.lastgroup if m else None
    if group in ("arabic", "number", "latin"):
        return group
    if group == "tatweel":
        return "punct"
    if group in ("url", "emoji") or len(w) != 1:
        return "symbol"
    return "punct" if unicodedata.category(w).startswith("P") else "symbol"


# --- the segmenter -------------------------------------------------------------------------------------


def _data_lines(name: str) -> Iterator[list[str]]:
    """Rows of a TSV data file beside this module, without comments and the column header."""
    path = resources.files("marsad.text").joinpath("data", name)
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")
    header = True
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if header:
            header = False
            continue
        yield line.split("\t")


def word_skeleton(word: str) -> tuple[str, tuple[int, ...], frozenset[int]]:
    """The letters the segmenter decides on, where each sits in ``word``, and which are bare alefs.

    Letters are the normalisation view of ``word`` (diacritics, tatweel and invisible marks dropped, alef
    forms folded, ى → ي); ``positions[i]`` is the offset in ``word`` of letter ``i`` (``positions[n]`` is
    ``len(word)``); ``bare`` holds the letter indices written as a plain alef (ا ٱ), the only alef the
    article ال is written with.
    """
    view = normalize(word)
    n = len(view.text)
    positions = tuple(view.to_original(i) for i in range(n + 1))
    bare = frozenset(i for i in range(n) if view.text[i] == "ا" and word[positions[i]] not in "أإآﺃﺄﺇﺈﺁﺂ")
    return view.text, positions, bare


@dataclass(frozen=True, slots=True)
class Analysis:
    """One reading of a word's letters: the clitics as letters ('' when absent) around the stem."""

    conj: str
    prep: str
    det: str
    enc: str
    stem: str

    @property
    def pre_len(self) -> int:
        return len(self.conj) + len(self.prep) + len(self.det)

    @property
    def is_whole(self) -> bool:
        return not (self.conj or self.prep or self.det or self.enc)


@dataclass(frozen=True)
class Segmenter:
    """Chooses the clitic segmentation of a word's letters from corpus evidence.

    ``counts[w]`` is how often form ``w`` occurs; ``stems[s]`` how often ``s`` occurs as the stem of some
    reading of some form (every reading counted); ``priors`` the probability of each clitic in its slot
    (``det`` conditioned on the preposition before it).  A reading's score is the count of the word it
    predicts: the paradigm of its stem without this word, times the clitics' probability.
    """

    conj: tuple[str, ...]
    prep: tuple[str, ...]
    enc: tuple[str, ...]
    stem_initial: Mapping[str, str]
    roles: Mapping[tuple[str, str], str]
    protected: frozenset[str]
    names: frozenset[str] = frozenset()
    non_article: frozenset[str] = frozenset()
    counts: Mapping[str, int] = field(default_factory=dict)
    stems: Mapping[str, int] = field(default_factory=dict)
    priors: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    whole_bonus: float = 1.0

    # -- candidates --

    def starts_article(self, rest: str) -> bool:
        """Whether ``rest``, written with a bare alef, must begin with the article ال."""
        return (
            rest.startswith("ال")
            and len(rest) >= 4
            and rest not in self.protected
            and rest not in self.non_article
        )

    def candidates(self, letters: str, bare: frozenset[int] | Callable[[int], bool]) -> Iterator[Analysis]:
        """Every reading the clitic grammar allows (stem of two letters or more)."""
        is_bare = bare.__contains__ if isinstance(bare, frozenset) else bare
        n = len(letters)
        encs = [e for e in self.enc if letters.endswith(e)]
        for c in self.conj:
            if not letters.startswith(c):
                continue
            i = len(c)
            for p in self.prep:
                if not letters.startswith(p, i):
                    continue
                j = i + len(p)
                dets = [""]
                if p == "ل":
                    if letters.startswith("ل", j):
                        dets.append("ل")
                elif p != "س" and letters.startswith("ال", j) and is_bare(j):
                    dets.append("ال")
                for d in dets:
                    k = j + len(d)
                    for e in encs:
                        if e and d:
                            continue
                        m = n - len(e)
                        if m - k < 2:
                            continue
                        stem = letters[k:m]
                        initial = self.stem_initial.get(p)
                        if initial and stem[0] not in initial:
                            continue
                        if not d and p != "ل" and is_bare(k) and self.starts_article(stem):
                            continue
                        if self._splits_protected(letters, (0, i, j), k, m):
                            continue
                        yield Analysis(c, p, d, e, stem)

    def _splits_protected(self, letters: str, starts: tuple[int, ...], k: int, m: int) -> bool:
        n = len(letters)
        for s in starts:
            if s > k:
                break
            for t in (m, n):
                if (s, t) != (k, m) and letters[s:t] in self.protected:
                    return True
        return False

    # -- evidence --

    def prior(self, a: Analysis) -> float:
        pr = self.priors
        if not pr:
            return 0.5 if a.is_whole else 0.01
        return pr["conj"][a.conj] * pr["prep"][a.prep] * pr["det:" + a.prep][a.det] * pr["enc"][a.enc]

    def score(self, a: Analysis, count: int) -> float:
        """The count of the word that reading ``a`` predicts, from its stem's other forms."""
        t = self.stems.get(a.stem, 0) - count
        if a.enc and a.stem.endswith("ت"):  # حكومت+ه: the stem's other forms end in ة
            t += self.stems.get(a.stem[:-1] + "ة", 0)
        pi = self.prior(a)
        score = max(t, 0) * pi / (1.0 - pi)
        return score + self.whole_bonus if a.is_whole else score

    def allowed_for_name(self, letters: str, a: Analysis) -> bool:
        """A known name splits only into clitics and another known name (ومحمد, not ل+بنان)."""
        if letters not in self.names or not (a.conj or a.prep or a.enc):
            return True
        return ("ال" if a.det else "") + a.stem in self.names

    def choose(self, letters: str, bare: frozenset[int] | Callable[[int], bool]) -> Analysis:
        """The best-supported reading of ``letters`` (the whole word when nothing beats it)."""
        count = self.counts.get(letters, 0)
        best: Analysis | None = None
        best_score = -1.0
        for a in self.candidates(letters, bare):
            if not self.allowed_for_name(letters, a):
                continue
            s = self.score(a, count)
            if s > best_score:
                best, best_score = a, s
        return best if best is not None else Analysis("", "", "", "", letters)

    def pieces(self, a: Analysis) -> list[tuple[int, int, str]]:
        """``(start, end, role)`` of each part of reading ``a``, in letters."""
        out: list[tuple[int, int, str]] = []
        i = 0
        for slot, form in (("conj", a.conj), ("prep", a.prep), ("det", a.det)):
            if form:
                out.append((i, i + len(form), self.roles.get((slot, form), slot)))
                i += len(form)
        out.append((i, i + len(a.stem), "stem"))
        if a.enc:
            out.append((i + len(a.stem), i + len(a.stem) + len(a.enc), "pron"))
        return out

    # -- loading --

    @classmethod
    def grammar(cls, **evidence: object) -> Segmenter:
        """The clitic grammar and protected words from the data files, with the evidence given."""
        conj, prep, enc = [""], [""], [""]
        initial: dict[str, str] = {}
        roles: dict[tuple[str, str], str] = {}
        for form, role, slot, stem_initial, _det in _data_lines("clitics.tsv"):
            roles[(slot, form)] = role
            if slot in ("conj", "prep", "enc"):
                {"conj": conj, "prep": prep, "enc": enc}[slot].append(form)
            if stem_initial:
                initial[form] = stem_initial
        enc.sort(key=len, reverse=True)
        enc.remove("")
        enc.insert(0, "")
        protected = frozenset(row[0] for row in _data_lines("segment_protected.tsv"))
        return cls(
            conj=tuple(conj),
            prep=tuple(prep),
            enc=tuple(enc),
            stem_initial=initial,
            roles=roles,
            protected=protected,
            **evidence,  # type: ignore[arg-type]
        )

    @classmethod
    def load(cls) -> Segmenter:
        """The shipped segmenter: grammar, names and corpus evidence (built by ``tools/build_lexicon.py``)."""
        try:
            card = json.loads(
                resources.files("marsad.text").joinpath("data", "lexicon.json").read_text("utf-8")
            )
            counts: dict[str, int] = {}
            stems: dict[str, int] = {}
            non_article: set[str] = set()
            for form, c, t, flag in _data_lines("lexicon.tsv.gz"):
                if c != "0":
                    counts[form] = int(c)
                if t != "0":
                    stems[form] = int(t)
                if flag:
                    non_article.add(form)
            names = frozenset(row[0] for row in _data_lines("names.tsv"))
        except FileNotFoundError:  # not built yet: the grammar alone, every word whole but for ال
            return cls.grammar()
        return cls.grammar(
            names=names,
            non_article=frozenset(non_article),
            counts=counts,
            stems=stems,
            priors=card["priors"],
            whole_bonus=float(card["settings"]["whole_bonus"]),
        )


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter.load()


@lru_cache(maxsize=200_000)
def _analyse(word: str) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, role)`` pieces of ``word`` in characters as written (marks go with their letter)."""
    letters, positions, bare = word_skeleton(word)
    if len(letters) < 3 or _WORD_RE.fullmatch(word) is None:
        return ((0, len(word), "stem"),)
    seg = _segmenter()
    a = seg.choose(letters, bare)
    if a.is_whole:
        return ((0, len(word), "stem"),)
    out = []
    for s, e, role in seg.pieces(a):
        start = 0 if s == 0 else positions[s]
        end = len(word) if e == len(letters) else positions[e]
        out.append((start, end, role))
    return tuple(p for p in out if p[0] < p[1] or p[2] == "stem")


@lru_cache(maxsize=200_000)
def segment(word: str) -> tuple[int, int]:
    """``(length of the proclitics, length of the enclitic)`` of ``word``, in characters as written.

    ``segment("والولايات") == (3, 0)``, ``segment("كتابه") == (0, 1)``, ``segment("لبنان") == (0, 0)``.
    Diacritics and tatweel count with the letter they follow.  Anything that is not one Arabic word
    gives ``(0, 0)``.
    """
    pieces = _analyse(word)
    stem = next(p for p in pieces if p[2] == "stem")
    return stem[0], len(word) - stem[1]


def segments(token: Token) -> list[tuple[int, int, str]]:
    """The pieces of ``token`` as ``(start, end, role)`` with absolute offsets.

    Roles: ``conj`` (و ف), ``prep`` (ب ل ك), ``fut`` (س), ``det`` (ال, or the ل of لل), ``stem``,
    ``pron`` (enclitic pronoun).  A token that is not an Arabic word is one ``stem`` piece.
    """
    if token.kind != "arabic":
        return [(token.start, token.end, "stem")]
    return [(token.start + s, token.start + e, role) for s, e, role in _analyse(token.text)]


# --- tokenize ------------------------------------------------------------------------------------------

_CACHE_MAX = 500_000


class _TypeCache(dict[str, tuple[str, str, int, int, str]]):
    """Per word type: kind, norm, stem start and end within the word, stem norm."""

    def __missing__(self, w: str) -> tuple[str, str, int, int, str]:
        if len(self) >= _CACHE_MAX:
            self.clear()
        kind = _kind(w)
        norm = match_form(w)
        if kind == "arabic":
            pre, suf = segment(w)
            end = len(w) - suf
            info = (kind, norm, pre, end, match_form(w[pre:end]) if pre or suf else norm)
        else:
            info = (kind, norm, 0, len(w), norm)
        self[w] = info
        return info


_TYPES = _TypeCache()
_K, _N, _S, _E, _SN = (itemgetter(i) for i in range(5))


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` in order, with ``text[t.start:t.end] == t.text``.

    Built per word type (cached), so a text costs one regex pass and a few C-level maps.
    """
    parts = _SPLIT_RE.split(text)
    if len(parts) == 1:
        return []
    bounds = list(accumulate(map(len, parts), initial=0))
    words = parts[1::2]
    starts = bounds[1:-1:2]
    infos = list(map(_TYPES.__getitem__, words))
    return list(
        map(
            tuple.__new__,
            repeat(Token),
            zip(
                starts,
                bounds[2::2],
                words,
                map(_K, infos),
                map(_N, infos),
                map(add, starts, map(_S, infos)),
                map(add, starts, map(_E, infos)),
                map(_SN, infos),
            ),
        )
    )
