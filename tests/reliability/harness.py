"""What the reliability tests share: how many rounds to run, writer processes, and the soundness check.

The fast rounds run in the ordinary test suite; ``pytest --runslow`` runs the
full rounds (the same tests, more trials and more writes each).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from desktop.core.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Rounds:
    """How hard a family pushes: trials, processes per trial, operations per process."""

    trials: int
    processes: int
    operations: int


def run_writers(url: str, rounds: Rounds, seed: int, module: str = "tests.reliability.link_writer") -> list[dict]:
    """Start ``rounds.processes`` writers on ``url``, release them together, and wait for all of them.

    Fails the test with a writer's stderr if any writer exits non-zero (a traceback).
    """
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", module, url, str(seed * 100 + i), str(rounds.operations)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(rounds.processes)
    ]
    try:
        for writer in writers:  # every writer has opened the workspace before any starts writing
            assert writer.stdout is not None
            line = writer.stdout.readline()
            if line.strip() != "ready":
                _, err = writer.communicate()
                raise AssertionError(f"a writer failed to start: {line}{err}")
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        summaries = []
        for writer in writers:
            out, err = writer.communicate()
            assert writer.returncode == 0, f"a writer failed (exit {writer.returncode}):\n{err}"
            summaries.append(json.loads(out.strip().splitlines()[-1]))
        return summaries
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()


def both_way_pairs(workspace: Workspace) -> list[tuple[int, int]]:
    with workspace.engine.connect() as connection:
        rows = connection.execute(
            # One judgement per analyst and pair (DESIGN §2): two analysts may judge a pair in opposite directions.
            text(
                "SELECT x.from_id, x.to_id FROM link x JOIN link y "
                "ON y.from_id = x.to_id AND y.to_id = x.from_id AND y.analyst = x.analyst"
            )
        ).all()
    return [(a, b) for a, b in rows]


def assert_sound(url: str, tmp_path: Path) -> None:
    """``crosscheck check`` is clean, no pair is linked twice, and the export imports into a new workspace."""
    from desktop import cli
    from desktop.core.interchange import export_json, import_json
    from desktop.core.store import status

    workspace = open_workspace(url)
    try:
        assert both_way_pairs(workspace) == []
        with workspace.engine.connect() as connection, connection.begin():
            assert status.stale_claims(connection) == [], "stored statuses differ from a full re-derivation"
        document = export_json(workspace.engine)
    finally:
        workspace.close()
    assert cli.main(["check", "--db", url]) == 0
    copy = open_workspace(str(tmp_path / f"reimport-{abs(hash(url))}.sqlite"))
    try:
        import_json(copy.engine, document, analyst="tester")
    finally:
        copy.close()
