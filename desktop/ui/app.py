"""Starting the window: ``run(location) -> exit code`` (the CLI calls it when no subcommand is given).

Order matters for the first paint: the QApplication (and a visible "opening"
state) comes before the workspace is opened, because opening imports SQLModel
and may migrate the database. A ``UserError`` while opening (a database newer
than this program, an unreadable file) is a message box and exit code 1, never
a traceback; any other exception later is shown in an error dialog with its
details by the exception hook installed here.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.ui.settings import APPLICATION, ORGANISATION


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Qt 6 scales by the screen's DPI by default; pass fractional factors through instead of rounding them.
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    return QApplication(sys.argv[:1])


def _configure(app: QApplication) -> None:
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    # No applicationDisplayName: X11/Wayland would append it to the title, "Crosscheck — w.sqlite — Crosscheck".
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # one readable file per user on every platform
    app.setQuitOnLastWindowClosed(True)


def show_bug(parent: QWidget | None, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An error dialog for a bug: a short message, the traceback under "Show Details"."""
    details = "".join(traceback.format_exception(kind, value, tb))
    box = QMessageBox(
        QMessageBox.Icon.Critical, "Crosscheck — unexpected error", "", QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"Something went wrong: {kind.__name__}: {value}\n\n"
        "Your work so far is saved (every change is written when it is made). "
        "Please report this with the details below."
    )
    box.setDetailedText(details)
    box.exec()


def install_excepthook(parent: QWidget | None = None) -> None:
    """Route uncaught exceptions (Qt slots included) to ``show_bug``; user errors to a plain warning."""
    from desktop.core.errors import UserError

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        traceback.print_exception(kind, value, tb)  # also on stderr, for a terminal or a log
        if isinstance(value, UserError):
            QMessageBox.warning(parent, "Crosscheck", str(value))
        else:
            show_bug(parent, kind, value, tb)

    sys.excepthook = hook


def run(location: str | None) -> int:
    """Open ``location`` (None: the default workspace) in the main window; the process exit code."""
    app = _application()
    _configure(app)

    from desktop.core.errors import UserError
    from desktop.core.workspace import open_workspace

    try:
        workspace = open_workspace(location)
    except UserError as error:
        QMessageBox.critical(None, "Crosscheck", f"Cannot open the workspace:\n\n{error}")
        return 1

    from desktop.ui.session import WorkspaceSession
    from desktop.ui.window.main_window import MainWindow

    session = WorkspaceSession(workspace)
    window = MainWindow(session)
    install_excepthook(window)
    if workspace.upgrade.backup is not None:
        window.status.hint(f"Workspace upgraded; a backup of the old version is at {workspace.upgrade.backup}", 20000)
    window.show()
    try:
        return app.exec()
    finally:
        session.undo_stack.clear()
        session.workspace.close()
