"""Several independent reads sent to a PostgreSQL server together: one round trip (psycopg's pipeline mode).

Each statement SQLAlchemy runs is sent, then waited for; on PostgreSQL that is a
round trip to the server's process (``core.pg_round_trips`` says what one
costs). Reads that do not depend on each other's answers can go together:
psycopg's pipeline mode sends them all, then one ``Sync``, and the server
answers them in order. (psycopg waits for the ``BEGIN`` it sends before a
transaction's first statement on its own, pipeline or not: reading a single
statement here saves nothing.)

``fetch_together`` is the one door: on SQLite (in-process, no round trips) it
runs the statements one after another through SQLAlchemy, so callers read the
same rows on both back ends. On PostgreSQL it compiles each statement as
SQLAlchemy would and runs it on the connection's psycopg connection, inside the
SQLAlchemy transaction (begun here as ``execute`` would begin it). A failure is
handed to SQLAlchemy's own error handling, so it arrives as the usual
``DBAPIError``: a server or connection that went away mid-pipeline invalidates
the connection as any statement's failure does, and ``errors.explain`` says
"connection lost" as before.

Statements here are plain reads (``text`` or Core selects) whose values need
no SQLAlchemy type processing on the way in or out: psycopg's own adaptation
(integers, strings, timestamps) is what SQLAlchemy's psycopg dialect uses
for them too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable

Statement = tuple[Executable, Mapping[str, Any]]


def fetch_together(connection: Connection, statements: Sequence[Statement]) -> list[list[dict[str, Any]]]:
    """The rows of each statement (as dicts by column name), in order; on PostgreSQL in one round trip."""
    if connection.dialect.name != "postgresql":
        return [[dict(row._mapping) for row in connection.execute(s, dict(p))] for s, p in statements]
    sql = [_compiled(connection, statement, params) for statement, params in statements]
    if not connection.in_transaction():
        connection.begin()  # what ``execute`` would do (autobegin): SQLAlchemy's commit and rollback then apply
    driver = connection.connection.driver_connection
    assert driver is not None, "an open connection has its DBAPI connection"
    import psycopg

    cursors = []
    try:
        with driver.pipeline():
            for text, values in sql:
                cursor = driver.cursor()
                cursor.execute(text, values)
                cursors.append(cursor)
        return [_rows(cursor) for cursor in cursors]
    except psycopg.Error as error:
        # SQLAlchemy's path for a failed statement: a disconnect invalidates the connection (and the pool),
        # and the error comes out wrapped as every other statement's does.
        connection._handle_dbapi_exception(error, "; ".join(text for text, _ in sql), None, None, None)
        raise  # (not reached: the call above raises)
    finally:
        for cursor in cursors:
            cursor.close()


def _compiled(connection: Connection, statement: Executable, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})  # type: ignore[attr-defined]
    return compiled.string, compiled.construct_params(dict(params))


def _rows(cursor: Any) -> list[dict[str, Any]]:
    if cursor.description is None:
        return []
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
