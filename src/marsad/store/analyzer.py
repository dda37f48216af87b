"""Search analysis: Arabic-aware terms for the full-text index and for queries.

Every word of a text gives two terms:

* a **word** term: its matching form (:func:`marsad.text.normalize.match_form`: no diacritics or
  tatweel, unified alef/ya/ta marbuta/hamza forms), lower-cased — names are kept whole;
* a **stem** term: the word term with its clitics and common suffixes stripped by a light stemmer
  (``data/light-stemmer.tsv``), so ``والمسلمين`` and ``المسلمون`` meet at ``مسلم``.

Stop words (``data/stopwords-ar.txt``) are dropped from both.  The index is derived from the stored
text by this module alone, so it stays correct whatever the analysis pipeline does; change
:data:`VERSION` whenever the output of :func:`analyze` changes, and stores rebuild their index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.text.normalize import DELETED, match_form

__all__ = ["MARKS", "RAW_WORD", "STOP_WORDS", "VERSION", "Term", "analyze", "index_fields", "raw_terms", "stem", "terms"]

VERSION = "ar-light-2"

_WORD = re.compile(r"[^\W_]+")
# A word of the original text, with the marks the normalised view deletes (diacritics, tatweel,
# invisible controls) inside it: the same words as _WORD finds in the view, with original offsets.
MARKS = "".join(re.escape(chr(cp)) for cp in sorted(DELETED))
RAW_WORD = re.compile(rf"(?:[^\W_]|[{MARKS}])*[^\W_](?:[^\W_]|[{MARKS}])*")


def _read(name: str) -> list[str]:
    raw = resources.files("marsad.store").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in raw.splitlines() if line.strip() and not line.startswith("#")]


def _load_stop_words() -> frozenset[str]:
    return frozenset(match_form(w.strip()).lower() for w in _read("stopwords-ar.txt"))


@dataclass(frozen=True, slots=True)
class _Rules:
    min_prefix_stem: int
    min_stem: int
    prefixes: tuple[str, ...]
    conj: str
    prep: str
    single: str
    enclitics: tuple[str, ...]
    suffixes: tuple[str, ...]


def _load_rules() -> _Rules:
    cols = {line.split("\t")[0]: line.split("\t")[1:] for line in _read("light-stemmer.tsv")}
    return _Rules(
        min_prefix_stem=int(cols["min_prefix_stem"][0]),
        min_stem=int(cols["min_stem"][0]),
        prefixes=tuple(cols["prefix"][0].split()),
        conj=cols["conj_prep"][0],
        prep=cols["conj_prep"][1],
        single=cols["single"][0],
        enclitics=tuple(cols["enclitic"][0].split()),
        suffixes=tuple(cols["suffix"][0].split()),
    )


STOP_WORDS = _load_stop_words()
_RULES = _load_rules()


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """The light stem of a word term (already in matching form); non-Arabic words are returned as is."""
    if not word or not _is_arabic(word[0]):
        return word
    r = _RULES
    w = word
    for p in r.prefixes:
        if w.startswith(p) and len(w) - len(p) >= r.min_prefix_stem:
            w = w[len(p) :]
            break
    else:
        if len(w) >= 5 and w[0] in r.conj and w[1] in r.prep:
            w = w[2:]
        elif len(w) >= 4 and w[0] in r.single:
            w = w[1:]
    for s in r.enclitics:
        if w.endswith(s) and len(w) - len(s) >= r.min_stem:
            w = w[: -len(s)]
            break
    for s in r.suffixes:
        if w.endswith(s) and len(w) - len(s) >= r.min_stem:
            w = w[: -len(s)]
            break
    return w


@lru_cache(maxsize=500_000)
def _term(raw: str) -> tuple[str, str] | None:
    """(word, stem) for one raw token of the normalised view, or None for a stop word."""
    word = raw.lower()
    if word in STOP_WORDS:
        return None
    return word, stem(word)


@dataclass(frozen=True, slots=True)
class Term:
    """One indexed word of a text: offsets into the original text and its two terms."""

    start: int
    end: int
    word: str
    stem: str


@lru_cache(maxsize=500_000)
def raw_terms(raw: str) -> tuple[tuple[str, str], ...]:
    """The terms of one word as written (marks and all): usually one, none for a stop word."""
    form = match_form(raw)
    # A character that the matching form folds into punctuation or a space splits the word.
    parts = [form] if _WORD.fullmatch(form) else _WORD.findall(form)
    return tuple(t for t in map(_term, parts) if t is not None)


def analyze(text: str) -> Iterator[Term]:
    """The terms of ``text`` in order, with offsets into ``text`` (stop words left out)."""
    for m in RAW_WORD.finditer(text):
        for word, stem_ in raw_terms(m.group()):
            yield Term(m.start(), m.end(), word, stem_)


def terms(text: str) -> list[tuple[str, str]]:
    """``(word, stem)`` for each indexed word of ``text``, in order (no offsets)."""
    out: list[tuple[str, str]] = []
    for raw in RAW_WORD.findall(text):
        out.extend(raw_terms(raw))
    return out


def index_fields(text: str) -> tuple[str, str]:
    """The two index columns for ``text``: its word terms and its stem terms, space-separated."""
    ts = terms(text)
    return " ".join(w for w, _ in ts), " ".join(s for _, s in ts)
