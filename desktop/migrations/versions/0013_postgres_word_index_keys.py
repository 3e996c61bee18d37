"""PostgreSQL word index: the cross-script keys beside the words, as SQLite's index holds them since 0011

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 14:05:00

Migration 0011 gave SQLite's full-text index a ``keys`` column (``search.keys``:
``bakhmut``, ``Bachmut`` and ``Бахмут`` share one). PostgreSQL's ``claim.search``
documents now hold the same keys as marked lexemes (``search.documents``), so
the same filter finds the same claims on both; the documents written before are
computed again here (about a minute per 100,000 claims).

SQLite: nothing.
"""

from __future__ import annotations

from alembic import op

from desktop.core.search.documents import rebuild

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rebuild(bind)


def downgrade() -> None:
    pass  # documents with keys answer every query the older ones did (a key is never a word)
