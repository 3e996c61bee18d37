"""A Russian or Ukrainian word typed in one case form finds its other forms: бахмута finds Бахмут.

The index stores each word as written (and its cross-script key, ``search.keys``),
and a typed word is found as a prefix, so ``бахмут`` already finds ``Бахмута``
and ``Бахмуте`` — but not the other way round. Each form of a word is read down to
the *keys* its forms share (``word_keys``): a case ending taken off (the longest of
the common noun and adjective endings of both languages, leaving at least four
letters), then the few changes declension makes to the stem itself:

- Ukrainian і in a last closed syllable is о, е or є in the other forms: Харків,
  Харкова, Харкові; Київ, Києва, Києві; Бердичів, Бердичева. The key is the other
  forms' stem (``харков``, ``києв``); the Russian -ов, -ев names (Харьков, Харькова,
  Киев) keep their suffix, so ``роста`` meets Ростов no more than ``рост``;
- a soft sign ends the plain form only: Маріуполь, Маріуполя; Запорожье, Запорожья;
- Ukrainian к, г, х are ц, з, с before the -і of the dative and locative:
  Авдіївка, Авдіївці (that form has both keys);
- -ськ, -цьк, -ск nouns (Покровськ, Донецьк) and the adjectives on the same stem
  (Покровське, Покровського, Бахмутское) are different names: an adjective's key
  is marked, and the forms both can be (Донецька, Покровську) have both keys.

Two forms meet when they share a key. Nothing is stored: a name in the gazetteer
is filed by its keys when it is read (``places``), and a typed word asks for its
keys' words as a prefix and its plain forms whole (``search_stems``, used by
``search.sql.term_alternatives``) — so no index is rebuilt, and SQLite and
PostgreSQL ask the same alternatives, so they still find the same claims.

A light rule rather than a Snowball stemmer: a stemmer would have to run on the
index too (a rebuild of every stored word), and a prefix of the stem finds the
forms a stemmer would join. Over-reach is the cost in free-text search: a stem may
be the prefix of an unrelated longer word (search shows a stray claim, never hides
one). Names are matched by whole keys, so a place is named only by its own forms.
"""

from __future__ import annotations

import re
from typing import Final

MIN_STEM: Final = 4  # letters left after the ending: shorter stems would find too much
ADJECTIVE: Final = "~"  # marks the key of an adjective on an -ськ/-ск stem (Покровське, not Покровськ)
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
            "еи",  # -ый, -ий, -ой, -ей
            "ом",
            "ем",
            "ах",
            "ях",
            "ам",
            "ям",
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
            "ым",
            "им",
            # Ukrainian ones the Russian list lacks
            "ові",
            "еві",
            "єві",
            "ою",
            "ею",
            "єю",
            "іи",
            "оі",  # -ій, -ої
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
# Ukrainian dative -ові/-еві/-єві, or the -і of a stem in -ов/-ев/-єв (Харкові, Києві): both are read.
_DATIVE: Final = ("ові", "еві", "єві")
_GENITIVE_PLURAL: Final = ("ов", "ев", "ів")  # танков, солдатів: searched by the stem, as a prefix
_VOWELS: Final = frozenset("аеєиіоуюяыэ")
_HUSHING: Final = frozenset("жчшщ")
_PALATAL: Final = {"ц": "к", "з": "г", "с": "х"}  # Авдіївці: the к of Авдіївка before the locative -і
_SK_STEM: Final = re.compile(r"(?:ськ|цьк|зьк|ск|цк)$")
# The endings an -ськ/-ск noun takes (Покровськ, Покровська, Покровську, Покровськом; Russian Покровске);
# of these the adjective on the stem takes Ukrainian -а, -у (Покровська громада) and Russian -ом (в Покровском).
_SK_NOUN: Final = frozenset({"", "а", "у", "ом", "ові", "ам", "ами", "ах", "и"})
_SK_BOTH: Final = {True: frozenset({"а", "у"}), False: frozenset({"ом"})}  # by whether the stem is Ukrainian
_CYRILLIC_WORD: Final = re.compile(r"[а-яёіїєґ]+")


def word_keys(folded: str) -> frozenset[str]:
    """The keys ``folded`` (one folded word) shares with its other case forms; empty when it is not Cyrillic."""
    if not _CYRILLIC_WORD.fullmatch(folded):
        return frozenset()
    ending = next((e for e in _ENDINGS if folded.endswith(e) and len(folded) - len(e) >= MIN_STEM), "")
    raw = folded[: len(folded) - len(ending)]
    stems = {raw}
    if ending in _DATIVE:
        stems.add(folded[:-1])  # Харкові: Харков + і
    if ending == "і" and raw[-1] in _PALATAL:
        stems.add(raw[:-1] + _PALATAL[raw[-1]])
    keys: set[str] = set()
    for stem in stems:
        if stem.endswith("ь") and len(stem) > MIN_STEM:
            stem = stem[:-1]
        elif stem.endswith("ів") and len(stem) >= MIN_STEM:
            stem = stem[:-2] + _alternate(stem[-3])
        keys |= _marked(stem, ending)
    return frozenset(keys)


def case_keys(folded: str) -> frozenset[str]:
    """``word_keys`` of a word in a case form (бахмута, Харків); empty when its only key is itself (бахмут)."""
    keys = word_keys(folded)
    return frozenset() if keys == {folded} else keys


def case_forms(folded: str) -> tuple[str, ...]:
    """The forms ``folded`` (one folded Cyrillic word in a case form) names a place by: every word sharing a
    key with it (``бахмута`` → ``бахмут``, ``бахмута``, ``бахмуте``…), as ``places.PlaceNames`` files names.
    Empty when it is its own only form (``case_keys``), or not Cyrillic."""
    keys = case_keys(folded)
    candidates: dict[str, None] = {}
    for key in keys:
        for base in _bases(key.removesuffix(ADJECTIVE)):
            candidates.update(dict.fromkeys(base + ending for ending in ("", *_ENDINGS)))
    return tuple(sorted(form for form in candidates if word_keys(form) & keys))


def search_stems(folded: str) -> tuple[tuple[str, bool], ...]:
    """What a typed word's other forms are searched by, beside the word itself: (text, as a prefix).

    Its keys as prefixes (бахмута → бахмут…), the plain forms a key stands for whole (києва → Київ,
    авдіївка → Авдіївці), and a genitive plural's stem as a prefix (танков → танк…).
    """
    found: dict[str, bool] = {}
    for key in sorted(case_keys(folded)):
        stem = key.removesuffix(ADJECTIVE)
        found.setdefault(stem, True)
        for base in _bases(stem)[2:]:  # not the key, nor the key with a soft sign (a prefix of it)
            found.setdefault(base + ("і" if base[-1] in _PALATAL else ""), False)
    if _CYRILLIC_WORD.fullmatch(folded):
        for suffix in _GENITIVE_PLURAL:
            if folded.endswith(suffix) and len(folded) - len(suffix) >= MIN_STEM:
                found.setdefault(folded[: -len(suffix)], True)
    found.pop(folded, None)
    return tuple(found.items())


def _alternate(before: str) -> str:
    """The vowel and в the other forms have for the і of a Ukrainian -ів (Київ → Києва, Харків → Харкова)."""
    if before in _VOWELS:
        return "єв"
    return "ев" if before in _HUSHING else "ов"


def _marked(stem: str, ending: str) -> set[str]:
    """The key(s) of ``stem``: an -ськ/-ск stem's marked as an adjective's when ``ending`` is one."""
    if not _SK_STEM.search(stem):
        return {stem}
    ukrainian = stem.endswith("ьк")
    noun = ending in _SK_NOUN or (ending == "е" and not ukrainian)  # Покровске (ru), not Покровське
    if noun and ending not in _SK_BOTH[ukrainian]:
        return {stem}
    return {stem, stem + ADJECTIVE} if noun else {stem + ADJECTIVE}


def _bases(key: str) -> list[str]:
    """Every stem a form with key ``key`` can be built on: the key, with a soft sign, the Ukrainian -ів it
    stands for, the palatal stem of the locative."""
    bases = [key, key + "ь"]
    if len(key) >= MIN_STEM and key[-2:] in ("ов", "ев", "єв") and _alternate(key[-3]) == key[-2:]:
        bases.append(key[:-2] + "ів")
    if key and key[-1] in _PALATAL.values():
        bases.append(key[:-1] + {v: k for k, v in _PALATAL.items()}[key[-1]])
    return bases
