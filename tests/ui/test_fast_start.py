"""The fast start (desktop.ui.start): the first screen read with sqlite3 is the full model's first screen,
the window is completed in place, and keys typed before it is whole act once it is, in order."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from desktop.core.locations import resolve_location
from desktop.core.read import paging
from desktop.core.read.first_screen import read_first_screen
from desktop.core.workspace import Workspace
from desktop.ui import settings as ws
from desktop.ui.session import WorkspaceSession
from desktop.ui.start import first_screen, launch
from desktop.ui.table import columns as cols
from desktop.ui.table.columns import SORT_OF_COLUMN
from desktop.ui.table.model import FIRST_FETCH, ClaimTableModel
from desktop.ui.window import workspace_view
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import OFFSCREEN_NOISE, settings_dir_fixture  # noqa: F401 (fixture)

pytestmark = OFFSCREEN_NOISE


def _path(workspace: Workspace) -> Path:
    assert workspace.path is not None
    return workspace.path


def test_the_first_screen_is_the_models_first_screen(qapp: object, sample_workspace: Workspace) -> None:
    session = WorkspaceSession(sample_workspace)
    model = ClaimTableModel(session)
    first = read_first_screen(_path(sample_workspace), FIRST_FETCH)
    assert first is not None
    # The raw statements (which the model also uses on SQLite for this view) against paging's own.
    with sample_workspace.engine.connect() as connection:
        assert first.count == paging.count(connection, paging.View()) == model.rowCount() > 0
        assert first.rows == paging.fetch_after(connection, paging.View(), None, FIRST_FETCH)
    assert model.total_count() == first.count
    shown = min(model.rowCount(), FIRST_FETCH)
    assert first.rows == [model.claim_row(row) for row in range(shown)]
    # The sample has what the joined columns read: places, reports, links.
    assert any(row.place is not None for row in first.rows)
    assert any(row.link_count for row in first.rows)


def test_the_raw_first_screen_holds_past_a_screenful(qapp: object, sample_workspace: Workspace) -> None:
    """More claims than a screenful: the model's raw first screen, then the rest by keyset from its last row."""
    with sample_workspace.engine.connect() as connection:
        source = int(connection.exec_driver_sql("SELECT id FROM source ORDER BY id LIMIT 1").scalar_one())
    for number in range(FIRST_FETCH + 10):
        sample_workspace.store.create_claim(f"Claim number {number} of a long day", source)
    session = WorkspaceSession(sample_workspace)
    model = ClaimTableModel(session)
    assert model.rowCount() > FIRST_FETCH + 10
    with sample_workspace.engine.connect() as connection:
        expected = paging.fetch_after(connection, paging.View(), None, model.rowCount())
    assert [model.claim_row(row) for row in range(model.rowCount())] == expected


def test_only_a_current_crosscheck_file_is_read_fast(tmp_path: Path, sample_workspace: Workspace) -> None:
    older = tmp_path / "older.sqlite"
    shutil.copyfile(_path(sample_workspace), older)
    with sqlite3.connect(older) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    for path in (older, foreign, tmp_path / "missing.sqlite", tmp_path):
        assert read_first_screen(path, FIRST_FETCH) is None, path
    assert first_screen("postgresql://somewhere/db") is None


def test_a_filter_or_sort_saved_for_this_workspace_takes_the_full_path(
    settings_dir: Path, qapp: object, sample_workspace: Workspace, tmp_path: Path
) -> None:
    location = str(_path(sample_workspace))
    url = resolve_location(location)
    assert first_screen(location) is not None
    settings = ws.app_settings()
    settings.setValue(f"{workspace_view.group(url)}/filter", "status:contested")
    settings.sync()
    assert first_screen(location) is None
    other = tmp_path / "other.sqlite"
    shutil.copyfile(_path(sample_workspace), other)
    assert first_screen(str(other)) is not None  # another workspace's filter is not this one's
    settings.setValue(f"{workspace_view.group(url)}/filter", "")
    settings.setValue(ws.TABLE, b"saved columns")
    settings.setValue(f"{workspace_view.group(url)}/sort", "source ascending")
    settings.sync()
    assert first_screen(location) is None
    settings.setValue(f"{workspace_view.group(url)}/sort", ws.DEFAULT_SORT)
    settings.setValue("window/filter", "status:contested")  # the old key, one for every workspace: not read
    settings.sync()
    assert first_screen(location) is not None


def test_each_workspace_keeps_its_own_filter_and_sort(
    qtbot: QtBot, settings_dir: Path, sample_workspace: Workspace, tmp_path: Path
) -> None:
    """Filtered and sorted on one workspace, closed; another opens unfiltered, newest first, and fast."""
    path = _path(sample_workspace)
    other = tmp_path / "other.sqlite"
    shutil.copyfile(path, other)
    sample_workspace.close()
    started = launch(str(path))
    assert started is not None
    window = started.window
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.is_ready)
    window.filter_bar.set_text("status:contested")
    window.table.sortByColumn(cols.SORT_OF_COLUMN.index("source"), Qt.SortOrder.AscendingOrder)
    window.close()
    started.close()
    assert first_screen(str(other)) is not None  # the other workspace: still the fast start
    again = launch(str(other))
    assert again is not None
    qtbot.addWidget(again.window)
    qtbot.waitUntil(lambda: again.window.is_ready)
    assert again.window.filter_bar.text() == ""
    model = again.window.table.claim_model
    assert (model.sort_column(), model.sort_order()) == (cols.COL_DATE, Qt.SortOrder.DescendingOrder)
    again.window.close()
    again.close()
    back = launch(str(path))  # the first workspace: its filter and sort come back (by the full path)
    assert back is not None
    qtbot.addWidget(back.window)
    assert back.window.is_ready and back.window.filter_bar.text() == "status:contested"
    model = back.window.table.claim_model
    assert (model.sort_column(), model.sort_order()) == (
        cols.SORT_OF_COLUMN.index("source"),
        Qt.SortOrder.AscendingOrder,
    )
    back.window.close()
    back.close()
    for each in (started, again, back):
        if each.workspace is not None:
            each.workspace.close()


def _shell(qtbot: QtBot, workspace: Workspace) -> MainWindow:
    first = read_first_screen(_path(workspace), FIRST_FETCH)
    assert first is not None
    window = MainWindow(None, first=first)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_keys_typed_before_the_window_is_whole_act_once_it_is(
    qtbot: QtBot, settings_dir: Path, sample_workspace: Workspace
) -> None:
    window = _shell(qtbot, sample_workspace)
    table = window.table
    assert not window.is_ready and table.currentIndex().row() == 0
    for _ in range(3):
        qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the table's own key: held too, not acted on out of order
    assert table.currentIndex().row() == 0  # held, not lost: nothing acted yet
    assert "keys typed now act once it is open" in window.status.message_text()

    session = WorkspaceSession(sample_workspace)
    with qtbot.waitSignal(window.ready):
        window.complete(session)
    assert window.is_ready
    qtbot.waitUntil(lambda: table.currentIndex().row() == 4)  # j j j Down, in order (a key each event turn)
    assert session.current == table.current_claim()
    assert "keys typed now" not in window.status.message_text()
    session.undo_stack.clear()


def test_a_filter_typed_before_the_window_is_whole_is_applied(
    qtbot: QtBot, settings_dir: Path, sample_workspace: Workspace
) -> None:
    window = _shell(qtbot, sample_workspace)
    everything = window.table.claim_model.rowCount()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # to the filter bar
    qtbot.keyClicks(window.table, "status:contested")
    session = WorkspaceSession(sample_workspace)
    window.complete(session)
    qtbot.waitUntil(lambda: window.filter_bar.text() == "status:contested")
    qtbot.waitUntil(lambda: 0 < window.table.claim_model.rowCount() < everything)  # the bar's typing pause
    session.undo_stack.clear()


def test_a_change_made_before_the_workspace_opened_is_read_again(
    qtbot: QtBot, settings_dir: Path, sample_workspace: Workspace
) -> None:
    window = _shell(qtbot, sample_workspace)
    before = window.table.claim_model.rowCount()
    session = WorkspaceSession(sample_workspace)
    claim = window.table.claim_model.claim_id(0)
    assert claim is not None
    assert sample_workspace.store.delete_claim(claim).change.removed_claims == {claim}  # written after the first screen
    window.complete(session)
    assert window.table.claim_model.rowCount() == before - 1
    assert window.table.claim_model.claim_id(0) != claim
    session.undo_stack.clear()


def test_launch_paints_first_and_completes_the_same_window(
    qtbot: QtBot, settings_dir: Path, sample_workspace: Workspace
) -> None:
    path = _path(sample_workspace)
    sample_workspace.close()
    started = launch(str(path))
    assert started is not None
    window = started.window
    qtbot.addWidget(window)
    assert not window.is_ready  # painted first, completed from the event loop
    qtbot.waitUntil(lambda: window.is_ready, timeout=20000)
    assert started.window is window and started.workspace is not None
    assert started.workspace.path == path
    assert window.detail.isVisible() and not window.reader.isVisible()
    assert window.findChild(type(window.reader)) is window.reader
    started.close()
    started.workspace.close()


@pytest.mark.parametrize("saved_filter", ["status:contested"])
def test_launch_with_a_saved_filter_builds_the_whole_window_first(
    qtbot: QtBot, settings_dir: Path, sample_workspace: Workspace, saved_filter: str
) -> None:
    path = _path(sample_workspace)
    settings = ws.app_settings()
    settings.setValue(f"{workspace_view.group(resolve_location(str(path)))}/filter", saved_filter)
    settings.sync()
    sample_workspace.close()
    started = launch(str(path))
    assert started is not None
    qtbot.addWidget(started.window)
    assert started.window.is_ready
    assert started.window.filter_bar.text() == saved_filter
    started.close()
    assert started.workspace is not None
    started.workspace.close()


def test_what_the_first_paint_needs_imports_no_database_library() -> None:
    """The point of the fast start: its modules load neither SQLAlchemy nor SQLModel (in a fresh interpreter)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import desktop.ui.start, desktop.ui.app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "[]"


def test_a_sort_asked_for_before_the_workspace_opened_is_applied_once_it_is(
    qtbot: QtBot, settings_dir: Path, sample_workspace: Workspace
) -> None:
    window = _shell(qtbot, sample_workspace)
    model = window.table.claim_model
    source = SORT_OF_COLUMN.index("source")
    model.sort(source, Qt.SortOrder.AscendingOrder)  # nothing to query yet: kept for the open
    assert model.sort_column() == SORT_OF_COLUMN.index("date")
    session = WorkspaceSession(sample_workspace)
    window.complete(session)
    assert (model.sort_column(), model.sort_order()) == (source, Qt.SortOrder.AscendingOrder)
    names = [row.source_name.lower() for row in (model.claim_row(r) for r in range(model.rowCount())) if row]
    assert names == sorted(names)
    session.undo_stack.clear()


def test_keys_typed_after_one_that_opens_a_dialog_go_into_the_dialog(qtbot: QtBot) -> None:
    """A kept key that opens a modal dialog: the keys after it are typed into that dialog, not after it closes."""
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

    from desktop.ui.window.early_keys import EarlyKeys

    window = QWidget()
    qtbot.addWidget(window)
    typed_in_dialog: list[str] = []

    def open_dialog() -> None:
        dialog = QDialog(window)
        field = QLineEdit(dialog)
        field.setFocus()
        dialog.rejected.connect(lambda: typed_in_dialog.append(field.text()))
        QTimer.singleShot(10_000, dialog.reject)  # only so that a failure cannot hang the suite
        dialog.exec()

    add = QAction("Add", window)
    add.setShortcut(QKeySequence("A"))
    add.triggered.connect(open_dialog)
    window.addAction(add)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    early = EarlyKeys(window)
    qtbot.keyClick(window, Qt.Key.Key_A)
    qtbot.keyClicks(window, "xy")
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert typed_in_dialog == []  # held: no dialog yet
    early.replay()
    qtbot.waitUntil(lambda: typed_in_dialog == ["xy"])
