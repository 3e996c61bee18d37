"""``crosscheck similar CLAIM [--json] [--limit N]``: the suggestions the window shows for a claim."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.cli.base import out, workspace
from desktop.cli.finding import add_json_and_limit, line


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    similar = commands.add_parser(
        "similar",
        parents=[common],
        help="the claims most likely about the same thing as a claim",
        description="Print the claims most likely to be about the same thing as CLAIM (an interchange id), "
        "best first, each with its score and why: shared words across scripts and spellings, places, dates. "
        "Claims already linked to it and dismissed suggestions are left out.",
    )
    similar.add_argument("claim", metavar="CLAIM", help="the claim's id, e.g. c-breach")
    add_json_and_limit(similar, json_help="a JSON array of objects (id, score, why, …)", default_limit=8)
    similar.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import text

    from desktop.core.errors import NotFound
    from desktop.core.search.similar import similar_to

    with workspace(args, create=False) as opened, opened.engine.connect() as connection:
        row = connection.execute(text("SELECT id FROM claim WHERE ext_id = :e"), {"e": args.claim}).first()
        if row is None:
            raise NotFound(f"no claim has the id {args.claim!r}")
        found = similar_to(connection, row[0], limit=args.limit)
    if args.json:
        objects = [
            {"id": s.ext_id, "score": s.score, "why": list(s.why), "text": s.text, "source": s.source} for s in found
        ]
        out(json.dumps(objects, ensure_ascii=False, indent=2))
    else:
        out("\n".join(f"{s.score:.3f}\t{s.ext_id}\t{line(s.text)}\t({'; '.join(s.why)})" for s in found))
    return 0
