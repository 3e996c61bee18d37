"""A scratch workspace holding a replayed document: what the views and exports that read a database read.

``export --as-of --format csv`` and the window's "as of" mode read the
workspace as it stood through the same code that reads the live one: the
replayed document is imported (all derived columns computed by the import)
into a fresh SQLite file in a temporary folder, which is deleted afterwards.
Interchange ids, and the order of every list, are the document's.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from desktop.core import db


@contextmanager
def scratch_workspace(
    document: dict[str, Any], progress: Callable[[str, float], None] | None = None
) -> Iterator[Engine]:
    """An engine on a temporary workspace holding ``document``; removed when the block ends."""
    folder, engine = open_scratch(document, progress)
    try:
        yield engine
    finally:
        close_scratch(folder, engine)


def open_scratch(document: dict[str, Any], progress: Callable[[str, float], None] | None = None) -> tuple[Path, Engine]:
    """Like ``scratch_workspace`` for a caller that keeps it open (the window): close with ``close_scratch``."""
    from desktop.core.interchange import import_json

    folder = Path(tempfile.mkdtemp(prefix="crosscheck-as-of-"))
    engine = db.make_engine(db.resolve_location(str(folder / "as-of.sqlite")))
    try:
        db.upgrade(engine)
        import_json(engine, document, analyst="as-of", progress=progress)
    except BaseException:
        close_scratch(folder, engine)
        raise
    return folder, engine


def close_scratch(folder: Path, engine: Engine) -> None:
    engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
