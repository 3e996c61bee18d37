"""audit link index: a claim's history by the links that end at it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 09:30:00

The window's history panel and ``crosscheck history --entity`` read, for one
claim, the audit rows of the links touching it. Link rows are keyed
``FROM->TO``: the ``FROM`` side is a range on ``ix_audit_entity``; the ``TO``
side needs this expression index on what follows the first ``->``
(``history.words.link_to_end`` spells the same expression, per dialect), so the
panel stays an index lookup at a million audited rows instead of a scan.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEX = "ix_audit_link_to"


def upgrade() -> None:
    find = "strpos(entity_id, '->')" if op.get_bind().dialect.name == "postgresql" else "instr(entity_id, '->')"
    op.execute(f"CREATE INDEX {INDEX} ON audit (entity, substr(entity_id, {find} + 2))")


def downgrade() -> None:
    op.execute(f"DROP INDEX {INDEX}")
