"""The window's hold on one open workspace: writes, undo, and the "what changed" broadcast.

Every edit the window makes goes through ``WorkspaceSession.perform``: it runs a
store write, pushes an undo command, and emits ``changed`` with the store's
``Change``. The table, the detail pane and the lists each refresh themselves
from that one signal (Anki's CollectionOp pattern), so no widget ever needs to
know which other widgets show the same claim.

The session also owns the two pieces of review state that several widgets
share: the current claim and the pinned claim (the one that link keys link to).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.engine import Engine

from desktop.core.errors import UserError
from desktop.core.store import Change, Result, Store
from desktop.core.workspace import Workspace

Write = Callable[[Store], Result]


class _StoreCommand(QUndoCommand):
    """An undo step: the first redo performs the write; afterwards each step performs the other's inverse."""

    def __init__(self, session: WorkspaceSession, write: Write, text: str) -> None:
        super().__init__(text)
        self._session = session
        self._next: Write = write
        self.failed: UserError | None = None

    def redo(self) -> None:
        self._run()

    def undo(self) -> None:
        self._run()

    def _run(self) -> None:
        try:
            result = self._next(self._session.store)
        except UserError as error:
            # The workspace moved on underneath (e.g. another window deleted the
            # claim); the step is dropped rather than left half-applied.
            self.failed = error
            self.setObsolete(True)
            self._session.error.emit(str(error))
            return
        self._next = result.undo
        self._session.changed.emit(result.change)


class WorkspaceSession(QObject):
    changed = Signal(object)  # Change
    error = Signal(str)  # a user-facing message (the write changed nothing)
    current_changed = Signal(object)  # claim id or None
    pinned_changed = Signal(object)  # claim id or None
    workspace_replaced = Signal()  # another workspace was opened in this window

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.undo_stack = QUndoStack(self)
        self._current: int | None = None
        self._pinned: int | None = None
        self.changed.connect(self._forget_removed)

    @property
    def store(self) -> Store:
        return self.workspace.store

    @property
    def engine(self) -> Engine:
        return self.workspace.engine

    # --- writes -------------------------------------------------------------------------------

    def perform(self, write: Write, description: str) -> bool:
        """Run ``write`` as one undoable step; False (and ``error`` emitted) when the store refused it."""
        command = _StoreCommand(self, write, description)
        self.undo_stack.push(command)  # push() calls redo()
        return command.failed is None

    def refresh_all(self) -> None:
        """Tell every view to reload (after a bulk import or a workspace switch)."""
        self.changed.emit(Change(everything=True))

    def replace_workspace(self, workspace: Workspace) -> None:
        old = self.workspace
        self.workspace = workspace
        self.undo_stack.clear()
        self.set_pinned(None)
        self.set_current(None)
        old.close()
        self.workspace_replaced.emit()
        self.refresh_all()

    # --- current and pinned claim -------------------------------------------------------------

    @property
    def current(self) -> int | None:
        return self._current

    def set_current(self, claim: int | None) -> None:
        if claim != self._current:
            self._current = claim
            self.current_changed.emit(claim)

    @property
    def pinned(self) -> int | None:
        return self._pinned

    def set_pinned(self, claim: int | None) -> None:
        if claim != self._pinned:
            self._pinned = claim
            self.pinned_changed.emit(claim)

    def _forget_removed(self, change: Change) -> None:
        if self._pinned is not None and self._pinned in change.removed_claims:
            self.set_pinned(None)
