"""known_error: database refusals the user can act on are told as such; everything else is a bug."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg.errors
import pytest
import sqlalchemy as sa

from desktop.core.errors import ConnectionLost, DatabaseProblem, NotFound, known_error


def _raised(path: Path, *statements: str, **connect: object) -> sqlite3.Error:
    connection = sqlite3.connect(path, isolation_level=None, **connect)  # type: ignore[arg-type]
    try:
        for statement in statements:
            connection.execute(statement)
    except sqlite3.Error as error:
        return error
    finally:
        connection.close()
    raise AssertionError("no error raised")


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "w.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x TEXT)")
    return path


def test_a_locked_sqlite_file_is_busy(database: Path) -> None:
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        error = _raised(database, "BEGIN IMMEDIATE", timeout=0)
    finally:
        holder.close()
    known = known_error(error)
    assert isinstance(known, DatabaseProblem)
    assert str(known).startswith("the workspace is busy") and str(known).endswith("nothing was changed")


def test_a_read_only_and_a_full_sqlite_file_are_told_as_such(database: Path) -> None:
    read_only = _raised(Path(f"file:{database}?mode=ro"), "INSERT INTO t VALUES ('a')", uri=True)
    assert str(known_error(read_only)).startswith("the workspace is read-only")
    full = _raised(database, "PRAGMA max_page_count = 2", "INSERT INTO t VALUES (randomblob(100000))")
    assert str(known_error(full)).startswith("the disk is full")


def test_errors_wrapped_by_sqlalchemy_are_recognised(database: Path) -> None:
    engine = sa.create_engine(f"sqlite:///file:{database}?mode=ro&uri=true")
    with pytest.raises(sa.exc.OperationalError) as raised, engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO t VALUES ('a')")
    engine.dispose()
    assert isinstance(known_error(raised.value), DatabaseProblem)


def test_postgres_states_the_user_can_act_on() -> None:
    assert str(known_error(psycopg.errors.LockNotAvailable())).startswith("the workspace is busy")
    assert "role does not allow" in str(known_error(psycopg.errors.InsufficientPrivilege()))
    assert "cannot be reached" in str(known_error(psycopg.OperationalError("server closed the connection")))


def test_a_session_the_server_ended_is_a_lost_connection() -> None:
    # What the next statement on a pooled connection meets once the server has ended its session (an
    # administrator, a restart): psycopg's own subclass of OperationalError, SQLSTATE 57P01.
    ended = known_error(psycopg.errors.AdminShutdown("terminating connection due to administrator command"))
    assert isinstance(ended, ConnectionLost)
    assert not isinstance(known_error(psycopg.errors.LockNotAvailable()), ConnectionLost)


def test_user_errors_pass_and_bugs_are_not_known(database: Path) -> None:
    gone = NotFound("claim 3 no longer exists")
    assert known_error(gone) is gone
    assert known_error(ZeroDivisionError()) is None
    assert known_error(_raised(database, "SELECT * FROM missing")) is None  # a wrong query is a bug
    assert known_error(psycopg.errors.UndefinedTable()) is None
