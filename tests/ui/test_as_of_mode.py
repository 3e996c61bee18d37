"""The window's "as of" mode (pytest-qt): enter by a step or a moment, step back and forward, every write
refused with one line, statuses as derived then, and one key back to now — keys only, in a real window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.workspace import open_workspace
from desktop.ui.commands.keymap import key_of
from desktop.ui.history.as_of_mode import AsOfWorkspace
from desktop.ui.history.moment_dialog import MomentDialog
from desktop.ui.history.panel import HEADING, HEADING_LIVE, UNDOABLE
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE
REPLAY_MS = 20_000  # a replay of the sample runs on a worker thread: wait for it, never for a fixed time


class Clock:
    """The store's clock: an hour ahead of the import, a minute per edit (each edit its own moment)."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


@pytest.fixture
def clock(window: MainWindow) -> Clock:
    made = Clock()
    window.session.store.clock = made
    return made


def _id(window: MainWindow, ext_id: str) -> int:
    with window.session.engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar_one())


def _value(window: MainWindow, ext_id: str, column: str) -> object:
    with window.session.engine.connect() as connection:
        return connection.execute(text(f"SELECT {column} FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar_one()


def _audit_rows(window: MainWindow) -> int:
    with window.session.live_workspace.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM audit")).scalar_one())


def _press(qtbot: QtBot, window: MainWindow, keys: str) -> None:
    sequence = QKeySequence(keys)
    combination = sequence[0]
    qtbot.keyClick(window.table, combination.key(), combination.keyboardModifiers())


def _replayed(qtbot: QtBot, window: MainWindow, press: Callable[[], None]) -> None:
    with qtbot.waitSignal(window.as_of.changed, timeout=REPLAY_MS):
        press()


def test_step_back_shows_the_workspace_before_the_change_read_only(
    qtbot: QtBot, window: MainWindow, clock: Clock
) -> None:
    breach = _id(window, "c-breach")
    before = _value(window, "c-breach", "credibility")
    window.table.select_claim(breach)
    clock.tick()
    _press(qtbot, window, "2")  # grade 2, at a known moment
    assert _value(window, "c-breach", "credibility") == 2
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))
    assert isinstance(window.session.workspace, AsOfWorkspace)
    assert window.session.workspace.when == clock.now - dt.timedelta(seconds=1)
    assert _value(window, "c-breach", "credibility") == before  # the grade undone, as it stood then
    assert window.banner.isVisible() and window.banner.text().startswith("As of ")
    assert "read-only" in window.banner.text() and key_of("history.now") in window.banner.text()
    said = window.status.message_text()
    assert said.startswith("Stepped back over: ") and "claim c-breach credibility" in said and said.endswith("→ 2")
    assert window.session.current == _id(window, "c-breach")  # the current claim stays current
    assert "as of" in window.windowTitle()
    history = window.history.lines()  # the claim's history as known then: not the grade, nothing undoable
    assert history and not any(line.endswith("→ 2") or line.startswith(UNDOABLE) for line in history)


def test_every_write_is_refused_with_one_line_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, clock: Clock
) -> None:
    window.table.select_claim(_id(window, "c-breach"))
    clock.tick()
    _press(qtbot, window, "3")
    rows = _audit_rows(window)
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))
    shown = _value(window, "c-breach", "credibility")
    for keys in ("5", "Space", "Delete", "Ctrl+Z", "A"):
        window.status.clear_message()
        _press(qtbot, window, keys)
        message = window.status.message_text()
        assert message.startswith("⚠ Read-only: this is the workspace as of "), keys
        assert "\n" not in message and message.endswith(f"({key_of('history.now')} returns to now).")
    outcome = window.session.perform(lambda store: store.update_claim(_id(window, "c-breach"), notes="x"), "note")
    assert outcome.error is not None and str(outcome.error).startswith("Read-only")
    assert _value(window, "c-breach", "credibility") == shown
    assert _audit_rows(window) == rows  # the live workspace did not change either
    assert window.session.undo_stack.canUndo()  # the live undo stack is kept for when we are back


def test_step_forward_and_back_to_now(qtbot: QtBot, window: MainWindow, clock: Clock) -> None:
    breach = _id(window, "c-breach")
    window.table.select_claim(breach)
    assert _value(window, "c-breach", "credibility") == 4  # as the sample has it
    first = clock.tick()
    _press(qtbot, window, "5")
    second = clock.tick()
    _press(qtbot, window, "6")
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))  # before the 6
    assert window.as_of.moment == second - dt.timedelta(seconds=1)
    assert _value(window, "c-breach", "credibility") == 5
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))  # before the 5
    assert window.as_of.moment == first - dt.timedelta(seconds=1)
    assert _value(window, "c-breach", "credibility") == 4
    _replayed(qtbot, window, lambda: _press(qtbot, window, "]"))  # after the 5 again
    assert window.as_of.moment == first
    assert _value(window, "c-breach", "credibility") == 5
    assert window.status.message_text().startswith("Stepped forward over: ")
    _replayed(qtbot, window, lambda: _press(qtbot, window, "]"))
    assert window.as_of.moment == second
    with qtbot.waitSignal(window.as_of.changed, timeout=REPLAY_MS):
        _press(qtbot, window, key_of("history.now"))
    assert window.session.read_only is None and not isinstance(window.session.workspace, AsOfWorkspace)
    assert window.banner.isHidden()
    assert window.session.current == breach  # live ids again, the same claim
    clock.tick()
    _press(qtbot, window, "1")  # editable again
    assert _value(window, "c-breach", "credibility") == 1


def test_step_forward_from_the_newest_change_arrives_at_now(qtbot: QtBot, window: MainWindow, clock: Clock) -> None:
    breach = _id(window, "c-breach")
    window.table.select_claim(breach)
    clock.tick()
    _press(qtbot, window, "5")
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))  # before the 5
    _replayed(qtbot, window, lambda: _press(qtbot, window, "]"))  # after the 5: the newest change, read-only
    assert window.as_of.moment == clock.now and window.session.read_only is not None
    with qtbot.waitSignal(window.as_of.changed, timeout=REPLAY_MS):
        _press(qtbot, window, "]")  # nothing later: now, no replay
    assert window.status.message_text() == "No later change: back to now, the live workspace, editable again."
    assert window.session.read_only is None and not isinstance(window.session.workspace, AsOfWorkspace)
    assert window.banner.isHidden() and not window.as_of.busy
    assert window.session.current == breach  # live ids again, the same claim
    window.status.clear_message()
    _press(qtbot, window, "]")  # already at now: said, and nothing starts
    assert window.status.message_text() == (
        "⚠ The window shows the workspace as it is now: there is no later change to step to."
    )
    assert not window.as_of.busy and window.banner.isHidden()
    clock.tick()
    _press(qtbot, window, "6")  # editable
    assert _value(window, "c-breach", "credibility") == 6


def test_step_forward_while_stepping_away_from_now_cancels_and_stays_at_now(
    qtbot: QtBot, window: MainWindow, clock: Clock
) -> None:
    window.table.select_claim(_id(window, "c-breach"))
    clock.tick()
    _press(qtbot, window, "5")
    window.as_of.show(clock.now, "")  # a replay of the newest change in flight, from now
    _press(qtbot, window, "]")  # forward past it: the replay is cancelled, the window stays on now
    window.as_of.pool.waitForDone()
    assert not window.as_of.busy and window.banner.isHidden() and window.session.read_only is None
    assert window.status.message_text() == "No later change: back to now, the live workspace, editable again."


def test_statuses_are_the_ones_derived_as_of_then(qtbot: QtBot, window: MainWindow, clock: Clock) -> None:
    opytne, distance = _id(window, "c-mb-opytne"), _id(window, "c-newsweek-distance")
    status_before = _value(window, "c-mb-opytne", "status")
    clock.tick()
    assert window.session.perform(lambda store: store.set_link(distance, opytne, "contradicts"), "link").changed
    status_now = _value(window, "c-mb-opytne", "status")
    assert (status_before, status_now) == ("unverified", "contradicted")
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))
    assert _value(window, "c-mb-opytne", "status") == status_before
    model = window.table.claim_model
    row = model.row_of(_id(window, "c-mb-opytne"))
    shown = " ".join(str(model.index(row, c).data(Qt.ItemDataRole.DisplayRole)) for c in range(model.columnCount()))
    assert str(status_before) in shown  # the table shows the status of then


def test_a_typed_moment_is_checked_in_the_dialog(window: MainWindow, qtbot: QtBot) -> None:
    dialog = MomentDialog(window.session.engine, None, window)
    qtbot.addWidget(dialog)
    for typed, said in (
        ("yesterday", "The moment must be a date (YYYY-MM-DD) or a timestamp"),
        ("2999-01-01", "is in the future"),
        ("1990-01-01", "is before anything was recorded in this workspace"),
    ):
        dialog.field.setText(typed)
        dialog.accept()
        assert dialog.isVisible() is False or dialog.result() == 0
        assert said in dialog.problem_text(), typed
        assert dialog.moment is None
    dialog.field.setText("2022-12-15")
    dialog.accept()
    assert dialog.moment == dt.datetime(2022, 12, 15, 23, 59, 59, tzinfo=dt.UTC)


def test_a_moment_is_shown_and_a_replay_in_flight_can_be_cancelled(qtbot: QtBot, window: MainWindow) -> None:
    moment = dt.datetime(2022, 12, 15, 23, 59, 59, tzinfo=dt.UTC)
    window.as_of.show(moment, "")
    assert window.as_of.busy and "Replaying the workspace as of 2022-12-15 23:59:59 UTC" in window.banner.text()
    window.as_of.now()  # cancels: nothing is shown, the window stays on now
    assert not window.as_of.busy and window.banner.isHidden()
    assert window.status.message_text() == "Replay cancelled."
    window.as_of.pool.waitForDone()
    assert window.session.read_only is None
    _replayed(qtbot, window, lambda: window.as_of.show(moment, ""))
    assert window.as_of.moment == moment
    assert window.status.message_text() == "Showing the workspace as of 2022-12-15 23:59:59 UTC."


def test_opening_another_workspace_leaves_the_moment(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    _replayed(qtbot, window, lambda: window.as_of.show(dt.datetime(2022, 12, 15, 23, 59, 59, tzinfo=dt.UTC), ""))
    shown = window.session.workspace
    assert isinstance(shown, AsOfWorkspace) and shown.replayed is not None
    window.session.replace_workspace(open_workspace(str(tmp_path / "other.sqlite")))
    assert window.session.read_only is None and window.banner.isHidden() and window.as_of.moment is None
    assert not shown.replayed.folder.exists()  # the moment's scratch workspace is gone with it
    window.session.perform(lambda store: store.create_source("Another"), "add source")
    assert window.session.undo_stack.canUndo()  # writable: the new workspace is live


def test_the_detail_pane_takes_no_typing_while_a_moment_is_shown(
    qtbot: QtBot, window: MainWindow, clock: Clock
) -> None:
    """Its fields show the claim as it stood and refuse typing and choices (rather than taking an edit the
    session then refuses); back to now, they are editable again."""
    pane = window.detail
    window.table.select_claim(_id(window, "c-breach"))
    clock.tick()
    _press(qtbot, window, "2")
    typed = (pane.text, pane.tags, pane.claimed, pane.event_start, pane.event_end, pane.notes)
    chosen = (pane.kind, pane.reviewed, pane.source, pane.report, pane.credibility, pane.verdict, pane.add_place)
    assert not any(field.isReadOnly() for field in typed) and all(field.isEnabled() for field in chosen)
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))
    assert pane.detail is not None and pane.detail.ext_id == "c-breach"
    assert all(field.isReadOnly() for field in typed)
    assert not any(field.isEnabled() for field in (*chosen, pane.likelihood, pane.use_suggested))
    text, notes = pane.text.toPlainText(), pane.notes.toPlainText()
    assert pane.focus_field("text")
    qtbot.keyClicks(pane.text, "typed over")
    qtbot.keyClick(pane.text, Qt.Key.Key_Return)  # Enter saves the text, when it can be edited
    assert pane.focus_field("notes")
    qtbot.keyClicks(pane.notes, "more")
    assert (pane.text.toPlainText(), pane.notes.toPlainText()) == (text, notes)
    assert not window.status.message_text().startswith("⚠")  # nothing was typed, so nothing was refused
    window.table.setFocus()
    with qtbot.waitSignal(window.as_of.changed, timeout=REPLAY_MS):
        _press(qtbot, window, key_of("history.now"))
    assert pane.detail is not None and pane.detail.ext_id == "c-breach"
    assert not any(field.isReadOnly() for field in typed) and all(field.isEnabled() for field in chosen)
    assert pane.focus_field("notes")
    qtbot.keyClicks(pane.notes, " checked")
    pane.flush()
    assert str(_value(window, "c-breach", "notes")).endswith(" checked")  # editable again, and saved


def test_the_history_heading_names_the_undo_mark_only_when_this_window_can_undo(
    qtbot: QtBot, window: MainWindow, clock: Clock
) -> None:
    """As of a moment nothing can be undone, so the heading does not explain the ↶ mark; back to now it does."""
    heading = window.history_heading
    window.table.select_claim(_id(window, "c-breach"))
    clock.tick()
    _press(qtbot, window, "2")
    assert heading.text() == HEADING_LIVE and UNDOABLE in heading.text()
    _replayed(qtbot, window, lambda: _press(qtbot, window, "["))
    assert heading.text() == HEADING and UNDOABLE.strip() not in heading.text()
    assert not any(line.startswith(UNDOABLE) for line in window.history.lines())
    with qtbot.waitSignal(window.as_of.changed, timeout=REPLAY_MS):
        _press(qtbot, window, key_of("history.now"))
    assert heading.text() == HEADING_LIVE
    assert window.history.lines()[0].startswith(UNDOABLE)  # the grade, undoable again
