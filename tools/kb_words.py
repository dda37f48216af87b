"""Which place names are mostly ordinary words (``المدينة``, ``النصر``, ``السلام``)?

Evidence from the shared corpora, used at build time only:

* ANERcorp (training part): how often a word is tagged as a location and how often not;
* SaudiNewsNet: how often a word occurs at all (a village name that is among the commonest words
  of the news is more likely a word than that village).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from pathlib import Path

from kb_common import alias_key

_WORD = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+")

# A place smaller than this whose name is frequent in the news and never tagged LOC is left out.
SMALL_PLACE = 100_000
FREQUENT = 200
# A name tagged O (outside any name) this often in ANERcorp, and three times as often as LOC,
# is an ordinary word (المدينة، الجديدة، وان) whatever the size of the place.
PLAIN = 5


class CommonWords:
    def __init__(self, shared: Path):
        self.loc: Counter[str] = Counter()
        self.plain: Counter[str] = Counter()  # tagged O: not part of any name
        self.named: Counter[str] = Counter()  # tagged PERS, ORG or MISC
        aner = shared / "data" / "anercorp" / "train.txt"
        for line in aner.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) != 2:
                continue
            k = alias_key(parts[0])
            if parts[1].endswith("LOC"):
                self.loc[k] += 1
            elif parts[1] == "O":
                self.plain[k] += 1
            else:
                self.named[k] += 1
        self.freq: Counter[str] = Counter()
        for z in sorted((shared / "data" / "saudinewsnet").glob("*.zip")):
            with zipfile.ZipFile(z) as zf:
                for n in zf.namelist():
                    if n.endswith(".json"):
                        for art in json.loads(zf.read(n)):
                            self.freq.update(_WORD.findall(art.get("content") or ""))
        folded: Counter[str] = Counter()
        for w, c in self.freq.items():
            folded[alias_key(w)] += c
        self.freq = folded
        self.extra: set[str] = set()

    def add(self, words: set[str]) -> None:
        """Further words that must not be place names (role nouns, adjectives ...)."""
        self.extra |= words

    def is_common(self, name: str, population: int) -> bool:
        k = alias_key(name)
        if " " in k:
            return False
        if k in self.extra:
            return True
        loc, plain = self.loc[k], self.plain[k]
        if plain >= PLAIN and plain >= 3 * loc:
            return True
        # a small place whose name is frequent in the news, never a LOC in ANERcorp but seen there as
        # a word or another kind of name (الحزم، نايف): the word, not the village.  Frequency alone
        # is no evidence: the news of the period names its towns often (الزبداني، مأرب).
        seen_otherwise = plain + self.named[k] > 0
        return population < SMALL_PLACE and loc == 0 and seen_otherwise and self.freq[k] >= FREQUENT
