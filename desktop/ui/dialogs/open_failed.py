"""When a workspace cannot be opened, or turns out damaged: one clear message and a way on.

``recover(location, error)`` is what the start-up path calls instead of dying:
it shows why the workspace could not be opened (plain text, one message, no
traceback) and offers to open another workspace or, for a damaged Crosscheck
file, to restore a backup in its place (the damaged file is kept, renamed). It
returns the workspace the user ended up with, or None if they quit.

``IntegrityWatch`` runs SQLite's ``quick_check`` over the open workspace in a
background thread (it reads the whole file: seconds at a million claims, so it
must not hold up the first paint) and, if it finds damage, says so and offers
to restore a backup, which restarts Crosscheck on the restored file.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QProcess, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from sqlalchemy.exc import DBAPIError

from desktop.core import db
from desktop.core import workspace as workspaces
from desktop.core.errors import UserError
from desktop.core.workspace import Workspace
from desktop.core.workspace_file import DamagedWorkspace, quick_check, restore_backup

_WORKSPACE_FILTER = "Crosscheck workspaces (*.sqlite *.db);;All files (*)"
# Up to this size the whole file is checked before the window is built (about 0.25 s at 32 MB here):
# the window's first queries would otherwise meet the damage themselves. Larger files: in the background.
CHECK_FIRST_BYTES = 32 * 2**20

T = TypeVar("T")


def open_checked(location: str | None) -> Workspace:
    """``open_workspace``, then, for a SQLite file small enough, ``quick_check`` of all of it."""
    workspace = workspaces.open_workspace(location)
    path = db.sqlite_path(workspace.engine)
    if path is not None and path.stat().st_size <= CHECK_FIRST_BYTES:
        problems = quick_check(path)
        if problems:
            workspace.close()
            raise DamagedWorkspace(f"{path} is damaged: {problems[0]}")
    return workspace


def open_window(
    location: str | None,
    build: Callable[[Workspace], T],
    report: Callable[[BaseException], None] | None = None,
) -> tuple[Workspace, T] | None:
    """Open ``location`` and ``build`` its window; on any failure ``recover``. None: the user quit.

    Building the window reads the workspace (the first rows, the current claim):
    damage it meets there is reported like damage found on opening.
    """
    try:
        workspace: Workspace | None = open_checked(location)
        error: BaseException | None = None
    except (UserError, DBAPIError) as exc:
        workspace, error = None, exc
    while True:
        if workspace is None:
            assert error is not None
            if report is not None:
                report(error)
            workspace = recover(location, error)
            if workspace is None:
                return None
            location = str(db.sqlite_path(workspace.engine) or workspace.location)
        try:
            return workspace, build(workspace)
        except DBAPIError as exc:
            workspace.close()
            workspace, error = None, DamagedWorkspace(f"{location} cannot be read: {getattr(exc, 'orig', exc)}")


def _path_of(location: str | None) -> Path | None:
    from sqlalchemy.engine import make_url

    url = make_url(db.resolve_location(location))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _message_box(parent: QWidget | None, title: str, text: str, details: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Critical, title, "", QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes a path and the file's own words
    box.setText(text)
    box.setInformativeText(details)
    return box


def recover(location: str | None, error: BaseException, parent: QWidget | None = None) -> Workspace | None:
    """Ask what to do about a workspace that failed to open (see the module docstring); None = quit."""
    while True:
        path = _path_of(location)
        box = _message_box(
            parent, "Crosscheck — cannot open the workspace", "Crosscheck cannot open this workspace.", str(error)
        )
        another = box.addButton("Open Another Workspace…", QMessageBox.ButtonRole.AcceptRole)
        restore = None
        if path is not None and isinstance(error, DamagedWorkspace):
            restore = box.addButton("Restore a Backup…", QMessageBox.ButtonRole.ActionRole)
        quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(another)
        box.setEscapeButton(quit_button)
        box.exec()
        clicked = box.clickedButton()
        try:
            if clicked is another:
                start = str(path.parent) if path is not None else ""
                chosen, _ = QFileDialog.getOpenFileName(parent, "Open Workspace", start, _WORKSPACE_FILTER)
                if not chosen:
                    continue
                location = chosen
                return open_checked(location)
            if restore is not None and clicked is restore and path is not None:
                kept = _restore_into(parent, path)
                if kept is None:
                    continue
                opened = open_checked(str(path))
                QMessageBox.information(
                    parent, "Crosscheck", f"The backup was restored. The damaged file was kept as {kept}."
                )
                return opened
            return None
        except Exception as exc:  # noqa: BLE001 — whatever went wrong, say it and ask again
            from desktop.cli.base import user_message

            message = user_message(exc, location)
            if message is None:
                raise
            error = exc if message == str(exc) else DamagedWorkspace(message)


def _restore_into(parent: QWidget | None, workspace: Path) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Restore a Backup", str(workspace.parent), f"Backups ({workspace.stem}*.sqlite);;{_WORKSPACE_FILTER}"
    )
    return restore_backup(Path(chosen), workspace) if chosen else None


class IntegrityWatch(QObject):
    """``quick_check`` of an open SQLite workspace in a background thread; reports damage in a dialog."""

    finished = Signal(list)

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._window = parent
        self._path = db.sqlite_path(workspace.engine)
        self._connection: sqlite3.Connection | None = None
        self._cancelled = False
        self.problems: list[str] | None = None
        self.finished.connect(self._report, Qt.ConnectionType.QueuedConnection)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._path is None:
            return
        self._thread = threading.Thread(target=self._run, name="quick-check", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancelled = True
        connection = self._connection
        if connection is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # the check already finished and closed it
                connection.interrupt()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        assert self._path is not None
        problems = quick_check(self._path, on_connect=self._keep)
        if not self._cancelled:
            self.finished.emit(problems)

    def _keep(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        if self._cancelled:
            connection.interrupt()

    def _report(self, problems: list[str]) -> None:
        self.problems = problems
        if not problems or self._path is None:
            return
        shown = "\n".join(problems[:5])
        box = _message_box(
            self._window,
            "Crosscheck — the workspace is damaged",
            f"The workspace {self._path.name} is damaged. Changes made now may be lost.",
            f"SQLite's check of {self._path} found:\n{shown}\n\nRestore a backup, or keep working and export "
            "what you can.",
        )
        restore = box.addButton("Restore a Backup…", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep Working", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.setEscapeButton(keep)
        box.exec()
        if box.clickedButton() is not restore:
            return
        self._workspace.engine.dispose()
        try:
            kept = _restore_into(self._window, self._path)
        except Exception as exc:  # noqa: BLE001 — a refused backup is a message, not a crash
            QMessageBox.warning(self._window, "Crosscheck", f"The backup was not restored: {exc}")
            return
        if kept is None:
            return
        QMessageBox.information(
            self._window,
            "Crosscheck",
            f"The backup was restored; the damaged file was kept as {kept}. Crosscheck restarts now.",
        )
        QProcess.startDetached(sys.executable, sys.argv)
        QApplication.quit()
