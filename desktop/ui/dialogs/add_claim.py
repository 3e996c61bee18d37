"""Adding a claim from the keyboard: text, who said it, where it was found, when, where, how credible.

The event date is optional and takes what a capture reads in a passage ("yesterday", "on Wednesday",
"3 March", "14.12.2022", or YYYY-MM-DD), counted from the claimed date (``capture.dates.typed_day``);
the day it stands for is shown beside it as it is typed.

Creating a missing source or place from inside this dialog is its own undoable
step, done when its small dialog is accepted — so cancelling the claim keeps
the new source (it is real information about the world) and Ctrl+Z removes it
like any other edit. The claim itself is one more step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.core.capture.dates import typed_day
from desktop.core.read.detail import PlaceInfo, read_places, report_info
from desktop.core.text import blank, one_line
from desktop.ui.dialogs._base import DialogTextEdit, FormDialog
from desktop.ui.dialogs.place_picker import PlacePickerDialog
from desktop.ui.dialogs.source_dialog import create_source_into
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import (
    CREDIBILITY_CHOICES,
    KIND_CHOICES,
    day_hint,
    format_date,
    parse_date,
    plain_label,
)
from desktop.ui.widgets.field_editors import ChoiceCombo
from desktop.ui.widgets.lists import PlaceList
from desktop.ui.widgets.workspace_pickers import report_picker, source_picker


class AddClaimDialog(FormDialog):
    """``AddClaimDialog(session, parent)``; after ``exec()`` returns Accepted, ``created_claim_id`` is the claim.

    The dialog does not change the session's current claim: the caller decides
    (the main window selects the new claim).
    """

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__("Add claim", parent, ok_text="Add claim")
        self.session = session
        self.created_claim_id: int | None = None

        self.text = DialogTextEdit(lines=4)
        self.text.setPlaceholderText("What does the source assert? (Shift+Enter: new line)")
        self.source = source_picker(session)
        self.source.setPlaceholderText("choose who asserts it — type a name…")
        self.new_source = QPushButton("&New source…")
        self.new_source.clicked.connect(self._create_source)
        self.source.unmatched_next = self.new_source  # a name without a match: creating it is the next step
        self.report = report_picker(session, self.source.value)  # the chosen source's reports first
        self.kind = ChoiceCombo(KIND_CHOICES)
        self.kind.set_value("event")
        # Claims are usually entered from one report at a time: the date last used, not today's.
        self.claimed = QLineEdit(format_date(session.last_claimed or dt.date.today()))
        self.claimed.setPlaceholderText("YYYY-MM-DD — when the source asserted it")
        self._claimed_typed = False
        self.claimed.textEdited.connect(lambda _text: setattr(self, "_claimed_typed", True))
        self.report.picked.connect(self._report_chosen)
        self.event_date = QLineEdit()
        self.event_date.setPlaceholderText("optional — when it happened: 2022-12-14, yesterday, Wednesday, 3 March…")
        self.event_day_shown = plain_label("")  # the day a phrase stands for, as it is typed
        self.event_date.textChanged.connect(self._show_event_day)
        self.claimed.textChanged.connect(self._show_event_day)
        self.places = PlaceList()
        self.add_place = QPushButton("Add place…")
        self.add_place.clicked.connect(self._pick_place)
        self.places.remove_requested.connect(self._remove_place)
        self.credibility = ChoiceCombo(CREDIBILITY_CHOICES)
        self.credibility.set_value(None)

        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(self.new_source)
        event_row = QHBoxLayout()
        event_row.addWidget(self.event_date, 1)
        event_row.addWidget(self.event_day_shown)
        places_box = QVBoxLayout()
        places_box.addWidget(self.places)
        places_row = QHBoxLayout()
        self.places_hint = plain_label("none yet — Delete removes the selected place")
        places_row.addWidget(self.places_hint, 1)
        places_row.addWidget(self.add_place)
        places_box.addLayout(places_row)
        for label, field in (
            ("Text", self.text),
            ("Source", source_row),
            ("Report", self.report),
            ("Kind", self.kind),
            ("Claimed", self.claimed),
            ("Event date", event_row),
            ("Places", places_box),
            ("Credibility", self.credibility),
        ):
            self.form.addRow(plain_label(label), field)
        for name, widget in (
            ("Claim text", self.text),
            ("Source", self.source),
            ("Report", self.report),
            ("Kind", self.kind),
            ("Claimed", self.claimed),
            ("Event date", self.event_date),
            ("Places", self.places),
            ("Credibility", self.credibility),
        ):
            widget.setAccessibleName(name)
        # Tab goes field to field as the form reads; "New source…" (Alt+N) comes last, after the fields,
        # and straight after the source only when the name typed there matched nobody.
        chain = (self.text, self.source, self.report, self.kind, self.claimed, self.event_date, self.places,
                 self.add_place, self.credibility, self.new_source)  # fmt: skip
        for before, after in zip(chain, chain[1:], strict=False):
            self.setTabOrder(before, after)
        self._place_ids: list[int] = []
        self._place_info: dict[int, PlaceInfo] = {}
        self._show_places()
        self.setMinimumWidth(560)
        self.text.setFocus()

    # --- choices ------------------------------------------------------------------------------

    def _report_chosen(self, report: Any) -> None:
        """A claim found in a report was claimed when the report was published (unless a date was typed)."""
        if report is None or self._claimed_typed:
            return
        with self.session.engine.connect() as connection:
            found = report_info(connection, int(report))
        if found is not None and found.published is not None:
            self.claimed.setText(format_date(found.published))

    def _show_event_day(self, _text: str = "") -> None:
        """Beside a phrase ("yesterday", "3 March"), the day it stands for; nothing for a plain date or a typo."""
        try:
            claimed = parse_date(self.claimed.text())
        except ValueError:
            claimed = None
        self.event_day_shown.setText(day_hint(self.event_date.text(), claimed))

    def _create_source(self) -> None:
        create_source_into(self.source, self.session, self)

    def _pick_place(self) -> None:
        dialog = PlacePickerDialog(self.session, self, exclude=self._place_ids)
        if dialog.exec() == FormDialog.DialogCode.Accepted and dialog.chosen_place_id is not None:
            self._place_ids.append(dialog.chosen_place_id)
            with self.session.engine.connect() as connection:
                self._place_info.update((p.id, p) for p in read_places(connection, [dialog.chosen_place_id]))
            self._show_places()
        dialog.deleteLater()
        self.add_place.setFocus()

    def _remove_place(self, place: Any) -> None:
        self._place_ids = [p for p in self._place_ids if p != place.id]
        self._show_places()

    def _show_places(self) -> None:
        self.places.set_places([self._place_info[p] for p in self._place_ids if p in self._place_info])
        self.places.setVisible(bool(self._place_ids))
        self.places_hint.setText("Delete removes the selected place" if self._place_ids else "none yet")

    def place_ids(self) -> list[int]:
        return list(self._place_ids)

    # --- accepting ----------------------------------------------------------------------------

    def apply(self) -> bool:
        text = self.text.toPlainText().strip()
        if blank(text):  # a pasted zero-width space is as empty as nothing
            self.show_problem("Write what the source claims.")
            self.text.setFocus()
            return False
        source = self.source.value()
        if source is None:
            self.show_problem("Choose the source that made this claim (or create it with “New source…”).")
            self.source.setFocus()
            return False
        try:
            claimed = parse_date(self.claimed.text())
        except ValueError as error:
            self.show_problem(f"Claimed: {error}.")
            self.claimed.setFocus()
            return False
        try:
            event = typed_day(self.event_date.text(), claimed)
        except ValueError as error:
            self.show_problem(f"Event date: {error}.")
            self.event_date.setFocus()
            return False
        fields: dict[str, Any] = {
            "report_id": self.report.value(),
            "kind": self.kind.value(),
            "claimed": claimed,
            "places": list(self._place_ids),
            "credibility": self.credibility.value(),
        }
        if event is not None:  # a day, as a capture records the day its passage names
            fields |= {"event_start": event, "event_precision": "day"}
        outcome = self.perform(
            self.session, lambda store: store.create_claim(text, source, **fields), f"add claim “{one_line(text, 40)}”"
        )
        if outcome is None:
            return False
        self.created_claim_id = outcome.value
        self.session.last_claimed = claimed
        return True
