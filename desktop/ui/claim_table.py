"""``ClaimTable``: the claim table view, and the delegate that paints its cells.

It is built to stay fast at a million claims (DESIGN §6): rows have one fixed
height, columns explicit widths (nothing is ever sized to contents, which would
read every row), and one delegate paints every cell from the model's cached row.

It binds no keys itself: the window's keymap binds actions to ``move``, ``first``,
``last`` and ``select_claim``. It only makes sure it swallows none of the keys
those actions use (no keyboard search, no Tab navigation, no editing).

The current row and ``session.current`` follow each other. After the model
resets for a claim added or removed, or a new sort, the selection goes back to
the same claim — or, if it is gone, to its neighbour. After a new filter the
table shows the top; the current claim stays current only if it is on that first
page, else the top row becomes current (finding it further down would cost a
position query for a filter the analyst may still be typing).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.core.paging import ClaimRow
from desktop.ui import claim_model as cm
from desktop.ui import status_style as st
from desktop.ui.claim_model import ClaimRowRole, ClaimTableModel
from desktop.ui.session import WorkspaceSession

_PADDING = 6  # horizontal text padding inside a cell, px
_CHIP_PAD = 4  # inside the status chip, each side


class ClaimDelegate(QStyledItemDelegate):
    """Paints each cell from the cached ``ClaimRow``: one elided line; the status as a glyph chip plus words."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        row = index.data(ClaimRowRole)
        opt = QStyleOptionViewItem(option)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)  # background, selection
        if row is None:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect: QRect = opt.rect.adjusted(_PADDING, 0, -_PADDING, 0)
        column = index.column()
        painter.save()
        painter.setClipRect(opt.rect)
        if column == cm.COL_STATUS:
            self._paint_status(painter, rect, row, palette, text_colour, selected)
        else:
            font = QFont(opt.font)
            if column == cm.COL_DATE and row.claimed is None:
                font.setItalic(True)
            if column == cm.COL_SUGGESTED or (column == cm.COL_DATE and row.claimed is None):
                text_colour = _muted(text_colour, palette, selected)
            painter.setFont(font)
            painter.setPen(text_colour)
            text = cm.display_text(row, column)
            align = Qt.AlignmentFlag.AlignVCenter
            align |= Qt.AlignmentFlag.AlignHCenter if column in cm.NUMERIC_COLUMNS else Qt.AlignmentFlag.AlignLeft
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(rect, align, elided)
        painter.restore()

    def _paint_status(
        self,
        painter: QPainter,
        rect: QRect,
        row: ClaimRow,
        palette: QPalette,
        text_colour: QColor,
        selected: bool,
    ) -> None:
        """[verdict glyph + word · ] a chip with the status glyph and name [ ⚠]."""
        metrics = painter.fontMetrics()
        x = rect.left()

        def draw(text: str, colour: QColor) -> None:
            nonlocal x
            if x >= rect.right():
                return
            room = rect.right() - x
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.setPen(colour)
            painter.drawText(QRect(x, rect.top(), room, rect.height()), Qt.AlignmentFlag.AlignVCenter, shown)
            x += metrics.horizontalAdvance(shown)

        def coloured(status: str) -> QColor:
            return text_colour if selected else st.status_colour(status, palette)

        if row.verdict:
            draw(f"{st.VERDICT_GLYPHS.get(row.verdict, '·')} ", coloured(row.verdict))
            draw(f"{row.verdict} ", text_colour)  # the chip sets the derived status apart (text has " · ")
        glyph = f"{st.STATUS_GLYPHS.get(row.status, '·')} "
        label = row.status
        chip_width = metrics.horizontalAdvance(glyph + label) + 2 * _CHIP_PAD
        chip = QRect(x, rect.top() + 3, min(chip_width, max(rect.right() - x, 0)), rect.height() - 6)
        if chip.width() > 0:
            fill = QColor(text_colour if selected else st.status_colour(row.status, palette))
            fill.setAlpha(55 if st.is_dark(palette) else 38)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        x += _CHIP_PAD
        draw(glyph, coloured(row.status))
        draw(label, text_colour)
        x += _CHIP_PAD
        if row.verdict_disputed:
            draw(f" {st.DISPUTED_GLYPH}", coloured("contested"))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        # Never measured per row (heights are fixed); a constant keeps any caller from fetching rows.
        return QSize(80, QFontMetrics(option.font).height() + 8)


def _muted(colour: QColor, palette: QPalette, selected: bool) -> QColor:
    """Secondary text: halfway between the text and the row background."""
    if selected:
        return colour
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (colour.red() + base.red()) // 2, (colour.green() + base.green()) // 2, (colour.blue() + base.blue()) // 2
    )


class ClaimTable(QTableView):
    """The claim table; see the module docstring. Create it with a session (the model is made if not given)."""

    def __init__(
        self, session: WorkspaceSession, model: ClaimTableModel | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._model = model or ClaimTableModel(session, self)
        self._syncing = False
        self._kept: tuple[int | None, int, int] = (None, -1, 0)
        self._hints = ("No claims yet — press A to add one", "No claim matches this filter — Ctrl+Shift+F clears it")

        self.setModel(self._model)
        self.setItemDelegate(ClaimDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setCornerButtonEnabled(False)

        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never ResizeToContents: it reads every row
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._apply_metrics()
        header.setSortIndicator(self._model.sort_column(), self._model.sort_order())
        self.setSortingEnabled(True)

        self.selectionModel().currentRowChanged.connect(self._on_current_row)
        self._model.modelAboutToBeReset.connect(self._before_reset)
        self._model.modelReset.connect(self._after_reset)
        session.current_changed.connect(self._on_session_current)
        if session.current is not None:
            self.select_claim(session.current)

    @property
    def claim_model(self) -> ClaimTableModel:
        return self._model

    # --- navigation (the window's actions call these) ------------------------------------------

    def current_claim(self) -> int | None:
        index = self.currentIndex()
        return self._model.claim_id(index.row()) if index.isValid() else None

    def select_claim(self, claim_id: int) -> bool:
        """Make ``claim_id`` the current row and scroll to it; False when the filter hides it (or it is gone)."""
        row = self._model.row_of(claim_id)
        if row is None:
            return False
        self._go_to(row)
        return True

    def move(self, delta: int | QPoint, y: int | None = None) -> int | None:  # type: ignore[override]
        """Move the current row by ``delta`` rows (clamped); returns the new current claim.

        ``move(x, y)`` and ``move(QPoint)`` still position the widget, as for any QWidget.
        """
        if y is not None or isinstance(delta, QPoint):
            super().move(delta if y is None else QPoint(int(delta), y))  # type: ignore[arg-type]
            return None
        count = self._model.rowCount()
        if count == 0:
            return None
        current = self.currentIndex().row()
        row = (0 if delta >= 0 else count - 1) if current < 0 else current + delta
        self._go_to(max(0, min(count - 1, row)))
        return self.current_claim()

    def move_page(self, pages: int) -> int | None:
        """Move by ``pages`` screenfuls of rows."""
        per_page = max(1, self.viewport().height() // max(1, self.verticalHeader().defaultSectionSize()) - 1)
        return self.move(pages * per_page)

    def first(self) -> int | None:
        return self._go_to(0) if self._model.rowCount() else None

    def last(self) -> int | None:
        count = self._model.rowCount()
        return self._go_to(count - 1) if count else None

    # --- state ---------------------------------------------------------------------------------

    def save_state(self) -> QByteArray:
        """Column widths, order and the sort, for QSettings."""
        return self.horizontalHeader().saveState()

    def restore_state(self, state: QByteArray | bytes) -> bool:
        """Restore what ``save_state`` saved (and sort the model accordingly); False if it is unusable."""
        header = self.horizontalHeader()
        if not header.restoreState(QByteArray(state)) or header.count() != cm.COLUMN_COUNT:
            self._apply_metrics()
            return False
        # restoreState also restores resize modes; these two are not the user's to change.
        header.setSectionResizeMode(cm.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    def set_empty_hints(self, no_claims: str, no_match: str) -> None:
        """The centred hints of an empty table: the keys to name are the keymap's business."""
        self._hints = (no_claims, no_match)
        self.viewport().update()

    # --- key handling: leave every key the window's actions need alone ----------------------------

    def keyboardSearch(self, search: str) -> None:
        """No type-to-search: letters are commands here (and the filter bar searches)."""

    # --- painting --------------------------------------------------------------------------------

    def empty_hint(self) -> str | None:
        """The hint painted in the empty table, or None when there are rows."""
        if self._model.rowCount() > 0:
            return None
        return self._hints[1] if self._model.filter_text().strip() else self._hints[0]

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        hint = self.empty_hint()
        if hint is None:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(self.viewport().rect().adjusted(12, 12, -12, -12), flags, hint)
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_metrics()

    # --- internals -------------------------------------------------------------------------------

    def _apply_metrics(self) -> None:
        """Row height and column widths from the font, so they scale with it (and with the screen's DPI)."""
        metrics = QFontMetrics(self.font())
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        char = metrics.averageCharWidth()
        header = self.horizontalHeader()
        pad = 2 * _PADDING
        indicator = metrics.height()  # room for the sort arrow in the header
        # The claim text is what the analyst reads: every other column gets just what its usual
        # content needs (longer values elide, the tooltip has them, and every column can be widened).
        number = max(metrics.horizontalAdvance(h) for h in ("Cred.", "Sugg.", "Links")) + pad
        widths = {
            cm.COL_SOURCE: 15 * char + pad,
            cm.COL_SIDE: max(metrics.horizontalAdvance("ukraine"), metrics.horizontalAdvance("Side")) + pad + char,
            cm.COL_DATE: metrics.horizontalAdvance("2022-12-14") + pad + indicator,
            cm.COL_PLACE: metrics.horizontalAdvance("Klishchiivka") + pad,
            # A verdict and a derived status side by side (a rare disputed flag may elide: the tooltip has it).
            cm.COL_STATUS: metrics.horizontalAdvance("∼ inconclusive ○ unconfirmed") + pad + 2 * _CHIP_PAD,
            cm.COL_CREDIBILITY: number,
            cm.COL_SUGGESTED: number,
            cm.COL_LINKS: number,
        }
        header.setMinimumSectionSize(3 * char)
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(cm.COL_TEXT, QHeaderView.ResizeMode.Stretch)

    def _go_to(self, row: int) -> int | None:
        index = self._model.index(row, max(self.currentIndex().column(), 0))
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return self.current_claim()

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid():
            self._session.set_current(self._model.claim_id(current.row()))

    def _on_session_current(self, claim: object) -> None:
        if isinstance(claim, int) and claim != self.current_claim():
            self.select_claim(claim)

    def _before_reset(self) -> None:
        self._kept = (self.current_claim(), self.currentIndex().row(), self.verticalScrollBar().value())

    def _after_reset(self) -> None:
        claim, old_row, scroll = self._kept
        count = self._model.rowCount()
        reason = self._model.reset_reason
        self._syncing = True
        try:
            self.updateGeometries()  # the scroll range follows the new row count now, not at the next layout
            if reason == "filter":
                # A new filter shows its top: the current claim stays current if it is on that first
                # page (no query: the first block is about to be painted anyway), else the top row.
                self.scrollToTop()
                row = self._model.row_near_top(claim, self._page_rows()) if claim is not None else None
                if row is None and count:
                    row = 0
            else:
                row = self._model.row_of(claim) if claim is not None else None
                if row is None and count:
                    # The claim is gone: after a deletion its neighbour, after a new sort the top.
                    row = min(max(old_row, 0), count - 1) if reason == "data" else 0
                if reason == "data":
                    self.verticalScrollBar().setValue(scroll)  # an edit must not make the table jump
            if row is not None:
                self._go_to(row)
        finally:
            self._syncing = False
        self._session.set_current(self.current_claim())

    def _page_rows(self) -> int:
        """How many rows the viewport shows in full."""
        return max(1, self.viewport().height() // max(1, self.verticalHeader().defaultSectionSize()))
