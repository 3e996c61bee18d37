"""``crosscheck find FILTER [--json] [--limit N]``: the claims the window's filter finds, in the table's order."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop.cli.base import out, workspace


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_json_and_limit(parser: argparse.ArgumentParser, *, json_help: str, default_limit: int) -> None:
    """The two options every command that lists claims takes: ``--json`` and ``--limit N``."""
    parser.add_argument("--json", action="store_true", help=json_help)
    parser.add_argument("--limit", type=positive, default=default_limit, metavar="N", help=f"default: {default_limit}")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    find = commands.add_parser(
        "find",
        parents=[common],
        help="the claims a filter finds (the window's filter language)",
        description="Print the claims the window's filter finds, in the table's order (newest first): "
        'free words in any script, "phrases", -word, and fields such as status:, source:, place:, report:.',
    )
    find.add_argument("filter", metavar="FILTER", help='e.g. "bakhmut status:contested"')
    add_json_and_limit(find, json_help="a JSON array of objects (id, text, source, status, …)", default_limit=50)
    find.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.errors import UserError
    from desktop.core.read.paging import View, fetch_after
    from desktop.core.search import compile_filter

    with workspace(args, create=False) as opened, opened.engine.connect() as connection:
        result = compile_filter(args.filter, connection.dialect.name, connection=connection)
        if result.message and result.where is None:
            raise UserError(f"the filter cannot be used: {result.message}")
        if result.message:
            print(f"note: {result.message}", file=sys.stderr)
        rows = fetch_after(connection, View(where=result.where, count_where=result.count_where), None, args.limit)
        reports = _report_ids(connection, [row.id for row in rows])
    if args.json:
        out(json.dumps([_found(row, reports.get(row.id)) for row in rows], ensure_ascii=False, indent=2))
    else:
        out("\n".join(f"{row.ext_id}\t{row.status}\t{row.source_name}\t{line(row.text)}" for row in rows))
    return 0


def _found(row: Any, report: str | None) -> dict[str, Any]:
    return {
        "id": row.ext_id,
        "text": row.text,
        "source": row.source_name,
        "status": row.status,
        "verdict": row.verdict,
        "credibility": row.credibility,
        "claimed": None if row.claimed is None else row.claimed.isoformat(),
        "report": report,
    }


def _report_ids(connection: Any, claims: list[int]) -> dict[int, str]:
    if not claims:
        return {}
    from sqlalchemy import bindparam, text

    query = text(
        "SELECT c.id, r.ext_id FROM claim AS c JOIN report AS r ON r.id = c.report_id WHERE c.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    return {ident: ext for ident, ext in connection.execute(query, {"ids": claims})}


def line(value: str, limit: int = 100) -> str:
    from desktop.core.text import one_line

    return one_line(value, limit)
