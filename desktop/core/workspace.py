"""Opening a workspace: location → engine → schema up to date → store; seeding the default one.

The command line and the window both start here, so ``--db``, ``CROSSCHECK_DB``
and the default workspace mean the same thing everywhere.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from desktop.core import db
from desktop.core.store import Store

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_WORKSPACE = RESOURCES / "sample-workspace.json"


@dataclass
class Workspace:
    location: str  # the SQLAlchemy URL
    engine: Engine
    store: Store
    upgrade: db.UpgradeReport

    @property
    def label(self) -> str:
        """What the title bar shows: the file name, or the database without credentials."""
        path = db.sqlite_path(self.engine)
        if path is not None:
            return path.name
        url = self.engine.url
        return f"{url.database} on {url.host}"

    def is_empty(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM claim LIMIT 1")).first() is None

    def close(self) -> None:
        self.engine.dispose()


def default_analyst() -> str:
    try:
        return os.environ.get("CROSSCHECK_ANALYST") or getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "analyst"


def open_workspace(location: str | os.PathLike[str] | None = None, *, analyst: str | None = None) -> Workspace:
    """Open (creating and migrating as needed) the workspace at ``location`` (see ``db.resolve_location``).

    The default workspace, the first time it is created, is seeded with the
    sample built from the reference report, so a new user sees real work at once.
    """
    url = db.resolve_location(location)
    default_url = db.resolve_location(str(db.default_workspace_path()))
    is_new_default = (
        (location is None or str(location) == "")
        and not os.environ.get("CROSSCHECK_DB")
        and url == default_url
        and not db.default_workspace_path().exists()
    )
    engine = db.make_engine(url)
    try:
        report = db.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    workspace = Workspace(url, engine, Store(engine, analyst or default_analyst()), report)
    if is_new_default and workspace.is_empty():
        seed_sample(workspace)
    return workspace


def seed_sample(workspace: Workspace) -> None:
    from desktop.core.interchange import import_json

    import_json(workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
