"""The review commands of the main window: move, pin, link, grade, verdict, review, add, edit, delete.

Each command acts on the table's current claim, writes through
``session.perform`` (one undo step each), says what it did in the status bar
and leaves the focus on the table with a current row — the analyst's hands
never leave the home row to find the focus again. A command that cannot run
(nothing pinned, no claim) says why instead of doing nothing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import text

from desktop.core.errors import UserError
from desktop.core.read.detail import claim_summary
from desktop.core.text import one_line
from desktop.core.vocab import CREDIBILITY, RELATIONS, VERDICTS

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow

_FIELD_KEYS = {
    "claim.edit_text": "text",
    "claim.edit_source": "source",
    "claim.edit_tags": "tags",
    "claim.edit_places": "places",
    "claim.edit_notes": "notes",
    "claim.edit_links": "links",
}
_FIELD_MISSING = {"links": "No links yet — pin a claim (p), then mark c / x / n / r on another one."}


class NoClaim(UserError):
    """Raised by a command that needs a current claim when the table shows none."""


class ReviewCommands(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.table = window.table
        slots: dict[str, Callable[[], None]] = {
            "claim.next": lambda: self._move(self.table.move, 1),
            "claim.prev": lambda: self._move(self.table.move, -1),
            "claim.first": lambda: self._move(self.table.first),
            "claim.last": lambda: self._move(self.table.last),
            "claim.next_unreviewed": self.next_unreviewed,
            "claim.goto_pinned": self.goto_pinned,
            "claim.pin": self.toggle_pin,
            "link.remove": self.remove_link,
            "grade.clear": lambda: self.grade(None),
            "verdict.clear": lambda: self.set_verdict(None),
            "claim.review": self.review_and_next,
            "claim.unreview": self.unreview,
            "claim.outreach": self.request_comment,
            "claim.add": self.add_claim,
            "claim.edit": self.edit,
            "claim.delete": self.delete,
        }
        for relation in RELATIONS:
            slots[f"link.{relation}"] = lambda r=relation: self.link(r, ask=False)
            slots[f"link.{relation}.why"] = lambda r=relation: self.link(r, ask=True)
        for grade in CREDIBILITY:
            slots[f"grade.{grade}"] = lambda g=grade: self.grade(g)
        for verdict in VERDICTS:
            slots[f"verdict.{verdict}"] = lambda v=verdict: self.set_verdict(v)
        for name, field in _FIELD_KEYS.items():
            slots[name] = lambda f=field: self.edit(f)
        for name, slot in slots.items():
            window.actions[name].triggered.connect(window.guarded(slot))

    # --- helpers ------------------------------------------------------------------------------

    def current(self) -> int:
        claim = self.table.current_claim()
        if claim is None:
            empty = self.table.claim_model.rowCount() == 0
            raise NoClaim("no claim in view — Ctrl+Shift+F clears the filter" if empty else "no claim selected")
        return claim

    def summary(self, claim: int, limit: int = 60) -> str:
        with self.session.engine.connect() as connection:
            return claim_summary(connection, claim, limit)

    def _value(self, claim: int, column: str) -> Any:
        # Read straight from the workspace: a repeated key must not push a no-op undo step.
        assert column in ("reviewed", "credibility", "verdict")
        with self.session.engine.connect() as connection:
            row = connection.execute(text(f"SELECT {column} FROM claim WHERE id = :c"), {"c": claim}).first()
        if row is None:
            raise UserError("this claim no longer exists")
        return row[0]

    def _perform(self, write: Callable[[Any], Any], description: str) -> bool:
        return self.session.perform(write, description)

    def _move(self, step: Callable[..., Any], *args: int) -> None:
        step(*args)
        self.window.back_to_table()

    # --- navigation ---------------------------------------------------------------------------

    def next_unreviewed(self, *, after: int | None = None) -> bool:
        """Select the next unreviewed claim after ``after`` (default: the current one); False if none is left."""
        found = self.table.claim_model.next_unreviewed(after if after is not None else self.table.current_claim())
        if found is None:
            self.window.status.hint("No unreviewed claim left in this view.")
            self.window.back_to_table()
            return False
        self.table.select_claim(found)
        self.window.back_to_table()
        return True

    def goto_pinned(self) -> None:
        pinned = self.session.pinned
        if pinned is None:
            raise UserError("nothing is pinned — p pins the current claim")
        if not self.table.select_claim(pinned):
            self.window.clear_filter()  # the filter hides it: show everything rather than fail
            self.table.select_claim(pinned)
            self.window.status.hint("Filter cleared to show the pinned claim.")
        self.window.back_to_table()

    # --- pin and link -------------------------------------------------------------------------

    def toggle_pin(self) -> None:
        claim = self.current()
        if self.session.pinned == claim:
            self.session.set_pinned(None)
            self.window.status.hint("Unpinned.")
        else:
            self.session.set_pinned(claim)
            self.window.status.hint("Pinned. Move to another claim and press c / x / n / r to link it to this one.")
        self.window.back_to_table()

    def _pair(self) -> tuple[int, int]:
        pinned = self.session.pinned
        if pinned is None:
            raise UserError("pin a claim first (p), then link other claims to it")
        claim = self.current()
        if claim == pinned:
            raise UserError("this is the pinned claim — move to another claim to link it")
        return claim, pinned

    def link(self, relation: str, *, ask: bool) -> None:
        claim, pinned = self._pair()
        rationale = ""
        if ask:
            from desktop.ui.dialogs.rationale import ask_rationale

            answer = ask_rationale(self.window, relation, self.summary(claim, 100), self.summary(pinned, 100))
            self.window.activateWindow()  # some window systems leave nothing active after a modal dialog
            if answer is None:  # cancelled: nothing marked
                self.window.back_to_table()
                return
            rationale = answer
        if self._perform(lambda store: store.set_link(claim, pinned, relation, rationale), f"mark {relation}"):
            self.window.status.hint(
                f"{self.summary(claim, 40)} — {relation} → {self.summary(pinned, 40)}   (u / Ctrl+Z undoes)"
            )
        self.window.back_to_table()

    def remove_link(self) -> None:
        claim, pinned = self._pair()
        if self.session.store.link_between(claim, pinned) is None:
            raise UserError("these two claims are not linked")
        if self._perform(lambda store: store.remove_link(claim, pinned), "remove link"):
            self.window.status.hint("Link removed — u / Ctrl+Z brings it back.")
        self.window.back_to_table()

    # --- grading ------------------------------------------------------------------------------

    def grade(self, grade: int | None) -> None:
        claim = self.current()
        if self._value(claim, "credibility") != grade:
            what = f"credibility {grade}" if grade is not None else "clear credibility"
            if self._perform(lambda store: store.update_claim(claim, credibility=grade), what):
                said = f"Credibility {grade} — {CREDIBILITY[grade]}." if grade else "Credibility cleared."
                self.window.status.hint(said)
        self.window.back_to_table()

    def set_verdict(self, verdict: str | None) -> None:
        claim = self.current()
        if self._value(claim, "verdict") != verdict:
            what = f"verdict {verdict}" if verdict else "clear verdict"
            if self._perform(lambda store: store.update_claim(claim, verdict=verdict), what):
                self.window.status.hint(f"Verdict: {verdict}." if verdict else "Verdict cleared.")
        self.window.back_to_table()

    # --- review -------------------------------------------------------------------------------

    def review_and_next(self) -> None:
        claim = self.current()
        if not self._value(claim, "reviewed"):
            if not self._perform(lambda store: store.update_claim(claim, reviewed=True), "mark reviewed"):
                self.window.back_to_table()
                return
        self.next_unreviewed(after=claim)

    def unreview(self) -> None:
        claim = self.current()
        if self._value(claim, "reviewed"):
            self._perform(lambda store: store.update_claim(claim, reviewed=False), "mark not reviewed")
        self.window.back_to_table()

    def request_comment(self) -> None:
        from desktop.ui.dialogs.outreach import OutreachDialog

        claim = self.current()
        dialog = OutreachDialog(self.session, [claim], self.window)
        try:
            if dialog.exec() == OutreachDialog.DialogCode.Accepted:
                self.window.status.hint("Request for comment recorded.")
        finally:
            dialog.deleteLater()
        self.window.after_dialog()

    # --- add, edit, delete --------------------------------------------------------------------

    def add_claim(self) -> None:
        from desktop.ui.dialogs.add_claim import AddClaimDialog

        dialog = AddClaimDialog(self.session, self.window)
        try:
            accepted = dialog.exec() == AddClaimDialog.DialogCode.Accepted
            created = dialog.created_claim_id
        finally:
            dialog.deleteLater()
        if accepted and created is not None:
            if not self.table.select_claim(created):
                self.window.clear_filter()  # a new claim hidden by the filter would look lost
                self.table.select_claim(created)
            self.window.status.hint("Claim added — grade it (1–6), pin it (p) or link it (c / x / n / r).")
        self.window.after_dialog()

    def edit(self, field: str | None = None) -> None:
        self.current()
        detail = self.window.detail
        if field is None:
            detail.focus_first_field()
        elif not detail.focus_field(field):
            add_place = getattr(detail, "add_place", None)
            if field == "places" and isinstance(add_place, QWidget) and add_place.isVisible():
                add_place.setFocus(Qt.FocusReason.ShortcutFocusReason)  # an empty list: adding is the next step
                self.window.status.hint("No places yet — Enter on “Add place…” adds one; Esc returns to the table.")
            else:
                self.window.status.hint(_FIELD_MISSING.get(field, f"Cannot edit the {field} of this claim here."))
                self.window.back_to_table()
            return
        self.window.status.hint("Editing — Tab moves between fields, Esc returns to the table.")

    def delete(self) -> None:
        claim = self.current()
        row = self.table.currentIndex().row()
        label = one_line(self.summary(claim, 40), 40)
        if self._perform(lambda store: store.delete_claim(claim), f"delete “{label}”"):
            self.window.status.hint("Deleted — Ctrl+Z (or u) to undo.")
            if self.table.current_claim() in (None, claim):
                self.window.select_row(row)
        self.window.back_to_table()
