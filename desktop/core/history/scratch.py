"""A scratch workspace holding the workspace as of a moment: what the views and exports that read a database read.

The window's "as of" mode and ``export --as-of --format csv`` (and of a
filtered selection) read the workspace as it stood through the same code that
reads the live one, from a read-only scratch workspace in a temporary folder,
deleted afterwards. ``status --as-of`` and ``export --as-of`` as JSON read the
patched copy too, on SQLite (``patched_copy``), when the changes since are few
(``cli.as_of``: past about one audit row per twenty claims the document is
cheaper for a command that reads every claim anyway); otherwise, and where
there is no copy (PostgreSQL, a trail cut short), they need no database: they
derive over, or write, the replayed document, without importing it.

``replay_into_scratch`` builds it. On SQLite it copies the workspace file
(``snapshot_copy``: a file copy in a thread while the patch reads the same
snapshot, or SQLite's online backup API) and patches the copy back to the
moment (``history.patch``): its cost follows the changes since, not the
workspace. For a large workspace with many changes, a second process reads
the graph from the copy and derives the statuses the changes reach
(``history.derive_process``) while this one reads the trail and writes.
On PostgreSQL (no file to copy), or when a trail cut short by an older version
keeps the copy from being patched exactly, the workspace is replayed as a
document (``history.replay``) and imported into a fresh SQLite file
(``open_scratch``, which ``export --as-of`` of a filtered selection also uses);
the import computes every derived column. Either way the scratch workspace
refuses every write (SQLite's ``query_only``) and one progress report spans
the steps.

Each scratch folder is named after the process that made it. A process that
was killed cannot remove its own (a million claims make a gigabyte), so
``remove_stale`` removes those whose process is gone; the window calls it.
"""

from __future__ import annotations

import datetime as dt
import logging
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

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from desktop.core import db
from desktop.core.gc_pause import collector_paused
from desktop.core.history.derive_process import DeriveFailed, DeriveProcess, worth_a_process
from desktop.core.history.moments import check_recorded
from desktop.core.history.patch import NotPatchable, Undone, read_undone, write_undone
from desktop.core.history.patch_derive import Prior, reads_whole_graph
from desktop.core.history.replay import Replay, as_of
from desktop.core.history.snapshot_copy import empty_wal, snapshot_copy
from desktop.core.progress import Progress, no_progress
from desktop.core.schema import WORKSPACE_TABLES
from desktop.core.store.loaded_graph import LoadedGraph

_log = logging.getLogger(__name__)
_PREFIX: Final = "crosscheck-as-of-"  # + the process id of its owner: a folder whose owner is gone is stale
_REPLAY_SHARE: Final = 0.55  # of the time to build a replayed workspace (the rest: importing it)
_COPY_SHARE: Final = 0.05  # of the time to build a patched copy (the rest: patching it, the copy alongside)
#: SQLite's page cache for the patch (its default is 2 MiB): at a million claims the rows written back sit on
#: ~100k pages; with 64 MiB, 66k status updates in id order took 1.28 s, with 512 MiB 1.03 s
_PATCH_CACHE_KIB: Final = 262144


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
    as_of: Replay

    def close(self) -> None:
        close_scratch(self.folder, self.engine)


def replay_into_scratch(engine: Engine, when: dt.datetime, progress: Progress | None = None) -> Replayed:
    """The workspace of ``engine`` as of ``when``, in a read-only scratch workspace.

    On SQLite: a copy of the workspace with the changes after ``when`` undone in place
    (``history.patch``); on PostgreSQL, or when the copy cannot be patched exactly: the replayed document
    imported into a new workspace. ``BadMoment`` when nothing was recorded by then; ``progress`` hears of
    every step as one share of the whole; if it raises (``Cancelled``) nothing is left behind.
    """
    report = progress or no_progress
    patched = patched_copy(engine, when, report)
    if patched is not None:
        return patched
    replayed = as_of(engine, when, lambda step, share: report(step, share * _REPLAY_SHARE))
    folder, scratch = open_scratch(
        replayed.document, lambda step, share: report(step, _REPLAY_SHARE + share * (1 - _REPLAY_SHARE))
    )
    scratch.dispose()  # the import's connections could write; every later one cannot
    event.listen(scratch, "connect", _query_only)
    return Replayed(folder, scratch, replayed)


def patched_copy(engine: Engine, when: dt.datetime, progress: Progress | None = None) -> Replayed | None:
    """On SQLite, a copy of the workspace patched back to ``when`` (``history.patch``), read-only.

    None on PostgreSQL, or when a trail cut short keeps the copy from being patched exactly: the caller
    replays the workspace as a document (``history.as_of``), which also says what it could not undo.
    ``BadMoment`` when nothing was recorded by then.

    One read transaction on the workspace spans the copy (``snapshot_copy``: a file copy in a thread when
    the file is the snapshot, else SQLite's backup) and every read the patch makes before it writes
    (``patch.read_undone``: the trail, the rows it names, the graph), so both see the same snapshot and,
    with the file copy, run side by side; the writes then go to the copy alone.
    """
    report = progress or no_progress
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            check_recorded(connection, when)
        return None
    folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
    path = folder / "as-of.sqlite"
    copy: Engine | None = None
    undone: Undone | None = None
    try:
        report("copying the workspace", 0.0)
        # One pause for the whole patch, until what it holds (the graph, the records) is freed: a collection
        # in between would walk millions of live objects (~0.8 s at 1M claims), for no cycle among them.
        with collector_paused():
            undone = _copy_and_read(engine, when, path, report)
            if undone is None:
                shutil.rmtree(folder, ignore_errors=True)
                return None
            copy = db.make_engine(db.resolve_location(str(path)))
            try:
                event.listen(copy, "connect", _patching)  # after the engine's own set-up
                with db.write_connection(copy) as connection:
                    replay = write_undone(connection, undone, lambda step, share: report(step, _share(share)))
                _back_to_wal(copy)
                event.remove(copy, "connect", _patching)
            except (NotPatchable, IntegrityError, DeriveFailed) as error:
                if isinstance(error, DeriveFailed):
                    _log.warning("the as-of copy is replayed as a document: %s", error)
                close_scratch(folder, copy)
                return None
            finally:
                _end_process(undone)
            undone = None  # freed inside the pause: its records and, in-process, the graph
    except BaseException:
        if undone is not None:
            _end_process(undone)
        if copy is not None:
            copy.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    copy.dispose()  # the patch's connections could write; every later one cannot
    event.listen(copy, "connect", _query_only)
    return Replayed(folder, copy, replay)


def _copy_and_read(engine: Engine, when: dt.datetime, path: Path, report: Progress) -> Undone | None:
    """The copy at ``path`` and the patch's reads, in one read transaction (``patched_copy``); None when the
    trail was cut short.

    With a derivation process (``derive_process``), the process reads the graph from the copy once it is
    complete, while the trail and the rows it names are read here.
    """
    with engine.connect() as source:
        driver = source.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        empty_wal(driver)  # outside the read transaction, which begins with the check
        check_recorded(source, when)
        process = _derivation_process(source, when)
        try:
            complete = None if process is None else (lambda: process.read_graph(path))
            with snapshot_copy(driver, path, complete):
                undone = read_undone(source, when, lambda step, share: report(step, _share(share)), process)
                report("finishing the copy of the workspace", _share(0.38))
            if process is not None:
                try:  # the copy is opened for writing next: the process must have closed it
                    process.wait_for_graph(lambda: report("finishing the copy of the workspace", _share(0.38)))
                except DeriveFailed as error:  # read here instead, from the same snapshot
                    _log.warning("the as-of graph is read in this process: %s", error)
                    process.close()
                    undone.prior = Prior(LoadedGraph(source), set())
            return undone
        except NotPatchable:
            if process is not None:
                process.close()
            return None
        except BaseException:
            if process is not None:
                process.close()
            raise


def _derivation_process(source: Connection, when: dt.datetime) -> DeriveProcess | None:
    """A derivation process when the patch will read the graph whole and the workspace is large enough for a
    process to pay (the audit rows after ``when`` bound the changes to undo from above)."""
    claims = int(source.exec_driver_sql("SELECT count(*) FROM claim").scalar_one())
    if not worth_a_process(claims):
        return None
    audit = WORKSPACE_TABLES["audit"]
    rows = int(source.execute(sa.select(sa.func.count()).select_from(audit).where(audit.c.at > when)).scalar_one())
    return DeriveProcess.start() if reads_whole_graph(claims, rows) else None


def _end_process(undone: Undone) -> None:
    if undone.prior.process is not None:
        undone.prior.process.close()


def _share(share: float) -> float:
    """A step of the patch as a share of the whole (the copy's own step is short: it runs beside the reads)."""
    return _COPY_SHARE + share * (1 - _COPY_SHARE)


def _patching(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    """The patch's connection: foreign keys off (the patch does their work), and neither a journal nor a
    sync to disk — the copy is thrown away if anything fails, and undoing a hundred thousand changes
    touches a few hundred megabytes of pages that a WAL would write twice (once more at the checkpoint).
    No sync first: leaving WAL mode checkpoints, and with a sync that waited for the whole new copy to
    reach the disk (~0.5 s for 1.3 GB)."""
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    dbapi_connection.execute("PRAGMA synchronous=OFF")
    dbapi_connection.execute("PRAGMA journal_mode=OFF")
    dbapi_connection.execute(f"PRAGMA cache_size=-{_PATCH_CACHE_KIB}")


def _back_to_wal(copy: Engine) -> None:
    """The patched copy in WAL mode again, as every later connection asks (``db.make_engine``), while the
    patch's connection syncs nothing: the first reader would otherwise make the switch with a sync that
    waits for the whole new file to reach the disk (0.66 s at 1M claims)."""
    with copy.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None, "an open connection has its DBAPI connection"
        driver.execute("PRAGMA journal_mode=WAL")


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
