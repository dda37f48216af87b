"""Reading articles from what analysts have: text files and folders, HTML pages, RSS/Atom feeds
(files or URLs), JSONL in the analysis contract's input format, SaudiNewsNet-style JSON arrays, and
zips of any of these.

:func:`read` yields an :class:`Item` per article or a :class:`Failure` naming the input and what to
do; one bad input never stops the others.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zlib import error as zlib_error

from marsad.ingest.encoding import DecodeError, decode, looks_binary

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT_CHARS", "Failure", "Item", "read"]

MAX_FILE_BYTES = 200 * 1024 * 1024  # a JSON/JSONL/zip file
MAX_TEXT_CHARS = 1_000_000  # one article (a 2 MB text file is already a book)

_TEXT = {".txt", ".text"}
_HTML = {".html", ".htm", ".xhtml"}
_FEED = {".rss", ".atom", ".xml"}
_JSON = {".json"}
_JSONL = {".jsonl", ".ndjson"}
_ZIP = {".zip"}


@dataclass(frozen=True, slots=True)
class Item:
    """One article as read, before analysis.  ``origin`` says where it came from."""

    text: str
    origin: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    ext_id: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An input (or part of one) that could not be read, and why."""

    origin: str
    reason: str


def _date(value: Any) -> dt.date | None:
    """A date from ``YYYY-MM-DD...`` strings (a time after it is ignored), else None."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _item(text: str, origin: str, **meta: Any) -> Item | Failure:
    if len(text) > MAX_TEXT_CHARS:
        return Failure(
            origin,
            f"{len(text):,} characters is too long for one article (limit {MAX_TEXT_CHARS:,}); "
            "split it into one file per article, or one JSONL line each",
        )
    if not text.strip():
        return Failure(origin, "no text (empty article)")
    return Item(text=text, origin=origin, **meta)


# -- formats -----------------------------------------------------------------------------------
def _from_text(data: bytes, origin: str, encoding: str | None) -> Iterator[Item | Failure]:
    try:
        text = decode(data, origin, encoding)
    except DecodeError as exc:
        yield Failure(origin, str(exc).removeprefix(f"{origin}: "))
        return
    yield _item(text.strip("\ufeff"), origin)


def _from_html(data: bytes, origin: str, encoding: str | None, url: str | None = None) -> Iterator[Item | Failure]:
    from marsad.ingest.html import extract

    try:
        html = decode(data, origin, encoding)
    except DecodeError as exc:
        yield Failure(origin, str(exc).removeprefix(f"{origin}: "))
        return
    page = extract(html, url=url)
    if page is None:
        yield Failure(origin, "no article text found in this HTML page (is it an index or a broken page?)")
        return
    yield _item(page.text, origin, title=page.title, source=page.source, url=page.url or url, published=page.published)


def _from_feed(data: bytes, origin: str) -> Iterator[Item | Failure]:
    from marsad.ingest.feeds import parse_feed

    yield from parse_feed(data, origin)


def _record(obj: Any, origin: str) -> Item | Failure:
    """A JSON object: the contract's input line (``text``) or a SaudiNewsNet article (``content``)."""
    if not isinstance(obj, dict):
        return Failure(origin, "expected a JSON object with a 'text' (or 'content') field")
    text = obj.get("text", obj.get("content"))
    if not isinstance(text, str):
        return Failure(origin, "no 'text' (or 'content') string in this JSON object")
    ext_id = obj.get("id")
    return _item(
        text.strip(),
        origin,
        title=_clean(obj.get("title")),
        source=_clean(obj.get("source")),
        url=_clean(obj.get("url")),
        published=_date(obj.get("published") or obj.get("date_extracted") or obj.get("date")),
        ext_id=str(ext_id) if ext_id is not None else None,
    )


def _from_jsonl(data: bytes, origin: str, encoding: str | None) -> Iterator[Item | Failure]:
    try:
        text = decode(data, origin, encoding)
    except DecodeError as exc:
        yield Failure(origin, str(exc).removeprefix(f"{origin}: "))
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(f"{origin}:{n}", f"not JSON ({exc.msg} at column {exc.colno}); fix or remove the line")
            continue
        yield _record(obj, f"{origin}:{n}")


def _from_json(data: bytes, origin: str, encoding: str | None) -> Iterator[Item | Failure]:
    try:
        doc = json.loads(decode(data, origin, encoding))
    except DecodeError as exc:
        yield Failure(origin, str(exc).removeprefix(f"{origin}: "))
        return
    except ValueError as exc:
        msg = getattr(exc, "msg", str(exc))
        yield Failure(origin, f"not valid JSON ({msg}); a JSON array of articles or one article object is expected")
        return
    objs = doc if isinstance(doc, list) else [doc]
    for i, obj in enumerate(objs):
        yield _record(obj, f"{origin}#{i}")


def _from_zip(data: bytes, origin: str, encoding: str | None) -> Iterator[Item | Failure]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in zf.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        yield Failure(origin, f"not a readable zip ({exc}); the file may be truncated: download it again")
        return
    for m in sorted(members, key=lambda m: m.filename):
        name = f"{origin}!{m.filename}"
        if Path(m.filename).name.startswith(".") or m.filename.startswith("__MACOSX/"):
            continue
        if m.file_size > MAX_FILE_BYTES:
            yield Failure(name, f"{m.file_size / 1e6:.0f} MB is too large (limit {MAX_FILE_BYTES / 1e6:.0f} MB)")
            continue
        try:
            member = zf.read(m)
        except (zipfile.BadZipFile, OSError, EOFError, zlib_error) as exc:
            yield Failure(name, f"cannot be extracted ({exc}); the zip may be truncated: download it again")
            continue
        yield from _dispatch(member, name, Path(m.filename).suffix.lower(), encoding)


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:4] == b"PK\x03\x04":
        return ".zip"
    if head.startswith((b"[", b"{")):
        first_line = data.split(b"\n", 1)[0].strip()
        return ".jsonl" if first_line.startswith(b"{") and first_line.endswith(b"}") else ".json"
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return ".xml"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return ".html"
    return ".txt"


def _dispatch(data: bytes, origin: str, suffix: str, encoding: str | None, url: str | None = None) -> Iterator[Item | Failure]:
    if suffix not in _TEXT | _HTML | _FEED | _JSON | _JSONL | _ZIP:
        if looks_binary(data) and data[:4] != b"PK\x03\x04":
            yield Failure(origin, "is a binary file, not text; give text, HTML, a feed, JSON, JSONL or a zip")
            return
        suffix = _sniff(data)
    if suffix in _ZIP:
        yield from _from_zip(data, origin, encoding)
    elif suffix in _JSONL:
        yield from _from_jsonl(data, origin, encoding)
    elif suffix in _JSON:
        yield from _from_json(data, origin, encoding)
    elif suffix in _FEED:
        yield from _from_feed(data, origin)
    elif suffix in _HTML:
        yield from _from_html(data, origin, encoding, url)
    else:
        yield from _from_text(data, origin, encoding)


def _read_file(path: Path, encoding: str | None) -> Iterator[Item | Failure]:
    origin = str(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES if suffix in _JSON | _JSONL | _ZIP | _FEED else MAX_TEXT_CHARS * 4
        if size > limit:
            what = "one article" if suffix not in _JSON | _JSONL | _ZIP | _FEED else "one input file"
            yield Failure(
                origin,
                f"{size / 1e6:.1f} MB is too large for {what} (limit {limit / 1e6:.0f} MB); "
                "split it into one file per article, or one JSONL line each",
            )
            return
        data = path.read_bytes()
    except PermissionError:
        yield Failure(origin, "permission denied")
        return
    except OSError as exc:
        yield Failure(origin, f"cannot be read ({exc.strerror})")
        return
    yield from _dispatch(data, origin, suffix, encoding)


# In a folder, only files of these kinds are articles (a file named on the command line is always read),
# and never the folder's own paperwork.
_KNOWN = _TEXT | _HTML | _FEED | _JSON | _JSONL | _ZIP
_PAPERWORK = {"readme", "license", "licence", "notice", "copying", "credits", "authors", "changelog"}


def _walk(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        if p.suffix.lower() in _KNOWN and p.stem.lower() not in _PAPERWORK:
            yield p


def read(source: str, *, encoding: str | None = None, timeout: float = 30.0) -> Iterator[Item | Failure]:
    """Articles from one source: a file, a folder (recursively, in name order) or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        from marsad.ingest.feeds import fetch

        try:
            data, content_type, final_url = fetch(source, timeout=timeout)
        except OSError as exc:
            yield Failure(source, f"cannot be fetched ({exc}); check the URL and the network")
            return
        suffix = Path(source.split("?", 1)[0]).suffix.lower()
        if "xml" in content_type or "rss" in content_type or "atom" in content_type:
            suffix = ".xml"
        elif "html" in content_type:
            suffix = ".html"
        elif "json" in content_type:
            suffix = ".json"
        if suffix not in _TEXT | _HTML | _FEED | _JSON | _JSONL | _ZIP:
            suffix = _sniff(data)
        yield from _dispatch(data, source, suffix, encoding, url=final_url)
        return
    path = Path(source).expanduser()
    if path.is_dir():
        for p in _walk(path):
            yield from _read_file(p, encoding)
    elif path.exists():
        yield from _read_file(path, encoding)
    else:
        yield Failure(source, "no such file or folder")
