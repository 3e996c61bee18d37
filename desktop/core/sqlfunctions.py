"""SQL functions that every SQLite connection to a workspace must have.

The full-text index (migration 0002) is kept in sync by triggers that fold text
with ``cc_fold`` — the Python ``text.fold`` — because SQLite's own
``remove_diacritics`` folds Latin only, and "Артёмовск" must meet "Артемовск".
A trigger that calls an unregistered function fails the statement that fired it,
so a connection without ``register`` cannot write claims or sources: register on
every connection (``db.make_engine`` does, in its ``connect`` event).

On PostgreSQL the same name is a SQL function created by migration 0002.

``cc_index_keys`` (migration 0011) is ``desktop.core.search.keys.index_keys``:
the cross-script keys of a claim's text, stored in the index's ``keys`` column.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from desktop.core.text import fold

FOLD_FUNCTION = "cc_fold"
INDEX_KEYS_FUNCTION = "cc_index_keys"


def _as_text(value: Any) -> str | None:
    # An exception in a user function aborts the statement with an opaque message,
    # so odd input (a number, a blob) is taken as its text instead.
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def sql_fold(value: Any) -> str | None:
    """``text.fold`` as SQLite calls it: NULL stays NULL, and it never raises."""
    text = _as_text(value)
    return None if text is None else fold(text)


def sql_index_keys(value: Any) -> str | None:
    """``search.keys.index_keys`` as SQLite calls it: NULL stays NULL, and it never raises (see ``sql_fold``)."""
    # Imported here: desktop.core.search imports this module (FOLD_FUNCTION) on its way in.
    from desktop.core.search.keys import index_keys

    text = _as_text(value)
    return None if text is None else index_keys(text)


def register(dbapi_connection: sqlite3.Connection) -> None:
    """Register Crosscheck's SQL functions on one SQLite DB-API connection (idempotent).

    ``deterministic=True`` lets SQLite use the function in indexes and generated
    columns and factor constant calls out of loops.
    """
    dbapi_connection.create_function(FOLD_FUNCTION, 1, sql_fold, deterministic=True)
    dbapi_connection.create_function(INDEX_KEYS_FUNCTION, 1, sql_index_keys, deterministic=True)
