"""Keyboard-only review flows through the reference scenario (Bakhmut, December 2022), in the real window.

Every step is a key press on the focused widget of the active window, as an
analyst would type it; assertions read what the analyst would see — the table's
rows, the detail pane, the status bar — and the workspace behind them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.workspace import Workspace
from desktop.ui.commands.cheatsheet import CheatSheet
from desktop.ui.commands.key_hints import VERDICT_HINT
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE

NEW_CLAIM = "Ukrainian forces repelled the Russian assault on Klishchiivka."


def key(qtbot: QtBot, window: MainWindow, name: Qt.Key, modifiers: Qt.KeyboardModifier | None = None) -> None:
    """Press a key where the keyboard focus is, as the analyst would."""
    target = QApplication.focusWidget() or window.focusWidget() or window.table
    if modifiers is None:
        qtbot.keyClick(target, name)
    else:
        qtbot.keyClick(target, name, modifiers)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, in any script (QTest.keyClicks aborts outside Latin-1)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        code = ord(char.upper())  # Qt's key code of a non-Latin letter is its upper-case code point
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, char))


def status_of(window: MainWindow, claim: int) -> str:
    model = window.table.claim_model
    row = model.row_of(claim)
    assert row is not None, f"claim {claim} is not in the table"
    found = model.claim_row(row)
    assert found is not None
    return found.status


def go_to(qtbot: QtBot, window: MainWindow, claim: int) -> None:
    """j / k until ``claim`` is the current row (the analyst scanning the table)."""
    target = window.table.claim_model.row_of(claim)
    assert target is not None
    for _ in range(window.table.claim_model.rowCount()):
        row = window.table.currentIndex().row()
        if row == target:
            return
        key(qtbot, window, Qt.Key.Key_J if row < target else Qt.Key.Key_K)
    assert window.table.current_claim() == claim


def answer_modal(qtbot: QtBot, steps: Callable[[QWidget], None]) -> list[str]:
    """Answer the next modal dialog from the keyboard once it is up; closes it if ``steps`` fails."""
    problems: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        try:
            # Offscreen Qt has no window manager to activate a new modal dialog (and waitActive does not
            # wait there): ask, and wait until it is, or keys would reach the blocked main window.
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            steps(dialog)
        except Exception as error:  # noqa: BLE001 — reported by the test, never left as a hung dialog
            problems.append(repr(error))
        if dialog.isVisible():
            problems.append("the dialog stayed open")
            dialog.close()

    QTimer.singleShot(0, run)
    return problems


def test_reference_scenario_from_the_keyboard(qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]) -> None:
    """Add a claim, grade and pin it, contradict it from another claim, undo, redo, review, verdict."""
    session = window.session
    klishchiivka = sample_ids["c-mb-klishchiivka"]
    assert status_of(window, klishchiivka) == "corroborated"

    # a: add the General Staff's counter-claim, answering the dialog with keys only.
    def fill(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.text, NEW_CLAIM)  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
        assert dialog.focusWidget() is dialog.source  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.source, "Armed")  # type: ignore[attr-defined]  # keyboard search in the combo
        assert dialog.source.currentText().startswith("Armed Forces of Ukraine")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.source, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # takes the match
        qtbot.keyClick(dialog.source, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # the default button

    problems = answer_modal(qtbot, fill)
    key(qtbot, window, Qt.Key.Key_A)
    assert problems == []
    new = window.table.current_claim()
    assert new is not None and new not in sample_ids.values()
    assert window.detail.text.toPlainText() == NEW_CLAIM
    qtbot.waitUntil(window.table.hasFocus)  # the window is active again (asynchronous offscreen)
    assert status_of(window, new) == "unverified"

    # 2: grade it; p: pin it (the status bar shows it).
    key(qtbot, window, Qt.Key.Key_2)
    assert window.detail.credibility.value() == 2
    key(qtbot, window, Qt.Key.Key_P)
    assert session.pinned == new
    assert window.status.pinned.isVisible() and "Armed Forces of Ukraine" in window.status.pinned.toolTip()

    # Move to the milblogger's Klishchiivka claim and mark it contradicting the pinned one: x.
    go_to(qtbot, window, klishchiivka)
    key(qtbot, window, Qt.Key.Key_X)
    assert status_of(window, klishchiivka) == "contested"
    assert status_of(window, new) == "contradicted"
    assert window.detail.claim_id == klishchiivka
    assert "contested" in window.detail.status.text().lower()
    assert window.table.hasFocus()

    # Ctrl+Z: both statuses back; Ctrl+Shift+Z: again.
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status_of(window, klishchiivka) == "corroborated"
    assert status_of(window, new) == "unverified"
    assert "corroborated" in window.detail.status.text().lower()
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert status_of(window, klishchiivka) == "contested"
    assert status_of(window, new) == "contradicted"
    assert window.table.hasFocus() and window.table.current_claim() == klishchiivka

    # Shift+P: back to the pinned claim; the detail pane explains its new status.
    key(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert window.table.current_claim() == new
    assert "contradicted" in window.detail.status.text().lower()

    # Space: mark reviewed and jump to the next unreviewed claim.
    expected_next = window.table.claim_model.next_unreviewed(new)
    key(qtbot, window, Qt.Key.Key_Space)
    assert session.store.engine is not None
    with session.engine.connect() as connection:
        reviewed = connection.exec_driver_sql("SELECT reviewed FROM claim WHERE id = ?", (new,)).scalar_one()
    assert reviewed
    assert window.table.current_claim() == expected_next != new

    # v then c: the verdict chord (a hint shows after v).
    key(qtbot, window, Qt.Key.Key_V)
    assert window.status.message_text() == VERDICT_HINT
    key(qtbot, window, Qt.Key.Key_C)
    assert window.detail.verdict.value() == "confirmed"
    assert "confirmed (verdict)" in window.detail.status.text().lower()
    key(qtbot, window, Qt.Key.Key_V)
    key(qtbot, window, Qt.Key.Key_0)
    assert window.detail.verdict.value() is None
    key(qtbot, window, Qt.Key.Key_V)
    key(qtbot, window, Qt.Key.Key_Escape)  # Esc cancels a pending chord
    assert window.status.message_text() == ""
    assert window.detail.verdict.value() is None


def test_filter_in_another_script_and_back_to_the_table(qtbot: QtBot, window: MainWindow) -> None:
    """/ then place:бахмут narrows the table to the Bakhmut claims; Esc returns to the table."""
    key(qtbot, window, Qt.Key.Key_Slash)
    assert window.filter_bar.edit.hasFocus()
    type_text(qtbot, window.filter_bar.edit, "place:бахмут")
    assert window.filter_bar.text() == "place:бахмут"
    model = window.table.claim_model
    qtbot.waitUntil(lambda: model.filter_text() == "place:бахмут")
    assert model.rowCount() == 14  # every sample claim placed in Bakhmut, found by its Cyrillic alias
    assert "14 of 20" in window.filter_bar.count.text()
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.table.hasFocus()
    assert window.table.current_claim() is not None
    assert window.detail.claim_id == window.table.current_claim()
    key(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert model.rowCount() == 20 and window.filter_bar.text() == ""


def test_delete_then_undo_brings_the_claim_back(qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]) -> None:
    breach = sample_ids["c-breach"]
    go_to(qtbot, window, breach)
    links_before = window.detail.detail.links  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Delete)
    assert window.table.claim_model.row_of(breach) is None
    assert window.status.message_text().startswith("Deleted — Ctrl+Z")
    assert window.table.hasFocus() and window.table.current_claim() is not None
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.table.current_claim() == breach
    assert window.detail.detail is not None and window.detail.detail.links == links_before
    assert status_of(window, breach) == "contradicted"


def test_palette_and_cheat_sheet_open_and_close_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.palette_popup
    assert palette is not None and palette.isVisible() and palette.query.hasFocus()
    qtbot.keyClick(palette.query, Qt.Key.Key_Escape)
    assert not palette.isVisible()
    qtbot.waitUntil(window.table.hasFocus)

    key(qtbot, window, Qt.Key.Key_Question)
    sheet = window.cheatsheet
    assert isinstance(sheet, CheatSheet) and sheet.isVisible()
    qtbot.keyClicks(sheet.search, "pin")
    assert "claim.pin" in sheet.listed_names(visible_only=True)
    qtbot.keyClick(sheet.search, Qt.Key.Key_Escape)
    assert not sheet.isVisible()
    qtbot.waitUntil(window.table.hasFocus)

    key(qtbot, window, Qt.Key.Key_F1)  # the cheat sheet also opens from anywhere, e.g. the filter
    assert sheet.isVisible() and sheet.search.text() == ""
    qtbot.keyClick(sheet.search, Qt.Key.Key_Escape)


def test_palette_runs_a_command_that_opens_the_filter(qtbot: QtBot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.palette_popup
    assert palette is not None
    qtbot.keyClicks(palette.query, "filter claims")
    assert palette.current_name() == "view.filter"
    qtbot.keyClick(palette.query, Qt.Key.Key_Return)
    qtbot.waitUntil(window.filter_bar.edit.hasFocus)


def test_layout_and_filter_persist_into_the_next_session(
    qtbot: QtBot,
    open_window: Callable[[WorkspaceSession], MainWindow],
    review_session: WorkspaceSession,
    sample_workspace: Workspace,
) -> None:
    first = open_window(review_session)
    key(qtbot, first, Qt.Key.Key_Slash)
    qtbot.keyClicks(first.filter_bar.edit, "status:contradicted")
    key(qtbot, first, Qt.Key.Key_Return)  # Enter applies the filter and returns to the table
    assert first.table.hasFocus()
    first.resize(760, 540)  # inside the offscreen screen, so restoring the geometry keeps it as it is
    first.splitter.setSizes([480, 260])
    sizes = first.splitter.sizes()
    key(qtbot, first, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Q closes the window
    assert not first.isVisible()

    second = open_window(WorkspaceSession(sample_workspace))
    assert second.filter_bar.text() == "status:contradicted"
    assert second.table.claim_model.rowCount() == 3
    assert second.splitter.sizes() == sizes
    assert second.table.hasFocus()


@pytest.mark.parametrize(("keys", "grade"), [(Qt.Key.Key_1, 1), (Qt.Key.Key_6, 6)])
def test_grade_keys_and_clear(qtbot: QtBot, window: MainWindow, keys: Qt.Key, grade: int) -> None:
    key(qtbot, window, keys)
    assert window.detail.credibility.value() == grade
    key(qtbot, window, Qt.Key.Key_0)
    assert window.detail.credibility.value() is None
    key(qtbot, window, Qt.Key.Key_U)  # u: undo the clearing
    assert window.detail.credibility.value() == grade
