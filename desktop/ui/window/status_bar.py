"""The main window's status bar: hints and errors on the left, the pinned claim and the workspace on the right.

QStatusBar.showMessage hides the ordinary widgets while a message shows and has
no way to colour errors, so the message is a label of our own with its own
timer, and the pinned claim is a permanent widget: it must stay visible for the
whole linking pass, whatever message comes and goes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from desktop.ui.commands.keymap import key_of, link_keys
from desktop.ui.widgets.basics import ElidedLabel
from desktop.ui.widgets.plain_text import bounded, plain_tooltip

_SHOWN = 500  # characters of a message laid out in the one-line label (the tooltip shows more)
_PINNED_MAX = 520  # px the pinned claim may take, and never more than a third of the bar: messages need room

_HINT_MS = 6000
_ERROR_MS = 12000
ERROR_PREFIX = "⚠ "


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # claim text is untrusted: never auto rich text
    return label


class WindowStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        # Elided with "…" at the end when the bar is too narrow (a clipped message hid its last words unseen).
        self.message = ElidedLabel(mode=Qt.TextElideMode.ElideRight)
        self.message.setObjectName("statusMessage")
        self.pinned = _plain()
        self.pinned.setObjectName("statusPinned")
        self.pinned.setMaximumWidth(_PINNED_MAX)
        self.pinned.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.pinned.setContentsMargins(8, 0, 8, 0)
        self.workspace = _plain()
        self.workspace.setObjectName("statusWorkspace")
        self.workspace.setContentsMargins(8, 0, 4, 0)
        self.addWidget(self.message, 1)
        self.addPermanentWidget(self.pinned)
        self.addPermanentWidget(self.workspace)
        self.pinned.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_message)
        self.is_error = False
        self._text = ""
        self._pinned = ""

    def hint(self, text: str, timeout_ms: int = _HINT_MS) -> None:
        self._show(text, error=False, timeout_ms=timeout_ms)

    def error(self, text: str) -> None:
        self._show(ERROR_PREFIX + text, error=True, timeout_ms=_ERROR_MS)

    def clear_message(self) -> None:
        self._timer.stop()
        self.message.set_full_text("")
        self._text = ""
        self.message.setToolTip("")
        self.is_error = False

    def clear_if(self, text: str) -> None:
        """Clear the message if it still says ``text`` (a newer message stays)."""
        if self._text == text:
            self.clear_message()

    def clear_error(self, text: str) -> None:
        """Clear the error ``text`` (as ``error`` was given it) if it is still the message: it was answered."""
        self.clear_if(ERROR_PREFIX + text)

    def message_text(self) -> str:
        return self._text

    def _show(self, text: str, *, error: bool, timeout_ms: int) -> None:
        # Messages quote claims and sources: bounded (a 400 KB note is not laid out) and never rich text.
        self._text = text
        self.message.set_full_text(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")
        self.message.setToolTip(plain_tooltip(text))  # the label elides to its width; the tooltip has more
        palette = self.palette()
        if error:
            # Red-ish that reads on light and dark palettes; the ⚠ carries the meaning without colour.
            dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
            palette.setColor(QPalette.ColorRole.WindowText, QColor("#ff8a80" if dark else "#c62828"))
        self.message.setPalette(palette)
        self.is_error = error
        self._timer.start(timeout_ms)

    def set_pinned(self, summary: str | None) -> None:
        if summary is None:
            self.pinned.hide()
            self.pinned.clear()
            return
        full = f"⚑ pinned: {bounded(summary, 500)}"  # not an emoji: those need a colour font many systems lack
        self._pinned = full
        self._elide_pinned()
        self.pinned.setToolTip(
            plain_tooltip(full + f"\n({link_keys()} link the current claim to it; {key_of('claim.pin')} on it unpins)")
        )
        self.pinned.show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = min(_PINNED_MAX, max(event.size().width() // 3, 160))
        if width != self.pinned.maximumWidth():
            self.pinned.setMaximumWidth(width)
            self._elide_pinned()

    def _elide_pinned(self) -> None:
        metrics = self.pinned.fontMetrics()
        room = self.pinned.maximumWidth() - 16
        self.pinned.setText(metrics.elidedText(self._pinned, Qt.TextElideMode.ElideRight, room))

    def set_workspace(self, label: str) -> None:
        self.workspace.setText(label)
        self.workspace.setToolTip(plain_tooltip(f"Workspace: {label}"))
