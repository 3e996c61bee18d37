"""``ReaderPane``: a report's text, read and selected from the keyboard; captured spans highlighted.

The text is shown as plain text only (a ``QPlainTextEdit``, read-only), never
as rich text. Positions in the widget count UTF-16 units while quotes count
code points (DESIGN §3); ``Offsets`` converts, so a report with emoji or other
characters beyond the Basic Multilingual Plane still quotes exactly.

Keys (named commands, see ``commands``): a sentence or paragraph key selects
the one at the cursor and, pressed again, extends the selection by the next
one; Shift+arrows extend as in any text; the next/previous-paragraph keys put
the cursor at a paragraph's start; the next/previous-span keys move through the
spans already captured, selecting each.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from desktop.core.capture import segments
from desktop.core.read.reports import ReportText, Span, read_report, report_spans
from desktop.core.store import Change
from desktop.core.text import one_line
from desktop.ui.commands.keymap import key_of
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import format_date, plain_label

CAPTURED = QColor("#fff1b8")  # a span some claim was taken from
CURRENT = QColor("#ffd257")  # the span of the current claim


_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


class Offsets:
    """Code-point offsets of a text ↔ the UTF-16 positions of the widget showing it."""

    def __init__(self, text: str) -> None:
        # Python indices of the characters that take two UTF-16 units (found by the regex engine: a
        # loop over a 100 kB report in Python cost ~40 ms of opening it).
        self._wide = [match.start() for match in _BEYOND_BMP.finditer(text)]
        self._length = len(text)

    def to_widget(self, index: int) -> int:
        return index + bisect_left(self._wide, index)

    def to_text(self, position: int) -> int:
        low, high = 0, self._length
        while low < high:  # the first index whose widget position is at least ``position``
            middle = (low + high) // 2
            if self.to_widget(middle) < position:
                low = middle + 1
            else:
                high = middle
        return low


class ReaderText(QPlainTextEdit):
    """The text itself: read-only, selectable by keyboard and mouse, never rich text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)
        self.setObjectName("readerText")
        self.setAccessibleName("Report text")


class ReaderPane(QWidget):
    """``ReaderPane(session)``: shows one report (``show_report``) and follows the session's changes."""

    report_changed = Signal(object)  # report id or None

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("readerPane")
        self.title = plain_label("")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.meta = plain_label("")
        self.meta.setWordWrap(True)
        self.text = ReaderText(self)
        self.hint = plain_label("")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.hint)
        self.report: ReportText | None = None
        # The report asked for last: it stays wanted while it is missing (deleted, or not yet recorded
        # at the moment an as-of view shows) and comes back when the workspace has it again.
        self.wanted: int | None = None
        self.spans: list[Span] = []
        self.offsets = Offsets("")
        self.current_claim: int | None = None
        self.text.cursorPositionChanged.connect(self._show_hint)
        session.changed.connect(self._on_changed)
        session.current_changed.connect(self._on_current)

    # --- showing --------------------------------------------------------------------------------

    def show_report(self, report_id: int | None, span: tuple[int, int] | None = None) -> bool:
        """Show ``report_id`` (None: nothing), selecting ``span`` (code points) if given; False if it is gone."""
        report = None
        # The spans' cursors go before the text: every cursor kept on the document is moved by each
        # change of it (and opening one report after another got slower each time).
        self.text.setExtraSelections([])
        self.wanted = report_id
        if report_id is not None:
            with self.session.engine.connect() as connection:
                report = read_report(connection, report_id)
        self.report = report
        if report is None:
            keys = f"{key_of('reports.list')} lists the reports; {key_of('reports.paste')} pastes text as a new report."
            if report_id is None:
                self.title.setText("No report open")
                self.meta.setText(keys)
            else:
                self.title.setText("This report is not in the workspace as shown")
                self.meta.setText(f"Deleted, or not yet recorded at the moment shown; it comes back with it. {keys}")
            self.text.setPlainText("")
            self.spans = []
            self.offsets = Offsets("")
            self.report_changed.emit(None)
            return report_id is None
        self.title.setText(one_line(report.title, 300))
        parts = [report.source_name or "no publisher"]
        if report.published:
            parts.append(format_date(report.published))
        if report.url:
            parts.append(report.url)
        if report.sha256:
            parts.append(f"sha256 {report.sha256[:12]}…")
        self.meta.setText(" · ".join(parts))
        self.text.setPlainText(report.text)  # plain text: markup in a report is shown, never rendered
        self.offsets = Offsets(report.text)
        self._load_spans()
        if span is not None:
            self.select(*span)
        else:
            self.text.moveCursor(QTextCursor.MoveOperation.Start)
        self.report_changed.emit(report.id)
        return True

    def _load_spans(self) -> None:
        if self.report is None:
            self.spans = []
        else:
            with self.session.engine.connect() as connection:
                self.spans = report_spans(connection, self.report.id)
        self._paint()

    def _paint(self) -> None:
        selections = []
        document = self.text.document()
        # Inside an edit block a cursor that moves does not lay out the paragraph it lands in to learn
        # its x (Qt's QTextCursorPrivate::setX): ~1 ms per cursor in a 100 kB report. Nothing is edited.
        batch = QTextCursor(document)
        batch.beginEditBlock()
        try:
            for span in self.spans:
                selection = QTextEdit.ExtraSelection()
                fmt = QTextCharFormat()
                fmt.setBackground(CURRENT if span.claim_id == self.current_claim else CAPTURED)
                selection.format = fmt
                cursor = QTextCursor(document)
                cursor.setPosition(self.offsets.to_widget(span.start))
                cursor.setPosition(self.offsets.to_widget(span.end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selections.append(selection)
        finally:
            batch.endEditBlock()
        self.text.setExtraSelections(selections)
        self._show_hint()

    # --- selection ------------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The selected span in code points, trimmed of white space; None when nothing is selected."""
        cursor = self.text.textCursor()
        if not cursor.hasSelection() or self.report is None:
            return None
        start = self.offsets.to_text(cursor.selectionStart())
        end = self.offsets.to_text(cursor.selectionEnd())
        body = self.report.text
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def select(self, start: int, end: int) -> None:
        cursor = self.text.textCursor()
        cursor.setPosition(self.offsets.to_widget(start))
        cursor.setPosition(self.offsets.to_widget(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    def cursor_index(self) -> int:
        return self.offsets.to_text(self.text.textCursor().position())

    def select_unit(self, unit: str) -> bool:
        """Select the sentence (``unit`` "sentence") or paragraph at the cursor, or extend the selection by one.

        A selection that is exactly a captured span is not extended: the key selects the unit after it.
        """
        if self.report is None:
            return False
        body = self.report.text
        spans = segments.sentences(body) if unit == "sentence" else segments.paragraphs(body)
        cursor = self.text.textCursor()
        current = None
        position = self.cursor_index()
        if cursor.hasSelection():
            current = (self.offsets.to_text(cursor.selectionStart()), self.offsets.to_text(cursor.selectionEnd()))
            if self.selection() in {(span.start, span.end) for span in self.spans}:
                # Just captured (or stepped to with N): the next key press starts the next claim's
                # selection after it, rather than growing a span that already is a claim.
                position = current[1]
                current = None
        found = segments.extend(spans, current, position)
        if found is None:
            return False
        self.select(*found)
        return True

    def move_paragraph(self, forward: bool) -> bool:
        """Put the cursor at the start of the next (previous) paragraph; False when there is none.

        From a selection it moves on from the selection's end (back: its start), so reading down a report
        and claiming as it goes never loses the place. Back from inside a paragraph goes to its own start.
        """
        if self.report is None:
            return False
        cursor = self.text.textCursor()
        here = self.offsets.to_text(cursor.selectionEnd() if forward else cursor.selectionStart())
        starts = [start for start, _end in segments.paragraphs(self.report.text)]
        found = [s for s in starts if s > here] if forward else [s for s in starts if s < here]
        if not found:
            return False
        cursor.setPosition(self.offsets.to_widget(found[0] if forward else found[-1]))
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        return True

    def move_to_span(self, forward: bool) -> Span | None:
        """Select the next (or previous) captured span after (before) the cursor, wrapping around."""
        if not self.spans:
            return None
        cursor = self.text.textCursor()
        here = self.offsets.to_text(cursor.selectionStart() if not forward else cursor.selectionEnd())
        if forward:
            later = [s for s in self.spans if s.start >= here and (s.start, s.end) != self.selection()]
            chosen = later[0] if later else self.spans[0]
        else:
            start = self.offsets.to_text(cursor.selectionStart())
            earlier = [s for s in self.spans if s.start < start]
            chosen = earlier[-1] if earlier else self.spans[-1]
        self.select(chosen.start, chosen.end)
        return chosen

    def span_at_cursor(self) -> Span | None:
        """The captured span the cursor or selection is in (the innermost), if any."""
        selected = self.selection()
        position = selected[0] if selected else self.cursor_index()
        inside = [s for s in self.spans if s.start <= position < s.end or (selected and (s.start, s.end) == selected)]
        return min(inside, key=lambda s: s.end - s.start) if inside else None

    # --- following the session ------------------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        if self.wanted is None:
            return
        if change.everything or change.reports:
            self.show_report(self.wanted, self.selection())
        elif self.report is not None and (change.claims or change.removed_claims or change.added_claims):
            self._load_spans()

    def _on_current(self, claim: object) -> None:
        self.current_claim = claim if isinstance(claim, int) else None
        self._paint()

    def _show_hint(self) -> None:
        if self.report is None:
            self.hint.setText("")
            return
        span = self.span_at_cursor()
        captured = f"{len(self.spans)} claim{'s' if len(self.spans) != 1 else ''} captured"
        if span is not None:
            self.hint.setText(f"{captured} · here: {span.ext_id} ({span.source_name})")
        else:
            keys = (
                f"{key_of('reader.next_paragraph')}/{key_of('reader.prev_paragraph')} next/previous paragraph · "
                f"{key_of('reader.sentence')} sentence · {key_of('reader.paragraph')} paragraph · "
                f"{key_of('reader.claim')} claim from selection · {key_of('reader.next_span')} next captured"
            )
            self.hint.setText(f"{captured} · {keys}")
