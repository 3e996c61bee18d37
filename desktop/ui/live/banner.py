"""``ConnectionBanner``: says, for as long as it lasts, that the workspace cannot be reached (PostgreSQL).

The status bar tells the moment the connection goes and comes back; this strip
stays while it is gone, so an analyst who looks up from a field knows why a save
did not happen and that their text is kept (``widgets.field_editors``: a text
that could not be saved stays in its field, marked, through every refresh).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktop.ui.widgets.banner import ModeBanner

if TYPE_CHECKING:  # the banner is part of the window's first paint; the watcher comes after it
    from desktop.ui.live.watcher import LiveWatcher

LOST = (
    "No connection to the workspace — reconnecting every few seconds. Nothing you type is lost: a text that "
    "could not be saved stays in its field, marked; commit it again once this goes away."
)


class ConnectionBanner(ModeBanner):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")

    def follow(self, watcher: LiveWatcher, hint: Callable[[str], object]) -> None:
        """Show while ``watcher`` cannot reach the workspace; when it is back, say so with ``hint``."""
        watcher.connection.connect(lambda connected, message: self.show_connection(connected, message, hint))

    def show_connection(self, connected: bool, message: str = "", hint: Callable[[str], object] | None = None) -> None:
        if not connected:
            self.show_mode(LOST)
            return
        self.clear()
        if hint is not None and message:
            hint(message[:1].upper() + message[1:] + ".")
