"""The tags key on a claim (pytest-qt, the real window): the cursor waits after the tags and a separator, so
what is typed is a new tag; with nothing typed, nothing is written."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.ui.commands.keymap import key_of
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _press_edit_tags(qtbot: QtBot, window: MainWindow) -> None:
    window.table.setFocus()
    combination = QKeySequence(key_of("claim.edit_tags"))[0]
    qtbot.keyClick(window.table, combination.key(), combination.keyboardModifiers())


def _tags(window: MainWindow, claim: int) -> list[str]:
    with window.session.engine.connect() as connection:
        stored = connection.execute(text("SELECT tags FROM claim WHERE id = :c"), {"c": claim}).scalar_one()
    return list(json.loads(stored) if isinstance(stored, str) else stored)


def _audit_rows(window: MainWindow) -> int:
    with window.session.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM audit")).scalar_one())


def test_typing_after_the_tags_key_adds_a_tag(qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]) -> None:
    breach = sample_ids["c-breach"]
    assert window.table.select_claim(breach)
    tags = window.detail.tags
    before = tags.text()
    assert before and not before.endswith(",")
    _press_edit_tags(qtbot, window)
    assert tags.hasFocus() and tags.text() == before + ", " and tags.cursorPosition() == len(tags.text())
    qtbot.keyClicks(tags, "urban")
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    assert tags.text() == before + ", urban"
    assert _tags(window, breach) == [*before.split(", "), "urban"]


def test_the_tags_key_with_nothing_typed_changes_nothing(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    breach = sample_ids["c-breach"]
    assert window.table.select_claim(breach)
    tags, stored, audited = window.detail.tags, _tags(window, breach), _audit_rows(window)
    steps = window.session.undo_stack.count()
    before = tags.text()
    _press_edit_tags(qtbot, window)
    qtbot.keyClick(tags, Qt.Key.Key_Return)  # saved with nothing typed
    assert tags.text() == before
    _press_edit_tags(qtbot, window)
    qtbot.keyClick(tags, Qt.Key.Key_Escape)  # nothing to cancel: back to the table at once
    assert window.table.hasFocus() and tags.text() == before
    _press_edit_tags(qtbot, window)
    qtbot.keyClick(tags, Qt.Key.Key_Tab)  # leaving the field
    assert tags.text() == before
    assert (_tags(window, breach), _audit_rows(window), window.session.undo_stack.count()) == (stored, audited, steps)
