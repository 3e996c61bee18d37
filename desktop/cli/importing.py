"""``crosscheck import FILE``: an interchange document, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli.base import out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    imp = commands.add_parser(
        "import",
        parents=[common],
        help="import an interchange JSON document (all or nothing)",
        description="Import a crosscheck-workspace JSON document. All or nothing: if anything is wrong, "
        "every problem is listed on stdout with its JSON path, and nothing is written. Ids already in the "
        "workspace are refused; references may name entities already in the workspace.",
    )
    imp.add_argument("file", metavar="FILE", help="the document; - reads standard input")
    imp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.interchange import MAX_DOCUMENT_BYTES, ImportErrors, import_json
    from desktop.core.interchange.json_import import too_large
    from desktop.core.workspace import default_analyst

    if args.file == "-":
        data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    else:
        path = Path(args.file)
        if path.is_file() and path.stat().st_size > MAX_DOCUMENT_BYTES:  # refuse before reading it all
            from desktop.core.errors import UserError

            raise UserError(f"{path}: {too_large(path.stat().st_size)}")
        data = path.read_bytes()
    with workspace(args) as opened:
        try:
            report = import_json(opened.engine, data, analyst=default_analyst())
        except ImportErrors as exc:
            # Every problem on stdout, one per line; the one-line summary goes to stderr as for any error.
            out("\n".join(str(problem) for problem in exc.errors))
            raise
    out(f"imported {report.summary()}")
    return 0
