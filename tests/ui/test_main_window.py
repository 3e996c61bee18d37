"""The main window: shortcut contexts, focus after commands, the status bar, menus, settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.workspace import Workspace
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.status_bar import ERROR_PREFIX
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE

Opener = Callable[[WorkspaceSession], MainWindow]


def _ran(window: MainWindow) -> list[str]:
    names: list[str] = []
    window.commands.ran.connect(names.append)
    return names


def _link(window: MainWindow, a: int, b: int) -> Any:
    return window.session.store.effective_between(a, b)


def _pin_and_go(qtbot: QtBot, window: MainWindow, pinned: int, current: int) -> None:
    assert window.table.select_claim(pinned)
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    assert window.session.pinned == pinned
    assert window.table.select_claim(current)


# --- layout and status bar ----------------------------------------------------------------------


def test_title_status_bar_and_initial_focus(window: MainWindow) -> None:
    label = window.session.workspace.label
    assert window.windowTitle() == f"Crosscheck — {label}"
    assert window.status.workspace.text() == label
    assert window.table.hasFocus()
    assert window.table.current_claim() is not None  # a current row from the start
    assert window.detail.claim_id == window.table.current_claim()


def test_pinning_shows_the_pinned_claim_in_the_status_bar(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    assert window.status.pinned.isVisible()
    assert window.status.pinned.text().startswith("⚑ pinned: [")
    qtbot.keyClick(window.table, Qt.Key.Key_P)  # p on the pinned claim unpins it
    assert window.session.pinned is None
    assert not window.status.pinned.isVisible()


def test_session_errors_show_red_with_a_warning_sign(window: MainWindow) -> None:
    window.session.error.emit("claim 9 no longer exists")
    assert window.status.message_text() == ERROR_PREFIX + "claim 9 no longer exists"
    assert window.status.is_error


def test_menus_hold_every_command_with_undo_text(qtbot: QtBot, window: MainWindow) -> None:
    assert list(window.menus) == ["File", "Edit", "Claim", "Capture", "View", "Tools", "Help"]
    assert not window.named_actions["edit.undo"].isEnabled()
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    assert window.named_actions["edit.undo"].isEnabled()
    assert window.named_actions["edit.undo"].text() == "&Undo credibility 3"  # its menu letter kept


# --- shortcut contexts ----------------------------------------------------------------------------


def test_typing_in_the_filter_bar_marks_nothing(qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]) -> None:
    """With a pinned claim, "cx" typed in the filter is text, not corroborates + contradicts."""
    pinned, current = sample_ids["c-genstaff-repelled"], sample_ids["c-mb-klishchiivka"]
    _pin_and_go(qtbot, window, pinned, current)
    ran = _ran(window)
    qtbot.keyClick(window.table, Qt.Key.Key_Slash)
    assert window.filter_bar.edit.hasFocus()
    qtbot.keyClicks(window.filter_bar.edit, "cx1v0 pu")
    assert window.filter_bar.text() == "cx1v0 pu"
    assert ran == ["view.filter"]
    assert _link(window, current, pinned) is None
    assert window.session.undo_stack.count() == 0


def test_typing_in_a_detail_field_marks_nothing(qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]) -> None:
    _pin_and_go(qtbot, window, sample_ids["c-genstaff-repelled"], sample_ids["c-mb-klishchiivka"])
    qtbot.keyClick(window.table, Qt.Key.Key_T)  # t: the tags field
    assert window.detail.tags.hasFocus()
    ran = _ran(window)
    qtbot.keyClicks(window.detail.tags, "x c 2")
    assert ran == []
    assert window.detail.tags.text().endswith("x c 2")
    qtbot.keyClick(window.detail.tags, Qt.Key.Key_Escape)  # first Esc reverts the typing
    qtbot.keyClick(window.detail.tags, Qt.Key.Key_Escape)  # second: back to the table
    assert window.table.hasFocus()
    assert window.session.undo_stack.count() == 0


def test_escape_returns_from_the_filter_keeping_it(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_bar.edit.hasFocus()
    qtbot.keyClicks(window.filter_bar.edit, "status:contradicted")
    qtbot.keyClick(window.filter_bar.edit, Qt.Key.Key_Escape)
    assert window.table.hasFocus()
    qtbot.waitUntil(lambda: window.table.claim_model.filter_text() == "status:contradicted")
    assert window.table.claim_model.rowCount() == 3
    assert window.table.current_claim() is not None


def test_a_disabled_command_key_explains_itself(qtbot: QtBot, window: MainWindow) -> None:
    """x with nothing pinned: the status bar says why, and the table does not jump."""
    before = window.table.current_claim()
    qtbot.keyClick(window.table, Qt.Key.Key_X)
    assert "pin a claim first" in window.status.message_text()
    assert window.table.current_claim() == before
    qtbot.keyClick(window.table, Qt.Key.Key_W)
    assert "No command on" in window.status.message_text()


def test_user_errors_from_commands_go_to_the_status_bar(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    _pin_and_go(qtbot, window, sample_ids["c-genstaff-repelled"], sample_ids["c-mb-klishchiivka"])
    qtbot.keyClick(window.table, Qt.Key.Key_Minus)  # remove a link that does not exist
    assert window.status.is_error and "not linked" in window.status.message_text()
    assert window.table.hasFocus()


# --- focus after commands -------------------------------------------------------------------------


def test_focus_stays_on_the_table_after_link_undo_and_delete(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    pinned, current = sample_ids["c-genstaff-repelled"], sample_ids["c-mb-klishchiivka"]
    _pin_and_go(qtbot, window, pinned, current)
    qtbot.keyClick(window.table, Qt.Key.Key_C)
    assert _link(window, current, pinned)["relation"] == "corroborates"
    assert window.table.hasFocus() and window.table.current_claim() == current
    qtbot.keyClick(window.table, Qt.Key.Key_U)
    assert _link(window, current, pinned) is None
    assert window.table.hasFocus() and window.table.current_claim() == current
    count = window.table.claim_model.rowCount()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert window.table.claim_model.rowCount() == count - 1
    assert "Deleted — Ctrl+Z" in window.status.message_text()
    assert window.table.hasFocus() and window.table.current_claim() not in (None, current)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.table.claim_model.rowCount() == count
    assert window.table.current_claim() == current  # the restored claim is selected again
    assert window.table.hasFocus()


def test_shift_link_key_asks_for_a_rationale(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned, current = sample_ids["c-genstaff-repelled"], sample_ids["c-mb-klishchiivka"]
    _pin_and_go(qtbot, window, pinned, current)
    asked: list[tuple[str, ...]] = []

    def answer(parent: object, relation: str, a: str, b: str) -> str | None:
        asked.append((relation, a, b))
        return "different villages"

    monkeypatch.setattr("desktop.ui.dialogs.rationale.ask_rationale", answer)
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert asked and asked[0][0] == "neutral"
    link = _link(window, current, pinned)
    assert link["relation"] == "neutral" and link["rationale"] == "different villages"
    monkeypatch.setattr("desktop.ui.dialogs.rationale.ask_rationale", lambda *a: None)  # cancelled
    qtbot.keyClick(window.table, Qt.Key.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert _link(window, current, pinned)["relation"] == "neutral"
    assert window.table.hasFocus()


def test_enter_edits_in_the_detail_pane_and_escape_comes_back(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.detail.text.hasFocus()
    qtbot.keyClick(window.detail.text, Qt.Key.Key_Escape)
    assert window.table.hasFocus()


def test_space_on_the_last_unreviewed_claim_says_so(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    with session.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE claim SET reviewed = 1")
    session.refresh_all()
    window.back_to_table()
    claim = window.table.current_claim()
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert "No unreviewed claim" in window.status.message_text()
    assert window.table.current_claim() == claim
    assert session.undo_stack.count() == 0  # already reviewed: no empty undo step


# --- settings -------------------------------------------------------------------------------------


def test_settings_persist_across_windows(
    qtbot: QtBot, open_window: Opener, review_session: WorkspaceSession, sample_workspace: Workspace
) -> None:
    first = open_window(review_session)
    first.resize(760, 540)  # inside the offscreen screen (800×600): restoreGeometry keeps windows on screen
    first.splitter.setSizes([450, 300])
    first.table.horizontalHeader().resizeSection(1, 233)
    first.filter_bar.set_text("place:soledar")
    sizes = first.splitter.sizes()
    first.close()

    second = open_window(WorkspaceSession(sample_workspace))
    assert (second.width(), second.height()) == (760, 540)
    assert second.splitter.sizes() == sizes
    assert second.table.horizontalHeader().sectionSize(1) == 233
    assert second.filter_bar.text() == "place:soledar"
    assert second.table.claim_model.filter_text() == "place:soledar"
    assert second.table.claim_model.rowCount() == 1


# --- edit keys and an empty workspace ---------------------------------------------------------------


def test_field_keys_focus_the_detail_pane(qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]) -> None:
    window.table.select_claim(sample_ids["c-breach"])
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    assert window.detail.source.hasFocus()
    qtbot.keyClick(window.detail.source, Qt.Key.Key_Escape)
    assert window.table.hasFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)  # the links list
    assert window.detail.links.hasFocus()
    qtbot.keyClick(window.detail.links, Qt.Key.Key_Escape)
    window.table.select_claim(sample_ids["c-zelenskyy-ruins"])  # no links at all
    qtbot.keyClick(window.table, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert "No links yet" in window.status.message_text()
    assert window.table.hasFocus()


def test_an_empty_workspace_explains_every_key(
    qtbot: QtBot, open_window: Opener, empty_session: WorkspaceSession
) -> None:
    window = open_window(empty_session)
    assert window.table.hasFocus() and window.table.current_claim() is None
    for key_, expected in (
        (Qt.Key.Key_J, "Next claim: no claims in view"),
        (Qt.Key.Key_2, "Credibility 2 — probably true: no claim selected"),
        (Qt.Key.Key_V, "Verdict: no claim selected"),
        (Qt.Key.Key_X, "Contradicts pinned claim: pin a claim first"),
        (Qt.Key.Key_Delete, None),  # not printable: the table's own (it does nothing)
    ):
        window.status.clear_message()
        qtbot.keyClick(window.table, key_)
        if expected:
            assert window.status.message_text().startswith(expected)
    assert not window.named_actions["claim.delete"].isEnabled()
    assert window.named_actions["claim.add"].isEnabled()


def test_a_locked_workspace_is_one_line_in_the_status_bar_and_undo_does_nothing(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database refusal the analyst can act on is a message, not a bug dialog, and leaves no undo step."""
    import sqlite3

    from desktop.core.store.tx import Tx

    relay, breach = sample_ids["c-breach-relay-a"], sample_ids["c-breach"]
    _pin_and_go(qtbot, window, breach, relay)
    real = Tx.flush_audit

    def flush_then_fail(self: Tx) -> None:
        real(self)
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Tx, "flush_audit", flush_then_fail)
    qtbot.keyClick(window.table, Qt.Key.Key_X)  # mark contradicts: the write fails before its commit
    assert window.status.is_error
    assert window.status.message_text() == ERROR_PREFIX + (
        "the workspace is busy: another program is writing to it — try again in a moment; nothing was changed"
    )
    assert not window.named_actions["edit.undo"].isEnabled()
    monkeypatch.undo()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _link(window, relay, breach)["relation"] == "repeats"  # unchanged: the failed mark never happens
    assert window.table.hasFocus()
