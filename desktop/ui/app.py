"""Starting the window: ``run(location) -> exit code`` (the CLI calls it when no subcommand is given).

Order matters. Before Qt is loaded, ``display_problem`` checks that there is a
display to open the window on (Qt would abort without one) — one line on stderr
and exit code 1 otherwise. Then the log file starts (every warning and error,
Qt's own messages included, see ``desktop.logs``), and the QApplication and the
error dialog are in place *before* the workspace is opened, because opening
imports SQLModel, may migrate the database, and on the first start builds the
sample: a failure there is a dialog naming the log, never a silent exit. A
``UserError`` while opening (a database newer than this program, an unreadable
file) is a message box and exit code 1, never a traceback; any other exception
later is shown in an error dialog with its details by the exception hook.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import logs
from desktop.resources import APP_ID, resource
from desktop.ui.settings import APPLICATION, ORGANISATION_NAME, migrate_old_settings


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Qt 6 scales by the screen's DPI by default; pass fractional factors through instead of rounding them.
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    return QApplication(sys.argv[:1])


def _configure(app: QApplication) -> None:
    QCoreApplication.setOrganizationName(ORGANISATION_NAME)
    QCoreApplication.setApplicationName(APPLICATION)
    QGuiApplication.setDesktopFileName(APP_ID)  # Wayland's app id, and the entry the desktop matches windows to
    app.setWindowIcon(app_icon())
    # No applicationDisplayName: X11/Wayland would append it to the title, "Crosscheck — w.sqlite — Crosscheck".
    app.setQuitOnLastWindowClosed(True)


def app_icon() -> QIcon:
    """The application's icon: the desktop theme's if installed (``desktop-install``), else the shipped SVG."""
    shipped = QIcon(str(resource(f"{APP_ID}.svg")))  # a file on disk: the package is installed unzipped
    return QIcon.fromTheme(APP_ID, shipped)


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
        "Please report this with the details below (Help → Report a problem copies them).\n\n"
        f"The log file: {logs.log_path()}"
    )
    box.setDetailedText(details)
    box.exec()


def install_excepthook(parent: QWidget | None = None) -> None:
    """Route uncaught exceptions (Qt slots included) to the log, then ``show_bug``; user errors to a warning."""
    from desktop.core.errors import UserError

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        traceback.print_exception(kind, value, tb)  # also on stderr, for a terminal
        if isinstance(value, UserError):
            QMessageBox.warning(parent, "Crosscheck", str(value))
        else:
            show_bug(parent, kind, value, tb)

    logs.chain_excepthook(hook)


def run(location: str | None) -> int:
    """Open ``location`` (None: the default workspace) in the main window; the process exit code."""
    from desktop.ui.display import display_problem

    problem = display_problem()
    if problem is not None:
        print(f"crosscheck: error: {problem}", file=sys.stderr)
        return 1
    logs.start()
    moved = migrate_old_settings()
    if moved is not None:
        logs.LOGGER.info("settings moved from %s", moved)
    app = _application()
    _configure(app)
    from desktop.ui import qt_messages

    qt_messages.install()
    from desktop.core.preferences import read_preferences

    theme = read_preferences().theme
    if theme != "system":
        from desktop.ui.theme import apply_theme

        apply_theme(app, theme)
    install_excepthook(None)  # from here on, a failure is a dialog (and a log entry), never a silent exit

    from desktop.ui.start import launch

    try:
        # A workspace that cannot be opened or read: one clear message and a way on (another workspace,
        # a backup), never a traceback. Where it can, the window is painted before the workspace is
        # fully open and completed right after (``desktop.ui.start``).
        started = launch(location, report=lambda error: logs.LOGGER.warning("cannot open the workspace: %s", error))
    except Exception as bug:  # a bug while opening or seeding: the same dialog as any bug, then stop
        sys.excepthook(type(bug), bug, bug.__traceback__)
        return 1
    if started is None:
        return 1
    install_excepthook(started.window)
    started.on_failure.append(lambda: app.exit(1))
    try:
        return app.exec()
    finally:
        started.close()
