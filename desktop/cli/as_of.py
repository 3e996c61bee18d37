"""``--as-of T`` for the commands that take it: the moment checked, the workspace replayed, a cut-short trail told."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from desktop.cli.base import PROG

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from desktop.core.history import AsOf
    from desktop.core.history.scratch import Replayed

AS_OF_HELP = (
    "the workspace as it stood at this moment, replayed from the audit trail (later edits, links, unlinks "
    "and deletions undone; claims and links recorded later left out). A timestamp (2022-12-15T12:00:00Z, "
    "+02:00 offsets; no zone = UTC) or a date, meaning the END of that day in UTC (today: now)"
)


def moment(text: str | None) -> dt.datetime | None:
    """``--as-of``'s moment, read before anything is opened (a malformed one changes nothing)."""
    from desktop.core.history import parse_moment

    return None if text is None else parse_moment(text)


def replay_as_of(engine: Engine, moment: dt.datetime) -> AsOf:
    """The workspace as of ``moment``; ``BadMoment`` (one line) when nothing was recorded by then.

    A trail cut short by an older version is replayed as far as it goes, and said so in one line on stderr.
    """
    from desktop.core.history import as_of, check_recorded

    with engine.connect() as connection:
        check_recorded(connection, moment)
    replayed = as_of(engine, moment)
    warning = replayed.warning()
    if warning:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    return replayed


def patched_as_of(engine: Engine, moment: dt.datetime) -> Replayed | None:
    """On SQLite, the workspace as of ``moment`` in a read-only copy patched back to it (close it).

    None on PostgreSQL or where a trail cut short keeps the copy from being patched exactly: the caller
    then replays the document (``replay_as_of``, which tells what the trail could not say).
    """
    from desktop.core.history.scratch import patched_copy

    return patched_copy(engine, moment)


def copy_as_of(engine: Engine, moment: dt.datetime) -> Replayed:
    """The workspace as of ``moment`` in a read-only scratch workspace (close it); as ``replay_as_of`` otherwise.

    On SQLite a copy patched back to the moment (``history.patch``): its cost follows the changes since.
    """
    from desktop.core.history.scratch import replay_into_scratch

    replayed = replay_into_scratch(engine, moment)
    warning = replayed.as_of.warning()
    if warning:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    return replayed
