"""``crosscheck status``: every claim's derived status, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.cli.as_of import AS_OF_HELP, moment, replay_as_of
from desktop.cli.base import out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    st = commands.add_parser(
        "status",
        parents=[common],
        help="every claim's derived status",
        description="For every claim: id, status, verdict, suggested credibility, supporters, contradictors, "
        "neutral claims and echoes (interchange ids, sorted). With --as-of, derived over the workspace as it "
        "stood then.",
    )
    st.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    st.add_argument("--as-of", metavar="T", help=AS_OF_HELP)
    st.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.interchange.status_report import claim_statuses, status_table

    when = moment(args.as_of)
    with workspace(args, create=False) as opened:
        if when is None:
            rows = claim_statuses(opened.engine)
        else:
            replayed = replay_as_of(opened.engine, when)
            from desktop.core.history import document_statuses

            rows = document_statuses(replayed.document)
    out(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else status_table(rows))
    return 0
