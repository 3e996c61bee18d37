"""How many claims a workspace holds, kept by triggers (migrations 0010 and 0015), and whether its sources changed.

The table counts every claim when it opens and after a bulk change ("N claims").
Counting is not free: SQLite reads a million index entries in about 4 ms (a
quarter of the first paint at that size); PostgreSQL has to visit them (an
index-only scan: ~100 ms at a million claims, a fifth of a second on a busy
machine). So triggers keep the number in ``crosscheck_tally`` (row ``claims``)
as claims are inserted and deleted, in the same transaction (a reader sees the
count of its own snapshot; a rollback takes the change back with the claims),
and counting all claims reads one row.

- PostgreSQL (0010): statement-level triggers (one update per statement). They
  run with the owner's rights (``SECURITY DEFINER``), so a team member needs no
  right on the table but to read it.
- SQLite (0015): row triggers (+1, −1), SQLite having no others. The bulk
  import suspends the insert trigger and adds its claims in one statement
  (``store.bulk_tally``).

``recount`` sets it from the claims themselves (a load that bypassed the
triggers; ``crosscheck check``'s repair), ``stale`` tells ``check`` it is wrong.

On PostgreSQL the same table holds a version of the source table, which grows
with every statement that changes it: the filter compiler keeps the sources
folded while it stays the same (``search.sources``), as it does on SQLite while
``PRAGMA data_version`` does.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from desktop.core.read.first_screen import KEPT_CLAIMS

TABLE = "crosscheck_tally"


def claims(connection: Connection) -> int:
    """The number of claims, as kept."""
    return int(connection.execute(text(KEPT_CLAIMS)).scalar_one())


def sources_version(connection: Connection) -> int | None:
    """The source table's version, when it is committed state (None: SQLite, or this transaction wrote).

    A transaction that has written (an id assigned) may have changed sources it could
    still roll back, and a version seen then could come back with other contents.
    """
    return _version(connection, "sources")


def places_version(connection: Connection) -> int | None:
    """The gazetteer's version (places and aliases; migration 0014), as ``sources_version``."""
    return _version(connection, "places")


def _version(connection: Connection, name: str) -> int | None:
    return versions(connection).get(name)


VERSIONED = ("sources", "places")


def versions(connection: Connection) -> dict[str, int | None]:
    """Both versions (``sources_version``, ``places_version``) in one read: a filter asks for both.

    Empty on SQLite; a name maps to None when this transaction wrote (see ``sources_version``).
    """
    if connection.dialect.name != "postgresql":
        return {}
    from desktop.core.pg_pipeline import fetch_together

    names = ", ".join(f"'{name}'" for name in VERSIONED)
    read = text(f"SELECT name, value, pg_current_xact_id_if_assigned() IS NULL FROM {TABLE} WHERE name IN ({names})")
    # Often a new filter's first read: through the pipeline, its snapshot's BEGIN goes with it (one round trip).
    (found,) = fetch_together(connection, [(read, {})])
    return {name: int(value) if committed else None for name, value, committed in found.rows}


def recount(connection: Connection) -> None:
    """Set the kept number from the claims themselves."""
    connection.execute(text(f"UPDATE {TABLE} SET value = (SELECT count(*) FROM claim) WHERE name = 'claims'"))


def stale(connection: Connection) -> tuple[int, int] | None:
    """(kept, counted) when the kept number is wrong (``crosscheck check``), else None."""
    kept = claims(connection)
    counted = int(connection.execute(text("SELECT count(*) FROM claim")).scalar_one())
    return None if kept == counted else (kept, counted)
