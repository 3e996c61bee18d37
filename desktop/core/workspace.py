"""Opening a workspace: location → engine → schema up to date → store; seeding the default one.

The command line and the window both start here, so ``--db``, ``CROSSCHECK_DB``
and the default workspace mean the same thing everywhere. A caller that only
reads passes ``create=False``: a SQLite path that holds no workspace is then a
one-line error, and nothing is created (no file, no folder). The default
workspace is the exception: it is created, seeded, on first use (``seeding``).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy import make_url, text
from sqlalchemy.engine import Engine

from desktop.core import db, seeding, workspace_file
from desktop.core.errors import UserError
from desktop.core.store import Store
from desktop.resources import resource

SAMPLE_WORKSPACE = resource("sample-workspace.json")
GAZETTEER = resource("gazetteer.json")


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

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for a PostgreSQL workspace)."""
        return db.sqlite_path(self.engine)

    def is_empty(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM claim LIMIT 1")).first() is None

    def close(self) -> None:
        self.engine.dispose()
        _park(self.location, self.engine)


# Engines of workspaces closed in this process, by URL (the few most recent). Opening one of them
# again — File ▸ Open, going back to the previous workspace — takes its engine back, with the
# statements it has compiled, instead of compiling every query of the table and the filters again
# (SQLAlchemy caches compiled SQL per engine). A parked engine holds no connection (disposed).
_PARKED_LIMIT = 4
_parked: dict[str, Engine] = {}


def _park(location: str, engine: Engine) -> None:
    _parked.pop(location, None)
    _parked[location] = engine
    while len(_parked) > _PARKED_LIMIT:
        del _parked[next(iter(_parked))]


def default_analyst() -> str:
    """The analyst name on SQLite, in the contract's order (docs/command-line.md): the Preferences' name,
    else ``CROSSCHECK_ANALYST``, else the login name."""
    from desktop.core.preferences import read_preferences

    try:
        return read_preferences().analyst or os.environ.get("CROSSCHECK_ANALYST") or getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "analyst"


def open_workspace(
    location: str | os.PathLike[str] | None = None, *, analyst: str | None = None, create: bool = True
) -> Workspace:
    """Open (migrating as needed) the workspace at ``location`` (see ``db.resolve_location``).

    The default workspace is created the first time, seeded with the sample built
    from the reference report and the shipped gazetteer, so a new user sees real
    work at once. Any other SQLite path is created only when ``create`` is true.
    """
    url = db.resolve_location(location)
    is_default = _is_default(location, url)
    if is_default and not db.default_workspace_path().exists():
        seeding.create_seeded(db.default_workspace_path())
    elif not create:
        require_existing(url)
    path = _sqlite_file(url)
    if path is not None:
        # Looked at read-only first: opening it for real would switch it to WAL, and migrating would
        # add our tables to another program's database (see workspace_file).
        state = workspace_file.vet(path)
        if state is workspace_file.FileState.EMPTY and not create and not is_default:
            raise UserError(
                f"{path} holds no workspace yet (an empty file); `crosscheck import FILE --db PATH` fills it"
            )
    engine = _parked.pop(url, None) or db.make_engine(url)
    try:
        report = db.upgrade(engine)
        if is_default:
            seeding.seed_if_never_used(engine)  # left empty by an interrupted start of an older version
    except sa_exc.DatabaseError as exc:
        engine.dispose()
        if path is None:
            raise
        # Damage the look at the header could not see (a page of the schema or of alembic_version).
        raise workspace_file.DamagedWorkspace(f"{path} is damaged: {getattr(exc, 'orig', exc)}") from None
    except BaseException:
        engine.dispose()
        raise
    if engine.dialect.name == "postgresql":
        # DESIGN §7: on PostgreSQL the analyst is the database login (the database enforces it too).
        from desktop.core.pg_round_trips import read_connection

        with read_connection(engine) as connection:  # (autocommit: no BEGIN and ROLLBACK around one read)
            analyst = str(connection.execute(text("SELECT current_user")).scalar_one())
    return Workspace(url, engine, Store(engine, analyst or default_analyst()), report)


def _is_default(location: str | os.PathLike[str] | None, url: str) -> bool:
    return (
        (location is None or str(location) == "")
        and not os.environ.get("CROSSCHECK_DB")
        and url == db.resolve_location(str(db.default_workspace_path()))
    )


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def require_existing(url: str) -> None:
    """A one-line ``UserError`` unless the SQLite workspace at ``url`` exists (other databases: no check)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    path = Path(parsed.database)
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a workspace file")
    if not path.exists():
        raise UserError(f"no workspace at {path} (check the path; `crosscheck import FILE --db PATH` creates one)")
