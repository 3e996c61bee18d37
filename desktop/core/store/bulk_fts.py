"""The full-text index of claims written by a bulk import in one statement (SQLite only).

Migrations 0002 and 0011 keep ``claim_fts`` in sync with triggers. The insert trigger
runs once per claim: ``cc_fold`` and ``cc_index_keys`` (Python functions) on the claim's text, and the
folded name and aliases of the claim's source, recomputed for every claim
(``json_each``, ``group_concat``, ``cc_fold``) although an import has a few
thousand sources for a hundred thousand claims. Measured at 100k claims: 2.7 s
for the claims with the trigger, against 0.5 s for the rows alone.

``insert_trigger_suspended`` drops that trigger for the duration of a bulk
insert of claims, then fills the index for the new claims with ONE
``INSERT … SELECT`` that folds each source's searchable name once, and recreates
the trigger from the very SQL the workspace stored for it. The index receives
exactly what the trigger would have written: the same expressions (the ones
migration 0011 executed, from ``desktop.core.fts_keys_schema``) and the same functions. SQLite's DDL is
transactional, so if the import fails afterwards the rollback restores the
trigger with everything else; should anything fail inside the block the trigger
is recreated on the way out too.

The fast path is taken only when the stored trigger is migration 0011's, word
for word; a workspace whose trigger differs (a later migration) keeps its
trigger, and the caller inserts claims with it in place.

**Indexing after the commit** (``defer_index=True``, the window's import): the
new claims are not indexed inside the import's transaction at all. The lowest
new claim id is written to the SQLite header's ``user_version`` field — "claims
from this id on may be missing from the index" (0: none) — in the same
transaction, so the mark and the claims commit or roll back together, and
``desktop.core.store.search_index.index_pending`` indexes them afterwards in
short transactions of their own (the window meanwhile usable, its searches
saying the index is being built). Indexing a claim twice is harmless (``OR
REPLACE``), so claims written one at a time in between need no bookkeeping.
``user_version`` is SQLite's integer for the application's own use; nothing
else in Crosscheck or Alembic uses it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Final

from sqlalchemy.engine import Connection

from desktop.core.fts_keys_schema import BODY, KEYS, SQLITE_CREATE
from desktop.core.fts_schema import INSERT_TRIGGER, SOURCE_TEXT
from desktop.core.read.prepared import driver

TRIGGER: Final = INSERT_TRIGGER


@functools.cache
def _known_trigger() -> tuple[str, str] | None:
    """Migration 0011's insert trigger DDL (as SQLite stores it) and its source-text expression."""
    triggers = [s.strip() for s in SQLITE_CREATE if s.strip().startswith(f"CREATE TRIGGER {TRIGGER} ")]
    return (triggers[0], SOURCE_TEXT) if len(triggers) == 1 else None


def _stored_trigger(connection: Connection) -> str | None:
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (TRIGGER,)
    ).scalar()
    return None if sql is None else str(sql)


def pending_from(connection: Connection) -> int:
    """The lowest claim id that may be missing from the search index; 0 when every claim is indexed."""
    raw = driver(connection)  # (in the transaction: a search checks it in its snapshot, at every new filter)
    if raw is None:
        return 0
    return int(raw.execute("PRAGMA main.user_version").fetchone()[0])


def set_pending_from(connection: Connection, first: int) -> None:
    """Record (inside the caller's transaction) that claims from id ``first`` on may wait for the index."""
    connection.exec_driver_sql(f"PRAGMA main.user_version = {int(first)}")


@contextlib.contextmanager
def insert_trigger_suspended(connection: Connection, *, defer_index: bool = False) -> Iterator[bool]:
    """Inside: the claim insert trigger is dropped (yields True) or left alone (yields False).

    With True, every claim inserted inside the block (ids above the largest before
    it) is indexed on the way out, in one statement, and the trigger recreated;
    with ``defer_index`` they are marked as waiting for the index instead (see the
    module docstring). PostgreSQL has no index table: False, nothing done.
    """
    if connection.dialect.name != "sqlite":
        yield False
        return
    known = _known_trigger()
    stored = _stored_trigger(connection)
    if known is None or stored is None or stored != known[0]:
        yield False
        return
    after = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM main.claim").scalar_one()
    connection.exec_driver_sql(f"DROP TRIGGER main.{TRIGGER}")
    try:
        yield True
        if not defer_index:
            _index_claims_after(connection, int(after), known[1])
        elif (connection.exec_driver_sql("SELECT max(id) FROM main.claim").scalar_one() or 0) > after:
            waiting = pending_from(connection)
            set_pending_from(connection, min(waiting, int(after) + 1) if waiting else int(after) + 1)
    except BaseException:
        # The rollback that must follow restores the trigger anyway; this only covers a caller
        # that would catch the error and carry on in the same transaction.
        with contextlib.suppress(Exception):
            connection.exec_driver_sql(stored)
        raise
    connection.exec_driver_sql(stored)


def _index_claims_after(connection: Connection, after: int, source_text: str, upto: int | None = None) -> None:
    """Index claims with ids above ``after`` (up to ``upto``, if given) as the trigger would: text and source
    folded, the text's keys."""
    run = connection.exec_driver_sql
    bounds = "c.id > ?" if upto is None else "c.id > ? AND c.id <= ?"
    values = (after,) if upto is None else (after, upto)
    run("CREATE TEMP TABLE bulk_source_text (id INTEGER PRIMARY KEY, folded TEXT)")
    try:
        # The migration's expression, once per source of the new claims (it names the source ``s``).
        run(
            f"INSERT INTO temp.bulk_source_text (id, folded) SELECT s.id, {source_text} FROM main.source AS s "
            f"WHERE s.id IN (SELECT c.source_id FROM main.claim AS c WHERE {bounds})",
            values,
        )
        # OR REPLACE and the NULL of a missing source, as in the trigger; in id order, as it would.
        #
        # FTS5's own settings are left alone. A larger ``hashsize`` (fewer, bigger segments) filled an
        # empty index in 0.5 s instead of 0.9 s at 100k claims, but the merges it saved came due at the
        # 15th claim written afterwards (0.3 s for one edit), and into the 1M-claim index it was slower.
        run(
            "INSERT OR REPLACE INTO main.claim_fts (rowid, body, source, keys) "
            f"SELECT c.id, {BODY.format(claim='c')}, t.folded, {KEYS.format(claim='c')} FROM main.claim AS c "
            f"LEFT JOIN temp.bulk_source_text AS t ON t.id = c.source_id WHERE {bounds} ORDER BY c.id",
            values,
        )
    finally:
        run("DROP TABLE temp.bulk_source_text")
