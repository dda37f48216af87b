"""Turning bytes into text: a byte-order mark, else UTF-8, else windows-1256 (the usual encoding of
Arabic web pages and files from Windows) when that gives plausible Arabic, else whatever
charset-normalizer is confident about (ISO-8859-6, the other Arabic encoding, among them).
Anything else is an error that names the file and the fix."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["DecodeError", "decode", "looks_binary"]

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LETTER = re.compile(r"[^\W\d_]")


class DecodeError(ValueError):
    """The bytes are not text in an encoding we can tell."""


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes early on: an image, an archive, an executable..."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


_LATIN1_LETTER = re.compile(r"[\u00c0-\u00ff]")


def _plausible_arabic(text: str) -> bool:
    """Mostly Arabic letters, in words, without the accented Latin letters that windows-1256 gives
    for the bytes of other Arabic encodings (ISO-8859-6) or of binary data."""
    sample = text[:20000]
    letters = len(_LETTER.findall(sample))
    if not letters or sum(ch.isspace() for ch in sample) < len(sample) / 30:
        return False
    return len(_ARABIC.findall(sample)) / letters >= 0.5 and len(_LATIN1_LETTER.findall(sample)) / letters < 0.01


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode ``data`` read from ``name`` (a path or URL used in messages)."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise DecodeError(f"{name}: unknown encoding {encoding!r} (try utf-8 or windows-1256)") from None
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"{name}: cannot be decoded as {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "check the file's encoding"
            ) from None
    if looks_binary(data):
        raise DecodeError(f"{name}: is a binary file, not text; give text, HTML, a feed, JSON, JSONL or a zip")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("windows-1256")
        if _plausible_arabic(text):
            return text
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding and best.chaos < 0.2:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise DecodeError(
        f"{name}: the encoding cannot be told (not UTF-8 nor windows-1256); "
        "convert it to UTF-8 or give --encoding NAME"
    )
