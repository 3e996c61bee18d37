"""The pending requests for comment: who was asked about which claim, by whom, since when; Enter goes to the claim.

The filter ``outreach:pending`` shows the claims; this list shows the requests —
the newsroom's follow-up list — longest waiting first. It follows the workspace
(a request answered meanwhile leaves it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.core.read.pending_outreach import PendingRequest, pending_requests
from desktop.core.text import one_line
from desktop.ui.commands.keymap import PENDING_REQUESTS_KEYS
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import format_date, plain_label


def describe(request: PendingRequest) -> str:
    """Two lines: who was asked, by whom, since when; then the claim."""
    since = f"since {format_date(request.contacted)}" if request.contacted else "date not recorded"
    asker = request.asked_by or "this team"
    head = f"{one_line(request.party, 60)} — asked by {one_line(asker, 40)}, {since}"
    return f"{head}\n    [{one_line(request.claim_source, 40)}] {one_line(request.claim_text, 110)}"


class PendingRequestsDialog(QDialog):
    """After Accepted, ``chosen_claim`` is the claim to go to."""

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pending requests for comment")
        self.session = session
        self.chosen_claim: int | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Pending requests for comment")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemActivated.connect(lambda _item: self._go())
        self.empty = plain_label("No request for comment is waiting for an answer.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(plain_label(PENDING_REQUESTS_KEYS))
        self.list.installEventFilter(self)
        # A bound method, not a lambda: Qt drops the connection with the dialog (a lambda outlived
        # it, and the next change anywhere refreshed a deleted list: an error dialog).
        session.changed.connect(self._on_changed)
        self.resize(760, 420)
        self.refresh()
        self.list.setFocus()

    def _on_changed(self, _change: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        keep = self.list.currentRow()
        with self.session.engine.connect() as connection:
            requests = pending_requests(connection)
        self.list.clear()
        for request in requests:
            item = QListWidgetItem(describe(request))
            item.setData(Qt.ItemDataRole.UserRole, request.claim_id)
            self.list.addItem(item)
        self.empty.setVisible(not requests)
        if requests:
            self.list.setCurrentRow(min(max(keep, 0), len(requests) - 1))

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._go()
                return True
        return super().eventFilter(watched, event)

    def _go(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen_claim = int(item.data(Qt.ItemDataRole.UserRole))
            self.accept()
