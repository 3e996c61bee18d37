"""The window's "as of" mode: the table and the pane show the workspace as it stood at a moment, read-only.

The analyst picks a moment (History ▸ Show as of…, a date-time field) or steps
through the audit trail a change at a time, back and forward
(``core/history/steps.py``); each step says which change it crossed, and a
step forward from the newest change arrives at now. The
workspace as of that moment is replayed from the audit trail into a read-only
scratch workspace (``core/history/scratch.py``) on a worker thread — the
window stays responsive, the banner shows the progress, and the "back to now"
key cancels a replay in flight. When it is ready the session shows it in front
of the live workspace (``WorkspaceSession.show_read_only``): every view follows
it as after opening a workspace, and its statuses are the ones derived as of
that moment. The current claim stays current when it existed then.

While it is shown, a banner names the moment; every write is refused with one
line (the commands that only read, move or look stay available,
``READ_ONLY_COMMANDS``), and one key goes back to now.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy import text
from sqlalchemy.engine import Engine

from desktop.core.errors import UserError
from desktop.core.history.moments import BadMoment
from desktop.core.history.scratch import Replayed, remove_stale, replay_into_scratch
from desktop.core.history.steps import Step, latest_change, step_back, step_forward
from desktop.core.progress import Cancelled
from desktop.core.store import Store
from desktop.core.workspace import Workspace
from desktop.ui.commands.keymap import key_of
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.banner import ModeBanner

#: Commands that only move, look, copy or hand work on: they run on the workspace as of a moment too.
READ_ONLY_COMMANDS: Final = frozenset(
    {"claim.next", "claim.prev", "claim.first", "claim.last", "claim.next_unreviewed", "claim.goto_pinned"}
    | {"claim.pin", "claim.copy_citation", "claim.copy_id", "claim.select_all", "claim.open_report"}
    | {"reports.list", "reader.focus", "reader.sentence", "reader.paragraph", "reader.next_span"}
    | {"reader.prev_span", "reader.close", "related.focus", "related.open"}
    | {"view.filter", "view.clear_filter", "view.table", "view.palette", "view.reload", "view.history"}
    | {"view.graph", "view.timeline", "view.map", "view.as_analyst"}
    | {"file.export", "file.export_brief", "file.preferences", "file.quit", "help.keys", "help.report", "help.about"}
    | {"history.as_of", "history.step_back", "history.step_forward", "history.now"}
)


@dataclass
class AsOfWorkspace(Workspace):
    """The workspace as of ``when``, in a read-only scratch workspace (closing it removes the scratch)."""

    when: dt.datetime = dt.datetime.min.replace(tzinfo=dt.UTC)
    live_label: str = ""
    replayed: Replayed | None = None

    @property
    def label(self) -> str:
        return f"{self.live_label} as of {_shown(self.when)}"

    @property
    def path(self) -> None:
        return None  # never remembered among the recent workspaces

    def close(self) -> None:
        if self.replayed is not None:
            self.replayed.close()
        else:
            super().close()


def as_of_workspace(live: Workspace, replayed: Replayed) -> AsOfWorkspace:
    store = Store(replayed.engine, live.store.analyst)
    return AsOfWorkspace(live.location, replayed.engine, store, live.upgrade, replayed.as_of.when, live.label, replayed)


class _ReplayJob(QObject):
    """Replays on a pool thread; the signals cross back to the window's thread (queued)."""

    done = Signal(object)  # Replayed
    failed = Signal(object)  # the exception
    progressed = Signal(str, float)

    def __init__(self, engine: Engine, when: dt.datetime) -> None:
        super().__init__()
        self.engine, self.when = engine, when
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _progress(self, step: str, share: float) -> None:
        if self._cancelled.is_set():
            raise Cancelled("replay cancelled")
        self.progressed.emit(step, share)

    def run(self) -> None:
        try:
            replayed = replay_into_scratch(self.engine, self.when, self._progress)
        except Exception as error:  # noqa: BLE001 — handed to the window's thread, which decides
            self.failed.emit(error)
            return
        if self.cancelled:
            replayed.close()  # cancelled as it finished: nobody will show it
            return
        self.done.emit(replayed)


class AsOfMode(QObject):
    """Enters, moves and leaves the "as of" mode for ``session``; says what it does through ``hint``/``error``."""

    changed = Signal()  # the shown moment changed, or the mode was left (for tests and the window)

    def __init__(
        self,
        session: WorkspaceSession,
        banner: ModeBanner,
        *,
        hint: Callable[[str], None],
        error: Callable[[str], None],
        select_claim: Callable[[int], bool],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.banner = banner
        self._hint, self._error, self._select = hint, error, select_claim
        self._parent = parent
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._job: _ReplayJob | None = None
        self._said = ""  # what the moment in flight is (a step's change), said when it is shown
        session.workspace_replaced.connect(self._on_workspace_replaced)
        remove_stale()  # scratch workspaces of windows that were killed (a gigabyte at a million claims)
        self._keep: str | None = None  # the current claim's interchange id, kept current across the switch

    # --- state ---------------------------------------------------------------------------------

    @property
    def moment(self) -> dt.datetime | None:
        """The moment shown (None: the live workspace)."""
        shown = self.session.workspace
        return shown.when if isinstance(shown, AsOfWorkspace) else None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def refusal(self, command: str) -> str | None:
        """Why ``command`` cannot run while an earlier moment is shown (None: it can, or now is shown)."""
        if self.session.read_only is None or command in READ_ONLY_COMMANDS:
            return None
        return self.session.read_only

    # --- commands ------------------------------------------------------------------------------

    def pick(self) -> None:
        """Ask for a moment and show the workspace as it stood then."""
        from desktop.ui.history.moment_dialog import MomentDialog

        dialog = MomentDialog(self.session.live_workspace.engine, self.moment, self._parent)
        try:
            accepted = dialog.exec()
            moment = dialog.moment
        finally:
            dialog.deleteLater()
        if accepted and moment is not None:
            self.show(moment, "")

    def step(self, *, back: bool) -> None:
        """One change back or forward from the moment shown (back from now: before the newest change)."""
        shown = self.moment
        if self._job is not None:
            shown = self._job.when  # steps taken while a replay runs count from where it is going
        if shown is None and not back:
            self._error("The window shows the workspace as it is now: there is no later change to step to.")
            return
        try:
            with self.session.live_workspace.engine.connect() as connection:
                newest = latest_change(connection)
                found: Step | None = None  # None: forward from the newest change, which leads to now
                if back:
                    found = step_back(connection, shown or newest or dt.datetime.now(dt.UTC))  # from now: the newest
                elif shown is not None and newest is not None and shown < newest:
                    found = step_forward(connection, shown)
        except BadMoment as refused:
            self._error(_sentence(str(refused)))
            return
        if found is None:
            self._forward_to_now()
            return
        crossed = "Stepped back over" if back else "Stepped forward over"
        self.show(found.moment, f"{crossed}: {found.words}")

    def show(self, moment: dt.datetime, said: str) -> None:
        """Replay the workspace as of ``moment`` in the background, then show it (``said``: what this step was)."""
        if self._job is not None:
            self._job.cancel()  # the newer request wins; the older one's result is dropped
        self._keep = self._current_ext_id()
        job = _ReplayJob(self.session.live_workspace.engine, moment)
        job.done.connect(lambda replayed, job=job: self._done(job, replayed))
        job.failed.connect(lambda error, job=job: self._failed(job, error))
        job.progressed.connect(lambda step, share, job=job: self._progressed(job, step, share))
        self._job = job
        self._said = said
        self.banner.progress(self._progress_text(moment, "starting"), None)
        self.pool.start(job.run)

    def now(self) -> None:
        """Back to the live workspace; or, while a replay runs, cancel it."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
            self._restore_banner()
            self._hint("Replay cancelled." + ("" if self.moment is None else f" Still showing {self._moment_words()}."))
            return
        if self.moment is None:
            self._hint("The window already shows the workspace as it is now.")
            return
        self._leave("Back to now: the live workspace, editable again.")

    def _forward_to_now(self) -> None:
        """A step forward from the newest change: nothing later is recorded, so the step arrives at now."""
        said = "No later change: back to now, the live workspace, editable again."
        if self._job is not None:
            self._job.cancel()  # a replay on its way to a moment this step has passed
            self._job = None
        if self.moment is None:  # the replay was stepping away from now: cancelled, now it stays
            self.banner.clear()
            self._hint(said)
            return
        self._leave(said)

    def _leave(self, said: str) -> None:
        """Show the live workspace again, the current claim kept current, and say ``said``."""
        keep = self._current_ext_id()
        self.session.back_to_live()
        self.banner.clear()
        self._select_ext_id(keep)
        self._hint(said)
        self.changed.emit()

    def close(self) -> None:
        """The window is closing: cancel a replay in flight and leave the mode (scratch workspaces removed)."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self.pool.waitForDone()
        if self.moment is not None:
            self.session.back_to_live()
            self.banner.clear()

    def _on_workspace_replaced(self) -> None:
        """Another workspace was opened (the recent menu works in this mode too): the moment is gone."""
        if isinstance(self.session.workspace, AsOfWorkspace):
            return
        if self._job is not None:
            self._job.cancel()  # it replays the workspace that was closed
            self._job = None
        self.banner.clear()

    # --- the job's reports ---------------------------------------------------------------------

    def _progressed(self, job: _ReplayJob, step: str, share: float) -> None:
        if job is self._job and not job.cancelled:
            self.banner.progress(self._progress_text(job.when, step), share)

    def _done(self, job: _ReplayJob, replayed: Replayed) -> None:
        if job is not self._job or job.cancelled:
            replayed.close()  # superseded or cancelled after it had finished: nothing to show
            return
        self._job = None
        keep, self._keep = self._keep, None
        live = self.session.live_workspace
        reason = (
            f"Read-only: this is the workspace as of {_shown(replayed.as_of.when)} "
            f"({key_of('history.now')} returns to now)."
        )
        self.session.show_read_only(as_of_workspace(live, replayed), reason)
        self._restore_banner()
        self._select_ext_id(keep)
        warning = replayed.as_of.warning()
        if warning:
            self._error(_sentence(warning))
        else:
            self._hint(self._said or f"Showing the workspace as of {self._moment_words()}.")
        self.changed.emit()

    def _failed(self, job: _ReplayJob, error: BaseException) -> None:
        if job is not self._job:
            return
        self._job = None
        self._restore_banner()
        if isinstance(error, Cancelled):
            return
        if isinstance(error, UserError):
            self._error(_sentence(str(error)))
            return
        raise error  # a bug: to the exception hook

    # --- words and the current claim -------------------------------------------------------------

    def _restore_banner(self) -> None:
        if self.moment is None:
            self.banner.clear()
            return
        back, forward, now = key_of("history.step_back"), key_of("history.step_forward"), key_of("history.now")
        self.banner.show_mode(
            f"As of {self._moment_words()} — read-only: the workspace as it stood then, statuses as derived then. "
            f"{back} / {forward} step a change back / forward · {now} returns to now"
        )

    def _moment_words(self) -> str:
        moment = self.moment
        return "" if moment is None else _shown(moment)

    def _progress_text(self, moment: dt.datetime, step: str) -> str:
        return f"Replaying the workspace as of {_shown(moment)}: {step}… ({key_of('history.now')} cancels)"

    def _current_ext_id(self) -> str | None:
        claim = self.session.current
        if claim is None:
            return None
        with self.session.engine.connect() as connection:
            found = connection.execute(text("SELECT ext_id FROM claim WHERE id = :c"), {"c": claim}).scalar()
        return None if found is None else str(found)

    def _select_ext_id(self, ext_id: str | None) -> None:
        if ext_id is None:
            return
        with self.session.engine.connect() as connection:
            claim = connection.execute(text("SELECT id FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar()
        if claim is not None:
            self._select(int(claim))


def _shown(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _sentence(message: str) -> str:
    message = message.replace("--as-of ", "the moment ")
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
