"""Alembic environment: always run from desktop.core.db with a connection already in a transaction."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import desktop.core.schema  # noqa: F401  (registers the tables on SQLModel.metadata)

# Search indexes are created by hand in migrations — SQLite's FTS5 table and its shadow
# tables (0002), PostgreSQL's claim.search column and its indexes (0009); autogenerate
# must not try to drop them.
_HAND_MADE_PREFIXES = ("claim_fts",)
_HAND_MADE_COLUMNS = ("search",)
_HAND_MADE_INDEXES = ("ix_claim_search",)


def _include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if not name:
        return True
    if type_ == "table":
        return not name.startswith(_HAND_MADE_PREFIXES)
    if type_ == "column":
        return not (reflected and compare_to is None and name in _HAND_MADE_COLUMNS)
    if type_ == "index":
        return not name.startswith(_HAND_MADE_INDEXES)
    return True


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through desktop.core.db.upgrade(), which supplies the connection")
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        include_object=_include_object,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
