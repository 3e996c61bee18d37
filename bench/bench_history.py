"""As-of replay and the history panel at scale: ``python -m bench.bench_history [--size N] [--changes K]``.

Not part of the test run; it reports. A copy of the cached generated workspace
(``bench.generate``) gets ``K`` audited changes after a moment T — credibility
and verdict edits, link removals, written as the store writes them (the row
changed, its audit rows) but in bulk, since a hundred thousand interactive
writes would take an hour — then it times:

- as of T (``history.scratch.replay_into_scratch``: what the window's "as
  of" mode and ``export --as-of --format csv`` build on SQLite, and
  ``status``/``export --as-of`` when the changes since are few): a copy
  of the workspace (``history.snapshot_copy``: a file copy in a thread when
  the file is the read transaction's snapshot, as here, else SQLite's backup)
  patched back to T (``history.patch``, ``history.patch_derive``) —
  ``as_of_s`` and ``as_of_cpu_s`` for the whole (CPU of every thread, and of the derivation process), and
  its parts from the replay's own progress reports, wall and CPU: ``copy``
  (emptying the WAL, the moment checked, the copy started); ``rollback`` (the
  audit rows after T read, the rows they name read and undone, the graph read
  — all on the workspace while the copy runs — then written back into the
  copy; ``copy_wait``, inside it, is the wait for the copy after those reads);
  ``derive`` (the pairs' flags, which claims the changes reach, their
  derivation, and meanwhile in a thread the audit rows after T deleted and the
  dangling-reference check); ``write_back`` (the derived columns, one
  UPDATE); ``close`` (the commit, the patch's objects freed). ``replay_s`` +
  ``derive_s`` and ``replay_and_derive_s`` are the figures ``bench.scale``
  puts in its table;
- over the copy (not with ``--no-window``, as ``bench.scale`` runs it): the
  status list (``status_report.claim_statuses``, the full derivation ``status
  --as-of`` prints after the replay) and the JSON export (what ``export
  --as-of`` writes after it);
- with ``--document``, the path PostgreSQL and a cut-short trail take: the
  replayed document (``history.as_of``: the whole workspace read, undone,
  ordered) and a full derivation of it (``history.document_statuses``);
- the history panel's read for one claim (``words.entries_about`` and the
  names its lines show, ``names.names_for``), median of 200 claims.

The machine's load average is recorded with the figures, and CPU seconds beside
the wall-clock ones: the machine is shared, and under load the wall clock
measures the neighbours as much as the code.

Targets (the issue): replay + derivation ≤ 10 s at 1M claims and 100k changes;
the panel ≤ 20 ms. Results go to ``bench/results/history-<N>.json``.

The changes go in as rows (``_apply_changes``), then the stored statuses are
re-derived (66,283 of them at 1M: a removed link's ends, as the store would
have left them) and the WAL checkpointed, all in a spawned process, so the
replay is timed in a process that has not just held a whole derivation (as
``status --as-of`` runs, fresh). Before this session the bench left those
statuses stale, which made the write-back look nearly free (258 rows).

Measured at 1M claims and 100k changes (70,065 claim edits and 29,935 link
removals, 219,740 audit rows), code ab1c0b9, idle machine: 7.78 s in the
committed run (13.7 s of CPU in the two processes: copy 0.25, rollback 4.33 of
which waiting for the derivation process's graph 0.21, derive 1.62, write-back
1.18, close 0.40), and 8.55, 11.01, 10.65 s in the runs beside it — the same
work took 14.9, 20.0 and 18.6 s of CPU there: this host's speed varies by a
third. 11.3 s at the last stop (one process, the bench's stale statuses), 15.4 s
the round before. At 100k claims and 10k changes: 1.0 s (no second process
below 200k claims). The panel: 0.6 ms median.

Where the time goes now: the main process reads the audit trail, the rows it
names and undoes them (~3.5 s of CPU), writes them into the copy (~1.3), hands
the derivation process what the changes reach and the rows it wrote (~0.6),
deletes the audit rows after T while it derives, writes the parts it hands back
(the 66k changed statuses, ~1.0 in id order), commits and frees (~0.4). The
derivation process (``history/derive_process.py``, ``core/derive_child.py``)
reads the graph and the stored columns from the copy (~2.5 s) beside the trail's
reads, finds the 327k claims' ``repeats`` clusters while the writes run (~1.5),
then derives 133k claims with 99k far ends summarised (~2.5, in parts). So the
chain is the main process's reads and writes, then the derivation: to go lower,
the reads of the trail and the rows it names (Python building records) would
have to be shared out or leave Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import resource
import shutil
import sqlite3
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import median
from bench.generate import BENCH, workspace

_TS = "%Y-%m-%d %H:%M:%S.000000"


def _apply_changes(path: Path, changes: int, at: dt.datetime, seed: int = 7) -> dict[str, int]:
    """``changes`` audited changes at ``at``: 70 % claim edits, 30 % link removals (with full snapshots)."""
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")  # no cascades wanted: only what the audit rows say changes
    claims = con.execute("SELECT id, ext_id, credibility, verdict FROM claim").fetchall()
    links = con.execute(
        "SELECT l.id, f.ext_id, t.ext_id, l.relation, l.rationale, l.analyst, l.recorded FROM link l "
        "JOIN claim f ON f.id = l.from_id JOIN claim t ON t.id = l.to_id"
    ).fetchall()
    stamp = at.strftime(_TS)
    audit: list[tuple[Any, ...]] = []
    edits, removals = 0, 0
    edited: list[tuple[Any, ...]] = []
    removed: list[tuple[int]] = []
    for _ in range(changes):
        if rng.random() < 0.7 or not links:
            ident, ext, credibility, verdict = claims[rng.randrange(len(claims))]
            new = rng.choice([1, 2, 3, 4, 5, 6])
            edited.append((new, ident))
            audit.append(
                (stamp, "bench", "claim", ext, "update", "credibility", json.dumps(credibility), json.dumps(new))
            )
            edits += 1
        else:
            link = links.pop(rng.randrange(len(links)))
            removed.append((link[0],))
            key = f"{link[1]}->{link[2]}"
            recorded = dt.datetime.fromisoformat(str(link[6])).strftime("%Y-%m-%dT%H:%M:%SZ")
            for name, value in (("id", link[0]), ("relation", link[3]), ("rationale", link[4]),
                                ("analyst", link[5]), ("recorded", recorded)):  # fmt: skip
                audit.append((stamp, "bench", "link", key, "delete", name, json.dumps(value), None))
            removals += 1
    with con:
        con.executemany("UPDATE claim SET credibility = ? WHERE id = ?", edited)
        con.executemany("DELETE FROM link WHERE id = ?", removed)
        con.executemany(
            "INSERT INTO audit (at, analyst, entity, entity_id, action, field, old, new) VALUES (?,?,?,?,?,?,?,?)",
            audit,
        )
    con.close()
    return {"claim_edits": edits, "link_removals": removals, "audit_rows": len(audit)}


def _prepare(path: Path, changes: int, at: dt.datetime) -> dict[str, int]:
    """``_apply_changes``, then the stored statuses brought to what the store would have left.

    The changes go in as rows, without the store's re-derivation: a removed link's ends are re-derived here
    (``rederive_statuses``), so the workspace "now" is one the app keeps, and its WAL is put back into the
    file, as the app's checkpoints leave it.
    """
    from desktop.core import db
    from desktop.core.store.repair import rederive_statuses

    applied = _apply_changes(path, changes, at)
    engine = db.make_engine(db.resolve_location(str(path)))
    db.upgrade(engine)
    applied["statuses_rederived"] = rederive_statuses(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return applied


#: the parts of the as-of replay: (name, the progress step it starts at, the step it ends at; None: the end)
_PARTS = (
    ("copy", "copying the workspace", "reading the audit trail"),
    ("rollback", "reading the audit trail", "deriving the statuses those changes reach"),
    ("derive", "deriving the statuses those changes reach", "writing the statuses back"),
    ("write_back", "writing the statuses back", "ending the history at the moment"),
    ("close", "ending the history at the moment", None),
    # inside rollback: the wait for the copy, which runs in a thread beside the reads
    ("copy_wait", "finishing the copy of the workspace", "writing the workspace as it stood"),
)


def _breakdown(steps: list[tuple[str, float, float]], end: tuple[float, float]) -> dict[str, float]:
    """Wall and CPU seconds of each part (``_PARTS``) from the progress reports' times (the first of each step)."""
    marks: dict[str, tuple[float, float]] = {}
    for step, wall, cpu in steps:
        marks.setdefault(step, (wall, cpu))
    found: dict[str, float] = {}
    for name, start, stop in _PARTS:
        first, last = marks[start], end if stop is None else marks[stop]
        found[f"{name}_s"] = round(last[0] - first[0], 2)
        found[f"{name}_cpu_s"] = round(last[1] - first[1], 2)
    return found


def _cpu() -> float:
    """CPU seconds of this process and of the child processes it has waited for (the as-of derivation's)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(action: Any) -> tuple[Any, float, float]:
    t0, c0 = time.perf_counter(), _cpu()
    result = action()
    return result, time.perf_counter() - t0, _cpu() - c0


def run(size: int, changes: int, document: bool = False, quick: bool = False) -> dict[str, Any]:
    from desktop.core import db
    from desktop.core.history import as_of, document_statuses
    from desktop.core.history.names import names_for
    from desktop.core.history.replay import AsOf
    from desktop.core.history.scratch import replay_into_scratch
    from desktop.core.history.words import entries_about
    from desktop.core.interchange import export_json
    from desktop.core.interchange.status_report import claim_statuses

    source, _meta = workspace(size)
    folder = Path(tempfile.mkdtemp(prefix="crosscheck-bench-history-"))
    result: dict[str, Any] = {"claims": size}
    try:
        path = folder / "ws.sqlite"
        shutil.copyfile(source, path)
        moment = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
        # In a process of its own: the replay is then timed in a process that has not just held a million
        # claims' rows and a whole derivation (a fresh one, as ``status --as-of`` runs in).
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            result.update(pool.submit(_prepare, path, changes, moment + dt.timedelta(hours=1)).result())
        engine = db.make_engine(db.resolve_location(str(path)))
        steps: list[tuple[str, float, float]] = []
        replayed, wall, cpu = _timed(
            lambda: replay_into_scratch(
                engine, moment, lambda step, _share: steps.append((step, time.perf_counter(), time.process_time()))
            )
        )
        end = (time.perf_counter(), time.process_time())
        try:
            if isinstance(replayed.as_of, AsOf):
                raise SystemExit("the copy could not be patched: the bench measured the slow path")
            result.update(as_of_s=round(wall, 2), as_of_cpu_s=round(cpu, 2))
            parts = _breakdown(steps, end)
            result.update(parts)
            result["changes_undone"] = replayed.as_of.undone
            # What bench.scale reads for its table row: the whole, and "replay" + "derive_s" adding up to it.
            result.update(replay_and_derive_s=round(wall, 2), replay_and_derive_cpu_s=round(cpu, 2),
                          replay_s=round(wall - parts["derive_s"], 2))  # fmt: skip
            if not quick:
                _rows, wall, cpu = _timed(lambda: claim_statuses(replayed.engine))
                result.update(status_list_s=round(wall, 2), status_list_cpu_s=round(cpu, 2))
                _bytes, wall, cpu = _timed(lambda: export_json(replayed.engine))
                result.update(export_json_s=round(wall, 2), export_json_cpu_s=round(cpu, 2))
        finally:
            replayed.close()
        if document:
            replayed_document, replay_s, replay_cpu = _timed(lambda: as_of(engine, moment))
            _rows, derive_s, derive_cpu = _timed(lambda: document_statuses(replayed_document.document))
            result.update(
                document_replay_and_derive_s=round(replay_s + derive_s, 2),
                document_replay_and_derive_cpu_s=round(replay_cpu + derive_cpu, 2),
            )
        with engine.connect() as connection:
            ids = [r[0] for r in connection.exec_driver_sql("SELECT ext_id FROM claim ORDER BY random() LIMIT 200")]
            times = []
            for ext in ids:
                t0 = time.perf_counter()
                names_for(connection, entries_about(connection, ext))  # the panel's read: rows and their names
                times.append((time.perf_counter() - t0) * 1000)
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        **result,
        "history_panel_median_ms": round(median(times), 2),
        "history_panel_max_ms": round(max(times), 2),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=None, help="default: a tenth of --size")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--document", action="store_true", help="also time the document path (replay, full derivation): slow at 1M"
    )
    parser.add_argument(
        "--no-window",
        action="store_true",
        help="only the as-of replay and the panel (bench.scale's run): not the status list and JSON export over it",
    )
    args = parser.parse_args()
    result = run(args.size, args.changes or args.size // 10, document=args.document, quick=args.no_window)
    print(json.dumps(result, indent=2))
    if not args.no_write:
        (BENCH / "results" / f"history-{args.size}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
