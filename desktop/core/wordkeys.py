"""Words as keys that meet across scripts and spellings: what "the same word" means to suggestions.

A claim about Bakhmut may say Bakhmut, Bachmut, Бахмут or Бахмута. ``word_key``
maps each to one key: the word romanised with anyascii (ISC licence), its first
six letters (a crude stem: Bakhmuta, Bakhmut), then a consonant skeleton in
which the letters romanisations disagree on are merged (kh = ch = h = g,
w = v, s = z, ts = tz = c, doubled letters once) and vowels after the first
letter dropped (Artemivsk, Artemovsk). Keys are for ranking suggestions, where a
rare collision costs little, never for deciding anything.

``cyrillic_form`` goes the other way for look-ups in the full-text index: a
Latin word spelt in Cyrillic by the usual Ukrainian/Russian romanisation read
backwards (bakhmut → бахмут), good enough for a prefix search.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from anyascii import anyascii

from desktop.core.text import fold

_WORD: Final = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)*")
STEM: Final = 6
MIN_LETTERS: Final = 4
MIN_KEY: Final = 3

# Frequent words of the reports' languages that say nothing about what a claim is about.
STOPWORDS: Final = frozenset(
    """
    about after also been before being both could does from have into more most much only other over said says
    some such than that their them then there these they this those through under very were what when where which
    while will with would according reported reports claimed claims stated official officials update around
    january february march april june july august september october november december monday tuesday wednesday
    thursday friday saturday sunday
    если было быть будет были всех даже если есть еще ещё который которые которых может также только этот этого
    того такие чтобы через после перед было более сообщил сообщили заявил заявили якщо також який яких було буде
    були може після перед через цього того тому щодо повідомив повідомили заявив заявили
    """.split()
)

_MERGE: Final = (
    ("shch", "s"),
    ("tsch", "h"),
    ("sch", "s"),
    ("kh", "h"),
    ("ch", "h"),
    ("zh", "z"),
    ("sh", "s"),
    ("ph", "f"),
    ("ts", "c"),
    ("tz", "c"),
    ("g", "h"),
    ("w", "v"),
    ("s", "z"),
    ("x", "ks"),
    ("q", "k"),
    ("j", "y"),
)
_VOWELS: Final = frozenset("aeiouy")

_TO_CYRILLIC: Final = (
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("yi", "ї"),
)
_CYRILLIC_LETTERS: Final = dict(zip("abvwgdezijklmnoprstufhcy", "абввгдезийклмнопрстуфгцы", strict=True))


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, with inner apostrophes), as written."""
    return _WORD.findall(text)


def content_words(text: str) -> list[str]:
    """Folded words long enough to mean something and not stop words, in order, each once."""
    seen: dict[str, None] = {}
    for folded in _WORD.findall(fold(text)):  # one fold of the whole text: this runs per candidate
        if len(folded) >= MIN_LETTERS and folded not in STOPWORDS:
            seen.setdefault(folded, None)
    return list(seen)


def romanised(word: str) -> str:
    """``word`` folded and romanised by anyascii, letters a–z only (Бахмут → bakhmut, Donets'k → donetsk)."""
    return "".join(ch for ch in anyascii(fold(word)).lower() if "a" <= ch <= "z")


def merged_spelling(roman: str) -> str:
    """A romanised word with the letters romanisations disagree on merged (bachmut, bakhmut → bahmut)."""
    for old, new in _MERGE:
        roman = roman.replace(old, new)
    return roman


@lru_cache(maxsize=65536)
def word_key(word: str) -> str | None:
    """The cross-script key of one word (see the module docstring); None for a word too short to key."""
    roman = romanised(word)[:STEM]
    if len(roman) < MIN_LETTERS - 1:
        return None
    roman = merged_spelling(roman)
    skeleton = [roman[0]]
    for ch in roman[1:]:
        if ch in _VOWELS or ch == skeleton[-1]:
            continue
        skeleton.append(ch)
    key = "".join(skeleton)
    return key if len(key) >= MIN_KEY else None


def cyrillic_form(word: str) -> str | None:
    """A Latin word spelt in Cyrillic (for index look-ups), or None when ``word`` is not Latin."""
    latin = fold(word)
    if not latin.isascii() or not latin.isalpha():
        return None
    out: list[str] = []
    index = 0
    while index < len(latin):
        for old, new in _TO_CYRILLIC:
            if latin.startswith(old, index):
                out.append(new)
                index += len(old)
                break
        else:
            out.append(_CYRILLIC_LETTERS.get(latin[index], latin[index]))
            index += 1
    return "".join(out)


def latin_form(word: str) -> str | None:
    """A non-Latin word romanised (for index look-ups), or None when it is Latin already."""
    folded = fold(word)
    if folded.isascii():
        return None
    roman = "".join(ch for ch in anyascii(folded).lower() if ch.isalpha())
    return roman or None
