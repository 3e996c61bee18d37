"""The command line (DESIGN §4): ``crosscheck [--db PATH_OR_URL] [COMMAND …]``.

Without a command it opens the window; the commands work on the workspace
without Qt (nothing below imports PySide6, and the window's module is imported
only when the window is wanted). Heavy imports (SQLAlchemy, SQLModel) happen
inside the commands, so ``--help`` and argument errors stay instant.

Exit codes: 0 success; 1 a user error — one line ``crosscheck: error: …`` on
stderr, never a traceback (argparse's usage errors included: its own code 2 is
turned into 1). Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from desktop.core.workspace import Workspace

PROG = "crosscheck"

_DB_HELP = (
    "the workspace: a SQLite file (created if missing) or a postgresql:// URL; "
    "default: $CROSSCHECK_DB, else the workspace in your user data folder"
)
_AS_OF_HELP = (
    "derive as of this moment, over the claims and links recorded at or before it: a timestamp "
    "(2022-12-15T12:00:00Z, an offset such as +02:00, or no zone = UTC) or a date, which means the END "
    "of that day in UTC (2022-12-15 = up to 2022-12-15T23:59:59Z)"
)


class UsageError(Exception):
    """A command line argparse refused."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print usage and exit 2
        raise UsageError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Track claims from many sources, link them, and see what corroborates what.",
        epilog="Without a command, opens the window. Exit codes: 0 success, 1 error.",
    )
    parser.add_argument("--db", metavar="PATH_OR_URL", default=None, help=_DB_HELP)
    # Also after the command (``crosscheck status --db x``); SUPPRESS keeps a --db given before it.
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=_DB_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    imp = commands.add_parser(
        "import",
        parents=[common],
        help="import an interchange JSON document (all or nothing)",
        description="Import a crosscheck-workspace JSON document. All or nothing: if anything is wrong, "
        "every problem is listed on stdout with its JSON path, and nothing is written. Ids already in the "
        "workspace are refused; references may name entities already in the workspace.",
    )
    imp.add_argument("file", metavar="FILE", help="the document; - reads standard input")

    exp = commands.add_parser(
        "export",
        parents=[common],
        help="export the workspace (canonical JSON, or claims as CSV)",
        description="Write the workspace as canonical interchange JSON, or its claims as CSV (formula cells "
        "neutralised). To standard output unless -o is given.",
    )
    exp.add_argument("--format", choices=("json", "csv"), default="json", help="default: json")
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    st = commands.add_parser(
        "status",
        parents=[common],
        help="every claim's derived status",
        description="For every claim: id, status, verdict, suggested credibility, supporters, contradictors, "
        "neutral claims and echoes (interchange ids, sorted).",
    )
    st.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    st.add_argument("--as-of", metavar="T", help=_AS_OF_HELP)

    commands.add_parser(
        "check",
        parents=[common],
        help="check the workspace's integrity",
        description="Storage integrity, dangling references, links a pair of claims should not have, and "
        "stored statuses that disagree with a fresh derivation. Prints ok (exit 0) or the problems (exit 1).",
    )

    bak = commands.add_parser(
        "backup",
        parents=[common],
        help="online backup of a SQLite workspace",
        description="Copy the workspace with SQLite's online backup (safe while the window is open) and "
        "print the backup's path.",
    )
    bak.add_argument(
        "file", metavar="FILE", nargs="?", help="default: next to the workspace, named with the current UTC time"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    if args.command is None:
        from desktop.ui.app import run  # Qt only for the window

        return run(args.db)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return _fail("interrupted", code=130)
    except BrokenPipeError:  # output piped into a reader that stopped early (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        message = user_message(exc, args.db)
        if message is None:
            raise
        return _fail(message)


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


def _out(text: str) -> None:
    """A line on stdout in UTF-8 whatever the locale: claim texts and ids are in any script."""
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    sys.stdout.buffer.flush()


def _fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return code


@contextmanager
def _workspace(args: argparse.Namespace) -> Iterator[Workspace]:
    from desktop.core.workspace import open_workspace

    workspace = open_workspace(args.db)
    try:
        yield workspace
    finally:
        workspace.close()


# --- commands -----------------------------------------------------------------------------------


def _import(args: argparse.Namespace) -> int:
    from desktop.core.interchange import MAX_DOCUMENT_BYTES, ImportErrors, import_json
    from desktop.core.interchange.json_import import too_large
    from desktop.core.workspace import default_analyst

    if args.file == "-":
        data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    else:
        path = Path(args.file)
        if path.is_file() and path.stat().st_size > MAX_DOCUMENT_BYTES:  # refuse before reading it all
            from desktop.core.errors import UserError

            raise UserError(f"{path}: {too_large(path.stat().st_size)}")
        data = path.read_bytes()
    with _workspace(args) as workspace:
        try:
            report = import_json(workspace.engine, data, analyst=default_analyst())
        except ImportErrors as exc:
            # Every problem on stdout, one per line; the one-line summary goes to stderr as for any error.
            _out("\n".join(str(problem) for problem in exc.errors))
            raise
    _out(f"imported {report.summary()}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from desktop.core.interchange import export_csv, export_json

    with _workspace(args) as workspace:
        data = export_csv(workspace.engine) if args.format == "csv" else export_json(workspace.engine)
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        _write_atomically(Path(args.output), data)
    return 0


def _status(args: argparse.Namespace) -> int:
    from desktop.core.interchange.status_report import claim_statuses, parse_as_of, status_table

    as_of = parse_as_of(args.as_of) if args.as_of is not None else None
    with _workspace(args) as workspace:
        rows = claim_statuses(workspace.engine, as_of)
    _out(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else status_table(rows))
    return 0


def _check(args: argparse.Namespace) -> int:
    from desktop.core import db
    from desktop.core.store import status

    with _workspace(args) as workspace:
        problems = db.integrity_problems(workspace.engine)
        with workspace.engine.connect() as connection, connection.begin():
            problems += _reference_problems(connection)
            stale = status.stale_claims(connection)
            if stale:
                ext = {r[0]: r[1] for r in connection.exec_driver_sql("SELECT id, ext_id FROM claim")}
                problems += [f"claim {ext[c]}: stored status disagrees with a fresh derivation" for c in stale]
    if problems:
        _out("\n".join(problems))
        return _fail(f"the workspace has {len(problems)} problem{'s' if len(problems) != 1 else ''} (listed on stdout)")
    _out("ok")
    return 0


# Rows whose reference points nowhere (PostgreSQL enforces these; SQLite only with foreign_keys=ON),
# then links the store never makes: a claim linked to itself, a pair of claims linked both ways.
_REFERENCE_CHECKS = (
    ("claim", "source", "SELECT c.ext_id FROM claim c LEFT JOIN source s ON s.id = c.source_id WHERE s.id IS NULL"),
    (
        "claim",
        "report",
        "SELECT c.ext_id FROM claim c LEFT JOIN report r ON r.id = c.report_id "
        "WHERE c.report_id IS NOT NULL AND r.id IS NULL",
    ),
    (
        "report",
        "source",
        "SELECT r.ext_id FROM report r LEFT JOIN source s ON s.id = r.source_id "
        "WHERE r.source_id IS NOT NULL AND s.id IS NULL",
    ),
    (
        "claim place",
        "claim or place",
        "SELECT cp.claim_id || '/' || cp.place_id FROM claim_place cp LEFT JOIN claim c ON c.id = cp.claim_id "
        "LEFT JOIN place p ON p.id = cp.place_id WHERE c.id IS NULL OR p.id IS NULL",
    ),
    (
        "place alias",
        "place",
        "SELECT a.alias FROM place_alias a LEFT JOIN place p ON p.id = a.place_id WHERE p.id IS NULL",
    ),
    (
        "link",
        "claim",
        "SELECT l.from_id || '->' || l.to_id FROM link l LEFT JOIN claim f ON f.id = l.from_id "
        "LEFT JOIN claim t ON t.id = l.to_id WHERE f.id IS NULL OR t.id IS NULL",
    ),
    (
        "request for comment",
        "claim",
        "SELECT o.outreach_id || '/' || o.claim_id FROM outreach_claim o LEFT JOIN outreach r "
        "ON r.id = o.outreach_id LEFT JOIN claim c ON c.id = o.claim_id WHERE r.id IS NULL OR c.id IS NULL",
    ),
)
_LINK_CHECKS = (
    ("is linked to itself", "SELECT c.ext_id FROM link l JOIN claim c ON c.id = l.from_id WHERE l.from_id = l.to_id"),
    (
        "is linked to the same claim in both directions",
        "SELECT a.ext_id || ' and ' || b.ext_id FROM link x JOIN link y ON y.from_id = x.to_id "
        "AND y.to_id = x.from_id JOIN claim a ON a.id = x.from_id JOIN claim b ON b.id = x.to_id "
        "WHERE x.from_id < x.to_id",
    ),
)


def _reference_problems(connection: Any) -> list[str]:
    problems = []
    for what, target, sql in _REFERENCE_CHECKS:
        for (name,) in connection.exec_driver_sql(sql):
            problems.append(f"{what} {name} refers to a missing {target}")
    for what, sql in _LINK_CHECKS:
        for (name,) in connection.exec_driver_sql(sql):
            problems.append(f"claim {name} {what}")
    return problems


def _backup(args: argparse.Namespace) -> int:
    from desktop.core import db

    with _workspace(args) as workspace:
        target = Path(args.file) if args.file else _default_backup_path(db.sqlite_path(workspace.engine))
        _out(str(db.backup(workspace.engine, target)))
    return 0


def _default_backup_path(workspace: Path | None) -> Path:
    import datetime as dt

    from desktop.core.errors import UserError

    if workspace is None:
        raise UserError("backup works on SQLite workspaces; back up a PostgreSQL workspace with pg_dump")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = workspace.with_name(f"{workspace.stem}.backup-{stamp}.sqlite")
    counter = 1
    while candidate.exists():  # two backups within one second must not overwrite each other
        candidate = workspace.with_name(f"{workspace.stem}.backup-{stamp}-{counter}.sqlite")
        counter += 1
    return candidate


def _write_atomically(path: Path, data: bytes) -> None:
    """A crash or a full disk never leaves a half-written export under the final name."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _import,
    "export": _export,
    "status": _status,
    "check": _check,
    "backup": _backup,
}
