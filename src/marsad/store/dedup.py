"""Duplicate detection: exact (same normalised text) and near (MinHash LSH over word shingles).

Wire copies that papers rewrite lightly (a new first line, a changed dateline, a few words swapped)
keep much of their word 3-grams: two articles whose shingle sets have a Jaccard similarity of at
least :data:`THRESHOLD` are copies of one story.  The threshold comes from SaudiNewsNet: rewritten
copies of one story by different papers measure 0.43-0.75, while different stories written on one
template (two executions, the weather on two days, the fifth and the sixth relief flight) measure
0.31-0.41.

The MinHash signature (datasketch) finds candidates without comparing every pair: LSH buckets of
:data:`ROWS` signature values in :data:`BANDS` bands (a pair at the threshold becomes a candidate
with probability 1 - (1 - 0.42^3)^42 ≈ 0.96); a candidate whose estimated similarity is plausible is
then verified with the exact Jaccard similarity of the two texts, since an estimate from 128 values
is off by up to ±0.1 (above :data:`SURE` the estimate is enough).  Signatures and buckets are plain values, so any store backend can keep them
in tables.  Texts shorter than :data:`MIN_WORDS` words are never grouped (empty bodies and one-line
notices are not copies of each other).
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np
from datasketch import MinHash

from marsad.text.normalize import match_form

__all__ = [
    "BANDS",
    "MIN_WORDS",
    "NUM_PERM",
    "PLAUSIBLE",
    "ROWS",
    "THRESHOLD",
    "buckets",
    "fingerprint",
    "jaccard",
    "shingles",
    "signature",
    "similarity",
    "text_hash",
]

THRESHOLD = 0.42
PLAUSIBLE = 0.25  # estimated similarity below which a candidate is not verified
SURE = 0.6  # estimated similarity above which a candidate is a copy without verification
MIN_WORDS = 20
SHINGLE = 3
NUM_PERM = 128
BANDS = 42
ROWS = 3
_SEED = 1

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(match_form(text).lower())


def text_hash(text: str) -> str:
    """sha256 of the text's words in matching form: equal for texts that differ only in spacing,
    punctuation, diacritics or letter variants."""
    return hashlib.sha256(" ".join(_words(text)).encode("utf-8")).hexdigest()


def _hash32(data: bytes) -> int:
    return zlib.crc32(data)


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme="affine32")
_PERMUTATIONS = _TEMPLATE.permutations


def _signature(words: list[str]) -> bytes | None:
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=_hash32, permutations=_PERMUTATIONS, scheme="affine32")
    m.update_batch(list(shingles))
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


def signature(text: str) -> bytes | None:
    """The MinHash signature of the text's word 3-grams (NUM_PERM uint32), or None if too short."""
    return _signature(_words(text))


def fingerprint(text: str) -> tuple[str, bytes | None]:
    """:func:`text_hash` and :func:`signature` of ``text`` in one pass."""
    words = _words(text)
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest(), _signature(words)


def buckets(sig: bytes) -> list[tuple[int, int]]:
    """The LSH ``(band, bucket)`` keys of a signature."""
    out = []
    width = ROWS * 4
    for band in range(BANDS):
        chunk = sig[band * width : (band + 1) * width]
        h = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        out.append((band, h))
    return out


def shingles(text: str) -> set[int]:
    """The hashed word 3-grams of a text."""
    words = _words(text)
    return {_hash32(" ".join(words[i : i + SHINGLE]).encode("utf-8")) for i in range(len(words) - SHINGLE + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(x == y)) / len(x)
