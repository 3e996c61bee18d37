"""link judgements: one link per analyst and pair, with the pair's effective and disputed flags

Revision ID: 0006
Revises: 0005
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

On SQLite the table is rebuilt (its old unique constraint has no name to drop),
spelled out so that the schema text is the same in every file; on PostgreSQL the
constraint is swapped in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NEW_KEY = "uq_link_pair_analyst"


def _flags() -> list[sa.Column[bool]]:
    return [
        sa.Column("effective", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("disputed", sa.Boolean(), nullable=False, server_default=sa.false()),
    ]


_SQLITE_TABLE = """
CREATE TABLE link_new (
	id INTEGER NOT NULL,
	from_id INTEGER NOT NULL,
	to_id INTEGER NOT NULL,
	relation VARCHAR NOT NULL,
	rationale VARCHAR NOT NULL,
	analyst VARCHAR NOT NULL,
	recorded DATETIME NOT NULL,{flags}
	PRIMARY KEY (id),
	{key},
	FOREIGN KEY(from_id) REFERENCES claim (id) ON DELETE CASCADE,
	FOREIGN KEY(to_id) REFERENCES claim (id) ON DELETE CASCADE
)"""
_SQLITE_FLAGS = """
	effective BOOLEAN DEFAULT 1 NOT NULL,
	disputed BOOLEAN DEFAULT 0 NOT NULL,"""
_COLUMNS = "id, from_id, to_id, relation, rationale, analyst, recorded"


def _rebuild_sqlite_link(key: str, flags: bool) -> None:
    """SQLite cannot drop an unnamed constraint: rebuild the table (spelled out, so every file gets the
    same schema text), copying every row."""
    op.execute(_SQLITE_TABLE.format(key=key, flags=_SQLITE_FLAGS if flags else ""))
    op.execute(f"INSERT INTO link_new ({_COLUMNS}) SELECT {_COLUMNS} FROM link")
    op.execute("DROP TABLE link")
    op.execute("ALTER TABLE link_new RENAME TO link")
    op.execute("CREATE INDEX ix_link_to_id ON link (to_id)")


def upgrade() -> None:
    from desktop.core.store import status

    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_link(f"CONSTRAINT {NEW_KEY} UNIQUE (from_id, to_id, analyst)", flags=True)
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
        _rebuild_sqlite_link("UNIQUE (from_id, to_id)", flags=False)
        return
    op.drop_column("link", "disputed")
    op.drop_column("link", "effective")
    op.drop_constraint(NEW_KEY, "link", type_="unique")
    op.create_unique_constraint("link_from_id_to_id_key", "link", ["from_id", "to_id"])
