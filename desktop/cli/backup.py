"""``crosscheck backup [FILE]``: an online backup of a SQLite workspace."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.base import out, workspace


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    bak = commands.add_parser(
        "backup",
        parents=[common],
        help="online backup of a SQLite workspace",
        description="Copy the workspace with SQLite's online backup (safe while the window is open) and "
        "print the backup's path.",
    )
    bak.add_argument(
        "file", metavar="FILE", nargs="?", help="default: next to the workspace, named with the current UTC time"
    )
    bak.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core import db

    with workspace(args, create=False) as opened:
        target = Path(args.file) if args.file else default_backup_path(db.sqlite_path(opened.engine))
        out(str(db.backup(opened.engine, target)))
    return 0


def default_backup_path(workspace: Path | None) -> Path:
    from desktop.core.backups import new_backup_path
    from desktop.core.errors import UserError

    if workspace is None:
        raise UserError("backup works on SQLite workspaces; back up a PostgreSQL workspace with pg_dump")
    return new_backup_path(workspace)
