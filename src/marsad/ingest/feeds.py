"""RSS and Atom feeds (feedparser) and polite fetching of URLs.

A feed entry becomes an article from its full content (``content:encoded``, Atom ``content``) or,
failing that, its summary.  Dates that feedparser cannot read (Arabic ``pubDate``s such as
``الأحد 26 يوليو 2015``) go through marsad's Arabic date reader.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Iterator
from typing import Any

from marsad import __version__
from marsad.ingest.html import html_to_text
from marsad.ingest.readers import Failure, Item

__all__ = ["MAX_DOWNLOAD", "USER_AGENT", "fetch", "parse_feed"]

USER_AGENT = f"marsad/{__version__} (Arabic news analysis; +https://github.com/marsad-project/marsad)"
MAX_DOWNLOAD = 50 * 1024 * 1024


def fetch(url: str, *, timeout: float = 30.0) -> tuple[bytes, str, str]:
    """GET ``url``: (body, content type, final URL).  Raises OSError (URLError, timeouts) on failure."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data = resp.read(MAX_DOWNLOAD + 1)
        if len(data) > MAX_DOWNLOAD:
            raise OSError(f"larger than {MAX_DOWNLOAD // 1_000_000} MB")
        return data, resp.headers.get_content_type() or "", resp.geturl()


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return dt.date(t.tm_year, t.tm_mon, t.tm_mday)
            except ValueError:
                pass
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            return _arabic_date(raw)
    return None


def _arabic_date(raw: str) -> dt.date | None:
    from marsad.text.dates import find_dates

    for m in find_dates(raw, None):
        if m.value is not None and m.precision == "day":
            return m.value
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def _entry_text(entry: Any) -> str:
    for c in entry.get("content") or ():
        value = c.get("value") if isinstance(c, dict) else None
        if value and value.strip():
            return html_to_text(value)
    return html_to_text(entry.get("summary") or entry.get("description") or "")


def parse_feed(data: bytes, origin: str) -> Iterator[Item | Failure]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        if feed.get("bozo"):
            reason = feed.get("bozo_exception")
            yield Failure(origin, f"not a readable RSS/Atom feed ({reason}); check that the file or URL is a feed")
        else:
            yield Failure(origin, "a feed with no entries")
        return
    source = (feed.feed.get("title") or "").strip() or None
    for i, entry in enumerate(feed.entries):
        where = f"{origin}#{i}"
        text = _entry_text(entry)
        if not text.strip():
            yield Failure(where, "feed entry without content or summary")
            continue
        title = " ".join((entry.get("title") or "").split()) or None
        yield Item(text=text, origin=where, title=title, source=source, url=entry.get("link"), published=_entry_date(entry))
