"""The capture commands: reports list, paste as report, reader keys, claims from spans, related claims.

Like ``commands.review``, they act through the ``CommandHost`` seam plus the
parts of the window they drive (the table to select claims in, the reader, the
related list); every write is one ``session.perform`` (one undo step).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter

from desktop.core.capture import CaptureError, draft_from_paste, segments
from desktop.core.capture.dates import event_day
from desktop.core.errors import UserError
from desktop.core.read.reports import claim_quote, places_named_in
from desktop.core.text import one_line
from desktop.ui.commands.host import CommandHost
from desktop.ui.commands.keymap import key_of, undo_keys
from desktop.ui.dialogs._base import FormDialog
from desktop.ui.reader.originator import OriginatorDialog
from desktop.ui.reader.pane import ReaderPane
from desktop.ui.reader.related import RelatedList
from desktop.ui.reader.reports import ReportForm, ReportsDialog
from desktop.ui.table.view import ClaimTable

MAX_CLAIM_FROM_SPAN = 20_000


class CaptureCommands(QObject):
    def __init__(
        self,
        host: CommandHost,
        table: ClaimTable,
        reader: ReaderPane,
        related: RelatedList,
        show_filter: Callable[[str], None],
        reveal_reader: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.table = table
        self.reader = reader
        self.related = related
        self.show_filter = show_filter
        self.reveal_reader = reveal_reader
        self.last_made: int | None = None  # the claim the reader made last: what O acts on by default
        for name, slot in {
            "reports.list": self.list_reports,
            "reports.paste": self.paste_report,
            "reader.focus": self.focus_reader,
            "reader.close": self.close_reader,
            "claim.open_report": self.open_claims_report,
            "reader.sentence": lambda: self._select("sentence"),
            "reader.paragraph": lambda: self._select("paragraph"),
            "reader.next_paragraph": lambda: self.move_paragraph(forward=True),
            "reader.prev_paragraph": lambda: self.move_paragraph(forward=False),
            "reader.claim": self.claim_from_selection,
            "reader.originator": self.switch_to_originator,
            "reader.next_span": lambda: self.move_span(forward=True),
            "reader.prev_span": lambda: self.move_span(forward=False),
            "related.focus": self.focus_related,
            "related.corroborates": lambda: self.link_suggestion("corroborates"),
            "related.contradicts": lambda: self.link_suggestion("contradicts"),
            "related.neutral": lambda: self.link_suggestion("neutral"),
            "related.repeats": lambda: self.link_suggestion("repeats"),
            "related.dismiss": self.dismiss_suggestion,
            "related.open": self.open_suggestion,
        }.items():
            host.bind(name, slot)

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.host.session

    # --- reports --------------------------------------------------------------------------------

    def list_reports(self) -> None:
        dialog = ReportsDialog(self.session, self.host.dialog_parent())
        dialog.exec()
        chosen = dialog.chosen
        dialog.deleteLater()
        self.host.after_dialog()
        if chosen is None:
            return
        action, report = chosen
        if action == "claims":
            with self.session.engine.connect() as connection:
                from desktop.core.read.reports import read_report

                found = read_report(connection, report)
            if found is not None:
                self.show_filter(f"report:{found.ext_id}")
                self.host.hint(f"Claims taken from “{one_line(found.title, 60)}”.")
            return
        self.open_report(report)

    def open_report(self, report: int, span: tuple[int, int] | None = None) -> None:
        self.reveal_reader()
        if not self.reader.show_report(report, span):
            raise UserError("that report no longer exists")
        self.reader.text.setFocus()
        self.host.hint(
            f"Reading. {key_of('reader.sentence')} sentence, {key_of('reader.paragraph')} paragraph; "
            f"{key_of('reader.claim')} makes a claim of the selection."
        )

    def paste_report(self) -> None:
        pasted = QGuiApplication.clipboard().text()
        try:
            draft = draft_from_paste(pasted)
        except CaptureError as error:
            raise UserError(f"cannot paste a report: {error}") from None
        form = ReportForm(self.session, self.host.dialog_parent(), draft=draft)
        accepted = form.exec() == FormDialog.DialogCode.Accepted
        report = form.report_id
        form.deleteLater()
        self.host.after_dialog()
        if accepted and report is not None:
            self.open_report(report)

    def focus_reader(self) -> None:
        if self.reader.report is None:
            self.list_reports()
            return
        self.reveal_reader()
        self.reader.text.setFocus()

    def close_reader(self) -> None:
        """Hide the reader: the table takes its width back, and the keyboard returns to it."""
        if not self.reader.isVisible():
            self.host.hint(f"The reader is closed; {key_of('reader.focus')} opens it again.")
            return
        splitter = self.reader.parentWidget()
        if isinstance(splitter, QSplitter) and (at := splitter.indexOf(self.reader)) > 0:
            sizes = splitter.sizes()
            sizes[at - 1], sizes[at] = sizes[at - 1] + sizes[at], 0  # the table, left of it, takes its width
            self.reader.hide()
            splitter.setSizes(sizes)
        else:
            self.reader.hide()
        self.host.back_to_table()
        self.host.hint(f"Reader closed; {key_of('reader.focus')} opens it again on the same report.")

    def open_claims_report(self) -> None:
        claim = self.host.current_claim()
        if claim is None:
            raise UserError("no claim selected")
        with self.session.engine.connect() as connection:
            report, start, end = claim_quote(connection, claim)
        if report is None:
            raise UserError("this claim was not captured from a report")
        self.open_report(report, None if start is None or end is None else (start, end))

    # --- the reader -----------------------------------------------------------------------------

    def _select(self, unit: str) -> None:
        if not self.reader.select_unit(unit):
            raise UserError(f"no report open ({key_of('reports.list')} lists them)")

    def move_paragraph(self, *, forward: bool) -> None:
        if self.reader.report is None:
            raise UserError(f"no report open ({key_of('reports.list')} lists them)")
        if not self.reader.move_paragraph(forward):  # a hint, not an error: the reader keeps the keyboard
            self.host.hint("This is the last paragraph." if forward else "This is the first paragraph.")

    def claim_from_selection(self) -> None:
        report = self.reader.report
        if report is None:
            raise UserError(f"no report open ({key_of('reports.list')} lists them)")
        span = self.reader.selection()
        if span is None:
            raise UserError(
                f"select some text first ({key_of('reader.sentence')} sentence, "
                f"{key_of('reader.paragraph')} paragraph, or Shift and the arrows)"
            )
        start, end = span
        twin = next((s for s in self.reader.spans if (s.start, s.end) == span), None)
        if twin is not None:  # C pressed twice, or the same sentence selected again: not a second claim
            raise UserError(
                f"this selection is already claim {twin.ext_id} ({twin.source_name}); "
                f"{key_of('reader.sentence')} selects the next sentence"
            )
        words = " ".join(report.text[start:end].split())
        if len(words) > MAX_CLAIM_FROM_SPAN:
            raise UserError("the selection is too long for one claim; select a sentence or two")
        source = report.source_id
        if source is None:
            source = self._ask_originator(report.text[start:end], None)
            if source is None:
                return
        with self.session.engine.connect() as connection:
            places = places_named_in(connection, report.text[start:end])  # for the map and place: filters
        # "On Wednesday", "вчора", "3 March": the event's day, read against the report's (which is when it
        # was claimed); the pane shows it and the hint says where it came from, to be corrected if wrong.
        dated = event_day(report.text[start:end], report.published)
        fields: dict[str, object] = {
            "report_id": report.id,
            "quote_start": start,
            "quote_end": end,
            "claimed": report.published,
            "places": [ident for ident, _name in places],
        }
        if dated is not None:
            fields |= {"event_start": dated.day, "event_precision": "day"}
        outcome = self.session.perform(
            lambda store: store.create_claim(words, source, **fields), f"add claim “{one_line(words, 40)}”"
        )
        if not outcome.ok:
            return
        claim = int(outcome.value)
        self.last_made = claim
        if not self.table.select_claim(claim):
            self.session.set_current(claim)  # hidden by the filter: still the current claim
        self.reader.current_claim = claim
        self.reader.text.setFocus()
        named = f" Places named in it: {', '.join(name for _ident, name in places)}." if places else ""
        when = (
            f" Event date {dated.day.isoformat()} from “{one_line(dated.phrase, 30)}” "
            f"({key_of('claim.edit_event_start')} in the table corrects it)."
            if dated is not None
            else ""
        )
        self.host.hint(
            f"Claim made from the selection.{when}{named} {key_of('reader.originator')}: its source is whom the "
            f"report quotes · {key_of('related.focus')} (in the table): related claims."
        )

    def _ask_originator(self, passage: str, publisher: int | None) -> int | None:
        dialog = OriginatorDialog(self.session, passage, publisher, self.host.dialog_parent())
        accepted = dialog.exec() == FormDialog.DialogCode.Accepted
        chosen = dialog.source_id if accepted else None
        dialog.deleteLater()
        self.host.dialog_parent().activateWindow()
        self.reader.text.setFocus()
        return chosen

    def switch_to_originator(self) -> None:
        report = self.reader.report
        if report is None:
            raise UserError(f"no report open ({key_of('reports.list')} lists them)")
        span = self.reader.span_at_cursor()
        claim = span.claim_id if span is not None else self.last_made
        if claim is None:
            raise UserError(
                f"make a claim from a selection first ({key_of('reader.claim')}), "
                f"or move to a captured span ({key_of('reader.next_span')})"
            )
        with self.session.engine.connect() as connection:
            _report, start, end = claim_quote(connection, claim)
        if start is None or end is None:
            raise UserError("that claim has no quote in this report")
        source = self._ask_originator(_passage(report.text, start, end), report.source_id)
        if source is None:
            return
        outcome = self.session.perform(lambda store: store.update_claim(claim, source_id=source), "set originator")
        if outcome.ok:
            self.host.hint("Source switched to the originator the report quotes.")
        self.reader.text.setFocus()

    def move_span(self, *, forward: bool) -> None:
        span = self.reader.move_to_span(forward)
        if span is None:
            raise UserError("no claims have been taken from this report yet")
        if not self.table.select_claim(span.claim_id):
            self.session.set_current(span.claim_id)
        self.reader.text.setFocus()

    # --- related claims -------------------------------------------------------------------------

    def focus_related(self) -> None:
        if not self.related.suggestions:
            raise UserError("no related claims are suggested for this claim")
        self.related.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def link_suggestion(self, relation: str) -> None:
        claim, suggestion = self.related.claim(), self.related.current()
        if claim is None or suggestion is None:
            raise UserError("no suggestion highlighted")
        other = suggestion.claim_id
        outcome = self.session.perform(
            lambda store: store.set_link(claim, other, relation), f"mark {relation} (suggested)"
        )
        if outcome.ok:
            marked = "is neutral on" if relation == "neutral" else relation  # as marking against the pinned claim says
            self.host.hint(f"Marked: the current claim {marked} {suggestion.ext_id} ({undo_keys()} undoes).")
            self._stay_in_related()

    def dismiss_suggestion(self) -> None:
        claim, suggestion = self.related.claim(), self.related.current()
        if claim is None or suggestion is None:
            raise UserError("no suggestion highlighted")
        other = suggestion.claim_id
        outcome = self.session.perform(lambda store: store.dismiss_suggestion(claim, other), "dismiss suggestion")
        if outcome.ok:
            self.host.hint(f"{suggestion.ext_id} will not be suggested for this claim again.")
            self._stay_in_related()

    def _stay_in_related(self) -> None:
        if self.related.suggestions:
            self.related.list.setFocus()
        else:
            self.host.back_to_table()

    def open_suggestion(self) -> None:
        suggestion = self.related.current()
        if suggestion is None:
            raise UserError("no suggestion highlighted")
        if not self.table.select_claim(suggestion.claim_id):
            self.host.clear_filter()
            self.table.select_claim(suggestion.claim_id)
        self.host.back_to_table()


def _passage(text: str, start: int, end: int) -> str:
    """The quote's paragraph and the next one: where a report names whom it quotes."""
    spans = segments.paragraphs(text)
    index = segments.span_at(spans, start)
    if index is None:
        return text[start:end]
    last = min(index + 1, len(spans) - 1)
    return text[spans[index][0] : spans[last][1]]
