"""``crosscheck check``: the workspace's soundness (``desktop.core.integrity``), as lines or JSON."""

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
    chk.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core import integrity

    with workspace(args, create=False) as opened:
        problems = integrity.check(opened.engine)
    if args.json:
        out(json.dumps({"ok": not problems, "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2))
    elif problems:
        out("\n".join(p.message for p in problems))
    else:
        out("ok")
    if problems:
        return fail(f"the workspace has {len(problems)} problem{'s' if len(problems) != 1 else ''} (listed on stdout)")
    return 0
