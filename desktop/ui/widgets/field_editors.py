"""Field editors shared by the detail pane and the dialogs.

They share two promises the pane is built on:

- **Commit, don't stream.** Text editors emit ``committed`` once, on Enter or
  when focus leaves, and only when the value differs from the value last shown
  (the *baseline*). Combos emit ``picked`` only on a user's choice, never when the
  pane sets them. So one edit is one undo step, and a refresh never writes.
- **Esc belongs to the window**, except to cancel an edit in progress: an editor
  whose text differs from its baseline takes Esc to restore it; otherwise it
  lets Esc through so the main window can return focus to the table.

A text whose save failed because the connection to the workspace was lost is
**marked unsaved** (``mark_unsaved``): a warning border and tooltip, and the
text stays even when the pane is refreshed (only the baseline moves), until it
is saved, or the analyst presses Esc to take the stored value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal, SignalInstance
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.ui.widgets.plain_text import fit_wrap

_UNSAVED_STYLE = "border: 2px solid #d9822b;"  # the warning orange of the status chips, on both themes

# The editors' mixin is typed as the widget it is mixed into; at run time it is a plain class.
if TYPE_CHECKING:
    _EditorBase = QWidget
else:
    _EditorBase = object


def _is_escape(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and not event.modifiers()


class _CommitOnLeave(_EditorBase):
    """What both text editors share: commit on leaving when the value changed, and Esc reverts an edit.

    The value last shown is the *baseline*; ``commit`` emits ``committed`` only when
    the value differs from it. Each editor declares its own ``committed`` signal (a
    Qt signal lives on the QObject class) and says what its value is and how it
    shows the baseline again.
    """

    committed: SignalInstance
    _baseline = ""
    _seen = ""
    _unsaved = False  # its save failed (connection lost): the text stays through refreshes, marked

    def value(self) -> str:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def seen(self) -> str:
        """The value shown when the analyst began typing (the baseline may have moved since: live)."""
        return self._seen

    def is_dirty(self) -> bool:
        return self.value() != self._baseline

    def is_unsaved(self) -> bool:
        return self._unsaved

    def mark_unsaved(self, why: str) -> None:
        """Keep this text through refreshes and say why it is not saved yet."""
        self._unsaved = True
        self.setStyleSheet(_UNSAVED_STYLE)
        self.setToolTip(f"Not saved: {why}")

    def clear_unsaved(self) -> None:
        if self._unsaved:
            self._unsaved = False
            self.setStyleSheet("")
            self.setToolTip("")

    def _keeps_text(self, value: str, typing: bool) -> bool:
        """Whether showing ``value`` leaves the text as it is: the analyst is typing, or it is unsaved
        (then only the baseline moves). Once the stored value is the text, it is saved: the mark goes."""
        if self._unsaved and self.value() == value:
            self.clear_unsaved()
        return typing or self._unsaved

    _committing = False  # a commit is being written (or answered: a conflict's dialog is open)

    def commit(self) -> None:
        # Once per edit: a dialog the commit opens (a conflict: theirs or yours) takes the focus from this
        # field, and that focus-out must not commit the same text again (the analyst was asked twice).
        if self._committing or not self.is_dirty():
            return
        self._committing = True
        try:
            self.committed.emit(self.value())
        finally:
            self._committing = False

    def event(self, event: QEvent) -> bool:
        # A window-level Esc shortcut would otherwise steal the key before keyPressEvent sees it.
        if event.type() == QEvent.Type.ShortcutOverride and _is_escape(event) and self.is_dirty():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_escape(event):
            if self.is_dirty():
                self.revert()
                event.accept()
            else:
                event.ignore()  # the main window takes focus back to the table
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        # A popup (context menu, completer) taking focus is not the analyst leaving the field.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()


class CommitLineEdit(_CommitOnLeave, QLineEdit):
    """A one-line editor that emits ``committed(text)`` on Enter / focus-out when the text changed."""

    committed = Signal(str)
    _offered = ""  # the text with a separator put after it for the next item, nothing typed yet

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.returnPressed.connect(self.commit)

    def value(self) -> str:
        return self.text()

    def open_for_next_item(self, separator: str) -> None:
        """Put the cursor after the text and ``separator`` (a list field: what is typed next is a new item).

        Until something is typed the separator is no change: Enter, leaving or Esc shows the text as it was,
        and nothing is committed. Only on the stored value (unsaved typing is left as it is) and when the
        text does not already end with the separator.
        """
        text = self.text()
        if (
            text.strip()
            and not self.isReadOnly()
            and not self.is_dirty()
            and not text.rstrip().endswith(separator.strip())
        ):
            self._offered = text + separator
            self.setText(self._offered)
            self.setModified(False)
        self.end(False)

    def _only_offered(self) -> bool:
        return bool(self._offered) and self.text() == self._offered

    def is_dirty(self) -> bool:
        return super().is_dirty() and not self._only_offered()

    def commit(self) -> None:
        if self._only_offered():
            self.revert()  # nothing typed after the separator: the text as it was
            return
        super().commit()

    def set_value(self, value: str, *, replace: bool = False) -> None:
        """Show ``value``; if the analyst is typing in this field (or its text is unsaved), keep their text and
        only move the baseline.

        ``replace`` (another claim is shown) shows ``value`` whatever the field holds.
        """
        self._baseline = value
        if replace:
            self.clear_unsaved()
        if replace or not self._keeps_text(value, self.hasFocus() and self.isModified()):
            self._offered = ""
            self.setText(value)
            self.setModified(False)
            self._seen = value

    def revert(self) -> None:
        self.clear_unsaved()
        self._offered = ""
        self.setText(self._baseline)
        self.setModified(False)


class CommitTextEdit(_CommitOnLeave, QPlainTextEdit):
    """A multi-line editor that commits on focus-out and Ctrl+Enter (and on Enter when ``enter_commits``).

    With ``enter_commits`` (claim text, which is one paragraph) Shift+Enter starts a new line; without it
    (notes) Enter is a new line. Tab always moves focus: these sit in keyboard-driven forms.
    """

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, enter_commits: bool = False) -> None:
        super().__init__(parent)
        self._enter_commits = enter_commits
        self.setTabChangesFocus(True)

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value: str, *, replace: bool = False) -> None:
        """Show ``value``; if the analyst is typing in this field, keep their text and only move the baseline.

        ``replace`` (another claim is shown) shows ``value`` whatever the field holds.
        """
        self._baseline = value
        if replace:
            self.clear_unsaved()
        if replace or not self._keeps_text(value, self.hasFocus() and self.is_dirty()):
            fit_wrap(self, value)  # a 400 KB note without a space would freeze the window for minutes
            self.setPlainText(value)
            self._seen = value

    def revert(self) -> None:
        self.clear_unsaved()
        fit_wrap(self, self._baseline)
        self.setPlainText(self._baseline)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            fit_wrap(self, source.text(), only_widen=True)
        super().insertFromMimeData(source)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers()
            if mods & Qt.KeyboardModifier.ControlModifier or (
                self._enter_commits and not mods & Qt.KeyboardModifier.ShiftModifier
            ):
                self.commit()
                event.accept()
                return
            if self._enter_commits:  # Shift+Enter: a new line, not Qt's line separator U+2028
                self.insertPlainText("\n")
                event.accept()
                return
        super().keyPressEvent(event)  # Esc: the shared handling


class ChoiceCombo(QComboBox):
    """A combo of ``(label, value)`` choices that emits ``picked(value)`` only when the user changes it.

    The wheel is ignored unless the combo has focus: scrolling the pane over a
    combo must never change a grade (each change is a write).
    """

    picked = Signal(object)

    def __init__(self, choices: Sequence[tuple[str, Any]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self._baseline: Any = None
        self.set_choices(choices)
        self.activated.connect(self._activated)

    def set_choices(self, choices: Sequence[tuple[str, Any]]) -> None:
        blocked = self.blockSignals(True)
        self.clear()
        for label, value in choices:
            self.addItem(label, value)
        self.blockSignals(blocked)
        self.set_value(self._baseline)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        self._baseline = value
        index = self.findData(value)
        blocked = self.blockSignals(True)
        self.setCurrentIndex(index if index >= 0 else -1)
        self.blockSignals(blocked)

    def _activated(self, index: int) -> None:
        value = self.itemData(index)
        if value != self._baseline:
            self._baseline = value
            self.picked.emit(value)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
