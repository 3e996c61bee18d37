"""A Telegram Desktop channel export (``result.json``) → one report per message.

The export is ``{"name", "type", "id", "messages": [...]}``; each message has
an ``id``, a ``type`` (``message``, or ``service`` for joins and pins, which
are skipped), a ``date`` (the exporting machine's local time) and, in newer
exports, ``date_unixtime`` (UTC, preferred). Its ``text`` is either a string or
a list of strings and entity objects (``{"type": "bold", "text": …}``, links,
mentions…), whose texts joined are the message. Messages without text (a
photo alone) are skipped. The channel's name is the publisher of every report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.core.capture.drafts import CaptureError, ReportDraft, make_draft
from desktop.core.text import one_line


def read_telegram(export: dict[str, Any]) -> list[ReportDraft]:
    channel = export.get("name")
    if not isinstance(channel, str) or not channel.strip():
        channel = None
    messages = export["messages"]
    drafts: list[ReportDraft] = []
    for index, message in enumerate(messages):
        where = f"message {index + 1} of the export"
        if not isinstance(message, dict):
            raise CaptureError(f"{where} is not an object; nothing was imported")
        if message.get("type", "message") != "message":
            continue
        text = message_text(message.get("text", ""), where)
        if not text.strip():
            continue
        ident = message.get("id")
        label = f"{channel or 'Telegram'}" + (f" #{ident}" if isinstance(ident, int) else "")
        drafts.append(
            make_draft(
                text,
                title=f"{label}: {one_line(text, 90)}",
                where=where,
                published=_published(message, where),
                publisher=channel,
                publisher_kind="telegram-channel",
            )
        )
    if not drafts:
        raise CaptureError("the Telegram export has no messages with text; nothing was imported")
    return drafts


def message_text(value: Any, where: str) -> str:
    """A message's ``text``: a string, or a list of strings and ``{"text": …}`` entity objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                raise CaptureError(f"{where} has a text part that is neither text nor an entity; nothing was imported")
        return "".join(parts)
    raise CaptureError(f"{where} has a text that is neither a string nor a list; nothing was imported")


def _published(message: dict[str, Any], where: str) -> dt.date | None:
    stamp = message.get("date_unixtime")
    if isinstance(stamp, (str, int)) and str(stamp).isdigit():
        try:
            return dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            pass
    date = message.get("date")
    if isinstance(date, str):
        try:
            return dt.date.fromisoformat(date[:10])
        except ValueError:
            raise CaptureError(f"{where} has a date that is not a date ({date!r}); nothing was imported") from None
    return None
