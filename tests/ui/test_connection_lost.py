"""A dropped connection mid-session (DESIGN §7, issue "bad input"), on the tests' real PostgreSQL server: the
window says so, the note being typed keeps its unsaved text and is marked, the window reconnects and catches
up from the audit trail, and the note can then be saved — through the usual conflict check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.interchange import import_json
from desktop.core.workspace import Workspace, open_workspace
from desktop.ui.detail import edits
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import OFFSCREEN_NOISE, open_window_fixture, settings_dir_fixture  # noqa: F401

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 30_000


@pytest.fixture
def team_workspace(postgres_url: str) -> Iterator[Workspace]:
    opened = open_workspace(postgres_url, analyst="ana")
    import_json(opened.engine, (ROOT / "tests/core/fixtures/small-workspace.json").read_bytes(), analyst="ana")
    yield opened
    opened.close()


@pytest.fixture
def team_session(qapp: object, team_workspace: Workspace) -> Iterator[WorkspaceSession]:
    opened = WorkspaceSession(team_workspace)
    yield opened
    opened.undo_stack.clear()  # while the server still runs: clearing it reloads the views


def _cut_off(admin: psycopg.Connection[Any], database: str) -> None:
    """The network goes: no new connection to the workspace, and every open one is killed."""
    admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (database,),
    )


def _notes(workspace: Workspace) -> str:
    with workspace.engine.connect() as connection:
        return str(connection.execute(text("SELECT notes FROM claim WHERE ext_id = 'c-ru'")).scalar_one())


@OFFSCREEN_NOISE
def test_a_dropped_connection_keeps_the_typed_note_and_saves_it_once_back_with_the_conflict_check(
    qtbot: QtBot,
    qapp: object,
    postgres_url: str,
    team_workspace: Workspace,
    team_session: WorkspaceSession,
    open_window: Callable[[WorkspaceSession], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(team_session)
    with team_workspace.engine.connect() as connection:
        claim = connection.execute(text("SELECT id FROM claim WHERE ext_id = 'c-ru'")).scalar_one()
    assert window.table.select_claim(claim)
    database = postgres_url.rsplit("/", 1)[1]
    admin_url = postgres_url.rsplit("/", 1)[0] + "/postgres"
    notes = window.detail.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "Seen from the east: shelling")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        _cut_off(admin, database)
        try:
            qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save: it cannot be
            # The window says so, once, in the banner; the note keeps its text, marked unsaved.
            qtbot.waitUntil(lambda: not window.connection_banner.isHidden(), timeout=WAIT_MS)
            assert "No connection to the workspace" in window.connection_banner.text()
            assert notes.toPlainText() == "Seen from the east: shelling" and notes.is_unsaved()
            problem = window.detail.problems["notes"].text()
            assert "Not saved: the connection to the workspace is lost. Your text stays in the marked field" in problem
            assert "\n" not in problem
            # Meanwhile another analyst's note reaches the workspace (through the one connection left).
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            with psycopg.connect(postgres_url, autocommit=True) as other:
                other.execute("UPDATE claim SET notes = 'Their note' WHERE ext_id = 'c-ru'")
                other.execute(
                    "INSERT INTO audit (at, analyst, entity, entity_id, action, field, old, new) VALUES "
                    "(now(), 'bob', 'claim', 'c-ru', 'update', 'notes', '\"\"', '\"Their note\"')"
                )
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    # The window reconnects by itself and catches up from the audit trail; the typed note is still there.
    qtbot.waitUntil(lambda: window.connection_banner.isHidden(), timeout=WAIT_MS)
    assert "back" in window.status.message_text()
    assert notes.toPlainText() == "Seen from the east: shelling" and notes.is_unsaved()
    # Saving it now meets bob's note: the analyst sees both and chooses hers.
    seen: list[tuple[Any, Any]] = []

    def answer(_parent: object, conflict: Any, yours: Any) -> bool:
        seen.append((conflict.current, yours))
        return True

    monkeypatch.setattr(edits, "ask_conflict", answer)
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert seen == [("Their note", "Seen from the east: shelling")]
    assert _notes(team_workspace) == "Seen from the east: shelling"
    assert not notes.is_unsaved()
