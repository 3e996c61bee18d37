"""The backups of a SQLite workspace, and restoring one into a new file.

Backups lie beside the workspace: ``NAME.before-REV.STAMP.sqlite`` (taken before
a migration) and ``NAME.backup-STAMP.sqlite`` (``crosscheck backup`` and the
window's repair). Restoring never overwrites anything: the backup is copied with
SQLite's online backup into a new file, checked, and that file is what opens.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import UserError

_PATTERN = re.compile(r"\.(?P<kind>before-[^.]+|backup)[.-](?P<stamp>\d{8}T\d{6}Z)(?:-\d+)?\.sqlite$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: dt.datetime  # UTC, from the name (the file's time if the name has none)
    reason: str  # "before upgrading to schema 0003", "backup"

    @property
    def label(self) -> str:
        return f"{self.taken:%Y-%m-%d %H:%M} UTC — {self.reason} — {self.path.name}"


def list_backups(workspace: Path) -> list[Backup]:
    """The backups of ``workspace`` in its folder, newest first."""
    found = []
    for path in workspace.parent.glob(f"{workspace.stem}.*.sqlite"):
        match = _PATTERN.search(path.name[len(workspace.stem) :])
        if match is None or not path.is_file():
            continue
        taken = dt.datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        kind = match["kind"]
        reason = f"before upgrading to schema {kind.split('-', 1)[1]}" if kind.startswith("before-") else "backup"
        found.append(Backup(path, taken, reason))
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def restore(backup: Path, target: Path) -> Path:
    """Copy ``backup`` into the new file ``target`` (online backup), check it; ``target``."""
    if target.exists():
        raise UserError(f"{target.name} already exists; restore into a new file")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as source:
            with closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)
                verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
                has_schema = copy.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                ).fetchone()
        if verdict != "ok":
            raise UserError(f"the backup {backup.name} is damaged ({verdict}); choose another")
        if has_schema is None:
            raise UserError(f"{backup.name} is not a Crosscheck workspace")
        partial.replace(target)
    except sqlite3.DatabaseError as error:
        raise UserError(f"cannot read the backup {backup.name}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return target


def new_backup_path(workspace: Path) -> Path:
    """Beside the workspace, named with the current UTC time (never an existing file)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = workspace.with_name(f"{workspace.stem}.backup-{stamp}.sqlite")
    counter = 1
    while candidate.exists():  # two backups within one second must not overwrite each other
        candidate = workspace.with_name(f"{workspace.stem}.backup-{stamp}-{counter}.sqlite")
        counter += 1
    return candidate
