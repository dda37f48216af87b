"""Main text and metadata of an HTML page, with trafilatura."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

__all__ = ["Page", "extract", "html_to_text"]

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


_MIN_WORDS = 20  # a page whose visible text is shorter holds no article


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None


def _date(value: object) -> dt.date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def extract(html: str, *, url: str | None = None) -> Page | None:
    """The article in ``html`` (its main text, title, site name, canonical URL and date), or None."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True
        )
    except Exception:  # trafilatura/lxml raise many kinds of error on broken markup  # noqa: BLE001
        doc = None
    if doc is None:  # no article found: fall back to the page's visible text, if it has some
        text = html_to_text(html, visible_only=True)
        return Page(text) if len(text.split()) >= _MIN_WORDS else None
    text = (doc.text or "").strip()  # type: ignore[union-attr]
    if not text:
        return None
    return Page(
        text=text,
        title=doc.title or None,  # type: ignore[union-attr]
        source=doc.sitename or doc.hostname or None,  # type: ignore[union-attr]
        url=doc.url or url,  # type: ignore[union-attr]
        published=_date(doc.date),  # type: ignore[union-attr]
    )


def html_to_text(fragment: str, *, visible_only: bool = False) -> str:
    """Plain text of an HTML fragment (a feed entry's content): tags dropped, paragraphs kept.
    ``visible_only`` also drops the head, scripts and styles (for whole pages)."""
    import lxml.html

    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fromstring(fragment)
    except Exception:  # noqa: BLE001 - broken or empty markup
        return ""
    if visible_only:
        for el in root.xpath("//script | //style | //head | //noscript | //template"):
            el.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for p in root.iter("p", "div", "li", "h1", "h2", "h3", "h4"):
        p.tail = "\n" + (p.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
