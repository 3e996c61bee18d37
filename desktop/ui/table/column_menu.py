"""Which columns the claim table shows: one menu, on the header's right click and as View > Columns.

The claim text is always shown, so it is not offered. What is shown is saved
with the table's header state (``ClaimTable.save_state``), so it survives a
restart; "Default columns" goes back to the columns a review pass needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from desktop.ui.table import columns as cols

if TYPE_CHECKING:
    from desktop.ui.table.view import ClaimTable


def fill_column_menu(menu: QMenu, table: ClaimTable) -> None:
    """Fill ``menu`` with a checkable entry per column (as the table shows them now) and a reset."""
    menu.clear()
    header = table.horizontalHeader()
    for column in range(cols.COLUMN_COUNT):
        if column == cols.COL_TEXT:
            continue
        action = menu.addAction(cols.COLUMN_NAMES[column])
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(column))
        action.setStatusTip(cols.HEADER_TIPS[column])
        action.toggled.connect(lambda shown, column=column: table.show_column(column, shown))
    menu.addSeparator()
    menu.addAction("Default columns").triggered.connect(table.default_columns)


def install_column_menu(menu: QMenu, table: ClaimTable) -> None:
    """Make ``menu`` (View > Columns) the column menu, filled afresh each time it opens."""
    menu.aboutToShow.connect(lambda: fill_column_menu(menu, table))
