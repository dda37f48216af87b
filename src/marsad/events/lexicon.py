"""The event lexicon: triggers, cue words, mode cues and type policies, read from ``data/``.

``triggers.tsv`` is built by ``tools/build_event_lexicon.py``; the other files are written by hand.
Every word is kept in its matching form (:func:`marsad.text.normalize.match_form`).  A word of the
text is looked up through its *readings* (:func:`readings`): the word itself and the word without
its proclitics (و ف، ب ل ك، ال، the future س) and enclitic pronouns, least stripped first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from marsad.text.normalize import match_form

__all__ = [
    "VERB_FORMS",
    "Frame",
    "Lexicon",
    "LexiconError",
    "Reading",
    "Trigger",
    "TypePolicy",
    "final_ta",
    "readings",
    "word_keys",
]

GAP = "_"  # a pattern token: up to GAP_WORDS words may pass ("_2": up to two)
GAP_WORDS = 8
VERB_FORMS = frozenset({"perf", "perf1", "imp", "imp1"})
# Enclitic pronouns stripped to find a trigger (زيارته، ابلغه، قتلوه).  Second-person and ي are left
# out: rare in news, and they make nisba adjectives and adverbs look like triggers (الاجتماعي، هناك).
_ENCLITICS = ("هما", "هم", "هن", "ها", "نا", "ه")
_SUFFIXES = ("",) + _ENCLITICS
_NO_SUFFIX = ("",)
_PROCLITIC_LETTERS = frozenset("وفبلكاس")


def final_ta(text: str) -> bool:
    """Is the word written with a final ta marbuta (ignoring diacritics)?"""
    return text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640").endswith("ة")


class LexiconError(ValueError):
    """A data file of the events stage is malformed."""


@dataclass(frozen=True, slots=True)
class Frame:
    """How a trigger's arguments are found (see ``tools/event_sources/triggers.tsv``)."""

    tgt_preps: frozenset[str] = frozenset()
    src_preps: frozenset[str] = frozenset()
    intransitive: bool = False
    swap: bool = False
    symmetric: bool = False
    genitive: str = "either"  # src, tgt, or either: the source when a target follows, else the target
    requires_actor: bool = False
    past_only: bool = False
    future_only: bool = False
    accusation: bool = False
    predicate: bool = False
    actor: str | None = None

    @classmethod
    def parse(cls, text: str) -> Frame:
        kw: dict[str, object] = {}
        for item in filter(None, (p.strip() for p in text.split(";"))):
            name, _, value = item.partition("=")
            if name == "tgt":
                kw["tgt_preps"] = frozenset(match_form(v) for v in value.split(","))
            elif name == "src":
                kw["src_preps"] = frozenset(match_form(v) for v in value.split(","))
            elif name == "gen":
                kw["genitive"] = value
            elif name == "actor":
                kw["actor"] = value
            elif name in _FLAGS:
                kw[_FLAGS[name]] = True
            elif name == "perf":
                kw["past_only"] = True
            elif name == "nobare":  # used by the build only
                continue
            else:
                raise LexiconError(f"unknown frame item {item!r}")
        return cls(**kw)  # type: ignore[arg-type]


_FLAGS = {
    "intr": "intransitive",
    "swap": "swap",
    "sym": "symmetric",
    "req": "requires_actor",
    "fut": "future_only",
    "acc": "accusation",
    "pred": "predicate",
}


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry: a word (``key``) and the pattern tokens that must follow it."""

    key: str
    rest: tuple[tuple[str, ...], ...]  # each token: its alternatives; ("_",) is a gap
    form: str  # perf perf1 imp imp1 noun fixed
    type: str  # a PLOVER type, or "-" for a block
    mode: str | None
    cameo: str | None
    frame: Frame
    confidence: float
    origin: str  # curated | up

    @property
    def is_verb(self) -> bool:
        return self.form in VERB_FORMS

    @property
    def is_block(self) -> bool:
        return self.type == "-"

    @property
    def first_person(self) -> bool:
        return self.form in ("perf1", "imp1")


class Reading(NamedTuple):
    """A reading of a word: the key to look up and what was stripped to get it."""

    key: str
    conj: bool  # و/ف
    prep: str  # ب ل ك or ""
    article: bool  # ال
    future: bool  # س before an imperfect
    suffix: str  # enclitic pronoun or ""


@lru_cache(maxsize=100_000)
def readings(norm: str, final_ta: bool = False) -> tuple[Reading, ...]:
    """Readings of a word in matching form, least stripped first.

    ``final_ta``: the word is written with a final ta marbuta (ة), which the matching form folds
    into ه; that ه is then not an enclitic pronoun (``سيطرة`` is not ``سيطر+ه``).
    """
    bases: list[Reading] = [Reading(norm, False, "", False, False, "")]
    if len(norm) > 3 and norm[0] in "وف":
        bases.append(Reading(norm[1:], True, "", False, False, ""))
    out: list[Reading] = []
    for b in bases:
        out.append(b)
        w = b.key
        if w.startswith("ال") and len(w) > 4:
            out.append(b._replace(key=w[2:], article=True))
        if len(w) > 3 and w[0] in "بلك":
            w2 = w[1:]
            if w[0] == "ل" and w2.startswith("ل") and len(w2) > 3:
                out.append(b._replace(key=w2[1:], prep="ل", article=True))
            if w2.startswith("ال") and len(w2) > 4:
                out.append(b._replace(key=w2[2:], prep=w[0], article=True))
            out.append(b._replace(key=w2, prep=w[0]))
        if len(w) > 3 and w[0] == "س" and w[1] in "يتن":
            out.append(b._replace(key=w[1:], future=True))
    with_suffix: list[Reading] = []
    for r in out:
        for suf in _ENCLITICS:
            if suf == "ه" and final_ta:
                continue
            if r.key.endswith(suf) and len(r.key) - len(suf) >= 3:
                k = r.key[: -len(suf)]
                with_suffix.append(r._replace(key=k, suffix=suf))
                if k.endswith("ت") and len(k) > 3:
                    with_suffix.append(r._replace(key=k[:-1] + "ه", suffix=suf))
                if k.endswith("و"):  # قتلوه → قتلوا
                    with_suffix.append(r._replace(key=k + "ا", suffix=suf))
                break
    seen: set[tuple[str, str, bool, bool]] = set()
    uniq: list[Reading] = []
    for r in out + with_suffix:
        if (r.key, r.prep, r.article, r.future) not in seen:
            seen.add((r.key, r.prep, r.article, r.future))
            uniq.append(r)
    return tuple(uniq)


@lru_cache(maxsize=100_000)
def word_keys(norm: str) -> frozenset[str]:
    """Every key a word may be compared by: the word and all its readings."""
    return frozenset(r.key for r in readings(norm)) | {norm}


def _compatible(t: Trigger, r: Reading) -> bool:
    """Can ``t`` be read from a word stripped as ``r``?"""
    if t.is_verb:
        if r.article or r.prep in ("ب", "ك"):
            return False
        return not ((r.prep == "ل" or r.future) and not t.form.startswith("imp"))
    return not r.future


@dataclass(frozen=True, slots=True)
class TypePolicy:
    needs: str  # both | source | target | actor | -
    future: str | None
    refused: str | None
    material: bool = False


def _data(name: str) -> str:
    try:
        return resources.files("marsad.events").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(
            f"marsad/events/data/{name} is missing; rebuild it with tools/build_event_lexicon.py"
        ) from None


def _rows(text: str, name: str, ncols: int) -> Iterable[list[str]]:
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if len(cols) < ncols:
            raise LexiconError(f"{name}:{n}: expected {ncols} columns, found {len(cols)}")
        yield cols


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(match_form(w) for w in text.split())


@dataclass
class Lexicon:
    """Triggers indexed by key, cue phrases by kind, mode cues and type policies."""

    triggers: dict[str, tuple[Trigger, ...]]
    cues: dict[str, frozenset[tuple[str, ...]]]
    modes: dict[str, tuple[tuple[str, frozenset[str]], ...]]
    policies: dict[str, TypePolicy]
    _cache: dict[str, tuple[Reading, tuple[Trigger, ...]] | None] = field(default_factory=dict)
    _words: dict[str, frozenset[str]] = field(default_factory=dict)
    _keys: dict[str, frozenset[str]] = field(default_factory=dict)
    _vocabulary: frozenset[str] = frozenset()
    _star_heads: frozenset[str] = frozenset()
    _trigger_cores: frozenset[str] = frozenset()
    _vocabulary_cores: frozenset[str] = frozenset()
    _stars: dict[int, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Every word a caller compares a word's keys with, so that other words skip their readings."""
        vocab: set[str] = set(self.triggers)
        stars: dict[int, set[str]] = {}
        for entries in self.triggers.values():
            for t in entries:
                for alts in t.rest:
                    for a in alts:
                        if a.endswith("*"):
                            stars.setdefault(len(a) - 1, set()).add(a[:-1])
                        else:
                            vocab.add(a)
        for phrases in self.cues.values():
            for p in phrases:
                vocab.update(p)
        for cues in self.modes.values():
            for _, words in cues:
                vocab.update(words)
        self._vocabulary = frozenset(vocab)
        self._stars = {n: frozenset(v) for n, v in stars.items()}
        self._star_heads = frozenset(p[:3] for ps in self._stars.values() for p in ps)
        self._trigger_cores = _cores(self.triggers)
        self._vocabulary_cores = _cores(self._vocabulary)

    @classmethod
    def load(cls) -> Lexicon:
        """The lexicon shipped with marsad (read once, then shared)."""
        return _load_packaged()

    @classmethod
    def from_texts(cls, triggers: str, cues: str, modes: str, types: str) -> Lexicon:
        index: dict[str, list[Trigger]] = {}
        header = True
        for cols in _rows(triggers, "triggers.tsv", 9):
            if header:  # the column names
                header = False
                continue
            key, rest, form, ptype, mode, cameo, frame, conf, origin = cols[:9]
            tokens = tuple(tuple(alt for alt in tok.split("|")) for tok in rest.split()) if rest else ()
            t = Trigger(
                key=key,
                rest=tokens,
                form=form,
                type=ptype,
                mode=mode or None,
                cameo=cameo or None,
                frame=Frame.parse(frame),
                confidence=float(conf),
                origin=origin,
            )
            index.setdefault(key, []).append(t)
        cue_sets: dict[str, set[tuple[str, ...]]] = {}
        for cols in _rows(cues, "cues.tsv", 2):
            cue_sets.setdefault(cols[0], set()).update(_phrase(p) for p in cols[1].split("|") if p.strip())
        mode_cues: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for cols in _rows(modes, "modes.tsv", 3):
            words = frozenset(match_form(w) for w in cols[2].split("|") if w.strip())
            mode_cues.setdefault(cols[0], []).append((cols[1], words))
        policies = {
            cols[0]: TypePolicy(
                cols[1],
                None if cols[2] == "-" else cols[2],
                None if cols[3] == "-" else cols[3],
                cols[4] == "yes",
            )
            for cols in _rows(types, "types.tsv", 5)
        }
        return cls(
            triggers={k: tuple(v) for k, v in index.items()},
            cues={k: frozenset(v) for k, v in cue_sets.items()},
            modes={k: tuple(v) for k, v in mode_cues.items()},
            policies=policies,
        )

    def lookup(self, norm: str, final_ta: bool = False) -> tuple[Reading, tuple[Trigger, ...]] | None:
        """The first reading of ``norm`` that keys lexicon entries, with the compatible entries."""
        key = norm + "ة" if final_ta else norm
        try:
            return self._cache[key]
        except KeyError:
            pass
        found = None
        for r in readings(norm, final_ta) if self._could_match(norm) else ():
            entries = self.triggers.get(r.key)
            if entries:
                ok = tuple(t for t in entries if _compatible(t, r))
                if ok:
                    found = (r, ok)
                    break
        if len(self._cache) < 200_000:
            self._cache[key] = found
        return found

    @property
    def known_keys(self) -> Callable[[str], frozenset[str] | None]:
        """The cache behind :meth:`keys` (``get``): None for a word not seen yet."""
        return self._keys.get

    def keys(self, norm: str) -> frozenset[str]:
        """:func:`word_keys` for the words the lexicon knows; a word none of whose readings can be a
        lexicon or cue word gets just itself (cached; most words take this quick path)."""
        got = self._keys.get(norm)
        if got is None:
            if self._could_match(norm, vocabulary=True):
                got = word_keys(norm)
            else:
                got = frozenset((norm,))
            if len(self._keys) < 300_000:
                self._keys[norm] = got
        return got

    def _could_match(self, norm: str, vocabulary: bool = False) -> bool:
        """A quick test that rules out most words before their readings are worked out: is some
        stretch of the word, between proclitic letters and an enclitic, a trigger key (with
        ``vocabulary``: any word the lexicon compares with, or the start of one of its prefixes)?"""
        cores = self._vocabulary_cores if vocabulary else self._trigger_cores
        n = len(norm)
        if n < 2:
            return False
        sufs = [s for s in _SUFFIXES if norm.endswith(s)] if norm[-1] in "اهمن" else _NO_SUFFIX
        stars = self._stars if vocabulary else None
        for a in range(min(5, n - 1)):
            if a and norm[a - 1] not in _PROCLITIC_LETTERS:
                break
            for suf in sufs:
                core = norm[a : n - len(suf)] if suf else norm[a:]
                if core in cores and (len(core) > 2 or n <= 3):  # a two-letter word: alone or with و ف ب ل
                    return True
                if stars is not None and core[:3] in self._star_heads:
                    for m, ps in stars.items():
                        if core[:m] in ps:
                            return True
        return False

    def cue_words(self, kind: str) -> frozenset[str]:
        """The one-word cues of ``kind``."""
        words = self._words.get(kind)
        if words is None:
            words = self._words[kind] = frozenset(p[0] for p in self.cues.get(kind, ()) if len(p) == 1)
        return words

    def cue_phrases(self, kind: str) -> frozenset[tuple[str, ...]]:
        return self.cues.get(kind, frozenset())


def _cores(words: Iterable[str]) -> frozenset[str]:
    """What a word stripped of its clitics may look like for each of ``words``: itself, with ت for
    a final ه (زيارت of زياره) and without the accusative's final ا."""
    out: set[str] = set()
    for w in words:
        out.add(w)
        if w.endswith("ه"):
            out.add(w[:-1] + "ت")
        if w.endswith("ا") and len(w) > 2:
            out.add(w[:-1])
    return frozenset(out)


@lru_cache(maxsize=1)
def _load_packaged() -> Lexicon:
    return Lexicon.from_texts(
        _data("triggers.tsv"), _data("cues.tsv"), _data("modes.tsv"), _data("types.tsv")
    )
