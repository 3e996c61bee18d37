"""A navigation key selects its row alone, whatever modifier it is spelt with (Shift+G, Shift+J), even
after rows left and came back under a filter: otherwise the next key (a grade, a verdict) would act on
the claim selected before as well."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def test_shift_g_after_a_link_and_its_undo_selects_the_last_claim_alone(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    table = window.table
    assert table.select_claim(sample_ids["c-genstaff-repelled"])
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_P)  # pinned: an independent claim from another side
    window.apply_filter("status:unverified source:isw")
    table.setFocus()
    count = table.claim_model.rowCount()
    qtbot.keyClick(table, Qt.Key.Key_End)
    qtbot.keyClick(table, Qt.Key.Key_C)  # the last claim is corroborated now: it leaves the filter
    assert table.claim_model.rowCount() == count - 1
    assert table.selected_rows() == [count - 2]  # its neighbour took its place
    qtbot.keyClick(table, Qt.Key.Key_U)  # and it comes back
    assert table.claim_model.rowCount() == count
    # Through the window system, as a real key: Qt then knows Shift is held while the action runs.
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_G, Qt.KeyboardModifier.ShiftModifier)
    assert table.currentIndex().row() == count - 1
    assert table.selected_rows() == [count - 1]
    assert table.selected_claims() == [table.current_claim()]


def test_shift_arrows_still_extend_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    table = window.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert table.selected_rows() == [0, 1, 2]
