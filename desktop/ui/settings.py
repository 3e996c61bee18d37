"""What the main window remembers between runs, in QSettings (organisation and application "Crosscheck").

The settings object is always built from ``QSettings.defaultFormat()``, so a test
(or a portable install) that switches to ``IniFormat`` under its own folder with
``QSettings.setPath`` redirects every read and write here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "Crosscheck"
APPLICATION = "Crosscheck"

GEOMETRY = "window/geometry"
SPLITTER = "window/splitter"
TABLE = "window/table"
FILTER = "window/filter"
FOLDER = "files/folder"


def app_settings() -> QSettings:
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


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
