"""Keys typed into the window while a fast start is still building it: kept, then replayed in order.

A fast start (``desktop.ui.start``) shows and paints the window before its
commands exist (they need the open workspace). An analyst who starts typing at
once — ``j j j``, ``/`` and a filter, ``Ctrl+F`` — must neither lose those keys
nor have them go somewhere else: the table's own arrow handling, say, while
``j`` would not yet move. So until the window is whole, every key event for it
is taken off the queue here (nothing acts on it, and the status bar says the
keys will act once the workspace is open), and ``replay`` sends them again, in
the order typed, to whatever has the focus then. They are delivered as the
window system delivers keys — shortcut override first, so the keymap's actions
see them — by Qt's own key simulation (``QTest.sendKeyEvent``).

One key at a time, each from a zero timer: a kept key that opens a modal dialog
runs the dialog's own event loop inside its delivery, and the keys typed after
it belong in that dialog (``A`` then the claim's text). Sent from one loop they
waited behind the dialog, and went to the table once it closed. Keys typed while
the kept ones are still being sent are kept behind them, so the order holds.
The workspace opens on the GUI thread, so most early keys are still unread in the
window system's queue when the window is whole; ``replay`` reads them first (left
there, they reached the main window while a dialog a key opened was not yet
active, and were lost).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

_KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})


@dataclass(frozen=True)
class Keystroke:
    press: bool
    key: Qt.Key
    text: str
    modifiers: Qt.KeyboardModifier


class EarlyKeys(QObject):
    """Hold every key event for ``window`` (an application-wide filter) until ``replay``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.kept: list[Keystroke] = []
        self._sending = 0  # inside a replayed key's delivery (a dialog it opened may still be running)
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self._sending or event.type() not in _KEY_EVENTS or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._window:
            return False  # another window (a dialog of its own): not ours to hold
        if event.type() != QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if not event.isAutoRepeat() or event.type() == QEvent.Type.KeyPress:
                self.kept.append(
                    Keystroke(
                        event.type() == QEvent.Type.KeyPress,
                        Qt.Key(event.key()),
                        event.text(),
                        event.modifiers(),
                    )
                )
        event.accept()
        return True

    def replay(self) -> None:
        """Send the kept keys, in order, each to the focus widget of its moment; then stop holding keys."""
        # The workspace opened on this thread: keys typed meanwhile are still queued by the window system,
        # unread. Read now, they are kept behind the others and sent the same way (into a dialog one opens).
        QCoreApplication.processEvents()
        self._send_next()

    def _send_next(self) -> None:
        if not self.kept:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self.deleteLater()
            return
        stroke = self.kept.pop(0)
        # Scheduled before this key is sent: if it opens a modal dialog, the dialog's loop runs the timer and
        # the next keys go to the dialog, as typed.
        QTimer.singleShot(0, self, self._send_next)
        from PySide6.QtTest import QTest  # Qt's key delivery with the shortcut map, as typed

        target = _focus_target(self._window)
        action = QTest.KeyAction.Press if stroke.press else QTest.KeyAction.Release
        self._sending += 1
        try:
            QTest.sendKeyEvent(action, target, stroke.key, stroke.text, stroke.modifiers)
        finally:
            self._sending -= 1


def _focus_target(window: QWidget) -> QWidget:
    """Where a key would go now had the window been whole: the focus, a modal dialog's field, else the window.

    A dialog just opened may not be active yet (the window system activates it), so its own
    focus widget is asked rather than the application's."""
    modal = QApplication.activeModalWidget()
    if modal is not None:
        return modal.focusWidget() or modal
    return QApplication.focusWidget() or window
