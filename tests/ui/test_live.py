"""Live (DESIGN §7): a change committed by another process reaches the open window within moments,
without a reload — the table keeps its place and selection, the text being typed stays."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core import db
from desktop.core.store import Change
from desktop.ui.live.watcher import LiveWatcher
from desktop.ui.session import WorkspaceSession
from desktop.ui.table.columns import COL_CREDIBILITY
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

ROOT = Path(__file__).resolve().parents[2]


def apply_elsewhere(location: str, tmp_path: Path, *changes: dict[str, object]) -> subprocess.Popen[bytes]:
    """Another process — the command line — applies ``changes`` to the same workspace."""
    document = tmp_path / "changes.json"
    document.write_text(json.dumps({"format": "crosscheck-changes", "version": 1, "changes": list(changes)}))
    return subprocess.Popen(
        [sys.executable, "main.py", "--db", location, "apply", str(document)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "CROSSCHECK_ANALYST": "bob", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_change_by_another_process_reaches_the_session(
    qtbot: QtBot, session: WorkspaceSession, tmp_path: Path
) -> None:
    watcher = LiveWatcher(session)
    try:
        location = str(db.sqlite_path(session.engine))
        edit = {"op": "update", "entity": "claim", "id": "c-breach", "set": {"credibility": 2}}
        with qtbot.waitSignal(session.changed, timeout=20_000) as heard:
            writer = apply_elsewhere(location, tmp_path, edit)
            _out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
        change: Change = heard.args[0]
        with session.engine.connect() as connection:
            breach = connection.execute(text("SELECT id FROM claim WHERE ext_id = 'c-breach'")).scalar_one()
        assert breach in change.claims
    finally:
        watcher.stop()


@OFFSCREEN_NOISE
def test_the_window_applies_it_keeping_place_selection_and_typed_text(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, sample_ids: dict[str, int]
) -> None:
    claim = sample_ids["c-genstaff-repelled"]
    assert window.table.select_claim(claim)
    window.detail.notes.setFocus()
    window.detail.notes.setPlainText("half-typed note")  # not saved yet: the analyst is still typing
    location = str(db.sqlite_path(window.session.engine))
    edit = {"op": "update", "entity": "claim", "id": "c-genstaff-repelled", "set": {"credibility": 5}}
    with qtbot.waitSignal(window.session.changed, timeout=20_000):
        writer = apply_elsewhere(location, tmp_path, edit)
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    qtbot.waitUntil(lambda: "5" in _credibility(window, claim))
    assert window.table.current_claim() == claim  # the same row is still selected
    assert window.detail.notes.toPlainText() == "half-typed note"


def _credibility(window: MainWindow, claim: int) -> str:
    model = window.table.claim_model
    row = model.row_of(claim)
    return "" if row is None else str(model.index(row, COL_CREDIBILITY).data())


@pytest.mark.postgres
def test_on_postgresql_a_change_arrives_by_notify_and_a_dropped_connection_reconnects(
    qtbot: QtBot, qapp: object, postgres_url: str, tmp_path: Path
) -> None:
    import psycopg

    from desktop.core.interchange import import_json
    from desktop.core.workspace import open_workspace

    workspace = open_workspace(postgres_url)
    import_json(workspace.engine, (ROOT / "tests/core/fixtures/small-workspace.json").read_bytes(), analyst="t")
    session = WorkspaceSession(workspace)
    watcher = LiveWatcher(session)
    said: list[str] = []
    watcher.problem.connect(said.append)
    watcher.connection.connect(lambda _up, message: said.append(message))  # lost, and back
    try:
        edit = {"op": "update", "entity": "claim", "id": "c-ru", "set": {"verdict": "confirmed"}}
        with qtbot.waitSignal(session.changed, timeout=20_000):
            writer = apply_elsewhere(postgres_url, tmp_path, edit)
            _out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
        # The listening connection dies (a server restart, a network cut): the window says so, then
        # reconnects and catches up from the audit trail with what was written meanwhile.
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' "
                "AND datname = current_database()"
            )
        qtbot.waitUntil(lambda: any("lost the connection" in line for line in said), timeout=20_000)
        edit = {"op": "update", "entity": "claim", "id": "c-ua", "set": {"verdict": "refuted"}}
        writer = apply_elsewhere(postgres_url, tmp_path, edit)
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        with qtbot.waitSignal(session.changed, timeout=20_000):
            pass
        assert any("back" in line for line in said)
    finally:
        watcher.stop()
        workspace.close()
