"""Errors are never lost: the log file, Qt's messages in it, a dialog for a failed first start,
one clear line without a display, and Help → Report a problem."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop import logs
from desktop.ui.display import display_problem

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("CROSSCHECK_DB", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"))
    env.update(XDG_CONFIG_HOME=str(home / "config"), PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def _log(tmp_path: Path) -> Path:
    return tmp_path / "home" / "state" / "crosscheck" / "log" / "crosscheck.log"


def _python(tmp_path: Path, script: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = _env(tmp_path, QT_QPA_PLATFORM="offscreen", **extra)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "no display to open the window on"),
        ({"QT_QPA_PLATFORM": "xcb"}, "QT_QPA_PLATFORM=xcb but DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "WAYLAND_DISPLAY is not set"),
        ({"DISPLAY": ":987"}, "cannot connect to the X display ':987'"),
        ({"QT_QPA_PLATFORM": "offscreen"}, None),
        ({"QT_QPA_PLATFORM": "minimal"}, None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, None),
    ],
)
def test_the_display_problem_is_named_before_qt_would_abort(environ: dict[str, str], expected: str | None) -> None:
    problem = display_problem(environ)
    assert problem == expected if expected is None else expected in (problem or "")


def test_starting_the_window_without_a_display_is_one_line_not_an_abort(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert (
        done.stderr.startswith("crosscheck: error: no display to open the window on") and done.stderr.count("\n") == 1
    )
    assert "Traceback" not in done.stderr and "qt.qpa" not in done.stderr
    assert not (tmp_path / "home" / "data" / "crosscheck").exists()  # and no workspace was made for nothing


def test_warnings_errors_qt_messages_and_uncaught_exceptions_reach_the_log(tmp_path: Path) -> None:
    done = _python(
        tmp_path,
        """
        import logging, warnings
        from PySide6.QtCore import qWarning
        from PySide6.QtWidgets import QApplication
        from desktop import logs
        from desktop.ui import qt_messages
        logs.start()
        app = QApplication([])
        qt_messages.install()
        warnings.warn("a Python warning")
        logging.getLogger("crosscheck.test").error("an error record")
        logging.getLogger("crosscheck.test").info("not kept: below warning")
        qWarning("a Qt warning")
        raise RuntimeError("an uncaught bug")
        """,
    )
    assert done.returncode == 1 and "RuntimeError: an uncaught bug" in done.stderr  # still printed as ever
    assert "a Qt warning" in done.stderr  # Qt's message still reaches the terminal too
    text = _log(tmp_path).read_text(encoding="utf-8")
    assert "WARNING py.warnings" in text and "a Python warning" in text
    assert "ERROR crosscheck.test: an error record" in text and "below warning" not in text
    assert "WARNING crosscheck.qt: default: a Qt warning" in text
    assert "ERROR crosscheck: uncaught RuntimeError: an uncaught bug" in text and "Traceback" in text


def test_nothing_logged_leaves_no_log_folder(tmp_path: Path) -> None:
    done = _python(tmp_path, "from desktop import logs; logs.start()")
    assert done.returncode == 0 and not (tmp_path / "home" / "state").exists()


def test_the_log_rotates_instead_of_growing_for_ever(tmp_path: Path) -> None:
    done = _python(
        tmp_path,
        """
        import logging
        from desktop import logs
        logs.start()
        for i in range(6000):
            logging.getLogger("crosscheck").warning("line %d %s", i, "x" * 600)
        """,
    )
    assert done.returncode == 0, done.stderr
    kept = sorted(p.name for p in _log(tmp_path).parent.iterdir())
    assert kept == ["crosscheck.log", "crosscheck.log.1", "crosscheck.log.2", "crosscheck.log.3"]
    assert all(p.stat().st_size <= 1_100_000 for p in _log(tmp_path).parent.iterdir())


def test_a_failed_first_start_shows_the_dialog_with_the_log_path_and_leaves_no_workspace(tmp_path: Path) -> None:
    done = _python(
        tmp_path,
        """
        import sys
        from desktop.core import seeding
        from desktop.ui import app

        def broken(engine):
            raise RuntimeError("the sample could not be written")

        def dialog(parent, kind, value, tb):  # what the analyst would see, instead of a modal box
            from desktop import logs
            print("DIALOG", kind.__name__, value, "| log:", logs.log_path(), flush=True)

        seeding.seed = broken
        app.show_bug = dialog
        sys.exit(app.run(None))
        """,
    )
    assert done.returncode == 1
    assert f"DIALOG RuntimeError the sample could not be written | log: {_log(tmp_path)}" in done.stdout
    assert "the sample could not be written" in _log(tmp_path).read_text(encoding="utf-8")
    assert not (tmp_path / "home" / "data" / "crosscheck" / "workspace.sqlite").exists()


@pytest.fixture
def logged_lines() -> Iterator[Path]:
    """A log file with a few lines in it, written as the running application would."""
    path = logs.log_path()
    path.parent.mkdir(parents=True)
    path.write_text("2026-12-07 09:00:00 ERROR crosscheck: first\n2026-12-07 09:00:01 WARNING qt: second\n")
    yield path


def test_report_a_problem_shows_versions_and_the_log_tail_ready_to_copy(qtbot: QtBot, logged_lines: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    from desktop import about
    from desktop.ui.dialogs.report_problem import ReportProblemDialog

    dialog = ReportProblemDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert f"Crosscheck: {about.version()}" in text and "Python: " in text and "Qt: " in text
    assert f"Log file: {logged_lines}" in text
    assert text.endswith("ERROR crosscheck: first\n2026-12-07 09:00:01 WARNING qt: second")
    assert dialog.text.isReadOnly()
    dialog.copy()
    assert QGuiApplication.clipboard().text() == text


def test_report_a_problem_says_so_when_the_log_is_empty(qtbot: QtBot) -> None:
    from desktop.ui.dialogs.report_problem import ReportProblemDialog

    dialog = ReportProblemDialog()
    qtbot.addWidget(dialog)
    assert "The log is empty" in dialog.text.toPlainText()
