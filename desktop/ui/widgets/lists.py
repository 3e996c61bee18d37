"""The lists of the detail pane: the claim's places, its links, and the requests for comment about it.

Each list only shows and asks; the pane performs the writes. Keys on the focused
item: Delete (or Backspace) asks to remove it, Enter asks to open it (a link
jumps to the claim at its other end). Esc is never taken, so it still returns
focus to the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidgetItem, QWidget

from desktop.core.corroboration import Derivation
from desktop.core.read.detail import LinkInfo, OutreachInfo, PlaceInfo
from desktop.core.text import one_line
from desktop.ui.widgets.basics import plain_tooltip
from desktop.ui.widgets.fitted_list import FittedList

_ROLE = Qt.ItemDataRole.UserRole
_NO_SELECTION = QItemSelectionModel.SelectionFlag.NoUpdate


class _ItemList(FittedList):
    """A fitted list whose items carry a record; Delete / Enter on the current item emit signals."""

    remove_requested = Signal(object)
    open_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, max_rows: int = 12) -> None:
        super().__init__(parent, max_rows=max_rows)
        self.setSelectionMode(FittedList.SelectionMode.SingleSelection)
        self.itemDoubleClicked.connect(lambda item: self.open_requested.emit(item.data(_ROLE)))

    def current_record(self) -> Any:
        item = self.currentItem()
        return None if item is None else item.data(_ROLE)

    def records(self) -> list[Any]:
        return [self.item(i).data(_ROLE) for i in range(self.count())]

    def _fill(self, rows: Sequence[tuple[str, Any, str | None]]) -> None:
        """Replace the items, keeping the current row (by position) so a refresh does not lose the place."""
        row = self.currentRow()
        self.clear()
        for text, record, tooltip in rows:
            item = QListWidgetItem(text)
            item.setData(_ROLE, record)
            if tooltip:
                item.setToolTip(plain_tooltip(tooltip))
            self.addItem(item)
        if self.count():
            flag = QItemSelectionModel.SelectionFlag.ClearAndSelect if self.hasFocus() else _NO_SELECTION
            self.setCurrentRow(min(max(row, 0), self.count() - 1), flag)
        self.fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        record = self.current_record()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and record is not None:
            self.remove_requested.emit(record)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and record is not None:
            self.open_requested.emit(record)
            event.accept()
            return
        super().keyPressEvent(event)


class PlaceList(_ItemList):
    """The claim's places; records are ``PlaceInfo``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_rows=8)
        self.setAccessibleName("Places")

    def set_places(self, places: Sequence[PlaceInfo]) -> None:
        self._fill([(place.label, place, None) for place in places])


def link_text(link: LinkInfo, derivation: Derivation | None = None) -> str:
    """Two lines: ``→ corroborates  [Source] claim…`` and the rationale, analyst and time."""
    note = ""
    if not link.effective:
        note = "   (superseded: a later judgement on this pair counts)"
    elif derivation is not None:
        if link.id in {e.link for e in derivation.echoes}:
            note = "   (echo: set aside)"
        elif link.id in derivation.internal_links:
            note = "   (inside this assertion: ignored)"
    if link.disputed:
        note += "   ⚑ analysts disagree"
    indent = "" if link.effective else "      "  # listed under the pair's effective judgement
    first = (
        f"{indent}{link.arrow} {link.phrase}  [{one_line(link.other_source, 50)}] {one_line(link.other_text, 90)}{note}"
    )
    details = []
    if link.rationale:
        details.append(f"“{one_line(link.rationale, 110)}”")
    who = " · ".join(
        part for part in (link.analyst, link.recorded.strftime("%Y-%m-%d %H:%M") if link.recorded else "") if part
    )
    if who:
        details.append(who)
    return first + ("\n    " + " — ".join(details) if details else "")


class LinkList(_ItemList):
    """The claim's links; records are ``LinkInfo``. Enter jumps to the other claim, Delete removes the link."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_rows=14)
        self.setAccessibleName("Links")

    def set_links(self, links: Sequence[LinkInfo], derivation: Derivation | None = None) -> None:
        rows = []
        for link in links:
            tooltip = f"{link.phrase} {link.other_ext_id}: {link.other_text}"
            if link.rationale:
                tooltip += f"\n\nRationale: {link.rationale}"
            rows.append((link_text(link, derivation), link, tooltip))
        self._fill(rows)


def outreach_text(item: OutreachInfo) -> str:
    contacted = f"contacted {item.contacted.isoformat()}" if item.contacted else "not yet contacted"
    first = f"{item.status} · {one_line(item.party, 80)} · {contacted}"
    if len(item.about) > 1:
        first += f" · about {len(item.about)} claims"
    if item.response:
        return first + f"\n    response: “{one_line(item.response, 120)}”"
    return first


class OutreachList(_ItemList):
    """Requests for comment about the claim; records are ``OutreachInfo``. Enter edits, Delete deletes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_rows=8)
        self.setAccessibleName("Requests for comment")

    def set_outreach(self, items: Sequence[OutreachInfo]) -> None:
        self._fill([(outreach_text(item), item, item.response) for item in items])
