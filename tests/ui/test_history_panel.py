"""The history panel (pytest-qt): the current claim's changes in words, newest first, undo-able steps marked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.ui.history.panel import UNDOABLE, HistoryPanel
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _claim(session: WorkspaceSession, ext_id: str) -> int:
    with session.engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar_one())


def test_the_panel_shows_the_current_claims_changes_newest_first(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = HistoryPanel(session)
    qtbot.addWidget(panel)
    assert panel.lines() == []
    breach = _claim(session, "c-breach")
    session.set_current(breach)
    assert panel.lines()[0].endswith("sample: claim c-breach imported") or "imported" in panel.lines()[-1]
    session.perform(lambda store: store.update_claim(breach, credibility=2), "grade")
    session.perform(lambda store: store.update_claim(breach, verdict="refuted"), "verdict")
    newest = panel.lines()[:2]
    assert newest[0].startswith(UNDOABLE) and newest[0].endswith("tester: verdict none → refuted")
    assert newest[1].startswith(UNDOABLE) and "tester: credibility" in newest[1] and newest[1].endswith("→ 2")
    session.undo()
    assert not any(line.endswith("verdict none → refuted") and line.startswith(UNDOABLE) for line in panel.lines())
    assert panel.lines()[0].endswith("tester: verdict refuted → none")  # the undo is a change too


def test_the_panel_holds_links_by_either_end_and_the_sources_changes(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = HistoryPanel(session)
    qtbot.addWidget(panel)
    breach, repelled = _claim(session, "c-breach"), _claim(session, "c-genstaff-repelled")
    session.set_current(breach)
    session.perform(lambda store: store.set_link(repelled, breach, "contradicts", "direct denial"), "link")
    with session.engine.connect() as connection:
        source = connection.execute(text("SELECT source_id FROM claim WHERE id = :c"), {"c": breach}).scalar_one()
    session.perform(lambda store: store.update_source(source, reliability="A"), "grade source")
    text_ = "\n".join(panel.lines())
    assert "reliability" in panel.lines()[0] and panel.lines()[0].endswith("→ A")
    assert "c-genstaff-repelled → c-breach" in text_


def test_a_new_claim_starts_its_history_with_its_creation(qtbot: QtBot, empty_session: WorkspaceSession) -> None:
    panel = HistoryPanel(empty_session)
    qtbot.addWidget(panel)
    source = empty_session.perform(lambda store: store.create_source("Rybar"), "add source").value
    claim = empty_session.perform(lambda store: store.create_claim("Breach <b>east</b>", source), "add claim").value
    empty_session.set_current(claim)
    assert len(panel.lines()) == 2
    assert panel.lines()[0].startswith(UNDOABLE) and panel.lines()[0].endswith("tester: created: “Breach <b>east</b>”")
    assert panel.lines()[1].startswith(UNDOABLE) and panel.lines()[1].endswith("tester: source created: Rybar")
    empty_session.set_current(None)
    assert panel.lines() == []


def test_the_window_shows_the_history_under_the_detail_pane_and_ctrl_h_toggles_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.history_box.isVisible() and window.history.lines()  # the current claim's changes
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert not window.history_box.isVisible() and window.table.hasFocus()
    window.named_actions["view.history"].trigger()
    assert window.history_box.isVisible()


def test_the_panel_names_sources_and_shows_requests_for_comment(qtbot: QtBot, session: WorkspaceSession) -> None:
    """Lines name what the analyst knows (a source's name, not src-…), and a request for comment about the
    claim — recorded with O — is part of its story."""
    panel = HistoryPanel(session)
    qtbot.addWidget(panel)
    breach = _claim(session, "c-breach")
    session.set_current(breach)
    with session.engine.connect() as connection:
        isw = connection.execute(text("SELECT id FROM source WHERE ext_id = 'src-isw'")).scalar_one()
    session.perform(lambda store: store.update_claim(breach, source_id=isw), "source")
    assert panel.lines()[0].endswith("tester: source Rybar → “Institute for the Study of War”")
    session.perform(lambda store: store.create_outreach("Wagner press service", about=[breach]), "ask")
    assert panel.lines()[0].startswith(UNDOABLE)
    assert panel.lines()[0].endswith("tester: request for comment created: “Wagner press service”")
    session.undo()
    assert panel.lines()[0].endswith("tester: source Rybar → “Institute for the Study of War”")
    assert not any("src-" in line or "(deleted)" in line for line in panel.lines())
    assert any(line.endswith("sample: source “Institute for the Study of War” imported") for line in panel.lines())
