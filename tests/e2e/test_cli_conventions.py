"""The command line without traps: --version, reads that create nothing, formats by extension, JSON results,
progress on a terminal only, shell completion generated from the parser."""

from __future__ import annotations

import json
import os
import pty
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.test_cli import FIXTURE, ROOT, assert_user_error, run


def test_version_prints_the_installed_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = run(tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.decode().strip() == f"crosscheck {version('crosscheck')}"


@pytest.mark.parametrize("command", [["status"], ["export"], ["check"], ["backup"], ["export", "--format", "csv"]])
def test_a_reading_command_on_a_mistyped_path_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo" / "workspace.sqlite"
    result = run(tmp_path, *command, "--db", str(missing))
    assert_user_error(result, f"no workspace at {missing}")
    assert not missing.parent.exists()


def test_import_creates_the_workspace_it_is_given(tmp_path: Path) -> None:
    target = tmp_path / "new" / "w.sqlite"
    assert run(tmp_path, "--db", str(target), "import", str(FIXTURE)).returncode == 0
    assert target.is_file()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "w.sqlite")
    assert run(tmp_path, "--db", path, "import", str(FIXTURE)).returncode == 0
    return path


def test_export_chooses_the_format_from_the_extension_unless_told(tmp_path: Path, db: str) -> None:
    assert run(tmp_path, "--db", db, "export", "-o", str(tmp_path / "claims.CSV")).returncode == 0
    assert (tmp_path / "claims.CSV").read_text(encoding="utf-8").startswith("id,text,source,")
    assert run(tmp_path, "--db", db, "export", "-o", str(tmp_path / "all.json")).returncode == 0
    assert json.loads((tmp_path / "all.json").read_bytes())["format"] == "crosscheck-workspace"
    told = run(tmp_path, "--db", db, "export", "--format", "json", "-o", str(tmp_path / "odd.csv"))
    assert told.returncode == 0 and json.loads((tmp_path / "odd.csv").read_bytes())["claims"]


def test_export_to_an_extension_that_names_no_format_is_refused_before_anything(tmp_path: Path, db: str) -> None:
    result = run(tmp_path, "--db", db, "export", "-o", str(tmp_path / "claims.xlsx"))
    assert_user_error(result, "names no export format")
    assert not (tmp_path / "claims.xlsx").exists()


def test_import_json_reports_counts_and_every_problem(tmp_path: Path) -> None:
    target = str(tmp_path / "w.sqlite")
    done = run(tmp_path, "--db", target, "import", "--json", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == {
        "sources": 4, "reports": 1, "places": 1, "claims": 5, "links": 2, "outreach": 1,
    }  # fmt: skip
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "crosscheck-workspace", "version": 1, "claims": [{"id": "x"}]}))
    refused = run(tmp_path, "--db", target, "import", "--json", str(bad))
    assert_user_error(refused, "nothing imported")
    errors = json.loads(refused.stdout)["errors"]
    assert errors and all(set(e) == {"path", "message"} for e in errors)
    assert any(e["path"].startswith("$.claims[0]") for e in errors)


def test_check_json_names_each_problem_and_what_repairs_it(tmp_path: Path, db: str) -> None:
    assert json.loads(run(tmp_path, "--db", db, "check", "--json").stdout) == {"ok": True, "problems": []}
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE claim SET status = 'contested' WHERE ext_id = 'c-ru'")
        connection.execute("DELETE FROM claim_fts WHERE rowid = (SELECT id FROM claim WHERE ext_id = 'c-ua')")
    result = run(tmp_path, "--db", db, "check", "--json")
    assert_user_error(result, "2 problems")
    assert json.loads(result.stdout) == {
        "ok": False,
        "problems": [
            {
                "message": "claim c-ua is missing from the search index or indexed with old text",
                "repair": "search-index",
            },
            {"message": "claim c-ru: stored status disagrees with a fresh derivation", "repair": "statuses"},
        ],
    }


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "CROSSCHECK_DB"}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"))
    return env | {"PYTHONPATH": str(ROOT)}


def test_a_long_import_shows_progress_on_a_terminal_and_clears_it(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "main.py", "--db", str(tmp_path / "w.sqlite"), "import", str(FIXTURE)],
            cwd=ROOT,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=120,
        )
        os.close(terminal)
        shown = b""
        while chunk := _read(controller):
            shown += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0
    assert b"importing: checking the document" in shown and b"100 %" in shown
    assert shown.endswith(b"\r")  # the line is cleared: nothing is left before the next prompt
    assert done.stdout.startswith(b"imported ")


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the terminal's other end is closed and drained
        return b""


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = run(tmp_path, "--db", str(tmp_path / "w.sqlite"), "import", str(FIXTURE))
    assert result.returncode == 0 and result.stderr == b""


def test_bash_completion_completes_commands_options_and_files(tmp_path: Path) -> None:
    script = run(tmp_path, "completion", "bash")
    assert script.returncode == 0
    (tmp_path / "crosscheck.bash").write_bytes(script.stdout)
    (tmp_path / "report.json").write_text("{}")

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{w}'" for w in words)
        probe = (
            f"source {tmp_path / 'crosscheck.bash'}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
            f'COMP_LINE="{" ".join(words)}"; COMP_POINT=${{#COMP_LINE}}; _shtab_crosscheck; '
            'printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert complete("crosscheck", "imp") == ["import"]
    assert "--json" in complete("crosscheck", "check", "--")
    assert "report.json" in complete("crosscheck", "import", "rep")


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion_is_a_valid_script(tmp_path: Path) -> None:
    script = run(tmp_path, "completion", "zsh")
    assert script.returncode == 0 and script.stdout.startswith(b"#compdef crosscheck")
    (tmp_path / "_crosscheck").write_bytes(script.stdout)
    subprocess.run(["zsh", "-n", str(tmp_path / "_crosscheck")], check=True)


def test_check_repair_backs_up_then_mends_what_it_can(tmp_path: Path, db: str) -> None:
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE claim SET status = 'contested' WHERE ext_id = 'c-ru'")
        connection.execute("DELETE FROM claim_fts WHERE rowid = (SELECT id FROM claim WHERE ext_id = 'c-ua')")
    repaired = run(tmp_path, "--db", db, "check", "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout.decode().strip() == "ok"
    said = repaired.stderr.decode().splitlines()
    assert said[0].startswith("backed up to ") and Path(said[0].removeprefix("backed up to ")).is_file()
    assert said[1:] == [
        "rebuilt the search index",
        "re-derived every linked pair's effective link and every claim's status, and recounted the claims",
    ]
    assert run(tmp_path, "--db", db, "check").stdout.decode().strip() == "ok"
    # What repair cannot mend stays reported (and no backup is taken for nothing).
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("INSERT INTO place_alias (place_id, position, alias, folded) VALUES (999, 0, 'x', 'x')")
    left = run(tmp_path, "--db", db, "check", "--repair")
    assert_user_error(left, "2 problems")  # SQLite's foreign-key check and ours both see it
    assert left.stdout.decode().splitlines()[-1] == "place alias x refers to a missing place"
    assert left.stderr.decode().count("\n") == 1  # no backup, no repair: nothing it could mend
