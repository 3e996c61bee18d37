"""Building the search index of claims an import left for later (SQLite), a batch at a time.

Why (README, Performance): at a hundred thousand claims SQLite's full-text index
— folded text, cross-script keys, prefix indexes — costs more than the rest of
an import put together. The window's import therefore commits its claims
without indexing them (``bulk_fts``: ``defer_index``); the table, filters on
fields, statuses and every edit work at once, and only a search for words
misses the new claims until ``index_pending`` has run, which the window does in
the background straight after the import (and on opening a workspace an
earlier session left half-indexed); its filter bar says so meanwhile. The
command line finishes the index before any command runs (``cli.base``).

Each batch is one short write transaction (``BATCH`` claims, a fraction of a
second), so the window's own writes wait at most that long; the batch indexes
claims exactly as the insert trigger would (``bulk_fts._index_claims_after``)
and moves the mark past them in the same transaction, so an interruption loses
nothing: the next call carries on where the last commit left off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from sqlalchemy.engine import Connection, Engine

from desktop.core.db import write_connection
from desktop.core.store.bulk_fts import _index_claims_after, _known_trigger, pending_from, set_pending_from

BATCH: Final = 20_000


def waiting_claims(connection: Connection) -> int:
    """How many claims may still be missing from the search index (0: none; always 0 on PostgreSQL)."""
    first = pending_from(connection)
    if not first:
        return 0
    return int(connection.exec_driver_sql("SELECT count(*) FROM main.claim WHERE id >= ?", (first,)).scalar_one())


def index_pending(engine: Engine, *, batch: int = BATCH, progress: Callable[[int], None] | None = None) -> int:
    """Index every claim waiting for the search index, ``batch`` claims per transaction; how many were indexed.

    ``progress`` hears, after each batch, how many claims still wait.
    """
    if engine.dialect.name != "sqlite":
        return 0
    known = _known_trigger()
    done = 0
    while True:
        with write_connection(engine) as connection:
            first = pending_from(connection)
            if not first:
                return done
            if known is None:  # cannot happen: only the known trigger's fast path defers
                raise RuntimeError("claims wait for a search index whose schema this version does not know")
            ids = connection.exec_driver_sql(
                "SELECT id FROM main.claim WHERE id >= ? ORDER BY id LIMIT ?", (first, batch)
            ).scalars()
            chunk = list(ids)
            if chunk:
                _index_claims_after(connection, first - 1, known[1], upto=chunk[-1])
                done += len(chunk)
            following = None if len(chunk) < batch else chunk[-1] + 1
            set_pending_from(connection, following or 0)
            left = 0 if following is None else waiting_claims(connection)
        if progress is not None:
            progress(left)
