"""Asking why a link holds, as the analyst marks it (``c`` / ``x`` / ``n`` / ``r`` on a pinned pair).

The dialog states the judgement in words ("A corroborates B") so the analyst
sees which way a ``repeats`` link runs before confirming. An empty rationale is
allowed (speed matters more than prose); a control character is refused inline,
as the store would refuse it.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.core import validate
from desktop.ui.dialogs._base import FormDialog
from desktop.ui.widgets.basics import plain_label

#: The relation as a verb between two claims.
RELATION_VERBS: Final = {
    "corroborates": "corroborates",
    "contradicts": "contradicts",
    "neutral": "neither confirms nor denies",
    "repeats": "repeats (restates)",
}


class RationaleDialog(FormDialog):
    def __init__(self, relation: str, from_summary: str, to_summary: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Mark: {relation}", parent, ok_text="Mark")
        self.relation = relation
        self.from_label = plain_label(from_summary, wrap=True)
        self.verb_label = plain_label(RELATION_VERBS.get(relation, relation))
        font = QFont(self.verb_label.font())
        font.setBold(True)
        self.verb_label.setFont(font)
        self.to_label = plain_label(to_summary, wrap=True)
        self.rationale = QLineEdit()
        self.rationale.setPlaceholderText("Why? (optional — Enter to mark, Esc to cancel)")
        self.rationale.setAccessibleName("Rationale")
        self.form.addRow(plain_label("This claim"), self.from_label)
        self.form.addRow(plain_label(""), self.verb_label)
        self.form.addRow(plain_label("that claim"), self.to_label)
        self.form.addRow(plain_label("Rationale"), self.rationale)
        self.setMinimumWidth(520)
        self.rationale.setFocus()

    def apply(self) -> bool:
        problem = validate.LINK_CHECKS["rationale"](self.rationale.text())
        if problem:
            self.show_problem(f"The rationale {problem}.")
            return False
        return True

    def sentence(self) -> str:
        return f"{self.from_label.text()} {self.verb_label.text()} {self.to_label.text()}"


def ask_rationale(parent: QWidget | None, relation: str, from_summary: str, to_summary: str) -> str | None:
    """The rationale typed for "from ``relation`` to", or None if cancelled; "" means no rationale."""
    dialog = RationaleDialog(relation, from_summary, to_summary, parent)
    try:
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return None
        return dialog.rationale.text().strip()
    finally:
        dialog.deleteLater()
