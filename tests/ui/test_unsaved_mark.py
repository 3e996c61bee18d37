"""A text whose save failed (connection lost) is marked and kept through refreshes until saved or reverted."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.core.errors import ConnectionLost, DatabaseProblem, known_error
from desktop.ui.widgets.field_editors import CommitLineEdit, CommitTextEdit


def test_an_unsaved_text_survives_a_refresh_and_goes_when_saved_or_reverted(qtbot: QtBot) -> None:
    for editor in (CommitTextEdit(), CommitLineEdit()):
        qtbot.addWidget(editor)
        editor.set_value("stored")
        setter = editor.setPlainText if isinstance(editor, CommitTextEdit) else editor.setText
        setter("typed, not saved")
        editor.mark_unsaved("the connection to the workspace was lost")
        assert editor.is_unsaved() and "connection" in editor.toolTip() and editor.styleSheet()
        editor.set_value("changed elsewhere")  # a live refresh while the field is not focused
        shown = editor.toPlainText() if isinstance(editor, CommitTextEdit) else editor.text()
        assert shown == "typed, not saved" and editor.seen() == "stored" and editor.is_dirty()
        editor.set_value("typed, not saved")  # saved at last: the pane shows the stored value
        assert not editor.is_unsaved() and not editor.styleSheet()
        editor.mark_unsaved("lost")
        editor.revert()  # Esc: the stored value, no mark
        assert not editor.is_unsaved()


def test_a_lost_postgresql_connection_is_told_apart_from_a_refusal() -> None:
    import psycopg

    lost = known_error(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert isinstance(lost, ConnectionLost) and "cannot be reached" in str(lost)
    refused = known_error(psycopg.errors.InsufficientPrivilege("permission denied"))
    assert isinstance(refused, DatabaseProblem) and not isinstance(refused, ConnectionLost)
