"""What each PostgreSQL browse step costs besides wall time: ``python -m bench.pg_step_costs --cluster DIR``.

On the shared machine wall-clock figures are mostly waits; this counts what a
change can really save. For each of Crosscheck's PostgreSQL steps (as
``bench.worker`` drives them) it reports, per run, the wall time, the
application's CPU time, the CPU time of the server's processes (``/proc``; the
backends, and the postmaster's helpers), and the statements the server logged
(``log_statement = all``; a statement sent in a pipeline is still logged alone,
so with ``--trips`` the client's own ``libpq`` trace counts the exchanges that
waited for the server). It starts the server of a *copy* of the cached cluster
(``--cluster``: never the shared cache's own, which other runs may be using) and
takes the steps' texts and pairs from the last ``bench.scale_postgres`` plan.
Diagnosis only: ``bench.scale_postgres`` is the measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STEPS = ("open", "page_down", "last_row", "filter_fields", "fts_rare", "fts_medium", "mark_link", "mark_link_filtered")


def _server_cpu_ns(postmaster: int) -> dict[int, int]:
    """CPU nanoseconds so far of each of the postmaster's children (backends and helpers), from ``schedstat``."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == postmaster:
                found[int(entry.name)] = int((entry / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return found


def _server_cpu_s(before: dict[int, int], after: dict[int, int]) -> float:
    """The server's CPU seconds between two readings (a process gone by the second reading is not counted)."""
    return sum(ns - before.get(pid, 0) for pid, ns in after.items()) / 1e9


class Trips:
    """Exchanges that waited for the server, from each connection's ``libpq`` trace.

    A round trip is a run of the client's messages followed by the server's answer: each change from
    ``F`` (frontend) lines to ``B`` (backend) lines in a connection's trace. ``PQuntrace`` flushes
    the trace, so ``count`` stops and restarts tracing on every connection seen so far."""

    def __init__(self, directory: Path) -> None:
        import psycopg
        from sqlalchemy import event
        from sqlalchemy.pool import Pool

        self.directory = directory
        self.connections: list[tuple[Any, Path]] = []
        self.fds: dict[Path, int] = {}
        self.offsets: dict[Path, int] = {}
        self.flags = psycopg.pq.Trace.SUPPRESS_TIMESTAMPS

        @event.listens_for(Pool, "connect")
        def _traced(dbapi_connection: Any, _record: Any) -> None:
            path = directory / f"trace-{len(self.connections)}.txt"
            self.connections.append((dbapi_connection, path))
            self._start(dbapi_connection, path)

    def _start(self, connection: Any, path: Path) -> None:
        if path not in self.fds:  # psycopg fdopen()s the descriptor and PQuntrace only flushes: keep one per file
            self.fds[path] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        connection.pgconn.trace(self.fds[path])
        connection.pgconn.set_trace_flags(self.flags)

    def count(self) -> int:
        trips = 0
        for connection, path in self.connections:
            if connection.closed:
                continue
            connection.pgconn.untrace()
            text = path.read_text(errors="replace")
            new = text[self.offsets.get(path, 0) :]
            self.offsets[path] = len(text)
            previous = ""
            for line in new.splitlines():
                side = line[:1]
                if side == "B" and previous == "F":
                    trips += 1
                if side in ("F", "B"):
                    previous = side
            self._start(connection, path)
        return trips


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", type=Path, required=True, help="a copy of bench/cache/pg-v1-<size> (its data/)")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--step", action="append", help=f"one of {', '.join(STEPS)} (default: all)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--server-option", action="append", default=[], help="e.g. log_min_duration_statement=0")
    parser.add_argument("--trips", action="store_true", help="count round trips from the libpq trace")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed runs; print the top functions")
    parser.add_argument("--show", action="store_true", help="print the statements of each step's last run")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from bench import generate, pg_server
    from bench.crosscheck import Crosscheck

    app = QApplication(sys.argv[:1])
    plan = json.loads((generate.CACHE / f"plan-postgres-{args.size}-pg.json").read_text())
    log_file = args.cluster / "log"
    extra = ("-c log_statement=all", "-c log_line_prefix='%p '", *(f"-c {o}" for o in args.server_option))
    pg_server.SETTINGS = (*pg_server.SETTINGS, *extra)
    with pg_server.running(args.cluster) as admin:
        plan["db"] = pg_server.database_url(admin, "crosscheck")
        postmaster = int((args.cluster / "data" / "postmaster.pid").read_text().split()[0])
        trips = None
        if args.trips:
            trace_dir = Path(f"/tmp/crosscheck-trace-{os.getpid()}")
            trace_dir.mkdir()
            trips = Trips(trace_dir)
        cc = Crosscheck(plan)
        cc.open()
        report: dict[str, Any] = {}

        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()

        def measure(step: str, action: Any, before: Any = None, after: Any = None, runs: int = args.runs) -> None:
            rows = []
            for i in range(runs + 1):  # the first untimed
                if before is not None:
                    before(i)
                app.processEvents()
                offset = log_file.stat().st_size
                if trips is not None:
                    trips.count()
                server0, cpu0, wall0 = _server_cpu_ns(postmaster), time.process_time(), time.perf_counter()
                if profiler is not None and i:
                    profiler.enable()
                action(i)
                if profiler is not None:
                    profiler.disable()
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                time.sleep(0.05)  # the server's accounting and log catch up
                server = _server_cpu_s(server0, _server_cpu_ns(postmaster))
                exchanges = trips.count() if trips is not None else -1
                with log_file.open("rb") as f:
                    f.seek(offset)
                    logged = [line.decode(errors="replace") for line in f.read().splitlines() if b"LOG:  " in line]
                statements = [s.split("LOG:  ", 1)[1][:200] for s in logged if "statement: " in s or "execute " in s]
                timings = [s.split("LOG:  ", 1)[1][:120] for s in logged if "duration: " in s]
                if i:
                    rows.append((wall * 1000, cpu * 1000, server * 1000, len(statements), exchanges))
                if after is not None:
                    after(i)
            med = [sorted(col)[len(col) // 2] for col in zip(*rows, strict=True)]
            report[step] = {"wall_ms": med[0], "app_cpu_ms": med[1], "server_cpu_ms": med[2], "statements": med[3],
                            "trips": med[4], "runs": rows}  # fmt: skip
            print(f"{step:<20} wall {med[0]:7.1f} ms  app cpu {med[1]:6.1f}  server cpu {med[2]:6.1f}  "
                  f"statements {med[3]:3d} trips {med[4]:3d}  (each: {[r[3] for r in rows]})", flush=True)  # fmt: skip
            if args.show:
                for statement in statements or timings:
                    print("     ", statement)

        steps = args.step or list(STEPS)
        for step in steps:
            if step == "open":
                cc.close()
                measure(step, lambda i: cc.open(), after=lambda i: cc.close())
                cc.open()
            elif step == "page_down":
                cc.top()
                measure(step, lambda i: cc.page_down(), runs=20)
                cc.top()
            elif step == "last_row":
                measure(step, lambda i: cc.last(), before=lambda i: cc.prepare_last(), runs=5)
                cc.top()
            elif step in plan["filters"]:
                text = plan["filters"][step]["text"]
                measure(step, lambda i, t=text: cc.apply_text(t), after=lambda i: cc.unfilter())
            elif step.startswith("mark_link"):
                filtered = step.endswith("filtered")
                if filtered:
                    cc.apply_text(plan["filters"]["filter_fields"]["text"])
                pairs = plan["pairs_filtered" if filtered else "pairs"]
                measure(step, lambda i, p=pairs: cc.mark(*p[i]), after=lambda i: cc.unmark())
                if filtered:
                    cc.unfilter()
        cc.close()
    if profiler is not None:
        import pstats

        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
