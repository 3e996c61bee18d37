"""The command line end to end (docs/command-line.md): real processes, ``python main.py --db <tmp> …``.

Every test passes its own ``--db`` (or ``CROSSCHECK_DB``) and private HOME and
XDG folders, so no test can touch — or seed — the real default workspace.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "core" / "fixtures" / "small-workspace.json"
SAMPLE = ROOT / "desktop" / "resources" / "sample-workspace.json"


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None) -> Any:
    home = tmp_path / "home"
    base = {k: v for k, v in os.environ.items() if k != "CROSSCHECK_DB"}
    base.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    base.update(CROSSCHECK_ANALYST="cli-tester", PYTHONPATH=str(ROOT))
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=base, capture_output=True, input=stdin, timeout=120
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A workspace holding the small fixture: c-ru/c-ua corroborate across sides, c-state-* echo."""
    path = str(tmp_path / "work.sqlite")
    result = run(tmp_path, "--db", path, "import", str(FIXTURE))
    assert result.returncode == 0, result.stderr
    return path


def statuses(tmp_path: Path, db: str, *extra: str) -> dict[str, dict[str, Any]]:
    result = run(tmp_path, "--db", db, "status", "--json", *extra)
    assert result.returncode == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


def assert_user_error(result: Any, fragment: str) -> None:
    """Exit 1, exactly one line on stderr in the agreed form, no traceback anywhere."""
    stderr = result.stderr.decode()
    assert result.returncode == 1, (result.returncode, stderr)
    assert stderr.count("\n") == 1 and stderr.startswith("crosscheck: error: "), stderr
    assert fragment in stderr
    assert b"Traceback" not in result.stderr + result.stdout


def test_import_prints_the_counts(tmp_path: Path) -> None:
    result = run(tmp_path, "--db", str(tmp_path / "w.sqlite"), "import", str(FIXTURE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == (
        "imported 4 sources, 1 reports, 1 places, 5 claims, 2 links, 1 requests for comment"
    )


def test_status_json_derives_corroboration_and_echoes(tmp_path: Path, db: str) -> None:
    rows = statuses(tmp_path, db)
    assert list(rows) == ["c-ru", "c-ua", "c-state-1", "c-state-2", "c-late"]  # document order
    assert rows["c-ru"] == {
        "id": "c-ru",
        "status": "corroborated",  # independent origins on different sides (docs/status-rules.md, rule 5)
        "verdict": None,
        "suggested_credibility": 1,
        "supporters": ["c-ua"],
        "contradictors": [],
        "neutral": [],
        "echoes": [],
        "disagreements": [],
    }
    # Same group = not independent: the support is an echo and does not count (docs/status-rules.md, rules 3–4).
    assert rows["c-state-1"]["status"] == "unverified" and rows["c-state-1"]["echoes"] == ["c-state-2"]
    assert rows["c-state-1"]["supporters"] == [] and rows["c-state-1"]["suggested_credibility"] == 6


def test_status_as_of_before_a_link_was_recorded_shows_the_older_status(tmp_path: Path, db: str) -> None:
    addition = tmp_path / "later.json"
    addition.write_text(
        json.dumps(
            {
                "format": "crosscheck-workspace",
                "version": 1,
                "links": [
                    {"from": "c-late", "to": "c-ru", "relation": "contradicts", "recorded": "2022-12-16T09:00:00Z"}
                ],
            }
        )
    )
    assert run(tmp_path, "--db", db, "import", str(addition)).returncode == 0
    assert statuses(tmp_path, db)["c-ru"]["status"] == "contested"
    earlier = statuses(tmp_path, db, "--as-of", "2022-12-16T08:59:59Z")
    assert earlier["c-ru"]["status"] == "corroborated" and earlier["c-ru"]["contradictors"] == []
    day_before = statuses(tmp_path, db, "--as-of", "2022-12-15")  # a date: the end of that day
    assert day_before["c-ru"]["status"] == "corroborated" and "c-late" not in day_before
    before_link = statuses(tmp_path, db, "--as-of", "2022-12-15T11:00:00+02:00")  # = 09:00Z
    assert before_link["c-ru"]["status"] == "unverified" and list(before_link) == ["c-ru"]


def test_status_table_is_aligned(tmp_path: Path, db: str) -> None:
    result = run(tmp_path, "status", "--db", db)  # --db after the command works too
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == [
        "ID", "STATUS", "VERDICT", "SUGGESTED", "SUPPORTERS", "CONTRADICTORS", "NEUTRAL", "ECHOES", "DISAGREEMENTS",
    ]  # fmt: skip
    column = lines[0].index("STATUS")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines[1:])
    assert lines[1].split()[:4] == ["c-ru", "corroborated", "-", "1"]


def test_export_json_round_trips_byte_for_byte_through_another_workspace(tmp_path: Path, db: str) -> None:
    first = tmp_path / "first.json"
    assert run(tmp_path, "--db", db, "export", "-o", str(first)).returncode == 0
    other = str(tmp_path / "other.sqlite")
    assert run(tmp_path, "--db", other, "import", str(first)).returncode == 0
    again = run(tmp_path, "--db", other, "export")
    assert again.returncode == 0
    assert again.stdout == first.read_bytes()


def test_export_sample_to_stdout_is_the_canonical_utf8_document(tmp_path: Path) -> None:
    db = str(tmp_path / "sample.sqlite")
    assert run(tmp_path, "--db", db, "import", str(SAMPLE)).returncode == 0
    result = run(tmp_path, "--db", db, "export", "--format", "json", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == SAMPLE.read_bytes()
    assert "Бахмут".encode() in result.stdout


def test_export_csv_lists_every_claim(tmp_path: Path, db: str) -> None:
    result = run(tmp_path, "--db", db, "export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))
    assert [r["id"] for r in rows] == ["c-ru", "c-ua", "c-state-1", "c-state-2", "c-late"]
    assert rows[0]["status"] == "corroborated" and rows[0]["places"] == "Bakhmut"


def test_check_says_ok_on_a_sound_workspace(tmp_path: Path, db: str) -> None:
    result = run(tmp_path, "--db", db, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "ok\n"


def test_check_lists_problems_and_exits_1(tmp_path: Path, db: str) -> None:
    with closing(sqlite3.connect(db)) as connection, connection:  # what a tool writing behind the store's back could do
        connection.execute("UPDATE claim SET status = 'contested' WHERE ext_id = 'c-ua'")
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded) "
                           "VALUES (1, 1, 'neutral', '', 'x', '2022-12-15 00:00:00.000000')")  # fmt: skip
    result = run(tmp_path, "--db", db, "check")
    out = result.stdout.decode()
    assert "claim c-ua: stored status disagrees" in out
    assert "claim c-ru is linked to itself" in out
    assert_user_error(result, "problems")


def test_backup_writes_a_valid_sqlite_file_with_the_same_claims(tmp_path: Path, db: str) -> None:
    target = tmp_path / "copies" / "backup.sqlite"
    result = run(tmp_path, "--db", db, "backup", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == str(target)
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM claim").fetchone() == (5,)
    # The copy is a workspace in its own right.
    assert statuses(tmp_path, str(target))["c-ru"]["status"] == "corroborated"


def test_backup_without_a_name_goes_next_to_the_workspace(tmp_path: Path, db: str) -> None:
    first = run(tmp_path, "--db", db, "backup")
    second = run(tmp_path, "--db", db, "backup")
    assert first.returncode == second.returncode == 0
    paths = [Path(r.stdout.decode().strip()) for r in (first, second)]
    assert paths[0] != paths[1]  # two backups in one second do not overwrite each other
    for path in paths:
        assert path.parent == Path(db).parent and path.name.startswith("work.backup-")
        with closing(sqlite3.connect(path)) as copy:
            assert copy.execute("SELECT count(*) FROM claim").fetchone() == (5,)


def test_crosscheck_db_variable_picks_the_workspace(tmp_path: Path, db: str) -> None:
    result = run(tmp_path, "status", "--json", env={"CROSSCHECK_DB": db})
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5
    assert not (tmp_path / "home" / "data" / "crosscheck").exists()  # the default workspace stayed untouched


def test_import_from_standard_input(tmp_path: Path) -> None:
    result = run(tmp_path, "--db", str(tmp_path / "w.sqlite"), "import", "-", stdin=FIXTURE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert "5 claims" in result.stdout.decode()


def test_import_into_a_workspace_updates_the_statuses_its_links_reach(tmp_path: Path, db: str) -> None:
    before = statuses(tmp_path, db)
    assert before["c-state-1"]["status"] == "unverified"  # its only support shares its group: an echo
    addition = {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [{"id": "src-intl", "name": "Monitoring mission", "side": "international"}],
        "claims": [
            {"id": "c-intl", "text": "Monitors saw the breach.", "source": "src-intl"},
            {"id": "c-relay", "text": "Relayed: attacks repelled.", "source": "src-state-2"},
        ],
        "links": [
            {"from": "c-intl", "to": "c-state-1", "relation": "corroborates"},  # independent, another side
            {"from": "c-relay", "to": "c-ua", "relation": "repeats"},  # joins c-ua's cluster
        ],
    }
    path = tmp_path / "addition.json"
    path.write_text(json.dumps(addition))
    result = run(tmp_path, "--db", db, "import", str(path))
    assert result.returncode == 0, result.stderr
    after = statuses(tmp_path, db)
    assert after["c-state-1"]["status"] == after["c-intl"]["status"] == "corroborated"
    assert after["c-relay"]["status"] == after["c-ua"]["status"] == after["c-ru"]["status"] == "corroborated"
    assert after["c-state-2"] == before["c-state-2"] and after["c-late"] == before["c-late"]  # out of reach
    check = run(tmp_path, "--db", db, "check")  # the stored statuses are those of a full derivation
    assert check.returncode == 0 and check.stdout.decode() == "ok\n", check.stdout


def test_import_errors_list_every_problem_on_stdout_and_one_line_on_stderr(tmp_path: Path, db: str) -> None:
    bad = json.loads(FIXTURE.read_text())
    bad["claims"][0]["source"] = "src-nobody"
    bad["links"][0]["relation"] = "agrees"
    bad["sources"] = bad["sources"][1:]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    fresh = str(tmp_path / "fresh.sqlite")
    result = run(tmp_path, "--db", fresh, "import", str(path))
    assert_user_error(result, "nothing imported")
    listed = result.stdout.decode().splitlines()
    assert '$.claims[0].source: unknown source "src-nobody"' in listed
    assert any(line.startswith("$.links[0].relation: must be one of") for line in listed)
    assert not Path(fresh).exists()  # nothing imported, no workspace made at the path either


def test_import_refuses_a_text_of_only_invisible_characters_as_empty(tmp_path: Path) -> None:
    bad = json.loads(FIXTURE.read_text())
    bad["claims"][0]["text"] = "\u200b"  # a zero-width space
    bad["places"][0]["name"] = "\u200f\ufeff"  # a right-to-left mark and a byte-order mark
    path = tmp_path / "invisible.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = run(tmp_path, "--db", str(tmp_path / "fresh.sqlite"), "import", str(path))
    assert_user_error(result, "nothing imported, the document has 2 problems")
    assert result.stdout.decode().splitlines() == [
        "$.places[0].name: must not be empty",
        "$.claims[0].text: must not be empty",
    ]


def _newer_workspace(tmp_path: Path) -> str:
    path = tmp_path / "newer.sqlite"
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    return str(path)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("import", "{tmp}/missing.json"), "No such file or directory"),
        (("import", "{tmp}/broken.json"), "not valid JSON"),
        (("status", "--as-of", "yesterday"), "--as-of must be a date"),
        (("frobnicate",), "invalid choice"),
        (("export", "--format", "xml"), "invalid choice"),
        (("status", "--bogus"), "unrecognized arguments"),
        (("import",), "required"),
        (("--db", "{newer}", "status"), "newer version of Crosscheck"),
        (("--db", "postgresql://nobody@127.0.0.1:1/none", "check"), "cannot use the workspace"),
        (("--db", "{tmp}/broken.json", "status"), "is not a Crosscheck workspace"),
        (("--db", "{tmp}", "status"), "is a folder, not a workspace file"),
    ],
    ids=[
        "missing-file",
        "bad-json",
        "bad-as-of",
        "unknown-command",
        "unknown-format",
        "unknown-option",
        "missing-argument",
        "newer-schema",
        "unreachable-postgresql",
        "not-a-database",
        "directory-as-database",
    ],
)
def test_user_errors_exit_1_with_one_line_and_no_traceback(
    tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    (tmp_path / "broken.json").write_text('{"format": "crosscheck-workspace", ')
    values = {"tmp": str(tmp_path), "newer": _newer_workspace(tmp_path)}
    argv = [a.format(**values) for a in args]
    if "--db" not in argv:
        argv = ["--db", str(tmp_path / "w.sqlite"), *argv]
    assert_user_error(run(tmp_path, *argv), fragment)


def test_help_exits_0(tmp_path: Path) -> None:
    result = run(tmp_path, "status", "--help")
    assert result.returncode == 0
    assert b"END of that day" in result.stdout


_PROBE = """
import sys
from desktop.cli import main
code = main(sys.argv[1:])
assert code == 0, code
print(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6") or m.startswith("desktop.ui")))
"""


@pytest.mark.parametrize("command", [["status", "--json"], ["export", "--format", "csv"], ["check"], ["backup"]])
def test_subcommands_never_import_qt(tmp_path: Path, db: str, command: list[str]) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    env.pop("CROSSCHECK_DB", None)
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, "--db", db, *command], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[-1] == "[]"


def test_no_command_opens_the_window_on_the_chosen_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    """``crosscheck --db X`` hands X to ``desktop.ui.app.run`` (faked here: no display, no Qt)."""
    import types

    from desktop.cli import main

    opened: list[str | None] = []
    fake = types.ModuleType("desktop.ui.app")
    fake.run = lambda location: opened.append(location) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.ui.app", fake)
    assert main(["--db", "/somewhere/work.sqlite"]) == 0
    assert main([]) == 0
    assert opened == ["/somewhere/work.sqlite", None]  # None: the window resolves CROSSCHECK_DB / the default
