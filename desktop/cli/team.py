"""``crosscheck team``: roles on a PostgreSQL workspace (DESIGN §7).

``init`` creates the roles analyst, reviewer and admin and grants them; ``add NAME
--role R`` creates a login in a role (its password read from standard input when
one is piped in, else asked for on a terminal; none when stdin is empty);
``role NAME R`` moves a login to another role; ``list [--json]`` shows the team.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from desktop.cli.base import out, workspace

_ROLES = ("analyst", "reviewer", "admin")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    team = commands.add_parser(
        "team",
        parents=[common],
        help="manage the analysts of a PostgreSQL workspace (init, add, role, list)",
        description="Roles on a PostgreSQL workspace: analyst (reads and writes), reviewer (reads, and "
        "records requests for comment), admin (an analyst who manages the team). The database records "
        "each login as the analyst of its changes; the audit trail is append-only for everyone.",
    )
    actions = team.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("init", parents=[common], help="create the roles and grant them (safe to run again)")
    add = actions.add_parser("add", parents=[common], help="create a login in a role (password from stdin when piped)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=_ROLES, required=True)
    role = actions.add_parser("role", parents=[common], help="move a login to another role")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", metavar="ROLE", choices=_ROLES)
    listing = actions.add_parser("list", parents=[common], help="the logins of the team and their roles")
    listing.add_argument("--json", action="store_true", help="a JSON array of {name, role}")
    team.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core import team

    with workspace(args, create=False) as opened:
        engine = opened.engine
        if args.action == "init":
            for line in team.init(engine) or ["the roles were already there; grants renewed"]:
                out(line)
        elif args.action == "add":
            team.add(engine, args.name, args.role, _password(args.name))
            out(f"added {args.name} as {args.role}")
        elif args.action == "role":
            team.set_role(engine, args.name, args.role)
            out(f"{args.name} is now {args.role}")
        else:
            members = team.members(engine)
            if args.json:
                out(json.dumps([m.as_dict() for m in members], ensure_ascii=False, indent=2))
            else:
                out(
                    "\n".join(f"{m.name}\t{m.role}" for m in members)
                    or "no analysts yet (team add NAME --role analyst)"
                )
    return 0


def _password(name: str) -> str | None:
    """The first line piped in, or asked for on a terminal; None (no password) when stdin is empty."""
    if sys.stdin is None:
        return None
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n") or None
    return getpass.getpass(f"password for {name} (empty: none): ") or None
