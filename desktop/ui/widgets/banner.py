"""A banner across the top of the window: says the window shows something other than the live workspace.

The window can show the workspace as it stood at an earlier moment (read-only),
or as one analyst sees it. Either way the analyst must not mistake what they
see for the workspace as it is now, so a strip in a warning colour names the
mode, what is shown, and the key that goes back. It is one line of plain text
(the moment and names come from the workspace: never rich text) beside an
optional progress bar for a mode that takes time to enter, and it is hidden
when there is nothing to say.

``ModeBanner.show_mode(text)`` shows it; ``progress(text, fraction)`` shows
work in progress (``fraction`` None: busy without a known end);
``clear()`` hides it. ``text()`` is what it says (tests, screen readers).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QSizePolicy, QWidget

from desktop.ui.widgets.basics import plain_label

# Amber, readable with black text on the light and the dark theme alike: "this is not now".
_BACKGROUND = "#f0c24b"
_FOREGROUND = "#1b1b1b"
_STEPS = 1000  # the progress bar's resolution


class ModeBanner(QFrame):
    """A one-line banner naming the window's mode (hidden until ``show_mode`` or ``progress``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modeBanner")
        self.setAccessibleName("Mode of the window")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(_BACKGROUND))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(_FOREGROUND))
        self.setPalette(palette)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = plain_label(wrap=True)
        self.label.setObjectName("modeBannerText")
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bold = self.label.font()
        bold.setBold(True)
        self.label.setFont(bold)
        row.addWidget(self.label, 1)
        self.bar = QProgressBar()
        self.bar.setObjectName("modeBannerProgress")
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(False)
        self.bar.hide()
        row.addWidget(self.bar)
        self.hide()

    def show_mode(self, text: str) -> None:
        """Say ``text`` (no progress): the mode the window is in."""
        self.bar.hide()
        self._say(text)

    def progress(self, text: str, fraction: float | None = None) -> None:
        """Say ``text`` with a progress bar: ``fraction`` of the work done, or None when it is not known."""
        if fraction is None:
            self.bar.setRange(0, 0)  # Qt's "busy" bar
        else:
            self.bar.setRange(0, _STEPS)
            self.bar.setValue(round(max(0.0, min(1.0, fraction)) * _STEPS))
        self.bar.show()
        self._say(text)

    def clear(self) -> None:
        self.label.clear()
        self.bar.hide()
        self.hide()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def _say(self, text: str) -> None:
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.show()
