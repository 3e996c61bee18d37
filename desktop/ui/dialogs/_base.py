"""What every Crosscheck dialog shares: a form, an inline problem line, Enter accepts / Esc cancels.

A dialog writes through ``session.perform`` and shows a refusal (the outcome's
``message``) on its problem line instead of raising."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store import Result, Store
from desktop.ui.session import Outcome, WorkspaceSession, Write
from desktop.ui.widgets.basics import problem_label, show_problem


class DialogTextEdit(QPlainTextEdit):
    """Multi-line text in a dialog: Enter accepts the dialog, Shift+Enter starts a new line, Tab moves on."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")  # not Qt's U+2028 line separator
                event.accept()
            else:
                event.ignore()  # up to the dialog, whose default button accepts
            return
        super().keyPressEvent(event)


class FormDialog(QDialog):
    """A form with OK/Cancel. Subclasses implement ``apply()``: True to close, False to stay open."""

    def __init__(self, title: str, parent: QWidget | None = None, *, ok_text: str = "OK") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.problem = problem_label(self)
        standard = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(standard.Ok | standard.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.ok_button = self.buttons.button(standard.Ok)
        self.ok_button.setText(ok_text)
        # Only once the button is inside this dialog does setDefault make it the dialog's default; before,
        # Enter in a field would press the first auto-default button instead ("New source…").
        self.ok_button.setDefault(True)

    def show_problem(self, message: str | None) -> None:
        show_problem(self.problem, message)

    def perform(self, session: WorkspaceSession, write: Write, description: str) -> Outcome | None:
        """Run ``write`` as one undo step; None, with the store's reason on the problem line, if it refused."""
        outcome = session.perform(write, description)
        if not outcome.ok:
            self.show_problem(outcome.message)
            return None
        return outcome

    def perform_changes(
        self,
        session: WorkspaceSession,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        update: Callable[[Store, dict[str, Any]], Result],
        description: str,
    ) -> bool:
        """Write the fields of ``after`` that differ from ``before`` (nothing if none does); False if refused."""
        changes = {name: value for name, value in after.items() if before[name] != value}
        return not changes or self.perform(session, lambda store: update(store, changes), description) is not None

    def problem_text(self) -> str:
        return self.problem.text() if not self.problem.isHidden() else ""

    def apply(self) -> bool:
        return True

    def accept(self) -> None:
        self.show_problem(None)
        if self.apply():
            super().accept()
