"""``crosscheck import FILE``: an interchange document, all or nothing.

``--json`` prints the result for a program to read: ``{"imported": {counts}}``,
or ``{"errors": [{"path", "message"}, …]}`` when the document was refused
(exit 1, the usual one line on stderr). On a terminal, progress is shown on
stderr as the import goes (never when stderr is a file or a pipe).
"""

from __future__ import annotations

import argparse
import json
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
        "workspace are refused; references may name entities already in the workspace. Creates the "
        "workspace named by --db if there is none.",
    )
    imp.add_argument("file", metavar="FILE", help="the document; - reads standard input")
    imp.add_argument("--json", action="store_true", help="print the result (or every problem) as JSON")
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
    progress = TerminalProgress() if sys.stderr.isatty() else None
    with workspace(args, create=True) as opened:
        try:
            report = import_json(opened.engine, data, analyst=default_analyst(), progress=progress)
        except ImportErrors as exc:
            if progress:
                progress.finish()
            # Every problem on stdout; the one-line summary goes to stderr as for any error.
            if args.json:
                out(json.dumps({"errors": [p._asdict() for p in exc.errors]}, ensure_ascii=False, indent=2))
            else:
                out("\n".join(str(problem) for problem in exc.errors))
            raise
        finally:
            if progress:
                progress.finish()
    if args.json:
        out(json.dumps({"imported": report.as_dict()}, indent=2))
    else:
        out(f"imported {report.summary()}")
    return 0


class TerminalProgress:
    """One line on stderr, rewritten in place: ``importing: writing claims … 45 %``."""

    def __init__(self, verb: str = "importing") -> None:
        self._verb = verb
        self._shown = ""
        self._width = 0

    def __call__(self, step: str, fraction: float) -> None:
        line = f"{self._verb}: {step} … {round(fraction * 100):3d} %"
        if line != self._shown:
            sys.stderr.write("\r" + line.ljust(self._width))
            sys.stderr.flush()
            self._shown, self._width = line, max(self._width, len(line))

    def finish(self) -> None:
        """Clear the line, so what follows (a message, the prompt) starts on a clean one."""
        if self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()
            self._width = 0
