"""Helpers shared by the command modules: reading input files with clear errors."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

__all__ = ["CliError", "read_text_file", "decode_bytes", "parse_date_option"]


class CliError(Exception):
    """An expected failure: printed as ``marsad: error: <message>`` with exit status ``status``."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def decode_bytes(data: bytes, name: str, encoding: str | None) -> str:
    """Decode ``data`` read from ``name``: UTF-8 (a BOM is dropped) unless ``encoding`` is given."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CliError(f"--encoding {encoding}: unknown encoding (try utf-8 or windows-1256)") from None
    if b"\x00" in data[:8192] and not (encoding or "").lower().startswith("utf-16"):
        raise CliError(f"{name}: looks like a binary file, not text; give a UTF-8 text file")
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        if encoding:
            raise CliError(
                f"{name}: cannot be decoded as {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "check the file's encoding"
            ) from None
        raise CliError(
            f"{name}: is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "if it is Arabic from Windows, add --encoding windows-1256"
        ) from None
    return text


def read_text_file(path: str, encoding: str | None) -> str:
    """Read a whole text file for analysis, or raise :class:`CliError` saying what is wrong."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder; give a text file (or use 'marsad ingest' for folders)") from None
    except PermissionError:
        raise CliError(f"{path}: permission denied") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror})") from None
    text = decode_bytes(data, path, encoding)
    if not text.strip():
        raise CliError(f"{path}: is empty; nothing to analyse")
    return text


def parse_date_option(value: str | None, option: str = "--date") -> dt.date | None:
    if value is None:
        return None
    from ..text.dates import parse_date_arg

    try:
        return parse_date_arg(value)
    except ValueError as exc:
        raise CliError(f"{option} {value}: {exc}") from None
