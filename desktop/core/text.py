"""Text normalisation shared by storage, search and validation.

``fold`` is the one definition of "the same word" in Crosscheck: Unicode NFKD,
combining marks removed, case folded. It treats every script alike, which
SQLite's ``remove_diacritics`` does not (it folds Latin only), so "Артёмовск"
and "Артемовск", or "Kliszczijiwka" and "Kliščijivka", meet.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters except tab, newline and carriage return, the bidi
# overrides that can make text display as something it is not, and lone
# surrogates (not characters at all: they cannot even be encoded as UTF-8).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def fold(text: str) -> str:
    if text.isascii():  # nothing to decompose; the common case in bulk imports
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def forbidden_character(text: str) -> str | None:
    """The first control or bidi-override character in ``text``, described, or None."""
    if text.isprintable():  # no control, format (bidi) or surrogate character at all: the common case, in C
        return None
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    char = match.group()
    name = "lone surrogate" if 0xD800 <= ord(char) <= 0xDFFF else unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} {name}".strip()


def one_line(text: str, limit: int = 120) -> str:
    """``text`` on one line, shortened with an ellipsis: for lists, tooltips and messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
