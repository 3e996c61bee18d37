"""``desktop.core.text``: what counts as showing nothing (``blank``), against Python's own Unicode tables."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest

from desktop.core.text import INVISIBLE_CHARACTERS, blank

# Default-ignorable code points (Unicode's DerivedCoreProperties) that are neither controls, format characters
# nor white space: ``unicodedata`` cannot name this property, so it is listed here from the Unicode tables.
OTHER_IGNORABLE = {
    0x034F,  # combining grapheme joiner
    0x115F, 0x1160, 0x3164, 0xFFA0,  # Hangul fillers
    0x17B4, 0x17B5,  # Khmer inherent vowels
    *range(0x180B, 0x1810),  # Mongolian free variation selectors (and the vowel separator, Cf)
    0x2065,  # reserved among the invisible operators
    *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0),  # variation selectors
    *range(0xFFF0, 0xFFF9),  # reserved before the interlinear annotation characters
    *range(0xE0000, 0xE1000),  # tags and the reserved rest of their plane's block
}  # fmt: skip


def test_the_written_out_class_is_exactly_controls_format_characters_space_and_the_ignorable() -> None:
    """Derived from the running Python's Unicode tables, so a newer Unicode with new ones fails here."""
    if unicodedata.unidata_version != "14.0.0":
        pytest.skip(f"the class is written for Unicode 14; this Python has {unicodedata.unidata_version}")
    invisible = re.compile(f"[{INVISIBLE_CHARACTERS}]")
    derived = {
        cp
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cc", "Cf") or chr(cp).isspace() or cp in OTHER_IGNORABLE
    }
    written = {cp for cp in range(sys.maxunicode + 1) if invisible.match(chr(cp))}
    assert sorted(written - derived) == [] and sorted(derived - written) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \t\n",
        "\u200b",  # zero-width space
        "\u200c\u200d\u2060",  # joiners, word joiner
        "\ufeff",  # byte-order mark
        "\u200e \u200f",  # left-to-right and right-to-left marks
        "\u202a\u202b\u202c\u202d\u202e",  # embeddings and overrides
        "\u2066\u2067\u2068\u2069",  # isolates
        "\u00ad\u180e",  # soft hyphen, Mongolian vowel separator
        "\u3164",  # Hangul filler, a favourite for names that look empty
        "\u00a0\u3000\u2003",  # no-break, ideographic and em spaces
        "\x07\x1b",  # controls
    ],
)
def test_text_of_only_invisible_characters_is_blank(text: str) -> None:
    assert blank(text)


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "\u200b.",
        "\u200fשלום\u200f",  # Hebrew with right-to-left marks
        "\u200fقصف\u200f",  # Arabic likewise
        "👩\u200d⚕️",  # a joined emoji with a variation selector
        "Бахмут",
        "\u2800x",  # braille blank is a character of its own; with x there is something anyway
    ],
)
def test_text_with_anything_visible_is_not_blank(text: str) -> None:
    assert not blank(text)
