"""``crosscheck completion bash|zsh``: a shell completion script, generated from the parser itself.

The script is generated (with shtab) from the same argparse parser that reads
the command line, so it never lags behind a new command or option. Arguments
whose metavar names a file or a path complete file names.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.base import out

SHELLS = ("bash", "zsh")
_FILE_METAVARS = ("FILE", "PATH_OR_URL", "PATH")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    comp = commands.add_parser(
        "completion",
        help="print a shell completion script (bash or zsh)",
        description="Print the completion script for SHELL on stdout. bash: "
        "crosscheck completion bash > ~/.local/share/bash-completion/completions/crosscheck ; "
        "zsh: crosscheck completion zsh > ~/.zfunc/_crosscheck (with ~/.zfunc in $fpath, before compinit).",
    )
    comp.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash or zsh")
    comp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import shtab

    from desktop.cli import build_parser

    parser = build_parser()
    _complete_files(parser, shtab.FILE)
    out(shtab.complete(parser, shell=args.shell).rstrip("\n"))
    return 0


def _complete_files(parser: argparse.ArgumentParser, files: Any) -> None:
    for action in parser._actions:  # argparse has no public walk over its actions
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                _complete_files(sub, files)
        elif action.metavar in _FILE_METAVARS:
            action.complete = files  # type: ignore[attr-defined]  # shtab reads this attribute
