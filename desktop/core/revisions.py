"""The schema revisions this code knows, read from the migration files without Alembic or SQLAlchemy.

``db.upgrade`` compares a workspace's ``alembic_version`` with them; the start-up
path (``desktop.core.read.first_screen``) checks the same cheaply before any
database library is imported.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([^'\"\s]+)['\"]?\s*$", re.MULTILINE)


@functools.cache
def known_revisions() -> tuple[frozenset[str], str]:
    """All revisions this code knows, and the newest.

    Read from the migration files' ``revision``/``down_revision`` lines rather than
    through Alembic, which costs ~170 ms and ~16 MB on every open for nothing
    when the workspace is already current (a test checks both readings agree).
    Our history is linear: the head is the revision nothing revises.
    """
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            down = found.get("down_revision")
            revisions[found["revision"]] = None if down in (None, "None") else down
    heads = set(revisions) - {down for down in revisions.values() if down is not None}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must form one line of history; heads: {sorted(heads)}")
    return frozenset(revisions), heads.pop()
