"""A copy of a live SQLite workspace file holding one snapshot: the one a read transaction sees.

The as-of patch (``scratch.patched_copy``) copies the workspace, then undoes
the changes after T in the copy. The copy must hold exactly the snapshot the
patch's own reads see, while the window (or another process) may keep writing.

SQLite's online backup API gives that, at the cost of copying the file a page
at a time through the pager (2.4 s of CPU for 1.3 GB). A plain file copy
(``copy_file_range``/``sendfile`` in the kernel) costs a fifth of it and runs
in a thread while the patch reads the same snapshot through the caller's
connection — but it is only safe when the database file itself IS that
snapshot and nothing can write into it before the copy ends:

- A rollback-journal database (not WAL): the caller's read transaction holds a
  SHARED lock, and a writer needs an EXCLUSIVE one to change the file.
- A WAL database whose ``-wal`` file is empty (size 0) once the caller's read
  transaction has begun. A WAL is only truncated (a ``TRUNCATE`` checkpoint,
  or ``journal_size_limit`` after a restart) when no reader is using its
  frames: a reader whose snapshot needs frames holds one of the read locks
  1..N, which keeps the WAL from being restarted or truncated. An empty WAL
  while our read transaction stands therefore means that our snapshot needs no
  frame: the reader took read lock 0 (``walTryBeginRead``: the WAL held no
  frame not yet copied into the database, ``mxFrame == nBackfill``), and a
  checkpoint needs that lock exclusively before it copies any frame into the
  database file (``walCheckpoint``). Writers may append to the WAL meanwhile,
  but the database file stays as our snapshot saw it until we end the read.

So before the read transaction begins, a ``TRUNCATE`` checkpoint is tried,
without waiting (busy timeout 0: the window's own work is never held up); it
empties the WAL when no other reader or writer is using it — the usual case.
Otherwise, if the WAL still holds frames, the backup API copies the snapshot
through the same read transaction (the backup uses the source connection's
open transaction), and nothing runs beside it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Final

_COPY_MMAP_BYTES: Final = 0x7FFF0000  # SQLite's largest memory map by default (the rest of a bigger file: read)


def empty_wal(source: sqlite3.Connection) -> None:
    """Try to empty the WAL of ``source`` (outside any transaction) without waiting for anyone: a checkpoint
    that copies its frames into the database and truncates it when no other connection is using it."""
    if _journal_mode(source) != "wal":
        return
    wal = _wal_path(source)
    if wal is None or not wal.exists() or wal.stat().st_size == 0:
        return
    (waited,) = source.execute("PRAGMA busy_timeout").fetchone()
    source.execute("PRAGMA busy_timeout=0")
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # busy: frames stay, the backup copies
    except sqlite3.OperationalError:
        pass  # a workspace that cannot be written here (read-only file or folder): the backup copies it
    finally:
        source.execute(f"PRAGMA busy_timeout={int(waited)}")


@contextmanager
def snapshot_copy(source: sqlite3.Connection, path: Path, complete: Callable[[], None] | None = None) -> Iterator[bool]:
    """Copy the snapshot of ``source``'s open read transaction to a new file at ``path``; the copy is complete
    when the block ends. Yields True when a file copy runs in a thread meanwhile (the caller may read through
    ``source``, which sees the same snapshot), False when the backup API has already copied it.
    ``complete`` is called as soon as the copy is complete (in the copy's thread, or before the block), not
    when it failed.

    ``source`` must be inside a transaction that has read the database, and stay in it until the block ends.
    """
    if not source.in_transaction:
        raise ValueError("the snapshot copy needs the source inside a read transaction")
    database = _database_path(source)
    if database is None or not _file_is_the_snapshot(source):
        backup(source, path)
        if complete is not None:
            complete()
        yield False
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosscheck-copy") as pool:
        copied = pool.submit(shutil.copyfile, database, path)
        if complete is not None:
            copied.add_done_callback(lambda done: None if done.exception() else complete())
        try:
            yield True
        finally:
            copied.result()  # waits for the copy (even when the caller failed: its folder is then removed)


def _file_is_the_snapshot(source: sqlite3.Connection) -> bool:
    """Whether the database file holds the open read transaction's snapshot, and will until it ends (module
    docstring)."""
    if _journal_mode(source) != "wal":
        return True
    wal = _wal_path(source)
    try:
        return wal is not None and wal.stat().st_size == 0
    except FileNotFoundError:  # the read transaction opened it: only something outside SQLite removes it
        return False


def backup(source: sqlite3.Connection, path: Path) -> None:
    """SQLite's online backup of ``source`` (one consistent snapshot) into a new file at ``path``.

    The new file keeps no journal and is not synced to disk (a failed copy is thrown away): the backup then
    costs the pages' copy, not the wait for a gigabyte to reach the disk. The source's pages are read
    through a memory map for the copy (a fifth less CPU than a read call per page), then the connection
    is set back as it was: a workspace is never vacuumed, so its file never shrinks under the map.
    """
    (was,) = source.execute("PRAGMA mmap_size").fetchone()
    source.execute(f"PRAGMA mmap_size={_COPY_MMAP_BYTES}")
    target = sqlite3.connect(path)
    try:
        target.execute("PRAGMA journal_mode=OFF")
        target.execute("PRAGMA synchronous=OFF")
        source.backup(target)
    finally:
        target.close()
        source.execute(f"PRAGMA mmap_size={int(was)}")


def _journal_mode(source: sqlite3.Connection) -> str:
    (mode,) = source.execute("PRAGMA journal_mode").fetchone()
    return str(mode).lower()


def _database_path(source: sqlite3.Connection) -> Path | None:
    for _seq, name, file in source.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None  # "": an in-memory or temporary database
    return None


def _wal_path(source: sqlite3.Connection) -> Path | None:
    database = _database_path(source)
    return None if database is None else database.with_name(database.name + "-wal")


__all__ = ["backup", "empty_wal", "snapshot_copy"]
