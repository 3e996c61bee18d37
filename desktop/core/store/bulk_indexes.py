"""Bulk import into empty tables: their indexes built once after the rows, not kept up row by row (SQLite).

An index kept up while 100k rows go in takes a B-tree insertion per row and
index; built afterwards it is one sort. So for each table an import fills that
holds no row yet (the first import into a new workspace), its indexes are
dropped before the rows go in and created again from the very SQL the workspace
stored for them, inside the import's one transaction: SQLite's DDL is
transactional, so a failed import rolls the indexes back with everything else,
and a unique index that would not hold (which validation rules out) fails the
import rather than being lost. The indexes SQLite keeps for ``PRIMARY KEY`` and
``UNIQUE`` constraints cannot be dropped and stay. Measured at 100k claims into
an empty workspace: see ``store.bulk`` ("Speed").

A table that holds rows keeps its indexes: rebuilding one over a million rows
costs more than the few hundred thousand insertions of an import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from sqlalchemy.engine import Connection


@contextlib.contextmanager
def indexes_built_after(connection: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Inside: the droppable indexes of the empty ones of ``tables`` are gone; they are created on the way out.

    On an error inside, nothing is recreated: the transaction is rolled back by the caller.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    run = connection.exec_driver_sql
    dropped: list[tuple[str, str]] = []
    for table in tables:
        if run(f"SELECT 1 FROM main.{table} LIMIT 1").first() is not None:
            continue
        indexes = run(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        ).all()
        for name, sql in indexes:
            run(f'DROP INDEX main."{name}"')
            dropped.append((str(name), str(sql)))
    yield
    for _name, sql in dropped:
        run(sql)
