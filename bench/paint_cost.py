"""CPU time of one repaint of the claim table, against the peer's: ``python -m bench.paint_cost [--size N]``.

Painting is part of every browse step, and on a shared machine wall-clock steps
are too noisy to show a change of a few hundred microseconds. This opens the
cached workspace (a scratch copy) in the Crosscheck contender and the peer, side
by side in one process at the benchmark's view size, and repaints each viewport
synchronously (``QWidget.repaint``) many times, alternating, for three views:
the first screen (every claim, newest first), a rare word's ten rows, and the
first screen with a selection. Each figure is the least CPU time of one repaint
over the rounds (``time.thread_time``: the painting thread's own CPU, which other
processes on the machine do not inflate). Then rows painted for the first time:
each view pages down through the workspace and the CPU time of its viewport's
paint events alone is taken (median and least; a page's reading is not counted).
Diagnosis beside ``bench.scale``, not a benchmark row of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def least_cpu(repaint: Callable[[], None], runs: int) -> float:
    """The least thread CPU time of one ``repaint()``, in ms, over ``runs`` calls."""
    best = float("inf")
    for _ in range(runs):
        start = time.thread_time()
        repaint()
        best = min(best, time.thread_time() - start)
    return best * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=40, help="repaints per round and contender")
    parser.add_argument("--only", choices=("crosscheck", "peer"), help="one contender (for py-spy)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication, QTableView

    import bench.peer
    from bench import generate
    from bench.crosscheck import Crosscheck
    from bench.peer import Peer
    from desktop.ui.table.view import ClaimTable

    paints: dict[str, list[float]] = {"crosscheck": [], "peer": []}

    def timed_paint(name: str, paint_event: Callable[..., None]) -> Callable[..., None]:
        def paint_event_timed(self: Any, event: Any) -> None:
            start = time.thread_time()
            paint_event(self, event)
            paints[name].append((time.thread_time() - start) * 1000.0)

        return paint_event_timed

    class TimedTableView(QTableView):
        paintEvent = timed_paint("peer", QTableView.paintEvent)  # noqa: N815 (Qt's name)

    bench.peer.QTableView = TimedTableView  # type: ignore[misc]
    ClaimTable.paintEvent = timed_paint("crosscheck", ClaimTable.paintEvent)  # type: ignore[method-assign]

    app = QApplication(sys.argv[:1])
    plan = json.loads((generate.CACHE / f"plan-{args.size}.json").read_text())
    scratch = Path(tempfile.mkdtemp(prefix="paint-cost-"))
    try:
        work = scratch / "workspace.sqlite"
        shutil.copyfile(generate.workspace_path(args.size), work)
        plan["db"] = str(work)
        rare = plan["filters"]["fts_rare"]
        contenders: dict[str, Any] = {}
        if args.only != "peer":
            contenders["crosscheck"] = Crosscheck(plan)
        if args.only != "crosscheck":
            contenders["peer"] = Peer(plan)
        for contender in contenders.values():
            contender.open()

        def views() -> dict[str, Callable[[], None]]:
            return {name: c.table.viewport().repaint if name == "crosscheck" else c.view.viewport().repaint
                    for name, c in contenders.items()}  # fmt: skip

        results: dict[str, dict[str, float]] = {}

        def measure(label: str) -> None:
            app.processEvents()
            best = results.setdefault(label, {})
            for _ in range(args.rounds):
                for name, repaint in views().items():
                    best[name] = min(best.get(name, float("inf")), least_cpu(repaint, args.runs))

        measure("first screen")
        for name, contender in contenders.items():
            view = contender.table if name == "crosscheck" else contender.view
            view.selectRow(3)
            view.setFocus()
        measure("first screen, row 3 selected")
        for name, contender in contenders.items():
            if name == "crosscheck":
                contender.apply_text(rare["text"])
            else:
                contender.apply(rare["where"])
        measure(f"rare word ({rare['count']} rows)")
        for contender in contenders.values():
            contender.unfilter()
        fresh: dict[str, list[float]] = {name: [] for name in contenders}
        for contender in contenders.values():
            contender.top()
        for _ in range(args.rounds * args.runs):  # pages never shown before
            for name, contender in contenders.items():
                paints[name].clear()
                contender.page_down()
                fresh[name].append(sum(paints[name]))
        for contender in contenders.values():
            contender.close()
        for label, best in results.items():
            figures = "  ".join(f"{name} {ms:.2f} ms" for name, ms in best.items())
            ratio = f"  ({best['crosscheck'] / best['peer']:.2f}× the peer)" if len(best) == 2 else ""
            print(f"{label:32} {figures}{ratio}")
        print(f"{'rows painted the first time':32} ", end="")
        print("  ".join(f"{name} median {statistics.median(ms):.2f} ms, least {min(ms):.2f}"
                        for name, ms in fresh.items()))  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
