"""Stepping through the audit trail a change at a time (the window's "as of" mode): where each step leads,
what it says the change was, and the steps that have nowhere to go — and the read-only scratch workspace a
moment is replayed into."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from desktop.core.history import BadMoment, as_of
from desktop.core.history.scratch import remove_stale, replay_into_scratch
from desktop.core.history.steps import describe, latest_change, step_back, step_forward
from desktop.core.interchange import export_json, import_json
from desktop.core.interchange.json_export import canonical_json
from desktop.core.progress import Cancelled
from desktop.core.store import Store
from desktop.core.workspace import Workspace
from tests.core.history_steps import START, Clock

SECOND = dt.timedelta(seconds=1)


def _workspace(workspace: Workspace) -> tuple[Store, Clock, int]:
    clock = Clock()
    document = {"format": "crosscheck-workspace", "version": 1,
                "sources": [{"id": "s-1", "name": "Rybar", "side": "russia"}],
                "claims": [{"id": "c-1", "text": "Breach", "source": "s-1",
                            "recorded": "2022-12-15T08:00:00Z"}]}  # fmt: skip
    import_json(workspace.engine, document, analyst="importer", now=clock())
    store = Store(workspace.engine, "anna", clock=clock)
    with workspace.engine.connect() as connection:
        claim = int(connection.execute(sa.text("SELECT id FROM claim")).scalar_one())
    return store, clock, claim


def test_steps_go_a_change_back_and_forward_and_say_what_it_was(workspace: Workspace) -> None:
    store, clock, claim = _workspace(workspace)
    first = clock.tick(60)
    store.update_claim(claim, credibility=2)
    second = clock.tick(60)
    store.update_claim(claim, credibility=5, verdict="refuted")
    with workspace.engine.connect() as connection:
        assert latest_change(connection) == second
        back = step_back(connection, second)
        assert (back.moment, back.change_at) == (second - SECOND, second)
        assert back.words == (
            "2022-12-15 09:02 anna: claim c-1 credibility 2 → 5; "
            "2022-12-15 09:02 anna: claim c-1 verdict none → refuted"
        )
        again = step_back(connection, back.moment)
        assert (again.moment, again.words) == (first - SECOND, "2022-12-15 09:01 anna: claim c-1 credibility none → 2")
        import_step = step_back(connection, again.moment)  # over the import: its claim was recorded before it
        assert import_step.words == "2022-12-15 09:00 importer: imported a document (1 sources, 1 claims)"
        with pytest.raises(BadMoment, match="no earlier change in the audit trail"):
            step_back(connection, import_step.moment)
        forward = step_forward(connection, again.moment)
        assert (forward.moment, forward.words) == (first, again.words)
        with pytest.raises(BadMoment, match="no later change: this is the workspace as it is now"):
            step_forward(connection, second)
        assert describe(connection, first) == again.words


def test_a_step_back_before_anything_was_recorded_is_refused(workspace: Workspace) -> None:
    clock = Clock()
    document = {"format": "crosscheck-workspace", "version": 1,
                "sources": [{"id": "s-1", "name": "Rybar"}],
                "claims": [{"id": "c-1", "text": "Breach", "source": "s-1",
                            "recorded": START.strftime("%Y-%m-%dT%H:%M:%SZ")}]}  # fmt: skip
    import_json(workspace.engine, document, analyst="importer", now=clock())
    with workspace.engine.connect() as connection, pytest.raises(BadMoment, match="the first change recorded"):
        step_back(connection, START)  # one second before the import is before the claim's own record


def test_a_moment_replayed_into_scratch_is_that_workspace_read_only(workspace: Workspace) -> None:
    store, clock, claim = _workspace(workspace)
    then = clock.tick(60)
    store.update_claim(claim, credibility=3)
    clock.tick(60)
    store.update_claim(claim, credibility=6)
    heard: list[float] = []
    replayed = replay_into_scratch(workspace.engine, then, lambda _step, share: heard.append(share))
    try:
        assert heard == sorted(heard) and heard[-1] == 1.0
        assert export_json(replayed.engine) == _export_of(as_of(workspace.engine, then).document)
        with replayed.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT credibility FROM claim")).scalar_one() == 3
        with pytest.raises(sa_exc.OperationalError, match="readonly"), replayed.engine.begin() as connection:
            connection.execute(sa.text("UPDATE claim SET credibility = 1"))
    finally:
        replayed.close()
    assert not replayed.folder.exists()


def test_a_replay_into_scratch_can_be_cancelled_and_leaves_nothing(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A temp folder of the test's own: other processes' replays in the shared /tmp are not this one's leftovers.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    store, clock, claim = _workspace(workspace)
    clock.tick(60)
    store.update_claim(claim, credibility=3)

    def cancel(step: str, share: float) -> None:
        if share > 0.5:
            raise Cancelled("replay cancelled")

    with pytest.raises(Cancelled):
        replay_into_scratch(workspace.engine, clock(), cancel)
    assert not list(tmp_path.glob("crosscheck-as-of-*"))


def _export_of(document: dict[str, object]) -> bytes:
    return (canonical_json(document) + "\n").encode("utf-8")


def test_scratch_workspaces_of_processes_that_are_gone_are_removed(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    dead = tmp_path / f"crosscheck-as-of-{int(gone.stdout)}-abc"
    mine = tmp_path / f"crosscheck-as-of-{os.getpid()}-def"
    older = tmp_path / "crosscheck-as-of-xyz"  # no owner in its name: maybe in use, left alone
    for folder in (dead, mine, older):
        folder.mkdir()
        (folder / "as-of.sqlite").write_bytes(b"")
    assert remove_stale(tmp_path) == 1
    assert not dead.exists() and mine.exists() and older.exists()
