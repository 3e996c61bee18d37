"""Benchmark of the status engine: one link change as the store re-derives it, vs a full re-derivation, at 100k claims.

Run: ``.venv/bin/python bench/bench_engine.py [--claims N] [--repeat R]``. Prints a table and writes
``bench/results/engine.json``. Not part of the test suite.

The synthetic workspace: thousands of sources over four sides plus unaligned, a quarter of them in one of
80 groups; about one link per claim, a quarter of them ``repeats`` (relay chains onto recent claims) and
the rest evidence between random claims; plus one "viral" cluster — a post relayed 2,000 times — to show
that the cost of one change follows the size of the clusters touched, not of the workspace.

A link change is re-derived by the store's rule (``desktop.core.store.links``): the claims
``clusters`` (an evidence link) or ``neighbourhood`` (a ``repeats`` link) gives for the two ends, before
and after the change, through ``derive_many``. Here that runs over the in-memory graph, so the figures
are the engine's share of a write, without SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.core.corroboration import (  # noqa: E402
    Derivation,
    MemoryGraph,
    clusters,
    derive_all,
    derive_many,
    neighbourhood,
)

SIDES = ("", "russia", "ukraine", "united-states", "european-union")
EVIDENCE = ("corroborates", "corroborates", "contradicts", "neutral")
VIRAL_RELAYS = 2_000


def build(n_claims: int, seed: int) -> tuple[MemoryGraph, list[int]]:
    """The synthetic graph, and the members of its viral cluster."""
    rng = random.Random(seed)
    graph = MemoryGraph()
    n_sources = max(10, n_claims // 30)
    for s in range(n_sources):
        group = f"group-{rng.randrange(80)}" if rng.random() < 0.25 else ""
        graph.add_source(s, rng.choice(SIDES), group)
    for c in range(n_claims):
        graph.add_claim(c, rng.randrange(n_sources))
    link = 0
    for c in range(1, n_claims):
        if rng.random() < 0.25:
            graph.add_link(link, c, rng.randrange(max(0, c - 200), c), "repeats")
        else:
            graph.add_link(link, c, rng.randrange(n_claims), rng.choice(EVIDENCE))
        link += 1
    viral = [0, *rng.sample(range(1, n_claims), VIRAL_RELAYS)]
    for relay in viral[1:]:
        graph.add_link(link, relay, viral[0], "repeats")
        link += 1
    return graph, viral


def rederive(
    graph: MemoryGraph,
    derivations: dict[int, Derivation],
    ends: tuple[int, int],
    relation: str,
    change: Callable[[], None],
) -> tuple[int, int]:
    """Apply ``change`` (a link between ``ends``) and re-derive as the store does; (re-derived, changed) counts."""
    reach = neighbourhood if relation == "repeats" else clusters
    dirty = reach(graph, ends)
    change()
    dirty |= reach(graph, ends)
    fresh = derive_many(graph, dirty)
    changed = sum(1 for claim, derivation in fresh.items() if derivations.get(claim) != derivation)
    derivations.update(fresh)
    return len(dirty), changed


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    del result  # freed outside the measurement: dropping the previous result is not part of deriving
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=31, help="link changes measured per case")
    parser.add_argument("--full-runs", type=int, default=5, help="full re-derivations measured")
    parser.add_argument("--seed", type=int, default=20221215)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "engine.json")
    args = parser.parse_args()

    t = time.perf_counter()
    graph, viral = build(args.claims, args.seed)
    build_s = time.perf_counter() - t
    n_links = sum(1 for _ in graph.links())

    full = [timed(lambda: derive_all(graph)) for _ in range(args.full_runs)]
    derivations = derive_all(graph)
    statuses: dict[str, int] = {}
    for d in derivations.values():
        statuses[d.status] = statuses.get(d.status, 0) + 1

    rng = random.Random(args.seed + 1)
    viral_cluster = derivations[viral[0]].cluster  # the relays plus whatever else repeats into them
    ordinary = [c for c in range(args.claims) if c not in viral_cluster]
    viral_members = sorted(viral_cluster)
    next_link = 10_000_000
    cases: dict[str, dict[str, list[float]]] = {}

    def measure(case: str, pick: Callable[[], tuple[int, int]], relation: str) -> None:
        nonlocal next_link
        add: list[float] = []
        remove: list[float] = []
        affected: list[float] = []
        changed: list[float] = []
        for _ in range(args.repeat):
            a, b = pick()
            next_link += 1
            link = next_link
            start = time.perf_counter()
            rederived, altered = rederive(
                graph, derivations, (a, b), relation, partial(graph.add_link, link, a, b, relation)
            )
            add.append(time.perf_counter() - start)
            affected.append(rederived)
            changed.append(altered)
            start = time.perf_counter()
            rederive(graph, derivations, (a, b), relation, partial(graph.remove_link, link))
            remove.append(time.perf_counter() - start)
        cases[case] = {"add": add, "remove": remove, "affected": affected, "changed": changed}

    measure("evidence link", lambda: (rng.choice(ordinary), rng.choice(ordinary)), "corroborates")
    measure("repeats link", lambda: (rng.choice(ordinary), rng.choice(ordinary)), "repeats")
    measure(
        "repeats link into the viral cluster",
        lambda: (rng.choice(ordinary), rng.choice(viral_members)),
        "repeats",
    )
    # the derivations kept up to date change by change must still be exactly the full derivation
    assert derivations == derive_all(graph), "re-deriving change by change drifted from derive_all"

    full_ms = median_ms(full)
    rows = []
    for case, samples in cases.items():
        add_ms, remove_ms = median_ms(samples["add"]), median_ms(samples["remove"])
        rows.append(
            {
                "case": case,
                "add_ms": add_ms,
                "remove_ms": remove_ms,
                "add_ms_p90": round(sorted(samples["add"])[int(0.9 * (len(samples["add"]) - 1))] * 1000, 3),
                "rederived_claims_median": statistics.median(samples["affected"]),
                "changed_claims_median": statistics.median(samples["changed"]),
                "speedup_vs_full": round(full_ms / max(add_ms, remove_ms), 1),
            }
        )

    print(f"{args.claims:,} claims, {n_links:,} links, built in {build_s:.2f} s; statuses {statuses}")
    print(f"full derive_all: median {full_ms:,.1f} ms over {args.full_runs} runs")
    print(
        f"{'one link change (median of ' + str(args.repeat) + ')':<38} {'add ms':>8} {'add p90':>8} "
        f"{'remove ms':>10} {'rederived':>10} {'changed':>8} {'vs full':>8}"
    )
    for row in rows:
        print(
            f"{row['case']:<38} {row['add_ms']:>8.3f} {row['add_ms_p90']:>8.3f} {row['remove_ms']:>10.3f} "
            f"{row['rederived_claims_median']:>10,.0f} {row['changed_claims_median']:>8,.0f} "
            f"{row['speedup_vs_full']:>7,.0f}x"
        )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "status engine: one link change re-derived by the store's rule vs derive_all",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),  # other work on the machine skews the figures
        "claims": args.claims,
        "links": n_links,
        "sources": sum(1 for _ in graph.sources()),
        "viral_cluster_size": len(viral_cluster),
        "statuses": statuses,
        "full_derive_all_ms": {"median": full_ms, "runs": [round(s * 1000, 1) for s in full]},
        "link_change": rows,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
