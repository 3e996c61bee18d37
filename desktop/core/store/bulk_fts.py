"""The full-text index of claims written by a bulk import in one statement (SQLite only).

Migration 0002 keeps ``claim_fts`` in sync with triggers. Its insert trigger runs
once per claim: ``cc_fold`` (a Python function) on the claim's text, and the
folded name and aliases of the claim's source, recomputed for every claim
(``json_each``, ``group_concat``, ``cc_fold``) although an import has a few
thousand sources for a hundred thousand claims. Measured at 100k claims: 2.7 s
for the claims with the trigger, against 0.5 s for the rows alone.

``insert_trigger_suspended`` drops that trigger for the duration of a bulk
insert of claims, then fills the index for the new claims with ONE
``INSERT … SELECT`` that folds each source's searchable name once, and recreates
the trigger from the very SQL the workspace stored for it. The index receives
exactly what the trigger would have written: the same expression (read from the
migration, see ``_migration_sql``) and the same ``cc_fold``. SQLite's DDL is
transactional, so if the import fails afterwards the rollback restores the
trigger with everything else; should anything fail inside the block the trigger
is recreated on the way out too.

The fast path is taken only when the stored trigger is migration 0002's, word
for word; a workspace whose trigger differs (a later migration) keeps its
trigger, and the caller inserts claims with it in place.
"""

from __future__ import annotations

import ast
import contextlib
import functools
from collections.abc import Iterator
from typing import Any, Final

from sqlalchemy.engine import Connection

from desktop.core.db import MIGRATIONS_DIR

TRIGGER: Final = "claim_fts_after_insert"
_MIGRATION: Final = MIGRATIONS_DIR / "versions" / "0002_claim_search.py"


@functools.cache
def _migration_sql() -> tuple[str, str] | None:
    """Migration 0002's insert trigger DDL (as SQLite stores it) and its source-text expression.

    Read from the migration file's own constants without importing it (that would
    load Alembic, ~0.2 s): its top-level string constants and the helper that
    builds them are evaluated on their own. None when the file no longer has them.
    """
    wanted = {"_SOURCE_TEXT", "SQLITE_CREATE", "_source_text_of"}
    try:
        tree = ast.parse(_MIGRATION.read_text(encoding="utf-8"))
        body: list[ast.stmt] = [
            node
            for node in tree.body
            if (isinstance(node, ast.FunctionDef) and node.name in wanted)
            or (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in wanted for t in node.targets))
        ]
        namespace: dict[str, Any] = {}
        exec(compile(ast.Module(body=body, type_ignores=[]), str(_MIGRATION), "exec"), namespace)  # noqa: S102
        source_text = namespace["_SOURCE_TEXT"]
        triggers = [s.strip() for s in namespace["SQLITE_CREATE"] if s.strip().startswith(f"CREATE TRIGGER {TRIGGER} ")]
    except (OSError, SyntaxError, KeyError, TypeError, NameError):
        return None
    if len(triggers) != 1 or not isinstance(source_text, str):
        return None
    return triggers[0], source_text


def _stored_trigger(connection: Connection) -> str | None:
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (TRIGGER,)
    ).scalar()
    return None if sql is None else str(sql)


@contextlib.contextmanager
def insert_trigger_suspended(connection: Connection) -> Iterator[bool]:
    """Inside: the claim insert trigger is dropped (yields True) or left alone (yields False).

    With True, every claim inserted inside the block (ids above the largest before
    it) is indexed on the way out, in one statement, and the trigger recreated.
    PostgreSQL has no index table: False, nothing done.
    """
    if connection.dialect.name != "sqlite":
        yield False
        return
    known = _migration_sql()
    stored = _stored_trigger(connection)
    if known is None or stored is None or stored != known[0]:
        yield False
        return
    after = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM main.claim").scalar_one()
    connection.exec_driver_sql(f"DROP TRIGGER main.{TRIGGER}")
    try:
        yield True
        _index_claims_after(connection, int(after), known[1])
    except BaseException:
        # The rollback that must follow restores the trigger anyway; this only covers a caller
        # that would catch the error and carry on in the same transaction.
        with contextlib.suppress(Exception):
            connection.exec_driver_sql(stored)
        raise
    connection.exec_driver_sql(stored)


def _index_claims_after(connection: Connection, after: int, source_text: str) -> None:
    """Index claims with ids above ``after`` as the trigger would: text and source folded by ``cc_fold``."""
    run = connection.exec_driver_sql
    run("CREATE TEMP TABLE bulk_source_text (id INTEGER PRIMARY KEY, folded TEXT)")
    try:
        # The migration's expression, once per source of the new claims (it names the source ``s``).
        run(
            f"INSERT INTO temp.bulk_source_text (id, folded) SELECT s.id, {source_text} FROM main.source AS s "
            "WHERE s.id IN (SELECT source_id FROM main.claim WHERE id > ?)",
            (after,),
        )
        # OR REPLACE and the NULL of a missing source, as in the trigger; in id order, as it would.
        #
        # FTS5's own settings are left alone. A larger ``hashsize`` (fewer, bigger segments) filled an
        # empty index in 0.5 s instead of 0.9 s at 100k claims, but the merges it saved came due at the
        # 15th claim written afterwards (0.3 s for one edit), and into the 1M-claim index it was slower.
        run(
            "INSERT OR REPLACE INTO main.claim_fts (rowid, body, source) "
            "SELECT c.id, cc_fold(c.text), t.folded FROM main.claim AS c "
            "LEFT JOIN temp.bulk_source_text AS t ON t.id = c.source_id WHERE c.id > ? ORDER BY c.id",
            (after,),
        )
    finally:
        run("DROP TABLE temp.bulk_source_text")
