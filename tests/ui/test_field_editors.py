"""The shared field editors: commit once on Enter or on leaving, never on a popup taking focus; Esc reverts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.widgets.field_editors import CommitLineEdit, CommitTextEdit


def _leave(editor: CommitLineEdit | CommitTextEdit, reason: Qt.FocusReason) -> None:
    QApplication.sendEvent(editor, QFocusEvent(QEvent.Type.FocusOut, reason))


@pytest.mark.parametrize("make", [CommitLineEdit, CommitTextEdit])
def test_leaving_commits_a_change_once_and_a_popup_is_not_leaving(
    qtbot: QtBot, make: type[CommitLineEdit] | type[CommitTextEdit]
) -> None:
    editor = make()
    qtbot.addWidget(editor)
    committed: list[str] = []
    editor.committed.connect(committed.append)
    editor.set_value("before")
    _leave(editor, Qt.FocusReason.TabFocusReason)
    assert committed == []  # unchanged: nothing to write
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " and after")
    _leave(editor, Qt.FocusReason.PopupFocusReason)  # a context menu or completer opened
    assert committed == []
    _leave(editor, Qt.FocusReason.TabFocusReason)
    assert committed == ["before and after"]
    editor.set_value(committed[-1])  # the pane shows the stored value: the baseline moves
    _leave(editor, Qt.FocusReason.MouseFocusReason)
    assert committed == ["before and after"]


def test_enter_commits_the_line_and_esc_reverts_it(qtbot: QtBot) -> None:
    editor = CommitLineEdit()
    qtbot.addWidget(editor)
    committed: list[str] = []
    editor.committed.connect(committed.append)
    editor.set_value("tag")
    qtbot.keyClicks(editor, "s")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert committed == ["tags"]
    qtbot.keyClicks(editor, "!")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.text() == "tag" and not editor.is_dirty()


@pytest.mark.parametrize("make", [CommitLineEdit, CommitTextEdit])
def test_a_new_value_replaces_an_untouched_field_even_while_it_has_focus(
    qtbot: QtBot, make: type[CommitLineEdit] | type[CommitTextEdit]
) -> None:
    """Another claim shown while the field has focus: its value shows, and leaving writes nothing unless typed."""
    host = QWidget()
    qtbot.addWidget(host)
    editor = make(host)
    QVBoxLayout(host).addWidget(editor)
    with qtbot.waitActive(host):
        host.show()
        host.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    committed: list[str] = []
    editor.committed.connect(committed.append)
    editor.set_value("first claim's note")
    qtbot.keyClicks(editor, " typed")
    editor.set_value("second claim's note", replace=True)  # the pane shows another claim
    assert editor.value() == "second claim's note" and not editor.is_dirty()
    qtbot.keyClicks(editor, "!")  # typing: a value arriving now moves the baseline, the text stays
    editor.set_value("changed elsewhere")
    assert editor.value() != "changed elsewhere" and editor.is_dirty()
    _leave(editor, Qt.FocusReason.TabFocusReason)
    assert len(committed) == 1
