"""``crosscheck status``: every claim's derived status, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop.cli.as_of import AS_OF_HELP, moment, patched_as_of, replay_as_of
from desktop.cli.base import out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    st = commands.add_parser(
        "status",
        parents=[common],
        help="every claim's derived status",
        description="For every claim: id, status, verdict, suggested credibility, supporters, contradictors, "
        "neutral claims, echoes and disagreements (the other claims of pairs on which analysts' judgements "
        "disagree) — interchange ids, sorted. Each pair's effective link is its latest judgement (a tie goes "
        "to the analyst name sorting last). With --as-of, derived over the workspace as it stood then.",
    )
    st.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    st.add_argument("--as-of", metavar="T", help=AS_OF_HELP)
    st.add_argument(
        "--analyst", metavar="A", help="derive over analyst A's judgements alone (the statuses as A sees them)"
    )
    st.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.interchange.status_report import claim_statuses, judging_analysts, status_table

    when = moment(args.as_of)
    with workspace(args, create=False) as opened:
        if when is None:
            rows = claim_statuses(opened.engine, analyst=args.analyst)
        else:
            rows = _as_of(opened.engine, when, args.analyst)
        if args.analyst is not None and args.analyst not in (known := judging_analysts(opened.engine)):
            # Not an error (an analyst with no judgements sees every claim unverified), but likely a typo.
            listed = ", ".join(known) or "none yet"
            print(
                f"crosscheck: note: analyst {args.analyst!r} has no judgements here (analysts: {listed})",
                file=sys.stderr,
            )
    out(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else status_table(rows))
    return 0


def _as_of(engine: Any, when: Any, analyst: str | None) -> list[dict[str, Any]]:
    """The rows as of ``when``: over the patched copy (SQLite), else over the replayed document.

    The two agree row for row (the property tests in tests/core/test_history_replay.py hold both to a
    full derivation of the export taken at that moment).
    """
    from desktop.core.interchange.status_report import claim_statuses

    patched = patched_as_of(engine, when)
    if patched is None:
        from desktop.core.history import document_statuses

        return document_statuses(replay_as_of(engine, when).document, analyst)
    try:
        return claim_statuses(patched.engine, analyst=analyst)
    finally:
        patched.close()
