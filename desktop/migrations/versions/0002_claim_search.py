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

from desktop.core.sqlfunctions import register

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The folded searchable name of source row ``s``: name and aliases. json_each
# decodes the \\uXXXX escapes the JSON column is stored with; json_valid keeps a
# damaged aliases value from failing every write to its claims.
_SOURCE_TEXT = (
    "cc_fold(s.name || ' ' || coalesce((SELECT group_concat(a.value, ' ') FROM json_each("
    "CASE WHEN json_valid(s.aliases) THEN s.aliases ELSE '[]' END) AS a), ''))"
)


def _source_text_of(source_id: str) -> str:
    return f"(SELECT {_SOURCE_TEXT} FROM source AS s WHERE s.id = {source_id})"


SQLITE_CREATE = [
    # prefix='2 3': the last word of a query is a prefix; short prefixes of common
    # words otherwise merge thousands of doclists per keystroke.
    """
    CREATE VIRTUAL TABLE claim_fts USING fts5(
        body, source,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3',
        columnsize = 0
    )
    """,
    # OR REPLACE: a claim row removed by INSERT OR REPLACE does not fire the delete
    # trigger (recursive_triggers is off), so its id may already have a stale row.
    f"""
    CREATE TRIGGER claim_fts_after_insert AFTER INSERT ON claim BEGIN
        INSERT OR REPLACE INTO claim_fts (rowid, body, source)
        VALUES (NEW.id, cc_fold(NEW.text), {_source_text_of("NEW.source_id")});
    END
    """,
    f"""
    CREATE TRIGGER claim_fts_after_update AFTER UPDATE OF id, text, source_id ON claim
    WHEN OLD.id IS NOT NEW.id OR OLD.text IS NOT NEW.text OR OLD.source_id IS NOT NEW.source_id
    BEGIN
        DELETE FROM claim_fts WHERE rowid = OLD.id;
        INSERT OR REPLACE INTO claim_fts (rowid, body, source)
        VALUES (NEW.id, cc_fold(NEW.text), {_source_text_of("NEW.source_id")});
    END
    """,
    """
    CREATE TRIGGER claim_fts_after_delete AFTER DELETE ON claim BEGIN
        DELETE FROM claim_fts WHERE rowid = OLD.id;
    END
    """,
    f"""
    CREATE TRIGGER claim_fts_after_source_update AFTER UPDATE OF name, aliases ON source
    WHEN OLD.name IS NOT NEW.name OR OLD.aliases IS NOT NEW.aliases
    BEGIN
        UPDATE claim_fts SET source = {_source_text_of("NEW.id")}
        WHERE rowid IN (SELECT id FROM claim WHERE source_id = NEW.id);
    END
    """,
]

SQLITE_BACKFILL = f"""
    INSERT INTO claim_fts (rowid, body, source)
    SELECT c.id, cc_fold(c.text), {_source_text_of("c.source_id")} FROM claim AS c
"""

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claim_fts_after_source_update",
    "DROP TRIGGER IF EXISTS claim_fts_after_delete",
    "DROP TRIGGER IF EXISTS claim_fts_after_update",
    "DROP TRIGGER IF EXISTS claim_fts_after_insert",
    "DROP TABLE IF EXISTS claim_fts",
]

# Mirrors text.fold: Python removes every mark with a non-zero combining class;
# these blocks hold nearly all of them (Latin, Greek and Cyrillic diacritics
# among them: ё = е + U+0308, й = и + U+0306).
POSTGRES_CREATE = r"""
    CREATE OR REPLACE FUNCTION cc_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
        SELECT lower(normalize(regexp_replace(normalize(value, NFKD),
            '[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'), NFC))
    $$
"""

POSTGRES_DROP = "DROP FUNCTION IF EXISTS cc_fold(text)"


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
