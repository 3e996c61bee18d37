"""The window's "as analyst" view (DESIGN §2): the statuses derived from one analyst's judgements alone,
entered by one key with a picker, said by a banner, read-only, left by the same key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.interchange.status_report import claim_statuses
from desktop.core.store import Store
from desktop.ui.session import WorkspaceSession
from desktop.ui.table.columns import COL_STATUS, COL_SUGGESTED
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
)

SHORTCUT = (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture
def judged(
    review_session: WorkspaceSession, sample_ids: dict[str, int], open_window: Callable[[WorkspaceSession], MainWindow]
) -> MainWindow:
    """anna finds the breach corroborated by the General Staff; bob, later, finds it contradicted."""
    engine = review_session.engine
    Store(engine, "anna").set_link(sample_ids["c-breach"], sample_ids["c-genstaff-repelled"], "corroborates")
    Store(engine, "bob").set_link(sample_ids["c-genstaff-repelled"], sample_ids["c-breach"], "contradicts")
    return open_window(review_session)


def _pick(monkeypatch: pytest.MonkeyPatch, name: str, offered: list[list[str]]) -> None:
    def answer(_parent: Any, _title: str, _label: str, items: list[str], current: int, _editable: bool) -> Any:
        offered.append(list(items))
        return next(item for item in items if item.startswith(f"{name} — ")), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(answer))


def _cell(window: MainWindow, claim: int, column: int) -> str:
    model = window.table.claim_model
    row = model.row_of(claim)
    assert row is not None
    return str(model.index(row, column).data())


@OFFSCREEN_NOISE
def test_the_view_follows_one_analyst_in_table_and_pane_and_the_same_key_goes_back(
    qtbot: QtBot, judged: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, breach = judged, sample_ids["c-breach"]
    assert window.table.select_claim(breach)
    everyone = _cell(window, breach, COL_STATUS)
    offered: list[list[str]] = []
    _pick(monkeypatch, "anna", offered)
    qtbot.keyClick(window.table, *SHORTCUT)
    assert len(offered) == 1 and offered[0][:2] == ["anna — 1 judgement", "bob — 1 judgement"]
    banner = window.analyst_banner.text()
    assert banner.startswith("Statuses as anna sees them — derived from anna's 1 judgement alone")
    assert "Read-only. Ctrl+Shift+A: back to everyone's statuses." in banner
    assert window.table.claim_model.headerData(COL_STATUS, Qt.Orientation.Horizontal) == "Status as anna"
    as_anna = {row["id"]: row for row in claim_statuses(window.session.engine, analyst="anna")}
    assert as_anna["c-breach"]["status"] == "corroborated"
    assert "corroborated" in _cell(window, breach, COL_STATUS).lower()
    assert _cell(window, breach, COL_SUGGESTED) == "1"
    # A claim no judgement of anna's touches is unverified as she sees it, whatever everyone's links say.
    assert "unverified" in _cell(window, sample_ids["c-isw-offensive"], COL_STATUS).lower()
    pane = window.detail.status.text()
    assert pane.startswith("As anna sees it — derived from anna's judgements alone\n")
    assert "Corroborated: supported by a claim from an independent origin" in pane
    assert "Analysts disagree on its link with" in pane

    qtbot.keyClick(window.table, *SHORTCUT)  # the same key: back to everyone's statuses
    assert window.analyst_banner.isHidden()
    assert _cell(window, breach, COL_STATUS) == everyone
    assert not window.detail.status.text().startswith("As anna")
    assert window.session.read_only is None


@OFFSCREEN_NOISE
def test_the_view_is_read_only_and_says_how_to_go_back(
    qtbot: QtBot, judged: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, breach = judged, sample_ids["c-breach"]
    assert window.table.select_claim(breach)
    _pick(monkeypatch, "bob", [])
    qtbot.keyClick(window.table, *SHORTCUT)
    engine = window.session.engine

    def grade() -> object:
        with engine.connect() as connection:
            return connection.execute(text("SELECT credibility FROM claim WHERE id = :c"), {"c": breach}).scalar()

    before, audits = grade(), _audit_rows(window)
    qtbot.keyClick(window.table, Qt.Key.Key_2)  # a credibility grade
    assert grade() == before and _audit_rows(window) == audits
    message = window.status.message_text()
    assert "statuses as bob sees them, which is read-only — Ctrl+Shift+A goes back" in message
    qtbot.keyClick(window.table, *SHORTCUT)
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert grade() == 2  # back in everyone's view, the same key edits


@OFFSCREEN_NOISE
def test_a_judgement_committed_meanwhile_re_derives_the_view(
    qtbot: QtBot, judged: MainWindow, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, breach = judged, sample_ids["c-breach"]
    _pick(monkeypatch, "anna", [])
    qtbot.keyClick(window.table, *SHORTCUT)
    assert "corroborated" in _cell(window, breach, COL_STATUS).lower()
    # anna, in another window, changes her mind: this window hears it and shows her new view.
    Store(window.session.engine, "anna").set_link(
        sample_ids["c-breach"], sample_ids["c-genstaff-repelled"], "contradicts"
    )
    window.live.check_now()
    qtbot.waitUntil(lambda: "contradicted" in _cell(window, breach, COL_STATUS).lower())
    assert "2 judgement" not in window.analyst_banner.text()  # still one judgement of hers, replaced


def _audit_rows(window: MainWindow) -> int:
    with window.session.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM audit")).scalar_one())
