"""How long a related-claim suggestion list takes (DESIGN §5 target: ≤ 50 ms at a million claims).

    PYTHONPATH=. .venv/bin/python -m bench.bench_similar [--size 1000000] [--probes 200]

Uses the cached synthetic workspace of ``bench.generate`` (built on first use),
picks ``--probes`` claims spread evenly over the ids, and times
``desktop.core.search.similar.similar_to`` for each on one warm connection
(the window asks on a connection it keeps open). Prints median, 95th
percentile and worst, and writes ``bench/results/similar-<size>.json``. Not a
test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench import generate
from desktop.core import db
from desktop.core.search.similar import similar_to

RESULTS = Path(__file__).resolve().parent / "results"


def measure(size: int, probes: int) -> dict[str, object]:
    path, _meta = generate.workspace(size)
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        top = connection.exec_driver_sql("SELECT max(id) FROM claim").scalar_one()
        ids = [1 + (top - 1) * i // max(probes - 1, 1) for i in range(probes)]
        for ident in ids[:5]:  # warm the page cache the way a session in use has it warm
            similar_to(connection, ident)
        times: list[float] = []
        found: list[int] = []
        for ident in ids:
            start = time.perf_counter()
            suggestions = similar_to(connection, ident)
            times.append((time.perf_counter() - start) * 1000)
            found.append(len(suggestions))
    engine.dispose()
    ordered = sorted(times)
    return {
        "size": size,
        "probes": probes,
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "max_ms": round(ordered[-1], 2),
        "mean_suggestions": round(statistics.mean(found), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, action="append", help="claims (repeatable); default 1000000")
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    for size in args.size or [1_000_000]:
        result = measure(size, args.probes)
        print(json.dumps(result))
        if not args.no_write:
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"similar-{size}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
