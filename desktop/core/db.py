"""Opening a workspace database: engine, SQLite pragmas, migrations, backup.

A workspace is a SQLite file (default) or a PostgreSQL URL. Opening one:

1. makes an engine whose SQLite connections run in WAL mode with foreign keys,
   a busy timeout and ``synchronous=NORMAL``;
2. refuses a database whose schema revision this code does not know (it was
   written by a newer Crosscheck), before touching it;
3. if it is behind, takes an online backup (SQLite's backup API, never a file
   copy, which loses what is still in the WAL) and then runs every pending
   Alembic migration in one transaction with foreign keys off, checking them
   before the commit.

The pysqlite driver would otherwise commit DDL implicitly and never emit
``BEGIN`` itself; we take transactions over (``isolation_level=None`` plus our
own ``BEGIN``) so migrations are atomic and writes can ask for
``BEGIN IMMEDIATE`` (see ``write_connection``), which takes the write lock up
front instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from desktop.core import sqlfunctions
from desktop.core.errors import UserError
from desktop.core.locations import default_workspace_path as default_workspace_path  # re-exported
from desktop.core.locations import resolve_location as resolve_location
from desktop.core.revisions import MIGRATIONS_DIR, known_revisions

if TYPE_CHECKING:
    from sqlmodel import SQLModel

BUSY_TIMEOUT_MS = 10_000


class NewerWorkspaceError(UserError):
    """The database was written by a newer Crosscheck than this one."""


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a table model, for statements that bypass the ORM (bulk inserts, deletes)."""
    # SQLModel sets ``__table__`` on every ``table=True`` class but does not declare it in its stubs.
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    return table


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if not is_sqlite(engine) or not database or database == ":memory:":
        return None
    return Path(database)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the SQLite set-up described in the module docstring."""
    if url.startswith("sqlite:"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        _install_sqlite_hooks(engine)
        return engine
    try:
        engine = sa.create_engine(url)
    except ModuleNotFoundError as exc:  # psycopg missing
        raise UserError(f"cannot open {url.split('@')[-1]}: {exc.name} is not installed (pip install psycopg)") from exc
    _install_postgres_hooks(engine)
    return engine


def _install_postgres_hooks(engine: Engine) -> None:
    from desktop.core import pg_writes
    from desktop.core.pg_round_trips import ping_when_idle

    ping_when_idle(engine)  # what pool_pre_ping does, but not for a connection used a moment ago
    pg_writes.install(engine)  # a write's lock with its first statement; its words looked for only when written

    @event.listens_for(engine, "connect")
    def _no_jit(dbapi_connection: Any, _record: Any) -> None:
        # No JIT compilation of statements: the window's are index reads of a few milliseconds, and a plan
        # the planner overestimates (a walk of the link graph) was compiled for 0.7 s before it ran in 0.6 ms.
        # Once per connection, outside any transaction; a server without JIT (or a pooler that refuses the
        # setting) keeps its own.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            dbapi_connection.execute("SET jit = off")
        except engine.dialect.loaded_dbapi.Error:
            pass
        finally:
            dbapi_connection.autocommit = autocommit


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        sqlfunctions.register(dbapi_connection)  # the search triggers call them

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


# One key for every write to a workspace. PostgreSQL scopes advisory locks to the database,
# and a workspace is a database, so a constant is "this workspace's write lock".
WRITE_LOCK_KEY = 0x43524F5353  # "CROSS"
_LOCK_SQL = f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"


@contextlib.contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one write transaction, committed on success, rolled back on error.

    Writes to one workspace are serial on both back ends, so each one reads
    (and re-derives statuses from) a workspace that already holds every write
    committed before it. On SQLite the transaction starts with ``BEGIN IMMEDIATE``,
    which takes the database's write lock. On PostgreSQL, under READ COMMITTED,
    every statement sees what was committed when it began; two writers could each
    read the pair they are about to link before the other's link is committed,
    and both store one (in opposite directions, or as a raw unique violation), or
    derive statuses from a workspace missing the other's link. So the first
    statement of every write transaction takes the workspace's transaction-scoped
    advisory lock: the next writer waits for the commit and only then reads.

    On PostgreSQL, just before the commit, the claims this write added or whose text
    it changed get their words indexed (``search.documents.fill_pending``: the
    database cannot compute them itself). The lock is taken with the transaction's
    first statement, and a store write looks for claims to index with its audit
    rows (``core.pg_writes``: a round trip fewer each).
    """
    with engine.connect() as raw:
        connection = raw.execution_options(sqlite_begin="IMMEDIATE")
        if connection.dialect.name != "postgresql":
            with connection.begin():
                yield connection
            return
        from desktop.core import pg_writes
        from desktop.core.search.documents import fill_pending

        # The lock with the first statement; the look for claims to index with the audit rows, when a
        # store write's last statement was that look (``core.pg_writes``: a round trip fewer each).
        try:
            with connection.begin():
                pg_writes.defer_lock(connection, _LOCK_SQL)
                yield connection
                if not pg_writes.no_words_pending(connection):
                    fill_pending(connection)
        finally:
            pg_writes.finished(connection)


def lock_workspace(connection: Connection) -> None:
    """Wait for, and hold until the end of the transaction, the workspace's write lock (PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_LOCK_SQL)


# --- schema version -------------------------------------------------------------------------


def _alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection, tables: set[str] | None = None) -> str | None:
    """The schema revision (None: no ``alembic_version`` table); ``tables``: ``_table_names``, if read already."""
    if tables is None and connection.dialect.name == "postgresql":
        # One look-up of the name on the search path (the inspector's list of every table took two statements).
        if not connection.exec_driver_sql("SELECT to_regclass('alembic_version') IS NOT NULL").scalar():
            return None
    elif "alembic_version" not in (_table_names(connection) if tables is None else tables):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _table_names(connection: Connection) -> set[str]:
    """The database's tables (on SQLite one read of the schema table, not the inspector's several)."""
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("SELECT name FROM main.sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows if not name.startswith("sqlite_")}
    return set(sa.inspect(connection).get_table_names())


@dataclass(frozen=True)
class UpgradeReport:
    previous: str | None
    current: str
    backup: Path | None


def upgrade(engine: Engine, *, backup_dir: Path | None = None) -> UpgradeReport:
    """Bring the schema to the newest revision; refuse a newer database. See the module docstring."""
    from desktop.core.pg_round_trips import read_connection

    known, head = known_revisions()
    source = sqlite_path(engine)
    # SQLite: one read of the schema table for the revision and whether it holds data (what a backup is for);
    # PostgreSQL: one catalog look-up, in autocommit (no BEGIN and ROLLBACK around it).
    with read_connection(engine) as connection:
        tables = _table_names(connection) if source is not None else None
        previous = current_revision(connection, tables)
        has_data = bool(tables)
    if previous is not None and previous not in known:
        raise NewerWorkspaceError(
            f"this workspace was written by a newer version of Crosscheck (schema {previous}); "
            f"this version knows schema {head} at most — update Crosscheck to open it"
        )
    if previous == head:
        return UpgradeReport(previous, head, None)
    backup_path: Path | None = None
    if has_data and source is not None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target_dir = backup_dir or source.parent
        backup_path = target_dir / f"{source.stem}.before-{head}.{stamp}.sqlite"
        backup(engine, backup_path)
    _run_migrations(engine)
    return UpgradeReport(previous, head, backup_path)


def _run_migrations(engine: Engine) -> None:
    from alembic import command

    with engine.connect() as raw:
        # IMMEDIATE/the advisory lock: two processes opening a new workspace at once must not both
        # create its tables; the second waits for the first's commit, then Alembic finds nothing to do.
        connection = raw.execution_options(sqlite_begin="IMMEDIATE")
        # The pragma is a no-op inside a transaction, so it goes straight to the
        # driver connection (autocommit, see the module docstring) before BEGIN.
        # Batch migrations rebuild tables, which foreign keys would otherwise cascade through.
        _sqlite_pragma(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                lock_workspace(connection)
                command.upgrade(_alembic_config(connection), "head")
                if is_sqlite(engine):
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if problems:
                        raise RuntimeError(f"migration left dangling references: {problems[:5]}")
        finally:
            _sqlite_pragma(connection, "foreign_keys=ON")


def _sqlite_pragma(connection: Connection, pragma: str) -> None:
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        assert driver is not None, "an open connection has its DBAPI connection"
        driver.execute(f"PRAGMA {pragma}")


# --- backup and integrity -------------------------------------------------------------------


def backup(engine: Engine, destination: Path) -> Path:
    """Online backup of a SQLite workspace to ``destination``; safe while other connections write.

    SQLite's backup API, in ONE step (``pages=-1``): the step holds a read
    transaction on the workspace, so it copies one consistent snapshot, and in
    WAL mode writers carry on meanwhile. A stepwise backup (``pages=1024``)
    restarts from the first page whenever another connection commits between
    steps, and under a few hundred writes a second never finished. The copy is
    written to ``NAME.partial``, checked with ``quick_check`` and only then
    renamed, so a reader never sees a half-written backup. A backup that cannot
    be written (a read-only folder, ``/proc``, a full disk) is a ``UserError``,
    and the workspace is only read.
    """
    source = sqlite_path(engine)
    if source is None:
        raise UserError("backup works on SQLite workspaces; back up a PostgreSQL workspace with pg_dump")
    destination = Path(destination).expanduser().resolve()
    if destination == source.resolve():
        raise UserError("the backup file must not be the workspace itself")
    partial = destination.with_name(destination.name + ".partial")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        target = sqlite3.connect(partial)
    except (OSError, sqlite3.Error) as exc:
        raise UserError(f"cannot write the backup {destination}: {_reason(exc)}") from None
    try:
        try:
            raw = engine.raw_connection()
            try:
                dbapi = raw.driver_connection
                assert isinstance(dbapi, sqlite3.Connection)
                dbapi.backup(target, pages=-1)
            finally:
                raw.close()
            verdict = target.execute("PRAGMA quick_check").fetchone()
        finally:
            target.close()
        if verdict is None or verdict[0] != "ok":
            raise UserError(f"the backup failed its check ({verdict[0] if verdict else 'no answer'}); nothing was kept")
        os.replace(partial, destination)  # a reader never sees a half-written backup
    except sqlite3.OperationalError as exc:  # the disk filled up, the folder vanished…
        raise UserError(f"cannot write the backup {destination}: {_reason(exc)}") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return destination


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__


def integrity_problems(engine: Engine) -> list[str]:
    """Storage-level problems: SQLite's integrity and foreign-key checks (empty list = sound)."""
    problems: list[str] = []
    if not is_sqlite(engine):
        return problems
    with engine.connect() as connection:
        for (row,) in connection.exec_driver_sql("PRAGMA integrity_check").all():
            if row != "ok":
                problems.append(f"integrity: {row}")
        for table, rowid, parent, _fk in connection.exec_driver_sql("PRAGMA foreign_key_check").all():
            problems.append(f"{table} row {rowid} refers to a missing {parent}")
    return problems
