"""Duplicate detection: exact (same normalised text) and near (MinHash LSH over word shingles).

Wire copies that papers rewrite lightly (a new first line, a changed dateline, a few words swapped)
keep most of their word 3-grams: two articles whose shingle sets have a Jaccard similarity of at
least :data:`THRESHOLD` are copies of one story.  The MinHash signature (datasketch) estimates that
similarity; LSH buckets of :data:`ROWS` signature values in :data:`BANDS` bands find candidates
without comparing every pair (a pair at the threshold becomes a candidate with probability
1 - (1 - 0.5^3)^42 ≈ 0.996).  Signatures and buckets are plain values, so any store backend can keep
them in tables.  Texts shorter than :data:`MIN_WORDS` words are never grouped (empty bodies and
one-line notices are not copies of each other).
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np
from datasketch import MinHash

from marsad.text.normalize import match_form

__all__ = [
    "THRESHOLD",
    "MIN_WORDS",
    "NUM_PERM",
    "BANDS",
    "ROWS",
    "text_hash",
    "signature",
    "buckets",
    "similarity",
]

THRESHOLD = 0.5
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


def signature(text: str) -> bytes | None:
    """The MinHash signature of the text's word 3-grams (NUM_PERM uint32), or None if too short."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=_hash32)
    m.update_batch(list(shingles))
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


def buckets(sig: bytes) -> list[tuple[int, int]]:
    """The LSH ``(band, bucket)`` keys of a signature."""
    out = []
    width = ROWS * 4
    for band in range(BANDS):
        chunk = sig[band * width : (band + 1) * width]
        h = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        out.append((band, h))
    return out


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(x == y)) / len(x)
