"""Opening the workspace and its window at start-up: fast when it can be, the full path when it must.

``launch(location, report)`` is what ``app.run`` (and ``bench/launch.py``) call
once the QApplication exists. It returns a ``Launch`` whose ``window`` is shown
at once, or None when the workspace could not be opened and the user quit.

**The fast start.** A SQLite workspace already at this code's schema revision,
shown unfiltered in the default order (the saved settings say so), is painted
before SQLAlchemy, SQLModel and most of the core are even imported (they are
about half of the time to a painted window): its first screenful and claim count
are read with ``sqlite3`` (``core.read.first_screen``), the window's frame, filter
bar, claim table and status bar are built on them, shown and painted. Right
after that first paint (a zero timer once the table's viewport has painted) the
workspace is opened as always (``open_window``: migration check, the integrity
check of a small file, the recovery dialog) and the rest of the window is built
into the same window (``MainWindow.complete``); keys typed meanwhile are kept and
replayed (``window.early_keys``). The window is the one the analyst keeps
working in, not a splash: the rows painted first are the rows the full model
shows (a test holds them to each other), and the model counts again if the
workspace moved on in between.

**The full path** — any other case: a first start (the sample is built), a
workspace to migrate or a foreign or newer database (the messages and the
backup come from the normal open), PostgreSQL, a filter or sort saved for this workspace — opens
the workspace, builds the whole window, then shows it, as before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

from desktop import logs
from desktop.core.locations import SQLITE_URL, resolve_location
from desktop.ui.table.model import FIRST_FETCH
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.workspace_view import shows_default_order

if TYPE_CHECKING:
    from desktop.core.read.first_screen import FirstScreen
    from desktop.core.workspace import Workspace
    from desktop.ui.dialogs.open_failed import IntegrityWatch
    from desktop.ui.session import WorkspaceSession

_NO_PAINT_MS = 1000  # a window that is never painted (shown minimised): open the workspace anyway


@dataclass
class Launch:
    """The started window, and, once it is whole, its workspace and background integrity check."""

    window: MainWindow
    workspace: Workspace | None = None
    watch: IntegrityWatch | None = None
    failed: bool = False  # the fast start's open failed and the user quit (the caller exits with 1)
    on_failure: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        if self.watch is not None:
            self.watch.cancel()
        if self.workspace is not None and self.window.is_ready:
            self.window.session.undo_stack.clear()
            self.window.session.close()


def first_screen(location: str | None) -> FirstScreen | None:
    """The first screen for a fast start at ``location``, or None when the full path must run."""
    url = resolve_location(location)
    if not url.startswith(SQLITE_URL) or not shows_default_order(url):
        return None
    from desktop.core.read.first_screen import read_first_screen

    return read_first_screen(Path(url[len(SQLITE_URL) :]), FIRST_FETCH)


def launch(location: str | None, report: Callable[[BaseException], None] | None = None) -> Launch | None:
    """Show the window on ``location`` (see the module docstring); None when the user quit instead."""
    first = first_screen(location)
    if first is None:
        opened = _open(location, _whole_window, report)
        if opened is None:
            return None
        started = Launch(opened[1], opened[0])
        _shown(started)
        return started
    started = Launch(MainWindow(None, first=first))
    started.window.show()
    _after_first_paint(started.window, lambda: _complete(started, location, first.path, report))
    return started


def _session(workspace: Workspace) -> WorkspaceSession:
    from desktop.ui.session import WorkspaceSession

    session = WorkspaceSession(workspace)
    session.error.connect(lambda message: logs.LOGGER.warning("a change was refused: %s", message))
    return session


def _whole_window(workspace: Workspace) -> MainWindow:
    return MainWindow(_session(workspace))


def _open(
    location: str | None, build: Callable[[Workspace], MainWindow], report: Callable[[BaseException], None] | None
) -> tuple[Workspace, MainWindow] | None:
    from desktop.ui.dialogs.open_failed import open_window

    return open_window(location, build, report=report)


def _complete(
    started: Launch, location: str | None, path: Path, report: Callable[[BaseException], None] | None
) -> None:
    """Open the workspace and build the rest of the fast-started window (or, if it failed, a whole new one)."""
    shell = started.window
    tried = False

    def build(workspace: Workspace) -> MainWindow:
        nonlocal tried
        session = _session(workspace)
        if not tried and workspace.path is not None and workspace.path.resolve() == path.resolve():
            tried = True
            shell.complete(session)
            return shell
        shell.hide()  # another workspace was chosen after a failure: a whole window for it
        return MainWindow(session)

    def failed(error: BaseException) -> None:
        shell.hide()  # the recovery dialog stands alone, as on the full path
        if report is not None:
            report(error)

    try:
        opened = _open(location, build, failed)
    except Exception as bug:  # a bug while opening: the same dialog as on the full path, then stop
        sys.excepthook(type(bug), bug, bug.__traceback__)
        opened = None
    if opened is None:
        started.failed = True
        for hook in started.on_failure:
            hook()
        return
    started.workspace, started.window = opened
    if started.window is not shell:
        shell.deleteLater()
    _shown(started)


def _shown(started: Launch) -> None:
    """Show the whole window; say if its workspace was upgraded; check the file's integrity in the background."""
    from desktop.ui.dialogs.open_failed import IntegrityWatch

    window, workspace = started.window, started.workspace
    assert workspace is not None
    if workspace.upgrade.backup is not None:
        window.status.hint(f"Workspace upgraded; a backup of the old version is at {workspace.upgrade.backup}", 20000)
    window.show()
    # Damage deep in the file (late pages) is found by reading all of it: in the background, after the first paint.
    started.watch = IntegrityWatch(workspace, window)
    started.watch.start()


def _after_first_paint(window: MainWindow, then: Callable[[], None]) -> None:
    """Run ``then`` from the event loop once the claim table has painted (or after a while if it never does)."""
    viewport = window.table.viewport()
    done = False

    def run() -> None:
        nonlocal done
        if not done:
            done = True
            viewport.removeEventFilter(watcher)
            then()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, run)  # after this paint has reached the screen
            return False

    watcher = FirstPaint(window)
    viewport.installEventFilter(watcher)
    QTimer.singleShot(_NO_PAINT_MS, run)
