"""The evidence graph panel: the current claim's neighbourhood, driven from the keyboard.

Keys while the graph has the focus (they win over the window's shortcuts of the
same keys, which act on the table's claim): arrows move the selection between
cards (to the nearest card that way); Enter makes the selected card the current
claim (the table follows, and the graph redraws around it); ``p`` pins the
selected card and ``c``/``x``/``n``/``r`` link it to the pinned claim, exactly as
the same keys do in the table; ``+``/``-`` zoom, ``0`` fits the whole graph; Esc
goes back to the table. The panel follows the session: a new current claim, or
any change to the workspace, redraws it (keeping the selection when it can).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene, QWidget

from desktop.core.read.neighbourhood import Neighbourhood
from desktop.ui.views.graph.layout import Box, neighbour_in_direction
from desktop.ui.views.graph.scene import NodeItem, build_scene
from desktop.ui.views.zoomable import ZoomableView

ARROWS: Final = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
LINK_KEYS: Final = {
    Qt.Key.Key_C: "corroborates",
    Qt.Key.Key_X: "contradicts",
    Qt.Key.Key_N: "neutral",
    Qt.Key.Key_R: "repeats",
}


class EvidenceGraph(ZoomableView):
    """A ``QGraphicsView`` of one claim's neighbourhood (see the module docstring)."""

    OWN_KEYS = frozenset({*ARROWS, *LINK_KEYS, Qt.Key.Key_P, Qt.Key.Key_Return, Qt.Key.Key_Enter})

    activated = Signal(int)  # Enter on a card: make this claim current
    pin_requested = Signal(int)
    link_requested = Signal(int, str)  # (claim, relation): link it to the pinned claim
    selection_moved = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("evidenceGraph", "#fbfcfd", parent)
        self.hood: Neighbourhood | None = None
        self.cards: dict[int, NodeItem] = {}
        self.boxes: dict[int, Box] = {}

    # --- content --------------------------------------------------------------------------------------

    def show_neighbourhood(self, hood: Neighbourhood | None, keep: int | None = None) -> None:
        """Draw ``hood`` (None: nothing to show); select ``keep`` if it is still there, else the claim itself."""
        self.hood = hood
        scene = self.scene()
        if hood is None:
            scene.clear()
            self.cards, self.boxes = {}, {}
            return
        self.cards, layout = build_scene(scene, hood)
        self.boxes = layout.nodes
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40))
        self.select(keep if keep in self.cards else hood.claim)
        self.auto_fit = True
        self.fit()

    def selected(self) -> int | None:
        chosen = [i for i in self.scene().selectedItems() if isinstance(i, NodeItem)]
        return chosen[0].node.id if chosen else None

    def select(self, claim: int | None) -> None:
        self.scene().clearSelection()
        item = self.cards.get(claim) if claim is not None else None
        if item is not None:
            item.setSelected(True)
            self.ensureVisible(item, 40, 40)
            self.selection_moved.emit(item.node.id)

    # --- zoom -----------------------------------------------------------------------------------------

    def fit(self) -> None:
        if self.cards:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            if self.transform().m11() > 1.0:  # a small graph is shown at its natural size, not blown up
                self.resetTransform()

    # --- keys -----------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        current = self.selected()
        if key in ARROWS:
            if current is None:
                self.select(self.hood.claim if self.hood else None)
            else:
                found = neighbour_in_direction(self.boxes, current, *ARROWS[key])
                if found is not None:
                    self.select(found)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current is not None:
            self.activated.emit(current)
            return
        if key == Qt.Key.Key_P and current is not None:
            self.pin_requested.emit(current)
            return
        if key in LINK_KEYS and current is not None:
            self.link_requested.emit(current, LINK_KEYS[key])
            return
        super().keyPressEvent(event)  # the zoom keys

    # --- export ---------------------------------------------------------------------------------------

    def export(self, path: Path) -> None:
        """The whole graph (legend included) as SVG or PNG, by the file's extension."""
        scene = self.scene()
        selected = scene.selectedItems()
        scene.clearSelection()  # the selection frame is the view's, not the graph's
        try:
            source = scene.sceneRect()
            if path.suffix.lower() == ".svg":
                _write_svg(scene, source, path)
            else:
                _write_png(scene, source, path)
        finally:
            for item in selected:
                item.setSelected(True)


def _write_svg(scene: QGraphicsScene, source: QRectF, path: Path) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(source.width()), int(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("Crosscheck evidence graph")
    painter = QPainter(generator)
    try:
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()


def _write_png(scene: QGraphicsScene, source: QRectF, path: Path, scale: float = 2.0) -> None:
    image = QImage(int(source.width() * scale), int(source.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        scene.render(painter, QRectF(0, 0, image.width(), image.height()), source)
    finally:
        painter.end()
    if not image.save(str(path)):
        from desktop.core.errors import UserError

        raise UserError(f"cannot write {path}")
