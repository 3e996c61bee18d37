"""The README's SQLite table from the committed results: ``python -m bench.report [--sizes 100000,1000000]``.

Reads ``bench/results/scale-<size>.json`` (written by ``bench.scale``) and prints
one Markdown table with every row at each size side by side — peer, floor,
Crosscheck, whether the target is met and, if not, by how much — then the
machine and the commit each run measured. Nothing is measured here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _value(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return "—"
    if row["unit"] == "MB":
        return f"+{value:,.0f} MB" if value >= 0 else f"{value:,.0f} MB"
    if value >= 1000:
        return f"{value / 1000:,.2f} s"
    return f"{value:,.1f} ms"


def _met(row: dict[str, Any]) -> str:
    if row.get("met") is None:
        return "—"
    return "yes" if row["met"] else f"**no**: {row['miss']}"


def table(sizes: list[int]) -> str:
    runs = {size: json.loads((RESULTS / f"scale-{size}.json").read_text()) for size in sizes}
    header = ["step", "target"]
    for size in sizes:
        label = f"{size // 1000:,}k" if size < 1_000_000 else f"{size // 1_000_000:,}M"
        header += [f"{label} peer", f"{label} floor", f"{label} Crosscheck", f"{label} met?"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    order: list[str] = []
    for run in runs.values():
        order += [row["step"] for row in run["rows"] if row["step"] not in order]
    for step in order:
        found = {size: next((r for r in runs[size]["rows"] if r["step"] == step), None) for size in sizes}
        first = next(r for r in found.values() if r is not None)
        cells = [first["label"], first["target"]]
        for size in sizes:
            row = found[size]
            if row is None:
                cells += ["—"] * 4
            else:
                cells += [_value(row, "peer"), _value(row, "floor"), _value(row, "crosscheck"), _met(row)]
        lines.append("| " + " | ".join(cells) + " |")
    notes = []
    for size, run in runs.items():
        machine = run["machine"]
        code = run["code"]["before"]["head"][:7]
        seen = [v.get("busy_cpus_before") for v in run["raw"].values() if isinstance(v, dict)]
        busy = max((b for b in seen if b is not None), default=None)
        notes.append(
            f"- {size:,} claims: {run['when']}, code {code}, CPython {machine['python']}, SQLite "
            f"{machine['sqlite (python)']}, {machine['cpus']} CPUs; other work before each part: "
            f"{'not recorded' if busy is None else f'at most {busy:.2f} CPU busy'}"
        )
    return "\n".join(lines) + "\n\n" + "\n".join(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args(argv)
    print(table([int(s) for s in args.sizes.split(",")]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
