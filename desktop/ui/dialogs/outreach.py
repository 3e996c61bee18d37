"""Recording a request for comment: who was asked, when, about which claims, and what came back.

The newsroom in the reference report asked both ministries for comment; that
move, and the answer (or the silence) later, is one outreach record. The same
dialog edits a record when the response arrives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from desktop.core import vocab
from desktop.core.read.detail import OutreachInfo, claim_summary, outreach_info, search_sources, source_info
from desktop.core.text import blank, one_line
from desktop.ui.dialogs._base import DialogTextEdit, FormDialog
from desktop.ui.dialogs.source_dialog import create_source_into
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import format_date, parse_date, plain_label
from desktop.ui.widgets.field_editors import ChoiceCombo
from desktop.ui.widgets.plain_text import fit_wrap
from desktop.ui.widgets.search_picker import Pick, SearchPicker

STATUS_CHOICES = [(status, status) for status in vocab.OUTREACH_STATUSES]


class OutreachDialog(FormDialog):
    """``OutreachDialog(session, claim_ids, parent, outreach_id=None)``.

    New (``outreach_id`` None): after Accepted, ``outreach_id`` is the created record, about ``claim_ids``.
    Edit: changes party / contacted / status / response of ``outreach_id`` (its claims stay).
    """

    def __init__(
        self,
        session: WorkspaceSession,
        claim_ids: Sequence[int],
        parent: QWidget | None = None,
        outreach_id: int | None = None,
    ) -> None:
        super().__init__("Edit request for comment" if outreach_id else "Request for comment", parent)
        self.session = session
        self.claim_ids = list(claim_ids)
        self.outreach_id = outreach_id
        with session.engine.connect() as connection:
            self._existing: OutreachInfo | None = outreach_info(connection, outreach_id) if outreach_id else None
            about = list(self._existing.about) if self._existing else self.claim_ids
            summaries = [claim_summary(connection, c, 90) for c in about[:5]]
        if len(about) > 5:
            summaries.append(f"… and {len(about) - 5} more")
        self.about = plain_label("\n".join(summaries) or "no claim", wrap=True)
        self.party = QLineEdit()
        self.party.setPlaceholderText("who was asked: a ministry, a spokesperson, a press office…")
        # Who asked: this team (none), or a source that reports having asked (a newsroom's "we asked…").
        self.by = SearchPicker(
            self._search_sources, self._describe_source, none_label="— this team", prompt="who asked"
        )
        # A newsroom that says it asked may not be a source here yet: its name typed without a match goes
        # on to "New source…" (Alt+N), as the other source pickers do.
        self.new_source = QPushButton("&New source…")
        self.new_source.clicked.connect(lambda: create_source_into(self.by, session, self))
        self.by.unmatched_next = self.new_source
        by_row = QHBoxLayout()
        by_row.addWidget(self.by, 1)
        by_row.addWidget(self.new_source)
        self.contacted = QLineEdit(format_date(dt.date.today()))
        self.contacted.setPlaceholderText("YYYY-MM-DD (empty = not yet)")
        self.status = ChoiceCombo(STATUS_CHOICES)
        self.status.set_value("pending")
        self.response = DialogTextEdit(lines=3)
        self.response.setPlaceholderText("what they said, if anything")
        self.form.addRow(plain_label("About"), self.about)
        for label, widget in (
            ("Party", self.party),
            ("Asked by", self.by),
            ("Contacted", self.contacted),
            ("Status", self.status),
            ("Response", self.response),
        ):
            widget.setAccessibleName(label)
            self.form.addRow(plain_label(label), by_row if widget is self.by else widget)
        chain = (self.party, self.by, self.contacted, self.status, self.response, self.new_source)
        for before, after in zip(chain, chain[1:], strict=False):
            self.setTabOrder(before, after)
        if self._existing is not None:
            self.party.setText(self._existing.party)
            self.contacted.setText(format_date(self._existing.contacted))
            self.status.set_value(self._existing.status)
            fit_wrap(self.response, self._existing.response or "")
            self.response.setPlainText(self._existing.response or "")
            if self._existing.by_source_id is not None:
                self.by.set_value(self._existing.by_source_id)
        self.setMinimumWidth(480)
        self.party.setFocus()

    def _search_sources(self, typed: str, limit: int) -> list[Pick]:
        with self.session.engine.connect() as connection:
            return [Pick(s.id, s.short_label()) for s in search_sources(connection, typed, limit)]

    def _describe_source(self, value: Any) -> str | None:
        with self.session.engine.connect() as connection:
            found = source_info(connection, int(value))
        return found.short_label() if found else None

    def apply(self) -> bool:
        party = self.party.text().strip()
        if blank(party):
            self.show_problem("Name the party that was asked for comment.")
            self.party.setFocus()
            return False
        try:
            contacted = parse_date(self.contacted.text())
        except ValueError as error:
            self.show_problem(f"Contacted: {error}.")
            self.contacted.setFocus()
            return False
        values: dict[str, Any] = {
            "contacted": contacted,
            "status": self.status.value(),
            "response": self.response.toPlainText().strip() or None,
            "by_source_id": self.by.value(),
        }
        if self._existing is None:
            about = self.claim_ids
            outcome = self.perform(
                self.session,
                lambda store: store.create_outreach(party, about=about, **values),
                f"request comment from {one_line(party, 40)}",
            )
            if outcome is None:
                return False
            self.outreach_id = outcome.value
            return True
        old = self._existing
        before = {
            "party": old.party,
            "contacted": old.contacted,
            "status": old.status,
            "response": old.response,
            "by_source_id": old.by_source_id,
        }
        ident = old.id
        return self.perform_changes(
            self.session,
            before,
            {"party": party, **values},
            lambda store, changes: store.update_outreach(ident, **changes),
            f"edit request to {one_line(party, 40)}",
        )
