"""directed neutral: re-derive every claim's status

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 08:40:00

Rule 4 of the status rules (docs/status-rules.md) changed: a ``neutral`` link is evidence on its ``to`` claim
only. Statuses stored by an older Crosscheck counted it on both ends (the think
tank's own "we neither confirm nor deny" turned ``unconfirmed`` too), so every
claim's derived columns are recomputed here, with the rules of the code that
runs the migration. Nothing the analysts entered changes, so nothing is
audited. A workspace whose statuses were written by an older version without
this migration (``crosscheck check`` lists them as stale) is put right the same
way.

A full derivation: about 10 s at a million claims.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    import sqlalchemy as sa

    from desktop.core.store import status

    # The derivation of the code running this reads the link flags migration 0006 adds; on the way
    # up to it, 0006 re-derives every status instead (with the directed rule too).
    if "effective" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("link")}:
        return
    status.rederive_all(op.get_bind())


def downgrade() -> None:
    pass  # the older rule's statuses are not worth reproducing: an older version's check lists them as stale
