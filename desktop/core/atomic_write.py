"""Writing a file so that a crash, a full disk or a refused write never leaves half of it under its name.

The data goes to ``NAME.partial`` beside the target and is renamed over it only
when it is complete (``os.replace`` is atomic on one file system). The command
line's ``export`` and the window's File ▸ Export both write through here; a
large export streams into ``atomic_file`` piece by piece rather than building
the whole file in memory first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from desktop.core.errors import UserError


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: renamed into place when the block ends, removed when it raises
    (a cancel, a bug, a full disk); an ``OSError`` becomes a one-line ``UserError``."""
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as out:
            yield out
        os.replace(partial, path)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UserError(f"cannot write {path}: {error.strerror or error}") from error
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; an ``OSError`` becomes a one-line ``UserError``."""
    with atomic_file(path) as out:
        out.write(data)
