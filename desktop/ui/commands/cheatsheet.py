"""The keyboard cheat sheet (``?`` / F1): every command grouped by category, and the filter language.

Generated from ``keymap.KEYMAP`` every time, so it cannot fall behind the real
bindings. Shown as plain text in a tree with a search box: typing narrows the
list to commands whose label, keys, name or description contain the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.commands.keymap import BY_NAME, KEYMAP, key_of, keys_text, last_key_of, link_keys
from desktop.ui.commands.keymap.action import CATEGORIES, KeyAction

_CONTEXT_NOTE = {
    "table": "while the claim table has focus",
    "reader": "while the reader (a report's text) has focus",
    "related": "while the related-claims list has focus",
    "window": "anywhere in the window, also in text fields",
}


def filter_help() -> str:
    """The filter language (docs/keyboard-and-filter.md), its fields from ``search.FIELDS`` so the two cannot drift."""
    from desktop.core.search import FIELD_ALIASES, FIELDS

    lines = [
        f"Filter language ({key_of('view.filter', 1)} or {key_of('view.filter')}, then type; "
        f"{key_of('view.table')} returns to the table)",
        "",
        "  words            full text in any script, accents ignored; the last word is a prefix",
        '  "a phrase"       these words in this order',
        "  -word            claims without the word (also -field:value)",
    ]
    for spec in FIELDS.values():
        lines.append(f"  {spec.name + ':':<16} {spec.example}")
    aliases = ", ".join(f"{alias}: = {name}:" for alias, name in FIELD_ALIASES.items())
    lines += [
        "",
        "  field:a,b means a or b; different fields must all hold; place: knows every alias.",
        f"  Also: {aliases}.",
        "  Input that cannot be read shows a message under the filter, never an error.",
    ]
    return "\n".join(lines) + "\n"


def _link_note() -> str:
    verdict = BY_NAME["verdict.confirmed"].keys[0].split(", ")[0].lower()
    second = {name: last_key_of(f"verdict.{name}") for name in ("confirmed", "refuted", "inconclusive", "clear")}
    redo = BY_NAME["edit.redo"]
    return (
        f"Linking: pin a claim with {key_of('claim.pin')} (the status bar shows it), move to another claim and\n"
        f"press {link_keys()}: the current claim corroborates / contradicts / is neutral on /\n"
        "repeats the pinned one. Shift + the same key asks for a rationale first.\n"
        f"Verdicts are two keys: {verdict} then {second['confirmed']} (confirmed), {second['refuted']} (refuted), "
        f"{second['inconclusive']} (inconclusive), {second['clear']} (clear).\n"
        f"Every change is undoable: {key_of('edit.undo', 1)} or {key_of('edit.undo')}; redo with "
        f"{', '.join((*redo.table_keys, *redo.keys[:-1]))} or {redo.keys[-1]}.\n"
    )


def grouped(keymap: Iterable[KeyAction] = KEYMAP) -> list[tuple[str, list[KeyAction]]]:
    entries = list(keymap)
    order = list(CATEGORIES) + sorted({e.category for e in entries} - set(CATEGORIES))
    return [(c, [e for e in entries if e.category == c]) for c in order if any(e.category == c for e in entries)]


def cheatsheet_text(keymap: Iterable[KeyAction] = KEYMAP) -> str:
    """The whole cheat sheet as plain text (also what the dialog shows)."""
    lines: list[str] = []
    for category, entries in grouped(keymap):
        lines.append(category)
        for entry in entries:
            lines.append(f"  {keys_text(entry):<34} {entry.label}")
        lines.append("")
    return "\n".join(lines) + "\n" + _link_note() + "\n" + filter_help()


class CheatSheet(QDialog):
    def __init__(self, parent: QWidget | None = None, keymap: Iterable[KeyAction] = KEYMAP) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — Crosscheck")
        keymap = tuple(keymap)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search commands and keys…")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Keys", "Command", "What it does"])
        # A description wider than the window wraps onto a second line: a keyboard user never sees the
        # tooltip, and on a laptop screen the longest ones were cut off after "…".
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.header().setStretchLastSection(True)
        # Qt sizes a tree's rows before it knows the columns' widths, so wrapped rows are measured here,
        # again whenever the description column's width changes.
        self.tree.viewport().installEventFilter(self)
        self.tree.setAlternatingRowColors(True)
        self._fill(keymap)
        self.resize(self._width_for(keymap), 720)

        help_text = QPlainTextEdit(self)
        help_text.setReadOnly(True)
        help_text.setPlainText(_link_note() + "\n" + filter_help())
        help_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        help_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))  # the examples align
        help_text.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes search → list → Close
        self.help_text = help_text

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(help_text)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        note = QLabel("Single keys work while the claim table has focus; Ctrl keys, F-keys and Esc work everywhere.")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(split, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.apply_search)
        self.search.setFocus()

    def _width_for(self, keymap: Iterable[KeyAction]) -> int:
        """Wide enough that no description wraps, within the screen (narrower, the longest ones wrap)."""
        metrics = self.tree.fontMetrics()
        described = max((metrics.horizontalAdvance(entry.description) for entry in keymap), default=0)
        wanted = self.tree.columnWidth(0) + self.tree.columnWidth(1) + described + 90  # indent, margins, scroll bar
        screen = self.screen()
        room = screen.availableGeometry().width() * 9 // 10 if screen is not None else wanted
        return max(min(wanted, room), min(1040, room))

    def _fill(self, keymap: Iterable[KeyAction]) -> None:
        for category, entries in grouped(keymap):
            group = QTreeWidgetItem([category])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(False)
            for entry in entries:
                item = QTreeWidgetItem([keys_text(entry, native=True), entry.label, entry.description])
                item.setData(0, Qt.ItemDataRole.UserRole, entry.name)
                item.setToolTip(2, f"{entry.description}\n({entry.name}; keys work {_CONTEXT_NOTE[entry.context]})")
                group.addChild(item)
            self.tree.addTopLevelItem(group)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)

    def _fit_rows(self) -> None:
        """Each row as tall as its description, wrapped at the description column's width.

        The last column stretches to the viewport's edge, so its width is known from the viewport
        at once (the header settles its sections' sizes later).
        """
        metrics = self.tree.fontMetrics()
        width = max(self.tree.viewport().width() - self.tree.header().sectionViewportPosition(2) - 12, 80)
        for group in self._groups():
            for item in self._entries(group):
                box = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, item.text(2))
                item.setSizeHint(2, QSize(width, box.height() + 4))
        self.tree.scheduleDelayedItemsLayout()  # the rows' heights are read again at the next layout

    def _groups(self) -> Iterator[QTreeWidgetItem]:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is not None:
                yield group

    @staticmethod
    def _entries(group: QTreeWidgetItem) -> Iterator[QTreeWidgetItem]:
        for j in range(group.childCount()):
            item = group.child(j)
            if item is not None:
                yield item

    def listed_names(self, visible_only: bool = False) -> list[str]:
        return [
            item.data(0, Qt.ItemDataRole.UserRole)
            for group in self._groups()
            for item in self._entries(group)
            if not (visible_only and item.isHidden())
        ]

    def apply_search(self, text: str) -> None:
        words = text.lower().split()
        for group in self._groups():
            shown = 0
            for item in self._entries(group):
                haystack = " ".join(
                    [item.text(0), item.text(1), item.text(2), item.data(0, Qt.ItemDataRole.UserRole), group.text(0)]
                ).lower()
                hide = not all(word in haystack for word in words)
                item.setHidden(hide)
                shown += not hide
            group.setHidden(shown == 0)
