"""What the exports that hand work on cost at scale: a 100k-claim brief, a 30k-claim STIX bundle.

    PYTHONPATH=. .venv/bin/python -m bench.bench_outputs [--size 100000] [--label after] [--code DIR] [--db PATH]

Each case is one ``crosscheck export`` in a fresh process (``python -m desktop
export``), as an analyst runs it, on a copy of the cached synthetic workspace of
``bench.generate`` (built on first use): the brief (Markdown, HTML) of every
claim, and STIX 2.1, ClaimReview and CSV of ``status:contested`` (about 30 % of
the claims: 30k at 100k). For each: wall time, CPU time (user + system: the
machine is shared, and the CPU time says what the export itself cost), the peak
resident memory, and the size written. ``--code DIR`` runs another checkout's
code on the same data (``--code /work/main --label before`` measured the code
before a change); results are merged into ``bench/results/outputs-<size>.json``
under ``--label``. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from bench import generate
from bench.scale_run import wait_quiet
from desktop.core.workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
CASES: Final = (
    ("brief-markdown", "markdown", ""),
    ("brief-html", "html", ""),
    ("stix", "stix", "status:contested"),
    ("claimreview", "claimreview", "status:contested"),
    ("csv", "csv", "status:contested"),
)


def run_case(fmt: str, filter_text: str, db: Path, output: Path, code: Path) -> dict[str, Any]:
    """One export in a child process: wall and CPU seconds, peak memory, bytes written."""
    command = [sys.executable, "-m", "desktop", "export", "--db", str(db), "--format", fmt, "-o", str(output)]
    if filter_text:
        command += ["--filter", filter_text]
    env = {**os.environ, "PYTHONPATH": str(code), "CROSSCHECK_ORGANISATION": "Bench Desk"}
    env["CROSSCHECK_ORGANISATION_URL"] = "https://bench.example"
    busy = wait_quiet(limit_s=20.0)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=code, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        # RUSAGE_CHILDREN's peak is the largest child's so far: run_case runs alone in a process (_isolated).
        "peak_rss_mb": round(after.ru_maxrss / 1024, 0),
        "output_mb": round(output.stat().st_size / 1e6, 1),
        "busy_cpus_before": round(busy, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def measure(size: int, code: Path, db: Path | None) -> dict[str, Any]:
    source = db if db is not None else generate.workspace(size)[0]
    with tempfile.TemporaryDirectory(prefix="bench-outputs-") as folder:
        copy = Path(folder) / "workspace.sqlite"
        shutil.copyfile(source, copy)
        open_workspace(str(copy), create=False).close()  # migrated to the current schema first
        results: dict[str, Any] = {}
        for name, fmt, filter_text in CASES:
            # A fresh interpreter per case, measured through a wrapper, so each peak is that case's alone.
            results[name] = _isolated(fmt, filter_text, copy, Path(folder) / f"out-{name}", code)
            results[name]["filter"] = filter_text
            print(f"{name}: {json.dumps(results[name])}", flush=True)
    return results


def _isolated(fmt: str, filter_text: str, db: Path, output: Path, code: Path) -> dict[str, Any]:
    """``run_case`` in a process of its own, so RUSAGE_CHILDREN's peak is this export's."""
    program = (
        "import json, sys; from pathlib import Path; from bench.bench_outputs import run_case; "
        "print(json.dumps(run_case(sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, fmt, filter_text, str(db), str(output), str(code)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--label", default="after", help="the name these results are kept under")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose code exports (default: this one)")
    parser.add_argument("--db", type=Path, help="an existing SQLite workspace instead of a generated one")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(args.code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    run = {"code": commit, "cpus": os.cpu_count(), "cases": measure(args.size, args.code.resolve(), args.db)}
    if args.no_write:
        return
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"outputs-{args.size}.json"
    merged = json.loads(target.read_text()) if target.exists() else {"size": args.size}
    merged[args.label] = run
    target.write_text(json.dumps(merged, indent=2) + "\n")
    print(f"written to {target}")


if __name__ == "__main__":
    main()
