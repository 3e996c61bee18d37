"""Menus answer the keyboard: with a menu open, an entry's underlined letter picks it."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from desktop.ui.table import columns as cols
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.menus import COLUMNS
from desktop.ui.window.mnemonics import marked_letter, with_mnemonic
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _letters(menu: QMenu) -> list[str | None]:
    return [marked_letter(a.text()) for a in menu.actions() if not a.isSeparator() and a.text()]


def _every_menu(menu: QMenu) -> list[QMenu]:
    found = [menu]
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found += _every_menu(submenu)
    return found


def test_a_letter_in_the_open_view_menu_runs_its_entry(qtbot: QtBot, window: MainWindow) -> None:
    ran: list[str] = []
    window.commands.ran.connect(ran.append)
    menu = window.menus["View"]
    menu.popup(window.mapToGlobal(QPoint(20, 20)))
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_M)  # "&Map", not the table's m (edit notes) behind the menu
    assert ran == ["view.map"]
    assert not menu.isVisible()


def test_a_letter_in_a_submenu_grades_the_claim(qtbot: QtBot, window: MainWindow) -> None:
    ran: list[str] = []
    window.commands.ran.connect(ran.append)
    grades = next(a.menu() for a in window.menus["Claim"].actions() if a.text() == "C&redibility")
    assert isinstance(grades, QMenu)
    grades.popup(window.mapToGlobal(QPoint(20, 20)))
    qtbot.waitUntil(grades.isVisible)
    qtbot.keyClick(grades, Qt.Key.Key_2)  # "Credibility &2 — probably true"
    assert ran == ["grade.2"]
    assert window.detail.credibility.currentText() == "2 — probably true"


def test_no_two_entries_of_a_menu_share_a_letter_and_short_menus_letter_every_entry(window: MainWindow) -> None:
    for top in window.menus.values():
        for menu in _every_menu(top):
            letters = [letter for letter in _letters(menu) if letter is not None]
            assert len(letters) == len(set(letters)), (menu.title(), letters)
            if len(_letters(menu)) <= 16 and menu.objectName() not in (COLUMNS, "recentMenu"):  # filled on opening
                assert None not in _letters(menu), (menu.title(), [a.text() for a in menu.actions()])


def test_a_menu_filled_as_it_opens_gets_letters_too(qtbot: QtBot, window: MainWindow) -> None:
    columns = window.menus["View"].findChild(QMenu, COLUMNS)
    assert columns is not None
    columns.popup(window.mapToGlobal(QPoint(20, 20)))
    qtbot.waitUntil(columns.isVisible)
    assert None not in _letters(columns)
    columns.close()


def test_a_letter_in_the_headers_menu_shows_a_column_not_a_table_command(qtbot: QtBot, window: MainWindow) -> None:
    """The header's right-click menu has a letter per entry, and a letter goes to it, not to the table behind."""
    ran: list[str] = []
    window.commands.ran.connect(ran.append)
    window.table.setFocus()
    menu = window.table._show_column_menu(QPoint(5, 5))
    qtbot.waitUntil(menu.isVisible)
    assert None not in _letters(menu)
    letters = {marked_letter(a.text()): a.text().replace("&", "") for a in menu.actions() if a.text()}
    assert letters["r"] == "Report"
    qtbot.keyClick(menu, Qt.Key.Key_R)  # "&Report", not the table's r behind the menu
    assert ran == [] and not window.table.horizontalHeader().isSectionHidden(cols.COL_REPORT)


def test_undo_keeps_its_letter_when_its_text_follows_the_stack(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    assert window.named_actions["edit.undo"].text() == "&Undo credibility 3"


def test_the_letter_is_the_word_that_sets_an_entry_apart() -> None:
    common = Counter({"edit": 3, "tags": 1, "notes": 1})
    taken: set[str] = {"e"}
    assert with_mnemonic("Edit tags", taken, common) == "Edit &tags"
    assert with_mnemonic("Edit notes", taken, common) == "Edit &notes"
    assert with_mnemonic("Search & replace", set()) == "&Search && replace"  # a literal & stays literal
    assert with_mnemonic("ab", {"a", "b"}) == "ab"  # no free letter: none


def test_a_letter_in_the_tables_right_click_menu_picks_its_entry(qtbot: QtBot, window: MainWindow) -> None:
    claim = window.table.current_claim()
    menu = window.table_menu(QPoint(5, 5))
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_P)  # "&Pin / unpin current claim"
    assert window.session.pinned == claim
    assert not menu.isVisible()
