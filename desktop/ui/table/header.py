"""``ClaimHeader``: the claim table's column header, whose size hint is worked out once, not at every reset.

``QTableView`` lays itself out again after every model reset — a new filter, a
new sort — and asks the header for its size hint, which ``QHeaderView`` has
forgotten at the reset and works out again from every section's text, font and
style (``sectionSizeFromContents``): a tenth of what a rare word's filter costs.
The columns and their titles do not change with the rows, so the hint is kept
until they can have: the model's header data changed (the status column's
title as one analyst), a section shown, hidden or added, the font or style
changed.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QByteArray, QEvent, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QWidget


class ClaimHeader(QHeaderView):
    """A horizontal ``QHeaderView`` that keeps its size hint across model resets (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._hint: QSize | None = None
        self.sectionCountChanged.connect(self.forget_hint)

    def sizeHint(self) -> QSize:
        if self._hint is None:
            self._hint = super().sizeHint()
        return QSize(self._hint)

    def forget_hint(self) -> None:
        """Work the hint out again at the next ask (the titles or the shown sections changed)."""
        self._hint = None

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            old.headerDataChanged.disconnect(self.forget_hint)
        super().setModel(model)
        self.forget_hint()
        if model is not None:
            model.headerDataChanged.connect(self.forget_hint)

    def setSectionHidden(self, logicalIndex: int, hide: bool) -> None:  # noqa: N803 (Qt's name)
        super().setSectionHidden(logicalIndex, hide)
        self.forget_hint()

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:  # noqa: N802 (Qt's name)
        restored = super().restoreState(state)
        self.forget_hint()
        return restored

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.forget_hint()
        super().changeEvent(event)
