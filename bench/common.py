"""What every contender's measurements share: clocks, memory readings, and "the view has painted".

"Repainted" means the same for every Qt contender, with the view shown offscreen
at ``VIEW_SIZE``: pending events are processed (posted layouts, timers, the
update request a model change caused — this is where Qt paints), and if that did
not paint the viewport, it is repainted synchronously (``QWidget.repaint``). So
the viewport paints once, after every change the step caused. A ``PaintProbe``
counts the paint events the viewport really received, and each timed step
records that count, so a step that never painted cannot pass unnoticed.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

VIEW_SIZE = (1200, 800)
FLOOR_PAGE = 40  # rows the floor fetches for "a page": a little more than the ~30 rows the view shows


def status_kb(field: str) -> int:
    """A ``VmRSS``/``VmHWM`` reading of this process, in kB."""
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+)\s+kB", text, re.M)
    return int(match.group(1)) if match else 0


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ``clear_refs`` 5); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Milliseconds ``action`` took, and what it returned."""
    start = time.perf_counter()
    value = action()
    return (time.perf_counter() - start) * 1000.0, value


def settle() -> None:
    """Before a timed run: nothing pending in Qt, garbage collected (neither is timed)."""
    try:
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is not None:
            QApplication.processEvents()
    except ImportError:
        pass
    gc.collect()


def median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return float("nan")
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


class PaintProbe:
    """Counts the paint events a widget receives (an event filter that never consumes them)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint

        class _Filter(QObject):
            count = 0

            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt's name)
                if event.type() == paint:
                    _Filter.count += 1
                return False

        self._filter = _Filter()
        self._filter_class = _Filter
        self.widget = widget
        widget.installEventFilter(self._filter)

    @property
    def count(self) -> int:
        return self._filter_class.count


_probes: dict[int, PaintProbe] = {}


def probe_of(widget: Any) -> PaintProbe:
    """The ``PaintProbe`` watching ``widget`` (installed on first use)."""
    import shiboken6

    key = int(shiboken6.getCppPointer(widget)[0])
    found = _probes.get(key)
    if found is None or found.widget is not widget:
        found = _probes[key] = PaintProbe(widget)
    return found


def painted(view: Any) -> None:
    """Process what is pending (the posted layout and update requests paint the viewport); if that did not
    paint it, repaint it now. Either way the viewport paints once, after every pending change."""
    from PySide6.QtWidgets import QApplication

    viewport = view.viewport()
    probe = probe_of(viewport)
    before = probe.count
    QApplication.processEvents()
    if probe.count == before:
        viewport.repaint()


def flush_deletes() -> None:
    """Run pending ``deleteLater`` deletions now (untimed teardown).

    Without an event loop (the harness only calls ``processEvents``) deferred
    deletions never happen, and every closed view would stay in memory.
    """
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def show_view(widget: Any) -> None:
    widget.resize(*VIEW_SIZE)
    widget.show()


def last_visible_row(view: Any) -> int:
    """The model row at the bottom of the viewport (-1 when none)."""
    row = view.rowAt(view.viewport().height() - 2)
    if row < 0:
        row = view.model().rowCount() - 1
    return int(row)
