"""The detail pane's lists and pickers (places, requests for comment) and its rendering of the sample workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.ui.detail import edits as detail_edits
from desktop.ui.detail.pane import DetailPane
from desktop.ui.dialogs.outreach import OutreachDialog
from desktop.ui.session import WorkspaceSession
from tests.core._detail_workspace import build

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def ids(empty_session: WorkspaceSession) -> dict[str, int]:
    return build(empty_session.store)


@pytest.fixture
def pane(qtbot: QtBot, empty_session: WorkspaceSession, ids: dict[str, int]) -> DetailPane:
    widget = DetailPane(empty_session)
    qtbot.addWidget(widget)
    widget.resize(480, 900)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def test_places_added_with_the_picker_and_removed_with_delete(
    qtbot: QtBot,
    pane: DetailPane,
    empty_session: WorkspaceSession,
    ids: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty_session.set_current(ids["lonely"])
    monkeypatch.setattr(detail_edits, "pick_place", lambda *args, **kwargs: ids["place:soledar"])
    pane.add_place.setFocus()
    qtbot.keyClick(pane.add_place, Qt.Key.Key_Space)
    assert [p.name for p in pane.places.records()] == ["Opytne", "Soledar"]
    pane.places.setFocus()
    pane.places.setCurrentRow(0)
    qtbot.keyClick(pane.places, Qt.Key.Key_Delete)
    assert [p.name for p in pane.places.records()] == ["Soledar"]
    empty_session.undo_stack.undo()
    assert [p.name for p in pane.places.records()] == ["Opytne", "Soledar"]


def test_delete_on_a_shared_request_takes_only_this_claim_off_it(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["breach"])
    pane.focus_field("outreach")
    qtbot.keyClick(pane.outreach, Qt.Key.Key_Delete)
    assert pane.outreach.isHidden() and not pane.outreach_empty.isHidden()
    with empty_session.engine.connect() as connection:
        about = connection.execute(
            text("SELECT claim_id FROM outreach_claim WHERE outreach_id = :o"), {"o": ids["outreach:mod"]}
        )
        assert [r[0] for r in about] == [ids["repelled"]]
    empty_session.undo_stack.undo()
    assert [o.party for o in pane.outreach.records()] == ["Ministry of Defence"]


def test_request_comment_from_the_pane(
    qtbot: QtBot, pane: DetailPane, empty_session: WorkspaceSession, ids: dict[str, int]
) -> None:
    empty_session.set_current(ids["lonely"])

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, OutreachDialog)
        qtbot.keyClicks(dialog.party, "Press office")
        qtbot.keyClick(dialog.party, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    pane.request_comment.setFocus()
    qtbot.keyClick(pane.request_comment, Qt.Key.Key_Space)
    (item,) = pane.outreach.records()
    assert (item.party, item.status, item.about) == ("Press office", "pending", (ids["lonely"],))


def test_sample_workspace_claim_renders_explained(
    qtbot: QtBot, session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    pane = DetailPane(session)
    qtbot.addWidget(pane)
    pane.resize(480, 900)
    pane.show()
    for ext_id in sorted(sample_ids):
        session.set_current(sample_ids[ext_id])
        detail = pane.detail
        assert detail is not None and pane.empty_message() is None
        assert pane.status.reasons[0].text() == detail.explanation[0]  # every status is explained in words
        assert len(pane.links.records()) == len(detail.links)
        assert pane.widget().minimumSizeHint().width() <= 420
