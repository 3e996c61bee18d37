"""How the claim table is sorted, from the keyboard: View > Sort by, one entry per column.

A header click sorts too, but the header takes no focus: without this menu a
keyboard-only analyst could not sort at all. The entry of the column the table
is sorted by is checked and says its order; choosing it again reverses the
order, choosing another column sorts by it from the top (A–Z, oldest, lowest).
The sort is the header's own (``sortByColumn``), so it is saved with the
table's state as a click's is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu

from desktop.ui.table import columns as cols

if TYPE_CHECKING:
    from desktop.ui.table.view import ClaimTable

_ORDER_WORDS = {Qt.SortOrder.AscendingOrder: "ascending", Qt.SortOrder.DescendingOrder: "descending"}


def sort_by(table: ClaimTable, column: int) -> None:
    """Sort by ``column``: the column sorted by already is reversed, another one sorts ascending."""
    header = table.horizontalHeader()
    order = Qt.SortOrder.AscendingOrder
    if header.sortIndicatorSection() == column and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:
        order = Qt.SortOrder.DescendingOrder
    table.sortByColumn(column, order)


def fill_sort_menu(menu: QMenu, table: ClaimTable) -> None:
    """Fill ``menu`` with an entry per column, the current one checked with its order."""
    menu.clear()
    header = table.horizontalHeader()
    current, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
    group = QActionGroup(menu)
    for column in range(cols.COLUMN_COUNT):
        name = cols.COLUMN_NAMES[column]
        action = menu.addAction(f"{name} ({_ORDER_WORDS[order]}; again: reverse)" if column == current else name)
        action.setCheckable(True)
        action.setChecked(column == current)
        action.setStatusTip(cols.HEADER_TIPS[column])
        group.addAction(action)
        action.triggered.connect(lambda _checked=False, column=column: sort_by(table, column))


def install_sort_menu(menu: QMenu, table: ClaimTable) -> None:
    """Make ``menu`` (View > Sort by) the sort menu, filled afresh each time it opens."""
    menu.aboutToShow.connect(lambda: fill_sort_menu(menu, table))
