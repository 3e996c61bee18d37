"""One contender in one fresh process: ``python -m bench.worker CONTENDER PLAN OUT [--import WHERE]``.

The process first creates a bare ``QApplication`` (every contender, the floor
too, so the baseline is the same), reads its RSS — the baseline — and resets the
peak (VmHWM, via ``/proc/self/clear_refs``); only then does it import the
contender and run the steps. The peak RSS after the steps minus the baseline is
the contender's memory. Each step runs ``warmup`` untimed times, then ``repeat``
timed times; the untimed set-up between runs (scrolling back to the top, clearing
a filter, undoing a link) is outside the clock.

With ``--import empty|workspace`` the process runs the import step instead:
a fresh copy of the empty workspace (or of the benchmark workspace) per run,
then the document imported into it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("contender", choices=("peer", "floor", "crosscheck"))
    parser.add_argument("plan", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--import", dest="import_into", choices=("empty", "workspace"))
    args = parser.parse_args(argv)
    plan = json.loads(args.plan.read_text())

    from PySide6.QtWidgets import QApplication

    from bench import common

    app = QApplication(sys.argv[:1])
    app.processEvents()
    baseline = common.status_kb("VmRSS")
    peak_reset = common.reset_peak()
    if args.import_into:
        steps, checks = _imports(args.contender, plan, args.import_into)
    else:
        steps, checks = _browse(args.contender, plan)
    result = {
        "contender": args.contender,
        "baseline_rss_kb": baseline,
        "peak_rss_kb": common.status_kb("VmHWM"),
        "peak_reset": peak_reset,
        "steps": steps,
        "checks": checks,
    }
    args.out.write_text(json.dumps(result, indent=1))
    return 0


def _contender(name: str, plan: dict[str, Any]) -> Any:
    if plan.get("engine") == "postgresql" and name in ("peer", "floor"):  # bench.scale_postgres
        from bench.pg_contenders import PgFloor, PgPeer

        return PgPeer(plan) if name == "peer" else PgFloor(plan)
    if name == "peer":
        from bench.peer import Peer

        return Peer(plan)
    if name == "floor":
        from bench.floor import Floor

        return Floor(plan)
    from bench.crosscheck import Crosscheck

    return Crosscheck(plan)


def _run(
    steps: dict[str, Any],
    name: str,
    action: Any,
    *,
    repeat: int,
    warmup: int = 1,
    before: Any = None,
    after: Any = None,
    probe: Any = None,
) -> None:
    from bench import common

    times: list[float] = []
    cold: list[float] = []
    paints: list[int] = []
    for i in range(warmup + repeat):
        if before is not None:
            before(i)
        common.settle()
        painted_before = probe().count if probe is not None and probe() is not None else 0
        ms, _ = common.timed(lambda: action(i))  # noqa: B023 (runs now)
        if probe is not None and probe() is not None:
            paints.append(probe().count - painted_before)
        (times if i >= warmup else cold).append(ms)
        if after is not None:
            after(i)
    steps[name] = {
        "ms": times,
        "median_ms": common.median(times),
        "warmup_ms": cold,
        "paints": paints[warmup:] if paints else None,
    }
    print(f"  {name:<14} {common.median(times):10.2f} ms  {[f'{t:.1f}' for t in times]}", file=sys.stderr, flush=True)


def _browse(name: str, plan: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    from bench.common import PaintProbe, probe_of

    repeat = plan["repeat"]
    contender = _contender(name, plan)
    steps: dict[str, Any] = {}
    checks: dict[str, Any] = {}

    def probe() -> PaintProbe | None:
        view = getattr(contender, "view", None) or getattr(contender, "table", None)
        return None if view is None else probe_of(view.viewport())

    # 1. open → first paint (a fresh open each run; closing is untimed)
    _run(steps, "open", lambda i: contender.open(), repeat=repeat,
         before=lambda i: None, after=lambda i: contender.close())  # fmt: skip
    contender.open()
    checks["open"] = contender.visible_ids()
    rss = checks["rss_kb"] = {"after_open": _rss()}
    probe()

    # 2. page down, from the top, one page after another
    contender.top()
    _run(steps, "page_down", lambda i: contender.page_down(), repeat=plan["page_downs"], warmup=0, probe=probe)
    checks["page_down"] = contender.visible_ids()

    # 3. reach the last row (fresh query / model each run; the untimed first run is kept as warmup_ms:
    #    it includes one-time costs such as compiling the jump's SQL)
    _run(steps, "last_row", lambda i: contender.last(), repeat=plan["repeat_last"], warmup=1,
         before=lambda i: contender.prepare_last(), probe=probe)  # fmt: skip
    checks["last_row"] = contender.visible_ids()
    rss["after_last_row"] = _rss()
    contender.top()

    # 4./5. the field filter and full-text searches (each cleared, untimed, after each run)
    for step, spec in plan["filters"].items():
        if name == "crosscheck":
            action = lambda i, s=spec: contender.apply_text(s["text"])  # noqa: E731
        else:
            action = lambda i, s=spec: contender.apply(s["where"])  # noqa: E731
        _run(steps, step, action, repeat=repeat, after=lambda i: contender.unfilter(), probe=probe)
        action(0)
        checks[step] = contender.visible_ids()
        if name == "floor":
            _run(steps, f"count:{step}", lambda i, s=spec: contender.count(s["where"]), repeat=repeat, warmup=1)
        contender.unfilter()

    rss["after_filters"] = _rss()

    # 6. mark a link between two claims on screen (a different pair each run; undone untimed)
    contender.top()
    pairs = plan["pairs"]

    def before_mark(i: int) -> None:
        if name != "crosscheck":
            contender.save(*pairs[i])

    def after_mark(i: int) -> None:
        if name != "crosscheck":
            contender.restore(*pairs[i])
        else:
            contender.unmark()  # the application's own undo

    _run(steps, "mark_link", lambda i: contender.mark(*pairs[i]), repeat=repeat, warmup=1,
         before=before_mark, after=after_mark, probe=probe)  # fmt: skip

    # 7. the same with the status + sources filter on (rows of that filter; cleared untimed afterwards)
    spec = plan["filters"]["filter_fields"]
    if name == "crosscheck":
        contender.apply_text(spec["text"])
    else:
        contender.apply(spec["where"])
    pairs = plan["pairs_filtered"]
    _run(steps, "mark_link_filtered", lambda i: contender.mark(*pairs[i]), repeat=repeat, warmup=1,
         before=before_mark, after=after_mark, probe=probe)  # fmt: skip
    contender.unfilter()
    rss["after_mark"] = _rss()
    rss["peak"] = _rss("VmHWM")
    contender.close()
    return steps, checks


def _rss(field: str = "VmRSS") -> int:
    from bench.common import status_kb

    return status_kb(field)


def _imports(name: str, plan: dict[str, Any], into: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from bench.common import median, settle

    data = Path(plan["document"]).read_bytes()
    source = Path(plan["empty"] if into == "empty" else plan["pristine"])
    target = Path(plan["scratch"])
    repeat = plan["repeat_import"] if into == "empty" else plan["repeat_import_workspace"]
    times: list[float] = []
    index_times: list[float] = []
    claims = 0
    for _ in range(repeat):
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, target)
        settle()
        if name == "crosscheck":
            from desktop.core import db
            from desktop.core.interchange import import_json
            from desktop.core.store.search_index import index_pending

            engine = db.make_engine(db.resolve_location(str(target)))
            db.upgrade(engine)  # a no-op check: the workspace is open before the analyst imports
            # As the window imports: the claims committed, their search index built after (in the window,
            # in the background while the analyst works; timed here on its own).
            start = time.perf_counter()
            report = import_json(engine, data, analyst="bench", defer_index=True)
            times.append((time.perf_counter() - start) * 1000)
            claims = report.claims
            start = time.perf_counter()
            indexed = index_pending(engine)
            index_times.append((time.perf_counter() - start) * 1000)
            assert indexed in (0, claims), f"indexed {indexed} of {claims} claims"
            engine.dispose()
        else:
            from bench.floor_import import import_document
            from desktop.core.sqlfunctions import register

            con = sqlite3.connect(target, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            register(con)
            start = time.perf_counter()
            claims = import_document(con, data, index=False)  # the index after the commit, as Crosscheck
            times.append((time.perf_counter() - start) * 1000)
            con.close()
        then = f"  + search index {index_times[-1]:.1f} ms after" if index_times else ""
        print(f"  import/{into:<9} {times[-1]:10.1f} ms{then}", file=sys.stderr, flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    step = f"import_{into}"
    found: dict[str, Any] = {"ms": times, "median_ms": median(times), "claims": claims}
    if index_times:
        found["index_ms"] = index_times
        found["index_median_ms"] = median(index_times)
    return {step: found}, {}


if __name__ == "__main__":
    raise SystemExit(main())
