"""The evidence graph as a panel of the window: a header, the graph, the selected card's links, buttons.

It follows the session: the current claim's neighbourhood is drawn whenever the
current claim changes or the workspace changes. Enter on a card makes it the
current claim; ``p`` and ``c``/``x``/``n``/``r`` on a card pin it or link it to
the pinned claim through the session, as the table's keys do, so undo covers them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from desktop.core.errors import UserError
from desktop.core.read.detail import claim_summary
from desktop.core.read.neighbourhood import neighbourhood
from desktop.core.status_marks import STATUS_GLYPHS
from desktop.core.store import Change
from desktop.ui.commands.keymap import key_of
from desktop.ui.session import WorkspaceSession
from desktop.ui.views.graph.details import card_details
from desktop.ui.views.graph.scene import DISPUTED_FLAG
from desktop.ui.views.graph.view import EvidenceGraph

HINT = "←→↑↓ move · Enter make current · p pin · c x n r link to pinned · + − zoom · 0 fit · Esc table"


class GraphPanel(QWidget):
    message = Signal(str)  # a line for the status bar
    make_current = Signal(int)  # the window selects this claim in the table

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("graphPanel")
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.graph = EvidenceGraph(self)
        # The selected card's links with every analyst's judgement; read-only, and never takes the keys.
        self.details = QPlainTextEdit()
        self.details.setObjectName("graphDetails")
        self.details.setReadOnly(True)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMaximumHeight(QFontMetrics(self.details.font()).lineSpacing() * 7 + 12)
        fit = QPushButton("Fit (0)")
        fit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        fit.clicked.connect(self.graph.fit)
        export = QPushButton("Export SVG/PNG…")
        export.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        export.clicked.connect(self.export_dialog)
        hint = QLabel(HINT)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setStyleSheet("color: palette(mid);")
        bar = QHBoxLayout()
        bar.addWidget(hint, 1)
        bar.addWidget(fit)
        bar.addWidget(export)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.header)
        column.addWidget(self.graph, 1)
        column.addWidget(self.details)
        column.addLayout(bar)
        self.graph.activated.connect(self._activate)
        self.graph.pin_requested.connect(self._pin)
        self.graph.link_requested.connect(self._link)
        self.graph.selection_moved.connect(self._show_details)
        session.current_changed.connect(lambda _claim: self.refresh())
        session.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        """Redraw around the session's current claim (keeping the selected card when it is still there)."""
        keep = self.graph.selected()
        claim = self.session.current
        if claim is None:
            self.header.setText("No claim selected: choose one in the table to see its evidence.")
            self.graph.show_neighbourhood(None)
            self.details.clear()
            return
        with self.session.engine.connect() as connection:
            hood = neighbourhood(connection, claim)
            summary = claim_summary(connection, claim, 120)
        if hood is None:
            self.header.setText("This claim no longer exists.")
            self.graph.show_neighbourhood(None)
            self.details.clear()
            return
        counts = {role: len(hood.by_role(role)) for role in ("supporter", "contradictor", "neutral", "echo")}
        disputed = sum(1 for edge in hood.edges if edge.disputed)
        self.header.setText(
            f"{STATUS_GLYPHS.get(hood.status, '·')} {hood.status} — {summary}\n"
            f"{len(hood.members)} in its assertion · {counts['supporter']} supporting · "
            f"{counts['contradictor']} contradicting · {counts['neutral']} neutral · {counts['echo']} echoes set aside"
            + (
                f" · {DISPUTED_FLAG} analysts disagree on {disputed} link{'s' if disputed != 1 else ''}"
                if disputed
                else ""
            )
        )
        self.graph.show_neighbourhood(hood, keep)

    def _show_details(self, claim: int) -> None:
        hood = self.graph.hood
        self.details.setPlainText(card_details(hood, claim) if hood is not None else "")

    def _on_changed(self, change: Change) -> None:
        hood = self.graph.hood
        if hood is None or change.everything or change.sources or change.links or set(change.claims) & set(hood.nodes):
            self.refresh()
        elif self.session.current is not None and self.session.current in change.claims:
            self.refresh()

    def _activate(self, claim: int) -> None:
        self.make_current.emit(claim)

    def _pin(self, claim: int) -> None:
        self.session.set_pinned(None if self.session.pinned == claim else claim)
        self.message.emit("Pinned." if self.session.pinned == claim else "Unpinned.")

    def _link(self, claim: int, relation: str) -> None:
        pinned = self.session.pinned
        if pinned is None:
            self.message.emit("Pin a claim first (p on a card, or in the table), then link other claims to it.")
            return
        if pinned == claim:
            self.message.emit("This is the pinned claim — select another card to link it.")
            return
        if self.session.perform(lambda store: store.set_link(claim, pinned, relation, ""), f"mark {relation}"):
            self.message.emit(f"Marked {relation} → the pinned claim ({key_of('edit.undo')} undoes).")

    def export_dialog(self) -> None:
        if self.graph.hood is None:
            self.message.emit("Nothing to export: no claim selected.")
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export evidence graph", str(Path.home() / "evidence-graph.svg"), "SVG (*.svg);;PNG image (*.png)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".svg", ".png"):
            target = target.with_suffix(".svg")
        try:
            self.graph.export(target)
        except UserError as error:
            self.message.emit(str(error))
            return
        self.message.emit(f"Graph exported to {target}")
