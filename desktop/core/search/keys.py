"""Search keys: the one definition of how a free word meets its other spellings and scripts.

``search_keys(text)`` turns a text into keys so that ``bakhmut``, ``bachmut``,
``Bakhmut`` and ``Бахмут`` (and ``Бахмута``, by prefix) meet; ``index_keys(text)``
is what an index stores of them beside the folded text (the keys that differ from
the words). This module is the only place that says so: SQLite's index
(migration 0011, ``desktop.core.fts_keys_schema``) stores
``cc_index_keys(claim.text)`` through the SQL function
``desktop.core.sqlfunctions`` registers, the filter compiler
(``desktop.core.search.sql``) asks for ``search_keys`` of each searched word in
the folded text and the keys together. PostgreSQL's word index
(``search.documents``, ``claim.search``) can hold the same keys as lexemes beside
the words, computed by ``index_keys`` on write, and ask for ``search_keys`` the
same way, so both back ends find the same claims.

The key of a word:

1. folded (``text.fold``: case, diacritics, ё = е) and romanised by anyascii
   (ISC licence): Бахмут → bakhmut, Донецьк → donetsk, Kliščijivka → kliscijivka;
2. the letters romanisations disagree on merged, with the table the related-claim
   suggestions use (``wordkeys.merged_spelling``): kh = ch = h = g (Ukrainian г is
   h, Russian г is g), sh = sch = s, zh = z, w = v, s = z, ts = tz = c, j = y;
3. y = i (Ukrainian и, Russian ы and й all romanise to one of them), and a
   doubled letter written once (Zaporizhzhia, Запоріжжя → zaporizia);
4. an English possessive dropped (Bakhmut's), apostrophes inside a word too
   (Кам'янське, Kamianske); digits and symbols separate words and have no key.

Vowels are kept — unlike ``wordkeys.word_key``, which drops them for ranking — so
a key rarely joins two different words; it does now and then (shelling and
selling both key to ``zelinh``): search then shows a stray claim, never hides
one. Names that differ by more than spelling (Artemivsk for Bakhmut, Kyiv and
Kiev) meet through the gazetteer's aliases instead (``search.places``).

The keys change only with this module or anyascii's tables: a change here needs
a migration that rebuilds the stored keys (``crosscheck check`` reports stale
ones and its repair rebuilds them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from anyascii import anyascii

from desktop.core.text import fold
from desktop.core.wordkeys import merged_spelling

# The English possessive: Bakhmut's is Bakhmut (else its key would end in "ts", read as ц).
_POSSESSIVE: Final = re.compile(r"'s\b")
_NOT_LETTERS: Final = re.compile(r"[^a-z]+")
_DOUBLED: Final = re.compile(r"([a-z])\1+")
_ALNUM: Final = re.compile(r"[a-z0-9]+")  # the words of a folded ASCII token as the index's tokenizer sees them
# What makes _keys_of_token change a plain lower-case ASCII word: merged letters, y, a doubled letter.
_RESPELT: Final = re.compile(r"[sgwxqjy]|[kczp]h|tz|([a-z])\1")
_CACHE_LIMIT: Final = 100_000


def _keys_of_token(token: str) -> str:
    """The keys of one whitespace-separated token: a word, or words joined by punctuation (Bakhmut—Soledar)."""
    roman = fold(token)
    if not roman.isascii():
        roman = anyascii(roman).lower()
    roman = _POSSESSIVE.sub("", roman.replace("’", "'").replace("ʼ", "'")).replace("'", "")
    spelled = merged_spelling(_NOT_LETTERS.sub(" ", roman)).replace("y", "i")
    return " ".join(_DOUBLED.sub(r"\1", spelled).split())


def _index_keys_of_token(token: str) -> str:
    """The keys of a token, or "" when they are the words the index's folded text holds already."""
    folded = fold(token)
    if folded.isascii() and folded.isalpha() and not _RESPELT.search(folded):
        return ""  # the common case, without the passes of _keys_of_token
    keys = _keys_of_token(token)
    return "" if folded.isascii() and keys == " ".join(_ALNUM.findall(folded)) else keys


class _TokenKeys(dict[str, str]):
    """Keys of tokens as written, remembered: claims repeat their words, and anyascii goes letter by letter."""

    def __init__(self, keys_of: Callable[[str], str]) -> None:
        super().__init__()
        self.keys_of = keys_of

    def __missing__(self, token: str) -> str:
        keys = self.keys_of(token)
        if len(self) >= _CACHE_LIMIT:
            self.clear()  # a bounded memory; the words in use come back at once
        self[token] = keys
        return keys


_SEARCH_KEYS: Final = _TokenKeys(_keys_of_token)
_INDEX_KEYS: Final = _TokenKeys(_index_keys_of_token)


def search_keys(text: str) -> str:
    """The search keys of every word of ``text``, in order, separated by one space: what a query asks.

    Words without a key (digits, symbols) are left out, so phrases line up with
    the index. Never raises.
    """
    # Token by token through a dict (C speed for words seen before): the index calls this for every claim.
    return " ".join(filter(None, map(_SEARCH_KEYS.__getitem__, text.split())))


def index_keys(text: str) -> str:
    """What an index stores beside the folded text: ``search_keys`` less the words whose key is themselves.

    "the", "and", "forces"… key to what they are (45 % of the words of English
    reports): the folded text holds them already, so a query looks for a key in
    both (SQLite: ``{body keys}``). A phrase is found by its keys when its words
    are all stored in one of the two — always in Cyrillic, and whenever a Latin
    phrase is spelt as its keys or entirely otherwise.
    """
    return " ".join(filter(None, map(_INDEX_KEYS.__getitem__, text.split())))
