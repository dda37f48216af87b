"""Tokens with offsets into the untouched text, and the clitic segmentation of Arabic words.

:func:`tokenize` cuts a text into :class:`~marsad.document.Token` records: Arabic words (with their
diacritics, tatweel and invisible marks such as ZWNJ or RLM inside), other-script words, numbers with
their separators (``1,500`` ``3.5`` ``٣٫٥``), URLs and e-mail addresses, emoji, and one token per
punctuation mark.  Whitespace (NBSP, ZWSP included) and stray invisible marks separate tokens.

Each Arabic word is segmented into proclitics (و ف, then ب ل ك or the future س, then the article ال,
written ل after ل), a stem and an enclitic pronoun.  The split is decided once per word type, by
evidence rather than by stripping letters that look like clitics.  Every reading the clitic grammar
allows (``data/clitics.tsv``) is scored by the count of the word it predicts: how often its stem occurs
in other forms of a news corpus (SaudiNewsNet, ``data/lexicon.tsv.gz``) times the probability of its
clitics; the unsegmented reading is scored the same way from the forms the word itself takes clitics in.
When the lexicon is built, forms readable both ways are evidence for neither, and a split must also
account for the word's own frequency (ذلك is far too common to be ذل + ك); the choices made then are
shipped, and words the corpus never had are decided at first sight from the stem counts.  A known name
(``data/names.tsv``) stays whole unless the split leaves another name, and a few lexicalised function
words (``data/segment_protected.tsv``) never split.  The article is a matter of spelling: a bare alef
ال before two or more letters is the article, unless the form takes the article itself or is usually
written with a hamza (التزام, ألمانيا).  So ``وقال`` is و + قال but ``وزير``, ``لبنان``, ``بشار``,
``كيري`` and ``كما`` stay whole, ``للافروف`` is ل + لافروف and ``والولايات`` is و + ال + ولايات.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import accumulate, repeat
from operator import add, itemgetter

from marsad.document import Token
from marsad.text.normalize import _MATCH, normalize

__all__ = [
    "TOKEN_PATTERN",
    "Analysis",
    "Segmenter",
    "clear_caches",
    "segment",
    "segments",
    "tokenize",
    "word_skeleton",
]


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
_HAMZA_ALEFS = "أإآﺃﺄﺇﺈﺁﺂ"  # alefs written with a hamza or madda, which the article never is
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
    bare = frozenset(i for i in range(n) if view.text[i] == "ا" and word[positions[i]] not in _HAMZA_ALEFS)
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

    ``stems[s]`` is how often ``s`` is the stem of the reading chosen for a corpus form (of any reading
    the grammar allows, in the builder's first round); ``priors`` the probability of each clitic in its
    slot (the article conditioned on the preposition before it; the slots otherwise independent, as the
    sparse combinations cannot be estimated apart).  A reading scores the count of the word it predicts:
    its stem's other occurrences times the clitics' probability; the unsegmented reading competes the same
    way and wins ties, by ``whole_bonus``.  With ``counts`` (form counts, at build time) forms readable
    both ways (وكتابه for كتابه) are left out of both sides (``assigned`` tells which stem each form went
    to in the previous round) and a split must pass :meth:`explains`.  ``decisions`` holds the choices
    made at build time, ``(proclitic letters, enclitic letters)`` per form.
    """

    conj: tuple[str, ...]
    prep: tuple[str, ...]
    enc: tuple[str, ...]
    stem_initial: Mapping[str, str]
    roles: Mapping[tuple[str, str], str]
    protected: frozenset[str]
    names: frozenset[str] = frozenset()
    non_article: frozenset[str] = frozenset()
    stems: Mapping[str, int] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)
    assigned: Mapping[str, str] = field(default_factory=dict)
    decisions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    priors: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    max_rate: Mapping[str, float] = field(default_factory=dict)
    whole_bonus: float = 1.0
    name_weight: int = 100

    # -- candidates --

    def starts_article(self, rest: str) -> bool:
        """Whether ``rest``, written with a bare alef, must begin with the article ال."""
        return (
            rest.startswith("ال")
            and len(rest) >= 4
            and rest not in self.protected
            and rest not in self.non_article
        )

    def candidates(self, letters: str, bare: frozenset[int]) -> Iterator[Analysis]:
        """Every reading the clitic grammar allows (stem of two letters or more), the whole word first."""
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
                elif p != "س" and letters.startswith("ال", j) and j in bare:
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
                        if initial and (stem[0] not in initial or (stem[0] == "ا" and k in bare)):
                            continue  # future س: an imperfect verb, whose alef is written أ
                        if (c or p or d or e) and stem in self.enc and stem not in self.protected:
                            continue  # لها بهم لكم: a preposition with a pronoun stays one word
                        if not d and p != "ل" and k in bare and self.starts_article(stem):
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

    def parse(self, letters: str, pre: int, enc: int) -> Analysis:
        """The reading with ``pre`` proclitic and ``enc`` enclitic letters (as stored in ``decisions``)."""
        head = letters[:pre]
        c = head[:1] if head[:1] in self.conj[1:] else ""
        p = head[len(c) : len(c) + 1] if head[len(c) : len(c) + 1] in self.prep[1:] else ""
        return Analysis(
            c,
            p,
            head[len(c) + len(p) :],
            letters[len(letters) - enc :] if enc else "",
            letters[pre : len(letters) - enc],
        )

    # -- evidence --

    def prior(self, a: Analysis) -> float:
        pr = self.priors
        if not pr:
            return 0.5 if a.is_whole else 0.01
        return pr["conj"][a.conj] * pr["prep"][a.prep] * pr["det:" + a.prep][a.det] * pr["enc"][a.enc]

    def shared(self, letters: str, a: Analysis, stem: str) -> int:
        """Occurrences of forms readable both whole (``letters`` plus clitics) and as ``a`` (its stem plus
        clitics), ``letters`` itself included, that count towards ``stem``: evidence for neither reading.

        At build time the forms' counts are known and, after the first round, which stem each form was
        given (``assigned``); at run time (no ``counts``, for a word the corpus never had) this is 0.
        """
        if not self.counts:
            return 0
        get = self.counts.get
        owner = self.assigned.get
        total = 0
        if a.conj:
            heads: tuple[str, ...] = ("",)
        elif a.prep:
            heads = self.conj
        else:
            heads = tuple(c + p for c in self.conj for p in self.prep if p != "س" or a.det == "")
        tails = ("",) if (a.enc or a.det) else self.enc
        for h in heads:
            body = h + letters
            if a.det == "ال" and h.endswith("ل"):
                body = h + letters[1:]  # ل + ال is written لل
            for t in tails:
                form = body + t
                n = get(form, 0)
                if n and (not self.assigned or owner(form) == stem):
                    total += n
        return total

    def evidence(self, a: Analysis, whole: str, shared: int) -> int:
        """Occurrences of the stem of reading ``a`` in forms other than those ``shared`` with ``whole``.

        The stem of a split that is a known name counts as seen at least ``name_weight`` times (not the
        whole word: names.tsv lists name tokens as written, clitics included).
        """
        stem = whole if a.is_whole else a.stem
        t = self.stems.get(stem, 0) - shared
        if a.enc and stem.endswith("ت"):  # حكومت+ه: the stem's other forms end in ة
            t += self.stems.get(stem[:-1] + "ة", 0)
        if not a.is_whole and (("ال" if a.det else "") + stem) in self.names:
            t = max(t, self.name_weight)
        return max(t, 0)

    def score(self, a: Analysis, evidence: int) -> float:
        """The count of the word that reading ``a`` predicts from its stem's ``evidence``."""
        pi = self.prior(a)
        return evidence * pi / (1.0 - pi)

    def explains(self, a: Analysis, count: int, evidence: int) -> bool:
        """Whether split ``a`` can account for a word seen ``count`` times, its stem ``evidence`` times.

        A clitic's rate varies from stem to stem (وقال is commoner than قال), but only so far: ``max_rate``
        bounds, per clitic, the word's count over its stem's other occurrences (ذلك is not ذل + ك).
        """
        if not count or not self.max_rate or not (a.conj or a.prep or a.enc):
            return True  # nothing to bound: the article alone is a matter of spelling
        rate = self.max_rate
        prep = "prep:" + a.prep + ("+det" if a.det else "") if a.prep else ""
        bound = min(
            rate.get(key, 1e9)
            for key in ("conj:" + a.conj if a.conj else "", prep, "enc:" + a.enc if a.enc else "")
        )
        return count <= bound * evidence

    def name_support(self, letters: str, a: Analysis) -> int:
        """Evidence for keeping a known name whole against split ``a``: ``name_weight`` unless the split
        leaves another known name (لبنان is no ل + بنان, but ومحمد is و + محمد)."""
        if letters not in self.names or ("ال" if a.det else "") + a.stem in self.names:
            return 0
        return self.name_weight

    def choose(self, letters: str, bare: frozenset[int]) -> Analysis:
        """The best-supported reading of ``letters`` (the whole word when no split beats it)."""
        known = self.decisions.get(letters)
        if known is not None:
            a = self.parse(letters, *known)
            if a.det != "ال" or len(a.conj) + len(a.prep) in bare:  # decided for the bare-alef spelling
                return a
        count = self.counts.get(letters, 0)
        whole: Analysis | None = None
        best: Analysis | None = None
        best_score = -1.0
        for a in self.candidates(letters, bare):
            if a.is_whole:
                whole = a
            else:
                ev = self.evidence(a, letters, self.shared(letters, a, a.stem))
                if not self.explains(a, count, ev):
                    continue
                s = self.score(a, ev)
                if s > best_score:
                    best, best_score = a, s
        if best is None:
            return whole or Analysis("", "", "", "", letters)
        if whole is None:
            return best
        ev = self.evidence(whole, letters, self.shared(letters, best, letters)) + self.name_support(
            letters, best
        )
        return best if best_score > self.score(whole, ev) + self.whole_bonus else whole

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
        protected = frozenset(normalize(row[0]).text for row in _data_lines("segment_protected.tsv"))
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
            stems: dict[str, int] = {}
            decisions: dict[str, tuple[int, int]] = {}
            splits: dict[tuple[str, str], tuple[int, int]] = {}
            non_article: set[str] = set()
            for form, stem, pre, enc, flag in _data_lines("lexicon.tsv.gz"):
                if stem:
                    stems[form] = int(stem)
                if pre:
                    decisions[form] = splits.setdefault((pre, enc), (int(pre), int(enc)))
                if flag:
                    non_article.add(form)
            names = frozenset(row[0] for row in _data_lines("names.tsv"))
        except FileNotFoundError:  # not built yet: the grammar alone, every word whole but for ال
            return cls.grammar()
        return cls.grammar(
            names=names,
            non_article=frozenset(non_article),
            stems=stems,
            decisions=decisions,
            priors=card["priors"],
            whole_bonus=float(card["settings"]["whole_bonus"]),
            name_weight=int(card["settings"]["name_weight"]),
        )


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter.load()


# Per-type caches are plain dicts of atomic values, cleared when full: unlike lru_cache's linked nodes
# they are not tracked by the garbage collector, which would otherwise rescan them again and again.
_CACHE_MAX = 500_000
_PIECES: dict[str, tuple[tuple[int, int, str], ...]] = {}
_SEGMENTS: dict[str, tuple[int, int]] = {}


def _analyse(word: str) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, role)`` pieces of ``word`` in characters as written (marks go with their letter)."""
    pieces = _PIECES.get(word)
    if pieces is None:
        if len(_PIECES) >= _CACHE_MAX:
            _PIECES.clear()
        pieces = _PIECES[word] = _pieces(word)
    return pieces


def _pieces(word: str) -> tuple[tuple[int, int, str], ...]:
    whole = ((0, len(word), "stem"),)
    view = normalize(word)
    letters = view.text
    if len(letters) < 3 or _WORD_RE.fullmatch(word) is None:
        return whole
    seg = _segmenter()
    if seg.decisions.get(letters) == (0, 0):  # decided whole for every spelling of these letters
        return whole
    bare = frozenset(  # the article can only begin at letter 0, 1 or 2
        i for i in range(3) if letters[i] == "ا" and word[view.to_original(i)] not in _HAMZA_ALEFS
    )
    a = seg.choose(letters, bare)
    if a.is_whole:
        return whole
    n = len(letters)
    out = tuple(
        (0 if s == 0 else view.to_original(s), len(word) if e == n else view.to_original(e), role)
        for s, e, role in seg.pieces(a)
    )
    return tuple(p for p in out if p[0] < p[1] or p[2] == "stem")


def segment(word: str) -> tuple[int, int]:
    """``(length of the proclitics, length of the enclitic)`` of ``word``, in characters as written.

    ``segment("والولايات") == (3, 0)``, ``segment("كتابه") == (0, 1)``, ``segment("لبنان") == (0, 0)``.
    Diacritics and tatweel count with the letter they follow.  Anything that is not one Arabic word
    gives ``(0, 0)``.  Cached per word.
    """
    got = _SEGMENTS.get(word)
    if got is None:
        if len(_SEGMENTS) >= _CACHE_MAX:
            _SEGMENTS.clear()
        stem = next(p for p in _analyse(word) if p[2] == "stem")
        got = _SEGMENTS[word] = (stem[0], len(word) - stem[1])
    return got


def clear_caches() -> None:
    """Forget every cached decision and reload the data files on next use (after rebuilding them)."""
    _segmenter.cache_clear()
    _PIECES.clear()
    _SEGMENTS.clear()
    _TYPES.clear()


def segments(token: Token) -> list[tuple[int, int, str]]:
    """The pieces of ``token`` as ``(start, end, role)`` with absolute offsets.

    Roles: ``conj`` (و ف), ``prep`` (ب ل ك), ``fut`` (س), ``det`` (ال, or the ل of لل), ``stem``,
    ``pron`` (enclitic pronoun).  A token that is not an Arabic word is one ``stem`` piece.
    """
    if token.kind != "arabic":
        return [(token.start, token.end, "stem")]
    return [(token.start + s, token.start + e, role) for s, e, role in _analyse(token.text)]


# --- tokenize ------------------------------------------------------------------------------------------


class _TypeCache(dict[str, tuple[str, str, int, int, str]]):
    """Per word type: kind, norm, stem start and end within the word, stem norm."""

    def __missing__(self, w: str) -> tuple[str, str, int, int, str]:
        if len(self) >= _CACHE_MAX:
            self.clear()
        kind = _kind(w)
        norm = w.translate(_MATCH)  # match_form, without filling its cache
        if kind == "arabic":
            pre, suf = segment(w)
            end = len(w) - suf
            info = (kind, norm, pre, end, w[pre:end].translate(_MATCH) if pre or suf else norm)
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
