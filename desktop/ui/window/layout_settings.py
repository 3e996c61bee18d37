"""The window's layout between runs: its size, splitter and table columns (QSettings), and the workspace's
own filter and sort (``workspace_view``).

The first start, with nothing saved, gets a roomy size that still fits the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize

from desktop.ui import settings as ws
from desktop.ui.window import workspace_view

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow

_FIRST_SIZE = (1400, 860)  # the first start's size, at most; later starts restore the last geometry


def restore_layout(window: MainWindow, location: str) -> None:
    """Put back the window's size, splitter, table columns (or the first start's layout), and the filter and
    sort the workspace at ``location`` was left with."""
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
    sort = workspace_view.saved_sort(settings, location)
    if table is None or not window.table.restore_state(table, sort):
        window.table.sortByColumn(*sort)
    workspace_view.restore_view(window, location)


def save_layout(window: MainWindow, location: str) -> None:
    """Remember what ``restore_layout`` puts back (the filter and sort as the workspace at ``location``'s)."""
    settings = ws.app_settings()
    settings.setValue(ws.GEOMETRY, window.saveGeometry())
    settings.setValue(ws.SPLITTER, window.splitter.saveState())
    settings.setValue(ws.TABLE, window.table.save_state())
    workspace_view.save_view(window, location, settings)
    settings.sync()


def first_size(available: QSize | None) -> tuple[int, int]:
    """The first start's window size: roomy, but never larger than 90 % of the screen it opens on."""
    width, height = _FIRST_SIZE
    if available is None or available.isEmpty():
        return width, height
    return min(width, available.width() * 9 // 10), min(height, available.height() * 9 // 10)
