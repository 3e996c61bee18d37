"""One write transaction: the session, the audit trail and what changed.

Every store method opens exactly one ``Tx``. It is one database transaction
(``BEGIN IMMEDIATE`` on SQLite), it writes an audit row per changed field, and it
collects a ``Change`` that the window broadcasts after the commit so that the
table, the detail pane and the lists refresh themselves (Anki's pattern).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel

from desktop.core import pg_writes
from desktop.core.db import table_of, write_connection
from desktop.core.errors import Refused
from desktop.core.pg_pipeline import fetch_together
from desktop.core.schema import AuditEntry

if TYPE_CHECKING:
    from desktop.core.corroboration.sql_graph import SqlGraph
    from desktop.core.store.api import Store


_INSUFFICIENT_PRIVILEGE = "42501"
_AUDIT_ROWS_TOGETHER = 200  # PostgreSQL: up to this many audit rows as one INSERT … VALUES, with the look for words


@dataclass
class Change:
    """What one write changed, for the views to refresh from. Ids are internal claim ids."""

    claims: set[int] = field(default_factory=set)  # rows to repaint: data or derived status changed
    added_claims: set[int] = field(default_factory=set)
    removed_claims: set[int] = field(default_factory=set)
    status_changed: set[int] = field(default_factory=set)
    sources: bool = False
    places: bool = False
    reports: bool = False
    outreach: bool = False
    links: bool = False
    everything: bool = False  # a bulk operation: reload all
    # The audit rows the change covers, (after, upto] by id: a write's own rows (its transaction holds
    # the write lock, so no one else's come between), or those a live feed read (``desktop.core.live``).
    audit_span: tuple[int, int] | None = None
    remote: bool = False  # committed elsewhere (another window, analyst or script), heard by the live feed
    # What the write audited, and when: the history panel marks the steps the window can still undo.
    audited: set[tuple[str, str, str]] = field(default_factory=set)  # (entity, interchange id, field)
    at: dt.datetime | None = None
    # The write found everything as it already was: it wrote no audit row, so there is nothing to
    # undo and nothing to repaint (e.g. a credibility key pressed twice). Set by ``transaction``.
    unchanged: bool = False

    def merge(self, other: Change) -> Change:
        self.claims |= other.claims
        self.added_claims |= other.added_claims
        self.removed_claims |= other.removed_claims
        self.status_changed |= other.status_changed
        self.sources |= other.sources
        self.places |= other.places
        self.reports |= other.reports
        self.outreach |= other.outreach
        self.links |= other.links
        self.everything |= other.everything
        self.unchanged &= other.unchanged
        self.audited |= other.audited
        self.at = other.at or self.at
        spans = sorted(span for span in (self.audit_span, other.audit_span) if span is not None)
        # Only adjacent spans join: a gap between two writes may hold someone else's rows.
        joined = len(spans) == 2 and spans[0][1] == spans[1][0]
        self.audit_span = (spans[0][0], spans[1][1]) if joined else (spans[0] if len(spans) == 1 else None)
        return self


@dataclass
class Result:
    """The outcome of a write: what changed, the new entity's id if any, and how to revert it.

    ``undo(store)`` performs the inverse write and returns its own ``Result``, whose
    ``undo`` redoes the original — so an undo stack needs nothing else.
    """

    change: Change
    undo: Callable[[Store], Result]
    description: str
    value: Any = None


def jsonable(value: Any) -> Any:
    """A value as it is written into an audit row."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


Clock = Callable[[], dt.datetime]


class Tx:
    def __init__(self, connection: Connection, session: Session, analyst: str, clock: Clock = utcnow) -> None:
        self.connection = connection
        self.session = session
        self.analyst = analyst
        # One moment for the whole transaction: every audit row and recorded time of one write agree.
        self.now = clock().astimezone(dt.UTC).replace(microsecond=0)
        self.change = Change()
        self._audit_rows: list[dict[str, Any]] = []
        self.audited = 0  # audit rows written so far: every real change writes at least one
        self._audit_after: int | None = None  # the last audit row before this write's own
        self.status_dirty: set[int] = set()  # claims whose derived status must be recomputed
        # A graph a write read and kept true after its change (links: ``SqlGraph.forget``), with the number of
        # audit rows at that moment: the status refresh reuses it only if no write came after (each is audited).
        self.graph: tuple[SqlGraph, int] | None = None

    def keep_graph(self, graph: SqlGraph) -> None:
        """Let the status refresh read through ``graph`` (true for the workspace as this write left it)."""
        self.graph = (graph, self.audited + len(self._audit_rows))

    def kept_graph(self) -> SqlGraph | None:
        """The graph ``keep_graph`` kept, if no write came after it."""
        if self.graph is None or self.graph[1] != self.audited + len(self._audit_rows):
            return None
        return self.graph[0]

    def audit(
        self,
        entity: str,
        entity_id: str,
        action: str,
        field_name: str = "",
        old: Any = None,
        new: Any = None,
    ) -> None:
        self.change.audited.add((entity, entity_id, field_name))
        self.change.at = self.now
        self._audit_rows.append(
            {
                "at": self.now,
                "analyst": self.analyst,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "field": field_name,
                "old": jsonable(old),
                "new": jsonable(new),
            }
        )

    def audit_fields(self, entity: str, entity_id: str, action: str, values: dict[str, Any]) -> None:
        """One audit row per field of a created (old=None) or deleted (new=None) entity."""
        for name, value in values.items():
            if action == "create":
                self.audit(entity, entity_id, action, name, None, value)
            else:
                self.audit(entity, entity_id, action, name, value, None)

    def flush_audit(self) -> None:
        if not self._audit_rows:
            return
        audit = table_of(AuditEntry)
        if self.connection.dialect.name == "postgresql":
            ids = self._inserted_audit_ids(audit)
            if self._audit_after is None:
                self._audit_after = min(ids) - 1
            last = max(ids)
        else:
            if self._audit_after is None:  # the write lock is held: every row from here on is ours
                self._audit_after = _last_audit_id(self.connection)
            self.connection.execute(insert(audit), self._audit_rows)
            last = _last_audit_id(self.connection)
        self.audited += len(self._audit_rows)
        self._audit_rows.clear()
        self.change.audit_span = (self._audit_after, last)

    def _inserted_audit_ids(self, audit: Any) -> list[int]:
        """PostgreSQL: insert the audit rows, their ids back in one round trip, not three (the write lock is held,
        so they follow every earlier row's); the look for claims to index before the commit goes with them
        (``core.pg_writes``)."""
        rows = self._audit_rows
        if len(rows) > _AUDIT_ROWS_TOGETHER:  # (an import's thousands of rows: one executemany)
            return list(self.connection.execute(insert(audit).returning(audit.c.id), rows).scalars())
        inserted, pending = fetch_together(
            self.connection, [(insert(audit).values(rows).returning(audit.c.id), {}), (pg_writes.ANY_PENDING, {})]
        )
        if not pending.rows:
            pg_writes.words_checked(self.connection)
        return [int(row[0]) for row in inserted.rows]

    def new_ext_id(self, model: type[SQLModel], prefix: str) -> str:
        """A fresh interchange id such as ``c-3f9a2b1c`` for something made in the window."""
        column = table_of(model).c.ext_id
        while True:
            candidate = f"{prefix}-{secrets.token_hex(4)}"
            if self.connection.execute(select(column).where(column == candidate)).first() is None:
                return candidate


def _last_audit_id(connection: Connection) -> int:
    return int(connection.execute(text("SELECT coalesce(max(id), 0) FROM audit")).scalar_one())


@contextlib.contextmanager
def transaction(engine: Engine, analyst: str, finish: Callable[[Tx], None], clock: Clock = utcnow) -> Iterator[Tx]:
    """Open one write transaction; ``finish`` runs just before the commit (status refresh, audit).

    A write the database refuses for lack of privilege (a reviewer's edit on a PostgreSQL team
    workspace, a revoked role) becomes a ``Refused`` saying in one line what the login's role allows.
    """
    try:
        with write_connection(engine) as connection:
            with Session(bind=connection, expire_on_commit=False, autoflush=True) as session:
                tx = Tx(connection, session, analyst, clock)
                yield tx
                session.flush()
                finish(tx)
                session.flush()
                tx.flush_audit()
                tx.change.unchanged = tx.audited == 0
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
            raise
        from desktop.core import team

        raise Refused(team.refusal(engine)) from None
