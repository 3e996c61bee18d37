"""The command line (docs/command-line.md): ``crosscheck [--db PATH_OR_URL] [COMMAND …]``.

Without a command it opens the window; the commands work on the workspace
without Qt (nothing below imports PySide6, and the window's module is imported
only when the window is wanted). Heavy imports (SQLAlchemy, SQLModel) happen
inside the commands, so ``--help`` and argument errors stay instant.

Each command lives in its own module of this package, which adds its parser
(``register``) and names the function that runs it (``set_defaults(run=…)``);
adding a command is a new module and one line in ``_COMMAND_MODULES``.

Exit codes: 0 success; 1 a user error — one line ``crosscheck: error: …`` on
stderr, never a traceback (argparse's usage errors included: its own code 2 is
turned into 1). Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desktop.about import version
from desktop.cli import (
    applying,
    backup,
    check,
    completion,
    desktop_install,
    exporting,
    finding,
    history,
    importing,
    similar,
    status,
    team,
)
from desktop.cli.base import DB_HELP, PROG, Parser, UsageError, fail, user_message

__all__ = ["build_parser", "main", "user_message"]

_COMMAND_MODULES = (
    importing,
    exporting,
    applying,
    status,
    history,
    team,
    finding,
    similar,
    check,
    backup,
    completion,
    desktop_install,
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Track claims from many sources, link them, and see what corroborates what.",
        epilog="Without a command, opens the window. Exit codes: 0 success, 1 error.",
    )
    parser.add_argument("--db", metavar="PATH_OR_URL", default=None, help=DB_HELP)
    parser.add_argument("--version", action="version", version=f"{PROG} {version()}")
    # Also after the command (``crosscheck status --db x``); SUPPRESS keeps a --db given before it.
    common = Parser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=DB_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in _COMMAND_MODULES:
        module.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return fail(str(exc))
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    if args.command is None:
        from desktop.ui.app import run  # Qt only for the window

        return run(args.db)
    from desktop import logs

    logs.start()  # a bug that escapes below is logged with its traceback (and printed as ever)
    try:
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        return fail("interrupted", code=130)
    except BrokenPipeError:  # output piped into a reader that stopped early (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        message = user_message(exc, args.db)
        if message is None:
            raise
        logs.LOGGER.warning("crosscheck %s: %s", args.command, message)
        return fail(message)
