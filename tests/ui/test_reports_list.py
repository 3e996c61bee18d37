"""The Reports list (F3): a list with columns, wide enough that a long title reads whole, driven by keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.read.reports import list_reports
from desktop.ui.reader.reports import ReportsDialog
from desktop.ui.window.main_window import MainWindow
from tests.e2e.test_review_flow import key
from tests.ui.test_dialogs import answer_next_dialog
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE

LONG_TITLE = (
    "Russian Offensive Campaign Assessment, December 14, 2022: Bakhmut direction, Kreminna line "
    "and the southern axis in one long title"
)


def open_list_and(qtbot: QtBot, window: MainWindow, steps: Callable[[Any], object]) -> None:
    """F3, then ``steps`` on the Reports list; it is closed afterwards even when a step fails, so a failed
    look never leaves ``exec()`` waiting (closing is a no-op once Enter has closed it)."""

    def look(dialog: Any) -> None:
        try:
            steps(dialog)
        finally:
            dialog.reject()

    answer_next_dialog(qtbot, look)
    key(qtbot, window, Qt.Key.Key_F3)


def test_the_reports_list_shows_each_title_whole_beside_its_publisher_date_and_claims(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1400, 880)
    outcome = window.session.perform(
        lambda store: store.create_report(LONG_TITLE, published=dt.date(2022, 12, 14), text="Body."), "add report"
    )
    assert outcome.ok
    seen: dict[str, Any] = {}

    def read(dialog: Any) -> None:
        assert isinstance(dialog, ReportsDialog)
        table = dialog.list
        seen["headers"] = [table.headerItem().text(c) for c in range(table.columnCount())]
        rows = {table.topLevelItem(i).text(0): table.topLevelItem(i) for i in range(table.topLevelItemCount())}
        seen["long row"] = [rows[LONG_TITLE].text(c) for c in range(1, 4)]
        seen["width"] = dialog.width()
        seen["cut"] = [c for c in range(4) if table.columnWidth(c) < table.sizeHintForColumn(c)]
        qtbot.keyClicks(dialog.search, "one long title")  # search, Enter: that report opens in the reader
        seen["found"] = table.topLevelItemCount()
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    open_list_and(qtbot, window, read)
    assert seen["headers"] == ["Title", "Publisher", "Published", "Claims"]
    assert seen["long row"] == ["no publisher", "2022-12-14", "0"]
    assert 760 < seen["width"] <= 0.9 * window.width()  # sized to its rows, not the old fixed 760 px
    assert seen["cut"] == []  # no column, the longest title's included, is cut
    assert seen["found"] == 1
    assert window.reader.report is not None and window.reader.report.title == LONG_TITLE


def test_up_and_down_move_through_the_reports_and_shift_enter_lists_the_claims(
    qtbot: QtBot, window: MainWindow
) -> None:
    seen: list[Any] = []

    def steps(dialog: Any) -> None:
        assert isinstance(dialog, ReportsDialog)
        seen.append(dialog.current())
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        seen.append(dialog.list.indexOfTopLevelItem(dialog.list.currentItem()))
        qtbot.keyClick(dialog.search, Qt.Key.Key_Up)
        qtbot.keyClick(dialog.search, Qt.Key.Key_Up)  # stays on the first
        seen.append(dialog.current())
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        seen.append(dialog.list.currentItem().text(0))
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)

    open_list_and(qtbot, window, steps)
    first, row, again, title = seen
    assert row == 1 and again == first
    assert window.filter_bar.edit.text().startswith("report:")
    assert title  # the second report's claims are what the table shows now


def test_delete_inside_the_typed_search_edits_it_and_at_its_end_deletes_the_report(
    qtbot: QtBot, window: MainWindow
) -> None:
    outcome = window.session.perform(lambda store: store.create_report("Kupiansk update", text="Body."), "add report")
    assert outcome.ok
    seen: dict[str, Any] = {}

    def steps(dialog: Any) -> None:
        assert isinstance(dialog, ReportsDialog)
        dialog.search.setFocus()
        qtbot.keyClicks(dialog.search, "Kupianskx")
        seen["listed"] = dialog.list.topLevelItemCount()
        qtbot.keyClick(dialog.search, Qt.Key.Key_Left)
        qtbot.keyClick(dialog.search, Qt.Key.Key_Delete)  # the stray x goes, no report does
        seen["text"] = dialog.search.text()
        seen["after edit"] = dialog.list.topLevelItemCount()
        qtbot.keyClick(dialog.search, Qt.Key.Key_Delete)  # at the end: the highlighted report goes
        seen["after delete"] = dialog.list.topLevelItemCount()

    before = _report_count(window)
    open_list_and(qtbot, window, steps)
    assert seen["text"] == "Kupiansk"
    assert seen["after edit"] >= 1
    assert seen["after delete"] == seen["after edit"] - 1
    assert _report_count(window) == before - 1


def _report_count(window: MainWindow) -> int:
    with window.session.engine.connect() as connection:
        return len(list_reports(connection, ""))
