"""``ClaimTable``: the claim table view, and the delegate that paints its cells.

It is built to stay fast at a million claims (docs/architecture.md): rows have one fixed
height, columns explicit widths (nothing is ever sized to contents, which would
read every row), and the table paints its rows itself, one row at a time from the
model's cached row (``paintEvent``, by ``table.paint_rows``; the cells through
``table.paint.CellPainter``): a delegate call, ``data()`` and ``flags()`` per cell
cost three times as much.

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

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableView,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.ui.commands.keymap import key_of
from desktop.ui.table import columns as cols
from desktop.ui.table.column_menu import fill_column_menu
from desktop.ui.table.header import ClaimHeader
from desktop.ui.table.model import ClaimTableModel
from desktop.ui.table.paint import CHIP_PAD, PADDING, ClaimDelegate
from desktop.ui.table.paint_rows import RowPainter

if TYPE_CHECKING:
    from desktop.ui.session import WorkspaceSession

MAX_SELECTED = 10_000  # claims one bulk action may take (each is read, written and audited)
_KEEP_SELECTED = 1_000  # a selection up to this size is restored after an edit reloads the rows


class ClaimTable(QTableView):
    """The claim table; see the module docstring. Create it with a session (the model is made if not given),
    or, at a fast start, with no session and a model of the first screen, then ``attach`` the session."""

    column_menu_made = Signal(QMenu)  # the header's right-click menu, filled, just before it shows

    def __init__(
        self, session: WorkspaceSession | None, model: ClaimTableModel | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session: WorkspaceSession | None = None
        if model is None:
            if session is None:
                raise ValueError("a claim table needs a session or a model")
            model = ClaimTableModel(session, self)
        self._model = model
        self._rows = RowPainter()  # what painting keeps between paints
        self._syncing = False
        self._going = False  # ``_go_to`` is moving the current row (``selectionCommand``)
        self._kept: tuple[int | None, int, int] = (None, -1, 0)
        self._kept_selection: list[int] = []
        self._hints = (
            f"No claims yet — press {key_of('claim.add').upper()} to add one",
            f"No claim matches this filter — {key_of('view.clear_filter')} clears it",
        )

        rows = self.verticalHeader()
        # Hidden before the model is set: a visible row header works out its size hint from the first and
        # last hundred rows' header data as the model arrives (800 calls into the model, ~1 ms of an open).
        rows.setVisible(False)
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never ResizeToContents: it reads every row
        self.setHorizontalHeader(ClaimHeader(self))
        self.setModel(self._model)
        self.setItemDelegate(ClaimDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift/Ctrl+click, Shift+arrows and Ctrl+Space extend the selection; j / k (setCurrentIndex) reset it.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setCornerButtonEnabled(False)

        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._apply_metrics()
        self.default_columns()
        header.sectionResized.connect(self._on_section_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        header.setSortIndicator(self._model.sort_column(), self._model.sort_order())
        self.setSortingEnabled(True)

        self.selectionModel().currentRowChanged.connect(self._on_current_row)
        # While the rows are an estimate (table.exact_count) the scroll bar says so when pointed at.
        self._model.count_exact_changed.connect(
            lambda exact: self.verticalScrollBar().setToolTip("" if exact else "About this many claims: counting…")
        )
        self._model.modelAboutToBeReset.connect(self._before_reset)
        self._model.modelReset.connect(self._after_reset)
        # Rows entering, leaving or moving (a claim made or deleted elsewhere, live; an edit that moves a
        # row) must not move what the analyst is reading, nor lose the current claim.
        self._model.rows_moving.connect(self._before_rows_move)
        self._model.rows_moved.connect(self._after_rows_move)
        # While rows move: the current claim, its row, the scroll bar's value and the rows the top row moves by.
        self._moving: tuple[int | None, int, int, int] | None = None
        if session is not None:
            self.attach(session)

    def attach(self, session: WorkspaceSession) -> None:
        """Follow ``session``'s current claim (and it the table's) from now on; the model must follow it too."""
        self._session = session
        session.current_changed.connect(self._on_session_current)
        if session.current is not None:
            self.select_claim(session.current)
        else:
            self._tell_session()

    @property
    def claim_model(self) -> ClaimTableModel:
        return self._model

    # --- navigation (the window's actions call these) ------------------------------------------

    def current_claim(self) -> int | None:
        index = self.currentIndex()
        return self._model.claim_id(index.row()) if index.isValid() else None

    def selected_rows(self) -> list[int]:
        """The selected rows, in order (the selection is kept as ranges: no row is read)."""
        rows: set[int] = set()
        chosen = self.selectionModel().selection()
        for i in range(chosen.size()):
            span = chosen.at(i)
            rows.update(range(span.top(), span.bottom() + 1))
        return sorted(rows)

    def selected_claims(self) -> list[int]:
        """The selected claims in table order; the current claim alone when no row is selected."""
        rows = self.selected_rows()
        if len(rows) > MAX_SELECTED:
            raise UserError(f"{len(rows):,} claims are selected; one action takes at most {MAX_SELECTED:,}")
        claims = [claim for claim in map(self._model.claim_id, rows) if claim is not None]
        if not claims and (current := self.current_claim()) is not None:
            return [current]
        return claims

    def select_claim(self, claim_id: int) -> bool:
        """Make ``claim_id`` the current row and scroll to it; False when the filter hides it (or it is gone)."""
        row = self._model.row_of(claim_id)
        if row is None:
            return False
        self._go_to(row)
        return True

    def move_by(self, delta: int) -> int | None:
        """Move the current row by ``delta`` rows (clamped); returns the new current claim."""
        count = self._model.rowCount()
        if count == 0:
            return None
        current = self.currentIndex().row()
        row = (0 if delta >= 0 else count - 1) if current < 0 else current + delta
        self._go_to(max(0, min(count - 1, row)))
        return self.current_claim()

    def select_row(self, row: int) -> int | None:
        """Make the claim at ``row`` (clamped to the rows there are) current; returns it."""
        count = self._model.rowCount()
        return self._go_to(max(0, min(row, count - 1))) if count else None

    def move_page(self, pages: int) -> int | None:
        """Move by ``pages`` screenfuls of rows."""
        per_page = max(1, self.viewport().height() // max(1, self.verticalHeader().defaultSectionSize()) - 1)
        return self.move_by(pages * per_page)

    def first(self) -> int | None:
        return self._go_to(0) if self._model.rowCount() else None

    def last(self) -> int | None:
        count = self._model.rowCount()
        return self._go_to(count - 1) if count else None

    # --- state ---------------------------------------------------------------------------------

    def save_state(self) -> QByteArray:
        """Column widths, order, which are shown and the sort, for QSettings."""
        return self.horizontalHeader().saveState()

    def restore_state(self, state: QByteArray | bytes, sort: tuple[int, Qt.SortOrder] | None = None) -> bool:
        """Restore what ``save_state`` saved and sort the model by ``sort`` (default: the sort saved with it,
        ``sort`` being the workspace's own); False if the state is unusable."""
        header = self.horizontalHeader()
        # Its saved sort indicator would sort the model at once (at a fast start, a sort kept for later
        # that a second sort back to the default does not undo): the model is sorted once, below.
        was = header.blockSignals(sort is not None)
        try:
            restored = header.restoreState(QByteArray(state))
        finally:
            header.blockSignals(was)
        if not restored or header.count() != cols.COLUMN_COUNT:
            self._apply_metrics()
            self.default_columns()
            return False
        # restoreState also restores resize modes and may hide the claim text; neither is the user's to change.
        header.setSectionHidden(cols.COL_TEXT, False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fit_claim_text()
        self.sortByColumn(*(sort or (header.sortIndicatorSection(), header.sortIndicatorOrder())))
        return True

    # --- which columns are shown -----------------------------------------------------------------

    def show_column(self, column: int, shown: bool) -> None:
        """Show or hide ``column`` (the claim text is always shown); saved with the table's state."""
        if column != cols.COL_TEXT:
            self.horizontalHeader().setSectionHidden(column, not shown)
            self._fit_claim_text()

    def default_columns(self) -> None:
        """Show every column but the ones a review pass rarely needs (``columns.HIDDEN_BY_DEFAULT``)."""
        for column in range(cols.COLUMN_COUNT):
            self.horizontalHeader().setSectionHidden(column, column in cols.HIDDEN_BY_DEFAULT)
        self._fit_claim_text()

    def claim_text_floor(self) -> int:
        """The narrowest the claim text gets: below it the table scrolls sideways instead."""
        return 25 * QFontMetrics(self.font()).averageCharWidth() + 2 * PADDING

    def _show_column_menu(self, position: QPoint) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("columnMenu")
        fill_column_menu(menu, self)
        self.column_menu_made.emit(menu)  # the window gives it its letters and the keys while it is open
        menu.popup(self.horizontalHeader().mapToGlobal(position))
        return menu

    def _fit_claim_text(self) -> None:
        """The claim text takes the room the other columns leave, but never less than ``claim_text_floor``.

        A Stretch section alone shrinks to the minimum section size when the other
        columns fill the viewport (three characters of text: unreadable); below the
        floor the text keeps it and the table scrolls sideways to the other columns.
        """
        header = self.horizontalHeader()
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column != cols.COL_TEXT and not header.isSectionHidden(column)
        )
        floor = self.claim_text_floor()
        if self.viewport().width() - others >= floor:
            if header.sectionResizeMode(cols.COL_TEXT) != QHeaderView.ResizeMode.Stretch:
                header.setSectionResizeMode(cols.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        else:
            if header.sectionResizeMode(cols.COL_TEXT) != QHeaderView.ResizeMode.Interactive:
                header.setSectionResizeMode(cols.COL_TEXT, QHeaderView.ResizeMode.Interactive)
            if header.sectionSize(cols.COL_TEXT) != floor:
                header.resizeSection(cols.COL_TEXT, floor)

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != cols.COL_TEXT:  # the text's own resizes are this fitting's doing
            self._fit_claim_text()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_claim_text()
        self._model.set_screen_rows(self._page_rows())  # what a reset reads first

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
        """Paint the rows in the dirty area, one row at a time (``table.paint_rows``); the hint when there are none."""
        painter = QPainter(self.viewport())
        count = self._model.rowCount()
        if count:
            self._rows.paint(self, painter, event.rect(), count)
        else:
            hint = self.empty_hint()
            if hint is not None:
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
        pad = 2 * PADDING
        indicator = metrics.height()  # room for the sort arrow in the header
        # The claim text is what the analyst reads: every other column gets just what its usual
        # content needs (longer values elide, the tooltip has them, and every column can be widened).
        number = max(metrics.horizontalAdvance(h) for h in ("Cred.", "Sugg.", "Links")) + pad
        widths = {
            cols.COL_SOURCE: 15 * char + pad,
            cols.COL_SIDE: max(metrics.horizontalAdvance("ukraine"), metrics.horizontalAdvance("Side")) + pad + char,
            cols.COL_DATE: metrics.horizontalAdvance("2022-12-14") + pad + indicator,
            cols.COL_PLACE: metrics.horizontalAdvance("Klishchiivka") + pad,
            # A verdict and a derived status side by side (a rare disputed flag may elide: the tooltip has it).
            cols.COL_STATUS: metrics.horizontalAdvance("∼ inconclusive ○ unconfirmed") + pad + 2 * CHIP_PAD,
            cols.COL_CREDIBILITY: number,
            cols.COL_SUGGESTED: number,
            cols.COL_LINKS: number,
            cols.COL_REPORT: 18 * char + pad,
            cols.COL_GRADE: max(metrics.horizontalAdvance("Grade"), metrics.horizontalAdvance("B2")) + pad + char,
            cols.COL_LIKELIHOOD: metrics.horizontalAdvance("roughly even chance") + pad,
        }
        header.setMinimumSectionSize(3 * char)
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self._fit_claim_text()

    def selectionCommand(  # noqa: N802  (Qt's name)
        self, index: QModelIndex | QPersistentModelIndex, /, event: QEvent | None = None
    ) -> QItemSelectionModel.SelectionFlag:
        """How a move selects. A move the program makes (``_go_to``: a navigation key, a row gone) has no
        event, and Qt would then read the keys held down: Shift (as in Shift+G, Shift+J) would add the row
        to what was selected before (the rows Qt had set aside at an insertion or removal), and the next
        key would act on both claims. Such a move selects its row alone; keys and clicks are Qt's."""
        if event is None and self._going:
            return QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        return super().selectionCommand(index, event)

    def _go_to(self, row: int) -> int | None:
        index = self._model.index(row, max(self.currentIndex().column(), 0))
        self._going = True  # (``selectionCommand``)
        try:
            self.setCurrentIndex(index)
        finally:
            self._going = False
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return self.current_claim()

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid() and self._session is not None:
            self._session.set_current(self._model.claim_id(current.row()))

    def _on_session_current(self, claim: object) -> None:
        if isinstance(claim, int) and claim != self.current_claim():
            self.select_claim(claim)

    def _before_rows_move(self, leaving: list[int], entering: list[int], claims: list[int]) -> None:
        top = self.rowAt(0) if self.verticalScrollBar().value() > 0 else -1  # at the very top: new rows show
        shift = 0
        if top >= 0:
            shift = -sum(1 for row in leaving if row < top)
            for row in entering:  # in order: each one inserted at or above the top row pushes it down
                if row <= top + shift:
                    shift += 1
        self._moving = (self.current_claim(), self.currentIndex().row(), self.verticalScrollBar().value(), shift)
        self._syncing = True  # Qt moves the current row as rows go; the session hears the outcome once

    def _after_rows_move(self) -> None:
        if self._moving is None:
            return
        claim, row, scrolled, shift = self._moving
        self._moving = None
        try:
            if shift:
                # From where the bar was: Qt may have moved it already (rows gone at the end shrink its range).
                self._scroll_rows(shift, scrolled)
            count = self._model.rowCount()
            if claim is not None and self.current_claim() != claim:
                # The current claim moved (it is found where it went) or left (its neighbour takes its place).
                if not self.select_claim(claim) and count:
                    self._go_to(min(max(row, 0), count - 1))
        finally:
            self._syncing = False
        self._tell_session()

    def _tell_session(self) -> None:
        if self._session is not None:
            self._session.set_current(self.current_claim())

    def _scroll_rows(self, rows: int, start: int) -> None:
        self.updateGeometries()  # the scroll range follows the new row count now, not at the next layout
        per_pixel = self.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerPixel
        step = self.verticalHeader().defaultSectionSize() if per_pixel else 1
        self.verticalScrollBar().setValue(start + rows * step)

    def _before_reset(self) -> None:
        self._kept = (self.current_claim(), self.currentIndex().row(), self.verticalScrollBar().value())
        rows = self.selected_rows()
        # A bulk edit keeps its selection, so the next bulk key acts on the same claims.
        self._kept_selection = [self._model.claim_id(r) or 0 for r in rows] if 1 < len(rows) <= _KEEP_SELECTED else []

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
            if reason == "data" and self._kept_selection:
                self._reselect(self._kept_selection)
        finally:
            self._syncing = False
        self._tell_session()

    def _reselect(self, claims: list[int]) -> None:
        chosen = QItemSelection()
        last = self._model.columnCount() - 1
        for claim in claims:
            row = self._model.row_of(claim)
            if row is not None:
                chosen.select(self._model.index(row, 0), self._model.index(row, last))
        if not chosen.isEmpty():
            self.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.Select)

    def _page_rows(self) -> int:
        """How many rows the viewport shows in full."""
        return max(1, self.viewport().height() // max(1, self.verticalHeader().defaultSectionSize()))
