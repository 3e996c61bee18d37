"""The SQL of the claim full-text index (migration 0002): FTS5 table, triggers, backfill, ``cc_fold``.

Migration 0002 executes these statements, and the bulk import
(``desktop.core.store.bulk_fts``) recognises the insert trigger a workspace
stored by comparing it with ``SQLITE_CREATE`` word for word and reuses
``SOURCE_TEXT`` to index many claims in one statement. One definition, read by
both — not parsed out of the migration file.

Frozen with migration 0002: a workspace migrated once keeps this SQL. A change
to the index is a new migration with SQL of its own (and, if the bulk path
should know it, a new ``KNOWN`` entry there), never an edit here.
"""

from __future__ import annotations

from typing import Final

# The folded searchable name of source row ``s``: name and aliases. json_each
# decodes the \\uXXXX escapes the JSON column is stored with; json_valid keeps a
# damaged aliases value from failing every write to its claims.
SOURCE_TEXT: Final = (
    "cc_fold(s.name || ' ' || coalesce((SELECT group_concat(a.value, ' ') FROM json_each("
    "CASE WHEN json_valid(s.aliases) THEN s.aliases ELSE '[]' END) AS a), ''))"
)


def source_text_of(source_id: str) -> str:
    return f"(SELECT {SOURCE_TEXT} FROM source AS s WHERE s.id = {source_id})"


SQLITE_CREATE: Final = [
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
        VALUES (NEW.id, cc_fold(NEW.text), {source_text_of("NEW.source_id")});
    END
    """,
    f"""
    CREATE TRIGGER claim_fts_after_update AFTER UPDATE OF id, text, source_id ON claim
    WHEN OLD.id IS NOT NEW.id OR OLD.text IS NOT NEW.text OR OLD.source_id IS NOT NEW.source_id
    BEGIN
        DELETE FROM claim_fts WHERE rowid = OLD.id;
        INSERT OR REPLACE INTO claim_fts (rowid, body, source)
        VALUES (NEW.id, cc_fold(NEW.text), {source_text_of("NEW.source_id")});
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
        UPDATE claim_fts SET source = {source_text_of("NEW.id")}
        WHERE rowid IN (SELECT id FROM claim WHERE source_id = NEW.id);
    END
    """,
]

SQLITE_BACKFILL: Final = f"""
    INSERT INTO claim_fts (rowid, body, source)
    SELECT c.id, cc_fold(c.text), {source_text_of("c.source_id")} FROM claim AS c
"""

SQLITE_DROP: Final = [
    "DROP TRIGGER IF EXISTS claim_fts_after_source_update",
    "DROP TRIGGER IF EXISTS claim_fts_after_delete",
    "DROP TRIGGER IF EXISTS claim_fts_after_update",
    "DROP TRIGGER IF EXISTS claim_fts_after_insert",
    "DROP TABLE IF EXISTS claim_fts",
]

# Mirrors text.fold: Python removes every mark with a non-zero combining class;
# these blocks hold nearly all of them (Latin, Greek and Cyrillic diacritics
# among them: ё = е + U+0308, й = и + U+0306).
POSTGRES_CREATE: Final = r"""
    CREATE OR REPLACE FUNCTION cc_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
        SELECT lower(normalize(regexp_replace(normalize(value, NFKD),
            '[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'), NFC))
    $$
"""

POSTGRES_DROP: Final = "DROP FUNCTION IF EXISTS cc_fold(text)"

INSERT_TRIGGER: Final = "claim_fts_after_insert"
