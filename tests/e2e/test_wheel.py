"""Installed as users install it: the built wheel, in a fresh virtual environment, not editable.

The wheel is built from a copy of the project's files (so the build leaves
nothing in the checkout), installed with pip into a new venv, and run from an
unrelated folder: the default workspace is created and seeded from the data
inside the package, the window opens on it offscreen, and the subcommands work.

To keep the test fast and offline, the new venv borrows the *dependencies*
(PySide6, SQLAlchemy, …) from the test environment's site-packages through a
``.pth`` line; our own package comes only from the wheel (a ``.pth`` path line
does not run the editable install's import hook, and the test checks where
``desktop`` was imported from).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "LICENSE.GPL-3")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "desktop", source / "desktop", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("crosscheck-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("venv") / "fresh"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(target)], check=True)
    python = target / "bin" / "python"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return target


def run(venv: Path, tmp_path: Path, program: str, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("CROSSCHECK_DB", "PYTHONPATH")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    env.update(XDG_STATE_HOME=str(home / "state"), QT_QPA_PLATFORM="offscreen")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run(
        [str(venv / "bin" / program), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_wheel_carries_the_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "desktop/resources/sample-workspace.json",
        "desktop/resources/gazetteer.json",
        "desktop/migrations/versions/0001_initial_schema.py",
        "desktop/migrations/script.py.mako",
        "desktop/resources/io.github.crosscheck_app.Crosscheck.desktop",
        "desktop/resources/io.github.crosscheck_app.Crosscheck.svg",
        "desktop/resources/io.github.crosscheck_app.Crosscheck.metainfo.xml",
    ):
        assert needed in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "License-Expression: LGPL-3.0-or-later" in text
    assert "Classifier: Environment :: X11 Applications :: Qt" in text
    assert "Project-URL" not in text  # no public home yet: no address pointing nowhere (desktop/resources)
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "[gui_scripts]\ncrosscheck-gui = desktop.cli:main" in entry_points


def test_the_installed_package_comes_from_the_wheel_not_the_checkout(venv: Path, tmp_path: Path) -> None:
    done = run(venv, tmp_path, "python", "-c", "import desktop, desktop.resources as r; print(desktop.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(venv), done.stdout
    assert not Path(done.stdout.strip()).is_relative_to(ROOT)


def test_the_installed_commands_seed_and_use_the_default_workspace(venv: Path, tmp_path: Path) -> None:
    status = run(venv, tmp_path, "crosscheck", "status", "--json")
    assert status.returncode == 0, status.stderr
    rows: list[dict[str, Any]] = json.loads(status.stdout)
    assert len(rows) == 20 and {r["status"] for r in rows} >= {"contested", "unverified"}
    assert (tmp_path / "home" / "data" / "crosscheck" / "workspace.sqlite").is_file()

    assert run(venv, tmp_path, "crosscheck", "check").stdout.strip() == "ok"
    assert run(venv, tmp_path, "crosscheck", "--version").stdout.strip() == "crosscheck 0.1.0"
    assert "_shtab_crosscheck" in run(venv, tmp_path, "crosscheck", "completion", "bash").stdout
    exported = tmp_path / "out.json"
    assert run(venv, tmp_path, "crosscheck", "export", "-o", str(exported)).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert len(document["claims"]) == 20 and len(document["places"]) > 8  # the sample and the gazetteer

    other = tmp_path / "other.sqlite"
    imported = run(venv, tmp_path, "crosscheck", "--db", str(other), "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    backup = run(venv, tmp_path, "crosscheck", "--db", str(other), "backup", str(tmp_path / "copy.sqlite"))
    assert backup.returncode == 0 and Path(backup.stdout.strip()).is_file(), backup.stderr


OPEN_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop.ui import app

def look():
    windows = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible()]
    print("rows", windows[0].table.claim_model.rowCount() if windows else -1, flush=True)
    QApplication.instance().quit()

QTimer.singleShot(0, look)
sys.exit(app.run(None))
"""


def test_the_installed_window_opens_the_default_workspace(venv: Path, tmp_path: Path) -> None:
    done = run(venv, tmp_path, "python", "-c", OPEN_WINDOW)
    assert done.returncode == 0, done.stderr
    assert "rows 20" in done.stdout, (done.stdout, done.stderr)


def test_the_installed_desktop_entry_starts_this_installation(venv: Path, tmp_path: Path) -> None:
    done = run(venv, tmp_path, "crosscheck", "desktop-install")
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "home" / "data" / "applications" / "io.github.crosscheck_app.Crosscheck.desktop"
    assert f"Exec={venv / 'bin' / 'crosscheck-gui'}" in entry.read_text(encoding="utf-8").splitlines()
