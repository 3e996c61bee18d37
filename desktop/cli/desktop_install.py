"""``crosscheck desktop-install``: put Crosscheck in the desktop's application menu, for this user.

Copies the shipped desktop entry, icon and AppStream metainfo into the user's
XDG data folder (``~/.local/share/applications``, ``icons/hicolor/scalable/apps``,
``metainfo``), with the entry's ``Exec`` pointing at this very installation (a
venv or pipx install is rarely on the menu's ``PATH``). ``--uninstall`` removes
them again. Menus notice the files by themselves; the desktop's caches are
refreshed when their tools are installed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from desktop.cli.base import out
from desktop.core.atomic_write import write_atomically


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "desktop-install",
        help="add Crosscheck to your desktop's application menu (or --uninstall)",
        description="Install the desktop entry, icon and AppStream metainfo for the current user, into the "
        "XDG data folder ($XDG_DATA_HOME, default ~/.local/share), so Crosscheck appears in the "
        "application menu with its icon. Prints what it wrote.",
    )
    cmd.add_argument("--uninstall", action="store_true", help="remove what desktop-install wrote")
    cmd.set_defaults(run=run)


def targets() -> dict[str, Path]:
    """Shipped resource name → where it goes for this user."""
    from desktop.resources import APP_ID

    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return {
        f"{APP_ID}.desktop": data / "applications" / f"{APP_ID}.desktop",
        f"{APP_ID}.svg": data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        f"{APP_ID}.metainfo.xml": data / "metainfo" / f"{APP_ID}.metainfo.xml",
    }


def launcher() -> str:
    """The command that opens the window from this installation, quoted for a desktop entry's Exec."""
    scripts = Path(sys.executable).parent
    for name in ("crosscheck-gui", "crosscheck"):
        if (scripts / name).is_file():
            return _quote(str(scripts / name))
    return f"{_quote(sys.executable)} -m desktop"  # a checkout run as python main.py


def _quote(argument: str) -> str:
    # The desktop entry spec's quoting: double quotes, with ", `, $ and \\ escaped by a backslash.
    if argument and all(c.isalnum() or c in "/._-+" for c in argument):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def entry_text(command: str) -> str:
    """The shipped desktop entry with ``Exec`` (and ``TryExec``) naming ``command``."""
    from desktop.resources import APP_ID, resource

    lines = resource(f"{APP_ID}.desktop").read_text(encoding="utf-8").splitlines()
    program = shlex.split(command)[0]
    replaced = []
    for line in lines:
        if line.startswith("Exec="):
            line = f"Exec={command}"
        elif line.startswith("TryExec="):
            line = f"TryExec={_quote(program)}"
        replaced.append(line)
    return "\n".join(replaced) + "\n"


def run(args: argparse.Namespace) -> int:
    from desktop.resources import resource

    if args.uninstall:
        for path in targets().values():
            if path.exists():
                path.unlink()
                out(f"removed {path}")
        _refresh_caches()
        return 0
    for name, path in targets().items():
        data = entry_text(launcher()).encode() if name.endswith(".desktop") else resource(name).read_bytes()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
        out(f"wrote {path}")
    _refresh_caches()
    return 0


def _refresh_caches() -> None:
    """Best effort: menus also pick the files up without these (they watch the folders)."""
    from desktop.resources import APP_ID

    paths = targets()
    applications = paths[f"{APP_ID}.desktop"].parent
    hicolor = paths[f"{APP_ID}.svg"].parents[2]
    for command in (
        ["update-desktop-database", "-q", str(applications)],
        ["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)],
    ):
        if shutil.which(command[0]) and Path(command[-1]).is_dir():
            subprocess.run(command, check=False, capture_output=True)
