"""Synthetic words, names and claim texts with a realistic shape, from a seeded ``random.Random``.

- A Latin and a Cyrillic vocabulary: a head of real domain words (the words every
  report uses) followed by pseudo-words built from syllables, drawn with a Zipf
  law (rank r has weight 1/r^s), so a few words are in a third of all claims and
  most words are in a handful — the shape full-text search has to cope with.
- Places: the project's own gazetteer (real names with their aliases in other
  scripts and historic names) plus synthetic villages with Cyrillic and
  transliterated aliases.
- Claim texts of about 150 characters, ~15 % in Cyrillic, often naming a place.

Draws use a pre-expanded "pool" (each item repeated in proportion to its weight)
and ``random.choices`` without weights, which is several times faster than
weighted draws — generation of a million claims must take seconds, not minutes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent.parent / "desktop" / "resources" / "gazetteer.json"

EN_HEAD = (
    "the of in and to near forces russian ukrainian reported on at a from attack city shelling troops "
    "village positions artillery front claims strike drone units military defence area region advance "
    "line assault control general staff ministry said according sources footage killed wounded civilians "
    "destroyed tanks bridge railway station eastern western northern southern outskirts direction offensive "
    "counteroffensive repelled captured liberated evacuation power plant supply convoy brigade battalion "
    "mobilisation missile rocket air defence shot down reconnaissance sabotage group trenches industrial zone"
).split()
RU_HEAD = (
    "в и на с по у не что войска ВСУ ВС РФ районе населённого пункта направлении обстрел позиции противника "
    "удар артиллерии потери техника уничтожены танки бригада батальон штурм наступление оборона город село "
    "мост станция окраины промзона отражены атаки заявил источник видео подтверждено беспилотник ракета ПВО "
    "сбиты эвакуация мирные жители ранены погибли колонна снабжения Генштаб Минобороны сообщает канал"
).split()

_LAT_SYL = "ka ro vi ne sa lo tru bak mut sol dar av di iv zho ko pol ya ma ri up ol kher son lu han sk ov".split()
_CYR_SYL = "ка ро ви не са ло тру бах мут сол дар ав ди ив жо ко пол я ма ри уп ол хер сон лу ган ск ов".split()
_LAT_SUFFIX = ("ivka", "ske", "ove", "ka", "ne", "ivske", "yne", "ytsia")
_CYR_SUFFIX = ("івка", "ське", "ове", "ка", "не", "івське", "ине", "иця")
SIDES = ("russia", "ukraine", "", "belarus", "international")
SIDE_WEIGHTS = (40, 35, 20, 2, 3)
REGIONS = (
    "Donetsk Oblast",
    "Luhansk Oblast",
    "Kharkiv Oblast",
    "Zaporizhzhia Oblast",
    "Kherson Oblast",
    "Dnipropetrovsk Oblast",
    "Sumy Oblast",
    "Belgorod Oblast",
    "Kursk Oblast",
    "Crimea",
)


def zipf_pool(count: int, exponent: float, size: int) -> list[int]:
    """Indices ``0..count-1``, each repeated in proportion to ``1/(rank^exponent)``, at least once."""
    weights = [1.0 / (rank**exponent) for rank in range(1, count + 1)]
    scale = size / sum(weights)
    pool: list[int] = []
    for index, weight in enumerate(weights):
        pool.extend([index] * max(1, round(weight * scale)))
    return pool


def _pseudo_words(rng: random.Random, syllables: Sequence[str], count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choice(syllables) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


class Vocabulary:
    """Latin and Cyrillic words with Zipf pools to draw them from."""

    def __init__(self, rng: random.Random, latin: int = 40_000, cyrillic: int = 20_000, exponent: float = 1.05):
        taken = set(EN_HEAD) | set(RU_HEAD)
        self.latin = list(dict.fromkeys(EN_HEAD)) + _pseudo_words(rng, _LAT_SYL, latin - len(set(EN_HEAD)), taken)
        self.cyrillic = list(dict.fromkeys(RU_HEAD)) + _pseudo_words(rng, _CYR_SYL, cyrillic - len(set(RU_HEAD)), taken)
        self._latin_pool = [self.latin[i] for i in zipf_pool(len(self.latin), exponent, 2_000_000)]
        self._cyrillic_pool = [self.cyrillic[i] for i in zipf_pool(len(self.cyrillic), exponent, 1_000_000)]

    def words(self, rng: random.Random, cyrillic: bool, count: int) -> list[str]:
        return rng.choices(self._cyrillic_pool if cyrillic else self._latin_pool, k=count)


def claim_text(rng: random.Random, vocab: Vocabulary, cyrillic: bool, place: str | None) -> str:
    """About 150 characters (roughly 60–300) of Zipf words, capitalised, sometimes naming ``place``."""
    target = max(60, min(300, int(rng.gauss(150, 40))))
    words = vocab.words(rng, cyrillic, target // 5 + 2)
    if place is not None:
        words.insert(rng.randrange(3, 9), ("в районе " if cyrillic else "near ") + place)
    out: list[str] = []
    length = 0
    for word in words:
        if length + len(word) + 1 > target and out:
            break
        out.append(word)
        length += len(word) + 1
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def place_rows(rng: random.Random, count: int) -> list[dict[str, object]]:
    """The gazetteer's real places, then synthetic villages, as interchange place dicts."""
    places: list[dict[str, object]] = []
    for entry in json.loads(GAZETTEER.read_text(encoding="utf-8")):
        places.append(
            {
                "name": entry["name"],
                "aliases": list(entry["aliases"]),
                "region": entry.get("region"),
                "lat": entry.get("lat"),
                "lon": entry.get("lon"),
            }
        )
    seen = {p["name"] for p in places}
    while len(places) < count:
        stem = rng.randrange(len(_LAT_SYL) ** 2)
        a, b = divmod(stem, len(_LAT_SYL))
        extra = rng.randrange(len(_LAT_SYL))
        suffix = rng.randrange(len(_LAT_SUFFIX))
        latin = (_LAT_SYL[a] + _LAT_SYL[b] + _LAT_SYL[extra] + _LAT_SUFFIX[suffix]).capitalize()
        if latin in seen:
            continue
        seen.add(latin)
        cyr = (_CYR_SYL[a] + _CYR_SYL[b] + _CYR_SYL[extra] + _CYR_SUFFIX[suffix]).capitalize()
        aliases = [cyr]
        if rng.random() < 0.6:
            aliases.append(latin.replace("iv", "ov").replace("ka", "ca"))  # a transliteration variant
        if rng.random() < 0.2:
            aliases.append(latin[:-2] + "sk")  # a historic name
        places.append(
            {
                "name": latin,
                "aliases": list(dict.fromkeys(a for a in aliases if a != latin)),
                "region": rng.choice(REGIONS),
                "lat": round(rng.uniform(44.5, 51.5), 4),
                "lon": round(rng.uniform(33.0, 40.5), 4),
            }
        )
    return places[:count]


def source_name(rng: random.Random, cyrillic: bool, taken: set[str]) -> tuple[str, list[str]]:
    """A unique source name and its aliases (a Cyrillic name gets its transliteration as an alias)."""
    while True:
        n = rng.choice((2, 3, 3, 4))
        picks = [rng.randrange(len(_LAT_SYL)) for _ in range(n)]
        latin = "".join(_LAT_SYL[i] for i in picks).capitalize()
        cyr = "".join(_CYR_SYL[i] for i in picks).capitalize()
        tail = rng.choice(("", "", " News", " Z", " Monitor", " 24", " Front", " Daily", " Insider", " Watch"))
        name = (cyr if cyrillic else latin) + tail
        if name in taken:
            continue
        taken.add(name)
        if cyrillic:
            return name, [latin + tail]
        return name, ([cyr + tail] if rng.random() < 0.25 else [])
