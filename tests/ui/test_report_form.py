"""The report form by keys: a pasted report's publisher can be a new source; its title reads from its start."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text as sa_text

from desktop.core.capture.drafts import draft_from_paste
from desktop.ui.dialogs.source_dialog import SourceDialog
from desktop.ui.reader.reports import ReportForm
from desktop.ui.session import WorkspaceSession
from tests.ui.test_dialogs import answer_next_dialog, opened
from tests.ui.window_fixtures import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE

PASTED = (
    "Fighting around the eastern district continued through the night according to several channels.\n\n"
    "A second paragraph with more detail."
)


def pasted_form(qtbot: QtBot, session: WorkspaceSession) -> ReportForm:
    form = opened(qtbot, ReportForm(session, draft=draft_from_paste(PASTED)))
    assert isinstance(form, ReportForm)
    return form


def test_a_pasted_reports_title_shows_its_start(qtbot: QtBot, empty_session: WorkspaceSession) -> None:
    form = pasted_form(qtbot, empty_session)
    assert form.title.text().startswith("Fighting around")
    assert form.title.cursorPosition() == 0  # its first words in view, not its last


def test_a_publisher_nobody_holds_yet_is_created_from_the_form_by_keys(
    qtbot: QtBot, empty_session: WorkspaceSession
) -> None:
    """Date, Tab, a new publisher's name, Enter: on to "New source…"; Enter opens it with that name; Enter saves."""
    form = pasted_form(qtbot, empty_session)
    assert form.published.hasFocus()
    qtbot.keyClicks(form.published, "2022-12-15")
    qtbot.keyClick(form.published, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.publisher
    qtbot.keyClicks(form.publisher, "Grey Desk")
    popup = form.publisher.popup
    assert popup is not None and popup.matches() == []
    assert "New source" in popup.note.text()  # the note says how to go on, not only that nothing matched
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert form.publisher.popup is None and QApplication.focusWidget() is form.new_source
    assert form.isVisible()
    seen: list[str] = []

    def create(source: Any) -> None:
        assert isinstance(source, SourceDialog)
        seen.append(source.name.text())
        qtbot.keyClick(source.name, Qt.Key.Key_Return)

    answer_next_dialog(qtbot, create)
    qtbot.keyClick(form.new_source, Qt.Key.Key_Return)
    assert seen == ["Grey Desk"]
    assert form.publisher.currentText().startswith("Grey Desk")
    assert form.focusWidget() is form.publisher  # the form's focus is back on the picker
    qtbot.keyClick(form.publisher, Qt.Key.Key_Return)  # the form's default button: save
    assert form.result() == ReportForm.DialogCode.Accepted and form.report_id is not None
    with empty_session.engine.connect() as connection:
        publisher = connection.execute(
            sa_text("SELECT s.name FROM report r JOIN source s ON s.id = r.source_id WHERE r.id = :r"),
            {"r": form.report_id},
        ).scalar()
    assert publisher == "Grey Desk"


def test_tab_from_a_found_publisher_goes_on_to_the_url(qtbot: QtBot, empty_session: WorkspaceSession) -> None:
    empty_session.store.create_source("Newsweek", kind="news-outlet")
    form = pasted_form(qtbot, empty_session)
    form.publisher.setFocus()
    qtbot.keyClicks(form.publisher, "newsw")
    qtbot.keyClick(form.publisher.popup.search, Qt.Key.Key_Tab)  # type: ignore[union-attr]
    assert form.publisher.currentText().startswith("Newsweek")
    assert QApplication.focusWidget() is form.url
