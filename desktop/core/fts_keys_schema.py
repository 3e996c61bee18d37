"""The SQL of the claim full-text index with cross-script keys (migration 0011).

Migration 0011 replaces migration 0002's ``claim_fts`` (``desktop.core.fts_schema``)
with the same index plus a third column, ``keys``: ``cc_index_keys(claim.text)``,
the words' cross-script search keys where they differ from the words
(``desktop.core.search.keys``), so a search for ``bakhmut`` also finds ``Бахмут``
and ``Bachmut``. Body and source columns,
tokenizer, prefixes and triggers are 0002's otherwise; the source-rename and
delete triggers are 0002's word for word.

Read by the migration, by the bulk import (``desktop.core.store.bulk_fts``,
which recognises the insert trigger stored by comparing it with
``SQLITE_CREATE`` word for word and indexes many claims in one statement with
``INDEX_COLUMNS``) and by the integrity check. Frozen with migration 0011, as
``fts_schema`` is with 0002: a change is a new migration.
"""

from __future__ import annotations

from typing import Final

from desktop.core import fts_schema
from desktop.core.fts_schema import INSERT_TRIGGER, source_text_of

# What each indexed column holds for claim row ``c`` (``{source}``: its source's folded name and aliases).
BODY: Final = "cc_fold({claim}.text)"
KEYS: Final = "cc_index_keys({claim}.text)"


def _values(claim: str) -> str:
    return f"{claim}.id, {BODY.format(claim=claim)}, {source_text_of(f'{claim}.source_id')}, {KEYS.format(claim=claim)}"


SQLITE_CREATE: Final = [
    # As 0002's table, with the keys column.
    """
    CREATE VIRTUAL TABLE claim_fts USING fts5(
        body, source, keys,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3',
        columnsize = 0
    )
    """,
    f"""
    CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON claim BEGIN
        INSERT OR REPLACE INTO claim_fts (rowid, body, source, keys)
        VALUES ({_values("NEW")});
    END
    """,
    f"""
    CREATE TRIGGER claim_fts_after_update AFTER UPDATE OF id, text, source_id ON claim
    WHEN OLD.id IS NOT NEW.id OR OLD.text IS NOT NEW.text OR OLD.source_id IS NOT NEW.source_id
    BEGIN
        DELETE FROM claim_fts WHERE rowid = OLD.id;
        INSERT OR REPLACE INTO claim_fts (rowid, body, source, keys)
        VALUES ({_values("NEW")});
    END
    """,
    *(statement for statement in fts_schema.SQLITE_CREATE if "claim_fts_after_delete" in statement),
    *(statement for statement in fts_schema.SQLITE_CREATE if "claim_fts_after_source_update" in statement),
]

SQLITE_BACKFILL: Final = f"INSERT INTO claim_fts (rowid, body, source, keys) SELECT {_values('c')} FROM claim AS c"

# The same four triggers and the table: 0002's drop statements drop 0011's too.
SQLITE_DROP: Final = fts_schema.SQLITE_DROP
