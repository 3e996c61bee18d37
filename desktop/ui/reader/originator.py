"""Choosing who a report quotes: the source a claim taken from it should carry (its originator).

A report's publisher is rarely the claim's originator ("… reported by
pro-Russian news source Rybar on its Telegram channel"). The dialog lists first
the sources named in the quoted passage (found by name or alias), then, as the
analyst types, the workspace's sources by any name or alias; the last line
always offers "New source “typed”…", which opens the source form with that name.
Up/Down move, Enter takes the highlighted line.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from desktop.core.read.detail import search_sources
from desktop.core.read.reports import sources_named_in
from desktop.ui.dialogs._base import FormDialog
from desktop.ui.dialogs.source_dialog import SourceDialog
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import plain_label

_NEW = -1


class OriginatorDialog(FormDialog):
    """After Accepted, ``source_id`` is the chosen (or newly created) source."""

    def __init__(
        self, session: WorkspaceSession, passage: str, publisher: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Who does the report quote?", parent, ok_text="Use this source")
        self.session = session
        self.source_id: int | None = None
        with session.engine.connect() as connection:
            self._named = sources_named_in(connection, passage, exclude=publisher)
        self.query = QLineEdit()
        self.query.setPlaceholderText("type a name or alias — or a new source's name")
        self.query.setAccessibleName("Source name")
        self.choices = QListWidget()
        self.choices.setAccessibleName("Sources")
        self.choices.setMinimumHeight(180)
        self.form.addRow(plain_label("Name"), self.query)
        self.form.addRow(plain_label("Sources"), self.choices)
        self.query.textChanged.connect(self._refresh)
        self.query.installEventFilter(self)
        self._refresh("")
        self.setMinimumWidth(520)
        self.query.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the name field move through the list, so the hands never leave the typing position.
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.choices.count():
                row = max(0, min(self.choices.count() - 1, self.choices.currentRow() + step))
                self.choices.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def _refresh(self, typed: str) -> None:
        self.choices.clear()
        typed = typed.strip()
        seen: set[int] = set()
        if not typed:
            for ident, name in self._named:
                self._add(ident, f"{name} — named in the passage")
                seen.add(ident)
        with self.session.engine.connect() as connection:
            for source in search_sources(connection, typed, 12):
                if source.id not in seen:
                    self._add(source.id, source.label)  # the list is wide: names in full
                    seen.add(source.id)
        self._add(_NEW, f"New source “{typed}”…" if typed else "New source…")
        self.choices.setCurrentRow(0)

    def _add(self, ident: int, label: str) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, ident)
        self.choices.addItem(item)

    def apply(self) -> bool:
        item = self.choices.currentItem()
        if item is None:
            self.show_problem("Choose a source, or type the name of a new one.")
            return False
        ident = int(item.data(Qt.ItemDataRole.UserRole))
        if ident != _NEW:
            self.source_id = ident
            return True
        dialog = SourceDialog(self.session, self)
        dialog.name.setText(self.query.text().strip())  # what was typed is not typed twice
        try:
            if dialog.exec() == FormDialog.DialogCode.Accepted and dialog.source_id is not None:
                self.source_id = dialog.source_id
                return True
        finally:
            dialog.deleteLater()
        self.query.setFocus()
        return False
