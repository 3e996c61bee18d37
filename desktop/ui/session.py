"""The window's hold on one open workspace: writes, undo, and the "what changed" broadcast.

Every edit the window makes goes through ``WorkspaceSession.perform``: it runs a
store write and hands the caller an ``Outcome`` — the store's ``Result``, or the
error that stopped it (Anki's ``CollectionOp(...).success(...).failure(...)``,
as a returned value). Only a write that succeeded and changed something becomes
an undo step, and only then is ``changed`` emitted with the store's ``Change``.
The table, the detail pane and the lists each refresh themselves from that one
signal, so no widget ever needs to know which other widgets show the same claim.

Errors: a ``UserError`` or a database refusal the user can act on (locked, disk
full, read-only; see ``desktop.core.errors.known_error``) comes back in the
outcome, is emitted on ``error`` as one line, and leaves no undo step. Anything
else is a bug: it also leaves no undo step, and it propagates (from ``perform``)
or goes to the exception hook (from undo / redo, which Qt calls).

The session also owns the two pieces of review state that several widgets
share: the current claim and the pinned claim (the one that link keys link to).

**Read-only views.** ``show_read_only(workspace, reason)`` puts another
workspace in front of the live one — the workspace as it stood at an earlier
moment (``ui/history/as_of_mode.py``) — and every view follows it as after
``replace_workspace``. While it is shown, every write, undo and redo is refused
with ``reason`` (one line) and changes nothing; the live workspace stays open
behind it with its undo stack, and ``back_to_live`` brings it back (closing the
shown one).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.engine import Engine

from desktop.core.errors import ConnectionLost, UserError, known_error
from desktop.core.store import Change, Result, Store
from desktop.core.workspace import Workspace

Write = Callable[[Store], Result]


@dataclass(frozen=True)
class Outcome:
    """What one ``perform`` (or undo / redo) did: the store's result, or the one-line error (nothing changed)."""

    result: Result | None = None
    error: UserError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def changed(self) -> bool:
        """True when the write succeeded and changed something (and so became an undo step)."""
        return self.result is not None and not self.result.change.unchanged

    @property
    def value(self) -> Any:
        """What the write returns beside its change, e.g. the id of a created entity (None on error)."""
        return self.result.value if self.result is not None else None

    @property
    def message(self) -> str | None:
        return str(self.error) if self.error is not None else None


class _StoreCommand(QUndoCommand):
    """An undo step for a write that already ran; each undo / redo performs the other's inverse."""

    def __init__(self, session: WorkspaceSession, result: Result, text: str) -> None:
        super().__init__(text)
        self._session = session
        self._next: Write = result.undo
        self._skip_first_redo = True  # QUndoStack.push calls redo(); the write has run already
        self.stamp = _stamp(result.change)  # what its last run audited (the history panel marks it)

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._run()

    def undo(self) -> None:
        self._run()

    def _run(self) -> None:
        outcome = self._session._run_write(self._next, from_stack=True)
        if outcome.ok and outcome.result is not None:
            self._next = outcome.result.undo
            self.stamp = _stamp(outcome.result.change)
        else:
            # The inverse could not be written (the claim is gone, the file is locked...). Left on the
            # stack, the step would sit on the wrong side and the next undo / redo would perform the
            # original write again; Qt removes an obsolete step from the stack right after this call.
            self.setObsolete(True)
        self._session._last = outcome


def _stamp(change: Change) -> frozenset[tuple[Any, str, str, str]]:
    return frozenset((change.at, entity, ident, name) for entity, ident, name in change.audited)


class WorkspaceSession(QObject):
    changed = Signal(object)  # Change
    error = Signal(str)  # a user-facing message: a write was refused and changed nothing
    error_answered = Signal(str)  # a refusal emitted on ``error`` was answered (a conflict decided): it is past
    current_changed = Signal(object)  # claim id or None
    pinned_changed = Signal(object)  # claim id or None
    workspace_replaced = Signal()  # another workspace was opened in this window
    connection_lost = Signal(str)  # a write failed because the connection to the workspace is gone

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.undo_stack = QUndoStack(self)
        self._current: int | None = None
        self._pinned: int | None = None
        self._last = Outcome()
        # The claimed date of the last claim added by hand: the next one's default (claims come in batches
        # from one report, rarely from today).
        self.last_claimed: dt.date | None = None
        self.changed.connect(self._forget_removed)
        #: why every write is refused while a read-only workspace is shown (None: the live one is shown)
        self.read_only: str | None = None
        self._live: Workspace | None = None  # the live workspace, while a read-only one is shown
        self._live_pinned: int | None = None

    @property
    def store(self) -> Store:
        return self.workspace.store

    @property
    def engine(self) -> Engine:
        return self.workspace.engine

    # --- writes -------------------------------------------------------------------------------

    def perform(self, write: Write, description: str) -> Outcome:
        """Run ``write``; on success with a change, push it as one undo step named ``description``.

        The outcome carries the result or the error; an error is also emitted on
        ``error``. A bug (an exception the user cannot act on) leaves no undo step
        and propagates.
        """
        if self.read_only is not None:
            return self._refused()
        outcome = self._run_write(write, from_stack=False)
        if outcome.changed and outcome.result is not None:
            self.undo_stack.push(_StoreCommand(self, outcome.result, description))
        return outcome

    def undo(self) -> Outcome:
        """Undo the last step; its outcome (an error drops the step: it could not be undone)."""
        return self._step(self.undo_stack.undo, self.undo_stack.canUndo())

    def redo(self) -> Outcome:
        """Redo the next step; its outcome (an error drops the step: it could not be redone)."""
        return self._step(self.undo_stack.redo, self.undo_stack.canRedo())

    def undoable_changes(self) -> frozenset[tuple[Any, str, str, str]]:
        """(time, entity, interchange id, field) of every audit row the steps undo can still revert wrote."""
        found: set[tuple[Any, str, str, str]] = set()
        if self.read_only is not None:
            return frozenset(found)  # nothing shown can be undone: it is not the live workspace
        stack = self.undo_stack
        for index in range(stack.index()):
            found |= getattr(stack.command(index), "stamp", frozenset())
        return frozenset(found)

    def _step(self, move: Callable[[], None], possible: bool) -> Outcome:
        if self.read_only is not None:
            return self._refused()
        if not possible:
            return Outcome(error=UserError("nothing to undo or redo"))
        self._last = Outcome()
        move()
        return self._last

    def _run_write(self, write: Write, *, from_stack: bool) -> Outcome:
        """Run one store write; emit ``changed`` or ``error``. A bug propagates, unless Qt called us."""
        try:
            result = write(self.store)
        except Exception as raised:
            known = known_error(raised)
            if known is None:
                if not from_stack:
                    raise
                # Qt's undo stack called us: an exception cannot travel back through it. Report it
                # as the bug it is, and tell the caller the step did not happen.
                sys.excepthook(type(raised), raised, raised.__traceback__)
                known = UserError(f"the step failed ({type(raised).__name__}); nothing was changed")
            self.error.emit(str(known))
            if isinstance(known, ConnectionLost):
                self.connection_lost.emit(str(known))
            return Outcome(error=known)
        if not result.change.unchanged:
            self.changed.emit(result.change)
        return Outcome(result=result)

    def refresh_all(self) -> None:
        """Tell every view to reload (after a bulk import or a workspace switch)."""
        self.changed.emit(Change(everything=True))

    def _refused(self) -> Outcome:
        error = UserError(self.read_only or "read-only")
        self.error.emit(str(error))
        return Outcome(error=error)

    # --- which workspace is shown -------------------------------------------------------------

    @property
    def live_workspace(self) -> Workspace:
        """The workspace writes go to (behind a read-only one while that is shown)."""
        return self._live if self._live is not None else self.workspace

    def show_read_only(self, workspace: Workspace, reason: str) -> None:
        """Show ``workspace`` in place of the live one; every write is refused with ``reason`` until
        ``back_to_live``. A read-only workspace shown before is closed."""
        if self._live is None:
            self._live = self.workspace
            self._live_pinned = self._pinned
            previous = None
        else:
            previous = self.workspace
        self.workspace = workspace
        self.read_only = reason
        self.set_pinned(None)  # claim ids are the shown workspace's own
        self.set_current(None)
        if previous is not None:
            previous.close()
        self.workspace_replaced.emit()
        self.refresh_all()

    def back_to_live(self) -> None:
        """Show the live workspace again (its pinned claim too) and close the read-only one."""
        if self._live is None:
            return
        shown, self.workspace, self._live = self.workspace, self._live, None
        self.read_only = None
        self.set_current(None)
        self.set_pinned(self._live_pinned)
        shown.close()
        self.workspace_replaced.emit()
        self.refresh_all()

    def close(self) -> None:
        """Close every workspace this session holds (the window is going)."""
        if self._live is not None:
            self.workspace.close()
            self.workspace, self._live, self.read_only = self._live, None, None
        self.workspace.close()

    def replace_workspace(self, workspace: Workspace) -> None:
        if self._live is not None:  # another workspace opened while an earlier moment was shown
            self.workspace.close()
            self.workspace, self._live, self.read_only = self._live, None, None
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
