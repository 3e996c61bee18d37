"""Asking what to do when an edit meets someone else's change (DESIGN §7: nothing overwritten silently).

The store refused the edit as a ``Conflict``: the field now holds another value,
changed by someone else since the analyst saw it. The dialog shows both — theirs
(with who changed it and when) and yours — as plain text, and the analyst
chooses: keep theirs (the default: nothing is written) or write theirs over with
yours, knowingly.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.store.conflicts import Conflict


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def ask_conflict(parent: QWidget | None, conflict: Conflict, yours: Any) -> bool:
    """True when the analyst chooses to write their value over the other change."""
    who = f" by {conflict.last}" if conflict.last else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed by someone else")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"The {conflict.field} of this {conflict.entity} was changed{who} while you were editing it.")
    box.setInformativeText(f"Theirs: {_shown(conflict.current)}\n\nYours: {_shown(yours)}")
    keep = box.addButton("Keep theirs", QMessageBox.ButtonRole.RejectRole)
    mine = box.addButton("Use mine", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is mine
