"""The filter and sort each workspace remembers, keyed by where it is: not one pair shared by every workspace.

A filter saved on one workspace (``status:contested``) used to come back on every
other one opened, and sent each of them down the slow full start path. Each
workspace's pair now lives in its own settings group, named from a digest of its
location (the SQLAlchemy URL, a PostgreSQL password left out): ``workspaces/<digest>/filter``
and ``…/sort`` (the sort in words, ``"date descending"``), with the location beside them
for a reader of the file. The columns (which, how wide, in what order) stay one
layout for all.

Reading it imports neither SQLAlchemy nor the store: the fast start asks
``shows_default_order`` before the first paint.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt

from desktop.ui import settings as ws
from desktop.ui.table.columns import SORT_OF_COLUMN

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow

_PASSWORD = re.compile(r"^([a-z0-9+]+://[^:/@]*):[^@]*@")


def group(location: str) -> str:
    """The settings group of the workspace at ``location`` (a SQLAlchemy URL)."""
    shown = _PASSWORD.sub(r"\1@", location)
    return "workspaces/" + hashlib.sha256(shown.encode("utf-8")).hexdigest()[:20]


def saved_filter(settings: QSettings, location: str) -> str:
    return ws.read_text(settings, f"{group(location)}/filter")


def saved_sort(settings: QSettings, location: str) -> tuple[int, Qt.SortOrder]:
    """The column and order the workspace was last sorted by (newest first when none is saved)."""
    words = ws.read_text(settings, f"{group(location)}/sort", ws.DEFAULT_SORT).split()
    if len(words) != 2 or words[0] not in SORT_OF_COLUMN:
        words = ws.DEFAULT_SORT.split()
    name, direction = words
    order = Qt.SortOrder.DescendingOrder if direction == "descending" else Qt.SortOrder.AscendingOrder
    return SORT_OF_COLUMN.index(name), order


def sort_words(column: int, order: Qt.SortOrder) -> str:
    """A sort as it is saved: the sort's name and its direction."""
    direction = "descending" if order == Qt.SortOrder.DescendingOrder else "ascending"
    return f"{SORT_OF_COLUMN[column]} {direction}"


def shows_default_order(location: str) -> bool:
    """Whether the workspace at ``location`` starts unfiltered, newest first (the fast start's condition)."""
    settings = ws.app_settings()
    if saved_filter(settings, location):
        return False
    return sort_words(*saved_sort(settings, location)) == ws.DEFAULT_SORT


def save_view(window: MainWindow, location: str, settings: QSettings | None = None) -> None:
    """Remember the table's filter and sort as the workspace at ``location``'s own."""
    settings = settings or ws.app_settings()
    model = window.table.claim_model
    settings.setValue(f"{group(location)}/location", _PASSWORD.sub(r"\1@", location))
    settings.setValue(f"{group(location)}/filter", window.filter_bar.text())
    settings.setValue(f"{group(location)}/sort", sort_words(model.sort_column(), model.sort_order()))


def restore_view(window: MainWindow, location: str) -> None:
    """Sort and filter the table as the workspace at ``location`` was left (unfiltered, newest first if new)."""
    settings = ws.app_settings()
    window.table.sortByColumn(*saved_sort(settings, location))
    text = saved_filter(settings, location)
    if text != window.filter_bar.text():
        window.filter_bar.set_text(text)  # applies it (filter_changed → apply_filter)
