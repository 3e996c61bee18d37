"""The reports list (search, open, edit, delete) and the report form (new, pasted or edited reports).

``ReportsDialog`` is the Reports list: type to search titles and publishers,
Up/Down to move, Enter opens the report in the reader, Shift+Enter shows its
claims in the table (the ``report:`` filter), F2 edits it, Delete deletes it
(undoable: its claims keep their text and lose only their report and quote),
Ctrl+N adds one. ``ReportForm`` creates or edits one report; the text of a
report that claims quote cannot change (the store refuses, and the form says so).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.capture.drafts import ReportDraft
from desktop.core.read.reports import ReportRow, list_reports, read_report, report_spans
from desktop.core.text import blank, one_line
from desktop.ui.commands.keymap import REPORTS_LIST_KEYS
from desktop.ui.dialogs._base import DialogTextEdit, FormDialog
from desktop.ui.dialogs.source_dialog import create_source_into
from desktop.ui.session import WorkspaceSession
from desktop.ui.widgets.basics import format_date, parse_date, plain_label, problem_label, show_problem
from desktop.ui.widgets.workspace_pickers import source_picker


class ReportForm(FormDialog):
    """``ReportForm(session, parent, report_id=None, draft=None)``; after Accepted, ``report_id`` is the report."""

    def __init__(
        self,
        session: WorkspaceSession,
        parent: QWidget | None = None,
        *,
        report_id: int | None = None,
        draft: ReportDraft | None = None,
    ) -> None:
        super().__init__("Edit report" if report_id is not None else "New report", parent, ok_text="Save report")
        self.session = session
        self.report_id = report_id
        self.title = QLineEdit()
        self.publisher = source_picker(session)
        self.publisher.setPlaceholderText("who published it — type a name…")
        # A first report often comes from a publisher the workspace does not hold yet: its name typed
        # without a match goes on to "New source…" (Alt+N from anywhere in the form), which creates it.
        self.new_source = QPushButton("&New source…")
        self.new_source.clicked.connect(lambda: create_source_into(self.publisher, session, self))
        self.publisher.unmatched_next = self.new_source
        publisher_row = QHBoxLayout()
        publisher_row.addWidget(self.publisher, 1)
        publisher_row.addWidget(self.new_source)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…")
        self.published = QLineEdit()
        self.published.setPlaceholderText("YYYY-MM-DD")
        self.language = QLineEdit()
        self.language.setPlaceholderText("e.g. en, uk, ru")
        self.text = DialogTextEdit(lines=12)
        self.text.setPlaceholderText("The report's own words, verbatim (Shift+Enter: new line)")
        # A pasted report needs its date and publisher: they come first after the title, so the
        # analyst types the date, Tab, the publisher's name, Enter.
        for label, widget in (
            ("Title", self.title),
            ("Published", self.published),
            ("Publisher", self.publisher),
            ("URL", self.url),
            ("Language", self.language),
            ("Text", self.text),
        ):
            self.form.addRow(plain_label(label), publisher_row if widget is self.publisher else widget)
            widget.setAccessibleName(label)
        # Tab goes field to field as the form reads; "New source…" comes last, and straight after the
        # publisher only when the name typed there matched nobody.
        chain = (self.title, self.published, self.publisher, self.url, self.language, self.text, self.new_source)
        for before, after in zip(chain, chain[1:], strict=False):
            self.setTabOrder(before, after)
        self._original: dict[str, Any] = {}
        if report_id is not None:
            with session.engine.connect() as connection:
                report = read_report(connection, report_id)
                quoted = bool(report_spans(connection, report_id))
            if report is not None:
                self._fill(report.title, report.source_id, report.url, report.published, report.language, report.text)
                if quoted:
                    self.text.setReadOnly(True)
                    self.text.setToolTip("Claims quote this text: it is kept verbatim.")
        elif draft is not None:
            self._fill(draft.title, None, draft.url, draft.published, draft.language, draft.text)
        self._original = self._values_or_none() or {}
        self.setMinimumWidth(640)
        (self.title if report_id is not None or draft is None else self.published).setFocus()

    def _fill(
        self, title: str, source: int | None, url: str | None, published: Any, language: str | None, text: str
    ) -> None:
        self.title.setText(title)
        self.title.setCursorPosition(0)  # a long title reads from its start
        if source is not None:
            self.publisher.set_value(source)
        self.url.setText(url or "")
        self.url.setCursorPosition(0)
        self.published.setText(format_date(published))
        self.language.setText(language or "")
        self.text.setPlainText(text)

    def _values_or_none(self) -> dict[str, Any] | None:
        try:
            published = parse_date(self.published.text())
        except ValueError as error:
            self.show_problem(f"Published: {error}.")
            return None
        return {
            "title": self.title.text().strip(),
            "source_id": self.publisher.value(),
            "url": self.url.text().strip() or None,
            "published": published,
            "language": self.language.text().strip() or None,
            "text": self.text.toPlainText().strip(),
        }

    def apply(self) -> bool:
        values = self._values_or_none()
        if values is None:
            self.published.setFocus()
            return False
        if blank(values["title"]):
            self.show_problem("Give the report a title.")
            self.title.setFocus()
            return False
        if self.report_id is None:
            title = values.pop("title")
            outcome = self.session.perform(
                lambda store: store.create_report(title, **values), f"add report “{one_line(title, 40)}”"
            )
            if outcome.ok:
                self.report_id = outcome.value
        else:
            changes = {k: v for k, v in values.items() if self._original.get(k) != v}
            ident = self.report_id
            outcome = self.session.perform(
                lambda store: store.update_report(ident, **changes), f"edit report “{one_line(values['title'], 40)}”"
            )
        if not outcome.ok:
            self.show_problem(outcome.message)
            return False
        return True


class ReportsDialog(QDialog):
    """The Reports list; after it closes, ``chosen`` is (action, report id) or None.

    Actions: ``open`` (Enter) and ``claims`` (Shift+Enter). Editing, deleting and
    adding happen inside the dialog, each one undoable step.
    """

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reports")
        self.session = session
        self.chosen: tuple[str, int] | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("search titles and publishers, any script")
        self.search.setAccessibleName("Search reports")
        self.list = QTreeWidget()  # a list with columns: the title, its publisher, date and claims each readable
        self.list.setAccessibleName("Reports")
        self.list.setColumnCount(len(_COLUMNS))
        self.list.setHeaderLabels(list(_COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the title takes what the others leave
        for column in range(1, len(_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.problem = problem_label(self)
        keys = plain_label(REPORTS_LIST_KEYS)
        keys.setWordWrap(True)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.problem)
        layout.addWidget(keys)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.search.installEventFilter(self)
        self.list.installEventFilter(self)
        # A bound method, not a lambda: Qt drops the connection with the dialog (a lambda outlived
        # it, and the next change anywhere refreshed a deleted list: an error dialog).
        session.changed.connect(self._on_changed)
        self.refresh()
        self._fit(parent)
        self.search.setFocus()

    def _fit(self, parent: QWidget | None) -> None:
        """As wide as the rows need (each title whole), within nine tenths of the window; never cramped."""
        frame = parent.window().geometry() if parent is not None else None
        screen = (parent.screen() if parent is not None else QGuiApplication.primaryScreen()).availableGeometry()
        room_w = int(0.9 * (frame.width() if frame is not None else screen.width()))
        room_h = int(0.8 * (frame.height() if frame is not None else screen.height()))
        header = self.list.header()
        columns = sum(max(self.list.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(len(_COLUMNS)))
        scroll = self.list.verticalScrollBar().sizeHint().width()
        margins = self._layout.contentsMargins()
        wanted = columns + scroll + 2 * self.list.frameWidth() + margins.left() + margins.right() + 16
        height = max(min(room_h, 720), min(520, screen.height()))
        self.resize(max(min(wanted, room_w), min(760, screen.width())), height)

    def _on_changed(self, _change: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        keep = self.current()
        with self.session.engine.connect() as connection:
            rows = list_reports(connection, self.search.text())
        self.list.clear()
        items = []
        for row in rows:
            item = QTreeWidgetItem(_cells(row))
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(0, row.title)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
        self.list.addTopLevelItems(items)
        ids = [row.id for row in rows]
        self._select_row(ids.index(keep) if keep in ids else 0)

    def _select_row(self, row: int) -> None:
        item = self.list.topLevelItem(row)
        if item is not None:
            self.list.setCurrentItem(item)

    def current(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(0, Qt.ItemDataRole.UserRole))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and _ours(event)
            and not (event.key() == Qt.Key.Key_Delete and self._search_has_text_after_cursor())
        ):
            event.accept()  # the list's own keys: no shortcut of the window behind may take them
            return True
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._key(event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, modifiers = Qt.Key(event.key()), event.modifiers()
        control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        count = self.list.topLevelItemCount()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and count:
            step = 1 if key == Qt.Key.Key_Down else -1
            current = self.list.currentItem()
            at = -1 if current is None else self.list.indexOfTopLevelItem(current)
            self._select_row(max(0, min(count - 1, at + step)))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.current() is not None:
                shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                self.chosen = ("claims" if shift else "open", self.current())  # type: ignore[assignment]
                self.accept()
            return True
        if key == Qt.Key.Key_F2:
            self._edit(self.current())
            return True
        if key == Qt.Key.Key_N and control:
            self._edit(None)
            return True
        if key == Qt.Key.Key_Delete and self.current() is not None and not self._search_has_text_after_cursor():
            self._delete(self.current())
            return True
        return False

    def _search_has_text_after_cursor(self) -> bool:
        # Delete inside the typed search edits it, as in any text field; at its end (or with it
        # empty) there is nothing to edit, and Delete deletes the highlighted report (undoable).
        # (The field, having focus, claims the key from any shortcut itself.)
        return self.search.hasFocus() and self.search.cursorPosition() < len(self.search.text())

    def _edit(self, report_id: int | None) -> None:
        form = ReportForm(self.session, self, report_id=report_id)
        form.exec()
        form.deleteLater()
        self.refresh()
        self.search.setFocus()

    def _delete(self, report_id: int | None) -> None:
        if report_id is None:
            return
        outcome = self.session.perform(lambda store: store.delete_report(report_id), "delete report")
        show_problem(self.problem, outcome.message)


_OWN_KEYS = frozenset(
    {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2, Qt.Key.Key_Delete}
)


def _ours(event: QKeyEvent) -> bool:
    """A key ``ReportsDialog._key`` answers."""
    control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
    return Qt.Key(event.key()) in _OWN_KEYS or (control and event.key() == Qt.Key.Key_N)


_COLUMNS = ("Title", "Publisher", "Published", "Claims")


def _cells(row: ReportRow) -> list[str]:
    return [
        one_line(row.title, 160),
        one_line(row.source_name, 60) if row.source_name else "no publisher",
        format_date(row.published) if row.published else "",
        str(row.claims),
    ]
