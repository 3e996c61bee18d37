"""Parsers of interchange field values: a JSON value in, the stored Python value out, or ``Invalid``.

Each parser checks the JSON type first (so messages speak JSON: "must be a
string, not a number"), then defers to ``desktop.core.validate`` for the rules
the store enforces on interactive edits, so an imported value is never one the
window would refuse.

Parsers run once per field of every imported entity; they raise rather than
return an error value because ``try`` costs nothing when nothing is raised.
Dates repeat a lot in real documents, so their parses are cached.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from functools import lru_cache
from typing import Any, Final

from desktop.core import validate
from desktop.core.interchange.untrusted import quoted

Parser = Callable[[Any], Any]

MAX_ID: Final = 200

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Seconds precision with Z or an offset; a fraction is accepted (JavaScript's
# toISOString writes one) and dropped, because workspaces keep whole seconds.
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")
# json.loads lets "\ud800" through; such a string cannot be stored as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


class Invalid(Exception):
    """A bad field value; ``where`` refines the JSON path below the field (e.g. ``[2]``)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"must be a string, not {json_type(value)}")
    if not value.isascii() and _SURROGATE.search(value):  # isascii() is O(1) in CPython
        raise Invalid("contains an unpaired surrogate (\\ud800–\\udfff), which is not text")
    return value


def checked(check: Callable[[Any], str | None]) -> Parser:
    """A string field checked by one of ``validate``'s checks."""

    def parse(value: Any) -> Any:
        message = check(_string(value))
        if message:
            raise Invalid(message)
        return value

    return parse


def choice(choices: Collection[str]) -> Parser:
    """A string from a vocabulary."""
    allowed = frozenset(choices)
    listed = ", ".join(choices)

    def parse(value: Any) -> Any:
        # The type first: an array or object is unhashable, and ``in`` a frozenset would raise.
        if not isinstance(value, str):
            raise Invalid(f"must be one of {listed}, not {json_type(value)}")
        if value in allowed:
            return value
        raise Invalid(f"must be one of {listed} (got {quoted(value)})")

    return parse


def whole_choice(choices: Collection[int]) -> Parser:
    """A whole number from a scale (JSON ``true`` and ``2.0`` are refused, though Python equates them)."""
    low, high = min(choices), max(choices)

    def parse(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"must be a whole number from {low} to {high}, not {json_type(value)}")
        message = validate.check_choice(value, choices)
        if message:
            raise Invalid(message)
        return value

    return parse


def identifier(value: Any) -> str:
    """An interchange id: a non-empty one-line string."""
    message = validate.check_text(_string(value), required=True, limit=MAX_ID, multiline=False)
    if message:
        raise Invalid(message)
    return value  # type: ignore[no-any-return]


def reference(value: Any) -> str:
    """An id naming another entity. Only its type is checked here: the caller looks it up among
    the ids it knows, all of them checked ids, so anything else is reported as unknown."""
    if not isinstance(value, str):
        raise Invalid(f"must be an id (a string), not {json_type(value)}")
    return value


def offset(value: Any) -> int:
    """A position in a text: a whole number, not negative (a quote's start or end)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"must be a whole number (a position in the report's text), not {json_type(value)}")
    if value < 0:
        raise Invalid(f"must not be negative (got {value})")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {json_type(value)}")
    return value


def coordinate(bound: float) -> Parser:
    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(f"must be a number, not {json_type(value)}")
        message = validate.check_coordinate(value, bound)
        if message:
            raise Invalid(message)
        return float(value)

    return parse


def labels(value: Any) -> list[str]:
    """Aliases or tags: an array of short one-line strings."""
    if not isinstance(value, list):
        raise Invalid(f"must be an array of strings, not {json_type(value)}")
    for index, item in enumerate(value):
        try:
            _string(item)
        except Invalid as bad:
            raise Invalid(bad.message, f"[{index}]") from None
    message = validate.check_labels(value)
    if message:
        raise Invalid(message)
    return list(value)


def references(value: Any) -> list[str]:
    """An array of distinct ids (a claim's places, a request's claims); looked up like ``reference``."""
    if not isinstance(value, list):
        raise Invalid(f"must be an array of ids, not {json_type(value)}")
    if len(value) > validate.MAX_LIST:
        raise Invalid(f"has too many entries ({len(value)}; at most {validate.MAX_LIST})")
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise Invalid(f"must be an id (a string), not {json_type(item)}", f"[{index}]")
        if item in seen:
            raise Invalid(f"names {quoted(item)} twice", f"[{index}]")
        seen.add(item)
    return list(value)


def date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise Invalid(f"must be a date YYYY-MM-DD, not {json_type(value)}")
    return _parse_date(value)


@lru_cache(maxsize=4096)
def _parse_date(value: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise Invalid(f"must be a date YYYY-MM-DD (got {quoted(value)})")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"is not a date of the calendar (got {quoted(value)})") from None


def timestamp(value: Any) -> dt.datetime:
    """``YYYY-MM-DDTHH:MM:SSZ`` or with an offset; returned in UTC, whole seconds."""
    if not isinstance(value, str):
        raise Invalid(f"must be a timestamp YYYY-MM-DDTHH:MM:SSZ, not {json_type(value)}")
    return parse_timestamp(value)


def parse_timestamp(value: str) -> dt.datetime:
    """Not cached, unlike dates: timestamps rarely repeat."""
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        raise Invalid(
            f"must be a timestamp YYYY-MM-DDTHH:MM:SSZ or with an offset such as +02:00 (got {quoted(value)})"
        )
    day, time, zone = match.groups()
    try:
        if zone == "Z":
            return dt.datetime.fromisoformat(f"{day}T{time}+00:00")
        return dt.datetime.fromisoformat(f"{day}T{time}{zone}").astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise Invalid(f"is not a moment of the calendar (got {quoted(value)})") from None
