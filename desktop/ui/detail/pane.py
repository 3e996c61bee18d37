"""The detail pane: the current claim in full, editable, with its status explained.

It shows ``session.current`` and follows the session: ``current_changed``
loads another claim, ``changed`` reloads this one when a write touched it (or a
claim its explanation quotes), and a deleted claim leaves an empty state.

Every edit is one ``session.perform`` (one undo step) and only when the value
really changed (see ``field_editors``). A refresh never overwrites a field the
analyst is typing in. The edits themselves live in ``detail_edits``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.read.detail import ClaimDetail, claim_detail
from desktop.core.store import Change
from desktop.core.text import one_line
from desktop.core.vocab import CREDIBILITY
from desktop.ui.commands.keymap import key_of, link_keys
from desktop.ui.detail.edits import DetailEdits
from desktop.ui.detail.form import SectionGrid, compact, hbox
from desktop.ui.detail.status_block import StatusBlock
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import (
    CREDIBILITY_CHOICES,
    KIND_CHOICES,
    LIKELIHOOD_CHOICES,
    PRECISION_CHOICES,
    VERDICT_CHOICES,
    ElidedLabel,
    day_hint,
    format_date,
    is_web_url,
    plain_label,
    plain_tooltip,
    problem_label,
)
from desktop.ui.widgets.field_editors import ChoiceCombo, CommitLineEdit, CommitTextEdit
from desktop.ui.widgets.lists import LinkList, OutreachList, PlaceList
from desktop.ui.widgets.workspace_pickers import report_picker, source_picker

NO_CLAIM = "No claim selected"
DELETED = "This claim was deleted"


class DetailPane(QScrollArea, DetailEdits):
    """``DetailPane(session, parent=None)``: a scrollable view and editor of ``session.current``."""

    #: Names accepted by ``focus_field``, in Tab order.
    FIELDS = (
        "text",
        "kind",
        "tags",
        "reviewed",
        "source",
        "report",
        "claimed",
        "event_start",
        "event_end",
        "event_precision",
        "places",
        "credibility",
        "likelihood",
        "verdict",
        "links",
        "outreach",
        "notes",
    )

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        QScrollArea.__init__(self, parent)
        self.session = session
        self._claim_id: int | None = None
        self._detail: ClaimDetail | None = None
        self._analyst: str | None = None  # whose judgements alone the status block explains (None: everyone's)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the fields
        self.problems: dict[str, QLabel] = {}
        self._build()
        self._connect_edits()
        session.changed.connect(self._on_changed)
        session.current_changed.connect(self._on_current_changed)
        session.workspace_replaced.connect(self._close_pickers)
        session.workspace_replaced.connect(self._follow_read_only)
        self.show_claim(session.current)

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        content = QWidget()
        content.setObjectName("detailContent")
        outer = QVBoxLayout(content)
        outer.setContentsMargins(0, 0, 0, 0)
        self.empty = plain_label(NO_CLAIM, wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMinimumHeight(120)
        self.empty.setEnabled(False)  # drawn in the palette's disabled (muted) colour
        self.body = QWidget()
        outer.addWidget(self.empty)
        outer.addWidget(self.body)
        outer.addStretch(1)
        self.setWidget(content)
        g = self.grid = SectionGrid(self.body)

        g.section("Status")
        self.status = StatusBlock()
        g.full(self.status)
        self.identity = plain_label(wrap=True)
        self.identity.setEnabled(False)
        g.full(self.identity)

        g.section("Claim")
        self.text = CommitTextEdit(enter_commits=True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 5 + 14)
        self.text.setToolTip("Enter saves · Shift+Enter: new line · Esc: undo typing")
        g.row("Text", self.text, tall=True)
        self._problem_row("text")
        self.kind = ChoiceCombo(KIND_CHOICES)
        g.row("Kind", self.kind)
        self.tags = CommitLineEdit()
        self.tags.setPlaceholderText("comma-separated")
        g.row("Tags", self.tags)
        self.reviewed = QCheckBox("Reviewed")
        g.row("", self.reviewed)
        self._problem_row("claim")

        g.section("Source")
        # Searching pickers: a workspace may hold thousands of sources and hundreds of thousands of reports,
        # so they hold only the value shown and query the database (a page at a time) when opened.
        self.source = source_picker(self.session)
        self.edit_source = compact(QPushButton("Edit…"))
        self.edit_source.setToolTip("Edit this source (name, side, group, reliability…)")
        g.row("Source", hbox(self.source, self.edit_source))
        self.source_facts = plain_label(wrap=True)
        g.under(self.source_facts)
        self.source_url = ElidedLabel()
        self.source_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_source = compact(QPushButton("Open"))
        g.row("Source URL", hbox(self.source_url, self.open_source))
        self.report = report_picker(self.session, lambda: self._detail.source.id if self._detail else None)
        g.row("Report", self.report)
        self.report_url = ElidedLabel()
        self.report_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_report = compact(QPushButton("Open"))
        g.row("Report URL", hbox(self.report_url, self.open_report))
        self._problem_row("source")

        g.section("Dates")
        self.claimed = self._date_field("Claimed", "YYYY-MM-DD — when the source asserted it")
        # An event's day as Add claim takes it: a date or a phrase counted from the claimed date, the day
        # it stands for shown under the field as it is typed.
        self.day_hints: dict[str, QLabel] = {}
        self.event_start = self._date_field("Event start", "when it happened: 2022-12-14, yesterday, 3 March…")
        self._day_hint_row("event_start")
        self.event_end = self._date_field("Event end", "empty = a single day or open")
        self._day_hint_row("event_end")
        self.event_precision = ChoiceCombo(PRECISION_CHOICES)
        g.row("Precision", self.event_precision)
        self._problem_row("dates")

        g.section("Places")
        self.places = PlaceList()
        self.places_empty = plain_label("No places.")
        self.add_place = QPushButton("Add place…")
        g.row("Places", self.places, tall=True)
        g.under(self.places_empty)
        g.under(self._right(self.add_place, hint="Delete removes the selected place"))
        self._problem_row("places")

        g.section("Grading")
        self.credibility = ChoiceCombo(CREDIBILITY_CHOICES)
        self.suggested = plain_label(wrap=True)
        self.use_suggested = compact(QPushButton("Use 6"))
        self.use_suggested.setToolTip("Set the credibility to the suggested grade")
        g.row("Credibility", hbox(self.credibility, self.use_suggested))
        g.under(self.suggested)
        self.likelihood = ChoiceCombo(LIKELIHOOD_CHOICES)
        self.likelihood.setToolTip("ICD 203 likelihood, for assessments")
        g.row("Likelihood", self.likelihood)
        self.verdict = ChoiceCombo(VERDICT_CHOICES)
        g.row("Verdict", self.verdict)
        self._problem_row("grading")

        g.section("Links")
        self.links = LinkList()
        self.links_empty = plain_label(
            f"No links yet. Pin a claim ({key_of('claim.pin').upper()}), select another, then mark {link_keys()}.",
            wrap=True,
        )
        g.full(self.links)
        g.full(self.links_empty)
        self.links_hint = plain_label("Enter: go to the other claim · Delete: remove the link", wrap=True)
        self.links_hint.setEnabled(False)
        g.full(self.links_hint)
        self._problem_row("links")

        g.section("Outreach")
        self.outreach = OutreachList()
        self.outreach_empty = plain_label("Nobody has been asked for comment about this claim.", wrap=True)
        self.request_comment = QPushButton("Request comment…")
        g.full(self.outreach)
        g.full(self.outreach_empty)
        g.full(self._right(self.request_comment, hint="Enter: edit · Delete: delete"))
        self._problem_row("outreach")

        g.section("Notes")
        self.notes = CommitTextEdit(enter_commits=False)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 6 + 14)
        self.notes.setToolTip("Saved when you leave the field or press Ctrl+Enter")
        g.full(self.notes)
        self._problem_row("notes")
        g.finish()
        for button in self.body.findChildren(QPushButton):
            # Outside a dialog a button takes only Space; in this keyboard-driven pane Enter presses it too.
            button.setAutoDefault(True)

    def _date_field(self, label: str, placeholder: str) -> CommitLineEdit:
        field = CommitLineEdit()
        field.setPlaceholderText(placeholder)
        self.grid.row(label, field)
        return field

    def _day_hint_row(self, name: str) -> None:
        hint = plain_label("")
        hint.setEnabled(False)  # muted, like the pane's other hints
        hint.setVisible(False)
        self.day_hints[name] = hint
        self.grid.under(hint)
        editor: CommitLineEdit = getattr(self, name)
        editor.textChanged.connect(lambda _text: self._show_day_hint(name))

    def _show_day_hint(self, name: str) -> None:
        """The day a phrase typed in event start or end stands for, counted from the claim's claimed date."""
        editor: CommitLineEdit = getattr(self, name)
        shown = day_hint(editor.text(), self._detail.claimed if self._detail is not None else None)
        self.day_hints[name].setText(shown)
        self.day_hints[name].setVisible(bool(shown))

    def _problem_row(self, name: str) -> None:
        label = problem_label()
        self.problems[name] = label
        self.grid.under(label)

    @staticmethod
    def _right(button: QPushButton, hint: str) -> QWidget:
        holder = QWidget()
        caption = plain_label(hint, wrap=True)
        caption.setEnabled(False)
        holder.setLayout(hbox(caption, button))
        return holder

    # --- public API ---------------------------------------------------------------------------

    @property
    def claim_id(self) -> int | None:
        """The claim on display (also while it shows as deleted)."""
        return self._claim_id

    @property
    def detail(self) -> ClaimDetail | None:
        return self._detail

    def empty_message(self) -> str | None:
        """``"No claim selected"`` / ``"This claim was deleted"`` when no claim is shown, else None."""
        return None if self._detail is not None else self.empty.text()

    def focus_first_field(self) -> None:
        """Put the cursor in the claim text (Enter in the table)."""
        self.focus_field("text")

    def focus_field(self, name: str) -> bool:
        """Focus the editor of field ``name`` (one of ``FIELDS``); False if unknown or no claim is shown."""
        widget = getattr(self, name, None) if name in self.FIELDS else None
        if self._detail is None or not isinstance(widget, QWidget) or not widget.isVisible():
            return False
        if name == "text":
            self.verticalScrollBar().setValue(0)  # the status above the text is worth seeing
        # Not a Tab/shortcut focus reason: those make a line edit select all, and the next key would
        # replace the field. Jumping to a field means "edit it", so the cursor goes to the end instead.
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if widget is self.tags:
            # Editing the tags is nearly always adding one: typing starts a new tag after the separator the
            # field shows them with (``parse_labels`` splits on the comma).
            self.tags.open_for_next_item(", ")
        elif widget in (self.claimed, self.event_start, self.event_end):
            # A date is one value: a jump to it is nearly always to give another, so it is selected whole and
            # typing replaces it (an arrow key keeps it and moves the cursor, as in any selected field).
            widget.selectAll()
        elif isinstance(widget, QLineEdit):
            widget.end(False)
        elif isinstance(widget, QPlainTextEdit):
            widget.moveCursor(QTextCursor.MoveOperation.End)
        self.ensureWidgetVisible(widget)
        return True

    def focus_add_place(self) -> bool:
        """Focus "Add place…" (the next step on a claim without places); False when it is not shown."""
        if self._detail is None or not self.add_place.isVisible():
            return False
        self.add_place.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ensureWidgetVisible(self.add_place)
        return True

    def set_analyst(self, analyst: str | None) -> None:
        """Explain statuses as ``analyst`` sees them (their judgements alone), or as everyone's (None)."""
        self._analyst = analyst
        self.reload()

    def show_claim(self, claim_id: int | None) -> None:
        """Show ``claim_id`` (normally driven by ``session.current_changed``)."""
        self._claim_id = claim_id
        self.reload()

    def reload(self) -> None:
        if self._claim_id is None:
            self._show_empty(NO_CLAIM)
            return
        with self.session.engine.connect() as connection:
            detail = claim_detail(connection, self._claim_id, self._analyst)
        if detail is None:
            self._show_empty(DELETED)
        else:
            previous = self._detail.id if self._detail is not None else None
            self._show(detail, force=previous != detail.id)

    # --- following the session ----------------------------------------------------------------

    def _on_current_changed(self, claim_id: int | None) -> None:
        self.flush()  # an edit in progress belongs to the claim it was typed for
        self.clear_problems()
        self.show_claim(claim_id)

    def _on_changed(self, change: Change) -> None:
        if self._claim_id is None:
            return
        if self._claim_id in change.removed_claims:
            self._show_empty(DELETED)
            return
        touched = change.claims | change.added_claims | change.status_changed
        related = self._detail.related_claims if self._detail is not None else frozenset()
        if (
            change.everything
            or change.sources
            or change.places
            or change.reports
            or self._claim_id in touched
            or related & (touched | change.removed_claims)
        ):
            self.reload()

    def _close_pickers(self) -> None:
        self.source.hidePopup()
        self.report.hidePopup()

    # --- showing ------------------------------------------------------------------------------

    def _show_empty(self, message: str) -> None:
        self._close_pickers()
        self._detail = None
        had_focus = self.body.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        undo = f"\n\nUndo ({key_of('edit.undo')}) brings it back."
        self.empty.setText(message + (undo if message == DELETED else ""))
        self.empty.setVisible(True)
        self.body.setVisible(False)
        if had_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # not into whatever Qt picks next

    def _show(self, d: ClaimDetail, *, force: bool = False) -> None:
        """Fill every field; ``force`` (another claim) overwrites even the field being typed in."""
        if force:
            self._close_pickers()  # a search begun for another claim
        self._detail = d
        self.empty.setVisible(False)
        self.body.setVisible(True)
        self.status.show_detail(d)
        recorded = d.recorded.strftime("%Y-%m-%d %H:%M UTC") if d.recorded else "unknown"
        self.identity.setText(f"{d.ext_id} · recorded {recorded}")

        self.text.set_value(d.text, replace=force)
        self.kind.set_value(d.kind)
        self.tags.set_value(", ".join(d.tags), replace=force)
        self.reviewed.setChecked(d.reviewed)

        src = d.source
        self.source.set_value(src.id, src.short_label())
        self.source.setToolTip(plain_tooltip(src.label))
        facts = [src.kind, f"group {src.group_label}" if src.group_label else "no group"]
        if src.aliases:
            facts.append("also " + ", ".join(one_line(a, 40) for a in src.aliases))
        self.source_facts.setText(" · ".join(facts))
        self._show_url(self.source_url, self.open_source, src.url)
        self.report.set_value(d.report.id if d.report else None, d.report.label if d.report else None)
        self.report.setToolTip(plain_tooltip(d.report.label) if d.report else "")
        self._show_url(self.report_url, self.open_report, d.report.url if d.report else None)

        self.claimed.set_value(format_date(d.claimed), replace=force)
        self.event_start.set_value(format_date(d.event_start), replace=force)
        self.event_end.set_value(format_date(d.event_end), replace=force)
        for name in self.day_hints:  # a phrase still being typed, counted from a claimed date that moved
            self._show_day_hint(name)
        self.event_precision.set_value(d.event_precision)

        self.places.set_places(d.places)
        self.places.setVisible(bool(d.places))
        self.places_empty.setVisible(not d.places)

        self.credibility.set_value(d.credibility)
        suggested = d.suggested_credibility
        self.suggested.setText(f"suggested: {suggested} ({d.status}) — {CREDIBILITY[suggested]}")
        self.use_suggested.setText(f"Use {suggested}")
        self.use_suggested.setEnabled(d.credibility != suggested)
        self.likelihood.set_value(d.likelihood)
        self.likelihood.setEnabled(d.kind == "assessment" or d.likelihood is not None)
        self.verdict.set_value(d.verdict)

        self.links.set_links(d.links, d.derivation)
        self.links.setVisible(bool(d.links))
        self.links_hint.setVisible(bool(d.links))
        self.links_empty.setVisible(not d.links)
        self.outreach.set_outreach(d.outreach)
        self.outreach.setVisible(bool(d.outreach))
        self.outreach_empty.setVisible(not d.outreach)
        self.notes.set_value(d.notes, replace=force)
        self._follow_read_only()
        focus = QApplication.focusWidget()
        if force and not (focus is not None and self.isAncestorOf(focus)):
            # Another claim, looked at from the table: its status (at the top) first, wherever an
            # earlier edit left the pane scrolled.
            self.verticalScrollBar().setValue(0)

    def _follow_read_only(self) -> None:
        """While the window shows a read-only workspace (an earlier moment, the statuses as one analyst sees
        them), the fields show their values and take no typing or choice: the edit would only be refused.
        Text can still be selected and copied; the Open buttons still open. Editable again when it is over."""
        locked = self.session.read_only is not None
        for typed in (self.text, self.tags, self.claimed, self.event_start, self.event_end, self.notes):
            typed.setReadOnly(locked)
        for chosen in (self.kind, self.reviewed, self.source, self.edit_source, self.report, self.event_precision,
                       self.add_place, self.credibility, self.verdict, self.request_comment):  # fmt: skip
            chosen.setEnabled(not locked)
        if locked:  # when editable, ``_show`` enables these by the claim's values
            self.use_suggested.setEnabled(False)
            self.likelihood.setEnabled(False)

    @staticmethod
    def _show_url(label: ElidedLabel, button: QPushButton, url: str | None) -> None:
        label.set_full_text(url or "—")
        button.setEnabled(is_web_url(url))
        button.setToolTip("Open in the browser" if is_web_url(url) else "Only http(s) addresses open")
