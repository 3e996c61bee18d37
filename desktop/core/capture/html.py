"""An HTML page → one report: the article's own text, extracted by trafilatura (Apache-2.0).

Navigation, footers, comments and scripts are left out by the extraction
library, not by patterns of ours. Paragraphs are separated by a blank line,
as in a text file, so the reader's paragraph keys work the same everywhere.
The page's title, date, language and site name (the publisher) come from its
metadata when it has them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.core.capture.drafts import CaptureError, ReportDraft, make_draft


def read_html(data: bytes, *, where: str = "the page") -> ReportDraft:
    import trafilatura  # imported here: it takes a while, and only HTML needs it

    try:
        document: Any = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=True, include_formatting=False
        )
    except (ValueError, TypeError) as exc:  # the library refuses unreadable markup this way
        raise CaptureError(f"{where} could not be read as HTML ({exc}); nothing was imported") from None
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise CaptureError(f"{where} has no article text that could be extracted; nothing was imported")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    return make_draft(
        "\n\n".join(paragraphs),
        title=getattr(document, "title", None),
        where=where,
        url=getattr(document, "url", None),
        published=_date(getattr(document, "date", None)),
        language=_language(getattr(document, "language", None)),
        publisher=getattr(document, "sitename", None) or None,
        publisher_kind="news-outlet",
    )


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _language(value: str | None) -> str | None:
    return value[:35] if value else None
