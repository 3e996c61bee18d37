"""claim search: full-text index over folded claim text and source names

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:00:00

SQLite: an FTS5 table ``claim_fts`` (rowid = claim.id) with two columns,

- ``body``: ``cc_fold(claim.text)``,
- ``source``: ``cc_fold`` of the claim's source name and aliases, so a free word
  finds what a source *says* and what it *is called*, while a phrase never spans
  the two (FTS5 phrases stay inside one column),

kept in sync by triggers on ``claim`` and ``source``. It stores its own copy of the
folded text (a regular FTS5 table, not contentless or external-content): deleting
a row from a contentless or external-content index needs the exact values that
were indexed, and a fold that changed in between (a newer Python's Unicode data,
a source renamed by a tool without the triggers) would silently corrupt it. A
regular table deletes by rowid, can be checked (``integrity-check``) and rebuilt.
``columnsize=0``: the table is ordered by date, never by rank, so per-row token
counts (bm25's input) are not worth storing.

The SQL itself lives in ``desktop.core.fts_schema`` (the bulk import reuses it).
The triggers call ``cc_fold``, registered on every connection by
``desktop.core.sqlfunctions.register``; this migration registers it on its own
connection so it can backfill existing claims.

PostgreSQL: no index table; ``cc_fold`` is created as an IMMUTABLE SQL function
(NFKD, combining marks removed, NFC, lower) so ``desktop.core.search`` can compare
``cc_fold(claim.text)`` with folded search words there, and a later migration can
put a trigram or tsvector index on that very expression without touching search.
"""

from __future__ import annotations

import sqlite3

from alembic import op

from desktop.core.fts_schema import POSTGRES_CREATE, POSTGRES_DROP, SQLITE_BACKFILL, SQLITE_CREATE, SQLITE_DROP
from desktop.core.sqlfunctions import register

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        dbapi = bind.connection.driver_connection
        assert isinstance(dbapi, sqlite3.Connection)
        register(dbapi)
        for statement in SQLITE_CREATE:
            op.execute(statement)
        op.execute(SQLITE_BACKFILL)
    elif bind.dialect.name == "postgresql":
        op.execute(POSTGRES_CREATE)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(POSTGRES_DROP)
