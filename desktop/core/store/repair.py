"""Mending what can be mended in place: the full-text index, and the derived statuses with the kept count.

Both are rebuilt from the claims, sources and links themselves (the facts are
never touched), each in one write transaction. They are derived data, never
audited (see ``desktop.core.schema``). The caller takes an online backup first
(``Tools → Check workspace`` and ``crosscheck check`` both do).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from desktop.core.db import write_connection
from desktop.core.fts_schema import SOURCE_TEXT
from desktop.core.integrity import Repair
from desktop.core.read import tally
from desktop.core.store import status
from desktop.core.store.bulk_fts import _index_claims_after, set_pending_from

DONE = {
    "search-index": "rebuilt the search index",
    # ``rederive_statuses``: the pairs' effective links first (statuses follow from them), then the count.
    "statuses": "re-derived every linked pair's effective link and every claim's status, and recounted the claims",
}


def rebuild_search_index(engine: Engine) -> None:
    """Empty and refill SQLite's claim index exactly as the triggers would have filled it (PostgreSQL: the
    words of every claim, ``search.documents``)."""
    if engine.dialect.name == "postgresql":
        from desktop.core.search.documents import rebuild

        with write_connection(engine) as connection:
            rebuild(connection)
        return
    if engine.dialect.name != "sqlite":
        return
    with write_connection(engine) as connection:
        connection.exec_driver_sql("DELETE FROM main.claim_fts")
        _index_claims_after(connection, 0, SOURCE_TEXT)
        set_pending_from(connection, 0)  # nothing waits for the index any more


def rederive_statuses(engine: Engine) -> int:
    """Recompute every claim's derived columns (and the kept count of claims); how many claims changed."""
    with write_connection(engine) as connection:
        tally.recount(connection)
        return len(status.rederive_all(connection))


def repair(engine: Engine, repairs: list[Repair]) -> list[str]:
    """Run ``repairs`` in order; what was done, in words."""
    done = []
    for what in repairs:
        if what == "search-index":
            rebuild_search_index(engine)
        else:
            rederive_statuses(engine)
        done.append(DONE[what])
    return done
