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

# Characters that show nothing on their own: white space, controls (Cc), format characters (Cf: the
# zero-width space and joiners, the byte-order mark, bidi marks and embeddings, the soft hyphen; the few that
# draw a sign, such as the Arabic number signs, only mark the digits after them) and the other code points
# Unicode calls default-ignorable (Hangul fillers, variation selectors, the combining grapheme joiner, tags).
# A text made only of these looks empty, so a required field treats it as empty. Written out (Unicode 14,
# Python 3.11's) rather than derived at start from ``unicodedata``, which costs a seventh of a second; the
# tests derive it and compare. A regular-expression class, so msgspec's patterns use it too.
INVISIBLE_CHARACTERS = (
    r"\x00-\x20\x7f-\xa0\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u1680"
    r"\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0"
    r"\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0000-\U000e0fff"
)
VISIBLE_CHARACTER = f"[^{INVISIBLE_CHARACTERS}]"  # one character that draws something
_VISIBLE = re.compile(VISIBLE_CHARACTER)


def fold(text: str) -> str:
    if text.isascii():  # nothing to decompose; the common case in bulk imports
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def blank(text: str) -> bool:
    """True when ``text`` shows nothing: it is empty or only white space and invisible characters.

    "\u200b" and " \ufeff\u200e " are blank; "\u200fשלום" is not (a bidi mark among letters is real text).
    """
    return _VISIBLE.search(text) is None


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


def typed_quote(text: str) -> str:
    """What was typed in a form's field, quoted and cut short for its refusal: the message then fits one
    line of the form, and the whole text is still in the field it was typed in."""
    return f"“{one_line(text, 12)}”"
