"""search keys: the claim full-text index gains a column of cross-script keys

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:00:00

SQLite: ``claim_fts`` is rebuilt with a third column, ``keys`` =
``cc_index_keys(claim.text)`` (``desktop.core.search.keys``: each word folded,
romanised and its spelling variants merged, so ``bakhmut``, ``Bachmut`` and
``Бахмут`` share a key; the keys that are the words themselves are left to the
folded text). FTS5 cannot add a column to a table, so the table and
its triggers are dropped and created again (``desktop.core.fts_keys_schema``),
and every claim indexed again in one statement: about a second per 100,000
claims. The migration registers the SQL functions on its own connection, as
0002 does.

PostgreSQL: nothing here. Its word index (migration 0009, ``search.documents``)
does not hold keys yet; it can, from the same ``search.keys.index_keys``.
"""

from __future__ import annotations

import sqlite3

from alembic import op

from desktop.core import fts_keys_schema, fts_schema
from desktop.core.sqlfunctions import register

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _rebuild(create: list[str], backfill: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    dbapi = bind.connection.driver_connection
    assert isinstance(dbapi, sqlite3.Connection)
    register(dbapi)
    for statement in fts_schema.SQLITE_DROP:
        op.execute(statement)
    for statement in create:
        op.execute(statement)
    op.execute(backfill)


def upgrade() -> None:
    _rebuild(fts_keys_schema.SQLITE_CREATE, fts_keys_schema.SQLITE_BACKFILL)


def downgrade() -> None:
    _rebuild(fts_schema.SQLITE_CREATE, fts_schema.SQLITE_BACKFILL)
