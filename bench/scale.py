"""The scale benchmark: ``python -m bench.scale [--size N]`` (see ``bench/README.md``).

For one workspace size it:

1. builds or reuses the cached synthetic workspace and import document
   (``bench.generate``) and copies the workspace to a scratch file that every
   contender then uses in turn (the cache stays pristine);
2. prepares the plan every contender follows: the filter texts and the SQL that
   says the same, the link pairs, the repeat counts;
3. runs each contender in a fresh process (``bench.worker``) — floor, peer,
   Crosscheck — then the imports, then whole-process start-up (``bench.launch``);
4. checks the contenders showed the same rows, prints the table and writes it
   as JSON to ``bench/results/scale-<size>.json``.

Timings are medians of several runs. Nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench import generate, scale_run
from bench.scale_plan import IMPORT_CLAIMS, make_plan
from bench.scale_run import (
    RESULTS,
    ROOT,
    bare_qapplication_kb,
    code_version,
    log,
    recorded_capabilities,
    run_capabilities,
    run_startup,
    run_worker,
)
from bench.scale_table import build_table, check_consistency, render

# --- main ---------------------------------------------------------------------------------------


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    code = code_version()
    pristine, meta = generate.workspace(size)
    generate.document(IMPORT_CLAIMS)
    generate.empty_workspace()
    work = generate.CACHE / f"work-{size}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(pristine, work)
    log(f"workspace ready ({time.perf_counter() - t0:.1f} s): {meta['counts']}")
    plan = make_plan(size, meta, work, args)
    plan_file = generate.CACHE / f"plan-{size}.json"
    plan_file.write_text(json.dumps(plan, indent=1, ensure_ascii=False))
    results: dict[str, dict[str, Any]] = {}
    parts = set(args.only.split(","))
    if "browse" in parts:
        for contender in ("floor", "peer", "crosscheck"):
            results[contender] = run_worker(contender, plan_file)
    if "import" in parts:
        intos = ["empty"] + (["workspace"] if not args.skip_import_workspace else [])
        for into in intos:
            for contender in ("floor", "crosscheck"):
                results[f"{contender}-import_{into}"] = run_worker(contender, plan_file, into)
    if "startup" in parts:
        log("[startup]")
        results["startup-peer"] = run_startup(work, True, args.repeat)
        results["startup-crosscheck"] = run_startup(work, False, args.repeat)
        results["bare-qapplication"] = {"peak_kb": bare_qapplication_kb()}
    if "capabilities" in parts:
        results["capabilities"] = run_capabilities(size, write=not args.no_write)
    else:
        results["capabilities"] = recorded_capabilities(size)
    rows = build_table(size, plan, results)
    problems = check_consistency(plan, results)
    report = {
        "size": size,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "sqlite (python)": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },  # fmt: skip
        "code": {"before": code, "after": code_version()},
        "workspace": {k: meta[k] for k in ("counts", "statuses", "terms", "filter", "bytes", "generator", "schema")},
        "plan": {
            k: plan[k]
            for k in (
                "repeat",
                "repeat_last",
                "page_downs",
                "repeat_import",
                "repeat_import_workspace",
                "filters",
                "pairs",
                "pairs_filtered",
            )
        },  # fmt: skip
        "rows": rows,
        "consistency_problems": problems,
        "raw": results,
        "wall_s": time.perf_counter() - t0,
    }
    text = render(size, rows)
    print(text)
    if problems:
        print("\nCONSISTENCY PROBLEMS:\n" + "\n".join("- " + p for p in problems))
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"scale-{size}.json"
        tmp = out.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(report, indent=1, ensure_ascii=False))
        os.replace(tmp, out)
        log(f"wrote {out.relative_to(ROOT)}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, action="append", help="claims in the workspace (repeatable); "
                        "default 100000 then 1000000")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per step (median reported)")
    parser.add_argument("--repeat-last", type=int, default=5, help="timed runs of the jump to the last row")
    parser.add_argument("--page-downs", type=int, default=20, help="consecutive page downs timed")
    parser.add_argument("--repeat-import", type=int, default=3)
    parser.add_argument("--repeat-import-workspace", type=int, default=1)
    parser.add_argument("--skip-import-workspace", action="store_true")
    parser.add_argument("--only", default="browse,import,startup,capabilities",
                        help="comma-separated: browse, import, startup, capabilities")  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results")
    parser.add_argument("--wait", type=float, default=scale_run.WAIT_QUIET_S, metavar="SECONDS",
                        help="longest wait for a quiet machine before each part (default %(default)s)")  # fmt: skip
    parser.add_argument("--no-wait", action="store_true", help="do not wait for a quiet machine (--wait 0)")
    args = parser.parse_args(argv)
    scale_run.WAIT_QUIET_S = 0.0 if args.no_wait else args.wait
    for size in args.size or [100_000, 1_000_000]:
        run_size(size, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
