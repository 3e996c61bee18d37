"""Where Crosscheck's time goes in each step: ``python -m bench.profile_steps [--size N] [--step S …]``.

Runs the Crosscheck contender on a scratch copy of the cached workspace (the plan
of the last ``bench.scale`` run of that size), each step a few times under
cProfile, and prints the functions with the most cumulative time, plus the SQL
statements each step ran with their time (a ``before/after_cursor_execute``
listener on the engine). Diagnosis only: the numbers are inflated by the
profiler; ``bench.scale`` is the measurement.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--step", action="append", help="open, page_down, last_row, filter_fields, fts_rare, "
                        "fts_medium, fts_common, mark_link (default: all)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from bench import generate
    from bench.crosscheck import Crosscheck

    app = QApplication(sys.argv[:1])
    plan = json.loads((generate.CACHE / f"plan-{args.size}.json").read_text())
    work = generate.CACHE / f"profile-{args.size}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(generate.workspace_path(args.size), work)
    plan["db"] = str(work)
    cc = Crosscheck(plan)
    cc.open()
    cc.close()  # imports and first-time costs out of the way
    cc.open()
    statements: list[tuple[str, float]] = []
    _listen(cc, statements)

    def run_step(step: str, i: int) -> None:
        if step == "open":
            cc.close()
            cc.open()
            _listen(cc, statements)
        elif step == "page_down":
            cc.page_down()
        elif step == "last_row":
            cc.last()
        elif step.startswith(("filter", "fts")):
            cc.apply_text(plan["filters"][step]["text"])
        elif step == "mark_link":
            cc.mark(*plan["pairs"][i])

    def undo_step(step: str, i: int) -> None:
        if step == "last_row":
            cc.prepare_last()
        elif step.startswith(("filter", "fts")):
            cc.unfilter()
        elif step == "mark_link":
            cc.unmark()

    steps = args.step or ["open", "page_down", "last_row", "filter_fields", "fts_rare", "fts_medium", "fts_common",
                          "mark_link"]  # fmt: skip
    for step in steps:
        cc.top()
        if step == "last_row":
            cc.prepare_last()
        profiler = cProfile.Profile()
        statements.clear()
        wall = 0.0
        for i in range(args.runs):
            app.processEvents()
            start = time.perf_counter()
            profiler.enable()
            run_step(step, i)
            profiler.disable()
            wall += time.perf_counter() - start
            undo_step(step, i)
        print(f"\n=== {step}: {wall / args.runs * 1000:.1f} ms per run under the profiler ({args.runs} runs)")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
        by_sql: dict[str, list[float]] = defaultdict(list)
        for text, ms in statements:
            by_sql[text].append(ms)
        print(f"--- SQL ({len(statements)} statements over {args.runs} runs), by total time:")
        for text, times in sorted(by_sql.items(), key=lambda kv: -sum(kv[1]))[:12]:
            flat = " ".join(text.split())
            print(f"  {sum(times) / args.runs:8.2f} ms/run  ×{len(times) / args.runs:.0f}/run  {flat[:220]}")
    cc.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    return 0


def _listen(cc: Any, statements: list[tuple[str, float]]) -> None:
    from sqlalchemy import event

    engine = cc.workspace.engine
    if getattr(engine, "_bench_listening", False):
        return
    engine._bench_listening = True

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        conn.info["bench_t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        statements.append((statement, (time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())) * 1000))


if __name__ == "__main__":
    raise SystemExit(main())
