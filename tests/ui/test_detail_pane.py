"""The detail pane, driven from the keyboard: it shows, explains, edits (undoably) and follows the session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from desktop.core.read.detail import PICK_LIMIT
from desktop.core.read.pickers import read_reports
from desktop.ui.detail.pane import DELETED, NO_CLAIM, DetailPane
from desktop.ui.detail.status_block import status_text
from desktop.ui.session import WorkspaceSession
from desktop.ui.table.status_style import status_colour
from desktop.ui.widgets.basics import open_web_url
from tests.core._detail_workspace import HOSTILE_TEXT, build
from tests.ui.window_fixtures import OFFSCREEN_NOISE

# The offscreen platform's warnings (window sizes from layouts, popups raising and grabbing) say nothing of ours.
pytestmark = OFFSCREEN_NOISE


class Host(QWidget):
    """Stands in for the main window: records the keys that reach it (Esc must, when not editing)."""

    def __init__(self, session: WorkspaceSession) -> None:
        super().__init__()
        self.keys: list[int] = []
        self.pane = DetailPane(session)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys.append(event.key())


@pytest.fixture
def ids(empty_session: WorkspaceSession) -> dict[str, int]:
    return build(empty_session.store)


@pytest.fixture
def host(qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]) -> Host:
    widget = Host(empty_session)
    qtbot.addWidget(widget)
    widget.resize(480, 900)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


@pytest.fixture
def pane(host: Host) -> DetailPane:
    return host.pane


def column(session: WorkspaceSession, claim: int, name: str) -> Any:
    with session.engine.connect() as connection:
        return connection.execute(text(f"SELECT {name} FROM claim WHERE id = :c"), {"c": claim}).scalar()


def test_empty_until_a_claim_is_current(pane: DetailPane) -> None:
    assert pane.empty_message() == NO_CLAIM
    assert pane.body.isHidden()
    assert not pane.focus_field("text")


def test_shows_the_current_claim_with_its_status_explained(
    pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    assert pane.empty_message() is None and pane.claim_id == ids["breach"]
    assert pane.text.toPlainText() == "Russian troops have broken through Bakhmut's eastern defences."
    assert pane.source.currentText() == "Rybar · russia · C"
    assert pane.credibility.currentText() == "4 — doubtful"
    assert pane.suggested.text().startswith("suggested: 5 (contradicted)")
    status = pane.status.text()
    assert status.startswith(status_text("contradicted"))
    assert "Contradicts it: [General Staff of Ukraine]" in status
    assert "Neither confirms nor denies it: [Institute for the Study of War]" in status
    assert "same group as this claim's origin source (“milbloggers”)" in status
    assert "same origin source as this claim (Rybar)" in status
    assert len(pane.links.records()) == 5
    assert [o.party for o in pane.outreach.records()] == ["Ministry of Defence"]
    assert [p.name for p in pane.places.records()] == ["Bakhmut"]


def test_a_verdict_replaces_the_status_and_a_disputed_one_is_flagged(
    pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    empty_session.perform(lambda s: s.update_claim(ids["breach"], verdict="confirmed"), "set verdict")
    status = pane.status.text()
    assert status.startswith("✔ Confirmed (verdict)")
    assert "derived: " + status_text("contradicted").lower() in status
    assert "⚠ The evidence disputes this verdict" in status


def test_editing_credibility_from_the_keyboard_writes_once_and_undoes(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    stack = empty_session.undo_stack
    before = stack.count()
    assert pane.focus_field("credibility")
    qtbot.keyClick(pane.credibility, Qt.Key.Key_Down)  # 4 → 5 on a closed combo
    assert column(empty_session, ids["breach"], "credibility") == 5
    assert stack.count() == before + 1 and stack.undoText() == "set credibility 5 — improbable"
    assert pane.credibility.currentText() == "5 — improbable"
    stack.undo()
    assert column(empty_session, ids["breach"], "credibility") == 4
    assert pane.credibility.currentText() == "4 — doubtful"
    stack.redo()
    assert column(empty_session, ids["breach"], "credibility") == 5


def test_use_suggested_sets_the_suggested_grade(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    pane.use_suggested.setFocus()
    qtbot.keyClick(pane.use_suggested, Qt.Key.Key_Space)
    assert column(empty_session, ids["breach"], "credibility") == 5
    assert not pane.use_suggested.isEnabled()


def test_text_commits_on_enter_once_and_undoes(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["lonely"])
    stack = empty_session.undo_stack
    before = stack.count()
    pane.focus_first_field()
    assert pane.text.hasFocus()
    qtbot.keyClick(pane.text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(pane.text, " Heavy shelling.")
    qtbot.keyClick(pane.text, Qt.Key.Key_Return)
    assert column(empty_session, ids["lonely"], "text") == "Fighting reported near Opytne. Heavy shelling."
    assert stack.count() == before + 1
    qtbot.keyClick(pane.text, Qt.Key.Key_Tab)  # leaving the unchanged field writes nothing more
    assert stack.count() == before + 1
    stack.undo()
    assert column(empty_session, ids["lonely"], "text") == "Fighting reported near Opytne."
    assert pane.text.toPlainText() == "Fighting reported near Opytne."


def test_unchanged_value_never_writes(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    before = empty_session.undo_stack.count()
    pane.focus_field("tags")
    qtbot.keyClicks(pane.tags, " , ")  # "breakthrough , " is still the one tag
    qtbot.keyClick(pane.tags, Qt.Key.Key_Return)
    pane.focus_field("claimed")
    qtbot.keyClick(pane.claimed, Qt.Key.Key_Return)
    pane.focus_field("text")
    qtbot.keyClick(pane.text, Qt.Key.Key_Return)
    assert empty_session.undo_stack.count() == before
    assert pane.tags.text() == "breakthrough"


def test_control_character_is_refused_inline_and_nothing_is_written(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["lonely"])
    before = empty_session.undo_stack.count()
    pane.focus_first_field()
    pane.text.insertPlainText("bell\x07")
    qtbot.keyClick(pane.text, Qt.Key.Key_Return)
    problem = pane.problems["text"]
    assert not problem.isHidden()
    assert "Claim text contains a control character (U+0007" in problem.text()
    assert column(empty_session, ids["lonely"], "text") == "Fighting reported near Opytne."
    assert empty_session.undo_stack.count() == before
    assert pane.text.toPlainText().endswith("bell\x07")  # kept, so the analyst can fix it
    qtbot.keyClick(pane.text, Qt.Key.Key_Escape)  # Esc restores the stored text
    assert pane.text.toPlainText() == "Fighting reported near Opytne."


def test_bad_date_is_explained_inline(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["lonely"])
    steps = empty_session.undo_stack.count()
    pane.focus_field("event_start")
    qtbot.keyClicks(pane.event_start, "14/12/2022")
    assert pane.day_hints["event_start"].isHidden()  # a typo stands for no day
    qtbot.keyClick(pane.event_start, Qt.Key.Key_Return)
    assert pane.problems["dates"].text() == (
        "⚠ Event start: “14/12/2022” is not a date: try 2022-12-14, 3 March or yesterday."
    )
    assert column(empty_session, ids["lonely"], "event_start") is None and empty_session.undo_stack.count() == steps
    pane.event_start.clear()
    qtbot.keyClicks(pane.event_start, "2022-12-13")
    assert pane.day_hints["event_start"].isHidden()  # a plain date needs no echo
    qtbot.keyClick(pane.event_start, Qt.Key.Key_Return)
    assert column(empty_session, ids["lonely"], "event_start") in (dt.date(2022, 12, 13), "2022-12-13")
    assert pane.problems["dates"].isHidden()


def _audited(session: WorkspaceSession, claim: int, field: str) -> list[tuple[Any, Any]]:
    with session.engine.connect() as connection:
        query = (
            "SELECT old, new FROM audit WHERE entity = 'claim' AND field = :f AND action = 'update'"
            " AND entity_id = (SELECT ext_id FROM claim WHERE id = :c) ORDER BY id"
        )
        return [tuple(r) for r in connection.execute(text(query), {"c": claim, "f": field})]


@pytest.mark.parametrize(
    ("name", "typed", "hint", "stored"),
    [
        ("event_start", "yesterday", "= 2022-12-13, Tuesday", "2022-12-13"),  # claimed on Wednesday 14 December
        ("event_start", "on Monday", "= 2022-12-12, Monday", "2022-12-12"),
        ("event_start", "в понедельник", "= 2022-12-12, Monday", "2022-12-12"),
        ("event_start", "3 March", "= 2022-03-03, Thursday", "2022-03-03"),
        ("event_start", "10.12.2022", "= 2022-12-10, Saturday", "2022-12-10"),
        ("event_end", "сьогодні", "= 2022-12-14, Wednesday", "2022-12-14"),
    ],
)
def test_an_event_day_takes_a_phrase_counted_from_the_claimed_date_shown_then_saved_undoably(
    qtbot: QtBot,
    pane: DetailPane,
    empty_session: WorkspaceSession,
    ids: dict[str, int],
    name: str,
    typed: str,
    hint: str,
    stored: str,
) -> None:
    """As Add claim takes an event date: the day a phrase stands for is shown as it is typed; Enter saves that
    day (one undo step, audited) and the field shows it as a date."""
    claim = ids["lonely"]
    empty_session.set_current(claim)
    stack = empty_session.undo_stack
    steps = stack.count()
    editor = getattr(pane, name)
    assert pane.focus_field(name)
    type_text(editor, typed)
    assert pane.day_hints[name].text() == hint and pane.day_hints[name].isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert column(empty_session, claim, name) in (dt.date.fromisoformat(stored), stored)
    assert stack.count() == steps + 1 and stack.undoText() == f"edit {name.replace('_', ' ')}"
    assert _audited(empty_session, claim, name)[-1] == ("null", f'"{stored}"')  # JSON values
    assert editor.text() == stored and pane.day_hints[name].isHidden()
    assert pane.problems["dates"].isHidden()
    stack.undo()
    assert column(empty_session, claim, name) is None and editor.text() == ""


def test_an_event_day_phrase_without_a_claimed_date_is_refused_and_writes_nothing(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    claim = ids["lonely"]
    empty_session.perform(lambda s: s.update_claim(claim, claimed=None), "clear claimed")
    empty_session.set_current(claim)
    steps = empty_session.undo_stack.count()
    pane.focus_field("event_start")
    qtbot.keyClicks(pane.event_start, "yesterday")
    assert pane.day_hints["event_start"].isHidden()
    qtbot.keyClick(pane.event_start, Qt.Key.Key_Return)
    assert pane.problems["dates"].text() == (
        "⚠ Event start: “yesterday” is counted from the claimed date: give that first."
    )
    assert column(empty_session, claim, "event_start") is None and empty_session.undo_stack.count() == steps
    pane.event_start.selectAll()
    type_text(pane.event_start, "14 грудня 2022 року")  # a full date needs no claimed day
    assert pane.day_hints["event_start"].text() == "= 2022-12-14, Wednesday"
    qtbot.keyClick(pane.event_start, Qt.Key.Key_Return)
    assert column(empty_session, claim, "event_start") in (dt.date(2022, 12, 14), "2022-12-14")


def test_the_claimed_date_itself_takes_only_a_date(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    """It has nothing to count a phrase from (the event's days count from it)."""
    empty_session.set_current(ids["lonely"])
    pane.focus_field("claimed")
    pane.claimed.selectAll()
    qtbot.keyClicks(pane.claimed, "yesterday")
    qtbot.keyClick(pane.claimed, Qt.Key.Key_Return)
    assert "“yesterday” is not a date: write it as YYYY-MM-DD" in pane.problems["dates"].text()
    assert column(empty_session, ids["lonely"], "claimed") in (dt.date(2022, 12, 14), "2022-12-14")


def test_hostile_text_is_shown_literally(
    pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["hostile"])
    assert pane.text.toPlainText() == HOSTILE_TEXT
    assert pane.notes.toPlainText() == "notes with <i>markup</i>"
    labels = pane.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_esc_is_left_to_the_window_unless_it_cancels_an_edit(
    qtbot: QtBot, host: Host, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    pane = host.pane
    empty_session.set_current(ids["breach"])
    pane.focus_field("tags")
    qtbot.keyClick(pane.tags, Qt.Key.Key_Escape)
    assert host.keys == [Qt.Key.Key_Escape]  # nothing to cancel: the window gets it
    qtbot.keyClicks(pane.tags, ", typo")
    qtbot.keyClick(pane.tags, Qt.Key.Key_Escape)
    assert pane.tags.text() == "breakthrough" and host.keys == [Qt.Key.Key_Escape]
    override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(pane.tags, override)
    assert not override.isAccepted()  # a window shortcut on Esc may fire


def test_delete_on_a_link_removes_it_undoably(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    assert pane.focus_field("links")
    row = next(i for i, link in enumerate(pane.links.records()) if link.other_id == ids["repelled"])
    pane.links.setCurrentRow(row)
    qtbot.keyClick(pane.links, Qt.Key.Key_Delete)
    assert empty_session.store.link_between(ids["breach"], ids["repelled"]) is None
    assert ids["repelled"] not in [link.other_id for link in pane.links.records()]
    assert pane.status.text().startswith(status_text("unconfirmed"))  # only the neutral is left
    empty_session.undo_stack.undo()
    assert empty_session.store.link_between(ids["breach"], ids["repelled"]) is not None
    assert pane.status.text().startswith(status_text("contradicted"))


def test_enter_on_a_link_jumps_to_the_other_claim(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    pane.focus_field("links")
    row = next(i for i, link in enumerate(pane.links.records()) if link.other_id == ids["isw-neutral"])
    pane.links.setCurrentRow(row)
    qtbot.keyClick(pane.links, Qt.Key.Key_Return)
    assert empty_session.current == ids["isw-neutral"] and pane.claim_id == ids["isw-neutral"]
    # Directed neutral (docs/status-rules.md, rule 4): the non-committal statement itself gains nothing from it.
    assert pane.status.text().startswith(status_text("unverified"))
    assert "is evidence on that claim, not on this one" in pane.status.text()
    assert "(deleted)" not in pane.status.text()


def test_deleted_current_claim_shows_the_empty_state_and_undo_brings_it_back(
    pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["lonely"])
    empty_session.perform(lambda s: s.delete_claim(ids["lonely"]), "delete claim")
    assert pane.empty_message() is not None and pane.empty_message().startswith(DELETED)
    assert pane.body.isHidden()
    empty_session.undo_stack.undo()
    assert pane.empty_message() is None and pane.text.toPlainText() == "Fighting reported near Opytne."


def test_refresh_does_not_clobber_a_field_being_edited(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    pane.focus_field("tags")
    qtbot.keyClicks(pane.tags, "urban")  # after the separator the key put there
    empty_session.perform(lambda s: s.update_claim(ids["breach"], credibility=2), "set credibility 2")
    assert pane.credibility.currentText() == "2 — probably true"
    assert pane.tags.text() == "breakthrough, urban"
    qtbot.keyClick(pane.tags, Qt.Key.Key_Return)
    assert column(empty_session, ids["breach"], "tags") in (["breakthrough", "urban"], '["breakthrough", "urban"]')


def test_switching_claims_saves_the_edit_for_the_claim_it_was_typed_for(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["lonely"])
    pane.focus_field("notes")
    qtbot.keyClicks(pane.notes, "check footage")
    empty_session.set_current(ids["breach"])
    assert column(empty_session, ids["lonely"], "notes") == "check footage"
    assert pane.notes.toPlainText() == ""


def test_status_refreshes_when_a_link_elsewhere_changes_it(
    pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["lonely"])
    assert pane.status.text().startswith(status_text("unverified"))
    empty_session.perform(lambda s: s.set_link(ids["offensive"], ids["lonely"], "corroborates", "x"), "mark")
    assert pane.status.text().startswith(status_text("corroborated"))


def test_tab_order_follows_the_sections(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    pane.focus_first_field()
    seen = [QApplication.focusWidget()]
    for _ in range(30):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    expected = [name for name in DetailPane.FIELDS if name != "likelihood"]  # disabled: the claim is an event
    order = [name for name in DetailPane.FIELDS if getattr(pane, name) in seen]
    positions = [seen.index(getattr(pane, name)) for name in order]
    assert order == expected and positions == sorted(positions)


def test_urls_open_only_over_http(
    qtbot: QtBot,
    pane: DetailPane,
    empty_session: WorkspaceSession,
    ids: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    empty_session.set_current(ids["breach"])
    assert pane.source_url.full_text() == "https://t.me/rybar"
    qtbot.mouseClick(pane.open_source, Qt.MouseButton.LeftButton)
    assert opened == ["https://t.me/rybar"]
    for hostile in ("file:///etc/passwd", "javascript:alert(1)", "mailto:x@example.org", ""):
        assert not open_web_url(hostile)
    assert opened == ["https://t.me/rybar"]
    empty_session.set_current(ids["lonely"])  # no source URL: the button is disabled
    assert not pane.open_source.isEnabled()


def test_pane_never_needs_to_be_wider_than_a_side_pane(
    pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    for claim in ("breach", "hostile", "offensive"):
        empty_session.set_current(ids[claim])
        assert pane.widget().minimumSizeHint().width() <= 420


# --- the source and report pickers --------------------------------------------------------------


def type_text(widget: QWidget, typed: str) -> None:
    """Type any script: QTest's keyClicks aborts on characters outside Latin-1, a key event with text does not."""
    for char in typed:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def test_source_is_found_by_typing_and_set_in_one_undo_step(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    stack = empty_session.undo_stack
    before = stack.count()
    assert pane.focus_field("source")
    qtbot.keyClicks(pane.source, "general")  # typing opens the search with what was typed
    popup = pane.source.popup
    assert popup is not None and popup.search.text() == "general"
    assert pane.source.matches() == ["General Staff of Ukraine · ukraine · B"]
    assert stack.count() == before  # the preview in the picker writes nothing
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert column(empty_session, ids["breach"], "source_id") == ids["src:genstaff"]
    assert stack.count() == before + 1 and stack.undoText() == "set source General Staff of Ukraine · ukraine · B"
    assert pane.source.popup is None and pane.source.hasFocus()
    assert pane.source.currentText() == "General Staff of Ukraine · ukraine · B"
    assert pane.source_facts.text().startswith("government")
    stack.undo()
    assert column(empty_session, ids["breach"], "source_id") == ids["src:rybar"]
    assert pane.source.currentText() == "Rybar · russia · C"


def test_source_search_knows_aliases_and_choosing_the_same_source_writes_nothing(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    before = empty_session.undo_stack.count()
    pane.focus_field("source")
    qtbot.keyClick(pane.source, Qt.Key.Key_F4)
    popup = pane.source.popup
    assert popup is not None and popup.search.hasFocus()
    assert popup.results.currentItem().text() == "Rybar · russia · C — also Рыбарь"  # the current one
    type_text(popup.search, "рыбарь")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert pane.source.value() == ids["src:rybar"] and empty_session.undo_stack.count() == before


def test_esc_closes_a_picker_keeping_its_value_and_a_second_esc_goes_to_the_window(
    qtbot: QtBot, host: Host, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    pane = host.pane
    empty_session.set_current(ids["breach"])
    before = empty_session.undo_stack.count()
    pane.focus_field("report")
    qtbot.keyClicks(pane.report, "isw")
    assert pane.report.popup is not None
    assert pane.report.currentText().startswith("ISW assessment")  # the best match, previewed
    qtbot.keyClick(pane.report.popup.search, Qt.Key.Key_Escape)
    assert pane.report.popup is None and pane.report.hasFocus() and host.keys == []
    assert pane.report.value() == ids["report:rybar"] and empty_session.undo_stack.count() == before
    assert pane.report.currentText().startswith("Rybar: situation")  # restored
    qtbot.keyClick(pane.report, Qt.Key.Key_Escape)
    assert host.keys == [Qt.Key.Key_Escape]


def test_tab_leaves_an_open_picker_choosing_nothing(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    before = empty_session.undo_stack.count()
    pane.focus_field("source")
    qtbot.keyClicks(pane.source, "isw")
    popup = pane.source.popup
    assert popup is not None
    qtbot.keyClick(popup.search, Qt.Key.Key_Tab)
    assert pane.source.popup is None and QApplication.focusWidget() is pane.edit_source
    assert pane.source.value() == ids["src:rybar"] and empty_session.undo_stack.count() == before
    assert pane.source.currentText() == "Rybar · russia · C"


def test_report_picker_offers_none_the_current_report_and_the_sources_reports_first(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    pane.focus_field("report")
    qtbot.keyClick(pane.report, Qt.Key.Key_Down)
    assert pane.report.matches() == [
        "— none",
        "Rybar: situation on the Bakhmut direction · Rybar · 2022-12-14",
        "ISW assessment · Institute for the Study of War · 2022-12-15",
    ]
    popup = pane.report.popup
    assert popup is not None and popup.results.currentRow() == 1  # the current report is highlighted
    qtbot.keyClick(popup.search, Qt.Key.Key_Up)
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert column(empty_session, ids["breach"], "report_id") is None
    assert empty_session.undo_stack.undoText() == "set report none"
    assert pane.report.currentText() == "— none" and pane.report_url.full_text() == "—"
    empty_session.undo_stack.undo()
    assert pane.report.currentText().startswith("Rybar: situation on the Bakhmut direction")


def test_a_wheel_or_a_refresh_never_changes_a_picker(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    before = empty_session.undo_stack.count()
    pane.focus_field("report")
    qtbot.keyClick(pane.report, Qt.Key.Key_Home)  # would step to "— none" on a plain combo
    empty_session.perform(lambda s: s.update_source(ids["src:rybar"], reliability="B"), "edit source")
    assert pane.source.currentText() == "Rybar · russia · B"  # the label follows the source
    assert column(empty_session, ids["breach"], "report_id") == ids["report:rybar"]
    assert empty_session.undo_stack.count() == before + 1


class VmSteps:
    """Counts SQLite virtual-machine steps (in hundreds) run through ``engine``, whatever the query."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.steps = 0
        self._connections: list[Any] = []
        event.listen(engine, "before_cursor_execute", self._install)

    def _install(self, conn: Any, *_args: object) -> None:
        raw = conn.connection.dbapi_connection
        if raw not in self._connections:
            raw.set_progress_handler(self._tick, 100)
            self._connections.append(raw)

    def _tick(self) -> int:
        self.steps += 1
        return 0  # go on

    def measure(self, run: Any) -> int:
        start = self.steps
        run()
        return self.steps - start

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._install)
        for raw in self._connections:
            raw.set_progress_handler(None, 0)


def test_building_the_pane_reads_no_list_however_many_reports_there_are(
    qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    with empty_session.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO report (ext_id, title, source_id, published, text) VALUES (?, ?, ?, ?, '')",
            [
                (f"bulk-{i}", f"Bulk report {i}", (ids["src:isw"], ids["src:genstaff"], None)[i % 3], "2023-01-01")
                for i in range(20_000)
            ],
        )
    empty_session.set_current(ids["breach"])
    counter = VmSteps(empty_session.engine)
    try:

        def read_all() -> None:
            with empty_session.engine.connect() as connection:
                assert len(read_reports(connection, "")) == 20_002

        every_report = counter.measure(read_all)
        panes: list[DetailPane] = []
        building = counter.measure(lambda: panes.append(DetailPane(empty_session)))
        pane = panes[0]
        qtbot.addWidget(pane)
        assert pane.claim_id == ids["breach"] and pane.report.value() == ids["report:rybar"]
        assert pane.report.count() == 2 and pane.source.count() == 1  # "— none" and the current value only
        assert building * 20 < every_report, (building, every_report)
        pane.show()
        pane.report.setFocus()
        opening = counter.measure(lambda: qtbot.keyClick(pane.report, Qt.Key.Key_Space))
        assert len(pane.report.matches()) == PICK_LIMIT + 1  # "— none", then one page
        assert opening * 20 < every_report, (opening, every_report)
        assert "the first 50 matches" in pane.report.popup.note.text().lower()
        pane.report.hidePopup()
    finally:
        counter.close()


def test_the_headline_has_the_tables_colour_for_its_status_and_verdict(
    pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    colour = status_colour("contradicted", pane.status.palette()).name()
    assert pane.status.headline.styleSheet() == f"color: {colour};"  # as the table paints ✖ contradicted
    empty_session.perform(lambda s: s.update_claim(ids["breach"], verdict="confirmed"), "set verdict")
    colour = status_colour("confirmed", pane.status.palette()).name()
    assert pane.status.headline.styleSheet() == f"color: {colour};"


@pytest.mark.parametrize("verdict", [None, "inconclusive", "confirmed"])
def test_a_narrow_pane_shows_the_whole_status_block_without_cutting_it(
    qtbot: QtBot, host: Host, empty_session: WorkspaceSession, ids: dict[str, int], verdict: str | None
) -> None:
    """The pane never scrolls sideways: a verdict's headline with the derived status beside it must fit its width."""
    empty_session.set_current(ids["breach"])
    empty_session.perform(lambda s: s.update_claim(ids["breach"], verdict=verdict), "set verdict")
    host.resize(330, 900)
    qtbot.waitUntil(lambda: host.pane.viewport().width() <= 330)
    content = host.pane.widget()
    assert content.minimumSizeHint().width() <= host.pane.viewport().width()
    assert content.width() <= host.pane.viewport().width()


def test_a_date_jumped_to_is_replaced_by_what_is_typed(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    """Shift+D on a claim that has an event day, then a new day typed: the field holds the new day alone."""
    claim = ids["lonely"]
    empty_session.perform(lambda s: s.update_claim(claim, event_start=dt.date(2022, 12, 1)), "set day")
    empty_session.set_current(claim)
    assert pane.focus_field("event_start")
    qtbot.keyClicks(pane.event_start, "2022-12-13")
    assert pane.event_start.text() == "2022-12-13"
    qtbot.keyClick(pane.event_start, Qt.Key.Key_Return)
    assert column(empty_session, claim, "event_start") in (dt.date(2022, 12, 13), "2022-12-13")
    pane.focus_field("text")
    assert not pane.text.textCursor().hasSelection()  # a text is still opened at its end, to add to
