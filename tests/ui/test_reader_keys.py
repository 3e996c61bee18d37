"""The reader: closed from the keyboard, keeping its report through an as-of view, one claim after another."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.ui.commands.keymap import undo_keys
from desktop.ui.window.main_window import MainWindow
from tests.e2e.test_review_flow import key
from tests.ui.test_reader import REPORT, paste_report
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE
REPLAY_MS = 20_000  # the replay runs on a worker thread: wait for it, never for a fixed time


def test_ctrl_w_closes_the_reader_and_f4_opens_it_again_on_the_same_report(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, REPORT, "Newsweek", "2022-12-15")
    report = window.reader.report
    assert report is not None and window.reader.isVisible()
    table_width = window.table.width()
    key(qtbot, window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.reader.isVisible()
    assert window.table.hasFocus()
    assert window.table.width() > table_width  # the reader's width went back to the table
    assert "Reader closed" in window.status.message_text()
    key(qtbot, window, Qt.Key.Key_F4)
    assert window.reader.isVisible() and window.reader.text.hasFocus()
    assert window.reader.report is not None and window.reader.report.id == report.id


def test_the_reader_keeps_its_report_through_an_as_of_view(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, REPORT, "Newsweek", "2022-12-15")
    report = window.reader.report
    assert report is not None
    before_it = dt.datetime(2022, 12, 15, 23, 59, 59, tzinfo=dt.UTC)  # the sample's day: the paste is today's
    with qtbot.waitSignal(window.as_of.changed, timeout=REPLAY_MS):
        window.as_of.show(before_it, "")
    assert window.reader.report is None
    assert window.reader.title.text() == "This report is not in the workspace as shown"
    with qtbot.waitSignal(window.as_of.changed, timeout=REPLAY_MS):
        window.as_of.now()
    assert window.reader.report is not None and window.reader.report.id == report.id
    assert window.reader.text.toPlainText() == REPORT.strip()


def test_after_a_claim_is_made_the_sentence_key_selects_the_next_sentence(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, REPORT, "Newsweek", "2022-12-15")
    key(qtbot, window, Qt.Key.Key_S)
    key(qtbot, window, Qt.Key.Key_C)  # the first sentence is now a claim
    assert len(window.reader.spans) == 1
    key(qtbot, window, Qt.Key.Key_S)  # the next claim's sentence, not the captured one grown by it
    start, end = window.reader.selection() or (0, 0)
    assert REPORT[start:end] == "Nobody confirmed it."
    key(qtbot, window, Qt.Key.Key_S)  # a selection not yet captured still grows
    start, end = window.reader.selection() or (0, 0)
    assert REPORT[start:end].startswith("Nobody confirmed it.\n\nThe claim was first posted")


def test_linking_a_suggestion_says_what_was_marked_and_how_to_undo_it(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: bool(window.related.suggestions))
    key(qtbot, window, Qt.Key.Key_F)
    suggestion = window.related.current()
    assert suggestion is not None
    key(qtbot, window, Qt.Key.Key_N)
    assert window.status.message_text() == (
        f"Marked: the current claim is neutral on {suggestion.ext_id} ({undo_keys()} undoes)."
    )


def test_a_claim_made_from_a_sentence_carries_the_places_it_names(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, REPORT, "Newsweek", "2022-12-15")
    key(qtbot, window, Qt.Key.Key_S)  # "… troops crossed the river near Bakhmut."
    key(qtbot, window, Qt.Key.Key_C)
    claim = window.table.current_claim()
    with window.session.engine.connect() as connection:
        names = connection.execute(
            text("SELECT p.name FROM claim_place AS cp JOIN place AS p ON p.id = cp.place_id WHERE cp.claim_id = :c"),
            {"c": claim},
        ).scalars()
        assert list(names) == ["Bakhmut"]
    assert "Places named in it: Bakhmut." in window.status.message_text()


def test_the_same_span_is_not_made_a_claim_twice(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, REPORT, "Newsweek", "2022-12-15")
    key(qtbot, window, Qt.Key.Key_S)
    key(qtbot, window, Qt.Key.Key_C)
    claims = window.table.claim_model.rowCount()
    key(qtbot, window, Qt.Key.Key_C)  # again, by accident
    assert len(window.reader.spans) == 1 and window.table.claim_model.rowCount() == claims
    assert "this selection is already claim c-" in window.status.message_text()
    # The message names the reader's next key: the keyboard stays in the reader for it (in the table,
    # S would have edited the claim's source instead).
    assert window.reader.text.hasFocus()
    key(qtbot, window, Qt.Key.Key_S)
    start, end = window.reader.selection() or (0, 0)
    assert REPORT[start:end] == "Nobody confirmed it."


def test_j_and_k_move_through_the_paragraphs_and_ctrl_arrows_too(qtbot: QtBot, window: MainWindow) -> None:
    """Reading down a report: J (Ctrl+Down) to the next paragraph's start, K (Ctrl+Up) back; S then selects there."""
    body = "First paragraph. Its second sentence.\n\nSecond one here.\n\nThird and last.\n"
    paste_report(qtbot, window, body, "Newsweek", "2022-12-15")
    reader = window.reader
    assert reader.cursor_index() == 0
    key(qtbot, window, Qt.Key.Key_J)
    assert body[reader.cursor_index() :].startswith("Second one here.")
    key(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert body[reader.cursor_index() :].startswith("Third and last.")
    key(qtbot, window, Qt.Key.Key_J)  # no paragraph after the last: said, and the cursor stays
    assert body[reader.cursor_index() :].startswith("Third and last.")
    assert "last paragraph" in window.status.message_text() and reader.text.hasFocus()
    key(qtbot, window, Qt.Key.Key_K)
    assert body[reader.cursor_index() :].startswith("Second one here.")
    key(qtbot, window, Qt.Key.Key_S)  # the sentence where the cursor now is
    start, end = reader.selection() or (0, 0)
    assert body[start:end] == "Second one here."
    key(qtbot, window, Qt.Key.Key_J)  # from a selection: on past it, the selection gone
    assert body[reader.cursor_index() :].startswith("Third and last.") and reader.selection() is None
    key(qtbot, window, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, window, Qt.Key.Key_K)
    assert reader.cursor_index() == 0 and reader.text.hasFocus()


def test_a_claim_from_a_sentence_saying_on_wednesday_is_dated_the_wednesday_before_the_report(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Claimed on the report's day (Thursday 15 December); the event on the Wednesday the text names."""
    body = "Ukrainian units repelled an assault near Opytne on Wednesday. The report came a day later.\n"
    paste_report(qtbot, window, body, "Newsweek", "2022-12-15")
    key(qtbot, window, Qt.Key.Key_S)
    key(qtbot, window, Qt.Key.Key_C)
    claim = window.table.current_claim()
    assert claim is not None
    with window.session.engine.connect() as connection:
        claimed, start, precision = connection.execute(
            text("SELECT claimed, event_start, event_precision FROM claim WHERE id = :c"), {"c": claim}
        ).one()
    assert (str(claimed), str(start), precision) == ("2022-12-15", "2022-12-14", "day")
    assert "Event date 2022-12-14 from “Wednesday”" in window.status.message_text()
    assert window.detail.event_start.text() == "2022-12-14"  # shown in the pane, to be corrected there


def test_the_readers_hint_names_the_paragraph_keys(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, "One.\n\nTwo.\n", "Newsweek", "2022-12-15")
    hint = window.reader.hint.text()
    assert "j/k next/previous paragraph" in hint.casefold() and "sentence" in hint
