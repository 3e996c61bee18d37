"""The writes of the detail pane: each field's edit as one ``session.perform``, refusals shown inline.

A mixin of ``DetailPane`` (kept apart so each file stays about one thing): it
reads the pane's widgets and its current ``ClaimDetail``, compares the edited
value with the stored one, and writes only a real change — so one field change
is one undo step and re-typing the same value writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QScrollArea, QWidget

from desktop.core.errors import ConnectionLost
from desktop.core.read.detail import ClaimDetail, LinkInfo, OutreachInfo, PlaceInfo
from desktop.core.store import Result, Store
from desktop.core.store.conflicts import Conflict
from desktop.core.text import one_line
from desktop.ui.dialogs.conflict import ask_conflict
from desktop.ui.dialogs.outreach import OutreachDialog
from desktop.ui.dialogs.place_picker import pick_place
from desktop.ui.dialogs.source_dialog import SourceDialog
from desktop.ui.widgets.basics import (
    open_web_url,
    parse_date,
    parse_labels,
    show_problem,
)
from desktop.ui.widgets.field_editors import ChoiceCombo, CommitLineEdit, CommitTextEdit
from desktop.ui.widgets.lists import LinkList, OutreachList, PlaceList
from desktop.ui.widgets.search_picker import SearchPicker

if TYPE_CHECKING:
    from desktop.ui.session import WorkspaceSession

_DATE_NAMES = {"claimed": "claimed date", "event_start": "event start", "event_end": "event end"}
_TYPED_FIELDS = frozenset({"text", "notes", "tags", *_DATE_NAMES})


class DetailEdits:
    session: WorkspaceSession
    _detail: ClaimDetail | None
    problems: dict[str, QLabel]
    text: CommitTextEdit
    notes: CommitTextEdit
    tags: CommitLineEdit
    claimed: CommitLineEdit
    event_start: CommitLineEdit
    event_end: CommitLineEdit
    kind: ChoiceCombo
    source: SearchPicker
    report: SearchPicker
    event_precision: ChoiceCombo
    credibility: ChoiceCombo
    likelihood: ChoiceCombo
    verdict: ChoiceCombo
    reviewed: QCheckBox
    places: PlaceList
    links: LinkList
    outreach: OutreachList
    edit_source: QPushButton
    open_source: QPushButton
    open_report: QPushButton
    add_place: QPushButton
    use_suggested: QPushButton
    request_comment: QPushButton

    def reload(self) -> None: ...

    def _connect_edits(self) -> None:
        self.text.committed.connect(self._commit_text)
        self.notes.committed.connect(self._commit_notes)
        self.tags.committed.connect(self._commit_tags)
        for name in _DATE_NAMES:
            editor: CommitLineEdit = getattr(self, name)
            editor.committed.connect(partial(self._commit_date, name))
        for name in ("kind", "event_precision", "credibility", "likelihood", "verdict", "source", "report"):
            combo: ChoiceCombo | SearchPicker = getattr(self, name)
            combo.picked.connect(partial(self._pick, name))
        self.reviewed.clicked.connect(self._commit_reviewed)
        self.use_suggested.clicked.connect(self._use_suggested)
        self.add_place.clicked.connect(self._add_place)
        self.places.remove_requested.connect(self._remove_place)
        self.links.remove_requested.connect(self._remove_link)
        self.links.open_requested.connect(self._open_link)
        self.outreach.open_requested.connect(self._edit_outreach)
        self.outreach.remove_requested.connect(self._remove_outreach)
        self.request_comment.clicked.connect(self._request_comment)
        self.edit_source.clicked.connect(self._edit_source)
        self.open_source.clicked.connect(lambda: open_web_url(self._detail.source.url if self._detail else None))
        self.open_report.clicked.connect(
            lambda: open_web_url(self._detail.report.url if self._detail and self._detail.report else None)
        )

    # --- the one write path -------------------------------------------------------------------

    def _perform(self, area: str, write: Callable[[Store], Result], description: str) -> bool:
        problem = self.session.perform(write, description).message
        show_problem(self.problems[area], problem)
        return problem is None

    def _update(self, area: str, description: str, seen: dict[str, Any] | None = None, **changes: Any) -> bool:
        """Write ``changes`` to the claim on display, expecting the values its author saw (DESIGN §7).

        ``seen`` overrides what the pane shows for fields typed into (live updates move the pane on
        while the analyst types; the value they started from is what they saw). A conflict shows
        theirs and yours, and the analyst chooses.
        """
        d = self._detail
        if d is None:
            return False
        claim = d.id
        expect = {name: _shown_value(d, name) for name in changes} | (seen or {})
        outcome = self.session.perform(lambda store: store.update_claim(claim, expect=expect, **changes), description)
        if isinstance(outcome.error, Conflict):
            conflict = outcome.error
            use_mine = ask_conflict(self._parent_widget(), conflict, changes.get(conflict.field))
            # Decided either way: the refusal's line in the status bar is past (a new one may follow).
            self.session.error_answered.emit(str(conflict))
            if use_mine:
                expect = expect | {conflict.field: conflict.current}
                return self._perform(
                    area, lambda store: store.update_claim(claim, expect=expect, **changes), description
                )
            show_problem(self.problems[area], None)
            self.reload()  # keep theirs: show the value as it is now
            for name in changes:  # …in the fields typed into too, which a reload leaves as typed
                if (editor := self._typed_editor(name)) is not None:
                    editor.revert()
            return False
        if isinstance(outcome.error, ConnectionLost):
            # The text stays in its field, marked, and is saved when the analyst commits it again once
            # the connection is back — against the value they saw, so the conflict check still holds.
            typed = [editor for name in changes if (editor := self._typed_editor(name)) is not None]
            for editor in typed:
                editor.mark_unsaved("the connection to the workspace was lost")
            if typed:
                show_problem(
                    self.problems[area],
                    "Not saved: the connection to the workspace is lost. Your text stays in the marked field; "
                    "commit it again when the connection is back (Esc takes the stored value).",
                )
                return False
        show_problem(self.problems[area], outcome.message)
        return outcome.message is None

    def _bring_into_view(self, label: QLabel) -> None:
        """Scroll a problem shown below the field being typed in into view (once the layout has placed it)."""
        assert isinstance(self, QScrollArea)
        QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(label) if label.isVisible() else None)

    def _typed_editor(self, name: str) -> CommitLineEdit | CommitTextEdit | None:
        """The editor a field's text is typed in (None for the choices, which keep nothing unsaved)."""
        editor = getattr(self, name, None) if name in _TYPED_FIELDS else None
        return editor if isinstance(editor, (CommitLineEdit, CommitTextEdit)) else None

    def flush(self) -> None:
        """Commit every field with unsaved typing (before another claim is shown)."""
        for editor in (self.text, self.tags, self.claimed, self.event_start, self.event_end, self.notes):
            editor.commit()

    def clear_problems(self) -> None:
        for label in self.problems.values():
            show_problem(label, None)

    # --- text fields --------------------------------------------------------------------------

    def _commit_text(self, value: str) -> None:
        d = self._detail
        value = value.strip()  # surrounding blank lines are never part of what a source said
        if d is None:
            return
        if value == d.text:
            self.text.revert()
            return
        self._update("text", "edit claim text", seen={"text": self.text.seen()}, text=value)

    def _commit_notes(self, value: str) -> None:
        if self._detail is not None and value != self._detail.notes:
            self._update("notes", "edit notes", seen={"notes": self.notes.seen()}, notes=value)

    def _commit_tags(self, value: str) -> None:
        d = self._detail
        tags = parse_labels(value)
        if d is None:
            return
        if tags == list(d.tags):
            self.tags.revert()  # only spacing or a trailing comma changed: show the canonical form
            return
        self._update("claim", "edit tags", tags=tags)

    def _commit_date(self, name: str, value: str) -> None:
        from desktop.core.capture.dates import typed_day  # not at import: capture's package loads SQLAlchemy

        d = self._detail
        if d is None:
            return
        try:
            # The event's days read a phrase as Add claim does, counted from the claimed date; the claimed
            # date itself has nothing to count from.
            date = parse_date(value) if name == "claimed" else typed_day(value, d.claimed)
        except ValueError as error:
            show_problem(self.problems["dates"], f"{_DATE_NAMES[name].capitalize()}: {error}.")
            self._bring_into_view(self.problems["dates"])
            return
        editor: CommitLineEdit = getattr(self, name)
        if date == getattr(d, name):
            editor.revert()
            return
        change: dict[str, Any] = {name: date}
        if self._update("dates", f"edit {_DATE_NAMES[name]}", **change):
            editor.revert()  # "yesterday" saved: the field shows the day it was saved as

    # --- choices ------------------------------------------------------------------------------

    def _pick(self, name: str, value: Any) -> None:
        d = self._detail
        if d is None:
            return
        if name == "source":
            current: Any = d.source.id
            field, area = "source_id", "source"
        elif name == "report":
            current = d.report.id if d.report else None
            field, area = "report_id", "source"
        else:
            current = getattr(d, name)
            field = name
            area = {"kind": "claim", "event_precision": "dates"}.get(name, "grading")
        if value == current:
            return
        combo: ChoiceCombo | SearchPicker = getattr(self, name)
        label = combo.currentText() if value is not None else "none"
        words = {"event_precision": "precision", "source": "source", "report": "report"}.get(name, name)
        if not self._update(area, f"set {words} {one_line(label, 40)}", **{field: value}):
            self.reload()  # show the stored value again in the combo

    def _commit_reviewed(self, checked: bool) -> None:
        d = self._detail
        if d is not None and checked != d.reviewed:
            if not self._update("claim", "mark reviewed" if checked else "mark not reviewed", reviewed=checked):
                self.reload()

    def _use_suggested(self) -> None:
        d = self._detail
        if d is not None and d.credibility != d.suggested_credibility:
            grade = d.suggested_credibility
            self._update("grading", f"set credibility {grade} (suggested)", credibility=grade)

    # --- places, links, outreach, source ------------------------------------------------------

    def _parent_widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def _add_place(self) -> None:
        d = self._detail
        if d is None:
            return
        current = [p.id for p in d.places]
        chosen = pick_place(self.session, self._parent_widget(), exclude=current)
        if chosen is not None and self._detail is not None and chosen not in current:
            self._update("places", "add place", places=[*current, chosen])
        self.add_place.setFocus()

    def _remove_place(self, place: PlaceInfo) -> None:
        d = self._detail
        if d is not None:
            remaining = [p.id for p in d.places if p.id != place.id]
            self._update("places", f"remove place {one_line(place.name, 40)}", places=remaining)
            if not remaining:
                self.add_place.setFocus()  # the list hides when empty

    def _remove_link(self, link: LinkInfo) -> None:
        d = self._detail
        if d is None:
            return
        a, b = d.id, link.other_id
        self._perform("links", lambda store: store.remove_link(a, b), f"remove link ({link.relation})")
        if self._detail is not None and not self._detail.links:
            self.request_comment.setFocus()  # the list hides when empty; keep focus in the pane

    def _open_link(self, link: LinkInfo) -> None:
        self.session.set_current(link.other_id)

    def _request_comment(self) -> None:
        if self._detail is not None:
            dialog = OutreachDialog(self.session, [self._detail.id], self._parent_widget())
            dialog.exec()
            dialog.deleteLater()

    def _edit_outreach(self, item: OutreachInfo) -> None:
        dialog = OutreachDialog(self.session, list(item.about), self._parent_widget(), outreach_id=item.id)
        dialog.exec()
        dialog.deleteLater()

    def _remove_outreach(self, item: OutreachInfo) -> None:
        """Delete the request if it is only about this claim; otherwise take this claim off it."""
        d = self._detail
        if d is None:
            return
        ident = item.id
        party = one_line(item.party, 40)
        if len(item.about) <= 1:
            self._perform("outreach", lambda store: store.delete_outreach(ident), f"delete request to {party}")
            return
        about = [c for c in item.about if c != d.id]
        self._perform(
            "outreach", lambda store: store.update_outreach(ident, about=about), f"take claim off request to {party}"
        )

    def _edit_source(self) -> None:
        if self._detail is not None:
            dialog = SourceDialog(self.session, self._parent_widget(), source_id=self._detail.source.id)
            dialog.exec()
            dialog.deleteLater()


def _shown_value(d: ClaimDetail, name: str) -> Any:
    """The stored value of claim field ``name`` as the pane shows it (what the analyst saw)."""
    if name == "source_id":
        return d.source.id if d.source is not None else None
    if name == "report_id":
        return d.report.id if d.report is not None else None
    if name == "places":
        return [p.id for p in d.places]
    value = getattr(d, name)
    return list(value) if isinstance(value, tuple) else value
