"""The trial run's picker complaints, by keys: Enter chooses only, Tab keeps what was typed, names carry over."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text as sa_text

from desktop.ui.dialogs.add_claim import AddClaimDialog
from desktop.ui.dialogs.place_picker import NewPlaceDialog, PlacePickerDialog
from desktop.ui.dialogs.source_dialog import SourceDialog
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.core._detail_workspace import build
from tests.e2e.test_review_flow import answer_modal, key
from tests.ui.test_dialogs import answer_next_dialog, count, opened, type_text
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def ids(empty_session: WorkspaceSession) -> dict[str, int]:
    return build(empty_session.store)


@pytest.fixture
def dialog(qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]) -> AddClaimDialog:
    opened_dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(opened_dialog, AddClaimDialog)
    opened_dialog.text.setPlainText("Assaults repelled near Opytne.")
    opened_dialog.source.setFocus()
    return opened_dialog


def test_enter_in_the_source_picker_chooses_the_match_and_nothing_more(
    qtbot: QtBot, dialog: AddClaimDialog, ids: dict[str, int]
) -> None:
    qtbot.keyClicks(dialog.source, "Gen")
    popup = dialog.source.popup
    assert popup is not None
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert dialog.source.value() == ids["src:genstaff"] and dialog.source.popup is None
    assert dialog.isVisible() and dialog.created_claim_id is None  # the form stays open for the next field
    assert dialog.source.hasFocus()
    qtbot.keyClick(dialog.source, Qt.Key.Key_Return)  # Enter on the closed picker: the dialog's default button
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created_claim_id is not None


def test_tab_in_a_picker_takes_the_highlighted_match_and_moves_on(
    qtbot: QtBot, dialog: AddClaimDialog, ids: dict[str, int]
) -> None:
    qtbot.keyClicks(dialog.source, "ryb")
    popup = dialog.source.popup
    assert popup is not None
    qtbot.keyClick(popup.search, Qt.Key.Key_Tab)
    assert dialog.source.value() == ids["src:rybar"] and dialog.source.popup is None
    assert QApplication.focusWidget() is dialog.report  # the next field, not "New source…"
    dialog.source.setFocus()
    qtbot.keyClick(dialog.source, Qt.Key.Key_Down)  # opened with nothing typed: Tab keeps the value
    qtbot.keyClick(dialog.source.popup.search, Qt.Key.Key_Down)  # type: ignore[union-attr]
    qtbot.keyClick(dialog.source.popup.search, Qt.Key.Key_Tab)  # type: ignore[union-attr]
    assert dialog.source.value() == ids["src:rybar"]


def test_tab_goes_field_to_field_in_the_order_the_form_reads(
    qtbot: QtBot, dialog: AddClaimDialog, ids: dict[str, int]
) -> None:
    """Source chosen, Tab: Report, Kind, Claimed, Event date, Add place, Credibility; "New source…" after them."""
    qtbot.keyClicks(dialog.source, "Gen")
    qtbot.keyClick(dialog.source.popup.search, Qt.Key.Key_Return)  # type: ignore[union-attr]
    seen = []
    for _ in range(7):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [
        dialog.report,
        dialog.kind,
        dialog.claimed,
        dialog.event_date,
        dialog.add_place,
        dialog.credibility,
        dialog.new_source,
    ]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is dialog.credibility


def test_a_name_without_a_match_is_the_new_sources_name(
    qtbot: QtBot, dialog: AddClaimDialog, empty_session: WorkspaceSession
) -> None:
    qtbot.keyClicks(dialog.source, "Grey Zone")
    popup = dialog.source.popup
    assert popup is not None and popup.matches() == []
    qtbot.keyClick(popup.search, Qt.Key.Key_Tab)  # no match: nothing chosen, on to "New source…"
    assert dialog.source.value() is None and QApplication.focusWidget() is dialog.new_source
    seen: list[str] = []

    def create(source: Any) -> None:
        assert isinstance(source, SourceDialog)
        seen.append(source.name.text())
        qtbot.keyClick(source.name, Qt.Key.Key_Return)

    answer_next_dialog(qtbot, create)
    qtbot.keyClick(dialog.new_source, Qt.Key.Key_Return)  # Enter presses the focused button, as Space does
    assert seen == ["Grey Zone"]
    assert dialog.source.currentText().startswith("Grey Zone") and dialog.isVisible()


def test_enter_on_add_place_opens_the_place_picker(qtbot: QtBot, dialog: AddClaimDialog, ids: dict[str, int]) -> None:
    def pick(picker: Any) -> None:
        assert isinstance(picker, PlacePickerDialog)
        type_text(picker.search, "Бахмут")
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    dialog.add_place.setFocus()
    answer_next_dialog(qtbot, pick)
    qtbot.keyClick(dialog.add_place, Qt.Key.Key_Return)
    assert dialog.place_ids() == [ids["place:bakhmut"]] and dialog.isVisible()
    assert dialog.focusWidget() is dialog.add_place


def test_the_place_picker_closes_with_the_place_new_place_created(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    picker = opened(qtbot, PlacePickerDialog(empty_session))
    assert isinstance(picker, PlacePickerDialog)
    type_text(picker.search, "Pidhorodne")
    assert picker.matches() == []
    seen: list[str] = []

    def create(new: Any) -> None:
        assert isinstance(new, NewPlaceDialog)
        seen.append(new.name.text())
        qtbot.keyClick(new.name, Qt.Key.Key_Return)

    places = count(empty_session, "place")
    qtbot.keyClick(picker.search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is picker.new_button
    answer_next_dialog(qtbot, create)
    qtbot.keyClick(picker.new_button, Qt.Key.Key_Return)
    assert seen == ["Pidhorodne"] and count(empty_session, "place") == places + 1
    assert picker.result() == QDialog.DialogCode.Accepted and picker.chosen_place_id is not None
    assert not picker.isVisible()


def test_shift_s_grades_the_current_claims_source_in_its_form(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    """Every field the pane shows has a key: the source's reliability too (its form, reliability focused)."""
    from desktop.ui.dialogs.source_dialog import SourceDialog

    assert window.table.select_claim(sample_ids["c-breach"])
    window.table.setFocus()
    source = one_value(window, "SELECT source_id FROM claim WHERE id = :c", c=sample_ids["c-breach"])
    before = one_value(window, "SELECT reliability FROM source WHERE id = :s", s=source)

    def grade(dialog: QWidget) -> None:
        assert isinstance(dialog, SourceDialog) and dialog.focusWidget() is dialog.reliability
        qtbot.keyClicks(dialog.reliability, "E")  # E — unreliable, chosen by its letter
        qtbot.keyClick(dialog.reliability, Qt.Key.Key_Return)

    problems = answer_modal(qtbot, grade)
    key(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ShiftModifier)
    assert problems == []
    assert before != "E" and one_value(window, "SELECT reliability FROM source WHERE id = :s", s=source) == "E"
    window.session.undo_stack.undo()
    assert one_value(window, "SELECT reliability FROM source WHERE id = :s", s=source) == before


def one_value(window: MainWindow, sql: str, **params: object) -> object:
    with window.session.engine.connect() as connection:
        return connection.execute(sa_text(sql), params).scalar_one()


def test_shift_o_lists_pending_requests_and_enter_goes_to_the_claim(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    """The follow-up list: who was asked, by whom, since when, about which claim; Enter goes there."""
    from desktop.ui.dialogs.pending_outreach import PendingRequestsDialog

    window.filter_bar.set_text("source:isw")  # hides the claims asked about: going there clears it
    seen: list[list[str]] = []

    def go(dialog: QWidget) -> None:
        assert isinstance(dialog, PendingRequestsDialog) and dialog.list.hasFocus()
        seen.append(dialog.lines())
        for _ in range(3):
            qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    window.table.setFocus()
    problems = answer_modal(qtbot, go)
    key(qtbot, window, Qt.Key.Key_O, Qt.KeyboardModifier.ShiftModifier)
    assert problems == []
    (lines,) = seen
    assert len(lines) == 4  # two requests, each about two claims
    assert lines[0].startswith("Ministry of Defence of the Russian Federation — asked by Newsweek, since 2022-12-14")
    assert lines[3].startswith("Armed Forces of Ukraine — asked by Newsweek")
    assert window.table.current_claim() == sample_ids["c-genstaff-repelled"]
    assert window.focusWidget() is window.table
    assert window.filter_bar.text() == ""


def test_an_answered_request_leaves_the_pending_list(empty_session: WorkspaceSession, ids: dict[str, int]) -> None:
    from desktop.core.read.pending_outreach import pending_requests

    with empty_session.engine.connect() as connection:
        before = pending_requests(connection)
    assert before, "the detail workspace has a pending request"
    ident = before[0].outreach_id
    assert empty_session.perform(lambda s: s.update_outreach(ident, status="answered"), "answer").ok
    with empty_session.engine.connect() as connection:
        assert all(request.outreach_id != ident for request in pending_requests(connection))
