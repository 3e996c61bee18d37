"""Untrusted JSON before it is looked at: decoding that never raises, text that is text, safe quoting.

Every document the program reads (an interchange document, a changes batch, a
report export) comes from outside and may be malformed in ways the format's own
checks never see:

- nesting deeper than Python's recursion limit (``[[[[…]]]]`` a few thousand
  levels deep) makes ``json.loads`` raise ``RecursionError``; ``loads`` turns it
  into a refusal;
- JSON may spell a lone UTF-16 surrogate (``"\\ud800"``), which decodes to a
  Python string that cannot be encoded as UTF-8: not stored, not printed, not
  even sent to the database as a query parameter. ``lone_surrogates`` finds every
  one, in keys as well as values, with its JSON path, so the whole document is
  refused before anything else reads it;
- a message that quotes a value the document holds must stay one printable,
  bounded line: ``quoted``/``shown`` escape lone surrogates and shorten long values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Final

SHOWN_CHARS: Final = 80
_LONE = re.compile("[\ud800-\udfff]")
# Where a document's text may hold a lone surrogate: an escape \uD800–\uDFFF (a valid pair decodes to
# one character and is not reported), or the character itself in a ``str`` handed over already decoded.
_MAY_HOLD = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|[\ud800-\udfff]")


class TooDeep(ValueError):
    """The document nests arrays and objects too deeply to be read."""


def loads(text: str, **hooks: Any) -> Any:
    """``json.loads(text, **hooks)``; ``TooDeep`` instead of ``RecursionError``."""
    try:
        return json.loads(text, **hooks)
    except RecursionError:
        raise TooDeep("the document nests arrays or objects too deeply (over several hundred levels)") from None


def may_hold_surrogates(text: str) -> bool:
    """A fast test (one C-level scan) that rules out lone surrogates in a document's text."""
    return _MAY_HOLD.search(text) is not None


def has_lone_surrogate(value: str) -> bool:
    return not value.isascii() and _LONE.search(value) is not None  # isascii() is O(1) in CPython


def lone_surrogates(document: Any, member: Callable[[str, str], str]) -> list[str]:
    """The JSON path of every key and string holding a lone surrogate, in document order.

    Iterative, so that a document nested as deeply as ``json`` could decode is walked
    without recursion. ``member(path, key)`` spells a key's path.
    """
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(document, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if has_lone_surrogate(value):
                found.append(path)
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                child = member(path, key)
                if has_lone_surrogate(key):
                    found.append(child + " (the key)")
                children.append((item, child))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]") for index, item in reversed(list(enumerate(value))))
    return found


def quoted(value: str, limit: int | None = SHOWN_CHARS) -> str:
    """``value`` as a JSON string for a message: lone surrogates escaped, at most ``limit`` characters kept."""
    cut = value if limit is None or len(value) <= limit else value[:limit]
    text = json.dumps(cut, ensure_ascii=False)
    if has_lone_surrogate(text):
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if cut is not value:
        text = text[:-1] + f'…" ({len(value):,} characters)'
    return text


def shown(value: Any) -> str:
    """Any decoded JSON value as a message shows it: strings quoted, numbers as written, containers by kind."""
    if isinstance(value, str):
        return quoted(value)
    if value is None or isinstance(value, bool | int | float):
        text = json.dumps(value)
        return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
