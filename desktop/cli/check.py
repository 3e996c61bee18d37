"""``crosscheck check``: storage integrity, dangling references, links the store never makes, stale statuses."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.base import fail, out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    chk = commands.add_parser(
        "check",
        parents=[common],
        help="check the workspace's integrity",
        description="Storage integrity, dangling references, links a pair of claims should not have, and "
        "stored statuses that disagree with a fresh derivation. Prints ok (exit 0) or the problems (exit 1).",
    )
    chk.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core import db
    from desktop.core.store import status

    with workspace(args) as opened:
        problems = db.integrity_problems(opened.engine)
        with opened.engine.connect() as connection, connection.begin():
            problems += _reference_problems(connection)
            stale = status.stale_claims(connection)
            if stale:
                ext = {r[0]: r[1] for r in connection.exec_driver_sql("SELECT id, ext_id FROM claim")}
                problems += [f"claim {ext[c]}: stored status disagrees with a fresh derivation" for c in stale]
    if problems:
        out("\n".join(problems))
        return fail(f"the workspace has {len(problems)} problem{'s' if len(problems) != 1 else ''} (listed on stdout)")
    out("ok")
    return 0


# Rows whose reference points nowhere (PostgreSQL enforces these; SQLite only with foreign_keys=ON),
# then links the store never makes: a claim linked to itself, a pair of claims linked both ways.
_REFERENCE_CHECKS = (
    ("claim", "source", "SELECT c.ext_id FROM claim c LEFT JOIN source s ON s.id = c.source_id WHERE s.id IS NULL"),
    (
        "claim",
        "report",
        "SELECT c.ext_id FROM claim c LEFT JOIN report r ON r.id = c.report_id "
        "WHERE c.report_id IS NOT NULL AND r.id IS NULL",
    ),
    (
        "report",
        "source",
        "SELECT r.ext_id FROM report r LEFT JOIN source s ON s.id = r.source_id "
        "WHERE r.source_id IS NOT NULL AND s.id IS NULL",
    ),
    (
        "claim place",
        "claim or place",
        "SELECT cp.claim_id || '/' || cp.place_id FROM claim_place cp LEFT JOIN claim c ON c.id = cp.claim_id "
        "LEFT JOIN place p ON p.id = cp.place_id WHERE c.id IS NULL OR p.id IS NULL",
    ),
    (
        "place alias",
        "place",
        "SELECT a.alias FROM place_alias a LEFT JOIN place p ON p.id = a.place_id WHERE p.id IS NULL",
    ),
    (
        "link",
        "claim",
        "SELECT l.from_id || '->' || l.to_id FROM link l LEFT JOIN claim f ON f.id = l.from_id "
        "LEFT JOIN claim t ON t.id = l.to_id WHERE f.id IS NULL OR t.id IS NULL",
    ),
    (
        "request for comment",
        "claim",
        "SELECT o.outreach_id || '/' || o.claim_id FROM outreach_claim o LEFT JOIN outreach r "
        "ON r.id = o.outreach_id LEFT JOIN claim c ON c.id = o.claim_id WHERE r.id IS NULL OR c.id IS NULL",
    ),
)
_LINK_CHECKS = (
    ("is linked to itself", "SELECT c.ext_id FROM link l JOIN claim c ON c.id = l.from_id WHERE l.from_id = l.to_id"),
    (
        "is linked to the same claim in both directions",
        "SELECT a.ext_id || ' and ' || b.ext_id FROM link x JOIN link y ON y.from_id = x.to_id "
        "AND y.to_id = x.from_id JOIN claim a ON a.id = x.from_id JOIN claim b ON b.id = x.to_id "
        "WHERE x.from_id < x.to_id",
    ),
)


def _reference_problems(connection: Any) -> list[str]:
    problems = []
    for what, target, sql in _REFERENCE_CHECKS:
        for (name,) in connection.exec_driver_sql(sql):
            problems.append(f"{what} {name} refers to a missing {target}")
    for what, sql in _LINK_CHECKS:
        for (name,) in connection.exec_driver_sql(sql):
            problems.append(f"claim {name} {what}")
    return problems
