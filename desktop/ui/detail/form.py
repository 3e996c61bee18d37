"""The grid the detail pane is laid out on: titled sections, right-aligned labels, one field column.

One grid for the whole pane, rather than a form per section, so every label
in every section lines up on the same edge.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.widgets.basics import plain_label


class SectionGrid:
    """Adds sections and rows to a two-column ``QGridLayout`` on ``widget``."""

    def __init__(self, widget: QWidget) -> None:
        self.layout = QGridLayout(widget)
        self.layout.setContentsMargins(10, 8, 10, 10)
        self.layout.setHorizontalSpacing(10)
        self.layout.setVerticalSpacing(6)
        self.layout.setColumnStretch(1, 1)
        self._row = 0
        self.labels: dict[str, QLabel] = {}
        self.headers: dict[str, QLabel] = {}

    def section(self, title: str) -> QLabel:
        header = plain_label(title)
        font = QFont(header.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        header.setFont(font)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.setContentsMargins(0, 10 if self._row else 0, 0, 2)
        box.addWidget(header)
        box.addWidget(rule)
        self.layout.addLayout(box, self._row, 0, 1, 2)
        self._row += 1
        self.headers[title] = header
        return header

    def row(self, label: str, field: QWidget | QLayout, *, tall: bool = False) -> QLabel:
        """A labelled row; ``tall`` fields (multi-line text, lists) get their label at the top."""
        caption = plain_label(label)
        vertical = Qt.AlignmentFlag.AlignTop if tall else Qt.AlignmentFlag.AlignVCenter
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | vertical)
        if tall:
            caption.setContentsMargins(0, 4, 0, 0)
        self.layout.addWidget(caption, self._row, 0, Qt.AlignmentFlag.AlignRight | vertical)
        if isinstance(field, QWidget):
            self.layout.addWidget(field, self._row, 1)
        else:
            self.layout.addLayout(field, self._row, 1)
        self._row += 1
        self.labels[label] = caption
        return caption

    def under(self, widget: QWidget) -> None:
        """A widget in the field column only (a problem message, a hint)."""
        self.layout.addWidget(widget, self._row, 1)
        self._row += 1

    def full(self, widget: QWidget) -> None:
        """A widget across both columns (the status block)."""
        self.layout.addWidget(widget, self._row, 0, 1, 2)
        self._row += 1

    def finish(self) -> None:
        self.layout.setRowStretch(self._row, 1)


def compact(button: QPushButton) -> QPushButton:
    """A button only as wide as its text: field width is scarce in a side pane."""
    button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    button.setMinimumWidth(0)
    button.setMaximumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 28)
    return button


def hbox(*items: QWidget | int, stretch_first: bool = True) -> QHBoxLayout:
    """A row of widgets; an int is spacing. The first widget takes the spare width."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    first = True
    for item in items:
        if isinstance(item, int):
            row.addSpacing(item)
            continue
        row.addWidget(item, 1 if first and stretch_first else 0)
        first = False
    return row
