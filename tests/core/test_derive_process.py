"""The as-of patch's derivation process (``history.derive_process``): the replay it helps make is exact, and
when it cannot start, fails or goes away, or the replay is cancelled while it works, the replay still gives
the right answer or nothing at all — and no process is left running."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from desktop.core.history import as_of, derive_process
from desktop.core.history.derive_process import DeriveFailed, DeriveProcess
from desktop.core.history.replay import AsOf
from desktop.core.history.scratch import replay_into_scratch
from desktop.core.interchange import export_json, import_json
from desktop.core.interchange.json_export import canonical_json
from desktop.core.progress import Cancelled
from desktop.core.store import Store
from desktop.core.workspace import Workspace
from tests.core.history_steps import Clock


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[DeriveProcess]]:
    """Every workspace gets a derivation process (they are all small here); the processes started, to check."""
    monkeypatch.setattr(derive_process, "_MIN_CLAIMS", 0)
    made: list[DeriveProcess] = []
    start = DeriveProcess.start.__func__  # type: ignore[attr-defined]

    def recorded(cls: type[DeriveProcess]) -> DeriveProcess | None:
        process = start(cls)
        if process is not None:
            made.append(process)
        return process

    monkeypatch.setattr(DeriveProcess, "start", classmethod(recorded))
    yield made
    for process in made:
        assert process._child.poll() is not None, "a derivation process was left running"


_STORED = "SELECT ext_id, status, suggested_credibility, verdict_disputed, link_count FROM claim ORDER BY id"


def _stored(engine: Any) -> list[tuple[Any, ...]]:
    """The derived columns the patch writes, as stored."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(_STORED)]


def _changed(workspace: Workspace) -> tuple[dt.datetime, bytes, list[tuple[Any, ...]]]:
    """Three claims, two sources on two sides, links among them; then, after T, links removed and changed and
    a claim moved to the other source: what reaches clusters, their neighbours and the evidence pairs."""
    clock = Clock()
    recorded = "2022-12-15T08:00:00Z"
    pairs = (("c-2", "c-1", "repeats"), ("c-3", "c-1", "corroborates"), ("c-4", "c-2", "contradicts"),
             ("c-5", "c-4", "repeats"))  # fmt: skip
    document = {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [{"id": "s-1", "name": "Rybar", "side": "russia"}, {"id": "s-2", "name": "ISW", "side": "ukraine"}],
        "claims": [
            {"id": f"c-{i}", "text": f"Claim {i}", "source": "s-1" if i < 3 else "s-2", "recorded": recorded}
            for i in range(1, 6)
        ],
        "links": [
            {"from": a, "to": b, "relation": relation, "recorded": recorded, "analyst": "anna"}
            for a, b, relation in pairs
        ],
    }
    import_json(workspace.engine, document, analyst="importer", now=clock())
    then = clock.tick(60)
    exported, stored = export_json(workspace.engine), _stored(workspace.engine)
    store = Store(workspace.engine, "anna", clock=clock)
    with workspace.engine.connect() as connection:
        ids = dict(connection.execute(sa.text("SELECT ext_id, id FROM claim")).all())
        sources = dict(connection.execute(sa.text("SELECT ext_id, id FROM source")).all())
    clock.tick(60)
    store.remove_link(ids["c-2"], ids["c-1"])
    clock.tick(60)
    store.set_link(ids["c-3"], ids["c-1"], "contradicts")
    clock.tick(60)
    store.update_claim(ids["c-5"], source_id=sources["s-1"], credibility=2)
    assert _stored(workspace.engine) != stored, "the changes change statuses"
    return then, exported, stored


def _replays_as_then(
    workspace: Workspace, then: dt.datetime, exported: bytes, stored: list[tuple[Any, ...]], *, patched: bool
) -> None:
    """The workspace replayed as of ``then`` is the export and the stored columns taken then — by the copy patched
    in place (``patched``) or by the replayed document."""
    replayed = replay_into_scratch(workspace.engine, then)
    try:
        assert isinstance(replayed.as_of, AsOf) is not patched, "patched in place" if patched else "as a document"
        assert export_json(replayed.engine) == exported
        assert _stored(replayed.engine) == stored
    finally:
        replayed.close()


def test_a_replay_with_a_derivation_process_is_the_export_taken_then(
    workspace: Workspace, started: list[DeriveProcess]
) -> None:
    then, exported, stored = _changed(workspace)
    _replays_as_then(workspace, then, exported, stored, patched=True)
    assert len(started) == 1


def test_a_process_that_cannot_read_the_graph_leaves_it_to_the_patch(
    workspace: Workspace, started: list[DeriveProcess], monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(derive_process, "_command", lambda: [sys.executable, "-c", "raise SystemExit(3)"])
    then, exported, stored = _changed(workspace)
    with caplog.at_level(logging.WARNING):
        _replays_as_then(workspace, then, exported, stored, patched=True)
    assert "the as-of graph is read in this process: the derivation process ended (exit status 3)" in caplog.text


def test_a_process_that_goes_away_while_deriving_leaves_the_replay_to_the_document(
    workspace: Workspace, started: list[DeriveProcess], monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    derive = DeriveProcess.derive

    def killed_first(self: DeriveProcess, reach: Any, changes: Any) -> None:
        self._child.kill()
        self._child.wait()
        derive(self, reach, changes)

    monkeypatch.setattr(DeriveProcess, "derive", killed_first)
    then, exported, stored = _changed(workspace)
    with caplog.at_level(logging.WARNING):
        _replays_as_then(workspace, then, exported, stored, patched=False)
    assert _canonical(as_of(workspace.engine, then).document) == exported
    assert "the as-of copy is replayed as a document: the derivation process ended" in caplog.text


def test_modules_in_the_current_folder_do_not_replace_the_process_own(
    workspace: Workspace,
    started: list[DeriveProcess],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: Any,
) -> None:
    # ``python -m`` puts the current folder first on the module path: an analyst's own pickle.py (or a
    # ``desktop`` package) where the command runs would be imported by the child instead of the real one.
    (tmp_path / "pickle.py").write_text("raise ImportError('a pickle.py of the folder the analyst works in')\n")
    monkeypatch.chdir(tmp_path)
    then, exported, stored = _changed(workspace)
    with caplog.at_level(logging.WARNING):
        _replays_as_then(workspace, then, exported, stored, patched=True)
    assert len(started) == 1
    assert "as-of" not in caplog.text, "the process read the graph and derived: nothing fell back"


#: a child that reads no graph but says it did, then never answers (the derivation of a huge workspace)
_SLOW_CHILD = """
import pickle, sys, time
while True:
    message = pickle.load(sys.stdin.buffer)
    if message[0] == "graph":
        pickle.dump(("graph read",), sys.stdout.buffer)
        sys.stdout.flush()
    else:
        time.sleep(600)
"""


def test_a_replay_cancelled_while_the_process_derives_ends_it_and_leaves_nothing(
    workspace: Workspace, started: list[DeriveProcess], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(derive_process, "_command", lambda: [sys.executable, "-c", _SLOW_CHILD])
    then, _exported, _stored_then = _changed(workspace)
    heard: list[str] = []

    def cancel(step: str, _share: float) -> None:
        heard.append(step)
        if heard.count("deriving the statuses those changes reach") > 1:  # said once, then asked while waiting
            raise Cancelled("replay cancelled")

    with pytest.raises(Cancelled):
        replay_into_scratch(workspace.engine, then, cancel)
    assert not list(tmp_path.glob("crosscheck-as-of-*"))
    assert len(started) == 1  # the fixture checks it is no longer running


def test_what_the_process_says_out_of_turn_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    script = "import pickle, sys; pickle.dump(('rows', []), sys.stdout.buffer); sys.stdout.flush(); sys.stdin.read()"
    monkeypatch.setattr(derive_process, "_command", lambda: [sys.executable, "-c", script])
    process = DeriveProcess.start()
    assert process is not None
    try:
        with pytest.raises(DeriveFailed, match="said 'rows' where 'graph read' was expected"):
            process.wait_for_graph(lambda: None)
    finally:
        process.close()
    assert process._child.poll() is not None


def _canonical(document: dict[str, Any]) -> bytes:
    return (canonical_json(document) + "\n").encode("utf-8")


def test_ctrl_c_in_the_terminal_leaves_the_decision_to_the_patch() -> None:
    """A terminal's Ctrl+C reaches every process of its group: the derivation process lives on (the window keeps
    its replay; a command that ends kills it), and still answers."""
    process = DeriveProcess.start()
    assert process is not None
    try:
        _until_it_ignores_interrupts(process._child.pid)
        process._child.send_signal(signal.SIGINT)
        process._send(("derive", None, None))  # before the graph: it says why it cannot, so it is alive
        with pytest.raises(DeriveFailed, match="before the graph was read"):
            list(process.parts(lambda: None))
    finally:
        process.close()


def _until_it_ignores_interrupts(pid: int) -> None:
    """Wait (Linux: the process's status says which signals it ignores) until the child has set SIGINT aside."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        ignored = next(line for line in status if line.startswith("SigIgn:"))
        if int(ignored.split()[1], 16) & (1 << (signal.SIGINT - 1)):
            return
        time.sleep(0.01)
    raise AssertionError("the derivation process never set SIGINT aside")
