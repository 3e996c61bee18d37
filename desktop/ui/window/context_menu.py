"""Right-click menus on the claim table and the detail pane, built from the keymap's named actions.

Every entry is the window's own QAction, so it shows its key beside its label
(the menu teaches the keyboard), runs the same command, and is greyed out with
the same reason when it cannot run. On the table the menu acts on the selected
claims (the bulk actions: review, credibility, verdict, tag, delete); a right
click on a row outside the selection selects that row first, as file managers do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QMenu, QWidget

from desktop.core.vocab import CREDIBILITY, RELATIONS, VERDICTS
from desktop.ui.window.menus import SEPARATOR, MenuEntry, fill_menu
from desktop.ui.window.mnemonics import install_menu_keys

# What both menus offer on a claim: copy it, pin it, link, grade, judge and review it.
_ON_A_CLAIM: tuple[MenuEntry, ...] = (
    "claim.copy_citation",
    "claim.copy_id",
    SEPARATOR,
    "claim.pin",
    ("&Link to pinned", [f"link.{r}" for r in RELATIONS] + [SEPARATOR, "link.remove"]),
    ("C&redibility", [f"grade.{g}" for g in CREDIBILITY] + ["grade.clear"]),
    ("&Verdict", [f"verdict.{v}" for v in VERDICTS] + ["verdict.clear"]),
    SEPARATOR,
    "claim.review",
    "claim.unreview",
    "claim.tag_add",
    "claim.outreach",
    SEPARATOR,
)
CLAIM_MENU: tuple[MenuEntry, ...] = ("claim.edit", *_ON_A_CLAIM, "claim.select_all", "claim.delete")
DETAIL_MENU: tuple[MenuEntry, ...] = (
    ("&Edit", ["claim.edit_text", "claim.edit_source", "claim.edit_tags", "claim.edit_places", "claim.edit_notes"]),
    *_ON_A_CLAIM,
    "claim.delete",
)


def context_menu(parent: QWidget, entries: Sequence[MenuEntry], actions: Mapping[str, QAction]) -> QMenu:
    menu = QMenu(parent)
    fill_menu(menu, entries, actions)
    install_menu_keys(menu)  # its letters pick its entries, not the table's commands behind it
    return menu


def install_table_menu(
    table: QAbstractItemView, actions: Mapping[str, QAction], before_show: Callable[[], None]
) -> Callable[[QPoint], QMenu]:
    """Give ``table`` its right-click menu; returns the function that builds and shows it (for tests)."""

    def show(position: QPoint) -> QMenu:
        index = table.indexAt(position)
        selection = table.selectionModel()
        if index.isValid() and not selection.isRowSelected(index.row(), index.parent()):
            table.setCurrentIndex(index)  # a click outside the selection: that row becomes the selection
        before_show()
        menu = context_menu(table, CLAIM_MENU, actions)
        menu.setObjectName("tableContextMenu")
        menu.popup(table.viewport().mapToGlobal(position))
        return menu

    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.customContextMenuRequested.connect(show)
    return show


def install_detail_menu(
    pane: QWidget, actions: Mapping[str, QAction], before_show: Callable[[], None]
) -> Callable[[QPoint], QMenu]:
    """The detail pane's menu (its text fields keep their own cut / copy / paste menus)."""

    def show(position: QPoint) -> QMenu:
        before_show()
        menu = context_menu(pane, DETAIL_MENU, actions)
        menu.setObjectName("detailContextMenu")
        menu.popup(pane.mapToGlobal(position))
        return menu

    pane.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    pane.customContextMenuRequested.connect(show)
    return show
