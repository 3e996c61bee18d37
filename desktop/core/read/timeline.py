"""What the timeline and the map draw: the claims the table's filter finds, with their dates and places.

``timeline_items`` gives each claim's event as a span of days — the precision
says how wide (DESIGN §1): ``day`` is the day itself (or start to end), ``week``
the seven days from its start, ``month`` the calendar month, ``approx`` a few
days either side (drawn fuzzy) — and its claimed date, marked apart. Claims
with neither an event nor a claimed date are counted, not placed.

``place_counts`` gives, per place, how many of the filtered claims name it and
how many hold each status; places without coordinates are listed apart.

Both read at most ``limit`` claims (in table order) so a million-claim filter
cannot freeze the window; ``truncated`` says when that happened.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.read.records import as_date
from desktop.core.search import claim, compile_filter
from desktop.core.text import one_line

APPROX_DAYS: Final = 3  # "approx": this many days either side
LIMIT: Final = 5000


@dataclass(frozen=True, slots=True)
class TimelineItem:
    id: int
    ext_id: str
    source: str
    text: str
    status: str
    verdict: str | None
    start: dt.date | None  # first day of the span (inclusive); None: no event date
    end: dt.date | None  # last day of the span (inclusive)
    precision: str | None
    claimed: dt.date | None

    @property
    def anchor(self) -> dt.date | None:
        """Where the claim sits on the axis: its event, else the day it was claimed."""
        return self.start or self.claimed


BUSIEST_MIN_DAYS: Final = 7  # a week: the narrowest span the timeline first shows


@dataclass
class Timeline:
    items: list[TimelineItem] = field(default_factory=list)
    undated: int = 0
    truncated: bool = False
    message: str | None = None  # the filter's own message (a dropped term), for the view

    @property
    def first(self) -> dt.date | None:
        days = [d for i in self.items for d in (i.start, i.claimed) if d]
        return min(days) if days else None

    @property
    def last(self) -> dt.date | None:
        days = [d for i in self.items for d in (i.end, i.claimed) if d]
        return max(days) if days else None

    def busiest(self) -> tuple[dt.date, dt.date] | None:
        """The days most claims sit on: what the timeline first shows.

        From five claims on, the middle of them (the earliest and the latest tenth set aside, at least one
        each way) and every claim within that span again of it, or a week: so one claim about half a year,
        or a stray old one, does not pack the rest into a sliver at one edge, while claims a few days from
        the others still show.
        """
        days = sorted(d for i in self.items if (d := i.anchor) is not None)
        if not days:
            return None
        if len(days) < 5:
            return days[0], days[-1]
        trim = max(1, len(days) // 10)
        core = days[trim : len(days) - trim]
        reach = dt.timedelta(days=max((core[-1] - core[0]).days, BUSIEST_MIN_DAYS))
        return (
            next(d for d in days if d >= core[0] - reach),
            next(d for d in reversed(days) if d <= core[-1] + reach),
        )


def span(start: dt.date | None, end: dt.date | None, precision: str | None) -> tuple[dt.date, dt.date] | None:
    """The days an event covers, first and last inclusive, by its precision (see the module docstring)."""
    if start is None and end is None:
        return None
    first = start or end
    assert first is not None
    last = end or first
    if precision == "week":
        last = max(last, first + dt.timedelta(days=6))
    elif precision == "month":
        first = first.replace(day=1)
        last = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    elif precision == "approx":
        first -= dt.timedelta(days=APPROX_DAYS)
        last += dt.timedelta(days=APPROX_DAYS)
    return first, max(first, last)


def _filtered(connection: Connection, filter_text: str) -> tuple[sa.ColumnElement[bool] | None, str | None]:
    result = compile_filter(filter_text, connection.dialect.name, connection=connection)
    return result.where, result.message


def timeline_items(connection: Connection, filter_text: str = "", limit: int = LIMIT) -> Timeline:
    """The filtered claims on a time axis (see the module docstring), earliest first."""
    where, message = _filtered(connection, filter_text)
    source = sa.table("source", sa.column("id"), sa.column("name"))
    query = (
        sa.select(
            claim.c.id,
            claim.c.ext_id,
            source.c.name,
            claim.c.text,
            claim.c.status,
            claim.c.verdict,
            claim.c.event_start,
            claim.c.event_end,
            claim.c.event_precision,
            claim.c.claimed,
        )
        .join(source, source.c.id == claim.c.source_id)
        .order_by(claim.c.sort_date, claim.c.id)
        .limit(limit + 1)
    )
    if where is not None:
        query = query.where(where)
    timeline = Timeline(message=message)
    rows = connection.execute(query).all()
    timeline.truncated = len(rows) > limit
    for r in rows[:limit]:
        days = span(as_date(r[6]), as_date(r[7]), r[8])
        claimed = as_date(r[9])
        if days is None and claimed is None:
            timeline.undated += 1
            continue
        timeline.items.append(
            TimelineItem(
                id=int(r[0]),
                ext_id=str(r[1]),
                source=str(r[2]),
                text=one_line(str(r[3]), 160),
                status=str(r[4]),
                verdict=r[5],
                start=days[0] if days else None,
                end=days[1] if days else None,
                precision=r[8] if days else None,
                claimed=claimed,
            )
        )
    timeline.items.sort(key=lambda i: (i.anchor or dt.date.max, i.id))
    return timeline


@dataclass(frozen=True, slots=True)
class PlaceCount:
    id: int
    name: str
    region: str | None
    lat: float | None
    lon: float | None
    claims: int
    statuses: dict[str, int]  # status → claims

    @property
    def worst(self) -> str:
        """The status to colour the place by: the first in rule order that any of its claims holds."""
        from desktop.core.vocab import STATUSES

        return next((s for s in STATUSES if self.statuses.get(s)), "unverified")


@dataclass
class PlaceCounts:
    located: list[PlaceCount] = field(default_factory=list)
    unlocated: list[PlaceCount] = field(default_factory=list)
    without_place: int = 0  # filtered claims that name no place
    truncated: bool = False
    message: str | None = None


def place_counts(connection: Connection, filter_text: str = "", limit: int = 200_000) -> PlaceCounts:
    """Per place, the filtered claims naming it and their statuses; unlocated places apart."""
    where, message = _filtered(connection, filter_text)
    ids_query = sa.select(claim.c.id).order_by(claim.c.sort_date, claim.c.id).limit(limit + 1)
    if where is not None:
        ids_query = ids_query.where(where)
    chosen = ids_query.subquery()
    claim_place = sa.table("claim_place", sa.column("claim_id"), sa.column("place_id"))
    place = sa.table(
        "place", sa.column("id"), sa.column("name"), sa.column("region"), sa.column("lat"), sa.column("lon")
    )
    counts = connection.execute(
        sa.select(claim_place.c.place_id, claim.c.status, sa.func.count())
        .select_from(chosen.join(claim_place, claim_place.c.claim_id == chosen.c.id))
        .join(claim, claim.c.id == chosen.c.id)
        .group_by(claim_place.c.place_id, claim.c.status)
    ).all()
    total = connection.execute(sa.select(sa.func.count()).select_from(chosen)).scalar_one()
    with_place = connection.execute(
        sa.select(sa.func.count(sa.distinct(claim_place.c.claim_id))).select_from(
            chosen.join(claim_place, claim_place.c.claim_id == chosen.c.id)
        )
    ).scalar_one()
    by_place: dict[int, dict[str, int]] = {}
    for place_id, status, n in counts:
        by_place.setdefault(int(place_id), {})[str(status)] = int(n)
    result = PlaceCounts(message=message, truncated=total > limit, without_place=int(total) - int(with_place))
    if not by_place:
        return result
    rows = connection.execute(
        sa.select(place.c.id, place.c.name, place.c.region, place.c.lat, place.c.lon).where(
            place.c.id.in_(sorted(by_place))
        )
    ).all()
    for pid, name, region, lat, lon in sorted(rows, key=lambda r: str(r[1]).casefold()):
        statuses = by_place[int(pid)]
        entry = PlaceCount(int(pid), str(name), region, lat, lon, sum(statuses.values()), statuses)
        (result.located if lat is not None and lon is not None else result.unlocated).append(entry)
    return result
