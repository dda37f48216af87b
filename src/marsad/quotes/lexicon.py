"""The quote finder's language data: reporting cues (``data/cues.tsv``) and word classes (``data/words.tsv``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from marsad.text.normalize import match_form

__all__ = ["KINDS", "WORD_CLASSES", "Cue", "Lexicon", "packaged_lexicon", "read_cues", "read_words"]

KINDS = ("verb", "participle", "noun", "according", "relay", "quoting", "impersonal")
WORD_CLASSES = (
    "comp",
    "neg",
    "rel",
    "skip",
    "source",
    "statement",
    "honorific",
    "pronoun",
    "adverbial",
    "modifier",
    "joint",
    "subord",
    "subj",
    "link",
)
_ENCLITICS = ("هما", "هم", "ها", "ه")
_CACHE_WORDS = 300_000


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting lexeme: its kind and the ways its content is introduced."""

    lemma: str
    kind: str
    that: bool = False
    obj: bool = False
    colon: bool = False
    preps: tuple[str, ...] = ()  # prepositions in matching form (إلى → الي)


# A cue reading of a word: (conjunction letters, the one-word cue or None, several-word cues).
_Reading = tuple[int, "Cue | None", tuple[tuple[tuple[str, ...], "Cue"], ...]]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Cue forms and word classes, keyed by matching form."""

    cues: Mapping[str, Cue]  # one-word forms
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], Cue], ...]]  # first word → (rest, cue), longest first
    words: Mapping[str, frozenset[str]]
    # (word, has a pronoun) → the readings that are cues; filled as words are met
    _seen: dict[tuple[str, bool], tuple[_Reading, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _may: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def word(self, norm: str) -> frozenset[str]:
        """Classes of a word (matching form), read also without a leading و/ف."""
        found = self.words.get(norm)
        if found is None and len(norm) > 2 and norm[0] in "وف":
            found = self.words.get(norm[1:])
        return found or frozenset()

    def is_(self, norm: str, cls: str) -> bool:
        return cls in self.word(norm)

    def may_cue(self, norm: str) -> bool:
        """A cheap test: could this word (any pronoun read off it) be or begin a cue? (cached)"""
        found = self._may.get(norm)
        if found is None:
            found = any(form in self.cues or form in self.phrases for _, form in _readings(norm, True))
            if len(self._may) < _CACHE_WORDS:
                self._may[norm] = found
        return found

    def cue_at(self, norms: Sequence[str], texts: Sequence[str], i: int) -> tuple[int, int, Cue] | None:
        """The cue starting at word ``i``: ``(words, conjunction letters, cue)``, or None.

        ``norms`` are the words' matching forms, ``texts`` the words as written (an object pronoun
        is only read off a word written with ه, not with ة: ``ابلغه`` but not ``اضافة``).
        """
        text = texts[i]
        key = (norms[i], text[-1:] == "ه" or text[-2:] in ("ها", "هم"))
        readings = self._seen.get(key)
        if readings is None:
            readings = tuple(
                (strip, self.cues.get(form), self.phrases.get(form, ()))
                for strip, form in _readings(*key)
                if form in self.cues or form in self.phrases
            )
            if len(self._seen) < _CACHE_WORDS:
                self._seen[key] = readings
        for strip, one, multi in readings:
            for rest, cue in multi:
                n = len(rest)
                if tuple(norms[i + 1 : i + 1 + n]) == rest:
                    return n + 1, strip, cue
            if one is not None:
                return 1, strip, one
        return None


def _readings(w: str, pronoun: bool) -> list[tuple[int, str]]:
    """``w`` as written, without a conjunction, and without an object pronoun: ``(conj letters, form)``."""
    out = [(0, w)]
    if len(w) > 3 and w[0] in "وف":
        out.append((1, w[1:]))
    if not pronoun:
        return out
    for strip, form in list(out):
        for enc in _ENCLITICS:
            if form.endswith(enc) and len(form) - len(enc) >= 3:
                out.append((strip, form[: -len(enc)]))
                break
    return out


def _rows(text: str, source: str, width: int) -> list[tuple[int, list[str]]]:
    rows = []
    header = True
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if header:
            header = False
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < width:
            raise ValueError(f"{source}:{n}: expected {width} tab-separated columns; fix the data file")
        rows.append((n, cols))
    return rows


def read_cues(
    text: str, source: str = "cues.tsv"
) -> tuple[dict[str, Cue], dict[str, list[tuple[tuple[str, ...], Cue]]]]:
    """Parse ``lemma<TAB>kind<TAB>frames<TAB>forms`` rows into one-word and several-word cue forms."""
    single: dict[str, Cue] = {}
    multi: dict[str, list[tuple[tuple[str, ...], Cue]]] = {}
    for n, (lemma, kind, frames, forms) in ((n, cols[:4]) for n, cols in _rows(text, source, 4)):
        if kind not in KINDS:
            raise ValueError(f"{source}:{n}: kind {kind!r} is not one of {', '.join(KINDS)}")
        fs = frames.split("|")
        bad = [f for f in fs if f not in ("that", "obj", "colon") and not f.startswith("prep=")]
        if bad:
            raise ValueError(f"{source}:{n}: unknown frame {bad[0]!r} (that, obj, colon, prep=X)")
        cue = Cue(
            lemma=lemma,
            kind=kind,
            that="that" in fs,
            obj="obj" in fs,
            colon="colon" in fs,
            preps=tuple(match_form(f[5:]) for f in fs if f.startswith("prep=")),
        )
        for form in forms.split():
            words = tuple(match_form(w) for w in form.split("_"))
            if len(words) == 1:
                single.setdefault(words[0], cue)
            else:
                multi.setdefault(words[0], []).append((words[1:], cue))
    for v in multi.values():
        v.sort(key=lambda rc: -len(rc[0]))
    return single, multi


def read_words(text: str, source: str = "words.tsv") -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for n, cols in _rows(text, source, 2):
        if cols[1] not in WORD_CLASSES:
            raise ValueError(f"{source}:{n}: class {cols[1]!r} is not one of {', '.join(WORD_CLASSES)}")
        table.setdefault(match_form(cols[0]), set()).add(cols[1])
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def packaged_lexicon() -> Lexicon:
    """The lexicon shipped with marsad."""
    data = resources.files("marsad.quotes").joinpath("data")
    single, multi = read_cues(data.joinpath("cues.tsv").read_text(encoding="utf-8"))
    words = read_words(data.joinpath("words.tsv").read_text(encoding="utf-8"))
    return Lexicon(
        MappingProxyType(single),
        MappingProxyType({k: tuple(v) for k, v in multi.items()}),
        MappingProxyType(words),
    )
