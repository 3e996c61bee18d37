"""Running the scale benchmark's parts, each in fresh processes (``bench.scale``): a contender's worker,
whole-process start-up, the capabilities' own scripts; and waiting for a quiet machine before each."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import generate
from bench.common import median

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = sys.executable


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # An installed application runs from compiled .pyc files: let the untimed first runs write them
    # (with PYTHONDONTWRITEBYTECODE set, every start would compile the application's sources again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def code_version() -> dict[str, Any]:
    """The commit measured, and the files under desktop/ that differed from it (colleagues' work in progress)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"head": git("rev-parse", "HEAD"), "uncommitted": git("status", "--short", "--", "desktop").splitlines()}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _busy_cpus(interval: float = 1.0) -> float:
    """How many CPUs other processes kept busy over ``interval`` seconds (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields), idle

    total0, idle0 = sample()
    time.sleep(interval)
    total1, idle1 = sample()
    spent = max(1, total1 - total0)
    return (1 - (idle1 - idle0) / spent) * (os.cpu_count() or 1)


WAIT_QUIET_S = 120.0  # --wait / --no-wait (a busy machine; the busy CPUs seen are recorded either way)


def wait_quiet(limit_s: float | None = None) -> float:
    """Wait (up to ``limit_s``) until other work uses less than half a CPU: the machine is shared.

    Returns the busy CPUs last seen (recorded with each result, so a noisy run shows)."""
    deadline = time.monotonic() + (WAIT_QUIET_S if limit_s is None else limit_s)
    busy = _busy_cpus()
    while busy > 0.5 and time.monotonic() < deadline:
        busy = _busy_cpus(2.0)
    return busy


def run_worker(contender: str, plan_file: Path, into: str | None = None) -> dict[str, Any]:
    out = plan_file.with_name(f"{plan_file.stem}-{contender}-{into or 'browse'}.out.json")
    busy = wait_quiet()
    command = [PYTHON, "-m", "bench.worker", contender, str(plan_file), str(out)]
    if into:
        command += ["--import", into]
    log(f"[{contender}{' import ' + into if into else ''}]")
    subprocess.run(command, check=True, env=_env(), cwd=ROOT)
    result: dict[str, Any] = json.loads(out.read_text())
    result["busy_cpus_before"] = round(busy, 2)
    out.unlink()
    return result


def run_startup(db: Path, peer: bool, repeat: int) -> dict[str, Any]:
    """Whole-process start-up to the first painted table, ``repeat`` times (after one untimed run)."""
    runs: list[dict[str, float]] = []
    peaks: list[int] = []
    settings = generate.CACHE / "settings"  # a clean QSettings home: no remembered filter or layout
    wait_quiet()
    for i in range(repeat + 1):
        shutil.rmtree(settings, ignore_errors=True)
        env = _env()
        env["XDG_CONFIG_HOME"] = str(settings)
        command = [PYTHON, "-m", "bench.launch", "--db", str(db)] + (["--peer"] if peer else [])
        start = time.monotonic()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
        line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")][-1]
        phases = json.loads(line)["phases"]
        if i == 0:
            continue  # the first run also pays for the OS file cache and .pyc files
        runs.append({name: (moment - start) * 1000 for name, moment in phases.items()})
        peaks.append(json.loads(line)["peak_kb"])
    names = list(runs[0])
    return {"ms": [r["painted"] for r in runs], "median_ms": median([r["painted"] for r in runs]),
            "phases_median_ms": {n: median([r[n] for r in runs]) for n in names},
            "peak_kb": median([float(p) for p in peaks])}  # fmt: skip


CAPABILITY_TIMEOUT_S = 40 * 60


def run_capabilities(size: int, write: bool = True) -> dict[str, Any]:
    """The new capabilities' benchmarks, each its own script in a fresh process (each writes its own JSON).

    bench_similar (suggestions), bench_history (as-of replay with a tenth of the claims changed since,
    and the history panel), bench_reader (a 100 kB report opened in the reader)."""
    found: dict[str, Any] = {"failed": {}}
    commands = {
        "similar": ["bench.bench_similar", "--size", str(size)],
        # The core's replay (the budget); --no-window leaves out the window's replay into a scratch
        # workspace, which bench_history can also time.
        "history": ["bench.bench_history", "--size", str(size), "--changes", str(size // 10), "--no-window"],
        "reader": ["bench.bench_reader", "--size", str(size)],
    }
    for name, arguments in commands.items():
        if not write:  # bench.scale --no-write: the capabilities' own JSON stays as the last written run left it
            arguments = [*arguments, "--no-write"]
        busy = wait_quiet()
        log(f"[{name}]")
        start = time.monotonic()
        try:
            done = subprocess.run([PYTHON, "-m", *arguments], env=_env(), cwd=ROOT, capture_output=True, text=True,
                                  timeout=CAPABILITY_TIMEOUT_S, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            found["failed"][name] = f"did not finish in {CAPABILITY_TIMEOUT_S // 60} minutes"
            continue
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            found["failed"][name] = f"exit {done.returncode}: {last[:200]}"
            continue
        text = done.stdout.strip()
        result: dict[str, Any] = json.loads(text[text.index("{") :])  # one JSON object (one line or indented)
        result["busy_cpus_before"] = round(busy, 2)
        result["wall_s"] = round(time.monotonic() - start, 1)
        found[name] = result
    return found


def recorded_capabilities(size: int) -> dict[str, Any]:
    """The capabilities' latest results for ``size`` from their own JSON files (when not run this time)."""
    found: dict[str, Any] = {"failed": {}}
    for name in ("similar", "history", "reader"):
        path = RESULTS / f"{name}-{size}.json"
        if path.exists():
            result = json.loads(path.read_text())
            result["recorded_earlier"] = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(path.stat().st_mtime))
            found[name] = result
    return found


def bare_qapplication_kb() -> float:
    """Peak RSS of a process that only creates a QApplication (median of three)."""
    peaks = []
    for _ in range(3):
        done = subprocess.run([PYTHON, "-m", "bench.launch", "--db", "-", "--bare"], env=_env(), cwd=ROOT,
                              capture_output=True, text=True, check=True)  # fmt: skip
        peaks.append(float(json.loads(done.stdout.strip().splitlines()[-1])["peak_kb"]))
    return median(peaks)
