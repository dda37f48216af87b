"""Small word classes the linker reads around names and role nouns (``data/words.tsv``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from marsad.text.normalize import match_form

__all__ = ["CLASSES", "WordClasses", "read_word_classes"]

CLASSES = (
    "counterpart",
    "on_behalf",
    "loyal",
    "of",
    "place_prep",
    "place_noun",
    "title",
    "filler",
    "former",
    "deputy",
    "envoy",
)


@dataclass(frozen=True, slots=True)
class WordClasses:
    """Matching form → the classes it belongs to."""

    by_form: Mapping[str, frozenset[str]]

    def classes(self, norm: str) -> frozenset[str]:
        """Classes of a word given in matching form; ال is tried off when the form alone is unknown."""
        found = self.by_form.get(norm)
        if found is None and norm.startswith("ال") and len(norm) > 3:
            found = self.by_form.get(norm[2:])
        return found or frozenset()

    def has(self, norm: str, cls: str) -> bool:
        return cls in self.classes(norm)


def read_word_classes(text: str, source: str = "words.tsv") -> WordClasses:
    """Parse ``form<TAB>class`` lines (``#`` comments, a header line ``form<TAB>class``)."""
    table: dict[str, set[str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith(("#", "form\t")):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or cols[1] not in CLASSES:
            raise ValueError(f"{source}:{n}: expected form<TAB>class with class one of {', '.join(CLASSES)}")
        table.setdefault(match_form(cols[0].strip()), set()).add(cols[1].strip())
    return WordClasses(MappingProxyType({k: frozenset(v) for k, v in table.items()}))


@lru_cache(maxsize=1)
def packaged_words() -> WordClasses:
    raw = resources.files("marsad.link").joinpath("data", "words.tsv").read_text(encoding="utf-8")
    return read_word_classes(raw)
