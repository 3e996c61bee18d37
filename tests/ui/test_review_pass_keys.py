"""A first review pass by keys, as a new analyst makes it: the detail pane shows each claim's status first,
Enter presses the pane's buttons as its hints say, and a link's confirmation fits in the status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.detail import edits as detail_edits
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def test_the_next_claim_shows_its_status_even_after_an_edit_scrolled_the_pane(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    window.resize(1260, 810)
    assert window.table.select_claim(sample_ids["c-genstaff-repelled"])  # a long explanation above the fields
    window.edit_field("notes")  # the last field: the pane scrolls down to it
    scroll = window.detail.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.value() > 0)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Escape)
    assert window.table.hasFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert scroll.value() == 0


def test_moving_on_from_inside_the_pane_keeps_its_place(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    """Going to a linked claim from the pane's links list: the analyst is working in the pane, it stays put."""
    window.resize(1260, 810)
    window.edit_field("notes")
    scroll = window.detail.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.value() > 0)
    kept = scroll.value()
    window.session.set_current(sample_ids["c-breach"])
    assert scroll.value() == kept


def test_enter_on_add_place_opens_the_place_picker(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    monkeypatch.setattr(detail_edits, "pick_place", lambda *args, **kwargs: asked.append(1))
    assert window.focus_add_place()
    qtbot.keyClick(window.detail.add_place, Qt.Key.Key_Return)
    assert asked == [1]


def test_a_links_confirmation_fits_in_the_status_bar_beside_the_pinned_claim(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    window.resize(1260, 810)
    qtbot.waitUntil(lambda: window.status.width() > 1200)
    assert window.table.select_claim(sample_ids["c-breach"])
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    assert window.table.select_claim(sample_ids["c-breach-relay-a"])  # a long source name and text
    qtbot.keyClick(window.table, Qt.Key.Key_C)
    message = window.status.message
    said = window.status.message_text()
    assert said == "Marked: the current claim corroborates the pinned claim (u / Ctrl+Z undoes)."
    assert message.fontMetrics().horizontalAdvance(message.text()) <= message.width()
    assert window.status.pinned.width() <= window.status.width() // 3


def test_the_cheat_sheet_is_as_wide_as_its_descriptions_and_never_wider_than_the_screen(qtbot: QtBot) -> None:
    """A keyboard user never sees the tooltip of a cut-off description: the sheet makes room, within the screen."""
    from desktop.ui.commands.cheatsheet import CheatSheet
    from desktop.ui.commands.keymap import KEYMAP

    sheet = CheatSheet()
    qtbot.addWidget(sheet)
    screen = sheet.screen().availableGeometry().width()
    assert sheet.width() <= screen
    tree = sheet.tree
    longest = max(tree.fontMetrics().horizontalAdvance(entry.description) for entry in KEYMAP)
    wanted = tree.columnWidth(0) + tree.columnWidth(1) + longest
    assert sheet.width() >= min(wanted, screen * 9 // 10)
