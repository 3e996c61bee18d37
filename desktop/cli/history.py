"""``crosscheck history``: the audit trail in words, or as JSON (DESIGN §4).

In words, oldest first, a change per line (``2022-12-15 10:02 anna: claim c-1
credibility 3 → 2``; an import is one line unless ``--entity`` asks about one
of its entities); sources, reports, places and requests for comment by name
(``claim c-1 source Rybar → ISW``), an id only for what is no longer held
(``src-9 (deleted)``). ``--json``: an array of objects with ``at``,
``analyst``, ``entity``, ``id``, ``action``, ``field``, ``old`` and ``new``,
one per audit row, fields named as in the interchange format, references by
interchange id (DESIGN §4).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.cli.base import out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    his = commands.add_parser(
        "history",
        parents=[common],
        help="the audit trail: who changed what, when",
        description="Every change to the workspace, oldest first: edits (old → new), links marked and removed, "
        "entities created, deleted and imported, with the time and the analyst.",
    )
    his.add_argument(
        "--since",
        metavar="T",
        help="only changes after this moment: a timestamp, or a date (from the start of that day)",
    )
    his.add_argument(
        "--entity",
        metavar="ID",
        help="only changes to this claim, source, report, place or request for comment "
        "(a claim: its links and the requests for comment about it too)",
    )
    his.add_argument("--json", action="store_true", help="a JSON array of audit rows instead of sentences")
    his.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.errors import NotFound
    from desktop.core.history.moments import parse_since
    from desktop.core.history.names import names_for
    from desktop.core.history.words import entries_about, entry, history_rows, lines

    since = parse_since(args.since) if args.since is not None else None
    with workspace(args, create=False) as opened, opened.engine.connect() as connection:
        rows = history_rows(connection, since=since, about=args.entity)
        in_full = args.entity is not None
        names = None if args.json else names_for(connection, rows, imports=in_full)
        # Everything ever made is audited: an id the trail never names is a typo, not a quiet entity.
        if args.entity is not None and not rows and (since is None or not entries_about(connection, args.entity)):
            raise NotFound(
                f"the audit trail names nothing with the id {args.entity!r} "
                "(no claim, source, report, place or request for comment has it, nor ever had)"
            )
    if args.json:
        out(json.dumps([entry(row).as_json() for row in rows], ensure_ascii=False, indent=2))
    elif rows:
        out("\n".join(lines(rows, imports_in_full=in_full, names=names)))
    return 0
