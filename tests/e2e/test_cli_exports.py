"""``crosscheck export`` in every format, end to end (DESIGN §4): real processes on the sample workspace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_cli import ROOT, SAMPLE, assert_user_error, run


@pytest.fixture
def sample_db(tmp_path: Path) -> str:
    path = str(tmp_path / "sample.sqlite")
    result = run(tmp_path, "--db", path, "import", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    return path


def test_stix_follows_the_output_extension_and_validates(tmp_path: Path, sample_db: str) -> None:
    from stix2validator import validate_file

    target = tmp_path / "bundle.stix.json"
    result = run(tmp_path, "--db", sample_db, "export", "--filter", "place:bakhmut", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert validate_file(str(target)).is_valid
    notes = [o for o in json.loads(target.read_text())["objects"] if o["type"] == "note"]
    assert len(notes) == 14  # the claims placed in Bakhmut (alias-aware filter)


def test_claimreview_takes_the_organisation_from_the_environment(tmp_path: Path, sample_db: str) -> None:
    env = {"CROSSCHECK_ORGANISATION": "Desk", "CROSSCHECK_REVIEW_URL": "https://desk.example/c/{id}"}
    result = run(tmp_path, "--db", sample_db, "export", "--format", "claimreview", env=env)
    assert result.returncode == 0, result.stderr
    reviews = json.loads(result.stdout)
    assert [r["url"] for r in reviews] == [
        "https://desk.example/c/c-mb-eastern-outskirts",
        "https://desk.example/c/c-newsweek-distance",
    ]
    assert all(r["author"]["name"] == "Desk" for r in reviews)


def test_claimreview_without_an_organisation_is_a_one_line_error(tmp_path: Path, sample_db: str) -> None:
    result = run(tmp_path, "--db", sample_db, "export", "--format", "claimreview", env={"CROSSCHECK_ORGANISATION": ""})
    assert_user_error(result, "organisation")


def test_markdown_brief_as_of_a_moment(tmp_path: Path, sample_db: str) -> None:
    result = run(tmp_path, "--db", sample_db, "export", "--format", "markdown", "--as-of", "2022-12-15T11:20:00Z")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "as it stood at 2022-12-15 11:20 UTC" in text and "## ✖ Contradicted" not in text


def test_pdf_brief_is_written_by_qt_without_a_display(tmp_path: Path, sample_db: str) -> None:
    target = tmp_path / "brief.pdf"
    env = {"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    result = run(tmp_path, "--db", sample_db, "export", "--filter", "rybar", "-o", str(target), env=env)
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Type /Page" in data and data.rstrip().endswith(b"%%EOF")
    assert not (tmp_path / "brief.pdf.partial").exists()
    piped = run(tmp_path, "--db", sample_db, "export", "--format", "pdf", "--filter", "nosuchword", env=env)
    assert piped.returncode == 0 and piped.stdout.startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["brief.pdf", "brief.md", "out.json"])
def test_an_export_into_a_missing_folder_is_one_line_naming_the_file(tmp_path: Path, sample_db: str, name: str) -> None:
    """The file asked for is named (not its scratch ``.partial``), and nothing of Qt's leaks onto stderr."""
    target = tmp_path / "no-such-folder" / name
    env = {"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    result = run(tmp_path, "--db", sample_db, "export", "--filter", "rybar", "-o", str(target), env=env)
    assert_user_error(result, f"cannot write {target}: ")
    assert b".partial" not in result.stderr and b"QPainter" not in result.stderr
    assert not target.parent.exists()


def test_bad_filter_and_unknown_extension_are_one_line_errors(tmp_path: Path, sample_db: str) -> None:
    assert_user_error(run(tmp_path, "--db", sample_db, "export", "--filter", "cred:9"), "--filter")
    out = tmp_path / "brief.docx"
    assert_user_error(run(tmp_path, "--db", sample_db, "export", "-o", str(out)), "names no export format")
    assert not out.exists()


_PROBE = """
import sys
from desktop.cli import main
code = main(sys.argv[1:])
assert code == 0, code
print(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6") or m.startswith("desktop.ui")))
"""


@pytest.mark.parametrize("fmt", ["stix", "markdown", "html", "json"])
def test_exports_other_than_pdf_never_import_qt(tmp_path: Path, sample_db: str, fmt: str) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    env.pop("CROSSCHECK_DB", None)
    command = ["--db", sample_db, "export", "--format", fmt, "--filter", "bakhmut", "-o", str(tmp_path / "out")]
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *command], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[-1] == "[]"


def test_claimreview_takes_the_organisation_from_preferences(tmp_path: Path, sample_db: str) -> None:
    settings = tmp_path / "home" / "config" / "crosscheck" / "crosscheck.ini"
    settings.parent.mkdir(parents=True)
    settings.write_text("[preferences]\norganisation=Desk From Preferences\n", encoding="utf-8")
    env = {"CROSSCHECK_ORGANISATION": "", "CROSSCHECK_REVIEW_URL": "https://desk.example/c/{id}"}
    result = run(tmp_path, "--db", sample_db, "export", "--format", "claimreview", env=env)
    assert result.returncode == 0, result.stderr
    assert {r["author"]["name"] for r in json.loads(result.stdout)} == {"Desk From Preferences"}
