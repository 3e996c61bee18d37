"""A PostgreSQL write: its lock with its first statement, its look for claims to index with its audit rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from desktop.core import db, pg_writes
from desktop.core.pg_pipeline import fetch_together
from desktop.core.workspace import Workspace, open_workspace
from tests.core.test_search import ext_ids

pytestmark = pytest.mark.postgres

_HELD = sa.text(
    "SELECT count(*) AS held FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()"
)


@pytest.fixture
def pg_workspace(postgres_url: str) -> Iterator[Workspace]:
    opened = open_workspace(postgres_url)
    yield opened
    opened.close()


def _taken_elsewhere(engine: Engine) -> bool:
    """Whether another session finds the workspace's write lock held."""
    with engine.connect() as other:
        free = other.exec_driver_sql(f"SELECT pg_try_advisory_lock({db.WRITE_LOCK_KEY})").scalar_one()
        if free:
            other.exec_driver_sql(f"SELECT pg_advisory_unlock({db.WRITE_LOCK_KEY})")
        return not free


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(" ".join(args[2].split())))
    return seen


def test_the_lock_is_held_before_the_first_statement_runs(pg_workspace: Workspace) -> None:
    engine = pg_workspace.engine
    with db.write_connection(engine) as connection:
        assert not _taken_elsewhere(engine)  # nothing sent yet: nothing to wait for
        assert connection.execute(_HELD).scalar_one() == 1  # the lock went just before this statement
        assert _taken_elsewhere(engine)
    assert not _taken_elsewhere(engine)  # released at the commit


def test_the_lock_goes_first_in_a_pipeline_too(pg_workspace: Workspace) -> None:
    engine = pg_workspace.engine
    with db.write_connection(engine) as connection:
        (held,) = fetch_together(connection, [(_HELD, {})])
        assert held.rows == [(1,)]
        assert _taken_elsewhere(engine)
        connection.execute(sa.text("SELECT 1"))  # taken once only
        assert connection.execute(_HELD).scalar_one() == 1
    with engine.connect() as connection:  # a transaction outside write_connection takes no lock
        assert connection.execute(_HELD).scalar_one() == 0


def test_a_store_write_looks_for_words_with_its_audit_rows_only(pg_workspace: Workspace) -> None:
    seen = _statements(pg_workspace.engine)
    pg_workspace.store.create_source("Rybar", kind="telegram-channel", side="russia")
    assert not any("search IS NULL AND id >" in s for s in seen)  # no fill_pending: the look found none
    source = pg_workspace.store.create_source("TASS").value
    pg_workspace.store.create_claim("Defences breached near Бахмут", source, ext_id="c-1")
    assert ext_ids(pg_workspace.engine, "breached") == ["c-1"]  # a new claim: found by the look, indexed


def test_a_statement_after_the_look_makes_the_commit_look_again(pg_workspace: Workspace) -> None:
    store = pg_workspace.store
    source = store.create_source("Rybar").value
    store.create_claim("Defences breached", source, ext_id="c-1")

    def edited_after_the_look(connection: Connection) -> None:
        (pending,) = fetch_together(connection, [(pg_writes.ANY_PENDING, {})])
        assert pending.rows == []
        pg_writes.words_checked(connection)
        connection.exec_driver_sql("UPDATE claim SET text = 'Assaults repelled' WHERE ext_id = 'c-1'")

    with db.write_connection(pg_workspace.engine) as connection:
        edited_after_the_look(connection)
    assert ext_ids(pg_workspace.engine, "repelled") == ["c-1"]  # indexed before the commit all the same
    assert ext_ids(pg_workspace.engine, "breached") == []


def test_a_write_that_fails_leaves_no_mark_on_the_pooled_connection(pg_workspace: Workspace) -> None:
    engine = pg_workspace.engine
    with pytest.raises(sa.exc.ProgrammingError), db.write_connection(engine) as connection:
        connection.exec_driver_sql("SELECT * FROM no_such_table")
    with engine.connect() as connection:
        assert pg_writes.LOCK_DUE not in connection.info and pg_writes.WORDS_CHECKED not in connection.info
        assert connection.execute(_HELD).scalar_one() == 0
    with db.write_connection(engine) as connection:  # the next write takes the lock as ever
        assert connection.execute(_HELD).scalar_one() == 1
