"""File → Open Recent: the workspace files opened last, newest first, kept in the settings.

Only SQLite files are listed (a PostgreSQL URL would need its password again).
A file that has gone since is dropped from the list when it is chosen, with a
message, rather than shown as if it could open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMenu

from desktop.ui.settings import RECENT, app_settings

KEPT = 10


def recent_paths() -> list[str]:
    value: Any = app_settings().value(RECENT, [])
    if isinstance(value, str):  # QSettings hands back a one-item list as a plain string
        value = [value]
    return [p for p in value if isinstance(p, str) and p] if isinstance(value, list) else []


def remember(path: Path) -> None:
    """Put ``path`` first in the list (once), keeping the newest ``KEPT``."""
    text = str(path)
    paths = [text] + [p for p in recent_paths() if p != text]
    app_settings().setValue(RECENT, paths[:KEPT])


def forget(path: str) -> None:
    app_settings().setValue(RECENT, [p for p in recent_paths() if p != path])


class RecentMenu:
    """Fills ``menu`` from the list each time it opens; choosing an entry calls ``open_path``."""

    def __init__(self, menu: QMenu, open_path: Callable[[str], None]) -> None:
        self.menu = menu
        self._open_path = open_path
        menu.setObjectName("recentMenu")
        menu.aboutToShow.connect(self.fill)
        self.fill()

    def fill(self) -> None:
        self.menu.clear()
        paths = recent_paths()
        for number, path in enumerate(paths, start=1):
            shown = Path(path)
            prefix = f"&{number} " if number < 10 else "1&0 " if number == 10 else ""
            action = self.menu.addAction(f"{prefix}{shown.name}   ({shown.parent})")
            action.setData(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self._open_path(p))
        if not paths:
            self.menu.addAction("No recent workspaces").setEnabled(False)
            return
        self.menu.addSeparator()
        self.menu.addAction("&Clear list", self._clear)

    def _clear(self) -> None:
        app_settings().setValue(RECENT, [])
        self.fill()
