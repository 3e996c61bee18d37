"""The timeline: the filtered claims on an axis of event dates, keyboard first.

Each claim is a bar over the days its event covers (``core.read.timeline.span``:
a day, a week, a month, or a fuzzy few days either side for ``approx``, drawn
hatched), in its status colour and starting with its status glyph; a small ▼
marks the day it was claimed (alone, for a claim with no event date). Bars are
packed into lanes so none overlaps its label.

Keys while it has the focus: ↑/↓ (or k/j) select the previous/next claim in time
— and the table follows; ←/→ scroll (Shift: a screen), + / − zoom around the
selection, 0 fits every claim (the first view fits the days most claims sit on:
``Timeline.busiest``), Home/End the first/last claim, Enter goes to the
table on the selected claim, Esc back to the table.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QLabel,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.read.timeline import BUSIEST_MIN_DAYS, Timeline, TimelineItem, timeline_items
from desktop.core.status_marks import STATUS_COLOURS, STATUS_GLYPHS
from desktop.core.store import Change
from desktop.ui.session import WorkspaceSession
from desktop.ui.views.zoomable import ZoomableView

RULER: Final = 34.0  # the date ruler's height at the top of the view
LANE: Final = 24.0
BAR: Final = 16.0
LABEL_CHARS: Final = 48


def _colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, STATUS_COLOURS["unverified"])[0])


def label_of(item: TimelineItem) -> str:
    text = item.text if len(item.text) <= LABEL_CHARS else item.text[: LABEL_CHARS - 1].rstrip() + "…"
    return f"{STATUS_GLYPHS.get(item.status, '·')} {item.source}: {text}"


class BarItem(QGraphicsItem):
    """One claim: its span as a bar (hatched when approximate), its claimed day as ▼, its label after."""

    def __init__(self, item: TimelineItem, x0: float, x1: float, claimed_x: float | None, y: float, font: QFont):
        super().__init__()
        self.item = item
        self.x0, self.x1, self.claimed_x = x0, x1, claimed_x
        self.font = font
        self.label = label_of(item)
        self.label_w = QFontMetricsF(font).horizontalAdvance(self.label)
        self.setPos(0, y)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        precision = item.precision or "no event date"
        when = f"{item.start} – {item.end}" if item.start and item.end and item.start != item.end else f"{item.start}"
        claimed = f"\nclaimed {item.claimed}" if item.claimed else ""
        self.setToolTip(
            f"{item.ext_id} · {item.source}\n{item.text}\n"
            f"event {when if item.start else '—'} ({precision}){claimed}\n"
            f"{STATUS_GLYPHS.get(item.status, '·')} {item.status}"
        )

    @property
    def right(self) -> float:
        return max(self.x1, self.claimed_x or self.x0) + 8 + self.label_w

    def boundingRect(self) -> QRectF:
        left = min(self.x0, self.claimed_x if self.claimed_x is not None else self.x0) - 8
        return QRectF(left, -2, self.right - left + 4, LANE)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        tint = _colour(self.item.status)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.item.start is not None:
            bar = QRectF(self.x0, 2, max(self.x1 - self.x0, 4.0), BAR)
            fill = QColor(tint)
            fill.setAlpha(90 if self.item.precision == "approx" else 170)
            brush = QBrush(
                fill, Qt.BrushStyle.BDiagPattern if self.item.precision == "approx" else Qt.BrushStyle.SolidPattern
            )
            painter.setPen(
                QPen(tint, 1.2, Qt.PenStyle.DashLine if self.item.precision == "approx" else Qt.PenStyle.SolidLine)
            )
            painter.setBrush(QColor(255, 255, 255))
            painter.drawRoundedRect(bar, 3, 3)
            painter.setBrush(brush)
            painter.drawRoundedRect(bar, 3, 3)
        if self.claimed_x is not None:
            x = self.claimed_x
            painter.setPen(QPen(QColor("#1f2328"), 1))
            painter.setBrush(QColor("#1f2328"))
            painter.drawPolygon(QPolygonF([QPointF(x - 4.5, 0), QPointF(x + 4.5, 0), QPointF(x, 7)]))
        if self.isSelected():
            painter.setPen(QPen(QColor("#0969da"), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.boundingRect().adjusted(2, 1, -2, -3), 4, 4)
        painter.setFont(self.font)
        start = max(self.x1, self.claimed_x or self.x0) + 8
        glyph, rest = self.label.split(" ", 1)
        glyph_w = QFontMetricsF(self.font).horizontalAdvance(glyph + " ")
        painter.setPen(tint)  # the glyph in the status colour, as in the table
        painter.drawText(QRectF(start, 0, glyph_w + 2, LANE - 4), Qt.AlignmentFlag.AlignVCenter, glyph)
        painter.setPen(QColor("#1f2328"))
        painter.drawText(QRectF(start + glyph_w, 0, self.label_w, LANE - 4), Qt.AlignmentFlag.AlignVCenter, rest)


class TimelineView(ZoomableView):
    selected = Signal(int)  # a claim was selected here: the table follows
    entered = Signal(int)  # Enter: go to the table on this claim
    scrolled = Signal()  # scrolled or zoomed: the ruler repaints

    OWN_KEYS = frozenset(
        {
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_J,
            Qt.Key.Key_K,
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        }
    )
    KEY_STEP = 1.5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("timeline", None, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.timeline = Timeline()
        self.bars: list[BarItem] = []
        self.by_claim: dict[int, BarItem] = {}
        self.px_per_day = 24.0
        self.origin = dt.date.today()
        self.font_ = QFont()
        self.font_.setPointSizeF(8.5)
        self.scene().selectionChanged.connect(self._on_selection)
        self._quiet = False
        self.whole = False  # fitting every claim (0), not only the days most claims sit on

    # --- content ------------------------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline, keep: int | None = None, *, refit: bool = True) -> None:
        """Show ``timeline``; ``refit``: fitted again if not zoomed by hand (a new filter), else (a change to
        the claims shown) at the same zoom and the same day at the left edge."""
        left = self.day_at(self.mapToScene(0, 0).x())
        self.timeline = timeline
        first = timeline.first
        self.origin = (first or dt.date.today()) - dt.timedelta(days=2)
        if self.auto_fit and refit:  # a new filter's claims are fitted as the first ones were
            self._fit(keep)
            return
        self._build(keep)
        if not refit:
            self._scroll_to(left, keep)

    def x_of(self, day: dt.date) -> float:
        return (day - self.origin).days * self.px_per_day

    def day_at(self, x: float) -> dt.date:
        return self.origin + dt.timedelta(days=int(x // self.px_per_day))

    def _build(self, keep: int | None) -> None:
        self._quiet = True
        scene = self.scene()
        scene.clear()
        self.bars, self.by_claim = [], {}
        lanes: list[float] = []  # the right edge taken in each lane
        for item in self.timeline.items:
            x0 = self.x_of(item.start) if item.start else self.x_of(item.claimed)  # type: ignore[arg-type]
            x1 = self.x_of(item.end + dt.timedelta(days=1)) if item.end else x0
            claimed_x = self.x_of(item.claimed) + self.px_per_day / 2 if item.claimed else None
            bar = BarItem(item, x0, x1, claimed_x, 0, self.font_)
            left = bar.boundingRect().left()
            lane = next((i for i, edge in enumerate(lanes) if edge + 12 <= left), len(lanes))
            if lane == len(lanes):
                lanes.append(0.0)
            lanes[lane] = bar.right
            bar.setPos(0, 6 + lane * LANE)
            scene.addItem(bar)
            self.bars.append(bar)
            self.by_claim[item.id] = bar
        last = self.timeline.last or self.origin
        width = max(self.x_of(last + dt.timedelta(days=3)), max((b.right for b in self.bars), default=0)) + 40
        scene.setSceneRect(QRectF(0, 0, width, 12 + max(1, len(lanes)) * LANE))
        self._quiet = False
        self.scrolled.emit()
        if keep is not None:
            self.select_claim(keep, notify=False)

    # --- selection ------------------------------------------------------------------------------------

    def current(self) -> BarItem | None:
        chosen = [i for i in self.scene().selectedItems() if isinstance(i, BarItem)]
        return chosen[0] if chosen else None

    def select_claim(self, claim: int | None, *, notify: bool = True) -> bool:
        bar = self.by_claim.get(claim) if claim is not None else None
        if bar is None:
            return False
        self._quiet = not notify
        try:
            self.scene().clearSelection()
            bar.setSelected(True)
        finally:
            self._quiet = False
        self.ensureVisible(QRectF(bar.x0, bar.y(), max(bar.x1 - bar.x0, 10), LANE), 60, 20)
        return True

    def _on_selection(self) -> None:
        bar = self.current()
        if bar is not None and not self._quiet:
            self.selected.emit(bar.item.id)

    def _step(self, delta: int) -> None:
        if not self.bars:
            return
        bar = self.current()
        index = self.bars.index(bar) + delta if bar is not None else (0 if delta > 0 else len(self.bars) - 1)
        self.select_claim(self.bars[max(0, min(index, len(self.bars) - 1))].item.id)

    # --- zoom and scroll ------------------------------------------------------------------------------

    def zoom(self, factor: float, *, under_mouse: bool = False) -> None:
        """Widen or narrow the days (the axis is redrawn, not scaled: text stays crisp), about the selection."""
        self.auto_fit = False
        bar = self.current()
        centre_day = self.day_at(self.mapToScene(self.viewport().rect().center()).x())
        self.px_per_day = min(240.0, max(0.3, self.px_per_day * factor))
        self._build(bar.item.id if bar else None)
        if bar is not None:
            again = self.by_claim.get(bar.item.id)
            if again is not None:
                self.centerOn(again.x0, again.y())
        else:
            self.centerOn(self.x_of(centre_day), self.mapToScene(self.viewport().rect().center()).y())

    def fit(self) -> None:
        """Spread the days most claims sit on over the view (``Timeline.busiest``); after 0, every claim's.

        Room is left at the right for the labels, which run on past their bars. The current claim stays in
        sight: a claim outside those days (the one about half a year) is scrolled to.
        """
        kept = self.current()
        self._fit(kept.item.id if kept else None)

    def _fit(self, keep: int | None) -> None:
        whole = (self.timeline.first, self.timeline.last)
        first, last = whole if self.whole else (self.timeline.busiest() or whole)
        if first is None or last is None:
            self._build(keep)  # nothing dated: an empty axis
            return
        days = max((last - first).days + 1, BUSIEST_MIN_DAYS) + 4  # two days' margin either side
        start = first + dt.timedelta(days=((last - first).days + 1 - days) // 2)
        room = max(self.viewport().width() - 380, self.viewport().width() // 2)
        self.px_per_day = min(240.0, max(0.3, room / days))
        self._build(keep)
        self._scroll_to(start, keep)

    def _scroll_to(self, left: dt.date, keep: int | None) -> None:
        """``left`` at the left edge, unless the claim ``keep`` would then be out of sight."""
        self.horizontalScrollBar().setValue(int(self.x_of(left)))
        if keep is not None and (again := self.by_claim.get(keep)) is not None:
            shown = self.mapToScene(self.viewport().rect()).boundingRect()
            if not shown.left() <= again.x0 <= shown.right():
                self.ensureVisible(QRectF(again.x0, again.y(), 10, LANE), 60, 20)

    def refit(self) -> None:
        """0: every claim in view (the first view shows the days most claims sit on)."""
        self.whole = True
        super().refit()

    # --- keys -------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = Qt.Key(event.key()), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Down, Qt.Key.Key_J):
            self._step(1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_K):
            self._step(-1)
        elif key == Qt.Key.Key_Left:
            self.pan(-1.0 if shift else -0.15)
        elif key == Qt.Key.Key_Right:
            self.pan(1.0 if shift else 0.15)
        elif key == Qt.Key.Key_Home and self.bars:
            self.select_claim(self.bars[0].item.id)
        elif key == Qt.Key.Key_End and self.bars:
            self.select_claim(self.bars[-1].item.id)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current() is not None:
            self.entered.emit(self.current().item.id)  # type: ignore[union-attr]
        else:
            super().keyPressEvent(event)  # the zoom keys

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.scrolled.emit()


class Ruler(QWidget):
    """The date axis above the timeline, following its scroll and zoom."""

    def __init__(self, view: TimelineView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setFixedHeight(int(RULER))
        view.scrolled.connect(self.update)

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        view = self.view
        width = self.width()
        painter.fillRect(QRectF(0, 0, width, RULER), QColor("#f3f4f6"))
        painter.setPen(QColor("#d0d7de"))
        painter.drawLine(QPointF(0, RULER - 0.5), QPointF(width, RULER - 0.5))
        left = view.mapToScene(0, 0).x()
        right = view.mapToScene(view.viewport().width(), 0).x()
        first, last = view.day_at(left), view.day_at(right) + dt.timedelta(days=1)
        painter.setFont(view.font_)
        offset = view.viewport().mapToGlobal(QPoint(0, 0)).x() - self.mapToGlobal(QPoint(0, 0)).x()
        for day, label, major in _ticks(first, last, view.px_per_day):
            x = view.mapFromScene(QPointF(view.x_of(day), 0)).x() + offset
            painter.setPen(QColor("#57606a") if major else QColor("#afb8c1"))
            painter.drawLine(QPointF(x, RULER - (14 if major else 7)), QPointF(x, RULER))
            if label:
                painter.setPen(QColor("#1f2328"))
                painter.drawText(QRectF(x + 3, 4, 120, 16), Qt.AlignmentFlag.AlignLeft, label)


def _ticks(first: dt.date, last: dt.date, px_per_day: float) -> list[tuple[dt.date, str, bool]]:
    """Ticks for the ruler at this zoom: days with labels when there is room, else weeks, else months."""
    ticks: list[tuple[dt.date, str, bool]] = []
    day = first
    while day <= last and len(ticks) < 2000:
        month_start = day.day == 1
        if px_per_day >= 34:
            ticks.append((day, day.strftime("%d %b" if month_start or day == first else "%d"), month_start))
        elif px_per_day * 7 >= 64:
            if day.weekday() == 0:
                ticks.append((day, day.strftime("%d %b"), False))
            elif month_start:
                ticks.append((day, "", True))
        elif month_start:
            every = 1 if px_per_day * 30 >= 60 else (3 if px_per_day * 90 >= 60 else 12)
            if (day.month - 1) % every == 0:
                ticks.append((day, day.strftime("%b %Y"), True))
        day += dt.timedelta(days=1)
    return ticks


class TimelinePanel(QWidget):
    """The timeline with a line saying what it shows; follows the table's filter and the workspace."""

    select_in_table = Signal(int)
    go_to_table = Signal(int)

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("timelinePanel")
        self.filter_text = ""
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.view = TimelineView(self)
        self.ruler = Ruler(self.view, self)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(0)
        column.addWidget(self.summary)
        column.addWidget(self.ruler)
        column.addWidget(self.view, 1)
        self.view.selected.connect(self.select_in_table)
        self.view.entered.connect(self.go_to_table)
        session.changed.connect(self._on_changed)
        session.current_changed.connect(lambda claim: self.view.select_claim(claim, notify=False))
        self.reload()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.reload()

    def _on_changed(self, change: Change) -> None:
        if change.everything or change.claims or change.added_claims or change.removed_claims or change.sources:
            # An edit: the analyst keeps the stretch of time being looked at (another workspace: fitted).
            self.reload(refit=change.everything)

    def reload(self, *, refit: bool = True) -> None:
        kept = self.view.current()
        with self.session.engine.connect() as connection:
            timeline = timeline_items(connection, self.filter_text)
        # The table's current claim first: a new filter may have moved it (and the bar selected before with it).
        keep = self.session.current if self.session.current is not None else (kept.item.id if kept else None)
        self.view.set_timeline(timeline, keep, refit=refit)
        parts = [f"{len(timeline.items)} claim{'s' if len(timeline.items) != 1 else ''} by event date"]
        if timeline.undated:
            parts.append(f"{timeline.undated} without any date (not shown)")
        if timeline.truncated:
            parts.append("the first 5,000 of the filter only — narrow the filter to see the rest")
        self.summary.setText(
            " · ".join(parts)
            + "   ▼ claimed on · hatched = approximate · ↑↓ select · ←→ scroll · + − zoom · 0 fit · Enter table"
        )
