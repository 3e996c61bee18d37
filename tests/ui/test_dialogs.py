"""The dialogs, driven from the keyboard: each writes one undoable step, or explains inline and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.ui.dialogs._base import FormDialog
from desktop.ui.dialogs.add_claim import AddClaimDialog
from desktop.ui.dialogs.outreach import OutreachDialog
from desktop.ui.dialogs.place_picker import NewPlaceDialog, PlacePickerDialog
from desktop.ui.dialogs.rationale import RationaleDialog, ask_rationale
from desktop.ui.dialogs.source_dialog import SourceDialog
from desktop.ui.reader.reports import ReportForm
from desktop.ui.session import WorkspaceSession
from tests.core._detail_workspace import HOSTILE_TEXT, build
from tests.ui.window_fixtures import OFFSCREEN_NOISE

# The offscreen platform's warnings (window sizes from layouts, popups raising and grabbing) say nothing of ours.
pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def ids(empty_session: WorkspaceSession) -> dict[str, int]:
    return build(empty_session.store)


def count(session: WorkspaceSession, table: str) -> int:
    with session.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)


def row(session: WorkspaceSession, table: str, ident: int) -> Any:
    with session.engine.connect() as connection:
        return connection.execute(text(f"SELECT * FROM {table} WHERE id = :i"), {"i": ident}).one()


def type_text(widget: QWidget, typed: str) -> None:
    """Type any script: QTest's keyClicks aborts on characters outside Latin-1, a key event with text does not."""
    for char in typed:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def on_one_line(dialog: FormDialog) -> bool:
    """Whether the dialog's problem line fits its width unwrapped (a refusal in a 560 px form)."""
    problem = dialog.problem
    return problem.fontMetrics().horizontalAdvance(dialog.problem_text()) <= problem.contentsRect().width()


def opened(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def test_add_claim_from_the_keyboard(qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]) -> None:
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)
    assert dialog.text.hasFocus()
    assert dialog.claimed.text() == dt.date.today().isoformat()
    qtbot.keyClicks(dialog.text, "Russian assault on Klishchiivka repelled.")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.source.hasFocus()
    qtbot.keyClicks(dialog.source, "Gen")  # typing searches the sources; the best match shows at once
    assert dialog.source.popup is not None and dialog.source.popup.search.text() == "Gen"
    assert dialog.source.matches() == ["General Staff of Ukraine · ukraine · B"]
    assert dialog.source.currentText() == "General Staff of Ukraine · ukraine · B"
    before = empty_session.undo_stack.count()
    qtbot.keyClick(dialog.source, Qt.Key.Key_Return)  # Enter takes it
    assert dialog.source.value() == ids["src:genstaff"] and dialog.source.popup is None
    qtbot.keyClick(dialog.source, Qt.Key.Key_Return)  # and Enter again accepts the dialog
    assert dialog.result() == QDialog.DialogCode.Accepted
    created = dialog.created_claim_id
    assert created is not None
    claim = row(empty_session, "claim", created)
    assert claim.text == "Russian assault on Klishchiivka repelled." and claim.source_id == ids["src:genstaff"]
    assert empty_session.undo_stack.count() == before + 1
    empty_session.undo_stack.undo()
    with empty_session.engine.connect() as connection:
        assert connection.execute(text("SELECT 1 FROM claim WHERE id = :i"), {"i": created}).first() is None


def test_add_claim_takes_an_event_date_as_a_capture_reads_one_from_the_keyboard(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    """The event date comes after Claimed in tab order, reads "on Wednesday" from the claimed day, shows the day."""
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)
    qtbot.keyClicks(dialog.text, "Assaults near Opytne repelled.")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.source, "Gen")
    qtbot.keyClick(dialog.source, Qt.Key.Key_Return)
    assert dialog.source.value() == ids["src:genstaff"]
    for _field in ("report", "kind", "claimed"):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.claimed.hasFocus()
    dialog.claimed.selectAll()
    qtbot.keyClicks(dialog.claimed, "2022-12-15")  # a Thursday
    qtbot.keyClick(dialog.claimed, Qt.Key.Key_Tab)
    assert dialog.event_date.hasFocus() and dialog.event_date.accessibleName() == "Event date"
    qtbot.keyClicks(dialog.event_date, "on Wednesday")
    assert dialog.event_day_shown.text() == "= 2022-12-14, Wednesday"
    qtbot.keyClick(dialog.event_date, Qt.Key.Key_Tab)
    assert dialog.add_place.hasFocus()  # the places list is hidden while empty
    qtbot.keyClick(dialog.add_place, Qt.Key.Key_Tab)
    assert dialog.credibility.hasFocus()
    qtbot.keyClick(dialog.event_date, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created_claim_id is not None
    claim = row(empty_session, "claim", dialog.created_claim_id)
    assert (claim.claimed, claim.event_start, claim.event_end, claim.event_precision) == (
        "2022-12-15",
        "2022-12-14",
        None,
        "day",
    )


@pytest.mark.parametrize(
    ("claimed", "typed", "shown", "stored"),
    [
        ("2022-12-15", "2022-12-10", "", "2022-12-10"),  # a plain date needs no echo
        ("2022-12-15", "yesterday", "= 2022-12-14, Wednesday", "2022-12-14"),
        ("2022-12-15", "в среду", "= 2022-12-14, Wednesday", "2022-12-14"),
        ("2022-12-15", "3 March", "= 2022-03-03, Thursday", "2022-03-03"),
        ("2022-12-15", "14.12.2022", "= 2022-12-14, Wednesday", "2022-12-14"),
        ("", "14 грудня 2022 року", "= 2022-12-14, Wednesday", "2022-12-14"),  # a full date needs no claimed day
        ("2022-12-15", "   ", "", None),  # optional
    ],
)
def test_add_claim_event_date_forms(
    qtbot: QtBot,
    empty_session: WorkspaceSession,
    ids: dict[str, int],
    claimed: str,
    typed: str,
    shown: str,
    stored: str | None,
) -> None:
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)
    dialog.text.setPlainText("Assaults repelled.")
    dialog.source.set_value(ids["src:genstaff"])
    dialog.claimed.setText(claimed)
    type_text(dialog.event_date, typed)
    assert dialog.event_day_shown.text() == shown
    qtbot.keyClick(dialog.event_date, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created_claim_id is not None
    claim = row(empty_session, "claim", dialog.created_claim_id)
    assert (claim.event_start, claim.event_precision) == (stored, "day" if stored else None)


@pytest.mark.parametrize(
    ("claimed", "typed", "message"),
    [
        ("2022-12-15", "soon", "⚠ Event date: “soon” is not a date: try 2022-12-14, 3 March or yesterday."),
        ("2022-12-15", "31.02.2022", "⚠ Event date: “31.02.2022” is not a date: try 2022-12-14, 3 March or "
         "yesterday."),
        ("2022-12-15", "yesterday and today", "⚠ Event date: “yesterday a…” is not a date: try 2022-12-14, "
         "3 March or yesterday."),  # what was typed is in its field: the message quotes enough to fit one line
        ("", "yesterday", "⚠ Event date: “yesterday” is counted from the claimed date: give that first."),
    ],
)  # fmt: skip
def test_add_claim_refuses_an_event_date_it_cannot_read_and_writes_nothing(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int], claimed: str, typed: str, message: str
) -> None:
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)
    claims, steps = count(empty_session, "claim"), empty_session.undo_stack.count()
    dialog.text.setPlainText("Assaults repelled.")
    dialog.source.set_value(ids["src:genstaff"])
    dialog.claimed.setText(claimed)
    type_text(dialog.event_date, typed)
    assert dialog.event_day_shown.text() == ""
    qtbot.keyClick(dialog.event_date, Qt.Key.Key_Return)
    assert dialog.problem_text() == message and dialog.event_date.hasFocus()
    assert on_one_line(dialog)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert count(empty_session, "claim") == claims and empty_session.undo_stack.count() == steps


def test_add_claim_pickers_search_as_you_type_and_lead_with_the_sources_reports(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)
    assert dialog.source.count() == 0 and dialog.report.currentText() == "— none"  # nothing loaded
    dialog.text.setPlainText("Rybar reports a breach.")
    dialog.source.setFocus()
    qtbot.keyClick(dialog.source, Qt.Key.Key_Down)  # opens the list
    popup = dialog.source.popup
    assert popup is not None and popup.search.hasFocus()
    type_text(popup.search, "рыбарь")  # an alias, in another script
    assert dialog.source.matches() == ["Rybar · russia · C — also Рыбарь"]
    assert dialog.source.currentText() == "Rybar · russia · C" and dialog.source.value() is None  # a preview
    qtbot.keyClick(popup.search, Qt.Key.Key_Escape)  # Esc restores
    assert dialog.source.popup is None and dialog.source.value() is None and dialog.source.currentText() == ""
    assert dialog.isVisible()
    type_text(dialog.source, "рыб")
    results = dialog.source.popup.results  # type: ignore[union-attr]
    qtbot.mouseClick(
        results.viewport(), Qt.MouseButton.LeftButton, pos=results.visualItemRect(results.item(0)).center()
    )
    assert dialog.source.value() == ids["src:rybar"] and dialog.source.currentText() == "Rybar · russia · C"
    assert dialog.isVisible()  # a click chooses; only Enter goes on to accept the dialog
    dialog.report.setFocus()
    qtbot.keyClick(dialog.report, Qt.Key.Key_Space)
    assert dialog.report.matches() == [
        "— none",
        "Rybar: situation on the Bakhmut direction · Rybar · 2022-12-14",  # the chosen source's first
        "ISW assessment · Institute for the Study of War · 2022-12-15",
    ]
    qtbot.keyClick(dialog.report, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.report, Qt.Key.Key_Return)  # takes the report
    qtbot.keyClick(dialog.report, Qt.Key.Key_Return)  # adds the claim
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created_claim_id is not None
    claim = row(empty_session, "claim", dialog.created_claim_id)
    assert (claim.source_id, claim.report_id) == (ids["src:rybar"], ids["report:rybar"])


def test_add_claim_refusal_is_shown_inline_and_nothing_is_written(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)
    claims, steps = count(empty_session, "claim"), empty_session.undo_stack.count()
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert dialog.problem_text() == "⚠ Write what the source claims."
    dialog.text.insertPlainText("shelling\x1b reported")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert "source that made this claim" in dialog.problem_text()
    dialog.source.set_value(ids["src:rybar"])
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert dialog.problem_text().startswith("⚠ Claim text contains a control character (U+001B")
    dialog.claimed.setText("yesterday and today")
    qtbot.keyClick(dialog.claimed, Qt.Key.Key_Return)
    assert dialog.problem_text() == (
        "⚠ Claimed: “yesterday a…” is not a date: write it as YYYY-MM-DD (e.g. 2022-12-14)."
    )
    assert on_one_line(dialog)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert count(empty_session, "claim") == claims and empty_session.undo_stack.count() == steps


@pytest.mark.parametrize("invisible", ["\u200b", " \ufeff\u2060 ", "\u200e\u200f"])
def test_a_required_field_of_only_invisible_characters_is_refused_as_empty(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int], invisible: str
) -> None:
    """A pasted zero-width space, byte-order mark or bidi mark gets the message an empty field gets."""
    claim, source, place = AddClaimDialog(empty_session), SourceDialog(empty_session), NewPlaceDialog(empty_session)
    report, outreach = ReportForm(empty_session), OutreachDialog(empty_session, [ids["breach"]])
    cases: list[tuple[FormDialog, QLineEdit | QPlainTextEdit, str]] = [
        (claim, claim.text, "⚠ Write what the source claims."),
        (source, source.name, "⚠ A source needs a name."),
        (place, place.name, "⚠ A place needs a name."),
        (report, report.title, "⚠ Give the report a title."),
        (outreach, outreach.party, "⚠ Name the party that was asked for comment."),
    ]
    tables = ("claim", "source", "place", "report", "outreach")
    before = {table: count(empty_session, table) for table in tables}
    steps = empty_session.undo_stack.count()
    for dialog, editor, message in cases:
        opened(qtbot, dialog)
        QApplication.clipboard().setText(invisible)
        editor.paste()
        assert (editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()) == invisible
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert dialog.problem_text() == message
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        dialog.reject()
    assert {table: count(empty_session, table) for table in tables} == before
    assert empty_session.undo_stack.count() == steps


def test_add_claim_with_places_and_credibility(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)
    answer_next_dialog(
        qtbot,
        lambda picker: (type_text(picker.search, "соледар"), qtbot.keyClick(picker.search, Qt.Key.Key_Return)),
    )
    dialog.add_place.setFocus()
    qtbot.keyClick(dialog.add_place, Qt.Key.Key_Space)
    assert dialog.place_ids() == [ids["place:soledar"]]
    dialog.text.setPlainText("Soledar salt mine fighting.")
    dialog.source.set_value(ids["src:mbc"])
    dialog.credibility.set_value(3)
    dialog.kind.set_value("statement")
    dialog.accept()
    created = dialog.created_claim_id
    assert created is not None
    claim = row(empty_session, "claim", created)
    assert (claim.credibility, claim.kind) == (3, "statement")
    with empty_session.engine.connect() as connection:
        places = connection.execute(text("SELECT place_id FROM claim_place WHERE claim_id = :c"), {"c": created})
        assert [r[0] for r in places] == [ids["place:soledar"]]


def answer_next_dialog(qtbot: QtBot, answer: Callable[[Any], object]) -> None:
    """Answer the next modal dialog (``exec()`` blocks the test until it closes)."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        answer(dialog)

    QTimer.singleShot(0, run)


def test_new_source_inline_is_its_own_undo_step(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    dialog = opened(qtbot, AddClaimDialog(empty_session))
    assert isinstance(dialog, AddClaimDialog)

    def fill(source: SourceDialog) -> None:
        qtbot.keyClicks(source.name, "Ukrainska Pravda")
        qtbot.keyClick(source.name, Qt.Key.Key_Tab)
        qtbot.keyClicks(source.kind, "news")
        source.side.setText("Ukraine ")
        source.reliability.set_value("B")
        source.url.setText("https://www.pravda.com.ua")
        source.aliases.setText("Українська правда, UP, UP")
        qtbot.keyClick(source.url, Qt.Key.Key_Return)

    steps = empty_session.undo_stack.count()
    answer_next_dialog(qtbot, fill)
    qtbot.keyClick(dialog.new_source, Qt.Key.Key_Space)
    new_id = dialog.source.value()
    assert dialog.source.currentText() == "Ukrainska Pravda · ukraine · B"
    created = row(empty_session, "source", new_id)
    assert (created.kind, created.side) == ("news-outlet", "ukraine")
    assert json.loads(created.aliases) == ["Українська правда", "UP"]  # trimmed, duplicate dropped
    assert empty_session.undo_stack.count() == steps + 1
    assert empty_session.undo_stack.undoText() == "add source Ukrainska Pravda"


def test_source_dialog_edits_only_what_changed(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    steps = empty_session.undo_stack.count()
    unchanged = opened(qtbot, SourceDialog(empty_session, source_id=ids["src:rybar"]))
    assert isinstance(unchanged, SourceDialog)
    qtbot.keyClick(unchanged.name, Qt.Key.Key_Return)
    assert unchanged.result() == QDialog.DialogCode.Accepted and empty_session.undo_stack.count() == steps
    edit = opened(qtbot, SourceDialog(empty_session, source_id=ids["src:rybar"]))
    assert isinstance(edit, SourceDialog)
    edit.reliability.set_value("D")
    qtbot.keyClick(edit.name, Qt.Key.Key_Return)
    assert row(empty_session, "source", ids["src:rybar"]).reliability == "D"
    assert empty_session.undo_stack.count() == steps + 1
    empty_session.undo_stack.undo()
    assert row(empty_session, "source", ids["src:rybar"]).reliability == "C"


def test_source_dialog_refuses_a_non_web_url_inline(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    dialog = opened(qtbot, SourceDialog(empty_session))
    assert isinstance(dialog, SourceDialog)
    sources = count(empty_session, "source")
    qtbot.keyClicks(dialog.name, "Shady")
    dialog.url.setText("javascript:alert(1)")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.problem_text() == "⚠ Source url must be an http(s) address"
    assert dialog.isVisible() and count(empty_session, "source") == sources


@pytest.mark.parametrize("query", ["artemivsk", "бахмут", "Артемовск", "bakhmutt"])
def test_place_picker_finds_bakhmut_by_any_name(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int], query: str
) -> None:
    picker = opened(qtbot, PlacePickerDialog(empty_session))
    assert isinstance(picker, PlacePickerDialog)
    type_text(picker.search, query)
    assert picker.matches()[0].startswith("Bakhmut — Donetsk Oblast")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.result() == QDialog.DialogCode.Accepted and picker.chosen_place_id == ids["place:bakhmut"]


def test_place_picker_arrows_move_the_choice_and_esc_cancels(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    picker = opened(qtbot, PlacePickerDialog(empty_session, exclude=[ids["place:bakhmut"]]))
    assert isinstance(picker, PlacePickerDialog)
    assert [m.split()[0] for m in picker.matches()] == ["Opytne", "Soledar"]
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.results.currentRow() == 1 and picker.search.hasFocus()
    qtbot.keyClicks(picker.search, "Kyiv")
    assert "No place has that name" in picker.problem_text()
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert picker.result() == QDialog.DialogCode.Rejected and picker.chosen_place_id is None


def test_new_place_checks_coordinates_then_creates_undoably(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    dialog = opened(qtbot, NewPlaceDialog(empty_session, name="Klishchiivka"))
    assert isinstance(dialog, NewPlaceDialog)
    places = count(empty_session, "place")
    dialog.aliases.setText("Кліщіївка, Kleshcheevka")
    dialog.lat.setText("north")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert "Latitude must be a number" in dialog.problem_text() and count(empty_session, "place") == places
    dialog.lat.setText("48,53")
    dialog.lon.setText("181")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.problem_text() == "⚠ Place lon must be between -180 and 180"
    dialog.lon.setText("37.97")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.created_place_id is not None
    created = row(empty_session, "place", dialog.created_place_id)
    assert (created.name, created.lat, created.lon) == ("Klishchiivka", 48.53, 37.97)
    empty_session.undo_stack.undo()
    assert count(empty_session, "place") == places


def test_ask_rationale_enter_accepts_esc_cancels_empty_allowed(qtbot: QtBot) -> None:
    def type_and_enter(dialog: RationaleDialog) -> None:
        assert dialog.sentence() == "[Rybar] breach corroborates [ISW] offensive"
        qtbot.keyClicks(dialog.rationale, "same streets, same day")
        qtbot.keyClick(dialog.rationale, Qt.Key.Key_Return)

    answer_next_dialog(qtbot, type_and_enter)
    assert ask_rationale(None, "corroborates", "[Rybar] breach", "[ISW] offensive") == "same streets, same day"
    answer_next_dialog(qtbot, lambda d: qtbot.keyClick(d.rationale, Qt.Key.Key_Escape))
    assert ask_rationale(None, "contradicts", "a", "b") is None
    answer_next_dialog(qtbot, lambda d: qtbot.keyClick(d.rationale, Qt.Key.Key_Return))
    assert ask_rationale(None, "neutral", "a", "b") == ""


def test_rationale_with_a_control_character_stays_open(qtbot: QtBot) -> None:
    dialog = opened(qtbot, RationaleDialog("repeats", "<b>A</b>", "B"))
    assert isinstance(dialog, RationaleDialog)
    assert dialog.verb_label.text() == "repeats (restates)" and dialog.from_label.text() == "<b>A</b>"
    dialog.rationale.setText("copied\x00")
    qtbot.keyClick(dialog.rationale, Qt.Key.Key_Return)
    assert "contains a control character (U+0000" in dialog.problem_text()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted


def test_outreach_records_a_request_and_its_answer(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    about = [ids["breach"], ids["repelled"]]
    dialog = opened(qtbot, OutreachDialog(empty_session, about))
    assert isinstance(dialog, OutreachDialog)
    assert dialog.party.hasFocus() and dialog.contacted.text() == dt.date.today().isoformat()
    qtbot.keyClick(dialog.party, Qt.Key.Key_Return)
    assert "Name the party" in dialog.problem_text()
    qtbot.keyClicks(dialog.party, "Ministry of Defence of Ukraine")
    qtbot.keyClick(dialog.party, Qt.Key.Key_Return)
    created = dialog.outreach_id
    assert created is not None and row(empty_session, "outreach", created).status == "pending"
    edit = opened(qtbot, OutreachDialog(empty_session, about, outreach_id=created))
    assert isinstance(edit, OutreachDialog)
    edit.status.set_value("answered")
    edit.response.setPlainText("The line holds.")
    edit.contacted.setText("15.12.2022")
    qtbot.keyClick(edit.party, Qt.Key.Key_Return)
    assert "Contacted: “15.12.2022” is not a date" in edit.problem_text()
    edit.contacted.setText("2022-12-15")
    qtbot.keyClick(edit.party, Qt.Key.Key_Return)
    answered = row(empty_session, "outreach", created)
    assert (answered.status, answered.response) == ("answered", "The line holds.")
    empty_session.undo_stack.undo()
    assert row(empty_session, "outreach", created).status == "pending"


def test_outreach_asked_by_a_newsroom_not_yet_a_source_creates_it_by_keys(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    """ "Newsweek asked both ministries": the newsroom, not yet a source, is made one from the form."""
    dialog = opened(qtbot, OutreachDialog(empty_session, [ids["breach"]]))
    assert isinstance(dialog, OutreachDialog)
    qtbot.keyClicks(dialog.party, "Ministry of Defence")
    dialog.by.setFocus()
    qtbot.keyClicks(dialog.by, "Grey Desk")
    popup = dialog.by.popup
    assert popup is not None and popup.matches() == []
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.new_source and dialog.isVisible()

    def create(source: Any) -> None:
        assert isinstance(source, SourceDialog) and source.name.text() == "Grey Desk"
        qtbot.keyClick(source.name, Qt.Key.Key_Return)

    answer_next_dialog(qtbot, create)
    qtbot.keyClick(dialog.new_source, Qt.Key.Key_Return)
    assert dialog.by.currentText().startswith("Grey Desk")
    qtbot.keyClick(dialog.by, Qt.Key.Key_Return)  # the form's default button: record it
    assert dialog.outreach_id is not None
    with empty_session.engine.connect() as connection:
        asked_by = connection.execute(
            text("SELECT s.name FROM outreach o JOIN source s ON s.id = o.by_source_id WHERE o.id = :o"),
            {"o": dialog.outreach_id},
        ).scalar()
    assert asked_by == "Grey Desk"


def test_dialog_labels_never_render_workspace_text_as_html(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    dialogs: list[QWidget] = [
        OutreachDialog(empty_session, [ids["hostile"]]),
        RationaleDialog("corroborates", HOSTILE_TEXT, HOSTILE_TEXT),
        AddClaimDialog(empty_session),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        labels = dialog.findChildren(QLabel)
        assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    about = dialogs[0].findChildren(QLabel)
    assert any("<b>html</b>" in label.text() for label in about)
