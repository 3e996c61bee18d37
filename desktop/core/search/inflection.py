"""A Russian or Ukrainian word typed in an inflected form finds its other forms: бахмута finds Бахмут.

The index stores each word as written (and its cross-script key, ``search.keys``),
and a typed word is found as a prefix, so ``бахмут`` already finds ``Бахмута``
and ``Бахмуте`` — but not the other way round. ``stem`` takes a case ending off
a Cyrillic word (the longest of the common noun and adjective endings of both
languages, leaving at least four letters), and the filter asks for the stem as
a prefix too (``search.sql.term_alternatives``). It works on the query only:
nothing stored changes, no index is rebuilt, and SQLite and PostgreSQL ask the
same alternatives, so they still find the same claims.

A light rule rather than a Snowball stemmer: a stemmer would have to run on the
index too (a rebuild of every stored word), and a prefix of the stem finds the
forms a stemmer would join. Over-reach is the cost: a stem may be the prefix of
an unrelated longer word (search shows a stray claim, never hides one).
"""

from __future__ import annotations

import re
from typing import Final

MIN_STEM: Final = 4  # letters left after the ending: shorter stems would find too much
# Endings as ``text.fold`` leaves them (й → и, ї → і, ё → е), longest first.
_ENDINGS: Final = tuple(
    sorted(
        {
            # Russian nouns and adjectives
            "ами",
            "ями",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ыи",
            "ии",
            "ои",
            "еи",
            "ом",
            "ем",
            "ах",
            "ях",
            "ам",
            "ям",
            "ов",
            "ев",
            "ую",
            "юю",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ых",
            "их",
            # Ukrainian ones the Russian list lacks
            "ові",
            "еві",
            "ою",
            "ею",
            "ів",
            "іи",
            "ій",
            # one letter
            "а",
            "я",
            "у",
            "ю",
            "е",
            "ы",
            "и",
            "і",
            "о",
        },  # fmt: skip
        key=len,
        reverse=True,
    )
)
_CYRILLIC_WORD: Final = re.compile(r"[а-яёіїєґ]+")


def stem(folded: str) -> str | None:
    """``folded`` (one folded word) less its case ending; None when it is not Cyrillic or has none to take off."""
    if not _CYRILLIC_WORD.fullmatch(folded):
        return None
    for ending in _ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= MIN_STEM:
            return folded[: -len(ending)]
    return None


def stem_or_word(folded: str) -> str | None:
    """``folded`` (one folded Cyrillic word) less its case ending, or whole when it has none; None when it
    is not Cyrillic: what a name is filed under, so that any form of a word finds it (``places``)."""
    return stem(folded) or (folded if _CYRILLIC_WORD.fullmatch(folded) else None)


def case_forms(folded: str) -> tuple[str, ...]:
    """The other forms of ``folded`` (one folded Cyrillic word in a case form) a name may be written in: every
    word whose ``stem_or_word`` is ``stem(folded)``, so a name among them is the name ``places.PlaceNames``
    files under that stem (``бахмута`` → ``бахмут``, ``бахмута``, ``бахмуте``…). Empty when there is no
    ending to take off (the word is its own plain form, or not Cyrillic)."""
    stemmed = stem(folded)
    if stemmed is None:
        return ()
    candidates = (stemmed, *(stemmed + ending for ending in _ENDINGS))
    return tuple(form for form in candidates if stem_or_word(form) == stemmed)
