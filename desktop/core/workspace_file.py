"""Before a SQLite file is opened as a workspace: is it one, and is it whole?

Opening a file with SQLite is not harmless: the connection switches it to WAL
(rewriting its header), and the migrations would add Crosscheck's tables to
whatever database it is. So a file is looked at first, read-only, and refused
untouched unless it is a Crosscheck workspace or holds nothing at all:

- a folder, a file we may not read, or one we may not write → a one-line error;
- a file that is not SQLite (text, JSON, PNG, random bytes) → refused, saying
  what it looks like (a JSON document: "use crosscheck import");
- a SQLite database of another program (tables, but not Crosscheck's) →
  refused, naming its tables; it is never "upgraded" into a workspace;
- damage SQLite can see at once: a zeroed or cut header, a file shorter than
  its header says (truncated), a schema it cannot read → ``DamagedWorkspace``,
  which the window answers by offering a backup.

**An empty file (0 bytes) is a new, empty workspace**, and so is a SQLite
database with no tables: neither holds anything that could be lost, and an empty
file is how ``mktemp``, ``touch`` or a "new file" dialog reserve a name. A
command that only reads still refuses it ("no workspace yet"), as it refuses a
missing path.

Damage deep inside a large file (a late page overwritten) is not visible here
without reading the whole file; ``quick_check`` does that, and the window runs
it in the background once the workspace is open (``crosscheck check`` too).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from desktop.core.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER = 100
# Every Crosscheck schema has its Alembic revision from the first migration on (created in the same
# transaction as its tables), so a database without one is another program's, even with a table named
# claim (migrating it failed half-way as "damaged"). One with an unknown revision is refused by
# ``db.upgrade`` as newer than this program, still untouched: a later schema may rename any table.
_REVISION_TABLE = "alembic_version"


class NotAWorkspace(UserError):
    """The file is something else (another program's database, a document, a folder); left untouched."""


class DamagedWorkspace(UserError):
    """The file is (or was) a SQLite database that SQLite cannot read whole."""


class FileState(Enum):
    MISSING = "missing"
    EMPTY = "empty"  # 0 bytes, or a SQLite database without tables: becomes a new workspace
    WORKSPACE = "workspace"


def vet(path: Path) -> FileState:
    """What is at ``path``, refusing (see the module docstring) anything that must not be opened."""
    if path.is_dir():
        raise NotAWorkspace(f"{path} is a folder, not a workspace file")
    if not path.exists():
        return FileState.MISSING
    try:
        with path.open("rb") as file:
            header = file.read(_HEADER)
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    if size == 0:
        _require_writable(path)
        return FileState.EMPTY
    if not header.startswith(SQLITE_MAGIC):
        if header.strip(b"\x00") == b"" or header[:16].count(0) == 16:
            raise DamagedWorkspace(f"{path} is damaged: its first bytes are zeros, where a workspace's header is")
        raise NotAWorkspace(f"{path} is not a Crosscheck workspace: {_looks_like(header)}; it was left untouched")
    _check_header(path, header, size)
    tables = _tables(path)
    _require_writable(path)
    if not tables:
        return FileState.EMPTY
    if _REVISION_TABLE not in tables:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise NotAWorkspace(
            f"{path} is a SQLite database of another program (tables: {shown}), not a Crosscheck workspace; "
            "it was left untouched"
        )
    return FileState.WORKSPACE


def _looks_like(header: bytes) -> str:
    if header.startswith(b"\x89PNG"):
        return "it is a PNG image"
    if header.startswith(b"%PDF"):
        return "it is a PDF document"
    if header.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive"
    try:
        text = header.decode("utf-8").lstrip("\ufeff \t\r\n")
    except UnicodeDecodeError:
        return "it is not a SQLite database"
    if text.startswith(("{", "[")):
        return "it looks like a JSON document (to bring one in, use `crosscheck import FILE`)"
    return "it is a text file, not a SQLite database"


def _check_header(path: Path, header: bytes, size: int) -> None:
    if len(header) < _HEADER:
        raise DamagedWorkspace(f"{path} is damaged: it ends inside its own header ({size} bytes)")
    raw_page = int.from_bytes(header[16:18], "big")
    page_size = 65536 if raw_page == 1 else raw_page
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedWorkspace(f"{path} is damaged: its header names an impossible page size ({raw_page})")
    pages = int.from_bytes(header[28:32], "big")
    size_is_valid = header[24:28] == header[92:96]  # SQLite's own rule for trusting the size field
    wal = path.with_name(path.name + "-wal")
    # With frames in the WAL a checkpoint may be extending the file right now; SQLite itself judges then.
    settled = not wal.exists() or wal.stat().st_size == 0
    if size_is_valid and settled and pages * page_size > size:
        raise DamagedWorkspace(
            f"{path} is damaged: it is cut short ({size:,} bytes of the {pages * page_size:,} its header records)"
        )


def _tables(path: Path) -> set[str]:
    """The database's tables, read through a read-only connection (which changes nothing)."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise UserError(f"cannot open {path}: {exc}") from None
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DamagedWorkspace(f"{path} is damaged: SQLite cannot read its list of tables ({exc})") from None
    finally:
        connection.close()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def _require_writable(path: Path) -> None:
    # SQLite writes the workspace and creates its -wal and -shm files beside it.
    if not os.access(path, os.W_OK):
        raise UserError(f"{path} is read-only; Crosscheck needs to write to its workspace (copy it, or allow writing)")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise UserError(
            f"the folder {path.parent} is read-only; Crosscheck writes a journal beside the workspace "
            "(move the workspace to a folder you can write to)"
        )


def quick_check(path: Path, on_connect: Callable[[sqlite3.Connection], None] | None = None) -> list[str]:
    """SQLite's ``quick_check`` of the whole file, read-only: the problems found (empty = sound).

    It reads every page, so it is linear in the file's size (about 0.8 s for a
    100k-claim workspace of 106 MB here, so several seconds at 1M claims): the
    window runs it in the background after opening. ``on_connect`` receives the
    connection, so a caller can ``interrupt()`` it (the window closing).
    """
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        if on_connect is not None:
            on_connect(connection)
        rows = connection.execute(f"PRAGMA quick_check({_PROBLEMS_SHOWN})").fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            return []  # cancelled: nothing was learnt
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        connection.close()
    return [row for (row,) in rows if row != "ok"]


_PROBLEMS_SHOWN = 10


def restore_backup(backup: Path, workspace: Path) -> Path:
    """Put the backup ``backup`` in place of ``workspace``; returns where the replaced file was moved.

    Nothing is deleted: the replaced workspace (with its -wal and -shm, which may
    hold its last commits) is renamed ``NAME.replaced-STAMP.sqlite`` beside it. The
    backup is checked first (a workspace, sound) and copied with SQLite's backup
    API into a ``.partial`` file that is renamed into place only once it is whole.
    """
    import datetime as dt

    if backup.resolve() == workspace.resolve():
        raise UserError("choose a backup file, not the workspace itself")
    if vet(backup) is not FileState.WORKSPACE:
        raise NotAWorkspace(f"{backup} holds no workspace to restore")
    problems = quick_check(backup)
    if problems:
        raise DamagedWorkspace(f"the backup {backup} is damaged too: {problems[0]}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = workspace.with_name(f"{workspace.stem}.replaced-{stamp}.sqlite")
    partial = workspace.with_name(workspace.name + ".partial")
    try:
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        for suffix in ("", "-wal", "-shm"):
            current = workspace.with_name(workspace.name + suffix)
            if current.exists():
                os.replace(current, aside.with_name(aside.name + suffix))
        os.replace(partial, workspace)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"cannot restore {backup}: {exc}") from None
    return aside
