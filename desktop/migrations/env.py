"""Alembic environment: always run from desktop.core.db with a connection already in a transaction."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import desktop.core.schema  # noqa: F401  (registers the tables on SQLModel.metadata)

# Search indexes (FTS5 and its shadow tables) are created by hand in migrations;
# autogenerate must not try to drop them.
_HAND_MADE_PREFIXES = ("claim_fts",)


def _include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name and name.startswith(_HAND_MADE_PREFIXES))


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
