"""How long a related-claim suggestion list takes (DESIGN §5 target: ≤ 50 ms at a million claims).

    PYTHONPATH=. .venv/bin/python -m bench.bench_similar [--size 1000000] [--probes 200] [--db PATH]

Uses the cached synthetic workspace of ``bench.generate`` (built on first use),
picks ``--probes`` claims spread evenly over the ids, and times
``desktop.core.search.similar.similar_to`` for each on one warm connection
(the window asks on a connection it keeps open). Prints median, 95th
percentile and worst (and the median CPU time, which a busy machine inflates far
less), and writes ``bench/results/similar-<size>.json``. Not a
test: it asserts nothing. ``--db`` measures an existing workspace instead (brought up to
the current schema first, as opening it in the window would).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench import generate
from desktop.core import db
from desktop.core.search.similar import similar_to
from desktop.core.workspace import open_workspace

RESULTS = Path(__file__).resolve().parent / "results"


def measure(size: int, probes: int, path: Path | None = None) -> dict[str, object]:
    if path is None:
        path, _meta = generate.workspace(size)
    else:
        open_workspace(str(path), create=False).close()  # migrated to the current schema
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        top = connection.exec_driver_sql("SELECT max(id) FROM claim").scalar_one()
        size = connection.exec_driver_sql("SELECT count(*) FROM claim").scalar_one()
        ids = [1 + (top - 1) * i // max(probes - 1, 1) for i in range(probes)]
        for ident in ids[:5]:  # warm the page cache the way a session in use has it warm
            similar_to(connection, ident)
        times: list[float] = []
        cpu: list[float] = []
        found: list[int] = []
        for ident in ids:
            start, start_cpu = time.perf_counter(), time.process_time()
            suggestions = similar_to(connection, ident)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            found.append(len(suggestions))
    engine.dispose()
    ordered = sorted(times)
    load = os.getloadavg()[0]
    return {
        "size": size,
        "probes": probes,
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "max_ms": round(ordered[-1], 2),
        "mean_suggestions": round(statistics.mean(found), 2),
        # This process's own CPU time per list (SQLite runs in it): what the machine's other work
        # does not inflate, unlike the wall-clock figures above on a busy machine.
        "cpu_median_ms": round(statistics.median(cpu), 2),
        # The machine is shared: the load while measuring says how far these are from an idle machine's.
        "load_average_1min": round(load, 2),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, action="append", help="claims (repeatable); default 1000000")
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--db", type=Path, help="an existing SQLite workspace instead of a generated one")
    args = parser.parse_args()
    for size in [0] if args.db else args.size or [1_000_000]:
        result = measure(size, args.probes, args.db)
        size = int(result["size"])  # type: ignore[call-overload]
        print(json.dumps(result))
        if not args.no_write:
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"similar-{size}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
