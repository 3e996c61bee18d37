"""What kind of file this is, from its content (DESIGN §4: ``import`` recognises the kind by content).

The file name is never trusted for the kind: a ``.json`` may be a workspace
document or a Telegram export, an ``.xml`` a feed or not. Only when the content
is plain text does the extension tell Markdown from text, and that changes
nothing but the message.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import Any

from desktop.core.capture.drafts import CaptureError

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b")
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<article[\s>]|<p[\s>]", re.IGNORECASE)
_HEAD = 4096  # bytes looked at for markup


class Kind(Enum):
    WORKSPACE = "a Crosscheck workspace document"
    TELEGRAM = "a Telegram Desktop channel export"
    FEED = "an RSS or Atom feed"
    HTML = "an HTML page"
    TEXT = "a text file"


def sniff(data: bytes) -> tuple[Kind, Any]:
    """The kind of ``data``, and its decoded JSON value when it was decoded here (a Telegram export).

    Content that starts like JSON must be JSON: a damaged export is refused with
    the place of the damage rather than taken in as a text report.
    """
    head = data[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        if b'"crosscheck-workspace"' in head or b'"messages"' not in head:
            return Kind.WORKSPACE, None  # decoded (and any damage reported) by the workspace importer
        value = _json(data)
        if isinstance(value, dict) and isinstance(value.get("messages"), list) and "format" not in value:
            return Kind.TELEGRAM, value
        return Kind.WORKSPACE, value  # JSON of another kind: the workspace importer says what is wrong
    lowered = head[:512].lower()
    if head.startswith(b"<?xml") or lowered.startswith((b"<rss", b"<feed", b"<rdf")):
        if _XML_ROOT.search(head):
            return Kind.FEED, None
    if head.startswith(b"<") and _HTML.search(head):
        return Kind.HTML, None
    return Kind.TEXT, None


def _json(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptureError(
            f"the file looks like JSON but is not UTF-8 text (bad byte at offset {exc.start:,})"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaptureError(
            f"the file looks like JSON but is broken: {exc.msg} (line {exc.lineno}, column {exc.colno}); "
            "nothing was imported"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise CaptureError(f"the file looks like JSON but cannot be read: {exc}; nothing was imported") from None
