"""A workspace that cannot be opened, or is damaged deep inside: a dialog with a way on, never a traceback."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.core import db
from desktop.core.workspace import open_workspace
from desktop.core.workspace_file import DamagedWorkspace, NotAWorkspace
from desktop.ui.dialogs import open_failed


class Answers:
    """Stands in for the user: which button each message box gets, which file each file dialog returns."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, buttons: list[str], files: list[str]) -> None:
        self.buttons, self.files = buttons, files
        self.shown: list[tuple[str, str, list[str]]] = []
        self.notes: list[str] = []
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._exec(box))
        monkeypatch.setattr(QMessageBox, "information", lambda *a: self.notes.append(a[2]))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (self.files.pop(0), ""))

    def _exec(self, box: QMessageBox) -> int:
        names = [b.text() for b in box.buttons()]
        self.shown.append((box.text(), box.informativeText(), names))
        wanted = self.buttons.pop(0)
        next(b for b in box.buttons() if b.text() == wanted).click()
        return 0


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_damaged_workspace_offers_a_backup_and_restores_it_keeping_the_damaged_file(
    qapp: Any, _sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, backup = tmp_path / "ws.sqlite", tmp_path / "ws.backup-1.sqlite"
    shutil.copyfile(_sample_template, path)
    shutil.copyfile(_sample_template, backup)
    _truncate(path)
    damaged = path.read_bytes()
    with pytest.raises(DamagedWorkspace) as error:
        open_workspace(str(path))
    answers = Answers(monkeypatch, ["Restore a Backup…"], [str(backup)])
    workspace = open_failed.recover(str(path), error.value)
    assert workspace is not None
    try:
        assert not workspace.is_empty()
    finally:
        workspace.close()
    text, details, buttons = answers.shown[0]
    assert "cannot open" in text and "is damaged" in details
    assert sorted(buttons) == ["Open Another Workspace…", "Quit", "Restore a Backup…"]
    kept = list(tmp_path.glob("ws.replaced-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged, "the damaged file must be kept as it was"
    assert str(kept[0]) in answers.notes[0]


def test_a_foreign_file_offers_another_workspace_not_a_backup(
    qapp: Any, workspace_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "photo.sqlite"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(NotAWorkspace) as error:
        open_workspace(str(foreign))
    open_workspace(str(workspace_path)).close()
    answers = Answers(monkeypatch, ["Open Another Workspace…"], [str(workspace_path)])
    workspace = open_failed.recover(str(foreign), error.value)
    assert workspace is not None
    workspace.close()
    assert sorted(answers.shown[0][2]) == ["Open Another Workspace…", "Quit"]
    assert "PNG image" in answers.shown[0][1]


def test_quitting_returns_nothing_and_a_refused_choice_asks_again(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a workspace\n", encoding="utf-8")
    with pytest.raises(NotAWorkspace) as error:
        open_workspace(str(text_file))
    answers = Answers(monkeypatch, ["Open Another Workspace…", "Quit"], [str(tmp_path)])  # a folder: refused
    assert open_failed.recover(str(text_file), error.value) is None
    assert "is a folder" in answers.shown[1][1]


def test_damage_in_late_pages_is_reported_after_the_window_opens(
    qtbot: Any, _sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "late.sqlite"
    data = bytearray(_sample_template.read_bytes())
    pages = len(data) // 4096
    noise = random.Random(5)
    for number in range(pages - 6, pages - 1):
        data[number * 4096 : (number + 1) * 4096] = noise.randbytes(4096)
    path.write_bytes(bytes(data))
    workspace = open_workspace(str(path))  # the header and the schema are sound: it opens
    answers = Answers(monkeypatch, ["Keep Working"], [])
    window = QWidget()
    qtbot.addWidget(window)
    watch = open_failed.IntegrityWatch(workspace, window)
    try:
        with qtbot.waitSignal(watch.finished, timeout=30_000):
            watch.start()
        qtbot.waitUntil(lambda: watch.problems is not None)
    finally:
        watch.cancel()
        workspace.close()
    assert watch.problems
    text, details, buttons = answers.shown[0]
    assert "is damaged" in text and sorted(buttons) == ["Keep Working", "Restore a Backup…"]


def test_a_sound_workspace_raises_no_dialog(qtbot: Any, sample_workspace: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = Answers(monkeypatch, [], [])
    window = QWidget()
    qtbot.addWidget(window)
    watch = open_failed.IntegrityWatch(sample_workspace, window)
    with qtbot.waitSignal(watch.finished, timeout=30_000):
        watch.start()
    qtbot.waitUntil(lambda: watch.problems is not None)
    watch.cancel()
    assert watch.problems == [] and answers.shown == []
    assert db.sqlite_path(sample_workspace.engine) is not None


def test_opening_for_the_window_checks_a_small_file_whole_and_offers_a_backup(
    qapp: Any, _sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage the header cannot show would otherwise meet the window's first queries (a traceback once)."""
    path = tmp_path / "late.sqlite"
    data = bytearray(_sample_template.read_bytes())
    pages = len(data) // 4096
    noise = random.Random(6)
    for number in range(pages - 6, pages - 1):
        data[number * 4096 : (number + 1) * 4096] = noise.randbytes(4096)
    path.write_bytes(bytes(data))
    built: list[Any] = []
    answers = Answers(monkeypatch, ["Quit"], [])
    assert open_failed.open_window(str(path), built.append) is None
    assert built == [], "no window is built over a damaged workspace"
    assert "is damaged" in answers.shown[0][1]
    assert "Restore a Backup…" in answers.shown[0][2]


def test_a_window_that_meets_a_database_error_while_being_built_is_a_dialog_not_a_traceback(
    qapp: Any, sample_workspace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import DatabaseError

    location = str(db.sqlite_path(sample_workspace.engine))

    def build(_workspace: Any) -> None:
        raise DatabaseError("SELECT 1", {}, Exception("database disk image is malformed"))

    answers = Answers(monkeypatch, ["Quit"], [])
    assert open_failed.open_window(location, build) is None
    assert "malformed" in answers.shown[0][1]
