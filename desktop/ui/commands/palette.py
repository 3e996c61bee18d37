"""The command palette (Ctrl+K): find any named command by a few letters and run it.

A frameless popup over the main window: a line edit and a list of commands, each
row showing label, category and keys, ranked by a fuzzy match (rapidfuzz) over
the label, the command name and the category. Up/Down move, Enter runs, Esc
closes. Disabled commands stay listed, greyed, so the analyst learns that the
command exists and why it cannot run now (its status tip says what it needs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.commands.keymap import keys_text
from desktop.ui.commands.keymap.action import KeyAction

_THRESHOLD = 70.0


@dataclass(frozen=True)
class Command:
    entry: KeyAction
    action: QAction


def _initials(text: str) -> str:
    return "".join(word[0] for word in text.replace("/", " ").split() if word[0].isalnum())


def score(query: str, entry: KeyAction) -> float:
    """How well ``query`` names ``entry`` (0 = not at all); prefixes and initials rank above scattered hits."""
    query = query.strip().lower()
    if not query:
        return 100.0
    label = entry.label.lower()
    fields = (label, entry.name.lower(), entry.category.lower(), entry.description.lower())
    from rapidfuzz import fuzz  # here, not at the top: the window's start does not need it

    best = max(fuzz.partial_ratio(query, field) for field in fields[:3])
    best = max(best, fuzz.partial_ratio(query, fields[3]) - 15)  # the description is a weak hint
    if label.startswith(query):
        best += 20
    elif any(word.startswith(query) for word in label.split()) or query in entry.name.lower():
        best += 10
    if len(query) > 1 and _initials(label).startswith(query):
        best += 15
    return best


def rank(query: str, commands: Sequence[Command]) -> list[Command]:
    """The commands matching ``query``, best first; an empty query keeps the keymap's order."""
    if not query.strip():
        return list(commands)
    scored = [(score(query, c.entry), i, c) for i, c in enumerate(commands)]
    return [c for s, _, c in sorted((t for t in scored if t[0] >= _THRESHOLD), key=lambda t: (-t[0], t[1]))]


class CommandPalette(QFrame):
    """A popup listing ``commands``; ``open_over(window)`` shows it at the top of the window."""

    def __init__(self, commands: Sequence[Command], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("commandPalette")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._commands = list(commands)
        self.last_run: str | None = None

        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Type a command…  (Enter runs, Esc closes)")
        self.query.setClearButtonEnabled(True)
        self.list = QTreeWidget(self)
        self.list.setColumnCount(3)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the line edit keeps focus; Up/Down are forwarded
        self.list.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")  # rows a glance can tell apart

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.query)
        layout.addWidget(self.list)

        self.query.textChanged.connect(self._refill)
        self.query.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item, _col: self.run_current())
        self._refill("")

    # --- behaviour ----------------------------------------------------------------------------

    def open_over(self, window: QWidget) -> None:
        width = min(640, max(420, window.width() * 3 // 5))
        self.resize(width, min(420, max(240, window.height() // 2)))
        top_left = window.mapToGlobal(QPoint((window.width() - width) // 2, 60))
        self.move(top_left)
        self.query.clear()
        self._refill("")
        self.show()
        self.activateWindow()
        self.query.setFocus(Qt.FocusReason.PopupFocusReason)

    def visible_names(self) -> list[str]:
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in items if item is not None]

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    def run_current(self) -> None:
        """Close the palette, then run the highlighted command if it is enabled."""
        name = self.current_name()
        command = next((c for c in self._commands if c.entry.name == name), None)
        if command is None or not command.action.isEnabled():
            return
        self.close()  # first: the command may open a dialog or move the focus in the window
        self.last_run = name
        command.action.trigger()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        parent = self.parentWidget()
        if parent is not None:
            parent.activateWindow()  # the popup had the keyboard; give the window its activation back

    def _refill(self, text: str) -> None:
        self.list.clear()
        first_enabled: QTreeWidgetItem | None = None
        for command in rank(text, self._commands):
            keys = keys_text(command.entry, native=True)
            item = QTreeWidgetItem([command.entry.label, command.entry.category, keys])
            item.setData(0, Qt.ItemDataRole.UserRole, command.entry.name)
            item.setToolTip(0, command.entry.description)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if not command.action.isEnabled():
                item.setFlags(Qt.ItemFlag.NoItemFlags)  # shown greyed, never selectable
            elif first_enabled is None:
                first_enabled = item
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)
        if first_enabled is not None:
            self.list.setCurrentItem(first_enabled)

    def _step(self, delta: int) -> None:
        count = self.list.topLevelItemCount()
        current = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(current) if current is not None else -1
        for _ in range(count):
            row = (row + delta) % count if count else -1
            item = self.list.topLevelItem(row)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
                return

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._step(1 if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.run_current()
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)
