"""The window's layout between runs: its size, splitter, table columns and last filter (QSettings).

The first start, with nothing saved, gets a roomy size that still fits the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt

from desktop.ui import settings as ws
from desktop.ui.table.columns import SORT_OF_COLUMN

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow

_FIRST_SIZE = (1400, 860)  # the first start's size, at most; later starts restore the last geometry


def restore_layout(window: MainWindow) -> None:
    """Put back the window's size, splitter, table columns and last filter (or the first start's layout)."""
    settings = ws.app_settings()
    geometry = ws.read_bytes(settings, ws.GEOMETRY)
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*first_size(window.screen().availableGeometry().size() if window.screen() else None))
    splitter = ws.read_bytes(settings, ws.SPLITTER)
    if splitter is None or not window.splitter.restoreState(splitter):
        # The table carries the review pass (its claim text must stay readable); the pane's
        # form and explanation fit in ~440 px and scroll vertically.
        width = max(window.width(), 900)
        pane = min(440, width * 2 // 5)
        # The table, the reader (hidden until a report is opened), the detail pane.
        window.splitter.setSizes([width - pane, 0, pane])
    table = ws.read_bytes(settings, ws.TABLE)
    if table is not None:
        window.table.restore_state(table)
    text = ws.read_text(settings, ws.FILTER)
    if text:
        window.filter_bar.set_text(text)  # applies it (filter_changed → apply_filter)


def save_layout(window: MainWindow) -> None:
    """Remember what ``restore_layout`` puts back."""
    settings = ws.app_settings()
    settings.setValue(ws.GEOMETRY, window.saveGeometry())
    settings.setValue(ws.SPLITTER, window.splitter.saveState())
    settings.setValue(ws.TABLE, window.table.save_state())
    settings.setValue(ws.FILTER, window.filter_bar.text())
    settings.setValue(
        ws.SORT, sort_words(window.table.claim_model.sort_column(), window.table.claim_model.sort_order())
    )
    settings.sync()


def sort_words(column: int, order: Qt.SortOrder) -> str:
    """The table's sort as ``ws.SORT`` keeps it: the sort's name and its direction."""
    direction = "descending" if order == Qt.SortOrder.DescendingOrder else "ascending"
    return f"{SORT_OF_COLUMN[column]} {direction}"


def shows_default_order() -> bool:
    """Whether the table will start unfiltered in its default order (newest first), by the saved settings.

    A table state saved by an older version, without its sort in words, counts as not known: no.
    """
    settings = ws.app_settings()
    if ws.read_text(settings, ws.FILTER):
        return False
    if ws.read_bytes(settings, ws.TABLE) is None:
        return True
    return ws.read_text(settings, ws.SORT) == ws.DEFAULT_SORT


def first_size(available: QSize | None) -> tuple[int, int]:
    """The first start's window size: roomy, but never larger than 90 % of the screen it opens on."""
    width, height = _FIRST_SIZE
    if available is None or available.isEmpty():
        return width, height
    return min(width, available.width() * 9 // 10), min(height, available.height() * 9 // 10)
