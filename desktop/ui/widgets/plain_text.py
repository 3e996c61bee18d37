"""Untrusted text is never rendered as rich text, anywhere in the window (DESIGN §6).

Qt guesses: a tooltip, a ``QLabel`` or a ``QMessageBox`` whose text "might be
rich text" (``Qt::mightBeRichText``: it starts like a tag) is rendered as HTML,
and an ``<img src="file:///…">`` in a claim's text then makes Qt read a local
file. Escaping at every call site is easy to forget once, so this module
guards the whole application, and call sites that show untrusted text also
use ``plain_tooltip``/``bounded`` themselves:

- ``install_guard()`` puts one event filter on the application: every tooltip
  (widgets, actions' buttons, items of any item view through their model's
  ``ToolTipRole``, and items of a graphics view) is shown escaped, unless it
  was already made safe by ``plain_tooltip`` (which marks it ``<qt>``); every ``QLabel`` — message boxes'
  labels included — is switched to ``Qt.PlainText`` when it is polished, before
  it is first shown. Nothing in Crosscheck uses rich labels on purpose.
- ``bounded(text)`` cuts what is laid out: a 400 KB note without a space in it
  made Qt's line breaking take seconds. Tooltips and one-line messages show at
  most a few thousand characters, and long unbreakable runs get break
  opportunities (zero-width spaces) so that wrapping stays linear; an editor
  holding such a run wraps anywhere (``fit_wrap``).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHelpEvent, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsView,
    QLabel,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

SHOWN_CHARS = 2_000  # a tooltip or a one-line message never lays out more than this
_RUN = 60  # an unbreakable run longer than this gets a break opportunity every _RUN characters
_LONG_RUN = re.compile(rf"\S{{{_RUN + 1},}}")
_SAFE_MARK = "<qt>"


def bounded(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters (saying how long it was) with long unbreakable runs breakable."""
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text):,} characters)"
    return _LONG_RUN.sub(lambda m: "\u200b".join(m[0][i : i + _RUN] for i in range(0, len(m[0]), _RUN)), text)


_UNBREAKABLE = re.compile(r"\S{1000,}")


def fit_wrap(editor: QPlainTextEdit, text: str, *, only_widen: bool = False) -> None:
    """Wrap ``editor`` so that showing ``text`` stays linear.

    Qt's default wrapping (at word boundaries, else anywhere) is quadratic in the
    length of an unbreakable run: 100k characters without a space took 7.6 s
    here, 400k did not finish in a minute. Wrapping anywhere lays the same 400k
    out in under a second, so an editor holding such a run wraps anywhere; any
    other text keeps word wrapping. ``only_widen``: never switch back (a paste).
    """
    long_run = _UNBREAKABLE.search(text) is not None
    if long_run:
        editor.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
    elif not only_widen:
        editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally and bounded: escaped, and marked rich so Qt wraps it."""
    return _SAFE_MARK + html.escape(bounded(text)).replace("\n", "<br>") + "</qt>"


class _Guard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QLabel):
            if watched.textFormat() != Qt.TextFormat.PlainText:
                watched.setTextFormat(Qt.TextFormat.PlainText)
        elif kind == QEvent.Type.ToolTip and isinstance(watched, QWidget) and isinstance(event, QHelpEvent):
            text = _tooltip_of(watched, event)
            if text is not None and not text.startswith(_SAFE_MARK):
                if text:
                    QToolTip.showText(event.globalPos(), plain_tooltip(text), watched)
                else:
                    QToolTip.hideText()
                return True  # shown (or hidden) here; Qt would have guessed the format
        return False


def _tooltip_of(widget: QWidget, event: QHelpEvent) -> str | None:
    """The tooltip Qt would show for this event; None when it is not one this guard can see."""
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractItemView) and widget is parent.viewport():
        index = parent.indexAt(event.pos())
        value = index.data(Qt.ItemDataRole.ToolTipRole) if index.isValid() else None
        return value if isinstance(value, str) else ("" if value is None else None)
    if isinstance(parent, QGraphicsView) and widget is parent.viewport():
        # As QGraphicsScene would: the topmost item under the pointer that has a tooltip.
        return next((item.toolTip() for item in parent.items(event.pos()) if item.toolTip()), "")
    return widget.toolTip()


_installed: list[_Guard] = []


def install_guard() -> None:
    """Guard the running application (once; later calls do nothing)."""
    app = QApplication.instance()
    if app is None or _installed:
        return
    guard = _Guard(app)
    app.installEventFilter(guard)
    _installed.append(guard)
