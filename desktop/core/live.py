"""What others changed: turning new audit rows into a ``Change`` the views refresh from (DESIGN §7 "Live").

Every write — another window, another analyst, the command line — leaves audit
rows in its transaction, so the audit trail is the one record of what changed
that every process shares. ``AuditFeed`` remembers the last audit row it has seen;
``catch_up`` reads the rows after it and says which claims to repaint, in the same
``Change`` the window's own writes broadcast. A change to a claim or a link can
move the derived status of the claims around it (their clusters and evidence
neighbours), which is not audited: those are found here with the engine's own
``neighbourhood`` over the workspace as it is now.

How a window learns that there is something to read (PostgreSQL ``LISTEN``, a
SQLite file's ``data_version``) is the window's business; this module only
reads. After a dropped connection nothing is lost: the feed resumes from the last
row it had seen.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection, Engine

from desktop.core import corroboration
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.store.tx import Change

#: The channel a PostgreSQL workspace notifies after each write (migration 0007's trigger).
CHANNEL: Final = "crosscheck_changes"
#: More rows than this since the last look: reload everything rather than work out each claim.
_MANY: Final = 2000
_ENTITY_FLAGS: Final = {"source": "sources", "place": "places", "report": "reports", "outreach": "outreach"}


class AuditFeed:
    """Follows one workspace's audit trail from the moment it is made."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.connect() as connection:
            self.last_id = _last_id(connection)

    def catch_up(self) -> Change | None:
        """What the audit rows written since the last call changed (None: nothing new)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, entity, entity_id, action FROM audit WHERE id > :i ORDER BY id LIMIT :n"),
                {"i": self.last_id, "n": _MANY + 1},
            ).all()
            if not rows:
                return None
            if len(rows) > _MANY:
                self.last_id = _last_id(connection)
                return Change(everything=True)
            self.last_id = rows[-1][0]
            return _change_of(connection, [tuple(r) for r in rows])


def _last_id(connection: Connection) -> int:
    return int(connection.execute(text("SELECT coalesce(max(id), 0) FROM audit")).scalar_one())


def _change_of(connection: Connection, rows: list[tuple[Any, ...]]) -> Change:
    change = Change()
    claim_ext: set[str] = set()
    for _id, entity, entity_id, action in rows:
        if entity == "workspace" or action == "import" or (entity == "claim" and action in ("create", "delete")):
            change.everything = True  # rows enter or leave the table: recount (the table keeps its place)
        elif entity == "claim":
            claim_ext.add(entity_id)
        elif entity == "link":
            change.links = True
            claim_ext.update(entity_id.split("->", 1))
        elif entity in _ENTITY_FLAGS:
            setattr(change, _ENTITY_FLAGS[entity], True)
    if change.everything or not claim_ext:
        return change
    query = text("SELECT id, ext_id FROM claim WHERE ext_id IN :e").bindparams(bindparam("e", expanding=True))
    found = {ext: ident for ident, ext in connection.execute(query, {"e": sorted(claim_ext)})}
    gone = {ext for ext in claim_ext if ext not in found}
    if gone:
        change.everything = True  # a claim deleted elsewhere: its row must leave every view
        return change
    ids = set(found.values())
    change.claims = corroboration.neighbourhood(SqlGraph(connection), ids) | ids
    change.status_changed = set(change.claims)
    return change
