"""Small editors shared by the detail pane and the dialogs.

They share two promises the pane is built on:

- **Commit, don't stream.** Text editors emit ``committed`` once, on Enter or
  when focus leaves, and only when the value differs from the value last shown
  (the *baseline*). Combos emit ``picked`` only on a user's choice, never when the
  pane sets them. So one edit is one undo step, and a refresh never writes.
- **Esc belongs to the window**, except to cancel an edit in progress: an editor
  whose text differs from its baseline takes Esc to restore it; otherwise it
  lets Esc through so the main window can return focus to the table.

All text that came from a workspace is shown as plain text (DESIGN §6).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFocusEvent, QKeyEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QSizePolicy, QWidget

from desktop.core import vocab

# Readable on light and dark backgrounds alike.
PROBLEM_COLOUR = "#d9534f"


# Choices for the grading combos, shared by the pane and the dialogs. None first: "not graded".
CREDIBILITY_CHOICES: list[tuple[str, Any]] = [("— not graded", None)] + [
    (f"{grade} — {label}", grade) for grade, label in vocab.CREDIBILITY.items()
]
LIKELIHOOD_CHOICES: list[tuple[str, Any]] = [("— none", None)] + [
    (f"{term} ({low}–{high} %)", term) for term, (low, high) in vocab.LIKELIHOOD.items()
]
VERDICT_CHOICES: list[tuple[str, Any]] = [("none", None)] + [(verdict, verdict) for verdict in vocab.VERDICTS]
KIND_CHOICES: list[tuple[str, Any]] = [(kind, kind) for kind in vocab.CLAIM_KINDS]
PRECISION_CHOICES: list[tuple[str, Any]] = [("—", None)] + [(p, p) for p in vocab.PRECISIONS]


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A label that never interprets its text as HTML (workspace text is untrusted)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


class ElidedLabel(QLabel):
    """One line of plain text, elided with "…" to the width it gets: never widens the pane (URLs, titles)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split())
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        elided = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(self.width(), 40))
        if elided != self.text():
            self.setText(elided)


def problem_label(parent: QWidget | None = None) -> QLabel:
    """An inline message under a field: hidden until there is a problem to show."""
    label = plain_label("", parent, wrap=True)
    label.setStyleSheet(f"color: {PROBLEM_COLOUR};")
    label.setVisible(False)
    return label


def show_problem(label: QLabel, message: str | None) -> None:
    label.setText(f"⚠ {message}" if message else "")
    label.setVisible(bool(message))


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: Qt guesses rich text for tooltips, so escape and mark it."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    scheme = QUrl(url.strip()).scheme().lower()
    return scheme in ("http", "https")


def open_web_url(url: str | None) -> bool:
    """Open ``url`` in the browser only if it is http(s); anything else (file:, javascript:, …) is refused."""
    if url is None or not is_web_url(url):
        return False
    return QDesktopServices.openUrl(QUrl(url.strip(), QUrl.ParsingMode.StrictMode))


def parse_date(value: str) -> dt.date | None:
    """An ISO date typed by the analyst; empty means none. Raises ValueError with a message fit to show."""
    stripped = value.strip()
    if not stripped:
        return None
    try:
        return dt.date.fromisoformat(stripped)
    except ValueError:
        raise ValueError(f"“{stripped}” is not a date: write it as YYYY-MM-DD (e.g. 2022-12-14)") from None


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def parse_labels(value: str) -> list[str]:
    """Comma-separated labels (tags, aliases): trimmed, empty ones dropped, first spelling of duplicates kept."""
    seen: set[str] = set()
    labels: list[str] = []
    for part in value.split(","):
        label = part.strip()
        if label and label not in seen:
            seen.add(label)
            labels.append(label)
    return labels


def _is_escape(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and not event.modifiers()


class CommitLineEdit(QLineEdit):
    """A one-line editor that emits ``committed(text)`` on Enter / focus-out when the text changed."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._baseline = ""
        self.editingFinished.connect(self._finish)

    def baseline(self) -> str:
        return self._baseline

    def is_dirty(self) -> bool:
        return self.text() != self._baseline

    def set_value(self, value: str) -> None:
        """Show ``value``; if the analyst is typing in this field, keep their text and only move the baseline."""
        self._baseline = value
        if not (self.hasFocus() and self.isModified()):
            self.setText(value)
            self.setModified(False)

    def revert(self) -> None:
        self.setText(self._baseline)
        self.setModified(False)

    def commit(self) -> None:
        if self.is_dirty():
            self.committed.emit(self.text())

    def _finish(self) -> None:
        self.commit()

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


class CommitTextEdit(QPlainTextEdit):
    """A multi-line editor that commits on focus-out and Ctrl+Enter (and on Enter when ``enter_commits``).

    With ``enter_commits`` (claim text, which is one paragraph) Shift+Enter starts a new line; without it
    (notes) Enter is a new line. Tab always moves focus: these sit in keyboard-driven forms.
    """

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, enter_commits: bool = False) -> None:
        super().__init__(parent)
        self._baseline = ""
        self._enter_commits = enter_commits
        self.setTabChangesFocus(True)

    def baseline(self) -> str:
        return self._baseline

    def is_dirty(self) -> bool:
        return self.toPlainText() != self._baseline

    def set_value(self, value: str) -> None:
        self._baseline = value
        if not (self.hasFocus() and self.is_dirty()):
            self.setPlainText(value)

    def revert(self) -> None:
        self.setPlainText(self._baseline)

    def commit(self) -> None:
        if self.is_dirty():
            self.committed.emit(self.toPlainText())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_escape(event) and self.is_dirty():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if _is_escape(event):
            if self.is_dirty():
                self.revert()
                event.accept()
            else:
                event.ignore()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
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
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        # A popup (context menu, completer) taking focus is not the analyst leaving the field.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()


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


class FittedList(QListWidget):
    """A list that grows to show all its rows (up to ``max_rows``), so the pane scrolls, not the list.

    Rows wrap at the list's real width. Qt's own size hints for wrapped rows are
    computed before the width is known, so the rows are measured here, again on
    every resize. The current row is highlighted only while the list has focus:
    three always-blue lists would shout louder than the claim.
    """

    _PADDING = 6  # vertical, per row

    def __init__(self, parent: QWidget | None = None, *, max_rows: int = 12) -> None:
        super().__init__(parent)
        self._max_rows = max_rows
        self.setWordWrap(True)
        self.setSpacing(1)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit(self) -> None:
        metrics = self.fontMetrics()
        width = max(self.viewport().width() - 12, 80)
        heights = []
        for i in range(self.count()):
            item = self.item(i)
            box = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, item.text())
            height = box.height() + self._PADDING
            item.setSizeHint(QSize(width, height))
            heights.append(height + 2 * self.spacing())
        shown = heights[: self._max_rows]
        total = sum(shown) + 2 * self.frameWidth() + 2
        self.setFixedHeight(max(total, metrics.height() + 10))
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if len(heights) > self._max_rows
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        item = self.currentItem() or (self.item(0) if self.count() else None)
        if item is not None:
            self.setCurrentItem(item)
            item.setSelected(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.clearSelection()
