"""QActions built from the keymap by one helper (git-cola's ``hotkeys`` + Anki's ``applyShortcuts``).

Every named command becomes exactly one QAction: its shortcuts, shortcut context,
auto-repeat, status tip and object name are set here and nowhere else. Window-wide
actions live on the main window; table-context actions live
on the claim table with ``Qt.WidgetWithChildrenShortcut``, so single keys act
only while the table has focus. The window wires behaviour to the actions by name.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop.ui.commands.keymap import KEYMAP, keys_text
from desktop.ui.commands.keymap.action import Context, KeyAction

_CONTEXTS: dict[Context, Qt.ShortcutContext] = {
    "table": Qt.ShortcutContext.WidgetWithChildrenShortcut,
    "reader": Qt.ShortcutContext.WidgetWithChildrenShortcut,
    "related": Qt.ShortcutContext.WidgetWithChildrenShortcut,
    "window": Qt.ShortcutContext.WindowShortcut,
}


def make_action(entry: KeyAction, owner: QWidget) -> QAction:
    """One QAction for ``entry``, added to ``owner`` (which decides where its shortcuts are live)."""
    action = QAction(entry.label, owner)
    action.setObjectName(entry.name)
    action.setData(entry.name)
    action.setShortcuts([QKeySequence(k) for k in entry.keys])
    action.setShortcutContext(_CONTEXTS[entry.context])
    # Held keys must not mark a dozen links or delete a page of claims; only movement repeats.
    action.setAutoRepeat(entry.repeat)
    action.setStatusTip(entry.description)
    action.setToolTip(f"{entry.label} ({keys_text(entry, native=True)})")
    owner.addAction(action)
    return action


def _make_alias(entry: KeyAction, primary: QAction, table: QWidget) -> QAction:
    """A hidden table-only action for ``entry.table_keys`` that runs ``primary`` (a QAction has one context)."""
    alias = QAction(entry.label, table)
    alias.setObjectName(entry.name + ":table")
    alias.setShortcuts([QKeySequence(k) for k in entry.table_keys])
    alias.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    alias.setAutoRepeat(entry.repeat)
    alias.setEnabled(primary.isEnabled())
    primary.enabledChanged.connect(alias.setEnabled)
    alias.triggered.connect(primary.trigger)
    table.addAction(alias)
    return alias


class WindowActions(QObject):
    """All named actions of one main window: ``actions[name]`` is the QAction of command ``name``."""

    ran = Signal(str)  # the name of every command that runs, however it was invoked (for tests and hints)

    def __init__(
        self,
        window: QWidget,
        table: QWidget,
        keymap: Iterable[KeyAction] = KEYMAP,
        panels: dict[str, QWidget] | None = None,
    ) -> None:
        """``panels``: the widget owning each further context's actions (``reader``, ``related``)."""
        super().__init__(window)
        self.actions: dict[str, QAction] = {}
        self.aliases: dict[str, QAction] = {}
        owners: dict[str, QWidget] = {"table": table, "window": window, **(panels or {})}
        for entry in keymap:
            owner = owners.get(entry.context, window)
            action = make_action(entry, owner)
            action.triggered.connect(lambda _checked=False, name=entry.name: self.ran.emit(name))
            self.actions[entry.name] = action
            if entry.table_keys:
                self.aliases[entry.name] = _make_alias(entry, action, table)

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]
