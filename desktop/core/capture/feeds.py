"""An RSS or Atom feed → one report per entry, parsed by feedparser (BSD-2-Clause).

feedparser is given the bytes, never an address, so it never fetches anything.
An entry's text is its full content when the feed carries it, else its summary;
both are HTML fragments, turned into plain text by lxml's HTML parser (block
elements become paragraphs). The feed's title is the publisher.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax import SAXParseException

from desktop.core.capture.drafts import CaptureError, ReportDraft, make_draft

_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "section", "article"}


def read_feed(data: bytes) -> list[ReportDraft]:
    import feedparser  # type: ignore[import-untyped]

    parsed: Any = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    entries = list(parsed.get("entries") or [])
    problem = parsed.get("bozo_exception")
    if isinstance(problem, SAXParseException):
        # feedparser falls back to a lenient parser and may salvage part of a damaged feed: all or nothing.
        raise CaptureError(f"the feed is malformed XML ({problem}); nothing was imported")
    if not entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise CaptureError(f"the feed is malformed or has no entries{detail}; nothing was imported")
    feed = parsed.get("feed") or {}
    publisher = feed.get("title") or None
    language = feed.get("language") or None
    drafts: list[ReportDraft] = []
    for index, entry in enumerate(entries):
        where = f"entry {index + 1} of the feed"
        body = _entry_html(entry)
        text = fragment_text(body) if body else ""
        title = entry.get("title") or None
        if not text.strip():
            text = title or ""
        if not text.strip():
            continue
        drafts.append(
            make_draft(
                text,
                title=title,
                where=where,
                url=entry.get("link") or None,
                published=_date(entry.get("published_parsed") or entry.get("updated_parsed")),
                language=language[:35] if language else None,
                publisher=publisher,
                publisher_kind="news-outlet",
            )
        )
    if not drafts:
        raise CaptureError("the feed's entries have no text; nothing was imported")
    return drafts


def _entry_html(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return str(content["value"])
    return str(entry.get("summary") or "")


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment, a paragraph per block element."""
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    try:
        return _join(root)
    except RecursionError:  # absurdly deep nesting: its plain text content, one paragraph
        return " ".join(str(root.text_content()).split())


def _join(root: Any) -> str:
    chunks: list[str] = []

    def walk(element: Any) -> None:
        block = isinstance(element.tag, str) and element.tag in _BLOCKS
        if block:
            chunks.append("\n\n")
        if element.text:
            chunks.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                chunks.append(child.tail)
        if block:
            chunks.append("\n\n")

    walk(root)
    paragraphs = [" ".join(p.split()) for p in "".join(chunks).split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    except (AttributeError, ValueError):
        return None
