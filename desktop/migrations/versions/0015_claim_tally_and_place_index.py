"""SQLite keeps the number of claims; the index on claim_place.place_id, the head of a wider one, is dropped

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 18:30:00

SQLite: ``crosscheck_tally`` (name, value), as PostgreSQL has had since 0010,
with one row ``claims``, set here from the claims and kept by two row triggers
(insert: +1, delete: −1), so the table opens on the number without counting a
million index entries (2.5–4 ms of CPU at 1M claims, a sixth to a quarter of
the first paint). A row trigger costs about 1.35 µs per claim written; the bulk import, which
writes a hundred thousand at once, suspends the insert trigger and adds its
claims in one statement (``desktop.core.store.bulk_tally``). SQLite has no
statement triggers and fires no delete trigger for a row ``INSERT OR REPLACE``
replaces (recursive triggers are off): nothing in Crosscheck writes claims that
way, and ``crosscheck check`` reports a wrong count and its repair recounts.

Both back ends: ``ix_claim_place_place_id`` (``claim_place.place_id``) goes.
``ix_claim_place_place_claim`` (0008: place, claim) answers every lookup it did,
the foreign-key check when a place is deleted included, and it cost an import a
B-tree insertion per place of every claim.

``ix_claim_source_id`` stays, although ``ix_claim_source_status_sort`` (0003)
begins with the same column: it holds a source's claims in id order, which the
wider index does not (its id comes after status and date). Without it, at a
million claims, a rare word with a source filter is counted by walking every
claim of those sources (29.5 ms of CPU, against 0.7 ms probing source and id),
and the claims of one source sorted by source are sorted again (22 ms against
0.06 ms for the first page).

Dropping an index frees its pages (no table is rebuilt), and the count reads
one index: the 1M-claim bench workspace migrated in 17.5 s on the busy shared
machine, the copy of its 1.3 GB included; its PostgreSQL cluster, in place, in
3.1 s.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Created by 0001 from the model's index=True flag, which is gone.
_PLACE_INDEX = "ix_claim_place_place_id"

_SQLITE_TALLY = (
    "CREATE TABLE crosscheck_tally (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT INTO crosscheck_tally (name, value) SELECT 'claims', count(*) FROM claim",
    """
    CREATE TRIGGER claim_tally_insert AFTER INSERT ON claim BEGIN
        UPDATE crosscheck_tally SET value = value + 1 WHERE name = 'claims';
    END
    """,
    """
    CREATE TRIGGER claim_tally_delete AFTER DELETE ON claim BEGIN
        UPDATE crosscheck_tally SET value = value - 1 WHERE name = 'claims';
    END
    """,
)

_SQLITE_DROP_TALLY = (
    "DROP TRIGGER IF EXISTS claim_tally_delete",
    "DROP TRIGGER IF EXISTS claim_tally_insert",
    "DROP TABLE IF EXISTS crosscheck_tally",
)


def upgrade() -> None:
    op.drop_index(_PLACE_INDEX, table_name="claim_place")
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_TALLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_DROP_TALLY:
            op.execute(statement)
    op.create_index(_PLACE_INDEX, "claim_place", ["place_id"], unique=False)
