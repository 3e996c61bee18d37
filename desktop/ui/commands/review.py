"""The review commands of the main window: move, pin, link, grade, verdict, review, add, edit, delete.

Each command acts on the table's current claim — or, for the bulk actions
(credibility, verdict, reviewed, delete), on every selected claim when several
are selected, as ONE store transaction (``Store.batch``) — writes through
``session.perform`` (one undo step each, none when nothing changed), says what
it did in the status bar and leaves the focus on the table with a current row —
the analyst's hands never leave the home row to find the focus again. A command
that cannot run (nothing pinned, no claim) says why instead of doing nothing
silently. The window is reached only through ``CommandHost``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import sqlalchemy as sa
from PySide6.QtCore import QObject

from desktop.core.errors import UserError
from desktop.core.read.detail import claim_summary
from desktop.core.search.sql import claim as _claim
from desktop.core.store import Result, Store
from desktop.core.text import one_line
from desktop.core.vocab import CREDIBILITY, RELATIONS, VERDICTS
from desktop.ui.commands.host import CommandHost
from desktop.ui.commands.keymap import PIN_FIRST, key_of, link_keys, undo_keys
from desktop.ui.session import Outcome, WorkspaceSession
from desktop.ui.table.view import ClaimTable

_FIELD_KEYS = {
    "claim.edit_text": "text",
    "claim.edit_source": "source",
    "claim.edit_tags": "tags",
    "claim.edit_places": "places",
    "claim.edit_notes": "notes",
    "claim.edit_kind": "kind",
    "claim.edit_claimed": "claimed",
    "claim.edit_event_start": "event_start",
    "claim.edit_event_end": "event_end",
    "claim.edit_event_precision": "event_precision",
    "claim.edit_likelihood": "likelihood",
    "claim.edit_links": "links",
}
_FIELD_MISSING = {
    "links": f"No links yet — pin a claim ({key_of('claim.pin')}), then mark {link_keys()} on another one."
}


class NoClaim(UserError):
    """Raised by a command that needs a current claim when the table shows none."""


class ReviewCommands(QObject):
    def __init__(self, host: CommandHost, table: ClaimTable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.table = table
        slots: dict[str, Callable[[], object]] = {
            "claim.next": lambda: self._move(self.table.move_by, 1),
            "claim.prev": lambda: self._move(self.table.move_by, -1),
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
            slots[f"link.{relation}"] = partial(self.link, relation, ask=False)
            slots[f"link.{relation}.why"] = partial(self.link, relation, ask=True)
        for grade in CREDIBILITY:
            slots[f"grade.{grade}"] = partial(self.grade, grade)
        for verdict in VERDICTS:
            slots[f"verdict.{verdict}"] = partial(self.set_verdict, verdict)
        for name, field in _FIELD_KEYS.items():
            slots[name] = partial(self.edit, field)
        slots["grade.accept_suggested"] = self.accept_suggested
        slots["claim.edit_source_reliability"] = self.edit_source_reliability
        slots["outreach.pending"] = self.pending_requests
        for name, slot in slots.items():
            host.bind(name, slot)

    # --- helpers ------------------------------------------------------------------------------

    @property
    def session(self) -> WorkspaceSession:
        return self.host.session

    def current(self) -> int:
        claim = self.host.current_claim()
        if claim is None:
            empty = self.table.claim_model.rowCount() == 0
            clears = f"no claim in view — {key_of('view.clear_filter')} clears the filter"
            raise NoClaim(clears if empty else "no claim selected")
        return claim

    def targets(self) -> list[int]:
        """The claims a bulk action acts on: the selected ones when several are, else the current one."""
        chosen = self.table.selected_claims()
        return chosen if len(chosen) > 1 else [self.current()]

    def _each(self, claims: list[int], write: Callable[[Store, int], Result], description: str) -> Outcome:
        """``write`` on every claim of ``claims`` as one transaction and one undo step."""
        if len(claims) == 1:
            return self._perform(lambda store: write(store, claims[0]), description)
        many = f"{description} ({len(claims)} claims)"
        writes = [partial(_on_claim, write, c) for c in claims]
        return self._perform(lambda store: store.batch(writes, many), many)

    def summary(self, claim: int, limit: int = 60) -> str:
        with self.session.engine.connect() as connection:
            return claim_summary(connection, claim, limit)

    def _perform(self, write: Callable[[Store], Result], description: str) -> Outcome:
        return self.session.perform(write, description)

    def _move(self, step: Callable[..., object], *args: int) -> None:
        step(*args)
        self.host.back_to_table()

    # --- navigation ---------------------------------------------------------------------------

    def next_unreviewed(self, *, after: int | None = None) -> bool:
        """Select the next unreviewed claim after ``after`` (default: the current one); False if none is left."""
        found = self.table.claim_model.next_unreviewed(after if after is not None else self.table.current_claim())
        if found is None:
            self.host.hint("No unreviewed claim left in this view.")
            self.host.back_to_table()
            return False
        self.table.select_claim(found)
        self.host.back_to_table()
        return True

    def goto_pinned(self) -> None:
        pinned = self.session.pinned
        if pinned is None:
            raise UserError(f"nothing is pinned — {key_of('claim.pin')} pins the current claim")
        if not self.table.select_claim(pinned):
            self.host.clear_filter()  # the filter hides it: show everything rather than fail
            self.table.select_claim(pinned)
            self.host.hint("Filter cleared to show the pinned claim.")
        self.host.back_to_table()

    # --- pin and link -------------------------------------------------------------------------

    def toggle_pin(self) -> None:
        claim = self.current()
        if self.session.pinned == claim:
            self.session.set_pinned(None)
            self.host.hint("Unpinned.")
        else:
            self.session.set_pinned(claim)
            self.host.hint(f"Pinned. Move to another claim and press {link_keys()} to link it to this one.")
        self.host.back_to_table()

    def _pair(self) -> tuple[int, int]:
        pinned = self.session.pinned
        if pinned is None:
            raise UserError(PIN_FIRST)
        claim = self.current()
        if claim == pinned:
            raise UserError("this is the pinned claim — move to another claim to link it")
        return claim, pinned

    def link(self, relation: str, *, ask: bool) -> None:
        claim, pinned = self._pair()
        rationale = ""
        if ask:
            from desktop.ui.dialogs.rationale import ask_rationale

            answer = ask_rationale(
                self.host.dialog_parent(), relation, self.summary(claim, 100), self.summary(pinned, 100)
            )
            self.host.after_dialog()  # some window systems leave nothing active after a modal dialog
            if answer is None:  # cancelled: nothing marked
                return
            rationale = answer
        if self._perform(lambda store: store.set_link(claim, pinned, relation, rationale), f"mark {relation}").ok:
            # Both claims are on show (the current row, the pinned one beside this message): quoting them
            # here pushed the relation and the undo key out of a status bar of ordinary width.
            marked = "is neutral on" if relation == "neutral" else relation
            self.host.hint(f"Marked: the current claim {marked} the pinned claim ({undo_keys()} undoes).")
        self.host.back_to_table()

    def remove_link(self) -> None:
        claim, pinned = self._pair()
        if self.session.store.link_between(claim, pinned) is None:
            if self.session.store.judgements_between(claim, pinned):
                raise UserError("you have no judgement on these two claims: other analysts' judgements stay theirs")
            raise UserError("these two claims are not linked")
        if self._perform(lambda store: store.remove_link(claim, pinned), "remove link").ok:
            self.host.hint(f"Link removed — {undo_keys()} brings it back.")
        self.host.back_to_table()

    # --- grading ------------------------------------------------------------------------------
    # A key pressed on a claim that already has that value changes nothing, and so (by the
    # session's rule) makes no undo step and says nothing.

    def grade(self, grade: int | None) -> None:
        claims = self.targets()
        what = f"credibility {grade}" if grade is not None else "clear credibility"
        if self._each(claims, lambda store, claim: store.update_claim(claim, credibility=grade), what).changed:
            said = f"Credibility {grade} — {CREDIBILITY[grade]}" if grade else "Credibility cleared"
            self.host.hint(f"{said}{_on(claims)}.")
        self.host.back_to_table()

    def accept_suggested(self) -> None:
        """The analyst agrees with the grade the evidence suggests: it becomes theirs (one undo step per claim)."""
        from sqlalchemy import text

        claims = self.targets()

        def accept(store: Store, claim: int) -> Result:
            with store.engine.connect() as connection:
                suggested = connection.execute(
                    text("SELECT suggested_credibility FROM claim WHERE id = :c"), {"c": claim}
                ).scalar_one()
            return store.update_claim(claim, credibility=int(suggested))

        if self._each(claims, accept, "accept suggested credibility").changed:
            self.host.hint(f"Suggested credibility accepted{_on(claims)}.")
        self.host.back_to_table()

    def set_verdict(self, verdict: str | None) -> None:
        claims = self.targets()
        what = f"verdict {verdict}" if verdict else "clear verdict"
        if self._each(claims, lambda store, claim: store.update_claim(claim, verdict=verdict), what).changed:
            self.host.hint(f"{f'Verdict: {verdict}' if verdict else 'Verdict cleared'}{_on(claims)}.")
        self.host.back_to_table()

    # --- review -------------------------------------------------------------------------------

    def review_and_next(self) -> None:
        claims = self.targets()
        outcome = self._each(claims, lambda store, claim: store.update_claim(claim, reviewed=True), "mark reviewed")
        if not outcome.ok:
            self.host.back_to_table()
            return
        if len(claims) > 1:  # a bulk mark stays on the selection: the analyst chose those rows
            self.host.hint(f"Marked {len(claims)} claims reviewed — {undo_keys()} undoes.")
            self.host.back_to_table()
            return
        self.next_unreviewed(after=claims[0])

    def unreview(self) -> None:
        claims = self.targets()
        outcome = self._each(
            claims, lambda store, claim: store.update_claim(claim, reviewed=False), "mark not reviewed"
        )
        if outcome.changed:
            self.host.hint(f"Marked not reviewed{_on(claims)}.")
        self.host.back_to_table()

    def request_comment(self) -> None:
        from desktop.ui.dialogs.outreach import OutreachDialog

        claim = self.current()
        dialog = OutreachDialog(self.session, [claim], self.host.dialog_parent())
        try:
            if dialog.exec() == OutreachDialog.DialogCode.Accepted:
                self.host.hint("Request for comment recorded.")
        finally:
            dialog.deleteLater()
        self.host.after_dialog()

    def pending_requests(self) -> None:
        """The list of unanswered requests for comment; Enter there goes to the claim asked about."""
        from desktop.ui.dialogs.pending_outreach import PendingRequestsDialog

        dialog = PendingRequestsDialog(self.session, self.host.dialog_parent())
        try:
            chosen = dialog.chosen_claim if dialog.exec() == PendingRequestsDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
        self.host.after_dialog()
        if chosen is not None:
            if not self.table.select_claim(chosen):
                self.host.clear_filter()  # the filter hides it: show everything rather than fail
                self.table.select_claim(chosen)
                self.host.hint("Filter cleared to show the claim asked about.")
            self.host.back_to_table()

    def edit_source_reliability(self) -> None:
        """The source form of the current claim's source, its reliability focused (one undo step if changed)."""
        from desktop.ui.dialogs.source_dialog import SourceDialog

        claim = self.current()
        with self.session.engine.connect() as connection:
            source_id = connection.execute(sa.select(_claim.c.source_id).where(_claim.c.id == claim)).scalar()
        if source_id is None:
            raise NoClaim("The current claim is gone.")
        dialog = SourceDialog(self.session, self.host.dialog_parent(), source_id=int(source_id))
        dialog.reliability.setFocus()
        try:
            if dialog.exec() == SourceDialog.DialogCode.Accepted:
                self.host.hint("Source saved.")
        finally:
            dialog.deleteLater()
        self.host.after_dialog()

    # --- add, edit, delete --------------------------------------------------------------------

    def add_claim(self) -> None:
        from desktop.ui.dialogs.add_claim import AddClaimDialog

        dialog = AddClaimDialog(self.session, self.host.dialog_parent())
        try:
            accepted = dialog.exec() == AddClaimDialog.DialogCode.Accepted
            created = dialog.created_claim_id
        finally:
            dialog.deleteLater()
        if accepted and created is not None:
            if not self.table.select_claim(created):
                self.host.clear_filter()  # a new claim hidden by the filter would look lost
                self.table.select_claim(created)
            grades = f"{key_of('grade.1')}–{key_of('grade.6')}"
            self.host.hint(
                f"Claim added — grade it ({grades}), pin it ({key_of('claim.pin')}) or link it ({link_keys()})."
            )
        self.host.after_dialog()

    def edit(self, field: str | None = None) -> None:
        self.current()
        if not self.host.edit_field(field):
            if field == "places" and self.host.focus_add_place():  # an empty list: adding is the next step
                back = key_of("view.table")
                self.host.hint(f"No places yet — Enter on “Add place…” adds one; {back} returns to the table.")
            else:
                self.host.hint(_FIELD_MISSING.get(field or "", f"Cannot edit the {field} of this claim here."))
                self.host.back_to_table()
            return
        self.host.hint(f"Editing — Tab moves between fields, {key_of('view.table')} returns to the table.")

    def delete(self) -> None:
        claims = self.targets()
        row = min(self.table.selected_rows(), default=self.table.currentIndex().row())
        what = f"delete “{one_line(self.summary(claims[0], 40), 40)}”" if len(claims) == 1 else "delete"
        if self._each(claims, lambda store, claim: store.delete_claim(claim), what).ok:
            said = f"Deleted {len(claims)} claims" if len(claims) > 1 else "Deleted"
            self.host.hint(f"{said} — {key_of('edit.undo')} (or {key_of('edit.undo', 1)}) to undo.")
            if self.table.current_claim() is None or self.table.current_claim() in claims:
                self.table.select_row(row)
        self.host.back_to_table()


def _on_claim(write: Callable[[Store, int], Result], claim: int, store: Store) -> Result:
    return write(store, claim)


def _on(claims: list[int]) -> str:
    return f" ({len(claims)} claims)" if len(claims) > 1 else ""
