"""Stepping through the audit trail a change at a time: the window's "as of" mode, back and forward.

A **change** here is everything the trail recorded at one moment (the store
stamps its writes to the second, so one write is one moment; two writes in the
same second step together). From a moment T on show:

- **back**: the state just before the newest change at or before T (that
  change undone): the moment one second before it;
- **forward**: the state just after the oldest change after T: its moment.

Each step names the change it crossed, in the history's words
(``2022-12-15 10:02 anna: claim c-1 credibility 3 → 2``). A step that has
nowhere to go — nothing older in the trail, nothing newer than T, or a
moment before anything was recorded — is refused with one line (``BadMoment``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.db import table_of
from desktop.core.history.moments import BadMoment, first_record
from desktop.core.history.names import names_for
from desktop.core.history.trail import read_rows
from desktop.core.history.words import lines, visible
from desktop.core.schema import AuditEntry

_SECOND: Final = dt.timedelta(seconds=1)
_SHOWN_LINES: Final = 2  # sentences named in a step's one line; the rest are counted


@dataclass(frozen=True)
class Step:
    """Where a step leads (``moment``, the state to show) and the change it crossed, in words."""

    moment: dt.datetime
    change_at: dt.datetime
    words: str


def step_back(connection: Connection, shown: dt.datetime) -> Step:
    """The state just before the newest change at or before ``shown``."""
    newest = _bound(connection, shown, newest=True)
    if newest is None:
        raise BadMoment("there is no earlier change in the audit trail to step back over")
    moment = newest - _SECOND
    first = first_record(connection)
    if first is None or moment < first:
        raise BadMoment(
            f"that is the first change recorded ({_when(newest)}): nothing in this workspace is older to show"
        )
    return Step(moment, newest, describe(connection, newest))


def step_forward(connection: Connection, shown: dt.datetime) -> Step:
    """The state just after the oldest change after ``shown``."""
    oldest = _bound(connection, shown, newest=False)
    if oldest is None:
        raise BadMoment("there is no later change: this is the workspace as it is now")
    return Step(oldest, oldest, describe(connection, oldest))


def latest_change(connection: Connection) -> dt.datetime | None:
    """The moment of the newest change in the trail (None: nothing audited yet)."""
    audit = table_of(AuditEntry)
    return _aware(connection.execute(sa.select(sa.func.max(audit.c.at, type_=audit.c.at.type))).scalar())


def describe(connection: Connection, at: dt.datetime) -> str:
    """The change(s) recorded at moment ``at`` in one line: its sentences, the first few named."""
    rows = visible(read_rows(connection, after=at - _SECOND, until=at))
    said = lines(rows, names=names_for(connection, rows, imports=False))
    if not said:
        return f"{_when(at)}: a change with nothing to show"
    shown = "; ".join(said[:_SHOWN_LINES])
    more = len(said) - _SHOWN_LINES
    return shown + (f"; and {more:,} more" if more > 0 else "")


def _bound(connection: Connection, moment: dt.datetime, *, newest: bool) -> dt.datetime | None:
    """The newest audit moment at or before ``moment``, or the oldest after it (an index on ``at`` answers)."""
    audit = table_of(AuditEntry)
    if newest:
        query = sa.select(sa.func.max(audit.c.at, type_=audit.c.at.type)).where(audit.c.at <= moment)
    else:
        query = sa.select(sa.func.min(audit.c.at, type_=audit.c.at.type)).where(audit.c.at > moment)
    return _aware(connection.execute(query).scalar())


def _aware(value: object) -> dt.datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
