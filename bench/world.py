"""One synthetic body of work: sources, places, reports, claims, links and outreach, by index.

``synthesize(n)`` builds it deterministically from a seed, with the shape of a
real workspace kept for years (see ``bench/README.md``). Entities refer to each
other by list index; ``generate`` turns a world into a workspace database (ids =
index + 1) or into an interchange document (string ids).

Claims are compact tuples (``Claim``), not dicts: a million of them must fit in a
few hundred megabytes and be produced in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import NamedTuple

from bench import textgen

START = dt.datetime(2014, 2, 20, tzinfo=dt.UTC)
END = dt.datetime(2025, 6, 30, tzinfo=dt.UTC)
KINDS = ("telegram-channel", "microblogger", "news-outlet", "think-tank", "government", "ministry", "official", "other")
KIND_WEIGHTS = (45, 20, 15, 3, 4, 3, 5, 5)
RELIABILITY = ("A", "B", "C", "D", "E", "F")
RELIABILITY_WEIGHTS = (2, 10, 30, 30, 15, 13)
LIKELIHOODS = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
RELATIONS = ("repeats", "corroborates", "contradicts", "neutral")
RELATION_WEIGHTS = (30, 35, 15, 20)
TAGS = tuple(f"tag-{name}" for name in textgen.EN_HEAD[10:50])
ANALYSTS = tuple(f"analyst-{i}" for i in range(1, 13))
MAX_CLUSTER = 8  # repeats chains stay short, as relays of one post do


def _categorical(values: tuple[object, ...], weights: tuple[int, ...]) -> list[object]:
    """A list to draw from with ``pool[int(random() * len(pool))]``: weighted draws, cheaply."""
    return [v for v, w in zip(values, weights, strict=True) for _ in range(w)]


class Claim(NamedTuple):
    text: str
    source: int
    report: int | None
    kind: str
    claimed: dt.date | None
    event_start: dt.date | None
    event_end: dt.date | None
    precision: str | None
    places: tuple[int, ...]
    credibility: int | None
    likelihood: str | None
    verdict: str | None
    reviewed: bool
    tags: tuple[str, ...]
    notes: str
    recorded: dt.datetime


class Link(NamedTuple):
    from_: int
    to: int
    relation: str
    rationale: str
    analyst: str
    recorded: dt.datetime


@dataclass
class World:
    sources: list[dict[str, object]] = field(default_factory=list)  # name, kind, side, group, reliability, url, aliases
    places: list[dict[str, object]] = field(default_factory=list)  # name, aliases, region, lat, lon
    reports: list[dict[str, object]] = field(default_factory=list)  # title, source (index), published, language
    claims: list[Claim] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    outreach: list[dict[str, object]] = field(default_factory=list)  # party, contacted, status, about (indices)


def synthesize(n_claims: int, *, seed: int = 1, n_sources: int = 3000, n_places: int = 2000) -> World:
    rng = random.Random(seed)
    vocab = textgen.Vocabulary(rng)
    world = World()
    _sources(rng, world, n_sources)
    world.places = textgen.place_rows(rng, n_places)
    _claims(rng, vocab, world, n_claims)
    _links(rng, vocab, world)
    _outreach(rng, world)
    return world


def _sources(rng: random.Random, world: World, count: int) -> None:
    groups = [(f"group-{i}", rng.choices(textgen.SIDES, textgen.SIDE_WEIGHTS)[0]) for i in range(120)]
    by_side: dict[str, list[str]] = {}
    for name, side in groups:
        by_side.setdefault(side, []).append(name)
    taken: set[str] = set()
    for _ in range(count):
        side = rng.choices(textgen.SIDES, textgen.SIDE_WEIGHTS)[0]
        cyrillic = side in ("russia", "belarus") and rng.random() < 0.5 or side == "ukraine" and rng.random() < 0.2
        name, aliases = textgen.source_name(rng, cyrillic, taken)
        group = rng.choice(by_side[side]) if side in by_side and rng.random() < 0.35 else ""
        world.sources.append(
            {
                "name": name,
                "kind": rng.choices(KINDS, KIND_WEIGHTS)[0],
                "side": side,
                "group": group,
                "reliability": rng.choices(RELIABILITY, RELIABILITY_WEIGHTS)[0],
                "url": f"https://t.me/{name.lower().replace(' ', '_')}" if rng.random() < 0.5 else None,
                "aliases": aliases,
            }
        )


def _claims(rng: random.Random, vocab: textgen.Vocabulary, world: World, count: int) -> None:
    n_sources = len(world.sources)
    order = list(range(n_sources))
    rng.shuffle(order)  # the prolific sources are not simply the first ids
    source_pool = [order[i] for i in textgen.zipf_pool(n_sources, 1.0, 300_000)]
    place_pool = textgen.zipf_pool(len(world.places), 1.1, 200_000)
    n_reports = max(1, count // 5)
    span = (END - START).total_seconds()
    # Recording times, ever denser towards the present (density grows linearly).
    moments = sorted(span * (rng.random() ** 0.5) for _ in range(count))
    publishers = [i for i, s in enumerate(world.sources) if s["kind"] in ("news-outlet", "telegram-channel")]
    for r in range(n_reports):
        when = START + dt.timedelta(seconds=moments[min(count - 1, r * 5)])
        world.reports.append(
            {
                "title": " ".join(vocab.words(rng, False, 6)).capitalize(),
                "source": rng.choice(publishers),
                "published": when.date(),
                "language": "ru" if rng.random() < 0.15 else "en",
            }
        )
    draw_sources = rng.choices(source_pool, k=count)
    n_places_pool = _categorical((0, 1, 2, 3), (30, 50, 15, 5))
    kind_pool = _categorical(("event", "statement", "assessment"), (70, 18, 12))
    precision_pool = _categorical(("day", "week", "month", "approx"), (70, 15, 10, 5))
    random = rng.random
    claims = world.claims
    for i in range(count):
        recorded = START + dt.timedelta(seconds=int(moments[i]))
        day = recorded.date()
        roll = rng.random()
        if roll < 0.08:
            claimed = None  # undated: the table sorts it by the day it was recorded
        elif roll < 0.18:
            claimed = day - dt.timedelta(days=rng.randrange(3, 365))  # entered late, from an older report
        else:
            claimed = day - dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
        cyrillic = random() < 0.15
        n_places = n_places_pool[int(random() * 100)]
        places = tuple(dict.fromkeys(place_pool[int(random() * len(place_pool))] for _ in range(n_places)))  # type: ignore[call-overload]
        mention = None
        if places and rng.random() < 0.6:
            place = world.places[places[0]]
            aliases = place["aliases"]
            mention = aliases[0] if cyrillic and aliases else place["name"]  # type: ignore[index]
        kind = kind_pool[int(random() * 100)]
        start = end = precision = None
        if kind == "event" and claimed is not None and rng.random() < 0.8:
            start = claimed
            precision = precision_pool[int(random() * 100)]
            if rng.random() < 0.1:
                end = start + dt.timedelta(days=rng.randrange(1, 8))
        report = None
        if rng.random() < 0.75:
            report = min(n_reports - 1, max(0, i // 5 + rng.randrange(-20, 21)))
        claims.append(
            Claim(
                text=textgen.claim_text(rng, vocab, cyrillic, mention),  # type: ignore[arg-type]
                source=draw_sources[i],
                report=report,
                kind=kind,
                claimed=claimed,
                event_start=start,
                event_end=end,
                precision=precision,
                places=places,
                credibility=rng.randrange(1, 7) if rng.random() < 0.25 else None,
                likelihood=rng.choice(LIKELIHOODS) if kind == "assessment" and rng.random() < 0.7 else None,
                verdict=rng.choice(("confirmed", "refuted", "inconclusive")) if rng.random() < 0.03 else None,
                reviewed=rng.random() < 0.3,
                tags=tuple(dict.fromkeys(rng.choices(TAGS, k=rng.randrange(1, 4)))) if rng.random() < 0.2 else (),
                notes=" ".join(vocab.words(rng, False, 8)) if rng.random() < 0.05 else "",
                recorded=recorded,
            )
        )


def _links(rng: random.Random, vocab: textgen.Vocabulary, world: World) -> None:
    """About one link per claim, each to a claim recorded shortly before; ``repeats`` form short chains."""
    claims = world.claims
    parent: dict[int, int] = {}  # union-find over repeats clusters
    size: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    pairs: set[tuple[int, int]] = set()
    recent_repeats: list[int] = []  # claims in a repeats cluster lately: chains grow from them
    window = 3000
    out_pool = _categorical((0, 1, 2, 3), (35, 40, 20, 5))
    relation_pool = _categorical(RELATIONS, RELATION_WEIGHTS)
    for i in range(1, len(claims)):
        n_out = out_pool[int(rng.random() * 100)]
        repeated = False
        for _ in range(n_out):
            relation = relation_pool[int(rng.random() * 100)]
            if relation == "repeats":
                if repeated:
                    relation = "corroborates"
                elif recent_repeats and rng.random() < 0.6:
                    j = recent_repeats[rng.randrange(len(recent_repeats))]
                    if size.get(root(j), 1) >= MAX_CLUSTER or j >= i:
                        j = i - 1 - rng.randrange(min(i, window))
                else:
                    j = i - 1 - rng.randrange(min(i, window))
            if relation != "repeats":
                j = i - 1 - rng.randrange(min(i, window))
            key = (j, i)
            if key in pairs:
                continue
            if relation == "repeats":
                ri, rj = root(i), root(j)
                if ri == rj or size.get(ri, 1) + size.get(rj, 1) > MAX_CLUSTER:
                    relation = "corroborates"
                else:
                    parent[ri] = rj
                    size[rj] = size.get(ri, 1) + size.get(rj, 1)
                    repeated = True
                    recent_repeats.append(i)
                    recent_repeats.append(j)
                    if len(recent_repeats) > 400:
                        del recent_repeats[:200]
            pairs.add(key)
            when = claims[i].recorded + dt.timedelta(minutes=rng.randrange(5, 48 * 60))
            rationale = " ".join(vocab.words(rng, False, 7)) if rng.random() < 0.5 else ""
            world.links.append(Link(i, j, relation, rationale, rng.choice(ANALYSTS), when))


def _outreach(rng: random.Random, world: World) -> None:
    n = len(world.claims)
    for k in range(min(300, max(1, n // 1000))):
        about = sorted({rng.randrange(n) for _ in range(rng.randrange(1, 4))})
        status = rng.choice(("pending", "answered", "declined"))
        world.outreach.append(
            {
                "party": f"Ministry press office {k}",
                "contacted": world.claims[about[0]].recorded.date(),
                "status": status,
                "response": "No comment." if status == "answered" else None,
                "about": about,
            }
        )
