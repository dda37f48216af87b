"""CoNLL-style NER data and exact-match scoring (IOB2 ``token TAG`` files)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "TYPE_ALIASES",
    "Score",
    "parse_conll",
    "read_conll",
    "score_spans",
    "tag_spans",
    "to_iob2",
    "to_iobes",
]

# ANERcorp writes PERS; the contract's type is PER.
TYPE_ALIASES = {"PERS": "PER"}


def parse_conll(text: str, *, source: str = "input") -> list[tuple[list[str], list[str]]]:
    """Sentences of a ``token TAG`` file (blank line between sentences), tags mapped to our types."""
    sents: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            if words:
                sents.append((words, tags))
                words, tags = [], []
            continue
        token, _, tag = line.rpartition(" ")
        if not token or not tag:
            raise ValueError(
                f"{source}:{lineno}: expected 'token TAG', got {line!r}: fix the line or the file format"
            )
        if tag != "O":
            prefix, _, typ = tag.partition("-")
            if prefix not in ("B", "I") or not typ:
                raise ValueError(f"{source}:{lineno}: tag {tag!r} is not IOB2 (B-TYPE, I-TYPE or O)")
            tag = prefix + "-" + TYPE_ALIASES.get(typ, typ)
        words.append(token)
        tags.append(tag)
    if words:
        sents.append((words, tags))
    return sents


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    return parse_conll(path.read_text(encoding="utf-8"), source=str(path))


def tag_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` of an IOB2 sequence; a stray ``I-`` starts an entity."""
    spans: set[tuple[int, int, str]] = set()
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or tag[2:] != typ:
            if start >= 0:
                spans.add((start, i, typ))
            start, typ = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans


def to_iobes(tags: Sequence[str]) -> list[str]:
    """IOB2 → IOBES (S- for one-token entities, E- for the last token of longer ones)."""
    out = []
    n = len(tags)
    for i, tag in enumerate(tags):
        if tag == "O":
            out.append(tag)
            continue
        ends = i + 1 == n or tags[i + 1] != "I-" + tag[2:]
        if tag[0] == "B":
            out.append(("S-" if ends else "B-") + tag[2:])
        else:
            out.append(("E-" if ends else "I-") + tag[2:])
    return out


def to_iob2(tags: Sequence[str]) -> list[str]:
    """IOBES (or IOB2, unchanged) → IOB2."""
    return [("B-" + t[2:]) if t[0] == "S" else ("I-" + t[2:]) if t[0] == "E" else t for t in tags]


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_spans(
    gold: Iterable[set[tuple[int, int, str]]], pred: Iterable[set[tuple[int, int, str]]]
) -> dict[str, Score]:
    """Exact-match scores per type and ``"ALL"``, over paired sentences' span sets."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for s in g & p:
            tp[s[2]] += 1
        for s in p - g:
            fp[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    types = sorted(set(tp) | set(fp) | set(fn))
    out = {t: Score(tp[t], fp[t], fn[t]) for t in types}
    out["ALL"] = Score(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out
