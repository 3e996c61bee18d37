"""The main window's File commands (export, backup, threaded import, open / new) and start-up: run(), errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.core.workspace import open_workspace
from desktop.ui import app as app_module
from desktop.ui.table.columns import SORT_OF_COLUMN
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


# --- files ----------------------------------------------------------------------------------------


def _save_as(monkeypatch: pytest.MonkeyPatch, path: Path, chosen: str = "") -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), chosen))


def _open_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def _no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text() + "\n" + box.detailedText())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def test_export_json_and_csv_by_extension_and_by_filter(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_as(monkeypatch, tmp_path / "out.json")
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    document = json.loads((tmp_path / "out.json").read_bytes())
    assert document["format"] == "crosscheck-workspace" and len(document["claims"]) == 20
    from desktop.ui.commands.files import _CSV_FILTER

    _save_as(monkeypatch, tmp_path / "claims", _CSV_FILTER)  # no extension: the chosen type decides
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "claims.csv").read_bytes().count(b"\n") >= 21
    assert "Exported" in window.status.message_text()
    assert window.table.hasFocus()


def test_backup_writes_a_copy(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_as(monkeypatch, tmp_path / "copy.sqlite")
    qtbot.keyClick(window.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    copy = open_workspace(str(tmp_path / "copy.sqlite"))
    try:
        assert not copy.is_empty()
    finally:
        copy.close()


def _document(claim_id: str = "c-new") -> bytes:
    return json.dumps(
        {
            "format": "crosscheck-workspace",
            "version": 1,
            "sources": [{"id": "src-imported", "name": "Imported channel", "kind": "telegram-channel"}],
            "claims": [{"id": claim_id, "text": "An imported claim about Soledar.", "source": "src-imported"}],
        }
    ).encode()


def test_import_runs_in_a_worker_behind_a_busy_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "more.json"
    path.write_bytes(_document())
    _open_as(monkeypatch, path)
    count = window.table.claim_model.rowCount()
    with qtbot.waitSignal(window.files.import_finished, timeout=10000) as blocker:
        qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
        assert window.files.importing and window.files.progress is not None
    assert blocker.args == [True]
    assert window.files.progress is None
    assert window.table.claim_model.rowCount() == count + 1
    assert "1 claims" in window.status.message_text()
    qtbot.waitUntil(window.table.hasFocus)


def test_imported_claims_are_searchable_once_the_index_built_after_the_import_is_ready(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "more.json"
    path.write_bytes(_document())
    _open_as(monkeypatch, path)
    with monkeypatch.context() as patch:
        patch.setattr(window.indexer, "start", lambda: False)  # held back, to see the window meanwhile
        with qtbot.waitSignal(window.files.import_finished, timeout=10000):
            qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.table.claim_model.rowCount() == 21  # browsing shows the new claim at once
    window.show_filter("imported")
    assert window.table.claim_model.rowCount() == 0
    shown = window.filter_bar.message
    assert shown.isVisibleTo(window) and "index building… 1 imported claim not searched yet" in shown.text()
    with qtbot.waitSignal(window.indexer.finished, timeout=20000):
        assert window.indexer.start()
    assert window.table.claim_model.rowCount() == 1  # the filter ran again
    assert not shown.isVisibleTo(window)
    assert "Search index ready" in window.status.message_text()


def test_a_refused_import_lists_every_problem(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(_document().replace(b'"src-imported"}]', b'"src-missing"}]'))
    _open_as(monkeypatch, path)
    shown = _no_message_boxes(monkeypatch)
    with qtbot.waitSignal(window.files.import_finished, timeout=10000) as blocker:
        qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [False]
    assert shown and "nothing imported" in shown[0] and "$.claims[0].source" in shown[0]
    assert window.status.is_error
    assert window.table.claim_model.rowCount() == 20


def test_an_import_that_ends_is_not_said_to_be_cancelled(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the progress dialog at the end emits its canceled signal: no "Cancelling…" hint for it."""
    hints: list[str] = []
    real_hint = window.status.hint
    monkeypatch.setattr(window.status, "hint", lambda text, *a: (hints.append(text), real_hint(text, *a)))
    for name, data in (
        ("bad.json", _document().replace(b'"src-imported"}]', b'"src-missing"}]')),
        ("ok.json", _document()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        _open_as(monkeypatch, path)
        _no_message_boxes(monkeypatch)
        with qtbot.waitSignal(window.files.import_finished, timeout=10000):
            qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not [hint for hint in hints if "ancel" in hint], hints


def test_open_and_new_workspace_switch_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "fresh.sqlite"
    _save_as(monkeypatch, fresh)
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.windowTitle() == "Crosscheck — fresh.sqlite"
    assert window.table.claim_model.rowCount() == 0
    assert window.table.hasFocus()
    shown = _no_message_boxes(monkeypatch)
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # exists: refused
    assert shown and "already exists" in shown[0]
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("hello, not a database " * 100)
    _open_as(monkeypatch, not_a_database)
    qtbot.keyClick(window.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert "is not a Crosscheck workspace" in shown[-1]
    assert window.windowTitle() == "Crosscheck — fresh.sqlite"


def test_opening_another_workspace_in_the_window_shows_its_own_filter_and_sort(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+O: the filter typed on one workspace stays with it; the other opens as it was left."""
    first = window.session.workspace.path
    assert first is not None
    window.filter_bar.set_text("status:contested")
    window.table.sortByColumn(SORT_OF_COLUMN.index("source"), Qt.SortOrder.AscendingOrder)
    fresh = tmp_path / "fresh.sqlite"
    _save_as(monkeypatch, fresh)
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    model = window.table.claim_model
    assert window.filter_bar.text() == "" and model.sort_column() == SORT_OF_COLUMN.index("date")
    window.filter_bar.set_text("bakhmut")
    _open_as(monkeypatch, first)
    qtbot.keyClick(window.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_bar.text() == "status:contested"
    assert (model.sort_column(), model.sort_order()) == (SORT_OF_COLUMN.index("source"), Qt.SortOrder.AscendingOrder)
    _open_as(monkeypatch, fresh)
    qtbot.keyClick(window.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_bar.text() == "bakhmut"


# --- start-up and errors --------------------------------------------------------------------------


def test_run_reports_a_workspace_it_cannot_open(monkeypatch: pytest.MonkeyPatch, settings_dir: Path) -> None:
    from desktop.core import workspace
    from desktop.core.errors import UserError

    def refuse(location: object) -> None:
        raise UserError("the workspace was made by a newer Crosscheck")

    shown: list[str] = []

    def answer(box: QMessageBox) -> int:  # the user reads the message and quits
        shown.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == "Quit").click()
        return 0

    monkeypatch.setattr(workspace, "open_workspace", refuse)
    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert app_module.run("whatever.sqlite") == 1
    assert shown and "newer Crosscheck" in shown[0]


def test_run_opens_the_window_and_returns_the_exit_code(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, settings_dir: Path, tmp_path: Path
) -> None:
    shown: list[MainWindow] = []

    def fake_exec() -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        shown.append(window)
        window.close()
        return 0

    import sys

    monkeypatch.setattr(qapp, "exec", fake_exec)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own; restored after
    assert app_module.run(str(tmp_path / "start.sqlite")) == 0
    assert shown and shown[0].windowTitle() == "Crosscheck — start.sqlite"
    shown[0].deleteLater()


def test_the_exception_hook_shows_bugs_with_details(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from desktop.core.errors import UserError

    shown = _no_message_boxes(monkeypatch)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    app_module.install_excepthook(None)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        sys.excepthook(RuntimeError, error, error.__traceback__)
    assert shown and "RuntimeError: boom" in shown[0] and "Traceback" in shown[0]
    sys.excepthook(UserError, UserError("disk full"), None)
    assert warned == ["disk full"]
