"""A scratch workspace holding a replayed document: what the views and exports that read a database read.

``export --as-of --format csv`` and the window's "as of" mode read the
workspace as it stood through the same code that reads the live one: the
replayed document is imported (all derived columns computed by the import)
into a fresh SQLite file in a temporary folder, which is deleted afterwards.
Interchange ids, and the order of every list, are the document's.

``replay_into_scratch`` does both steps for the window: the workspace as of T,
replayed and imported into a scratch workspace that refuses every write
(SQLite's ``query_only``), with one progress report across the two steps.

Each scratch folder is named after the process that made it. A process that
was killed cannot remove its own (a million claims make a gigabyte), so
``remove_stale`` removes those whose process is gone; the window calls it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.engine import Engine

from desktop.core import db
from desktop.core.history.moments import check_recorded
from desktop.core.history.replay import AsOf, as_of
from desktop.core.progress import Progress, no_progress

_PREFIX: Final = "crosscheck-as-of-"  # + the process id of its owner: a folder whose owner is gone is stale
_REPLAY_SHARE: Final = 0.55  # of the time to build a replayed workspace (the rest: importing it)


@contextmanager
def scratch_workspace(
    document: dict[str, Any], progress: Callable[[str, float], None] | None = None
) -> Iterator[Engine]:
    """An engine on a temporary workspace holding ``document``; removed when the block ends."""
    folder, engine = open_scratch(document, progress)
    try:
        yield engine
    finally:
        close_scratch(folder, engine)


def open_scratch(document: dict[str, Any], progress: Callable[[str, float], None] | None = None) -> tuple[Path, Engine]:
    """Like ``scratch_workspace`` for a caller that keeps it open (the window): close with ``close_scratch``."""
    from desktop.core.interchange import import_json

    folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
    engine = db.make_engine(db.resolve_location(str(folder / "as-of.sqlite")))
    try:
        db.upgrade(engine)
        import_json(engine, document, analyst="as-of", progress=progress)
    except BaseException:
        close_scratch(folder, engine)
        raise
    return folder, engine


def close_scratch(folder: Path, engine: Engine) -> None:
    engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Replayed:
    """A read-only scratch workspace holding the workspace as of ``as_of.when``; ``close`` removes it."""

    folder: Path
    engine: Engine
    as_of: AsOf

    def close(self) -> None:
        close_scratch(self.folder, self.engine)


def replay_into_scratch(engine: Engine, when: dt.datetime, progress: Progress | None = None) -> Replayed:
    """The workspace of ``engine`` as of ``when``, in a read-only scratch workspace.

    ``BadMoment`` when nothing was recorded by then; ``progress`` hears of both steps (replay, then the
    import of its document) as one share of the whole; if it raises (``Cancelled``) nothing is left behind.
    """
    report = progress or no_progress
    with engine.connect() as connection:
        check_recorded(connection, when)
    replayed = as_of(engine, when, lambda step, share: report(step, share * _REPLAY_SHARE))
    folder, scratch = open_scratch(
        replayed.document, lambda step, share: report(step, _REPLAY_SHARE + share * (1 - _REPLAY_SHARE))
    )
    scratch.dispose()  # the import's connections could write; every later one cannot
    event.listen(scratch, "connect", _query_only)
    return Replayed(folder, scratch, replayed)


def _query_only(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def remove_stale(folder: Path | None = None) -> int:
    """Remove scratch workspaces left by processes that no longer run; how many were removed."""
    removed = 0
    parent = folder or Path(tempfile.gettempdir())
    for found in parent.glob(f"{_PREFIX}*"):
        owner = re.match(rf"{_PREFIX}(\d+)-", found.name)
        if owner is None or not found.is_dir() or _running(int(owner.group(1))):
            continue  # an older name without an owner is left alone: it may be in use
        shutil.rmtree(found, ignore_errors=True)
        removed += 1
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
