"""What the evidence graph, the map and the timeline share: a keyboard-first, zoomable ``QGraphicsView``.

Each view claims its own keys over the window's shortcuts of the same keys while
it has the focus (the window binds ``c``, ``x``, arrows… on the table's claim),
so a key means one thing wherever the focus is. ``+``/``=`` and ``−`` zoom about
the view's centre, ``0`` fits everything again, and the wheel zooms about the
pointer (with Ctrl, or alone where ``WHEEL_ZOOMS``, as on a map). Until the
analyst zooms, the view refits whenever it is resized. A subclass says how to
fit, which keys it claims, its zoom steps and limits; a view whose zoom is not a
transform (the timeline rescales its axis) overrides ``zoom``.
"""

from __future__ import annotations

from typing import ClassVar, Final

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

ZOOM_IN: Final = frozenset({Qt.Key.Key_Plus, Qt.Key.Key_Equal})
ZOOM_OUT: Final = frozenset({Qt.Key.Key_Minus})
FIT: Final = frozenset({Qt.Key.Key_0})
_CHORD: Final = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


class ZoomableView(QGraphicsView):
    """A scene of its own, drag to pan, zoom keys and wheel, fit on resize (see the module docstring)."""

    OWN_KEYS: ClassVar[frozenset[Qt.Key]] = frozenset()  # the view's keys besides the zoom keys
    KEY_STEP: ClassVar[float] = 1.25  # one zoom key press
    WHEEL_STEP: ClassVar[float] = 1.15  # one wheel notch
    WHEEL_ZOOMS: ClassVar[bool] = False  # the wheel zooms without Ctrl (else it scrolls)
    MIN_SCALE: ClassVar[float] = 0.05
    MAX_SCALE: ClassVar[float] = 4.0

    def __init__(self, name: str, background: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setObjectName(name)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if background is not None:
            self.setBackgroundBrush(QColor(background))
        self.auto_fit = True  # fit to the view on resize, until the analyst zooms

    # --- what a view says -------------------------------------------------------------------------------

    def fit(self) -> None:
        """Show everything (the view's own idea of it)."""
        raise NotImplementedError

    def zoomed(self) -> None:
        """Called after every zoom step: a view whose drawing depends on the scale redoes it here."""

    # --- zoom ---------------------------------------------------------------------------------------------

    def zoom(self, factor: float, *, under_mouse: bool = False) -> None:
        """Zoom by ``factor``: about the view's centre from the keyboard, about the pointer from the wheel."""
        self.auto_fit = False
        anchor = QGraphicsView.ViewportAnchor
        self.setTransformationAnchor(anchor.AnchorUnderMouse if under_mouse else anchor.AnchorViewCenter)
        scale = self.transform().m11() * factor
        if self.MIN_SCALE <= scale <= self.MAX_SCALE:
            self.scale(factor, factor)
            self.zoomed()

    def refit(self) -> None:
        """Back to fitting everything, now and on every resize."""
        self.auto_fit = True
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.WHEEL_ZOOMS or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = self.WHEEL_STEP if event.angleDelta().y() > 0 else 1 / self.WHEEL_STEP
            self.zoom(step, under_mouse=True)
        else:
            super().wheelEvent(event)

    def pan(self, fraction: float) -> None:
        """Scroll sideways by ``fraction`` of the view's width (negative: to the left)."""
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + int(self.viewport().width() * fraction))

    # --- keys ---------------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # The window binds the same keys as shortcuts on the table's claim; here they act on this view.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            key = Qt.Key(event.key())
            if not event.modifiers() & _CHORD and (key in self.OWN_KEYS or key in ZOOM_IN | ZOOM_OUT | FIT):
                event.accept()
                return True
        return super().event(event)

    def zoom_key(self, key: Qt.Key) -> bool:
        """Handle a zoom key (``+``, ``−``, ``0``); False for any other key."""
        if key in ZOOM_IN:
            self.zoom(self.KEY_STEP)
        elif key in ZOOM_OUT:
            self.zoom(1 / self.KEY_STEP)
        elif key in FIT:
            self.refit()
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.zoom_key(Qt.Key(event.key())):
            super().keyPressEvent(event)
