"""Window conventions: multi-select with bulk actions (one undo step each), context menus showing the keys,
copy as citation / id, dropping a JSON file, Open Recent, Preferences, the import's progress and Cancel,
the first size, Tools → Check workspace (and repair) and Restore from backup."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop.core import db, integrity
from desktop.core.preferences import read_preferences
from desktop.ui.window.layout_settings import first_size
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _select_first(qtbot: QtBot, window: MainWindow, rows: int) -> list[int]:
    window.table.first()
    for _ in range(rows - 1):
        qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    chosen = window.table.selected_claims()
    assert len(chosen) == rows
    return chosen


def _values(window: MainWindow, column: str, claims: list[int]) -> list[object]:
    with window.session.engine.connect() as connection:
        rows = dict(connection.exec_driver_sql(f"SELECT id, {column} FROM claim").all())
    return [rows.get(c) for c in claims]


def test_shift_arrows_select_and_a_grade_key_grades_every_selected_claim_in_one_undo_step(
    qtbot: QtBot, window: MainWindow
) -> None:
    claims = _select_first(qtbot, window, 3)
    before = _values(window, "credibility", claims)
    steps = window.session.undo_stack.count()
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert _values(window, "credibility", claims) == [2, 2, 2]
    assert window.session.undo_stack.count() == steps + 1
    assert window.status.message_text() == "Credibility 2 — probably true (3 claims)."
    assert window.table.selected_claims() == claims  # the selection stays for the next bulk key
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _values(window, "credibility", claims) == before


def test_bulk_verdict_review_and_delete_each_one_step(qtbot: QtBot, window: MainWindow) -> None:
    claims = _select_first(qtbot, window, 4)
    steps = window.session.undo_stack.count()
    qtbot.keyClicks(window.table, "vr")
    assert _values(window, "verdict", claims) == ["refuted"] * 4
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert _values(window, "reviewed", claims) == [1] * 4
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert _values(window, "id", claims) == [None] * 4
    assert window.table.claim_model.rowCount() == 16
    assert window.session.undo_stack.count() == steps + 3
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _values(window, "id", claims) == claims and window.table.claim_model.rowCount() == 20
    assert integrity.check(window.session.engine) == []


def test_j_and_k_collapse_the_selection_to_one_claim(qtbot: QtBot, window: MainWindow) -> None:
    _select_first(qtbot, window, 3)
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert len(window.table.selected_claims()) == 1


def test_ctrl_a_selects_all_and_shift_t_tags_them_all(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    claims = window.table.selected_claims()
    assert len(claims) == 20
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  needs  follow-up ", True))
    steps = window.session.undo_stack.count()
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    tags = [json.loads(t) if isinstance(t, str) else t for t in _values(window, "tags", claims)]
    assert all("needs follow-up" in t for t in tags)
    assert window.session.undo_stack.count() == steps + 1
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    tags = [json.loads(t) if isinstance(t, str) else t for t in _values(window, "tags", claims)]
    assert not any("needs follow-up" in t for t in tags)


def test_copy_as_citation_and_copy_id(qtbot: QtBot, window: MainWindow) -> None:
    window.table.first()
    claim = window.table.current_claim()
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    citation = QGuiApplication.clipboard().text()
    with window.session.engine.connect() as connection:
        ext, source = connection.exec_driver_sql(
            "SELECT c.ext_id, s.name FROM claim c JOIN source s ON s.id = c.source_id WHERE c.id = ?", (claim,)
        ).one()
    assert f"— {source} (" in citation and citation.endswith(f"[crosscheck {ext}]")
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == ext


def test_the_table_menu_offers_the_keymap_actions_with_their_keys(qtbot: QtBot, window: MainWindow) -> None:
    rect = window.table.visualRect(window.table.claim_model.index(2, 1))
    menu = window.table_menu(rect.center())
    qtbot.addWidget(menu)
    assert window.table.currentIndex().row() == 2  # the clicked row became the selection
    entries = {a.objectName(): a for a in _all_actions(menu)}
    assert entries["claim.copy_citation"].shortcut().toString() == "Ctrl+C"
    assert entries["grade.2"].shortcut().toString() == "2" and entries["claim.delete"].isEnabled()
    assert not entries["link.corroborates"].isEnabled()  # nothing pinned: greyed, not hidden
    menu.close()
    detail = window.detail_menu(QPoint(5, 5))
    qtbot.addWidget(detail)
    names = {a.objectName() for a in _all_actions(detail)}
    assert {"claim.edit_text", "claim.copy_citation", "grade.1", "verdict.confirmed", "claim.delete"} <= names
    detail.close()


def _all_actions(menu: object) -> list:  # type: ignore[type-arg]
    found = []
    for action in menu.actions():  # type: ignore[attr-defined]
        found.append(action)
        if action.menu() is not None:
            found += _all_actions(action.menu())
    return found


def _document(path: Path, claims: int = 1) -> Path:
    path.write_text(
        json.dumps(
            {
                "format": "crosscheck-workspace",
                "version": 1,
                "sources": [{"id": "src-dropped", "name": "Dropped channel", "kind": "telegram-channel"}],
                "claims": [
                    {"id": f"c-dropped-{i}", "text": f"A dropped claim {i}.", "source": "src-dropped"}
                    for i in range(claims)
                ],
            }
        )
    )
    return path


def _drop(window: MainWindow, *paths: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    return event


def test_dropping_a_json_file_on_the_window_imports_it(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    document = _document(tmp_path / "dropped.json")
    with qtbot.waitSignal(window.files.import_finished, timeout=10000) as blocker:
        _drop(window, document)
    assert blocker.args == [True] and window.table.claim_model.rowCount() == 21
    text = tmp_path / "notes.txt"
    text.write_text("not json")
    assert not _drop(window, text).isAccepted()


def test_cancelling_the_import_progress_dialog_writes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.commands import files

    document = _document(tmp_path / "big.json", claims=50)
    started = threading.Event()
    go_on = threading.Event()
    original = files._ImportJob._progress

    def held(job: files._ImportJob, step: str, fraction: float) -> None:
        started.set()
        go_on.wait(10)  # the import waits at its first step until the test has pressed Cancel
        original(job, step, fraction)

    monkeypatch.setattr(files._ImportJob, "_progress", held)
    with qtbot.waitSignal(window.files.import_finished, timeout=10000) as blocker:
        window.files.import_path(str(document))
        progress = window.files.progress
        assert progress is not None and progress.maximum() == 100 and progress.labelText().startswith("Importing")
        qtbot.waitUntil(started.is_set)
        button = progress.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        go_on.set()
    assert blocker.args == [False]
    assert window.table.claim_model.rowCount() == 20
    assert "nothing was written" in window.status.message_text()


def test_the_progress_dialog_shows_a_percentage(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    seen: list[int] = []
    with qtbot.waitSignal(window.files.import_finished, timeout=10000):
        window.files.import_path(str(_document(tmp_path / "some.json", claims=5)))
        assert window.files._job is not None
        window.files._job.progressed.connect(lambda _step, percent: seen.append(percent))
    assert seen and seen == sorted(seen) and seen[-1] == 100


def test_open_recent_lists_opened_workspaces_and_reopens_one(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = db.sqlite_path(window.session.engine)
    fresh = tmp_path / "fresh.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fresh), ""))
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    window.recent.fill()
    entries = [a for a in window.recent.menu.actions() if a.data()]
    assert [a.data() for a in entries] == [str(fresh), str(first)]
    assert entries[0].text().startswith("&1 fresh.sqlite")
    entries[1].trigger()
    assert window.windowTitle().endswith(first.name) and window.table.claim_model.rowCount() == 20


def test_preferences_save_the_analyst_the_organisation_and_the_theme(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.dialogs.preferences import PreferencesDialog

    def fill(dialog: PreferencesDialog) -> int:
        dialog.analyst.setText("  Anna   K. ")
        dialog.organisation.setText("Verification desk")
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(PreferencesDialog, "exec", fill)
    monkeypatch.delenv("CROSSCHECK_ANALYST")
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert read_preferences().analyst == "Anna K." and read_preferences().organisation == "Verification desk"
    assert read_preferences().theme == "dark"
    assert window.session.store.analyst == "Anna K."
    from desktop.ui.theme import apply_theme

    apply_theme(QGuiApplication.instance(), "system")  # type: ignore[arg-type]


def test_the_first_size_fits_the_screen() -> None:
    assert first_size(QSize(3840, 2160)) == (1400, 860)
    assert first_size(QSize(1280, 720)) == (1152, 648)
    assert first_size(None) == (1400, 860)


def test_check_workspace_offers_repair_after_a_backup(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.backups import list_backups
    from desktop.ui.dialogs.check_workspace import CheckDialog

    engine = window.session.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE claim SET status = 'contested' WHERE status = 'unverified'")
    shown: list[str] = []
    monkeypatch.setattr(CheckDialog, "exec", lambda d: shown.append(d.summary.text()) or QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert "Repair can mend them" in shown[0] and "backup" in shown[0]
    assert "every claim's status, and recounted the claims" in shown[1] and "sound now" in shown[1]
    path = db.sqlite_path(engine)
    assert path is not None and len(list_backups(path)) == 1 and str(list_backups(path)[0].path) in shown[1]
    assert integrity.check(engine) == []


def test_restore_from_backup_copies_into_a_new_file_and_opens_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.backups import new_backup_path
    from desktop.ui.dialogs.restore_backup import RestoreDialog

    path = db.sqlite_path(window.session.engine)
    assert path is not None
    db.backup(window.session.engine, new_backup_path(path))
    with window.session.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM outreach_claim")
    target = tmp_path / "restored.sqlite"
    monkeypatch.setattr(RestoreDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert target.is_file() and window.windowTitle().endswith("restored.sqlite")
    with window.session.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM outreach_claim").scalar_one() > 0
