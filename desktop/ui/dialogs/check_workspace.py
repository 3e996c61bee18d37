"""Tools → Check workspace: the problems ``crosscheck check`` finds, and the offer to repair them.

The problems are shown as plain text (they quote ids and database messages). The
Repair button appears only when a problem can be mended in place, and says that
a backup is taken first.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.core.integrity import Problem, repairs

_PLANNED = {"search-index": "rebuilds the search index", "statuses": "re-derives every claim's status"}


class CheckDialog(QDialog):
    """Accepted = repair (only offered when something can be repaired)."""

    def __init__(self, problems: list[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check workspace")
        fixable = repairs(problems)
        if not problems:
            said = "No problem found: storage, references, links, the search index and every derived status are sound."
        else:
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            said = f"The check found {count}."
            if fixable:
                work = " and ".join(_PLANNED[r] for r in fixable)
                which = "them" if all(p.repair for p in problems) else "some of them"
                said += f" Repair can mend {which}: it {work}, after taking a backup of the workspace beside it."
            if any(p.repair is None for p in problems):
                said += " Problems that repair cannot mend need a backup restored (Tools → Restore from backup…)."
        self.summary = QLabel(said, self)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        self.list = QPlainTextEdit(self)
        self.list.setObjectName("problems")
        self.list.setReadOnly(True)
        self.list.setPlainText("\n".join(p.message for p in problems))
        self.list.setVisible(bool(problems))
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.repair_button = None
        if fixable:
            self.repair_button = buttons.addButton("&Back up and repair", QDialogButtonBox.ButtonRole.AcceptRole)
            self.repair_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420 if problems else 160)
