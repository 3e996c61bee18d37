"""Where Crosscheck keeps its settings, and the preferences the core needs from them (no Qt).

One name everywhere, lower case: the settings file is ``crosscheck/crosscheck.ini``
in the user's config folder (``~/.config/crosscheck/crosscheck.ini`` on Linux),
beside the workspace in the data folder (``~/.local/share/crosscheck``) and the
log in the state folder (``~/.local/state/crosscheck/log``), all by platformdirs.
The window writes it through QSettings (INI format); the command line only reads
the two preferences it needs here, with ``configparser``, so it never loads Qt.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path
from typing import Final

APP_NAME: Final = "crosscheck"

# Keys as QSettings writes them: "group/key" → [group] key=… in the INI file.
ANALYST: Final = "preferences/analyst"
ORGANISATION: Final = "preferences/organisation"
THEME: Final = "preferences/theme"
THEMES: Final = ("system", "light", "dark")


def settings_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / f"{APP_NAME}.ini"


@dataclass(frozen=True)
class Preferences:
    analyst: str = ""  # the name audit rows and judgements carry on SQLite ("" = the login name)
    organisation: str = ""  # the organisation exports name as their author
    theme: str = "system"


def read_preferences(path: Path | None = None) -> Preferences:
    """The preferences in the settings file (defaults where it or a key is missing or unreadable)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path or settings_path(), encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return Preferences()
    values = {key: _unquote(parser.get(*key.split("/", 1), fallback="")) for key in (ANALYST, ORGANISATION, THEME)}
    theme = values[THEME] if values[THEME] in THEMES else "system"
    return Preferences(values[ANALYST].strip(), values[ORGANISATION].strip(), theme)


def _unquote(value: str) -> str:
    # QSettings quotes a value that has a comma or leading/trailing spaces, and escapes \ and ".
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value.replace('\\"', '"').replace("\\\\", "\\")
