"""The narrow seam between the commands and the window they act on.

Commands (``review``, ``files``, and whatever later issues add) never import the
main window: they get a ``CommandHost`` — the few things a command needs of a
window: its session, a named action to bind, a place to say what happened, the
way back to the table, the current claim, the detail pane's editors, and the
parent for its dialogs. Moving through the table is the table's own business
(``ClaimTable``), handed to the commands that move.
``MainWindow`` implements it; a test can implement it with a dozen lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from desktop.ui.session import WorkspaceSession


class CommandHost(Protocol):
    """What a command may ask of the window it runs in."""

    @property
    def session(self) -> WorkspaceSession: ...

    def bind(self, name: str, slot: Callable[[], Any]) -> None:
        """Run ``slot`` when command ``name`` is triggered; a ``UserError`` it raises becomes a message."""

    def dialog_parent(self) -> QWidget:
        """The widget a command's dialogs and message boxes belong to."""

    def hint(self, message: str, timeout_ms: int | None = None) -> None:
        """Say what a command did, in one line (the status bar)."""

    def error(self, message: str) -> None:
        """Say, in one line, why a command did nothing."""

    def back_to_table(self) -> None:
        """Give the focus back to the table, with a current row whenever there are rows."""

    def after_dialog(self) -> None:
        """Back to the table after a modal dialog closed (re-activating the window first)."""

    def current_claim(self) -> int | None:
        """The claim the table's cursor is on, if any."""

    def clear_filter(self) -> None:
        """Show every claim again (empty the filter bar)."""

    def filter_text(self) -> str:
        """The filter bar's text: the claims the table shows (exports start from it)."""

    def edit_field(self, field: str | None) -> bool:
        """Put the cursor in the detail pane's editor of ``field`` (None: the claim text); False if not shown."""

    def focus_add_place(self) -> bool:
        """Focus the detail pane's "Add place…" button (a claim without places); False if it is not shown."""
