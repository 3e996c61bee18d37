"""No silent overwrite from the window (DESIGN §7): an edit carries the value its author saw; if
someone changed it meanwhile, the analyst sees theirs and yours and chooses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.store import Store
from desktop.ui.detail import edits
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _notes(window: MainWindow, claim: int) -> str:
    with window.session.engine.connect() as connection:
        return str(connection.execute(text("SELECT notes FROM claim WHERE id = :c"), {"c": claim}).scalar_one())


@pytest.mark.parametrize("use_mine", [False, True])
def test_an_edit_over_someone_elses_change_asks_and_never_overwrites_silently(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch, use_mine: bool
) -> None:
    claim = sample_ids["c-genstaff-repelled"]
    assert window.table.select_claim(claim)
    asked: list[tuple[Any, Any]] = []

    shown: list[tuple[str, bool]] = []

    def answer(_parent: object, conflict: Any, yours: Any) -> bool:
        asked.append((conflict.current, yours))
        shown.append((window.status.message_text(), window.status.is_error))  # the status bar while she decides
        return use_mine

    monkeypatch.setattr(edits, "ask_conflict", answer)
    window.detail.notes.setFocus()
    window.detail.notes.setPlainText("alice's note")  # typed, not yet saved
    Store(window.session.engine, "bob").update_claim(claim, notes="bob's note")  # meanwhile, elsewhere
    window.detail.flush()  # alice leaves the field: her edit is written… or not
    assert asked == [("bob's note", "alice's note")]  # she saw theirs and hers
    assert shown[0][0].startswith("⚠ conflict: claim c-genstaff-repelled notes is now") and shown[0][1]
    assert window.status.message_text() == "" and not window.status.is_error  # decided: the red line goes
    assert _notes(window, claim) == ("alice's note" if use_mine else "bob's note")
    with window.session.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT analyst, old, new FROM audit WHERE field = 'notes' AND action = 'update' ORDER BY id")
        ).all()
    found = [(who, json.loads(new)) for who, _old, new in rows]  # SQLite hands JSON back as text
    mine = [(window.session.store.analyst, "alice's note")] if use_mine else []
    assert found == [("bob", "bob's note"), *mine]  # one audit row per change; nothing lost
    if use_mine:
        assert json.loads(rows[-1][1]) == "bob's note"  # hers replaced his knowingly, recorded as such


def test_undo_of_a_step_whose_field_someone_changed_since_is_refused(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    claim = sample_ids["c-genstaff-repelled"]
    session = window.session
    assert session.perform(lambda s: s.update_claim(claim, credibility=2), "credibility 2").changed
    Store(session.engine, "bob").update_claim(claim, credibility=5)
    outcome = session.undo()
    assert not outcome.ok and "credibility is now 5, last changed by bob" in (outcome.message or "")
    with session.engine.connect() as connection:
        assert connection.execute(text("SELECT credibility FROM claim WHERE id = :c"), {"c": claim}).scalar() == 5


def test_a_conflict_is_asked_once_though_its_dialog_takes_the_focus_from_the_field(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter commits the text; the conflict dialog taking the focus must not commit it a second time (the
    analyst was asked twice, the second time about text the first answer had already replaced)."""
    claim = sample_ids["c-genstaff-repelled"]
    assert window.table.select_claim(claim)
    field = window.detail.text
    asked: list[Any] = []

    def answer(_parent: object, conflict: Any, yours: Any) -> bool:
        asked.append(yours)
        # What the real modal dialog does as it opens: the field loses the focus to another window.
        QApplication.sendEvent(field, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.ActiveWindowFocusReason))
        return False  # keep theirs

    monkeypatch.setattr(edits, "ask_conflict", answer)
    field.setFocus()
    field.setPlainText("alice's wording")
    Store(window.session.engine, "bob").update_claim(claim, text="bob's wording")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert asked == ["alice's wording"]
    assert field.toPlainText() == "bob's wording"
