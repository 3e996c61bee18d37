"""``crosscheck import FILE [--source NAME]``: a workspace document or reports, recognised by content.

An interchange document goes through the all-or-nothing JSON import (every
problem listed on stdout with its JSON path); anything else becomes reports
(``desktop.core.capture``): a Telegram Desktop export, an RSS/Atom feed, an
HTML page, a text or Markdown file. All or nothing either way.

``--json`` prints the result for a program to read: ``{"imported": {counts}}``,
or ``{"errors": [{"path", "message"}, …]}`` when the document was refused
(exit 1, the usual one line on stderr). On a terminal, progress is shown on
stderr as the import goes (never when stderr is a file or a pipe).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop.cli.base import out, out_problems, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    imp = commands.add_parser(
        "import",
        parents=[common],
        help="import a workspace document, or reports from a file (all or nothing)",
        description="Import FILE, recognised by its content: a crosscheck-workspace JSON document (ids kept; "
        "every problem is listed on stdout with its JSON path), or reports — a Telegram Desktop channel export "
        "(result.json, one report per message), an RSS/Atom feed (one per entry), an HTML page (its article "
        "text) or a text/Markdown file (one report). All or nothing: if anything is wrong, nothing is written. "
        "Creates the workspace named by --db if there is none.",
    )
    imp.add_argument("file", metavar="FILE", help="the file; - reads standard input")
    imp.add_argument(
        "--source", metavar="NAME", help="the publisher of reports whose file names none (found or created)"
    )
    imp.add_argument("--json", action="store_true", help="print the result (or every problem) as JSON")
    imp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.capture import import_file
    from desktop.core.capture.files import import_bytes
    from desktop.core.interchange import MAX_DOCUMENT_BYTES, ImportErrors

    data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1) if args.file == "-" else None
    progress = TerminalProgress() if sys.stderr.isatty() else None
    with workspace(args, create=True) as opened:
        try:
            if data is not None:
                done = import_bytes(opened.store, data, "standard input", publisher=args.source, progress=progress)
            else:
                done = import_file(opened.store, args.file, publisher=args.source, progress=progress)
        except ImportErrors as exc:
            if progress:
                progress.finish()
            # Every problem on stdout; the one-line summary goes to stderr as for any error.
            out_problems(exc.errors, as_json=args.json)
            raise
        finally:
            if progress:
                progress.finish()
    if args.json:
        out(json.dumps({"imported": done.counts, "kind": done.kind.name.lower()}, indent=2))
    else:
        out(done.summary)
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
