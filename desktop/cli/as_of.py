"""``--as-of T`` for the commands that take it: the moment checked, the workspace replayed, a cut-short trail told."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Final

from desktop.cli.base import PROG

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

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


#: Past this many audit rows after the moment per claim, ``status``/``export --as-of`` replay the document
#: rather than patch a copy: both read every claim afterwards, and the copy's cost grows with the changes
#: while the document's follows the workspace. Measured in one run at 1M claims with 100k changes since
#: (220k audit rows): status 66.6 s CPU by the copy against 55.6 by the document, the JSON export 46.4
#: against 36.8; the copy itself is 2 s plus about 0.2 ms a change, so they break even near 45k changes.
_COPY_UP_TO_ROWS_PER_CLAIM: Final = 0.05
_COPY_UP_TO_ROWS_AT_LEAST: Final = 10_000  # a small workspace: either way is quick, the copy is exact too


def patched_as_of(engine: Engine, moment: dt.datetime) -> Replayed | None:
    """On SQLite, the workspace as of ``moment`` in a read-only copy patched back to it (close it), when the
    changes since are few enough for the copy to be the cheaper way (``_COPY_UP_TO_ROWS_PER_CLAIM``).

    None otherwise, on PostgreSQL, or where a trail cut short keeps the copy from being patched exactly: the
    caller then replays the document (``replay_as_of``, which tells what the trail could not say). Either
    way the answer is the same, byte for byte (tests/core/test_history_replay.py).
    """
    from desktop.core.history import check_recorded
    from desktop.core.history.scratch import patched_copy

    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as connection:
        check_recorded(connection, moment)
        limit = max(_COPY_UP_TO_ROWS_AT_LEAST, _claims(connection) * _COPY_UP_TO_ROWS_PER_CLAIM)
        if _changed_rows(connection, moment) > limit:
            return None
    return patched_copy(engine, moment)


def _changed_rows(connection: Connection, moment: dt.datetime) -> int:
    import sqlalchemy as sa

    from desktop.core.db import table_of
    from desktop.core.schema import AuditEntry

    audit = table_of(AuditEntry)
    return int(connection.execute(sa.select(sa.func.count()).where(audit.c.at > moment)).scalar_one())


def _claims(connection: Connection) -> int:
    return int(connection.exec_driver_sql("SELECT count(*) FROM claim").scalar_one())


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
