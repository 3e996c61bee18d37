"""Independent reads sent together (``core.pg_pipeline.fetch_together``): the same rows, one round trip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from desktop.core import db
from desktop.core.errors import ConnectionLost, known_error
from desktop.core.pg_pipeline import Fetched, fetch_together
from tests.postgres_server import fresh_database

_NOTES = sa.text("SELECT id, body FROM note WHERE id IN (:a, :b) ORDER BY id")
_COUNT = sa.text("SELECT count(*) AS n, max(id) AS last FROM note")
_NOTE = sa.table("note", sa.column("id"), sa.column("body"))


def _with_notes(engine: Engine) -> Engine:
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (id integer PRIMARY KEY, body text)")
        connection.execute(_NOTE.insert(), [{"id": i, "body": f"note {i}"} for i in range(1, 6)])
    return engine


@pytest.fixture
def pg(postgres_server: str) -> Iterator[Engine]:
    made = db.make_engine(db.resolve_location(fresh_database(postgres_server)))
    db.upgrade(made)  # a workspace: its writes end by indexing claims' words (``write_connection``)
    yield _with_notes(made)
    made.dispose()


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[Engine]:
    made = db.make_engine(db.resolve_location(str(tmp_path / "w.sqlite")))
    yield _with_notes(made)
    made.dispose()


def _statements() -> list[tuple[sa.Executable, dict[str, object]]]:
    core = sa.select(_NOTE.c.body).where(_NOTE.c.id > sa.bindparam("after")).order_by(_NOTE.c.id)
    return [(_NOTES, {"a": 2, "b": 4}), (_COUNT, {}), (core, {"after": 3})]


def _one_by_one(connection: Connection) -> list[list[dict[str, object]]]:
    return [[dict(r._mapping) for r in connection.execute(s, p)] for s, p in _statements()]


def _dicts(answers: list[Fetched]) -> list[list[dict[str, object]]]:
    return [answer.dicts() for answer in answers]


EXPECTED = [
    [{"id": 2, "body": "note 2"}, {"id": 4, "body": "note 4"}],
    [{"n": 5, "last": 5}],
    [{"body": "note 4"}, {"body": "note 5"}],
]


@pytest.mark.postgres
def test_the_rows_are_those_of_each_statement_run_alone(pg: Engine) -> None:
    with pg.connect() as connection:
        assert _dicts(fetch_together(connection, _statements())) == EXPECTED == _one_by_one(connection)


def test_sqlite_runs_them_one_after_another_with_the_same_rows(lite: Engine) -> None:
    with lite.connect() as connection:
        assert _dicts(fetch_together(connection, _statements())) == EXPECTED == _one_by_one(connection)


@pytest.mark.postgres
def test_the_reads_take_one_round_trip_inside_the_write_transaction(pg: Engine, tmp_path: Path) -> None:
    trace = tmp_path / "libpq.trace"
    with db.write_connection(pg) as connection:  # BEGIN and the write lock went first
        connection.exec_driver_sql("INSERT INTO note VALUES (6, 'note 6')")
        driver = connection.connection.driver_connection
        assert driver is not None
        descriptor = os.open(trace, os.O_WRONLY | os.O_CREAT)
        driver.pgconn.trace(descriptor)
        driver.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        rows = _dicts(fetch_together(connection, _statements()))
        driver.pgconn.untrace()  # (flushes the trace)
        os.close(descriptor)
        assert connection.in_transaction()
    assert rows[1] == [{"n": 6, "last": 6}]  # the transaction's own insert is seen: the same transaction
    sent, waits = _waits(trace)
    assert sent > 3 and waits == 1  # three statements sent, then one wait for all the answers
    with pg.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM note").scalar_one() == 6  # committed


@pytest.mark.postgres
def test_a_failing_statement_is_the_usual_error_and_the_write_is_taken_back(pg: Engine) -> None:
    failing = sa.text("SELECT 1 / (id - id) FROM note")
    with pytest.raises(sa.exc.DBAPIError) as raised, db.write_connection(pg) as connection:
        connection.exec_driver_sql("INSERT INTO note VALUES (7, 'note 7')")
        fetch_together(connection, [(_COUNT, {}), (failing, {}), (_NOTES, {"a": 1, "b": 2})])
    assert isinstance(raised.value.orig, psycopg.errors.DivisionByZero)
    assert not raised.value.connection_invalidated and not isinstance(known_error(raised.value), ConnectionLost)
    with pg.connect() as connection:  # nothing written, and the pool's connection works
        assert _dicts(fetch_together(connection, _statements())) == EXPECTED


@pytest.mark.postgres
def test_a_connection_dropped_before_the_pipeline_is_a_lost_connection(pg: Engine, postgres_server: str) -> None:
    with pg.connect() as connection:
        backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        connection.commit()
        admin = sa.create_engine(postgres_server)
        try:
            with admin.connect() as other:  # the server ends the session (a restart, an administrator)
                other.exec_driver_sql(f"SELECT pg_terminate_backend({backend})")
        finally:
            admin.dispose()
        with pytest.raises(sa.exc.DBAPIError) as raised:
            fetch_together(connection, _statements())
    assert raised.value.connection_invalidated  # SQLAlchemy dropped the connection, as for any statement
    assert isinstance(known_error(raised.value), ConnectionLost)
    with pg.connect() as connection:  # the next action connects again
        assert _dicts(fetch_together(connection, _statements())) == EXPECTED


def _waits(trace: Path) -> tuple[int, int]:
    """(messages sent, waits for the server) in a libpq trace."""
    sides = [line[0] for line in trace.read_text().splitlines() if line[:1] in ("F", "B")]
    return sides.count("F"), sum(1 for pair in zip(sides, sides[1:], strict=False) if pair == ("F", "B"))


@pytest.mark.postgres
def test_a_transactions_begin_goes_in_the_same_round_trip_with_its_isolation(pg: Engine, tmp_path: Path) -> None:
    trace = tmp_path / "libpq.trace"
    level = sa.text("SELECT current_setting('transaction_isolation') AS level")
    with pg.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        driver = connection.connection.driver_connection
        assert driver is not None and driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        descriptor = os.open(trace, os.O_WRONLY | os.O_CREAT)
        driver.pgconn.trace(descriptor)
        driver.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        (isolation, count) = fetch_together(connection, [(level, {}), (_COUNT, {})])
        driver.pgconn.untrace()
        os.close(descriptor)
        assert isolation.rows == [("repeatable read",)] and count.rows == [(5, 5)]
        assert _waits(trace)[1] == 1  # BEGIN, both reads: one wait
        assert driver.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS  # psycopg's transaction …
        assert not driver.autocommit
        connection.exec_driver_sql("INSERT INTO note VALUES (8, 'note 8')")
        connection.commit()  # … committed as any other
    with pg.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM note").scalar_one() == 6


@pytest.mark.postgres
def test_a_snapshot_ended_in_the_pipeline_leaves_the_connection_idle(pg: Engine) -> None:
    with pg.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        (count,) = fetch_together(connection, [(_COUNT, {})], end=True)
        driver = connection.connection.driver_connection
        assert driver is not None and driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert count.rows == [(5, 5)] and not driver.autocommit
    with pg.connect() as connection:  # back in the pool, a connection is transactional as ever
        connection.exec_driver_sql("SELECT 1")
        driver = connection.connection.driver_connection
        assert driver is not None and driver.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
