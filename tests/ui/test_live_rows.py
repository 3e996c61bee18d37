"""Live, row by row (DESIGN §7): a claim made, deleted or imported by another session enters or leaves the open
table as inserted or removed rows — no reset — so the table keeps its place and selection; tested with two
sessions on one SQLite file and on the tests' PostgreSQL server, the window hearing the change by itself."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core import db
from desktop.core.interchange import import_json
from desktop.core.workspace import Workspace, open_workspace
from desktop.ui.session import WorkspaceSession
from desktop.ui.table.model import ClaimTableModel
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

WAIT_MS = 20_000


def _document(prefix: str, count: int) -> bytes:
    """A small workspace document: one source and ``count`` claims dated inside the sample's days."""
    claims = [
        {
            "id": f"{prefix}-{n}",
            "text": f"Report {n} of shelling near Bakhmut ({prefix}).",
            "source": f"{prefix}-src",
            "claimed": "2022-12-14",
            "recorded": "2022-12-15T12:00:00Z",
        }
        for n in range(count)
    ]
    source = {"id": f"{prefix}-src", "name": f"Channel {prefix}", "kind": "telegram-channel", "side": "russia"}
    return json.dumps({"format": "crosscheck-workspace", "version": 2, "sources": [source], "claims": claims}).encode()


def _ids(model: ClaimTableModel) -> list[int | None]:
    return [model.claim_id(row) for row in range(model.rowCount())]


def _check_rows_follow_the_workspace(window: MainWindow) -> None:
    """The table's rows, row by row, are what a fresh read of the workspace gives, and the count is right."""
    model = window.table.claim_model
    fresh = ClaimTableModel(window.session)
    try:
        assert _ids(model) == _ids(fresh)
        assert model.total_count() == fresh.total_count()
    finally:
        fresh.deleteLater()


def _follow(qtbot: QtBot, window: MainWindow, other: Workspace, sample_ids: dict[str, int]) -> None:
    """``other`` makes, deletes and imports claims; ``window`` inserts and removes rows, never resets."""
    model = window.table.claim_model
    kept = sample_ids["c-genstaff-repelled"]
    assert window.table.select_claim(kept)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    count = model.rowCount()
    source = other.store.create_source("Relay channel", side="russia").value

    with qtbot.waitSignal(model.rowsInserted, timeout=WAIT_MS) as inserted:
        made = other.store.create_claim("Shelling reported near Opytne.", source, claimed=dt.date(2022, 12, 14)).value
    qtbot.waitUntil(lambda: model.rowCount() == count + 1, timeout=WAIT_MS)
    assert model.row_of(made) == inserted.args[1]
    assert window.table.current_claim() == kept and window.session.current == kept
    _check_rows_follow_the_workspace(window)

    gone = sample_ids["c-mb-soledar"]
    assert model.row_of(gone) is not None
    with qtbot.waitSignal(model.rowsRemoved, timeout=WAIT_MS):
        other.store.delete_claim(gone)
    qtbot.waitUntil(lambda: model.rowCount() == count, timeout=WAIT_MS)
    assert model.row_of(gone) is None
    assert window.table.current_claim() == kept
    _check_rows_follow_the_workspace(window)

    with qtbot.waitSignal(model.rowsInserted, timeout=WAIT_MS):
        import_json(other.engine, _document("imp", 3), analyst="bob")
    qtbot.waitUntil(lambda: model.rowCount() == count + 3, timeout=WAIT_MS)
    assert window.table.current_claim() == kept
    _check_rows_follow_the_workspace(window)
    assert resets == []  # every change arrived as rows inserted or removed


@OFFSCREEN_NOISE
def test_two_sessions_on_one_sqlite_file_insert_and_remove_rows_in_place(
    qtbot: QtBot, qtmodeltester: Any, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    path = db.sqlite_path(window.session.engine)
    assert path is not None
    qtmodeltester.check(window.table.claim_model)  # Qt's model tester then checks every insertion and removal
    other = open_workspace(str(path), analyst="bob")
    try:
        _follow(qtbot, window, other, sample_ids)
    finally:
        other.close()


@OFFSCREEN_NOISE
def test_the_windows_own_writes_are_not_counted_twice_when_the_feed_reads_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    model = window.table.claim_model
    count = model.rowCount()
    source = window.session.store.create_source("Own channel").value
    outcome = window.session.perform(
        lambda store: store.create_claim("Own claim.", source, claimed=dt.date(2022, 12, 13)), "add claim"
    )
    assert outcome.error is None and model.rowCount() == count + 1
    window.live.check_now()  # the feed reads this window's own audit rows: no news
    assert model.rowCount() == count + 1
    # A bulk import by this window reloads the table; the feed then hears the import's rows, counted already.
    import_json(window.session.engine, _document("own", 2), analyst="me")
    window.session.refresh_all()
    window.live.check_now()
    assert model.rowCount() == count + 3
    _check_rows_follow_the_workspace(window)


@pytest.mark.postgres
@OFFSCREEN_NOISE
def test_two_sessions_on_postgresql_insert_and_remove_rows_in_place(
    qtbot: QtBot, qapp: object, postgres_url: str, open_window: Callable[[WorkspaceSession], MainWindow]
) -> None:
    from desktop.resources import resource

    mine = open_workspace(postgres_url, analyst="ana")
    import_json(mine.engine, resource("sample-workspace.json").read_bytes(), analyst="ana")
    other = open_workspace(postgres_url, analyst="bob")
    try:
        window = open_window(WorkspaceSession(mine))
        with mine.engine.connect() as connection:
            ids = {e: i for i, e in connection.execute(text("SELECT id, ext_id FROM claim")).all()}
        _follow(qtbot, window, other, ids)
    finally:
        other.close()
        mine.close()


@OFFSCREEN_NOISE
def test_a_row_inserted_or_removed_above_the_screen_leaves_the_rows_shown_in_place(
    qtbot: QtBot, window: MainWindow
) -> None:
    path = db.sqlite_path(window.session.engine)
    assert path is not None
    other = open_workspace(str(path), analyst="bob")
    try:
        source = other.store.create_source("Archive").value
        made = [
            other.store.create_claim(f"Archived report {n}.", source, claimed=dt.date(2022, 1, 1) + dt.timedelta(n))
            for n in range(150)
        ]
        model, table = window.table.claim_model, window.table
        qtbot.waitUntil(lambda: model.rowCount() >= 170, timeout=WAIT_MS)
        assert table.select_claim(made[40].value)  # far down: the table scrolls there
        top = model.claim_id(table.rowAt(0))
        assert table.verticalScrollBar().value() > 0
        with qtbot.waitSignal(model.rowsInserted, timeout=WAIT_MS) as inserted:
            other.store.create_claim("Newest word from Bakhmut.", source, claimed=dt.date(2022, 12, 30))
        assert inserted.args[1] < table.rowAt(0)  # above the rows shown
        assert model.claim_id(table.rowAt(0)) == top and table.current_claim() == made[40].value
        with qtbot.waitSignal(model.rowsRemoved, timeout=WAIT_MS):
            other.store.delete_claim(made[140].value)  # a claim above the screen (later date, sorted first)
        assert model.claim_id(table.rowAt(0)) == top and table.current_claim() == made[40].value
        _check_rows_follow_the_workspace(window)
    finally:
        other.close()
