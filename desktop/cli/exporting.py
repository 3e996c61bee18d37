"""``crosscheck export``: the workspace as canonical interchange JSON, or its claims as CSV.

The format is ``--format`` when given, else the one the ``-o`` file's extension
names (``claims.csv`` → CSV), else JSON; an extension that names no format is an
error rather than a guess.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Final

from desktop.cli.as_of import AS_OF_HELP, moment, replay_as_of
from desktop.cli.base import workspace
from desktop.core.atomic_write import write_atomically

FORMATS: Final = ("json", "csv")
EXTENSIONS: Final = {".json": "json", ".csv": "csv"}


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    exp = commands.add_parser(
        "export",
        parents=[common],
        help="export the workspace (canonical JSON, or claims as CSV)",
        description="Write the workspace as canonical interchange JSON, or its claims as CSV (formula cells "
        "neutralised). To standard output unless -o is given. The format follows the -o file's extension "
        f"({', '.join(EXTENSIONS)}) unless --format says otherwise.",
    )
    exp.add_argument("--format", choices=FORMATS, default=None, help="default: from -o's extension, else json")
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    exp.add_argument("--as-of", metavar="T", help=AS_OF_HELP)
    exp.set_defaults(run=run)


def chosen_format(explicit: str | None, output: str | None) -> str:
    """``--format`` if given; else the output file's extension; else JSON."""
    from desktop.core.errors import UserError

    if explicit is not None:
        return explicit
    if output in (None, "-"):
        return "json"
    suffix = Path(str(output)).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    named = f"the extension {suffix!r}" if suffix else "no extension"
    raise UserError(f"{output} has {named}, which names no export format: give --format ({'|'.join(FORMATS)})")


def run(args: argparse.Namespace) -> int:
    from desktop.core.interchange import export_csv, export_json

    fmt = chosen_format(args.format, args.output)  # before opening anything: a wrong name changes nothing
    when = moment(args.as_of)
    with workspace(args, create=False) as opened:
        if when is not None:
            data = _as_of(opened.engine, when, fmt)
        else:
            data = export_csv(opened.engine) if fmt == "csv" else export_json(opened.engine)
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(Path(args.output), data)
    return 0


def _as_of(engine: Any, when: Any, fmt: str) -> bytes:
    """The export of the workspace as it stood at ``moment``: the canonical document, byte for byte what an
    export taken then wrote; CSV from that document, by way of a scratch workspace in memory."""
    from desktop.core.interchange.json_export import canonical_json

    document = replay_as_of(engine, when).document
    if fmt == "json":
        return (canonical_json(document) + "\n").encode("utf-8")
    from desktop.core.history.scratch import scratch_workspace
    from desktop.core.interchange import export_csv

    with scratch_workspace(document) as scratch:
        return export_csv(scratch)
