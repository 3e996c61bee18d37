"""Fixtures for main-window tests (imported by the test modules that need them, in ui/ and e2e/).

The functions carry a ``_fixture`` suffix and register under the plain name, so a
module that imports them can still take ``window`` as a test argument.

Every window test gets its own QSettings folder (IniFormat under tmp_path), so
no test reads or writes the user's real settings, and its own sample workspace.
Key presses reach QAction shortcuts only in the active window (docs/architecture.md, known traps):
``open_window`` shows and activates it before returning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop.core.workspace import Workspace
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow

#: The offscreen platform plugin warns that it cannot do what a real window system does (size hints
#: for a shown top-level, raise, keyboard grab for a popup). Those are not the app's warnings.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard|grabbing the mouse)"
)


@pytest.fixture(name="settings_dir")
def settings_dir_fixture(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    previous = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
    QSettings.setDefaultFormat(previous)


@pytest.fixture(name="review_session")
def review_session_fixture(qapp: object, sample_workspace: Workspace) -> Iterator[WorkspaceSession]:
    opened = WorkspaceSession(sample_workspace)
    yield opened
    opened.undo_stack.clear()


@pytest.fixture(name="open_window")
def open_window_fixture(qtbot: QtBot, settings_dir: Path) -> Callable[[WorkspaceSession], MainWindow]:
    def make(session: WorkspaceSession) -> MainWindow:
        window = MainWindow(session)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # offscreen: waitActive only waits for exposure
        return window

    return make


@pytest.fixture(name="window")
def window_fixture(
    open_window: Callable[[WorkspaceSession], MainWindow], review_session: WorkspaceSession
) -> MainWindow:
    """The main window on a fresh copy of the sample workspace, shown and active, focus on the table."""
    return open_window(review_session)
