"""Help → Report a problem: what a bug report needs, ready to copy — versions, then the log's tail.

Shown as plain text in a read-only box (the log quotes untrusted claim text in
error messages); "Copy to clipboard" takes it all, "Open log folder" shows the
log file itself in the file manager.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop import about, logs

TAIL_LINES = 200


def report_text() -> str:
    """Versions, the log's path, and the last lines of the log, as one block of text."""
    lines = [f"{name}: {value}" for name, value in about.versions().items()]
    lines.append(f"Log file: {logs.log_path()}")
    tail = logs.tail(TAIL_LINES)
    lines += ["", f"Last {TAIL_LINES} lines of the log:" if tail else "The log is empty: nothing went wrong yet."]
    if tail:
        lines.append(tail)
    return "\n".join(lines)


class ReportProblemDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Report a problem")
        intro = QLabel(
            "Please describe what you did and what happened, and include the text below "
            "(the versions and the end of the log). It holds no workspace data other than error messages.",
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(report_text())
        self.text.setObjectName("reportText")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton("&Copy to clipboard", QDialogButtonBox.ButtonRole.ActionRole)
        folder = buttons.addButton("&Open log folder", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        folder.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(820, 520)
        copy.setFocus()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())

    def open_folder(self) -> None:
        folder = logs.log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
