"""``crosscheck backup`` finishes while another process writes all the time, and is a sound snapshot.

A stepwise online backup restarts whenever another connection commits between
its steps, so under steady writes it never finished (measured here: a 41 MB
workspace under ~100 writes/s took 30 s and 870 restarted steps with
``pages=1024``; 0.25 s in one step). The fast round checks completion and
consistency under load; ``--runslow`` uses a 12k-claim workspace and two writers. The workspace here is a
few megabytes (several backup steps of the old kind), a hammering writer
process commits link changes continuously, and the backup must complete, pass
``quick_check``, and be a consistent snapshot: ``check`` finds its stored
statuses equal to a fresh derivation of the links it holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import cli
from desktop.core.interchange import import_json
from desktop.core.workspace import open_workspace
from tests.reliability.harness import ROOT


def _big_workspace(path: Path, claims: int) -> None:
    words = "Bakhmut assault reported repelled shelling near the eastern outskirts according to the channel ".split()
    document = {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [
            {"id": "s-ru", "name": "Rybar", "kind": "telegram-channel", "side": "russia"},
            {"id": "s-ua", "name": "General Staff", "kind": "government", "side": "ukraine"},
        ],
        "claims": [
            {
                "id": f"c-{i}",
                "text": " ".join(words[(i + j) % len(words)] for j in range(220)),
                "source": "s-ru" if i % 2 else "s-ua",
            }
            for i in range(claims)
        ],
    }
    workspace = open_workspace(str(path))
    try:
        import_json(workspace.engine, json.dumps(document).encode(), analyst="tester")
        with workspace.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        workspace.close()


def test_a_backup_completes_and_is_consistent_while_another_process_writes(
    tmp_path: Path, long_run: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "busy.sqlite"
    _big_workspace(path, 12_000 if long_run else 3_000)
    assert path.stat().st_size > 4 * 1024 * 4096 // 4  # more than one step of the old backup (1024 pages)
    hammers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.hammer", str(path)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2 if long_run else 1)
    ]
    try:
        for hammer in hammers:
            assert hammer.stdout is not None and hammer.stdout.readline().strip() == "ready"
        backups = [tmp_path / f"backup-{n}.sqlite" for n in range(3 if long_run else 1)]
        for backup in backups:
            # The timeout only turns a backup that never ends (the bug) into a failure instead of a hang.
            done = subprocess.run(
                [sys.executable, "main.py", "backup", "--db", str(path), str(backup)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
    finally:
        results = [hammer.communicate(input="") for hammer in hammers]
    for hammer, (out, err) in zip(hammers, results, strict=True):
        assert hammer.returncode == 0, err
        assert int(out.strip().splitlines()[-1]) > 0, "the writer wrote nothing while the backup ran"
    for backup in backups:
        capsys.readouterr()
        assert cli.main(["check", "--db", str(backup)]) == 0, capsys.readouterr().out
