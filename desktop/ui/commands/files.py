"""The File menu's commands: new / open workspace, import, export, back up.

Import runs in a worker thread (one transaction; thousands of claims take a
while) behind a window-modal progress dialog with a percentage and Cancel, so
the window keeps painting; the engine hands the worker its own connection.
Cancel makes the import's progress callback raise ``Cancelled`` at its next
step, inside the transaction: it is rolled back and nothing is written. Errors the user can fix arrive as
``UserError`` and are shown in a message box with every detail (an import lists
each problem with its JSON path); anything else is a bug and propagates.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog
from sqlalchemy.exc import DBAPIError

from desktop.core.atomic_write import write_atomically
from desktop.core.errors import UserError
from desktop.ui.commands.host import CommandHost
from desktop.ui.commands.keymap import key_of
from desktop.ui.settings import FOLDER, app_settings, read_text

_WORKSPACE_FILTER = "Crosscheck workspace (*.sqlite *.sqlite3 *.db);;All files (*)"
_JSON_FILTER = "Crosscheck JSON (*.json)"
_IMPORT_FILTER = "Workspace documents and reports (*.json *.html *.htm *.txt *.md *.xml *.rss *.atom)"
_CSV_FILTER = "CSV, one row per claim (*.csv)"


class _ImportJob(QObject):
    """Runs ``import_json`` on a pool thread; the signals cross back to the window's thread (queued)."""

    done = Signal(object)  # ImportReport
    failed = Signal(object)  # the exception
    progressed = Signal(str, int)  # the step, percent done

    def __init__(self, engine: Any, data: bytes, analyst: str) -> None:
        super().__init__()
        self._engine, self._data, self._analyst = engine, data, analyst
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def _progress(self, step: str, fraction: float) -> None:
        from desktop.core.progress import Cancelled

        if self._cancelled.is_set() and fraction < 1.0:
            raise Cancelled("import cancelled: nothing was written")
        self.progressed.emit(step, round(fraction * 100))

    def run(self) -> None:
        from desktop.core.interchange import import_json

        try:
            # The search index of the new claims is built after the commit (the window's SearchIndexer).
            report = import_json(
                self._engine, self._data, analyst=self._analyst, progress=self._progress, defer_index=True
            )
        except Exception as error:  # noqa: BLE001 — handed to the window's thread, which decides
            self.failed.emit(error)
        else:
            self.done.emit(report)


class FileCommands(QObject):
    import_finished = Signal(bool)  # True when something was imported (for tests and the window)
    reports_imported = Signal(list)  # the new report ids of a file of reports (the window opens the first)

    def __init__(self, host: CommandHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.progress: QProgressDialog | None = None
        self._job: _ImportJob | None = None
        self._import_name = ""
        for name, slot in (
            ("file.new", self.new_workspace),
            ("file.open", self.open_workspace),
            ("file.import", self.import_file),
            ("file.export", self.export_file),
            ("file.backup", self.backup),
        ):
            host.bind(name, slot)

    # --- helpers ------------------------------------------------------------------------------

    def _folder(self) -> str:
        return read_text(app_settings(), FOLDER) or str(Path.home())

    def _remember(self, path: str) -> None:
        app_settings().setValue(FOLDER, str(Path(path).parent))

    def _problem(self, title: str, error: UserError) -> None:
        parent = self.host.dialog_parent()
        box = QMessageBox(QMessageBox.Icon.Warning, title, str(error), QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        errors = getattr(error, "errors", None)
        if errors:
            box.setDetailedText("\n".join(f"{path}: {message}" for path, message in errors))
        box.exec()
        parent.activateWindow()
        self.host.error(f"{title}: {error}")

    def open_path(self, path: str) -> None:
        """Open the workspace file ``path`` (File → Open Recent, a restored backup)."""
        from desktop.ui import recent

        if not Path(path).is_file():
            recent.forget(path)
            self._problem("Open workspace", UserError(f"{path} is no longer there; it is removed from the list"))
            return
        try:
            self._switch_to(path)
        except UserError as error:
            self._problem("Open workspace", error)

    def _switch_to(self, location: str) -> None:
        from desktop.core.workspace import open_workspace

        try:
            workspace = open_workspace(location, analyst=self.host.session.store.analyst)
        except DBAPIError as error:  # not a database at all, or a locked / unreadable file
            raise UserError(f"{Path(location).name} is not a readable Crosscheck workspace ({error.orig})") from error
        self.host.session.replace_workspace(workspace)
        self.host.hint(f"Opened {workspace.label}")
        from desktop.core.db import sqlite_path
        from desktop.ui import recent

        opened = sqlite_path(workspace.engine)
        if opened is not None:
            recent.remember(opened)

    # --- commands -----------------------------------------------------------------------------

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.host.dialog_parent(),
            "New workspace",
            str(Path(self._folder()) / "workspace.sqlite"),
            _WORKSPACE_FILTER,
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".sqlite")
        if target.exists():
            # Never overwrite a file here: it may be someone's workspace. Opening it is one key away.
            self._problem(
                "New workspace", UserError(f"{target.name} already exists; open it with {key_of('file.open')} instead")
            )
            return
        self._remember(str(target))
        try:
            self._switch_to(str(target))
        except UserError as error:
            self._problem("New workspace", error)

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.host.dialog_parent(), "Open workspace", self._folder(), _WORKSPACE_FILTER
        )
        if not path:
            return
        self._remember(path)
        try:
            self._switch_to(path)
        except UserError as error:
            self._problem("Open workspace", error)

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.host.dialog_parent(), "Import", self._folder(), f"{_IMPORT_FILTER};;{_JSON_FILTER};;All files (*)"
        )
        if not path:
            return
        self.import_path(path)

    def import_path(self, path: str) -> None:
        """Import the file ``path`` (chosen in the dialog, or dropped on the window)."""
        if self.importing:
            self.host.error("An import is already running.")
            return
        self._remember(path)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            self._problem("Import", UserError(f"cannot read {path}: {error.strerror or error}"))
            return
        self.import_data(data, Path(path).name)

    def import_data(self, data: bytes, name: str) -> None:
        """A workspace document in the background; reports (a page, a feed, an export, text) as one undo step."""
        from desktop.core.capture.files import read_reports
        from desktop.core.capture.sniff import Kind

        if self.host.session.read_only is not None:  # e.g. a file dropped on a window showing an earlier moment
            self.host.error(self.host.session.read_only)
            return
        try:
            kind, drafts = read_reports(data, name)
        except UserError as error:
            self._problem("Import", error)
            return
        if kind is Kind.WORKSPACE:
            self.start_import(data, name)
            return
        outcome = self.host.session.perform(lambda store: store.create_reports(drafts), f"import {name}")
        if outcome.error is not None:
            self._problem("Import", outcome.error)
            return
        reports: list[int] = outcome.value
        count = f"{len(reports):,} report{'s' if len(reports) != 1 else ''}"
        self.host.hint(f"Imported {count} from {name} ({kind.value}).")
        self.import_finished.emit(True)
        self.reports_imported.emit(reports)

    def start_import(self, data: bytes, name: str) -> None:
        session = self.host.session
        self._import_name = name
        job = _ImportJob(session.engine, data, session.store.analyst)
        job.done.connect(self._import_done)
        job.failed.connect(self._import_failed)
        self._job = job  # keep it alive until its signals have arrived
        progress = QProgressDialog(f"Importing {name}…", "Cancel", 0, 100, self.host.dialog_parent())
        progress.setObjectName("importProgress")
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)
        progress.canceled.connect(self._cancel_import)
        job.progressed.connect(self._show_progress)
        progress.show()
        self.progress = progress
        self.pool.start(job.run)

    def _show_progress(self, step: str, percent: int) -> None:
        if self.progress is not None and not self.progress.wasCanceled():
            self.progress.setLabelText(f"Importing {self._import_name}: {step}…")
            self.progress.setValue(percent)

    def _cancel_import(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.host.hint("Cancelling the import…")

    @property
    def importing(self) -> bool:
        return self._job is not None

    def _end_import(self) -> None:
        self._job = None  # first: closing the progress dialog emits its canceled signal, a job ended is not cancelled
        if self.progress is not None:
            self.progress.close()  # before the focus moves: a visible modal dialog would keep it
            self.progress.deleteLater()
            self.progress = None
            self.host.dialog_parent().activateWindow()  # not every window system hands activation back

    def _import_done(self, report: Any) -> None:
        self._end_import()
        self.host.session.refresh_all()
        self.host.hint(f"Imported {self._import_name}: {report.summary()}", 15000)
        self.host.back_to_table()
        self.import_finished.emit(True)

    def _import_failed(self, error: Exception) -> None:
        self._end_import()
        self.import_finished.emit(False)
        self.host.back_to_table()
        from desktop.core.progress import Cancelled

        if isinstance(error, Cancelled):
            self.host.hint("Import cancelled: nothing was written.")
            return
        if isinstance(error, UserError):
            self._problem("Import", error)
            return
        raise error  # a bug: the window's exception hook shows it with its traceback

    def export_file(self) -> None:
        stem = Path(self.host.session.workspace.label).stem or "crosscheck"
        path, chosen = QFileDialog.getSaveFileName(
            self.host.dialog_parent(),
            "Export",
            str(Path(self._folder()) / f"{stem}.json"),
            f"{_JSON_FILTER};;{_CSV_FILTER}",
        )
        if not path:
            return
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in (".json", ".csv"):  # no (known) extension typed: the chosen file type decides
            suffix = ".csv" if chosen == _CSV_FILTER else ".json"
            target = target.with_name(target.name + suffix)
        self._remember(str(target))
        engine = self.host.session.engine
        try:
            data = export_csv(engine) if suffix == ".csv" else export_json(engine)
            write_atomically(target, data)
        except UserError as error:
            self._problem("Export", error)
            return
        self.host.hint(f"Exported to {target}")

    def backup(self) -> None:
        from desktop.core import db

        session = self.host.session
        stem = Path(session.workspace.label).stem or "workspace"
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(
            self.host.dialog_parent(),
            "Back up workspace",
            str(Path(self._folder()) / f"{stem}-{stamp}.sqlite"),
            _WORKSPACE_FILTER,
        )
        if not path:
            return
        self._remember(path)
        try:
            written = db.backup(session.engine, Path(path))
        except UserError as error:
            self._problem("Back up", error)
            return
        except OSError as error:
            self._problem("Back up", UserError(f"cannot write {path}: {error.strerror or error}"))
            return
        self.host.hint(f"Backed up to {written}")


def export_json(engine: Any) -> bytes:
    from desktop.core.interchange import export_json as export

    return export(engine)


def export_csv(engine: Any) -> bytes:
    from desktop.core.interchange import export_csv as export

    return export(engine)
