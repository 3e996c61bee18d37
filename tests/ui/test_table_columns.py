"""The claim table's columns: the claim text keeps a readable width, optional columns are hidden until asked
for (View > Columns, or a right click on the header), and what is shown survives a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from desktop.ui.session import WorkspaceSession
from desktop.ui.table import columns as cols
from desktop.ui.table.view import ClaimTable
from desktop.ui.window import layout_settings
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.menus import COLUMNS, SORT
from desktop.ui.window.mnemonics import marked_letter
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _shown(table: ClaimTable) -> list[str]:
    header = table.horizontalHeader()
    return [cols.HEADERS[c] for c in range(cols.COLUMN_COUNT) if not header.isSectionHidden(c)]


def _text_width(table: ClaimTable) -> int:
    return table.horizontalHeader().sectionSize(cols.COL_TEXT)


def _sized(qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width)
    window.splitter.setSizes([width - 440, 0, 440])  # the first start's split (layout_settings)
    qtbot.waitUntil(lambda: abs(window.table.width() - (width - 440)) < 40)


def test_at_1400_px_the_claim_text_gets_a_third_of_the_table(qtbot: QtBot, window: MainWindow) -> None:
    """With every column shown the text was squeezed to a few characters; it must stay the widest column."""
    _sized(qtbot, window, 1400, 860)
    table = window.table
    viewport = table.viewport().width()
    header = table.horizontalHeader()
    assert _text_width(table) >= viewport * 3 // 10
    assert all(_text_width(table) > header.sectionSize(c) for c in range(1, cols.COLUMN_COUNT))
    # It takes all the room the other columns leave: no gap at the right, no sideways scrolling.
    assert header.length() == viewport
    assert table.horizontalScrollBar().maximum() == 0


def test_the_optional_columns_are_hidden_by_default(window: MainWindow) -> None:
    assert _shown(window.table) == ["Claim", "Source", "Side", "Date", "Place", "Status", "Cred.", "Links"]


def test_a_narrow_table_keeps_the_text_readable_and_scrolls_sideways(qtbot: QtBot, window: MainWindow) -> None:
    table = window.table
    table.show_column(cols.COL_REPORT, True)
    table.show_column(cols.COL_LIKELIHOOD, True)
    _sized(qtbot, window, 1024, 740)
    floor = table.claim_text_floor()
    assert _text_width(table) == floor
    assert floor >= 25 * table.fontMetrics().averageCharWidth()
    assert table.horizontalScrollBar().maximum() > 0  # the other columns are a scroll away, not squeezed
    table.default_columns()
    _sized(qtbot, window, 1600, 860)
    assert _text_width(table) > floor  # room again: the text stretches


def test_view_columns_shows_and_hides_a_column_and_the_text_is_not_offered(window: MainWindow) -> None:
    menu = window.menus["View"].findChild(QMenu, COLUMNS)
    assert menu is not None
    menu.aboutToShow.emit()
    entries = {a.text(): a for a in menu.actions() if a.text()}
    assert "Claim" not in entries
    assert not entries["Report"].isChecked() and entries["Source"].isChecked()
    entries["Report"].trigger()
    assert "Report" in _shown(window.table)
    entries["Source"].trigger()
    assert "Source" not in _shown(window.table)
    menu.aboutToShow.emit()  # filled afresh: the ticks follow the table
    ticks = {a.text(): a.isChecked() for a in menu.actions() if a.isCheckable()}
    assert ticks["Report"] and not ticks["Source"]
    next(a for a in menu.actions() if a.text() == "Default columns").trigger()
    assert _shown(window.table) == ["Claim", "Source", "Side", "Date", "Place", "Status", "Cred.", "Links"]


def test_the_header_right_click_offers_the_same_menu(window: MainWindow) -> None:
    menu = window.table._show_column_menu(QPoint(5, 5))
    try:
        assert [a.text().replace("&", "") for a in menu.actions() if a.isCheckable()] == list(cols.COLUMN_NAMES[1:])
    finally:
        menu.close()


def test_the_shown_columns_survive_a_restart(
    qtbot: QtBot, window: MainWindow, review_session: WorkspaceSession
) -> None:
    window.table.show_column(cols.COL_GRADE, True)
    window.table.show_column(cols.COL_SIDE, False)
    layout_settings.save_layout(window, window.view_location)
    other = MainWindow(review_session)
    qtbot.addWidget(other)
    assert "Grade" in _shown(other.table) and "Side" not in _shown(other.table)
    other.table.show_column(cols.COL_TEXT, False)  # the claim text cannot be hidden
    layout_settings.restore_layout(other, other.view_location)
    assert "Claim" in _shown(other.table)


def test_the_first_start_gives_the_detail_pane_its_width(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader between the table and the pane is hidden at first; the pane's form still gets its 440 px."""
    monkeypatch.setattr(layout_settings, "first_size", lambda _available: (1400, 860))  # a large screen
    layout_settings.restore_layout(window, window.view_location)  # nothing saved yet: the first start's layout
    qtbot.waitUntil(lambda: window.width() == 1400)
    table, reader, pane = window.splitter.sizes()
    assert reader == 0 and abs(pane - 440) <= 10


def test_view_sort_by_sorts_from_the_keyboard_and_again_reverses(qtbot: QtBot, window: MainWindow) -> None:
    """The header takes no focus: View > Sort by is how a keyboard-only analyst sorts (a letter per column)."""
    menu = window.menus["View"].findChild(QMenu, SORT)
    assert menu is not None
    model = window.table.model()

    def press(name: str) -> None:
        menu.popup(window.mapToGlobal(QPoint(20, 20)))
        qtbot.waitUntil(menu.isVisible)
        letters = {a.text().replace("&", "").split(" (")[0]: marked_letter(a.text()) for a in menu.actions()}
        assert None not in letters.values()
        qtbot.keyClick(menu, letters[name])  # the entry's underlined letter
        assert not menu.isVisible()

    press("Source")
    assert (model.sort_column(), model.sort_order()) == (cols.COL_SOURCE, Qt.SortOrder.AscendingOrder)
    menu.aboutToShow.emit()
    checked = [a.text().replace("&", "") for a in menu.actions() if a.isChecked()]
    assert checked == ["Source (ascending; again: reverse)"]
    press("Source")
    assert (model.sort_column(), model.sort_order()) == (cols.COL_SOURCE, Qt.SortOrder.DescendingOrder)
    press("Status")
    assert (model.sort_column(), model.sort_order()) == (cols.COL_STATUS, Qt.SortOrder.AscendingOrder)
    assert window.table.horizontalHeader().sortIndicatorSection() == cols.COL_STATUS  # as a header click would
