"""Crosscheck fits the desktop: a valid desktop entry and AppStream metainfo, an icon, and a command that
puts them in the user's application menu pointing at this installation."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.resources import APP_ID, resource
from tests.e2e.test_cli import ROOT

needs_validators = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None or shutil.which("appstreamcli") is None,
    reason="desktop-file-utils and appstream are installed by scripts/setup.sh --test",
)


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


@needs_validators
def test_the_shipped_desktop_entry_and_metainfo_validate(tmp_path: Path) -> None:
    for name in (f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml"):
        (tmp_path / name).write_bytes(resource(name).read_bytes())
    entry = subprocess.run(["desktop-file-validate", str(tmp_path / f"{APP_ID}.desktop")], capture_output=True)
    assert entry.returncode == 0 and entry.stdout == b"", entry.stdout
    metainfo = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(tmp_path / f"{APP_ID}.metainfo.xml")], capture_output=True
    )
    assert metainfo.returncode == 0, metainfo.stdout
    shipped = _entry(tmp_path / f"{APP_ID}.desktop")
    assert shipped["Icon"] == APP_ID and shipped["Exec"] == "crosscheck-gui" and shipped["Terminal"] == "false"


def _install(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CROSSCHECK_DB"}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "main.py", "desktop-install", *extra], cwd=ROOT, env=env, capture_output=True, text=True
    )


@needs_validators
def test_desktop_install_puts_entry_icon_and_metainfo_in_the_users_folders(tmp_path: Path) -> None:
    done = _install(tmp_path)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "data" / "applications" / f"{APP_ID}.desktop"
    icon = tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    metainfo = tmp_path / "data" / "metainfo" / f"{APP_ID}.metainfo.xml"
    assert done.stdout.split() == ["wrote", str(entry), "wrote", str(icon), "wrote", str(metainfo)]
    assert icon.read_bytes() == resource(f"{APP_ID}.svg").read_bytes()
    assert subprocess.run(["desktop-file-validate", str(entry)], capture_output=True).stdout == b""
    program = shlex.split(_entry(entry)["Exec"])[0]
    # The entry starts THIS installation, wherever it is (a venv is rarely on the menu's PATH).
    assert Path(program).is_absolute() and os.access(program, os.X_OK)
    assert Path(program).parent == Path(sys.executable).parent
    assert _entry(entry)["Icon"] == icon.stem

    removed = _install(tmp_path, "--uninstall")
    assert removed.returncode == 0 and not entry.exists() and not icon.exists() and not metainfo.exists()


def test_an_exec_path_with_spaces_and_quotes_is_quoted_as_the_spec_says() -> None:
    from desktop.cli.desktop_install import _quote

    assert _quote("/usr/bin/crosscheck-gui") == "/usr/bin/crosscheck-gui"
    assert _quote('/home/an alyst/"x"/$v') == '"/home/an alyst/\\"x\\"/\\$v"'
