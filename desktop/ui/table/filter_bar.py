"""``FilterBar``: the line the analyst types a filter into, its inline message and the match count.

Typing is debounced (150 ms) so a fast typist runs one query per pause, not one
per key. The bar knows nothing about SQL: it emits ``filter_changed(text)``;
whoever owns the model applies it and hands back the parser's message
(``set_message``) and the counts (``set_counts``) — ``attach(model)`` wires both.

Keys: Enter applies at once and emits ``submitted`` (the window returns to the
table); Esc belongs to the window's "back to the table" action, and only when no
action takes it does the bar emit ``escape_pressed``. Neither clears the text:
leaving the filter keeps it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from desktop.ui.widgets.plain_text import plain_tooltip

if TYPE_CHECKING:
    pass

DEBOUNCE_MS: Final = 150
PLACEHOLDER: Final = 'Filter:  words  status:contested  place:бахмут  source:rybar  cred:1-3  -word  "phrase"'
SYNTAX_HELP: Final = "\n".join(
    (
        "Free words match the claim text and the source's names (any script, accents ignored);",
        "the last word is a prefix. Fields narrow it down:",
        "",
        "  status:contested,contradicted   verdict:confirmed | none",
        "  source:rybar   side:ukraine | none   group:state-media",
        "  place:бахмут (aliases too)   kind:event | assessment | statement",
        "  cred:1-3 | none   reviewed:no   tag:artillery",
        "  after:2022-12-01   before:2022-12   on:2022-12-14",
        "",
        '  -word excludes   "a phrase" in that order   field:a,b either',
        "",
        "Enter: back to the table.   Esc: back to the table, keeping the filter.",
    )
)

ESTIMATE_TIP: Final = "An estimate from a sample of the claims: the exact number is being counted and replaces it."


def about(count: int) -> str:
    """An estimated number as the bar says it: two significant figures ("about 220,000")."""
    rounded = count if count < 100 else round(count, 2 - len(str(count)))
    return f"about {rounded:,}"


class _ElidedLabel(QLabel):
    """One line of plain text cut with "…" to the room it is given: a long message must not squeeze the edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what the user typed
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())
        painter.drawText(self.contentsRect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        painter.end()


class FilterBar(QWidget):
    filter_changed = Signal(str)  # debounced; also at once on Enter or set_text
    submitted = Signal()  # Enter: the filter is applied, go back to the table
    escape_pressed = Signal()  # Esc, when no window action took it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setToolTip(SYNTAX_HELP)
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Filter claims")
        self.edit.installEventFilter(self)

        self.message = _ElidedLabel(self)
        self.message.setVisible(False)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.edit, 3)
        layout.addWidget(self.message, 2)  # its text never widens it: it elides, the tooltip has it all
        layout.addWidget(self.count)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.edit.textChanged.connect(self._timer.start)  # (re)start: one query per pause in typing
        self._last_emitted = ""

    # --- public ------------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """Replace the filter and apply it at once (no debounce)."""
        self.edit.setText(text)
        self._emit()

    def focus_filter(self) -> None:
        """Focus the line with all its text selected, so typing replaces the filter and arrows keep it."""
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def set_message(self, message: str | None) -> None:
        """The parser's inline message (plain text), or None to hide it."""
        self.message.setText(message or "")
        self.message.setToolTip(plain_tooltip(message) if message else "")
        self.message.setVisible(bool(message))

    def set_counts(self, shown: int, total: int, exact: bool = True) -> None:
        """ "N claims", "N of M claims"; ``exact`` False: N is an estimate, "about N of M claims"."""
        if not exact:
            self.count.setText(f"{about(shown)} of {total:,} claims")
            self.count.setToolTip(ESTIMATE_TIP)
        elif shown == total:
            self.count.setText(f"{total:,} claim{'s' if total != 1 else ''}")
            self.count.setToolTip("")
        else:
            self.count.setText(f"{shown:,} of {total:,} claims")
            self.count.setToolTip("")

    def pending(self) -> bool:
        """True while typed text waits for the debounce."""
        return self._timer.isActive()

    # --- internals ---------------------------------------------------------------------------------

    def _emit(self) -> None:
        self._timer.stop()
        text = self.edit.text()
        if text != self._last_emitted:
            self._last_emitted = text
            self.filter_changed.emit(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._emit()
                self.submitted.emit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.escape_pressed.emit()
                return True
        return super().eventFilter(watched, event)
