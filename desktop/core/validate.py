"""Checks of field values, shared by the store (edits) and the importer (documents).

Each check returns ``None`` when the value is acceptable, else a short message
that names what is wrong in words an analyst understands. Values here are
Python values (dates already parsed); the importer parses JSON first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, Final

from desktop.core import vocab
from desktop.core.text import blank, forbidden_character

MAX_NAME: Final = 500
MAX_CLAIM_TEXT: Final = 20_000
MAX_LONG_TEXT: Final = 2_000_000  # report bodies, notes
MAX_LIST: Final = 200


def check_text(value: Any, *, required: bool = False, limit: int = MAX_NAME, multiline: bool = True) -> str | None:
    if value is None:
        return "is required" if required else None
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__}"
    if required and blank(value):  # only spaces, zero-width or other invisible characters: nothing to read
        return "must not be empty"
    if len(value) > limit:
        return f"is too long ({len(value):,} characters; at most {limit:,})"
    bad = forbidden_character(value)
    if bad is not None:
        return f"contains a control character ({bad})"
    if not multiline and ("\n" in value or "\r" in value):
        return "must be one line"
    return None


def check_choice(value: Any, choices: Collection[Any], *, nullable: bool = True) -> str | None:
    if value is None:
        return None if nullable else "is required"
    try:
        known = value in choices
    except TypeError:  # an unhashable value (a list from a hostile document) is simply not a choice
        known = False
    if not known:
        listed = ", ".join(str(c) for c in choices)
        return f"must be one of {listed} (got {shown(value)})"
    return None


def shown(value: Any, limit: int = 80) -> str:
    """A value quoted in a message: its repr (lone surrogates escaped), cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def check_url(value: Any) -> str | None:
    problem = check_text(value, limit=2_000, multiline=False)
    if problem or value is None or value == "":
        return problem
    if not str(value).lower().startswith(("http://", "https://")):
        return "must be an http(s) address"
    return None


def check_date(value: Any) -> str | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return None
    return "must be a date"


def check_labels(value: Any) -> str | None:
    """A list of short one-line labels (aliases, tags)."""
    if not isinstance(value, list):
        return "must be a list"
    if len(value) > MAX_LIST:
        return f"has too many entries ({len(value)}; at most {MAX_LIST})"
    for item in value:
        problem = check_text(item, required=True, multiline=False)
        if problem:
            return f"entry {shown(item)} {problem}"
    return None


def check_label(value: Any) -> str | None:
    """A side or group label: short, one line, may be empty."""
    return check_text(value, limit=100, multiline=False)


def check_timestamp(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return "must be a moment with a time zone"
    return None


def check_sha256(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        return "must be 64 lower-case hexadecimal digits"
    return None


def check_offset(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    if value < 0:
        return "must not be negative"
    return None


def quote_problem(start: int | None, end: int | None, text: str | None) -> str | None:
    """Why the span ``start``–``end`` (code points, end exclusive) cannot be a quote of ``text``, or None.

    ``text`` None means the claim names no report: a quote then has nothing to point into.
    """
    if start is None and end is None:
        return None
    if start is None or end is None:
        return "quote needs both a start and an end"
    if text is None:
        return "quote needs a report to quote from"
    if not 0 <= start < end:
        return f"quote must start before it ends (start {start}, end {end})"
    if end > len(text):
        return f"quote ends at {end:,}, beyond the end of its report's text ({len(text):,} characters)"
    return None


def check_coordinate(value: Any, bound: float) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "must be a number"
    if not -bound <= value <= bound:
        return f"must be between -{bound:g} and {bound:g}"
    return None


SOURCE_CHECKS: Final = {
    "name": lambda v: check_text(v, required=True, multiline=False),
    "aliases": check_labels,
    "kind": lambda v: check_choice(v, vocab.SOURCE_KINDS, nullable=False),
    "side": check_label,
    "group_label": check_label,
    "reliability": lambda v: check_choice(v, vocab.RELIABILITY, nullable=False),
    "url": check_url,
    "notes": lambda v: check_text(v, limit=MAX_LONG_TEXT),
}

PLACE_CHECKS: Final = {
    "name": lambda v: check_text(v, required=True, multiline=False),
    "aliases": check_labels,
    "region": lambda v: check_text(v, multiline=False),
    "lat": lambda v: check_coordinate(v, 90),
    "lon": lambda v: check_coordinate(v, 180),
}

REPORT_CHECKS: Final = {
    "title": lambda v: check_text(v, required=True, limit=2_000, multiline=False),
    "url": check_url,
    "published": check_date,
    "language": lambda v: check_text(v, limit=35, multiline=False),
    "text": lambda v: check_text(v, limit=MAX_LONG_TEXT),
    "retrieved": check_timestamp,
}

CLAIM_CHECKS: Final = {
    "text": lambda v: check_text(v, required=True, limit=MAX_CLAIM_TEXT),
    "kind": lambda v: check_choice(v, vocab.CLAIM_KINDS, nullable=False),
    "claimed": check_date,
    "event_start": check_date,
    "event_end": check_date,
    "event_precision": lambda v: check_choice(v, vocab.PRECISIONS),
    "credibility": lambda v: check_choice(v, vocab.CREDIBILITY),
    "likelihood": lambda v: check_choice(v, vocab.LIKELIHOOD),
    "verdict": lambda v: check_choice(v, vocab.VERDICTS),
    "reviewed": lambda v: None if isinstance(v, bool) else "must be true or false",
    "tags": check_labels,
    "notes": lambda v: check_text(v, limit=MAX_LONG_TEXT),
    "quote_start": check_offset,
    "quote_end": check_offset,
}

OUTREACH_CHECKS: Final = {
    "party": lambda v: check_text(v, required=True, multiline=False),
    "contacted": check_date,
    "status": lambda v: check_choice(v, vocab.OUTREACH_STATUSES, nullable=False),
    "response": lambda v: check_text(v, limit=MAX_LONG_TEXT),
}

LINK_CHECKS: Final = {
    "relation": lambda v: check_choice(v, vocab.RELATIONS, nullable=False),
    "rationale": lambda v: check_text(v, limit=MAX_LONG_TEXT),
}


def problems(values: dict[str, Any], checks: dict[str, Any]) -> list[tuple[str, str]]:
    """``(field, message)`` for every value that fails its check; unknown fields are problems too."""
    found: list[tuple[str, str]] = []
    for name, value in values.items():
        check = checks.get(name)
        if check is None:
            found.append((name, "is not a field of this entity"))
            continue
        message = check(value)
        if message:
            found.append((name, message))
    return found


def event_order_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    if start is not None and end is not None and end < start:
        return "event end is before its start"
    return None
