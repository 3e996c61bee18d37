"""WorkspaceSession.perform: writes report back, and only writes that happened become undo steps."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop.core import db
from desktop.core.errors import DatabaseProblem, NotFound
from desktop.core.store import Result, Store
from desktop.core.store.tx import Tx
from desktop.core.workspace import Workspace
from desktop.ui.session import WorkspaceSession


def _link(session: WorkspaceSession, a: int, b: int) -> tuple[int, int, str] | None:
    found = session.store.effective_between(a, b)
    return None if found is None else (found["from_id"], found["to_id"], found["relation"])


def _fail_after_writing(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """Make every store write fail after its rows were written, before the commit (as a lock or full disk would)."""
    real = Tx.flush_audit

    def flush_then_fail(self: Tx) -> None:
        real(self)
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(Tx, "flush_audit", flush_then_fail)


def _audit_rows(session: WorkspaceSession) -> int:
    with session.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM audit").scalar_one())


def test_perform_returns_the_result_and_pushes_one_step(session: WorkspaceSession, sample_ids: dict[str, int]) -> None:
    source = session.store.create_source("Analyst notebook").value
    outcome = session.perform(lambda s: s.create_claim("A new claim", source), "add claim")
    assert outcome.ok and outcome.changed and outcome.error is None
    assert isinstance(outcome.value, int)  # the new claim's id
    assert session.undo_stack.count() == 1 and session.undo_stack.undoText() == "add claim"


def test_a_write_that_failed_mid_write_leaves_no_step_and_undo_changes_nothing(
    qtbot: QtBot, session: WorkspaceSession, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported bug: "Undo mark contradicts" used to perform the mark that had failed."""
    _fail_after_writing(monkeypatch, "database is locked")
    relay, breach = sample_ids["c-breach-relay-a"], sample_ids["c-breach"]
    before = _link(session, relay, breach)
    assert before == (relay, breach, "repeats")
    audit = _audit_rows(session)
    with qtbot.waitSignal(session.error) as said:
        outcome = session.perform(lambda s: s.set_link(relay, breach, "contradicts"), "mark contradicts")
    assert not outcome.ok and not outcome.changed and outcome.result is None
    assert isinstance(outcome.error, DatabaseProblem)
    assert said.args == [outcome.message]
    assert outcome.message == "the workspace is busy: another program is writing to it — try again in a moment; " + (
        "nothing was changed"
    )
    assert session.undo_stack.count() == 0 and not session.undo_stack.canUndo()

    undone = session.undo()
    assert not undone.ok
    assert _link(session, relay, breach) == before  # still "repeats": the failed mark never happens
    assert _audit_rows(session) == audit  # the rows written before the failure were rolled back


def test_after_a_failed_write_undo_undoes_the_step_before_it(
    session: WorkspaceSession, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = sample_ids["c-mb-klishchiivka"], sample_ids["c-genstaff-repelled"]
    assert session.perform(lambda s: s.set_link(a, b, "repeats"), "mark repeats").changed
    with monkeypatch.context() as patch:
        _fail_after_writing(patch, "database is locked")
        assert not session.perform(lambda s: s.set_link(a, b, "contradicts"), "mark contradicts").ok
    assert session.undo_stack.count() == 1 and session.undo_stack.undoText() == "mark repeats"
    assert session.undo().ok
    assert _link(session, a, b) is None  # the repeats link is undone; contradicts was never written
    assert session.redo().ok
    assert _link(session, a, b) == (a, b, "repeats")


def test_a_write_that_changes_nothing_makes_no_step_and_no_broadcast(
    qtbot: QtBot, session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    claim = sample_ids["c-breach"]
    assert session.perform(lambda s: s.update_claim(claim, credibility=3), "credibility 3").changed
    with qtbot.assertNotEmitted(session.changed):
        again = session.perform(lambda s: s.update_claim(claim, credibility=3), "credibility 3")
    assert again.ok and not again.changed
    assert session.undo_stack.count() == 1
    a, b = sample_ids["c-mb-klishchiivka"], sample_ids["c-genstaff-repelled"]
    assert session.perform(lambda s: s.set_link(a, b, "corroborates"), "mark corroborates").changed
    assert not session.perform(lambda s: s.set_link(a, b, "corroborates"), "mark corroborates").changed
    assert session.undo_stack.count() == 2


def test_a_refused_write_reports_the_stores_message(session: WorkspaceSession, sample_ids: dict[str, int]) -> None:
    outcome = session.perform(lambda s: s.update_claim(10**9, credibility=2), "credibility 2")
    assert isinstance(outcome.error, NotFound) and outcome.message == "claim 1000000000 no longer exists"
    assert session.undo_stack.count() == 0


def test_a_bug_in_a_write_propagates_and_leaves_no_step(session: WorkspaceSession, sample_ids: dict[str, int]) -> None:
    def broken(store: Store) -> Result:
        store.update_claim(sample_ids["c-breach"], credibility=2)
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        session.perform(broken, "broken")
    assert session.undo_stack.count() == 0


def test_an_undo_that_fails_drops_its_step_instead_of_redoing_the_write(
    session: WorkspaceSession, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An undo that could not be written must not leave a redo that performs the undo's inverse."""
    claim = sample_ids["c-breach"]
    assert session.perform(lambda s: s.update_claim(claim, credibility=2), "credibility 2").changed
    _fail_after_writing(monkeypatch, "database or disk is full")
    undone = session.undo()
    assert isinstance(undone.error, DatabaseProblem) and undone.message is not None
    assert undone.message.startswith("the disk is full")
    assert session.undo_stack.count() == 0 and not session.undo_stack.canRedo()
    monkeypatch.undo()
    with session.engine.connect() as connection:
        grade = connection.exec_driver_sql("SELECT credibility FROM claim WHERE id = ?", (claim,)).scalar_one()
    assert grade == 2  # the undo did not happen, and nothing on the stack can replay anything


@pytest.fixture
def locked(sample_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another program holds the workspace's write lock; our connections wait 50 ms, not 10 s."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    sample_workspace.engine.dispose()  # new connections take the short timeout
    path = db.sqlite_path(sample_workspace.engine)
    assert path is not None
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    yield
    blocker.execute("ROLLBACK")
    blocker.close()


def test_a_really_locked_workspace_is_reported_in_one_line(
    session: WorkspaceSession, sample_ids: dict[str, int], locked: None
) -> None:
    outcome = session.perform(lambda s: s.update_claim(sample_ids["c-breach"], credibility=1), "credibility 1")
    assert isinstance(outcome.error, DatabaseProblem)
    assert outcome.message is not None and outcome.message.startswith("the workspace is busy")
    assert "\n" not in outcome.message
    assert session.undo_stack.count() == 0
