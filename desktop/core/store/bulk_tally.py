"""The kept number of claims after a bulk import: added once, not claim by claim (SQLite only).

Migration 0015 keeps ``crosscheck_tally``'s ``claims`` row with row triggers
(``read.tally``): one update of that row for every claim inserted. Measured
(CPU, 100k claims from the 100k bench workspace into an empty claim table
with its indexes dropped, as an import into a new workspace writes them): 0.27 s
with the trigger against 0.13 s without — 0.135 s, about 7 % of the 2 s an
import of 100k claims may take at the issue's 50k claims/s.
``insert_trigger_suspended`` drops the insert trigger for the duration of a bulk
insert of claims, then adds the claims inserted inside (ids above the largest
before it: a claim without an id gets the largest + 1) in one statement and
recreates the trigger from the very SQL the workspace stored for it. SQLite's
DDL is transactional, so a failed import's rollback restores the trigger and
the number with everything else. The delete trigger stays: claims deleted
inside still count.

A workspace without that trigger (PostgreSQL, whose statement triggers already
run once per statement) is left alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Final

from sqlalchemy.engine import Connection

from desktop.core.read.tally import TABLE

TRIGGER: Final = "claim_tally_insert"


@contextlib.contextmanager
def insert_trigger_suspended(connection: Connection) -> Iterator[None]:
    """Inside: no per-claim count; on the way out the claims inserted inside are counted, once."""
    run = connection.exec_driver_sql
    stored = None
    if connection.dialect.name == "sqlite":
        stored = run("SELECT sql FROM main.sqlite_master WHERE type = 'trigger' AND name = ?", (TRIGGER,)).scalar()
    if stored is None:
        yield
        return
    after = int(run("SELECT coalesce(max(id), 0) FROM main.claim").scalar_one())
    run(f"DROP TRIGGER main.{TRIGGER}")
    try:
        yield
        run(
            f"UPDATE main.{TABLE} SET value = value + (SELECT count(*) FROM main.claim WHERE id > ?) "
            "WHERE name = 'claims'",
            (after,),
        )
    except BaseException:
        # The rollback that must follow restores the trigger anyway (see bulk_fts).
        with contextlib.suppress(Exception):
            run(str(stored))
        raise
    run(str(stored))
