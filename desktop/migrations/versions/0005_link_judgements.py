"""link judgements: one link per analyst and pair, with the pair's effective and disputed flags

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 08:40:00

DESIGN §2 (version 2 of the contract): a link is one analyst's judgement, and
several analysts may judge the same pair. The unique key of ``link`` becomes
``(from_id, to_id, analyst)``; ``effective`` marks the judgement the derivation
reads and ``disputed`` the pairs on which analysts disagree.

Every existing link is kept as its analyst's judgement. Until now a pair carried
one link, so each is its pair's effective link and nobody disagrees: the new
columns start true and false. Every status is then re-derived once, which also
does migration 0004's work (directed neutral) when the workspace comes from
before it: 0004 leaves it here, as its derivation reads these columns.

On SQLite the table is rebuilt (its old unique constraint has no name to drop);
on PostgreSQL the constraint is swapped in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW_KEY = "uq_link_pair_analyst"


def _link_table(unique: sa.UniqueConstraint) -> sa.Table:
    """The link table as migration 0001 made it, with ``unique`` as its key (batch mode copies from it)."""
    return sa.Table(
        "link",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.Column("relation", sqltypes.AutoString(), nullable=False),
        sa.Column("rationale", sqltypes.AutoString(), nullable=False),
        sa.Column("analyst", sqltypes.AutoString(), nullable=False),
        sa.Column("recorded", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["from_id"], ["claim.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_id"], ["claim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        unique,
        sa.Index("ix_link_to_id", "to_id"),
    )


def _flags() -> list[sa.Column[bool]]:
    return [
        sa.Column("effective", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("disputed", sa.Boolean(), nullable=False, server_default=sa.false()),
    ]


def upgrade() -> None:
    from desktop.core.store import status

    if op.get_bind().dialect.name == "sqlite":
        new_key = sa.UniqueConstraint("from_id", "to_id", "analyst", name=NEW_KEY)
        with op.batch_alter_table("link", copy_from=_link_table(new_key), recreate="always") as batch_op:
            for column in _flags():
                batch_op.add_column(column)
    else:
        op.drop_constraint("link_from_id_to_id_key", "link", type_="unique")
        op.create_unique_constraint(NEW_KEY, "link", ["from_id", "to_id", "analyst"])
        for column in _flags():
            op.add_column("link", column)
    status.rederive_all(op.get_bind())


def downgrade() -> None:
    # Only the effective judgement of each pair survives a downgrade: the old schema holds one per pair.
    op.execute("DELETE FROM link WHERE NOT effective")
    if op.get_bind().dialect.name == "sqlite":
        old_key = sa.UniqueConstraint("from_id", "to_id")
        table = _link_table(old_key)
        for column in _flags():
            table.append_column(column)
        with op.batch_alter_table("link", copy_from=table, recreate="always") as batch_op:
            batch_op.drop_column("effective")
            batch_op.drop_column("disputed")
        return
    op.drop_column("link", "disputed")
    op.drop_column("link", "effective")
    op.drop_constraint(NEW_KEY, "link", type_="unique")
    op.create_unique_constraint("link_from_id_to_id_key", "link", ["from_id", "to_id"])
