"""A reviewer in the window (DESIGN §7), on the tests' real PostgreSQL server: an edit is refused by the
database and said in one line — what the reviewer's role allows — and nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.workspace import Workspace, open_workspace
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.team.test_team import as_login, names, team_db  # noqa: F401  (fixtures)
from tests.ui.window_fixtures import OFFSCREEN_NOISE, open_window_fixture, settings_dir_fixture  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def as_reviewer(team_db: str, names: dict[str, str]) -> Iterator[Workspace]:  # noqa: F811
    opened = open_workspace(as_login(team_db, names["rita"]))
    yield opened
    opened.close()


def _state(workspace: Workspace) -> tuple[object, ...]:
    with workspace.engine.connect() as connection:
        return tuple(
            connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM audit), (SELECT count(*) FROM link), "
                    "(SELECT credibility FROM claim WHERE ext_id = 'c-ru'), "
                    "(SELECT notes FROM claim WHERE ext_id = 'c-ru')"
                )
            ).one()
        )


@OFFSCREEN_NOISE
def test_a_reviewers_edits_in_the_window_are_refused_in_one_line_and_change_nothing(
    qtbot: QtBot,
    qapp: object,
    as_reviewer: Workspace,
    names: dict[str, str],  # noqa: F811
    open_window: Callable[[WorkspaceSession], MainWindow],
    tmp_path: Path,
) -> None:
    session = WorkspaceSession(as_reviewer)
    window = open_window(session)
    rita = names["rita"]
    with as_reviewer.engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT ext_id, id FROM claim")).all())
    before = _state(as_reviewer)
    refusal = f"{rita} is a reviewer, who may read the workspace and record requests"

    assert window.table.select_claim(ids["c-ru"])
    qtbot.keyClick(window.table, Qt.Key.Key_2)  # a credibility grade
    said = window.status.message_text()
    assert refusal in said and "\n" not in said
    assert _state(as_reviewer) == before

    # Linking: pin c-ua, move to c-ru, mark it contradicts.
    assert window.table.select_claim(ids["c-ua"])
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    assert window.table.select_claim(ids["c-ru"])
    window.status.clear_message()
    qtbot.keyClick(window.table, Qt.Key.Key_X)
    assert refusal in window.status.message_text()
    assert _state(as_reviewer) == before

    # A typed field: the notes. The refusal is said, the typed text stays to copy, nothing is written.
    window.status.clear_message()
    notes = window.detail.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "my reading")
    window.detail.flush()
    assert any(refusal in label.text() for label in window.detail.problems.values())
    assert notes.toPlainText().endswith("my reading")
    assert _state(as_reviewer) == before
    assert not session.undo_stack.canUndo()  # nothing to undo: nothing was written
