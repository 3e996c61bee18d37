"""``--as-of T``: reading a moment, and refusing one that replay cannot answer (docs/command-line.md).

A timestamp may carry ``Z`` or an offset (none = UTC); a date means the END of
that day in UTC. Refused, each with one line: a malformed moment; a moment in
the future (a date is fine on its own day: it then means now); a moment before
anything in the workspace was recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.errors import UserError
from desktop.core.interchange.format import TIMESTAMP_FORMAT

_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadMoment(UserError):
    """An ``--as-of`` the workspace cannot be replayed to."""


def parse_since(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``history --since``: changes after this moment; a date means from the START of that day."""
    value = text.strip()
    if _DAY.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None:
            return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC) - dt.timedelta(seconds=1)
    return parse_moment(text, now, option="--since")


def parse_moment(text: str, now: dt.datetime | None = None, *, option: str = "--as-of") -> dt.datetime:
    """The moment ``text`` names (aware, UTC); ``BadMoment`` if malformed or in the future."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    value = text.strip()
    try:
        if _DAY.fullmatch(value):
            day = dt.date.fromisoformat(value)
            if day == now.date():
                return now.replace(microsecond=0)  # "as of today": everything so far
            moment = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)
        else:
            parsed = dt.datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value)
            moment = parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    except ValueError:
        raise BadMoment(
            f"{option} must be a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DD HH:MM in UTC, or with an offset "
            f"such as 2022-12-15T10:02+02:00), not {text!r}"
        ) from None
    if moment > now:
        raise BadMoment(f"{option} {_shown(moment)} is in the future (it is now {_shown(now)})")
    return moment


def check_recorded(connection: Connection, moment: dt.datetime) -> None:
    """``BadMoment`` when nothing in the workspace was recorded at or before ``moment``."""
    (audited,) = connection.execute(sa.text("SELECT min(at) FROM audit")).one()
    if audited is not None and _aware(audited) <= moment:
        return  # the usual answer, from the index on ``at``: the claims' and links' times need a scan each
    first = first_record(connection)
    if first is None:
        raise BadMoment("nothing has been recorded in this workspace yet, so there is no earlier state to show")
    if moment < first:
        raise BadMoment(
            f"--as-of {_shown(moment)} is before anything was recorded in this workspace "
            f"(the first record is from {_shown(first)})"
        )


def first_record(connection: Connection) -> dt.datetime | None:
    """The earliest moment the workspace knows of: its first audit row, claim or link."""
    found = []
    for sql in ("SELECT min(at) FROM audit", "SELECT min(recorded) FROM claim", "SELECT min(recorded) FROM link"):
        value = connection.execute(sa.text(sql)).scalar()
        if value is not None:
            found.append(_aware(value))
    return min(found) if found else None


def _aware(value: object) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _shown(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)
