"""capture fields: claim quote span, report retrieved/sha256, outreach by

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 08:30:00

- ``claim.quote_start`` / ``claim.quote_end``: the span of the report's text a
  claim was taken from (code points, end exclusive; DESIGN §1, §3);
- ``report.retrieved`` (when the text was captured) and ``report.sha256`` (of
  its text, UTF-8): chain of custody;
- ``dismissed_suggestion``: pairs of claims the analyst said are not related,
  so the similar-claim suggestions never offer them again;
- ``ix_claim_place_place_claim``: a place's newest claims without a sort;
- ``outreach.by_source_id``: who asked for comment (a source), or NULL for this
  team. Deleting a source that asked is refused by the store, as for claims.

All nullable, added in place (``ADD COLUMN``): no table is rebuilt, so a
million-claim workspace migrates in moments. Existing reports get their
``sha256`` computed here, so every stored text has one.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claim", sa.Column("quote_start", sa.Integer(), nullable=True))
    op.add_column("claim", sa.Column("quote_end", sa.Integer(), nullable=True))
    op.add_column("report", sa.Column("retrieved", sqltypes.UTCDateTime(), nullable=True))
    op.add_column("report", sa.Column("sha256", sqltypes.AutoString(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # Alembic will not add a constrained column on SQLite, but SQLite itself will (default NULL).
        op.execute("ALTER TABLE outreach ADD COLUMN by_source_id INTEGER REFERENCES source (id) ON DELETE RESTRICT")
    else:
        op.add_column("outreach", sa.Column("by_source_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "outreach_by_source_id_fkey", "outreach", "source", ["by_source_id"], ["id"], ondelete="RESTRICT"
        )
    op.create_index("ix_outreach_by_source_id", "outreach", ["by_source_id"], unique=False)
    op.create_table(
        "dismissed_suggestion",
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claim.id", ondelete="CASCADE"), nullable=False),
        sa.Column("other_id", sa.Integer(), sa.ForeignKey("claim.id", ondelete="CASCADE"), nullable=False),
        sa.Column("analyst", sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("claim_id", "other_id"),
    )
    op.create_index("ix_dismissed_suggestion_other_id", "dismissed_suggestion", ["other_id"], unique=False)
    # The newest claims of a place, read in order without sorting them all (suggestions by place).
    op.create_index("ix_claim_place_place_claim", "claim_place", ["place_id", "claim_id"], unique=False)
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, text FROM report")).all()
    if rows:
        connection.execute(
            sa.text("UPDATE report SET sha256 = :digest WHERE id = :id"),
            [{"id": ident, "digest": hashlib.sha256(text.encode("utf-8")).hexdigest()} for ident, text in rows],
        )


def downgrade() -> None:
    op.drop_index("ix_claim_place_place_claim", table_name="claim_place")
    op.drop_index("ix_dismissed_suggestion_other_id", table_name="dismissed_suggestion")
    op.drop_table("dismissed_suggestion")
    op.drop_index("ix_outreach_by_source_id", table_name="outreach")
    with op.batch_alter_table("outreach") as batch:
        batch.drop_column("by_source_id")
    # Plain DROP COLUMN (SQLite 3.35+): rebuilding the claim table would drop its full-text triggers.
    for table, column in (
        ("report", "sha256"),
        ("report", "retrieved"),
        ("claim", "quote_end"),
        ("claim", "quote_start"),
    ):
        op.drop_column(table, column)
