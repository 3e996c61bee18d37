"""``crosscheck check``: the workspace's soundness (``desktop.core.integrity``), as lines or JSON.

``--repair`` mends what can be mended in place (the search index, the derived
statuses) — after an online backup beside the workspace, whose path it prints
on stderr — and then checks again, as ``Tools → Check workspace`` does.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.cli.base import fail, out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    chk = commands.add_parser(
        "check",
        parents=[common],
        help="check the workspace's integrity",
        description="Storage integrity, dangling references, links a pair of claims should not have, the "
        "search index, and stored statuses that disagree with a fresh derivation. Prints ok (exit 0) or the "
        "problems (exit 1).",
    )
    chk.add_argument(
        "--json", action="store_true", help='print {"ok": …, "problems": [{"message", "repair"}, …]} instead'
    )
    chk.add_argument(
        "--repair",
        action="store_true",
        help="rebuild the search index and re-derive statuses where the check finds them wrong, after a backup",
    )
    chk.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core import integrity

    with workspace(args, create=False) as opened:
        problems = integrity.check(opened.engine)
        if args.repair and integrity.repairs(problems):
            problems = _repair(opened.engine, problems)
    if args.json:
        out(json.dumps({"ok": not problems, "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2))
    elif problems:
        out("\n".join(p.message for p in problems))
    else:
        out("ok")
    if problems:
        return fail(f"the workspace has {len(problems)} problem{'s' if len(problems) != 1 else ''} (listed on stdout)")
    return 0


def _repair(engine: Any, problems: list[Any]) -> list[Any]:
    """Back up, repair, check again; what is still wrong."""
    import sys

    from desktop.core import backups, db, integrity
    from desktop.core.store.repair import repair

    path = db.sqlite_path(engine)
    if path is not None:
        saved = db.backup(engine, backups.new_backup_path(path))
        print(f"backed up to {saved}", file=sys.stderr)
    for done in repair(engine, integrity.repairs(problems)):
        print(done, file=sys.stderr)
    return integrity.check(engine)
