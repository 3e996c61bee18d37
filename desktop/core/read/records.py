"""The records the detail pane and the pickers read: sources, reports, places, links, outreach.

Immutable snapshots (frozen dataclasses), so the window can hold one while the
workspace moves on and compare two to decide what to repaint. Raw SQL returns
dates as text on SQLite and as ``date`` on PostgreSQL; ``as_date`` and friends
make both the same.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Final, Literal

from desktop.core.text import one_line

Direction = Literal["outgoing", "incoming"]

#: How a link reads from the claim on each end: (from → to, seen from ``to``).
LINK_PHRASES: Final[dict[str, tuple[str, str]]] = {
    "corroborates": ("corroborates", "corroborated by"),
    "contradicts": ("contradicts", "contradicted by"),
    "neutral": ("neutral on", "addressed (neutral) by"),
    "repeats": ("repeats", "repeated by"),
}


def as_date(value: Any) -> dt.date | None:
    """Raw SQL on SQLite returns dates as text; PostgreSQL returns ``date``."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def as_labels(value: Any) -> tuple[str, ...]:
    """JSON list columns come back as lists (SQLAlchemy JSON type) or as text (raw SQL)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(str(v) for v in value)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    id: int
    ext_id: str
    name: str
    kind: str
    side: str
    group_label: str
    reliability: str
    url: str | None
    aliases: tuple[str, ...]
    notes: str

    @property
    def label(self) -> str:
        """What pickers show: ``Rybar · russia · C`` (``unaligned`` when the side is empty)."""
        return f"{self.name} · {self.side or 'unaligned'} · {self.reliability}"

    def short_label(self, limit: int = 26) -> str:
        """``label`` with a long name shortened, so side and reliability survive in a narrow combo."""
        return f"{one_line(self.name, limit)} · {self.side or 'unaligned'} · {self.reliability}"


@dataclass(frozen=True, slots=True)
class ReportInfo:
    id: int
    ext_id: str
    title: str
    url: str | None
    published: dt.date | None
    language: str | None
    source_id: int | None
    source_name: str | None

    @property
    def label(self) -> str:
        parts = [one_line(self.title, 80)]
        if self.source_name:
            parts.append(self.source_name)
        if self.published:
            parts.append(self.published.isoformat())
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    id: int
    ext_id: str
    name: str
    aliases: tuple[str, ...]
    region: str | None
    lat: float | None
    lon: float | None

    @property
    def label(self) -> str:
        """``Bakhmut (Бахмут, Artemivsk) — Donetsk Oblast``."""
        label = self.name
        if self.aliases:
            label += f" ({', '.join(self.aliases)})"
        if self.region:
            label += f" — {self.region}"
        return label

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """A link seen from the claim on display; ``other_*`` describe the claim at the other end."""

    id: int
    relation: str
    direction: Direction
    other_id: int
    other_ext_id: str
    other_text: str  # one line
    other_source: str
    rationale: str
    analyst: str
    recorded: dt.datetime | None
    effective: bool = True  # the pair's judgement the derivation reads (the latest; DESIGN §2)
    disputed: bool = False  # analysts' judgements on this pair disagree

    @property
    def phrase(self) -> str:
        """``corroborates`` / ``corroborated by`` …: the relation read from this claim."""
        outgoing, incoming = LINK_PHRASES.get(self.relation, (self.relation, self.relation))
        return outgoing if self.direction == "outgoing" else incoming

    @property
    def arrow(self) -> str:
        return "→" if self.direction == "outgoing" else "←"


@dataclass(frozen=True, slots=True)
class OutreachInfo:
    id: int
    ext_id: str
    party: str
    contacted: dt.date | None
    status: str
    response: str | None
    about: tuple[int, ...]
    by_source_id: int | None = None  # who asked (a source); None: this team
