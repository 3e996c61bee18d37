"""``FittedList``: a list that grows to show all its rows, shared by the detail pane's lists."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QFocusEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QListWidget,
    QWidget,
)


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
