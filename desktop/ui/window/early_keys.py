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
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
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
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() not in _KEY_EVENTS or not isinstance(watched, QWidget):
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
        """Stop holding keys and send the kept ones, in order, to the focus widget of the moment."""
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        kept, self.kept = self.kept, []
        if kept:
            from PySide6.QtTest import QTest  # Qt's key delivery with the shortcut map, as typed

            for stroke in kept:
                # Where the key would have gone had the window been whole: a key that moved the focus
                # (``/`` to the filter bar) or opened a dialog sends the next keys there, as typed.
                target = QApplication.focusWidget() or self._window
                action = QTest.KeyAction.Press if stroke.press else QTest.KeyAction.Release
                QTest.sendKeyEvent(action, target, stroke.key, stroke.text, stroke.modifiers)
        self.deleteLater()
