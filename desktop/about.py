"""Which Crosscheck this is, and what it runs on: for ``--version`` and ``Help → Report a problem``.

No Qt import at module level: the command line reads the version without loading Qt.
"""

from __future__ import annotations

import platform
import sqlite3
import sys
from importlib import metadata

DISTRIBUTION = "crosscheck"


def version() -> str:
    """The installed distribution's version (a checkout without an install says so)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown (not installed)"


def versions() -> dict[str, str]:
    """Crosscheck and what it runs on, by name, in the order a bug report wants them."""
    found = {
        "Crosscheck": version(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Platform": platform.platform(),
        "SQLite": sqlite3.sqlite_version,
    }
    for name, label in (("SQLAlchemy", "SQLAlchemy"), ("sqlmodel", "SQLModel"), ("PySide6-Essentials", "PySide6")):
        try:
            found[label] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    qt = sys.modules.get("PySide6.QtCore")
    if qt is not None:  # only when the window is running: never import Qt for this
        found["Qt"] = qt.qVersion()
        application = qt.QCoreApplication.instance()
        gui = sys.modules.get("PySide6.QtGui")
        if application is not None and gui is not None:
            found["Qt platform"] = gui.QGuiApplication.platformName()
    return found
