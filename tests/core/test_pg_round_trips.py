"""Fewer round trips on PostgreSQL (``core.pg_round_trips``): a ping only after a pause, reads in autocommit."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from desktop.core import db, pg_round_trips
from desktop.core.pg_round_trips import read_connection
from tests.postgres_server import fresh_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_server: str) -> Iterator[Engine]:
    made = db.make_engine(db.resolve_location(fresh_database(postgres_server)))
    db.upgrade(made)  # a workspace: every write indexes the words of claims left without (``fill_pending``)
    yield made
    made.dispose()


def _statements(engine: Engine) -> list[str]:
    """Every statement the engine sends from now on, as SQLAlchemy hands it to psycopg (pings included)."""
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    original = engine.dialect.do_ping

    def ping(dbapi_connection: object) -> bool:
        seen.append("ping")
        return original(dbapi_connection)

    engine.dialect.do_ping = ping  # type: ignore[method-assign]
    return seen


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def test_statements_are_not_compiled_by_the_server(engine: Engine) -> None:
    # PostgreSQL's JIT compiled a two-millisecond graph walk for 0.7 s when the planner overestimated it.
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW jit").scalar_one() == "off"


def test_a_connection_used_a_moment_ago_is_not_pinged(engine: Engine) -> None:
    _backend(engine)
    seen = _statements(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    assert seen == ["SELECT 1"]


def test_a_rested_connection_is_pinged_and_a_dead_one_replaced(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, postgres_server: str
) -> None:
    first = _backend(engine)
    monkeypatch.setattr(pg_round_trips, "IDLE_BEFORE_PING_S", 0.0)  # every connection has rested long enough
    seen = _statements(engine)
    assert _backend(engine) == first
    assert seen[0] == "ping"
    admin = sa.create_engine(postgres_server)
    try:
        with admin.connect() as connection:  # the server drops the pooled connection (a restart, a timeout)
            connection.exec_driver_sql(f"SELECT pg_terminate_backend({first})")
    finally:
        admin.dispose()
    second = _backend(engine)  # no error: the ping found it dead and the pool connected again
    assert second != first


def test_reads_in_autocommit_see_what_was_committed_and_writes_keep_their_transaction(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (id integer PRIMARY KEY)")
    with read_connection(engine) as reader:
        assert reader.exec_driver_sql("SELECT count(*) FROM note").scalar_one() == 0
        driver = reader.connection.dbapi_connection
        assert driver is not None and driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE  # no BEGIN
        with db.write_connection(engine) as writer:
            writer.exec_driver_sql("INSERT INTO note VALUES (1)")
            assert reader.exec_driver_sql("SELECT count(*) FROM note").scalar_one() == 0  # not committed yet
        assert reader.exec_driver_sql("SELECT count(*) FROM note").scalar_one() == 1  # committed: seen at once
    with pytest.raises(sa.exc.IntegrityError), db.write_connection(engine) as writer:
        writer.exec_driver_sql("INSERT INTO note VALUES (2)")
        writer.exec_driver_sql("INSERT INTO note VALUES (1)")  # fails: the whole write is taken back
    with read_connection(engine) as reader:
        assert reader.exec_driver_sql("SELECT id FROM note").scalars().all() == [1]
    with engine.connect() as connection:  # back in the pool, a connection is transactional again
        connection.exec_driver_sql("SELECT 1")
        assert connection.in_transaction()
        assert not connection.connection.dbapi_connection.autocommit  # type: ignore[union-attr]
