"""``ReportDraft``: one report read from a file or the clipboard, before it is written.

Every reader produces drafts through ``make_draft``, so the same rules hold for
all of them: line endings become ``\\n``, the text is checked with the store's own
rules (a control character or a bidi override is refused with its position,
never silently removed: the text is kept verbatim), and a title is taken from
the text when the source has none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from desktop.core import validate
from desktop.core.errors import UserError
from desktop.core.text import one_line

TITLE_LIMIT: Final = 120
# The first web address in pasted text: the report's url. Stops at white space and at the
# brackets and quotes that usually enclose an address in running text.
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}«»“”]+", re.IGNORECASE)
_TRAILING = ".,;:!?…"


class CaptureError(UserError):
    """A file or a paste that cannot become reports; the message says why, in one line."""


@dataclass
class ReportDraft:
    """What one report will be. ``publisher`` names a source (found by name or alias, else created)."""

    title: str
    text: str
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    publisher: str | None = None
    publisher_kind: str = "other"  # the kind a newly created publisher gets


def normalise(text: str) -> str:
    """Line endings as ``\\n`` and no trailing white space at the ends; the words themselves untouched."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def title_from(text: str) -> str:
    """The first line with words in it, shortened: a title for text that came without one.

    A line that is only a web address (copied with the page, as a paste often starts) is the
    report's url, not its title, unless the text has nothing else.
    """
    lines = [cleaned for line in text.split("\n") if (cleaned := line.strip().lstrip("#").strip())]
    worded = [line for line in lines if not _URL.fullmatch(line.rstrip(_TRAILING))]
    return one_line((worded or lines)[0], TITLE_LIMIT) if lines else "Untitled report"


def first_url(text: str) -> str | None:
    match = _URL.search(text)
    if match is None:
        return None
    url = match.group().rstrip(_TRAILING)
    return url if validate.check_url(url) is None else None


def make_draft(
    text: str,
    *,
    title: str | None = None,
    where: str = "the text",
    **fields: object,
) -> ReportDraft:
    """A checked draft; ``where`` names the text in messages ("message 12 of the export")."""
    body = normalise(text)
    if not body:
        raise CaptureError(f"{where} is empty: there is nothing to capture")
    problem = validate.check_text(body, limit=validate.MAX_LONG_TEXT)
    if problem:
        bad = next((i for i, ch in enumerate(body) if validate.check_text(ch) and ch not in "\n\t"), None)
        at = f" at character {bad + 1:,}" if bad is not None else ""
        raise CaptureError(f"{where} {problem}{at}; nothing was imported")
    heading = one_line(title, TITLE_LIMIT) if title and title.strip() else title_from(body)
    if validate.check_text(heading, required=True, multiline=False):
        heading = title_from(body)
    draft = ReportDraft(title=heading, text=body)
    for name, value in fields.items():
        setattr(draft, name, value)
    if draft.url is not None and validate.check_url(draft.url) is not None:
        draft.url = None  # an odd address in a file's metadata is not worth refusing the report for
    return draft


def draft_from_paste(text: str, publisher: str | None = None) -> ReportDraft:
    """Pasted text as one report; the first web address in it becomes the report's url."""
    return make_draft(text, where="the pasted text", url=first_url(text), publisher=publisher)
