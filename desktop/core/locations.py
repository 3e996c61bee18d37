"""Where a workspace is: ``--db``, ``CROSSCHECK_DB`` or the default file, as a SQLAlchemy URL.

Kept apart from ``db`` (which it re-exports from) so the window's fast start can
resolve the location before SQLAlchemy is imported.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final


def default_workspace_path() -> Path:
    """The default workspace: a SQLite file in the platform's user data folder."""
    from platformdirs import user_data_path

    return user_data_path("crosscheck", appauthor=False) / "workspace.sqlite"


SQLITE_URL: Final = "sqlite:///"  # before a SQLite workspace's absolute path


def resolve_location(location: str | os.PathLike[str] | None) -> str:
    """``--db`` argument, else ``CROSSCHECK_DB``, else the default workspace, as a SQLAlchemy URL."""
    if location is None or str(location) == "":
        location = os.environ.get("CROSSCHECK_DB") or default_workspace_path()
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith(("postgresql+", "sqlite:")):
        return text
    path = Path(text).expanduser()
    return SQLITE_URL + str(path.resolve())
