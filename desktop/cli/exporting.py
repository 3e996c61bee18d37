"""``crosscheck export``: the workspace as canonical interchange JSON, or its claims as CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli.base import workspace, write_atomically


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    exp = commands.add_parser(
        "export",
        parents=[common],
        help="export the workspace (canonical JSON, or claims as CSV)",
        description="Write the workspace as canonical interchange JSON, or its claims as CSV (formula cells "
        "neutralised). To standard output unless -o is given.",
    )
    exp.add_argument("--format", choices=("json", "csv"), default="json", help="default: json")
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    exp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.interchange import export_csv, export_json

    with workspace(args) as opened:
        data = export_csv(opened.engine) if args.format == "csv" else export_json(opened.engine)
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(Path(args.output), data)
    return 0
