"""Which language an article is in, from its script and, for Latin script, its function words.

Arabic-script text is Arabic unless letters proper to Persian or Urdu dominate the non-Arabic ones;
Latin-script text is scored against the short function-word lists of ``data/function-words.tsv``.
The answer is an ISO 639-1 code, ``und`` when nothing can be told.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["detect_language"]

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_PERSIAN = re.compile(r"[پچژگک]")  # letters Arabic does not use
_URDU = re.compile(r"[ٹڈڑںےھ]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")


@lru_cache(maxsize=1)
def _profiles() -> dict[str, frozenset[str]]:
    raw = resources.files("marsad.ingest").joinpath("data").joinpath("function-words.tsv").read_text(encoding="utf-8")
    out: dict[str, frozenset[str]] = {}
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            code, words = line.split("\t", 1)
            out[code] = frozenset(words.split())
    return out


def detect_language(text: str) -> str:
    sample = text[:5000]
    arabic = len(_ARABIC_LETTER.findall(sample))
    latin = len(_LATIN.findall(sample))
    if arabic == 0 and latin == 0:
        return "und"
    if arabic >= latin:
        persian, urdu = len(_PERSIAN.findall(sample)), len(_URDU.findall(sample))
        if urdu > 5 and urdu >= persian:
            return "ur"
        if persian > 5 and persian > arabic * 0.01:
            return "fa"
        return "ar"
    words = [w.lower() for w in _WORD.findall(sample)]
    best, best_n = "und", 0
    for code, vocab in _profiles().items():
        n = sum(1 for w in words if w in vocab)
        if n > best_n:
            best, best_n = code, n
    return best if best_n >= 2 else "und"
