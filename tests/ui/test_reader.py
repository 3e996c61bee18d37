"""The reader: a report pasted, read by sentence, claims made from spans, originators, related claims — by keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.ui.reader.pane import Offsets
from desktop.ui.window.main_window import MainWindow
from tests.e2e.test_review_flow import answer_modal, key, type_text
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE

# Made-up report (not the reference's words): two paragraphs, a quoted channel, an emoji before the quote.
REPORT = (
    "A channel called Frontline Notes said 🙂 troops crossed the river near Bakhmut. Nobody confirmed it.\n\n"
    "The claim was first posted by Rybar on Telegram, according to the newsroom.\n"
)


def one(window: MainWindow, sql: str, **params: object) -> tuple[object, ...]:
    with window.session.engine.connect() as connection:
        return tuple(connection.execute(text(sql), params).one())


def paste_report(qtbot: QtBot, window: MainWindow, body: str, publisher: str, published: str) -> None:
    QGuiApplication.clipboard().setText(body)

    def fill(dialog: QWidget) -> None:
        assert dialog.focusWidget() is dialog.published  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.published, published)  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.published, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
        assert dialog.focusWidget() is dialog.publisher  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.publisher, publisher)  # type: ignore[attr-defined]
        assert dialog.publisher.currentText().startswith(publisher)  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.publisher, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # takes the match
        qtbot.keyClick(dialog.publisher, Qt.Key.Key_Return)  # type: ignore[attr-defined]  # accepts the form

    problems = answer_modal(qtbot, fill)
    key(qtbot, window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert problems == []
    qtbot.waitUntil(window.reader.text.hasFocus)


def test_offsets_convert_code_points_and_utf16_positions() -> None:
    offsets = Offsets("a🙂b🙂c")
    assert [offsets.to_widget(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    assert [offsets.to_text(p) for p in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]


def test_a_pasted_report_is_read_and_captured_by_keys(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, REPORT, "Newsweek", "2022-12-15")
    report, publisher, sha = one(window, "SELECT id, source_id, sha256 FROM report ORDER BY id DESC LIMIT 1")
    assert window.reader.report is not None and window.reader.report.id == report
    assert window.reader.text.toPlainText() == REPORT.strip()

    key(qtbot, window, Qt.Key.Key_S)  # the first sentence
    start, end = window.reader.selection() or (0, 0)
    assert REPORT[start:end] == "A channel called Frontline Notes said 🙂 troops crossed the river near Bakhmut."
    key(qtbot, window, Qt.Key.Key_C)  # a claim of it
    claim, source, quote_start, quote_end, claimed, report_of = one(
        window,
        "SELECT id, source_id, quote_start, quote_end, claimed, report_id FROM claim ORDER BY id DESC LIMIT 1",
    )
    assert (source, report_of, quote_start, quote_end) == (publisher, report, start, end)
    assert str(claimed) == "2022-12-15"
    assert window.table.current_claim() == claim
    assert window.reader.text.hasFocus()
    assert len(window.reader.spans) == 1

    # O: the source becomes whom the report quotes; the dialog offers Rybar, named in the next paragraph.
    def pick(dialog: QWidget) -> None:
        first = dialog.choices.item(0).text()  # type: ignore[attr-defined]
        assert first.startswith("Rybar"), first
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)  # type: ignore[attr-defined]

    problems = answer_modal(qtbot, pick)
    key(qtbot, window, Qt.Key.Key_O)
    assert problems == []
    rybar = one(window, "SELECT id FROM source WHERE name = 'Rybar'")[0]
    assert one(window, "SELECT source_id FROM claim WHERE id = :c", c=claim)[0] == rybar
    qtbot.waitUntil(window.reader.text.hasFocus)  # back in the reader once the window is active again

    # S S: the next sentence, then extended; P: the paragraph; N: back to the captured span.
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Right)
    key(qtbot, window, Qt.Key.Key_P)
    assert window.reader.selection() == (0, REPORT.index("\n\n"))
    key(qtbot, window, Qt.Key.Key_N)
    assert window.reader.selection() == (start, end)

    # Esc to the table; Q opens the claim's report at its quote.
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.table.hasFocus()
    key(qtbot, window, Qt.Key.Key_Q)
    assert window.reader.text.hasFocus() and window.reader.selection() == (start, end)
    assert sha is not None


def test_related_suggestions_link_and_dismiss_by_keys(qtbot: QtBot, window: MainWindow) -> None:
    paste_report(qtbot, window, REPORT, "Newsweek", "2022-12-14")
    key(qtbot, window, Qt.Key.Key_S)
    key(qtbot, window, Qt.Key.Key_C)
    claim = window.table.current_claim()
    assert claim is not None
    qtbot.waitUntil(lambda: bool(window.related.suggestions))
    key(qtbot, window, Qt.Key.Key_Escape)
    key(qtbot, window, Qt.Key.Key_F)
    assert window.related.list.hasFocus()
    first = window.related.current()
    assert first is not None
    key(qtbot, window, Qt.Key.Key_C)
    assert one(window, "SELECT relation FROM link WHERE from_id = :a AND to_id = :b", a=claim, b=first.claim_id) == (
        "corroborates",
    )
    assert first.claim_id not in [s.claim_id for s in window.related.suggestions]  # linked: no longer suggested
    second = window.related.current()
    if second is not None:
        key(qtbot, window, Qt.Key.Key_D)
        assert second.claim_id not in [s.claim_id for s in window.related.suggestions]
        key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the dismissal
        assert second.claim_id in [s.claim_id for s in window.related.suggestions]


@pytest.mark.parametrize("body", ["", "   \n"])
def test_pasting_nothing_says_so_and_writes_nothing(qtbot: QtBot, window: MainWindow, body: str) -> None:
    QGuiApplication.clipboard().setText(body)
    before = one(window, "SELECT count(*) FROM report")
    key(qtbot, window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "empty" in window.status.message_text()
    assert one(window, "SELECT count(*) FROM report") == before


_ = (Path, type_text)


def test_the_add_claim_dialog_dates_a_claim_by_its_report_or_the_last_one_used(
    qtbot: QtBot, window: MainWindow
) -> None:
    import datetime as dt

    from desktop.ui.dialogs.add_claim import AddClaimDialog

    session = window.session
    isw = one(window, "SELECT id FROM report WHERE ext_id = 'rep-isw-1130'")[0]
    dialog = AddClaimDialog(session, window)
    qtbot.addWidget(dialog)
    assert dialog.claimed.text() == dt.date.today().isoformat()  # nothing used yet
    dialog.report.choose(next(p for p in dialog.report.candidates("Russian Offensive")[1] if p.value == isw))
    assert dialog.claimed.text() == "2022-11-30"  # the report's date
    session.last_claimed = dt.date(2022, 12, 14)
    again = AddClaimDialog(session, window)
    qtbot.addWidget(again)
    assert again.claimed.text() == "2022-12-14"  # the last one used


def test_a_request_for_comment_records_who_asked(qtbot: QtBot, window: MainWindow) -> None:
    from desktop.ui.dialogs.outreach import OutreachDialog

    claim = one(window, "SELECT id FROM claim WHERE ext_id = 'c-breach'")[0]
    dialog = OutreachDialog(window.session, [claim], window)  # type: ignore[list-item]
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.party.setFocus()
    qtbot.keyClicks(dialog.party, "Russian MoD press office")
    qtbot.keyClick(dialog.party, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.by
    qtbot.keyClicks(dialog.by, "Newsweek")
    qtbot.keyClick(dialog.by, Qt.Key.Key_Return)  # takes the match
    qtbot.keyClick(dialog.by, Qt.Key.Key_Return)  # accepts the form
    newsweek = one(window, "SELECT id FROM source WHERE ext_id = 'src-newsweek'")[0]
    assert one(window, "SELECT by_source_id FROM outreach WHERE party = 'Russian MoD press office'") == (newsweek,)


def test_the_table_shows_report_grade_and_likelihood(qtbot: QtBot, window: MainWindow) -> None:
    from desktop.ui.table import columns as cols

    claim = one(window, "SELECT id FROM claim WHERE ext_id = 'c-isw-strategic-gains'")[0]
    window.session.perform(lambda store: store.update_claim(claim, likelihood="highly unlikely", credibility=2), "t")
    assert window.table.select_claim(claim)  # type: ignore[arg-type]
    row = window.table.claim_model.claim_row(window.table.currentIndex().row())
    assert row is not None
    assert cols.display_text(row, cols.COL_GRADE) == "B2"  # ISW is graded B (usually reliable) in the sample
    assert cols.display_text(row, cols.COL_LIKELIHOOD) == "very unlikely"
    assert cols.display_text(row, cols.COL_REPORT).startswith("Newsweek: conflicting reports")


def test_every_date_and_grade_field_has_a_key(qtbot: QtBot, window: MainWindow) -> None:
    claim = one(window, "SELECT id FROM claim WHERE ext_id = 'c-isw-strategic-gains'")[0]
    assert window.table.select_claim(claim)  # type: ignore[arg-type]
    for key_, modifiers, field in (
        (Qt.Key.Key_D, Qt.KeyboardModifier.NoModifier, "claimed"),
        (Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier, "event_start"),
        (Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier, "event_end"),
        (Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier, "event_precision"),
        (Qt.Key.Key_H, Qt.KeyboardModifier.NoModifier, "likelihood"),
        (Qt.Key.Key_K, Qt.KeyboardModifier.ShiftModifier, "kind"),
    ):
        qtbot.keyClick(window.table, key_, modifiers)
        assert getattr(window.detail, field).hasFocus(), field
        key(qtbot, window, Qt.Key.Key_Escape)
        assert window.table.hasFocus()
    suggested = one(window, "SELECT suggested_credibility FROM claim WHERE id = :c", c=claim)[0]
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert one(window, "SELECT credibility FROM claim WHERE id = :c", c=claim) == (suggested,)
