"""SQL functions that every SQLite connection to a workspace must have.

The full-text index (migration 0002) is kept in sync by triggers that fold text
with ``cc_fold`` — the Python ``text.fold`` — because SQLite's own
``remove_diacritics`` folds Latin only, and "Артёмовск" must meet "Артемовск".
A trigger that calls an unregistered function fails the statement that fired it,
so a connection without ``register`` cannot write claims or sources: register on
every connection (``db.make_engine`` does, in its ``connect`` event).

On PostgreSQL the same name is a SQL function created by migration 0002.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from desktop.core.text import fold

FOLD_FUNCTION = "cc_fold"


def sql_fold(value: Any) -> str | None:
    """``text.fold`` as SQLite calls it: NULL stays NULL, and it never raises.

    An exception in a user function aborts the statement with an opaque message,
    so odd input (a number, a blob) is folded as its text instead.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    return fold(value)


def register(dbapi_connection: sqlite3.Connection) -> None:
    """Register Crosscheck's SQL functions on one SQLite DB-API connection (idempotent).

    ``deterministic=True`` lets SQLite use the function in indexes and generated
    columns and factor constant calls out of loops.
    """
    dbapi_connection.create_function(FOLD_FUNCTION, 1, sql_fold, deterministic=True)
