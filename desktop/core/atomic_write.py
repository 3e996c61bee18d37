"""Writing a file so that a crash, a full disk or a refused write never leaves half of it under its name.

The data goes to ``NAME.partial`` beside the target and is renamed over it only
when it is complete (``os.replace`` is atomic on one file system). The command
line's ``export`` and the window's File ▸ Export both write through here.
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop.core.errors import UserError


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; an ``OSError`` becomes a one-line ``UserError``."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UserError(f"cannot write {path}: {error.strerror or error}") from error
        raise
