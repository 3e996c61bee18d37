"""What every command shares: the parser class, one-line errors, UTF-8 output, opening the workspace."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from desktop.core.interchange.json_validate import Problem
    from desktop.core.workspace import Workspace

PROG = "crosscheck"

DB_HELP = (
    "the workspace: a SQLite file or a postgresql:// URL; default: $CROSSCHECK_DB, else the workspace "
    "in your user data folder (created with the sample on first use). Only import and the window "
    "create a workspace at a path that has none"
)


class UsageError(Exception):
    """A command line argparse refused."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print usage and exit 2
        raise UsageError(f"{message} (see {self.prog} --help)")


def user_message(exc: BaseException, location: str | None = None) -> str | None:
    """The one-line message for an error the user can act on; None for a bug."""
    from sqlalchemy import exc as sa_exc

    from desktop.core.errors import UserError

    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    if isinstance(exc, sa_exc.DBAPIError | sa_exc.ArgumentError):
        cause = getattr(exc, "orig", None) or exc
        return f"cannot use the workspace {_shown(location)}: {str(cause).strip()}"
    return None


def _shown(location: str | None) -> str:
    """The workspace as the user should see it: a path, or a URL without its password."""
    try:
        from sqlalchemy.engine import make_url

        from desktop.core import db

        url = make_url(db.resolve_location(location))
        return url.database or "" if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 — only decoration for a message; never hide the real error
        return location or "(default)"


def out(text: str) -> None:
    """A line on stdout in UTF-8 whatever the locale: claim texts and ids are in any script."""
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    sys.stdout.buffer.flush()


def out_problems(problems: list[Problem], *, as_json: bool) -> None:
    """Every problem of a refused document on stdout, a line each or as JSON (the summary goes to stderr)."""
    if as_json:
        import json

        out(json.dumps({"errors": [p._asdict() for p in problems]}, ensure_ascii=False, indent=2))
    else:
        out("\n".join(str(problem) for problem in problems))


def fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return code


@contextmanager
def workspace(args: argparse.Namespace, *, create: bool) -> Iterator[Workspace]:
    """The workspace ``--db`` names; ``create=False`` (a command that only reads): a missing one is an error.

    Claims a window's import left waiting for the search index are indexed first, so every command
    sees a complete index (``store.search_index``)."""
    from desktop.core.store.search_index import index_pending
    from desktop.core.workspace import open_workspace

    created = _file_it_would_create(args.db) if create else None
    try:
        opened = open_workspace(args.db, create=create)
        try:
            index_pending(opened.engine)
            yield opened
        finally:
            opened.close()
    except BaseException:
        if created is not None:
            _discard(created)
        raise


def _file_it_would_create(location: str | None) -> Path | None:
    """The SQLite file a creating command would make at ``location`` (None: it exists, or is not a named file).

    A command that fails must leave nothing behind, and an import refused after its workspace was
    created would leave a new, empty workspace at what may be a mistyped path. The default workspace
    is not counted: it is created with the sample on first use whatever the command does next."""
    from sqlalchemy.engine import make_url

    from desktop.core import db

    url = make_url(db.resolve_location(location))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    if path.exists() or path.resolve() == db.default_workspace_path().resolve():
        return None
    return path


def _discard(path: Path) -> None:
    """Remove the workspace file this command created, with SQLite's side files."""
    for leftover in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        leftover.unlink(missing_ok=True)
