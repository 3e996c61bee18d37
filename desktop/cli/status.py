"""``crosscheck status``: every claim's derived status, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.cli.base import AS_OF_HELP, out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    st = commands.add_parser(
        "status",
        parents=[common],
        help="every claim's derived status",
        description="For every claim: id, status, verdict, suggested credibility, supporters, contradictors, "
        "neutral claims and echoes (interchange ids, sorted).",
    )
    st.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    st.add_argument("--as-of", metavar="T", help=AS_OF_HELP)
    st.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.interchange.status_report import claim_statuses, parse_as_of, status_table

    as_of = parse_as_of(args.as_of) if args.as_of is not None else None
    with workspace(args, create=False) as opened:
        rows = claim_statuses(opened.engine, as_of)
    out(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else status_table(rows))
    return 0
