"""What Crosscheck remembers between runs: one INI file, ``desktop.core.preferences.settings_path()``.

``~/.config/crosscheck/crosscheck.ini`` on Linux — the same lower-case name as the
data folder (``~/.local/share/crosscheck``) and the log (``~/.local/state/crosscheck``).
Versions before 0.2 let Qt choose the place, ``~/.config/Crosscheck/Crosscheck.ini``;
``migrate_old_settings`` moves that file to the new place once, at start-up.

The path follows ``XDG_CONFIG_HOME`` (platformdirs), so a test that points that
variable at its own folder gets its own settings.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from desktop.core.preferences import settings_path

# The names Qt shows (application name, organisation); the files use lower case (see above).
ORGANISATION_NAME = "Crosscheck"
APPLICATION = "Crosscheck"

GEOMETRY = "window/geometry"
SPLITTER = "window/splitter"
# The claim table's columns. Not "window/table": what that saved showed every column, which squeezed
# the claim text to a few characters; the new key starts once from the default columns.
TABLE = "window/columns"
# Each workspace's filter and sort are its own (``window.workspace_view``); "window/filter" and
# "window/sort", one pair for every workspace, are no longer read. The default sort, in words:
DEFAULT_SORT = "date descending"
FOLDER = "files/folder"


RECENT = "files/recent"


def app_settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def migrate_old_settings() -> Path | None:
    """Move the settings file older versions kept under Qt's default name; the old path if moved."""
    old = Path(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Crosscheck", "Crosscheck").fileName())
    new = settings_path()
    if not old.is_file() or new.exists():  # (also when both names are one file: a case-insensitive system)
        return None
    new.parent.mkdir(parents=True, exist_ok=True)
    os.replace(old, new)
    with contextlib.suppress(OSError):
        old.parent.rmdir()  # only if nothing else is left in it
    return old


def read_bytes(settings: QSettings, key: str) -> QByteArray | None:
    value: Any = settings.value(key)
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None


def read_text(settings: QSettings, key: str, default: str = "") -> str:
    value: Any = settings.value(key, default)
    return value if isinstance(value, str) else default
