"""The default workspace's first start: built aside, then moved into place whole.

The first start creates the default workspace and fills it with the sample
(the reference report's claims) and the shipped gazetteer. That takes a
migration and an import — two transactions — so it is done in a hidden file
beside the final one, which appears under its real name only once it is
complete (a hard link, which also refuses to replace a workspace another start
finished meanwhile). An interrupted first start (a crash, a kill, a full disk)
therefore leaves no half-made workspace behind, and the next start seeds again;
its leftover is removed then.

A default workspace from an older Crosscheck that an interrupted start left
migrated but empty (no audit row: nothing was ever written to it) is seeded in
place by ``seed_if_never_used``: the import is itself one transaction.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from desktop.core import db
from desktop.core.gazetteer import same_place, shipped_places
from desktop.resources import resource

_SEEDING = ".seeding-"
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def seed_document() -> dict[str, Any]:
    """The sample workspace plus the gazetteer's places that the sample does not already hold."""
    document: dict[str, Any] = json.loads(resource("sample-workspace.json").read_bytes())
    gazetteer = shipped_places()
    held = list(document["places"])
    document["places"] = held + [p for p in gazetteer if not any(same_place(p, h) for h in held)]
    return document


def seed(engine: Engine) -> None:
    from desktop.core.interchange import import_json

    import_json(engine, seed_document(), analyst="sample")


def create_seeded(path: Path) -> None:
    """Create the seeded workspace at ``path`` (which must not exist yet), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    partial = path.with_name(f".{path.name}{_SEEDING}{os.getpid()}")
    _remove(partial)
    try:
        engine = db.make_engine(db.resolve_location(str(partial)))
        try:
            db.upgrade(engine)
            seed(engine)
            with engine.connect() as connection:  # everything into the main file: the WAL stays behind
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        try:
            os.link(partial, path)
        except FileExistsError:
            pass  # another start finished first; its workspace is as good as ours
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(partial, path)
    finally:
        _remove(partial)


def seed_if_never_used(engine: Engine) -> bool:
    """Seed a workspace nothing was ever written to (no audit row); True if it was seeded."""
    with engine.connect() as connection:
        if connection.execute(text("SELECT 1 FROM audit LIMIT 1")).first() is not None:
            return False
        if connection.execute(text("SELECT 1 FROM claim LIMIT 1")).first() is not None:
            return False
    seed(engine)
    return True


def remove_leftovers(path: Path) -> None:
    """Remove what interrupted first starts left beside ``path`` (their process is gone)."""
    for leftover in path.parent.glob(f".{path.name}{_SEEDING}*"):
        pid_text = leftover.name.rsplit(_SEEDING, 1)[1].split("-", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and _alive(int(pid_text)):
            continue  # another first start is still building it
        with contextlib.suppress(OSError):
            leftover.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours, or a platform where signal 0 means something else
        return True
    return True


def _remove(partial: Path) -> None:
    for suffix in _SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            partial.with_name(partial.name + suffix).unlink()
