"""How the claim table paints its rows: one row at a time, from the model's cached row.

What ``QTableView`` does per cell (the style's row and item backgrounds, the
selection, the focus frame of the current cell, then the delegate) is done here
per row: the backgrounds with the same style calls over the row's selected and
unselected runs of cells, the focus frame for the one current cell, and the
contents of every cell by one ``CellPainter`` (a delegate call, ``data()`` and
``flags()`` per cell cost three times as much). ``ClaimTable.paintEvent`` calls it
through its ``RowPainter``, which keeps the ``CellPainter`` from paint to paint
(making one — fonts, metrics, colours — was a tenth of painting ten rows) and
knows which solid colour the style's backgrounds leave in each kind of row (worked
out once, on a small image), so a row's backgrounds are one fill of that colour and
its status cell a picture (``CellPainter.paint_status_at``); where they leave more
than one colour (a gradient, a frame), the style paints them as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from desktop.ui.table import columns as cols
from desktop.ui.table.paint import CellPainter

if TYPE_CHECKING:
    from desktop.ui.table.view import ClaimTable

_SELECTED = QStyle.StateFlag.State_Selected
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_ROW_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewRow
_ITEM_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem


class RowPainter:
    """What a table's row painting keeps between paints: its ``CellPainter`` and the row backgrounds' colours,
    both renewed when the font, the palette or the style changes."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] = ()
        self._cells: CellPainter | None = None
        self._backgrounds: dict[tuple[object, ...], QColor | None] = {}

    def cells(self, font: QFont, palette: QPalette, style: QStyle) -> CellPainter:
        """The ``CellPainter`` for ``font`` and ``palette`` (the one kept, when neither changed)."""
        key = (font.key(), palette.cacheKey(), palette.currentColorGroup(), id(style), style.name())
        if self._cells is None or key != self._key:
            self._cells = CellPainter(font, palette)
            self._key = key
            self._backgrounds.clear()
        return self._cells

    def background(
        self, table: ClaimTable, style: QStyle, option: QStyleOptionViewItem, height: int, fill: QBrush
    ) -> QColor | None:
        """The one colour the viewport's ``fill`` and the style's row and item backgrounds leave in a row of
        ``option``'s state and features; None when they leave more than one (a gradient, a frame, a texture)."""
        key = (option.state.value, option.features.value, height, fill.color().rgba(), fill.style().value)
        if key not in self._backgrounds:
            self._backgrounds[key] = _solid_background(table, style, option, height, fill)
        return self._backgrounds[key]

    def paint(self, table: ClaimTable, painter: QPainter, dirty: QRect, count: int) -> None:
        paint_rows(table, painter, dirty, count, self)


def _solid_background(
    table: ClaimTable, style: QStyle, option: QStyleOptionViewItem, height: int, fill: QBrush
) -> QColor | None:
    """Paint the backgrounds of one row of ``option`` on a small image and return its colour if it is one."""
    image = QImage(16, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    probe = QStyleOptionViewItem(option)
    probe.rect = QRect(0, 0, image.width(), height)
    painter = QPainter(image)
    painter.fillRect(probe.rect, fill)
    style.drawPrimitive(_ROW_PANEL, probe, painter, table)
    style.drawPrimitive(_ITEM_PANEL, probe, painter, table)
    painter.end()
    first = image.pixel(0, 0)
    if QColor.fromRgba(first).alpha() != 255:
        return None
    for y in range(height):
        for x in range(image.width()):
            if image.pixel(x, y) != first:
                return None
    return QColor.fromRgba(first)


def paint_rows(table: ClaimTable, painter: QPainter, dirty: QRect, count: int, kept: RowPainter) -> None:
    """Paint rows of ``table`` in ``dirty`` (``count``: the model's rows, at least one) with what ``kept``
    keeps; see the module docstring."""
    rows = table.verticalHeader()
    top = rows.visualIndexAt(dirty.top())
    if top < 0:
        return
    bottom = rows.visualIndexAt(dirty.bottom())
    if bottom < 0:
        bottom = count - 1
    header = table.horizontalHeader()
    columns: list[tuple[int, int, int]] = []  # (logical column, x, width) in visual order
    for visual in range(header.count()):
        column = header.logicalIndex(visual)
        if header.isSectionHidden(column):
            continue
        x, width = header.sectionViewportPosition(column), header.sectionSize(column)
        if x + width > dirty.left() and x <= dirty.right():
            columns.append((column, x, width))
    if not columns:
        return
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)
    if option.state & QStyle.StateFlag.State_Enabled:
        option.palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)  # as QTableView paints enabled cells
    base_state = option.state
    style = table.style()
    cells = kept.cells(option.font, option.palette, style)
    cells.begin(painter)
    ratio = painter.device().devicePixelRatio()
    pictures = ratio == int(ratio)  # status pictures only where they land on whole device pixels
    viewport = table.viewport()
    fill = viewport.palette().brush(viewport.backgroundRole())  # under the rows (QWidget's autofill)
    backgrounds: dict[tuple[int, bool, int], QColor | None] = {}  # by (odd row, selected, height)

    def solid(odd: int, selected: bool, height: int) -> QColor | None:
        """The colour a row's backgrounds leave (None: more than one), worked out once per kind of row."""
        kind = (odd, selected, height)
        if kind not in backgrounds:
            option.state = base_state | _SELECTED if selected else base_state
            backgrounds[kind] = kept.background(table, style, option, height, fill)
            option.state = base_state
        return backgrounds[kind]

    chosen = table.selectionModel().selection()
    selection = [(r.top(), r.bottom(), r.left(), r.right()) for r in (chosen.at(i) for i in range(chosen.size()))]
    current = table.currentIndex()
    focus_row = current.row() if current.isValid() and (table.hasFocus() or table.viewport().hasFocus()) else -1
    model = table.claim_model
    plain = option.features & ~_ALTERNATE
    striped = plain | _ALTERNATE if table.alternatingRowColors() else plain
    for row in range(top, bottom + 1):
        y, height = table.rowViewportPosition(row), table.rowHeight(row)
        spans = [(left, right) for first, last, left, right in selection if first <= row <= last]
        selected = [any(left <= column <= right for left, right in spans) for column, _x, _w in columns]
        option.features = striped if row & 1 else plain
        start = 0
        while start < len(columns):  # each run of cells alike in selection gets one background
            end = start
            while end + 1 < len(columns) and selected[end + 1] == selected[start]:
                end += 1
            left = min(x for _c, x, _w in columns[start : end + 1])  # (right to left: x falls)
            right = max(x + width for _c, x, width in columns[start : end + 1])
            colour = solid(row & 1, selected[start], height)
            if colour is not None:  # what the style calls below would leave there, in one call
                painter.fillRect(left, y, right - left, height, colour)
            else:
                option.rect = QRect(left, y, right - left, height)
                option.state = base_state | _SELECTED if selected[start] else base_state
                style.drawPrimitive(_ROW_PANEL, option, painter, table)
                style.drawPrimitive(_ITEM_PANEL, option, painter, table)
            start = end + 1
        if row == focus_row:
            for (column, x, width), is_selected in zip(columns, selected, strict=True):
                if column == current.column():
                    option.rect = QRect(x, y, width, height)
                    option.state = (base_state | _SELECTED if is_selected else base_state) | _HAS_FOCUS
                    option.text = ""
                    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, table)
                    option.state = base_state
        claim = model.claim_row(row)
        if claim is None:
            continue
        for (column, x, width), is_selected in zip(columns, selected, strict=True):
            if column == cols.COL_STATUS and pictures and not (row == focus_row and column == current.column()):
                background = solid(row & 1, is_selected, height)
                if background is not None:
                    cells.paint_status_at(painter, x, y, width, height, claim, is_selected, background, ratio)
                    continue
            cells.paint_at(painter, x, y, width, height, claim, column, is_selected)
