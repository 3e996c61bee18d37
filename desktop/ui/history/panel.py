"""The history panel: what happened to the current claim, newest first, in words.

It lists the audit trail of the current claim — its own fields, the links and
judgements touching it, the requests for comment about it, and its source's
changes — as sentences such as ``2022-12-15 10:02 anna: credibility 3 → 2``
(``history.words``), newest first; sources, reports and places by their names
(``history.names``: one batched lookup for the whole list). Steps this window
can still undo are marked ``↶`` (undo reverts the newest of them). It follows
the session like the detail pane does: another current claim, or a write that
touched this one, reloads it; the read is a few
indexed lookups (``words.entries_about``), so stepping through claims stays
instant. Texts are shown as plain text.

While the window shows the workspace as of an earlier moment (``as_of_mode``),
the panel reads the live workspace's trail up to that moment: the claim's
history as it was known then, nothing marked undoable. ``HistoryHeading``,
the line above the panel, explains the mark only while the window shows the
live workspace: in a read-only view (as of a moment, one analyst's statuses)
nothing can be undone, so the legend would mislead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget
from sqlalchemy import text

from desktop.core.history.names import names_for
from desktop.core.history.trail import Group, grouped
from desktop.core.history.words import entries_about, sentences, visible
from desktop.core.store import Change
from desktop.ui.commands.keymap import key_of
from desktop.ui.history.as_of_mode import AsOfWorkspace
from desktop.ui.session import WorkspaceSession

UNDOABLE = "↶ "
EMPTY = "No changes recorded for this claim"
HEADING = "History — newest first"
HEADING_LIVE = f"{HEADING}; {UNDOABLE}this window can undo it"


class HistoryHeading(QLabel):
    """The panel's bold heading; it names the undo mark only while the shown workspace can be written."""

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # Plain text like every label (the plain-text guard forces it): the heading is bold by its font.
        bold = self.font()
        bold.setBold(True)
        self.setFont(bold)
        session.workspace_replaced.connect(self._follow_read_only)
        self._follow_read_only()

    def _follow_read_only(self) -> None:
        self.setText(HEADING if self.session.read_only is not None else HEADING_LIVE)


class HistoryPanel(QListWidget):
    """``HistoryPanel(session)``: the current claim's history, newest first."""

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("historyPanel")
        self.setAccessibleName("History of the current claim")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        session.current_changed.connect(lambda _claim: self.reload())
        session.changed.connect(self._on_changed)
        session.workspace_replaced.connect(self.reload)
        stack = session.undo_stack
        stack.indexChanged.connect(lambda _index: self.reload())
        self.reload()

    def lines(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def reload(self) -> None:
        claim = self.session.current
        self.clear()
        if claim is None:
            return
        with self.session.engine.connect() as connection:
            found = connection.execute(
                text("SELECT c.ext_id, s.ext_id FROM claim c JOIN source s ON s.id = c.source_id WHERE c.id = :c"),
                {"c": claim},
            ).first()
        if found is None:
            return
        ext_id, source = found
        shown = self.session.workspace
        until = shown.when if isinstance(shown, AsOfWorkspace) else None
        with self.session.live_workspace.engine.connect() as connection:
            rows = visible(entries_about(connection, ext_id, source=source))
            if until is not None:
                rows = [row for row in rows if row.at <= until]
            names = names_for(connection, rows)
        undoable = self.session.undoable_changes()
        undo_key = key_of("edit.undo")
        for group in reversed(list(_one_field_per_update(grouped(rows)))):
            marked = any((row.at, row.entity, row.entity_id, row.field) in undoable for row in group.rows)
            mark = UNDOABLE if marked else ""
            for sentence in reversed(sentences(group, own=ext_id, names=names)):
                item = QListWidgetItem(mark + sentence)
                if marked:
                    item.setToolTip(f"This window can undo this step ({undo_key} undoes the newest first)")
                self.addItem(item)
        if self.count() == 0:
            self.addItem(QListWidgetItem(EMPTY))

    def _on_changed(self, change: Change) -> None:
        claim = self.session.current
        if change.everything or (claim is not None and claim in change.claims) or change.sources:
            self.reload()


def _one_field_per_update(groups: Iterable[Group]) -> Iterator[Group]:
    """Updates a field at a time: edits made within one second are separate steps, each marked on its own."""
    for group in groups:
        if group.action == "update" and len(group.rows) > 1:
            yield from (Group([row]) for row in group.rows)
        else:
            yield group
