"""``crosscheck apply FILE``: a changes document (DESIGN §3), all or nothing, under the applying analyst.

Every problem — a malformed change, an unknown id, a judgement on a claim the
batch deletes, a stale ``expect`` (a conflict: the field, its current value and
who last changed it) — is listed on stdout with its JSON path, the one-line
summary goes to stderr, the exit code is 1, and nothing is written. ``--json``
prints ``{"applied": {counts}}`` or ``{"errors": [{"path", "message"}, …]}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.cli.base import out, out_problems, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "apply",
        parents=[common],
        help="apply a changes document: link, unlink, update, delete (all or nothing)",
        description="Apply a crosscheck-changes JSON document to the workspace, every change audited under "
        "your analyst name. link/unlink record or remove YOUR judgement on a pair (other analysts' stay); "
        "update sets fields named as in the interchange format, and 'expect' names the values you last saw: "
        "if any has changed, the whole document is refused as a conflict. All or nothing: on any problem, "
        "every one is listed on stdout with its JSON path and nothing is written.",
    )
    cmd.add_argument("file", metavar="FILE", help="the changes document; - reads standard input")
    cmd.add_argument("--json", action="store_true", help="print the result (or every problem) as JSON")
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.interchange.changes import ChangeErrors, apply_changes
    from desktop.core.interchange.json_import import MAX_DOCUMENT_BYTES

    data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1) if args.file == "-" else Path(args.file).read_bytes()
    with workspace(args, create=False) as opened:
        try:
            report = apply_changes(opened.store, data)
        except ChangeErrors as exc:
            out_problems(exc.errors, as_json=args.json)
            raise
    if args.json:
        out(json.dumps({"applied": report.counts}, indent=2))
    else:
        out(report.summary())
    return 0
