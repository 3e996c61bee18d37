"""Live refresh: a commit in one process → repainted in another process's table (DESIGN §7 "Live": ≤ 1 s).

``measure(db, commits)`` runs two fresh processes on the workspace ``db`` (a
``postgresql://`` URL or a SQLite path):

- the **window** (``--window``): ``open_workspace`` → ``WorkspaceSession`` →
  ``ClaimTable`` shown offscreen, with the window's own ``LiveWatcher`` (LISTEN
  on PostgreSQL, the file's ``data_version`` on SQLite, every 250 ms), running
  Qt's event loop. An event filter on the table's viewport notes the moment of
  each paint event at which the model shows the claim's new credibility;
- the **writer** (``--write``): another ``open_workspace`` that, every 1–1.6 s
  (``INTERVALS_S``), sets the credibility of a claim on the table's first screen
  through the store (one audited transaction, as any window or the command line
  would) and notes the moment ``update_claim`` returned, i.e. after the commit.

Latency = paint moment − commit moment (both ``time.time()``: one machine, one
clock). The writer's credibility values differ from one commit to the next, so
each paint is matched to its commit. Run alone: ``python -m bench.live_refresh
DB [--commits N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import median

# Between commits: long enough for each to be seen and repainted before the next, and varied (seeded) so
# the commits do not all fall at the same moment of the watcher's 250 ms tick.
INTERVALS_S = (1.0, 1.6)
ROOT = Path(__file__).resolve().parent.parent


def _values(start: int | None, commits: int) -> list[int]:
    """Credibility grades 1…6 after ``start`` (the claim's own), each different from the one before."""
    values = [(start or 0) % 6 + 1]
    while len(values) < commits:
        values.append(values[-1] % 6 + 1)
    return values


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def measure(db: str, commits: int) -> dict[str, Any]:
    """Latencies of ``commits`` commits on ``db`` (see the module docstring)."""
    command = [sys.executable, "-m", "bench.live_refresh", db, "--window", "--commits", str(commits)]
    done = subprocess.run(command, env=_env(), cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"live refresh on {db} failed: {done.stderr.strip()[-2000:]}")
    found: dict[str, Any] = json.loads(lines[-1])
    return found


def measure_both(pg_url: str, sqlite_path: Path, commits: int) -> dict[str, Any]:
    """PostgreSQL (LISTEN/NOTIFY) and SQLite (the file watcher), each on a copy it may write to."""
    from bench.scale_postgres import migrated_copy

    scratch = sqlite_path.with_name(f"scratch-live-{sqlite_path.name}")
    migrated_copy(sqlite_path, scratch)
    try:
        return {"postgresql": measure(pg_url, commits), "sqlite": measure(str(scratch), commits)}
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)


# --- the window process ---------------------------------------------------------------------------


def _window(db: str, commits: int) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.common import show_view
    from desktop.core.workspace import open_workspace
    from desktop.ui.live.watcher import LiveWatcher
    from desktop.ui.session import WorkspaceSession
    from desktop.ui.table.view import ClaimTable

    app = QApplication(sys.argv[:1])
    workspace = open_workspace(db, analyst="bench-window")
    session = WorkspaceSession(workspace)
    table = ClaimTable(session)
    show_view(table)
    app.processEvents()
    model = table.claim_model
    first = model.claim_row(3)
    assert first is not None
    claim_id, start = first.id, first.credibility
    values = _values(start, commits)
    seen: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and len(seen) < len(values):
                row = model.claim_row(3)
                if row is not None and row.id == claim_id and row.credibility == values[len(seen)]:
                    seen.append(time.time())
            return False

    watch = PaintWatch()
    table.viewport().installEventFilter(watch)
    watcher = LiveWatcher(session)
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.live_refresh", db, "--write", str(claim_id), "--commits", str(commits),
         "--start", str(start or 0)],
        env=_env(), cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + commits * INTERVALS_S[1] + 30
    done = QTimer()
    done.timeout.connect(lambda: app.quit() if len(seen) == len(values) or time.monotonic() > deadline else None)
    done.start(50)
    app.exec()
    out, _ = writer.communicate(timeout=60)
    committed = [json.loads(line)["at"] for line in out.splitlines() if line.startswith("{")]
    watcher.stop()
    workspace.close()
    if len(seen) < len(committed):
        raise RuntimeError(f"only {len(seen)} of {len(committed)} commits were repainted within the time allowed")
    latencies = [(painted - at) * 1000 for painted, at in zip(seen, committed, strict=False)]
    engine = "PostgreSQL LISTEN/NOTIFY" if db.startswith("postgres") else "SQLite data_version"
    how = f"{engine}, polled every {watcher_tick()} ms; a claim's credibility set by another process"
    return {"ms": latencies, "median_ms": median(latencies), "how": how}


def watcher_tick() -> int:
    from desktop.ui.live.watcher import TICK_MS

    return TICK_MS


# --- the writer process ---------------------------------------------------------------------------


def _write(db: str, claim_id: int, start: int, commits: int) -> None:
    from desktop.core.workspace import open_workspace

    pause = random.Random(14)
    workspace = open_workspace(db, analyst="bench-writer")
    try:
        for value in _values(start or None, commits):
            time.sleep(pause.uniform(*INTERVALS_S))
            workspace.store.update_claim(claim_id, credibility=value)
            print(json.dumps({"at": time.time(), "value": value}), flush=True)
        time.sleep(INTERVALS_S[1])  # untimed: the claim as it was, for the next run
        workspace.store.update_claim(claim_id, credibility=start or None)
    finally:
        workspace.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", help="postgresql:// URL or SQLite path (it is written to)")
    parser.add_argument("--commits", type=int, default=9)
    parser.add_argument("--window", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", type=int, metavar="CLAIM", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write is not None:
        _write(args.db, args.write, args.start, args.commits)
    elif args.window:
        print(json.dumps(_window(args.db, args.commits)))
    else:
        print(json.dumps(measure(args.db, args.commits), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
