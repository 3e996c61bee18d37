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

import json
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
        # Audit rows this window wrote itself (``Change.audit_span`` of its own writes): it has shown
        # them already, and telling the table twice that a claim was added would count it twice.
        self._own: list[tuple[int, int]] = []

    def skip(self, span: tuple[int, int]) -> None:
        """Leave out the audit rows in ``span`` (after, upto] when catching up: this window wrote them."""
        if span[1] > self.last_id:
            self._own.append(span)

    def catch_up(self) -> Change | None:
        """What the audit rows written since the last call changed (None: nothing new)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, entity, entity_id, action, field, old FROM audit WHERE id > :i ORDER BY id LIMIT :n"),
                {"i": self.last_id, "n": _MANY + 1},
            ).all()
            if not rows:
                return None
            after = self.last_id
            if len(rows) > _MANY:
                self.last_id = _last_id(connection)
                self._own.clear()
                return Change(everything=True, remote=True, audit_span=(after, self.last_id))
            self.last_id = rows[-1][0]
            own, self._own = self._own, [span for span in self._own if span[1] > self.last_id]
            theirs = [tuple(r) for r in rows if not any(low < r[0] <= high for low, high in own)]
            if not theirs:
                return None
            change = _change_of(connection, theirs)
            change.remote = True
            change.audit_span = (after, self.last_id)
            return change


def _last_id(connection: Connection) -> int:
    return int(connection.execute(text("SELECT coalesce(max(id), 0) FROM audit")).scalar_one())


def _change_of(connection: Connection, rows: list[tuple[Any, ...]]) -> Change:
    """The ``Change`` of audit rows (id, entity, entity_id, action, field, old), claims named by internal id.

    Claims created or imported are ``added_claims``, claims deleted ``removed_claims`` (their internal id
    is kept in the deletion's ``id`` row), so the table can insert and remove just those rows; a claim
    both made and deleted since the last look never reached any view and is left out. Sources, places
    and reports just made or imported are new: no row shows them yet, so they repaint nothing.
    """
    change = Change()
    touched: set[str] = set()  # interchange ids of claims whose row or derived status may have changed
    created: set[str] = set()
    deleted: dict[str, int] = {}
    deletions: set[str] = set()
    for _id, entity, entity_id, action, field, old in rows:
        if entity == "workspace":
            if action != "import":
                change.everything = True  # a repair or a rebuild: read everything again
        elif entity == "claim":
            if action in ("create", "import"):
                created.add(entity_id)
                deleted.pop(entity_id, None)
            elif action == "delete":
                deletions.add(entity_id)
                if field == "id" and old is not None:
                    deleted[entity_id] = int(old if not isinstance(old, str) else json.loads(old))
            else:
                touched.add(entity_id)
        elif entity == "link":
            change.links = True
            touched.update(entity_id.split("->", 1))
        elif entity in _ENTITY_FLAGS and (entity == "outreach" or action not in ("import", "create")):
            # A new source, place or report is on no row yet; a changed one may be on many.
            setattr(change, _ENTITY_FLAGS[entity], True)
    if change.everything or deletions - deleted.keys():
        change.everything = True  # a deletion whose internal id was not audited: recount
        return change
    for ext_id, ident in deleted.items():
        if ext_id not in created:  # made and deleted since the last look: never shown anywhere
            change.removed_claims.add(ident)
    named = sorted(touched | created)
    found: dict[str, int] = {}
    if named:
        query = text("SELECT id, ext_id FROM claim WHERE ext_id IN :e").bindparams(bindparam("e", expanding=True))
        found = {ext: ident for ident, ext in connection.execute(query, {"e": named})}
    change.added_claims = {found[ext] for ext in created if ext in found}
    # The claims still here whose derived status the change can reach: their clusters and evidence neighbours.
    ids = {found[ext] for ext in touched if ext in found} | change.added_claims
    if ids:
        reach = corroboration.neighbourhood(SqlGraph(connection), ids) | ids
        change.claims = reach - change.added_claims
        change.status_changed = set(change.claims)
    return change
