"""What the claim table reads first at a reset: the audit trail's end, and the first screenful of a view.

On SQLite these go straight through ``sqlite3``: the audit trail's end on the driver, and
the view a workspace opens on (every claim, newest first) by the fixed statements of
``core.read.first_screen``; any other view, and PostgreSQL, through ``paging``.
"""

from __future__ import annotations

import sqlite3
from typing import Final

from sqlalchemy.engine import Connection

from desktop.core.read import paging
from desktop.core.read.first_screen import first_rows
from desktop.core.read.prepared import driver
from desktop.core.read.rows import ClaimRow, View

LAST_AUDIT: Final = "SELECT coalesce(max(id), 0) FROM audit"


def last_audit(connection: Connection) -> int:
    """The audit trail's last row id (0: none), in ``connection``'s transaction; straight through ``sqlite3`` there."""
    raw = driver(connection)
    if raw is not None:
        return int(raw.execute(LAST_AUDIT).fetchone()[0])
    return int(connection.exec_driver_sql(LAST_AUDIT).scalar_one())


def opening_driver(connection: Connection, view: View) -> sqlite3.Connection | None:
    """The driver's connection when ``view`` is what a SQLite workspace opens on (every claim, newest first).

    That view's count and first screen are two fixed statements (``core.read.first_screen``), run
    straight through ``sqlite3``: on every open, no statement is built and no result rows wrapped.
    """
    opening = view.where is None and view.count_where is None and view.sort == "date" and view.descending
    if not opening or connection.dialect.name != "sqlite":
        return None
    raw = connection.connection.driver_connection
    return raw if isinstance(raw, sqlite3.Connection) else None


def first_screenful(connection: Connection, view: View, rows: int) -> list[ClaimRow]:
    """The first ``rows`` rows of ``view``."""
    raw = opening_driver(connection, view)
    if raw is not None:
        return first_rows(raw, rows)
    return paging.fetch_after(connection, view, None, rows)
