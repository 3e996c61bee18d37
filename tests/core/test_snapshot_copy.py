"""The as-of patch's copy of a live workspace (``history.snapshot_copy``): it holds exactly the snapshot of the
read transaction it was taken in, while another process writes and checkpoints — by a file copy when the
database file is that snapshot, by SQLite's backup when the WAL still holds frames."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.core.history import snapshot_copy as module
from desktop.core.history.snapshot_copy import empty_wal, snapshot_copy

#: another process: more rows committed, then every kind of checkpoint tried (none may touch our snapshot)
_WRITER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=0)
con.execute("PRAGMA busy_timeout=0")
with con:
    con.executemany("INSERT INTO item (value) VALUES (?)", [(f"later {i}",) for i in range(2000)])
    con.execute("UPDATE item SET value = 'changed' WHERE id <= 100")
for mode in ("PASSIVE", "FULL", "RESTART", "TRUNCATE"):
    con.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
with con:
    con.execute("DELETE FROM item WHERE id % 3 = 0")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
con.close()
"""


def _workspace(path: Path, journal: str = "wal") -> sqlite3.Connection:
    setup = sqlite3.connect(path)
    setup.execute(f"PRAGMA journal_mode={journal}")
    setup.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
    with setup:
        setup.executemany("INSERT INTO item (value) VALUES (?)", [(f"first {i}" * 20,) for i in range(5000)])
    setup.close()
    source = sqlite3.connect(path, isolation_level=None)
    source.execute("PRAGMA busy_timeout=5000")
    return source


def _rows(connection: sqlite3.Connection) -> list[Any]:
    return connection.execute("SELECT id, value FROM item ORDER BY id").fetchall()


def _write_elsewhere(path: Path) -> None:
    subprocess.run([sys.executable, "-c", _WRITER, str(path)], check=True, timeout=60)


def _copy_while_another_process_writes(
    source: sqlite3.Connection, path: Path, target: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Any], bool]:
    """The snapshot read in the transaction, and whether a file copy was taken; the other process writes and
    checkpoints after the snapshot began and before the file is copied."""
    real_copy = module.shutil.copyfile

    def copy_after_writes(src: Any, dst: Any) -> Any:
        _write_elsewhere(path)
        return real_copy(src, dst)

    monkeypatch.setattr(module.shutil, "copyfile", copy_after_writes)
    empty_wal(source)
    source.execute("BEGIN")
    snapshot = _rows(source)
    with snapshot_copy(source, target) as file_copy:
        if not file_copy:
            _write_elsewhere(path)  # the backup has copied already: the writes come after it, as in the window
        assert _rows(source) == snapshot  # the caller's reads meanwhile see the same snapshot
    source.execute("COMMIT")
    return snapshot, file_copy


def test_a_file_copy_holds_the_snapshot_while_another_process_writes_and_checkpoints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ws.sqlite"
    source = _workspace(path)
    with source:  # frames in the WAL: emptied by the checkpoint before the read begins
        source.execute("UPDATE item SET value = 'before the snapshot' WHERE id = 1")
    assert (tmp_path / "ws.sqlite-wal").stat().st_size > 0
    snapshot, file_copy = _copy_while_another_process_writes(source, path, tmp_path / "copy.sqlite", monkeypatch)
    assert file_copy
    copy = sqlite3.connect(tmp_path / "copy.sqlite")
    assert _rows(copy) == snapshot
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert snapshot[0] == (1, "before the snapshot")
    assert _rows(source) != snapshot  # the other process's writes did land in the workspace


def test_frames_another_reader_holds_make_it_a_backup_of_the_same_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ws.sqlite"
    source = _workspace(path)
    with source:
        source.execute("UPDATE item SET value = 'in the WAL' WHERE id = 1")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM item").fetchone()  # a reader of those frames: the WAL cannot be emptied
    snapshot, file_copy = _copy_while_another_process_writes(source, path, tmp_path / "copy.sqlite", monkeypatch)
    other.execute("COMMIT")
    assert not file_copy
    copy = sqlite3.connect(tmp_path / "copy.sqlite")
    assert _rows(copy) == snapshot
    assert snapshot[0] == (1, "in the WAL")


def test_a_rollback_journal_workspace_is_copied_under_its_shared_lock(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    source = _workspace(path, journal="delete")
    source.execute("BEGIN")
    snapshot = _rows(source)
    with snapshot_copy(source, tmp_path / "copy.sqlite") as file_copy:
        writer = sqlite3.connect(path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"), writer:  # the lock keeps writers out
            writer.execute("UPDATE item SET value = 'x'")
        writer.close()
    source.execute("COMMIT")
    assert file_copy
    assert _rows(sqlite3.connect(tmp_path / "copy.sqlite")) == snapshot


def test_the_copy_needs_a_read_transaction(tmp_path: Path) -> None:
    source = _workspace(tmp_path / "ws.sqlite")
    with pytest.raises(ValueError, match="read transaction"), snapshot_copy(source, tmp_path / "copy.sqlite"):
        pass


@pytest.mark.parametrize("wal_reader", [False, True], ids=["file copy", "backup"])
def test_the_copy_says_once_when_it_is_complete(tmp_path: Path, wal_reader: bool) -> None:
    """``complete`` (what tells the as-of derivation process it may read the copy) is called once, with the
    whole snapshot in the file — by the file copy's thread, or before the block when the backup copies."""
    path, target = tmp_path / "ws.sqlite", tmp_path / "copy.sqlite"
    source = _workspace(path)
    other = sqlite3.connect(path, isolation_level=None)
    if wal_reader:  # frames in the WAL that a reader holds: the backup copies
        with source:
            source.execute("UPDATE item SET value = 'in the WAL' WHERE id = 1")
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM item").fetchone()
    else:
        empty_wal(source)
    source.execute("BEGIN")
    snapshot = _rows(source)
    seen: list[list[Any]] = []
    with snapshot_copy(source, target, lambda: seen.append(_rows(sqlite3.connect(target)))) as file_copy:
        pass
    source.execute("COMMIT")
    other.close()
    assert file_copy is not wal_reader
    assert seen == [snapshot]
