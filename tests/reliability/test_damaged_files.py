"""Damaged and foreign files are refused, never "repaired": one line, exit 1, the file untouched.

Each family member is a real file: another program's SQLite database, a text,
JSON or PNG file, random bytes, a folder, a workspace cut short or with its
header zeroed or pages overwritten. Commands that only read and commands that
write (import) are both tried; the file's bytes are compared before and after.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop import cli
from desktop.core import db
from desktop.core.errors import UserError
from desktop.core.workspace import open_workspace
from desktop.core.workspace_file import DamagedWorkspace, FileState, NotAWorkspace, quick_check, vet
from tests.reliability.harness import ROOT

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _contacts(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)")
    connection.executemany("INSERT INTO contacts (name, phone) VALUES (?, ?)", [("Ann", "1"), ("Bo", "2")])
    connection.commit()
    connection.close()


def _claims_of_another_program(path: Path) -> None:
    """A table named like ours, but no Alembic revision: another tool that also keeps claims."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE claim (id INTEGER PRIMARY KEY, text TEXT)")
    connection.execute("INSERT INTO claim (text) VALUES ('not ours')")
    connection.commit()
    connection.close()


def _closed_sample(template: Path, path: Path) -> None:
    shutil.copyfile(template, path)


def _truncated(template: Path, path: Path) -> None:
    data = template.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zeroed_header(template: Path, path: Path) -> None:
    data = bytearray(template.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


FOREIGN: dict[str, Callable[[Path], None]] = {
    "another program's database": _contacts,
    "another program's database with a claim table": _claims_of_another_program,
    "a text file": lambda p: p.write_text("Notes about Bakhmut\nnothing more\n", encoding="utf-8"),
    "a JSON document": lambda p: p.write_text('{"format": "crosscheck-workspace", "version": 1}', encoding="utf-8"),
    "a PNG image": lambda p: p.write_bytes(PNG),
    "random bytes": lambda p: p.write_bytes(random.Random(8).randbytes(8192)),
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
@pytest.mark.parametrize("command", [["status"], ["check"], ["export"], ["backup"], ["import", "DOC"], []])
def test_a_foreign_file_is_refused_untouched_by_every_command(
    kind: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "not-ours.sqlite"
    FOREIGN[kind](path)
    document = tmp_path / "doc.json"
    document.write_bytes(b'{"format": "crosscheck-workspace", "version": 1}')
    before = _digest(path), sorted(os.listdir(tmp_path))
    if command == []:  # what the window does first
        with pytest.raises(NotAWorkspace):
            open_workspace(str(path))
    else:
        args = [str(document) if a == "DOC" else a for a in command]
        assert cli.main(["--db", str(path), *args]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "untouched" in err and "Traceback" not in err, err
    assert (_digest(path), sorted(os.listdir(tmp_path))) == before


def test_another_programs_database_is_named_by_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    _contacts(path)
    with pytest.raises(NotAWorkspace, match=r"another program \(tables: contacts\)"):
        vet(path)


@pytest.mark.parametrize("damage", [_truncated, _zeroed_header])
def test_a_damaged_workspace_is_refused_as_damaged_untouched(
    damage: Callable[[Path, Path], None], _sample_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "damaged.sqlite"
    damage(_sample_template, path)
    before = _digest(path)
    with pytest.raises(DamagedWorkspace, match="is damaged"):
        open_workspace(str(path))
    assert cli.main(["status", "--db", str(path)]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert _digest(path) == before


def test_overwritten_late_pages_are_found_by_the_quick_check(_sample_template: Path, tmp_path: Path) -> None:
    """Damage the cheap checks at open cannot see: the background check (and ``check``) reports it."""
    path = tmp_path / "late.sqlite"
    data = bytearray(_sample_template.read_bytes())
    page = 4096
    pages = len(data) // page
    noise = random.Random(3)
    for number in range(pages - 6, pages - 1):  # late pages, never the first (the schema)
        data[number * page : (number + 1) * page] = noise.randbytes(page)
    path.write_bytes(bytes(data))
    assert quick_check(path), "quick_check must report overwritten pages"
    assert quick_check(_sample_template) == []


def test_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    document = tmp_path / "x.json"
    document.write_bytes(b'{"format": "crosscheck-workspace", "version": 1}')
    assert cli.main(["import", "--db", str(folder), str(document)]) == 1
    assert "is a folder" in capsys.readouterr().err
    with pytest.raises(NotAWorkspace, match="is a folder"):
        open_workspace(str(folder))


def test_an_empty_file_becomes_a_new_workspace_but_reading_commands_refuse_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "reserved.sqlite"
    path.touch()
    assert vet(path) is FileState.EMPTY
    assert cli.main(["status", "--db", str(path)]) == 1
    assert path.stat().st_size == 0, "a reading command wrote to it"
    capsys.readouterr()
    opened = open_workspace(str(path))
    try:
        assert opened.is_empty()
    finally:
        opened.close()
    assert vet(path) is FileState.WORKSPACE


@pytest.mark.parametrize("target", ["/proc/crosscheck-backup.sqlite", "/proc/x/y/backup.sqlite"])
def test_a_backup_that_cannot_be_written_is_one_line_and_the_workspace_is_untouched(
    target: str, _sample_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws.sqlite"
    _closed_sample(_sample_template, path)
    before = _digest(path)
    assert cli.main(["backup", "--db", str(path), target]) == 1
    err = capsys.readouterr().err
    assert err.startswith("crosscheck: error: cannot write the backup") and err.count("\n") == 1, err
    assert _digest(path) == before


def test_a_migration_whose_backup_cannot_be_written_is_refused_before_touching_the_workspace(
    _sample_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "old.sqlite"
    _closed_sample(_sample_template, path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0002'")  # pretend an older schema
    connection.commit()
    connection.close()
    before = _digest(path)
    engine = db.make_engine(db.resolve_location(str(path)))
    try:
        with pytest.raises(UserError, match="cannot write the backup"):
            db.upgrade(engine, backup_dir=Path("/proc/no-such-place"))
    finally:
        engine.dispose()
    assert _digest(path) == before


def test_the_command_line_says_one_line_for_a_damaged_file_in_a_fresh_process(
    _sample_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cut.sqlite"
    _truncated(_sample_template, path)
    done = subprocess.run(
        [sys.executable, "main.py", "status", "--db", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.startswith("crosscheck: error:") and done.stderr.count("\n") == 1, done.stderr
