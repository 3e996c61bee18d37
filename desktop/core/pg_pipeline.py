"""Several independent reads sent to a PostgreSQL server together: one round trip (psycopg's pipeline mode).

Each statement SQLAlchemy runs is sent, then waited for; on PostgreSQL that is a
round trip to the server's process (``core.pg_round_trips`` says what one
costs). Reads that do not depend on each other's answers can go together:
psycopg's pipeline mode sends them all, then one ``Sync``, and the server
answers them in order. psycopg sends the ``BEGIN`` of a transaction's first
statement on its own and waits for it, pipeline or not; here it goes first in the
pipeline (``_begin_to_send``), so a transaction's first reads, even a single
one, take one round trip with their ``BEGIN`` (a write's lock and first reads,
a new filter's first read).

``fetch_together`` is the one door: on SQLite (in-process, no round trips) it
runs the statements one after another through SQLAlchemy, so callers read the
same rows on both back ends. On PostgreSQL it compiles each statement as
SQLAlchemy would and runs it on the connection's psycopg connection, inside the
SQLAlchemy transaction (begun here as ``execute`` would begin it). A failure is
handed to SQLAlchemy's own error handling, so it arrives as the usual
``DBAPIError``: a server or connection that went away mid-pipeline invalidates
the connection as any statement's failure does, and ``errors.explain`` says
"connection lost" as before.

A read-only snapshot whose last reads these are can end in the same round trip
(``end``): its ``ROLLBACK`` goes at the end of the pipeline, and the rollback
SQLAlchemy makes when the connection goes back to the pool finds nothing to do
(psycopg sends none when no transaction is open). Values go in and come out
through the statement's own bind and result processors, as through SQLAlchemy
(on psycopg most types have none: the driver adapts them itself).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler

Statement = tuple[Executable, Mapping[str, Any]]
# Each cached compiled statement's result processors (one per column, None where the value passes as it is).
_RESULTS: weakref.WeakKeyDictionary[SQLCompiler, list[Any]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Fetched:
    """One statement's answer: its column names and its rows (tuples, in the columns' order)."""

    names: list[str]
    rows: list[tuple[Any, ...]]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.names, row, strict=True)) for row in self.rows]


def fetch_together(connection: Connection, statements: Sequence[Statement], *, end: bool = False) -> list[Fetched]:
    """The answer of each statement, in order; on PostgreSQL in one round trip.

    ``end``: these are the last reads of the connection's transaction, a read-only snapshot: on
    PostgreSQL it is rolled back in the same round trip (the caller runs nothing more in it).
    """
    if connection.dialect.name != "postgresql":
        answers = []
        for statement, params in statements:
            result = connection.execute(statement, dict(params))
            answers.append(Fetched(list(result.keys()), [tuple(row) for row in result]))
        return answers
    compiled = [_Compiled(connection, statement, params) for statement, params in statements]
    if not connection.in_transaction():
        connection.begin()  # what ``execute`` would do (autobegin): SQLAlchemy's commit and rollback then apply
    driver = connection.connection.driver_connection
    assert driver is not None, "an open connection has its DBAPI connection"
    import psycopg

    from desktop.core.pg_writes import take_deferred_lock

    lock = take_deferred_lock(connection)  # a write transaction's lock, still to take: first, in the same trip
    transactional = not driver.autocommit
    begin = _begin_to_send(driver)
    cursors = []
    try:
        if begin is not None:
            driver.autocommit = True  # (allowed: no transaction yet) psycopg sends no BEGIN of its own …
        with driver.pipeline():
            if begin is not None:
                driver.execute(begin, prepare=False)  # … ours goes first, in the same round trip
            if lock is not None:
                driver.execute(lock)
            for each in compiled:
                cursor = driver.cursor()
                cursor.execute(each.sql, each.values)
                cursors.append(cursor)
            if end and transactional:
                driver.execute("ROLLBACK", prepare=False)
        return [each.fetched(cursor) for each, cursor in zip(compiled, cursors, strict=True)]
    except psycopg.Error as error:
        # SQLAlchemy's path for a failed statement: a disconnect invalidates the connection (and the pool),
        # and the error comes out wrapped as every other statement's does.
        connection._handle_dbapi_exception(error, "; ".join(each.sql for each in compiled), None, None, None)
        raise  # (not reached: the call above raises)
    finally:
        if begin is not None:
            # Back to psycopg's transactions; the public setter refuses while the transaction just begun is open.
            driver._autocommit = False
        for cursor in cursors:
            cursor.close()


def _begin_to_send(driver: Any) -> bytes | None:
    """The ``BEGIN`` psycopg would send before these statements, if it would (None: none, or not this psycopg).

    psycopg sends it, then waits for its answer on its own, even in a pipeline: a round trip of its
    own. Sent by us as the pipeline's first statement (the very command psycopg builds, with the
    connection's isolation level), it travels with the rest; the transaction is then psycopg's as
    if it had begun it (its ``COMMIT`` and ``ROLLBACK`` go by the server's transaction status).
    """
    import psycopg

    if driver.autocommit or driver.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        return None
    command = getattr(driver, "_get_tx_start_command", None)
    if command is None or not hasattr(driver, "_autocommit"):
        return None  # another psycopg than the one this was written for: its own BEGIN, a round trip more
    return bytes(command())


class _Compiled:
    """A statement as SQLAlchemy's psycopg dialect would send it, and its columns' result processors."""

    def __init__(self, connection: Connection, statement: Executable, params: Mapping[str, Any]) -> None:
        dialect = connection.dialect
        # Compiled once per statement shape and kept in the engine's cache, as ``execute`` does: compiling
        # a page's statement afresh each time cost more of the application's time than the round trip saved.
        compiled, extracted, _, _ = statement._compile_w_cache(
            dialect, compiled_cache=connection.engine._compiled_cache, column_keys=[]
        )
        assert isinstance(compiled, SQLCompiler)
        values = compiled.construct_params(
            dict(params), extracted_parameters=extracted, _no_postcompile=True
        )  # (the statement's own values, as ``execute`` takes them from the cache key)
        processors: Mapping[str, Any]
        if compiled.literal_execute_params or compiled.post_compile_params:
            # Lists rendered at execution (``IN`` of a list, literal-execute values): as ``execute`` renders them.
            expanded = compiled._process_parameters_for_postcompile(values)
            self.sql, values, processors = expanded.statement, dict(expanded.parameters), expanded.processors
        else:
            self.sql, processors = compiled.string, compiled._bind_processors
        self.values: dict[str, Any] = {}
        for name, value in values.items():
            process = processors.get(name)
            self.values[name] = process(value) if callable(process) else value
        results = _RESULTS.get(compiled)
        if results is None:
            columns = getattr(statement, "selected_columns", ())
            kinds = [column.type.dialect_impl(dialect) for column in columns]
            results = _RESULTS[compiled] = [kind.result_processor(dialect, None) for kind in kinds]
        self.results: list[Any] = results

    def fetched(self, cursor: Any) -> Fetched:
        if cursor.description is None:
            return Fetched([], [])
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
        converting = [(i, p) for i, p in enumerate(self.results) if p is not None]
        if converting:
            converted = []
            for row in rows:
                values = list(row)
                for i, process in converting:
                    values[i] = process(values[i])
                converted.append(tuple(values))
            rows = converted
        return Fetched(names, rows)
