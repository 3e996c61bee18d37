"""What every group of store writes shares: the transaction, field updates with audit, snapshots."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from desktop.core import validate
from desktop.core.db import table_of
from desktop.core.errors import NotFound, Refused, UserError
from desktop.core.schema import DERIVED_CLAIM_COLUMNS, Claim
from desktop.core.store import status
from desktop.core.store.conflicts import Conflict, last_change
from desktop.core.store.tx import Clock, Tx, jsonable, transaction, utcnow

M = TypeVar("M", bound=SQLModel)


class Entity(Protocol):
    """A stored entity that the audit trail names by its interchange id (every model but links)."""

    ext_id: str


class InvalidValue(UserError):
    """A field value the store refuses; the message names the field."""


class StoreBase:
    def __init__(self, engine: Engine, analyst: str = "analyst", clock: Clock = utcnow) -> None:
        self.engine = engine
        self.analyst = analyst
        # When each write happens (audit ``at``, ``recorded``): the wall clock, or a test's own.
        self.clock = clock
        self._open = threading.local()  # the transaction a ``batch`` holds open on this thread

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        """One write transaction — or, inside ``batch``, the batch's own (so the batch stays one)."""
        held: Tx | None = getattr(self._open, "tx", None)
        if held is not None:
            yield held
            return
        with transaction(self.engine, self.analyst, self._finish, self.clock) as tx:
            self._open.tx = tx
            try:
                yield tx
            finally:
                self._open.tx = None

    @contextmanager
    def together(self) -> Iterator[Tx]:
        """Several writes as ONE transaction (``crosscheck apply``): each write inside joins it, derived
        statuses are refreshed once before the commit, and an exception leaving the block rolls back all."""
        with self._tx() as tx:
            yield tx

    @staticmethod
    def _finish(tx: Tx) -> None:
        if tx.status_dirty:
            tx.session.flush()
            changed = status.refresh(tx.connection, tx.status_dirty, tx.kept_graph())
            tx.change.claims |= changed
            tx.change.status_changed |= changed

    # --- helpers for the entity modules -------------------------------------------------------

    @staticmethod
    def _check(values: dict[str, Any], checks: dict[str, Any], what: str) -> None:
        found = validate.problems(values, checks)
        if found:
            raise InvalidValue("; ".join(f"{what} {name} {message}" for name, message in found))

    @staticmethod
    def _get(tx: Tx, model: type[M], ident: int, what: str) -> M:
        row = tx.session.get(model, ident)
        if row is None:
            raise NotFound(f"{what} {ident} no longer exists")
        return row

    @staticmethod
    def _apply(
        tx: Tx, row: Entity, entity: str, changes: dict[str, Any], expect: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Set ``changes`` on ``row``, audit each field that really changes; returns the old values.

        A reference field (``REFERENCES``) is audited by the interchange id it names (see ``audited``).
        ``expect``: the values the edit's author saw; any field of the row whose stored value differs
        is a ``Conflict`` (DESIGN §7: nothing is overwritten silently) and nothing is written.
        """
        old: dict[str, Any] = {}
        ext_id = row.ext_id
        for name, seen in (expect or {}).items():
            if hasattr(row, name):
                StoreBase._verify(tx, entity, ext_id, name, getattr(row, name), seen)
        for name, value in changes.items():
            before = getattr(row, name)
            if before == value:
                continue
            old[name] = list(before) if isinstance(before, list) else before
            setattr(row, name, list(value) if isinstance(value, list) else value)
            tx.audit(entity, ext_id, "update", name, *audited(tx, name, before, value))
        return old

    @staticmethod
    def _verify(tx: Tx, entity: str, ext_id: str, name: str, stored: Any, seen: Any) -> None:
        """Raise ``Conflict`` when ``stored`` is not the value ``seen`` by the edit's author."""
        if jsonable(stored) != jsonable(seen):
            last = last_change(tx.connection, entity, ext_id, name)
            raise Conflict(entity, ext_id, name, jsonable(stored), jsonable(seen), last)

    @staticmethod
    def _expected_after(changes: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
        """What a write left in the fields it changed: the undo write expects to find exactly that."""
        return {name: changes[name] for name in old if name in changes}

    @staticmethod
    def _require_restorable(
        tx: Tx,
        model: type[SQLModel],
        row: dict[str, Any],
        what: str,
        needs: Iterable[tuple[str, str, Iterable[int]]] = (),
    ) -> None:
        """Undoing a deletion puts rows back with their own ids: refuse, changing nothing, when the workspace
        has moved on since — the id (or interchange id) was used again, or something the rows point at is gone.

        ``needs`` names, for each table the snapshot points into, a plural label and the ids it needs.
        """
        table = table_of(model)
        clash = (table.c.id == row["id"]) | (table.c.ext_id == row["ext_id"])
        if tx.connection.execute(table.select().with_only_columns(table.c.id).where(clash)).first() is not None:
            raise Refused(f"cannot undo the deletion of {what}: its id has been used again since")
        for table_name, label, idents in needs:
            wanted = set(idents)
            if not wanted:
                continue
            query = text(f"SELECT id FROM {table_name} WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
            found = {r[0] for r in tx.connection.execute(query, {"ids": sorted(wanted)})}
            if missing := wanted - found:
                raise Refused(
                    f"cannot undo the deletion of {what}: {len(missing)} {label} it belonged with "
                    "have been deleted since"
                )

    @staticmethod
    def _snapshot(row: SQLModel) -> dict[str, Any]:
        return {name: getattr(row, name) for name in row.__class__.model_fields}

    @staticmethod
    def _audited_values(row: SQLModel, skip: tuple[str, ...] = ("id", "ext_id")) -> dict[str, Any]:
        return {name: getattr(row, name) for name in row.__class__.model_fields if name not in skip}

    @staticmethod
    def _refs(tx: Tx, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with their references as the audit trail keeps them (``REFERENCES``)."""
        return {name: ext_reference(tx, name, value) for name, value in values.items()}

    @staticmethod
    def _deleted_values(tx: Tx, row: SQLModel, **extra: Any) -> dict[str, Any]:
        """What a deletion's audit rows keep: every field the analysts entered, references by interchange
        id, and the internal ``id`` (an export lists rows in id order, so replay puts it back in place)."""
        skip = {"ext_id", "folded", "sort_date"}
        if isinstance(row, Claim):
            skip |= set(DERIVED_CLAIM_COLUMNS)
        values = {name: getattr(row, name) for name in row.__class__.model_fields if name not in skip}
        values.update(extra)
        return {name: ext_reference(tx, name, value) for name, value in values.items()}


# Fields whose values name another entity by internal id, and that entity's table. The audit trail
# keeps interchange ids instead: internal ids are reused and renumbered (an import of an export, SQLite
# reusing the highest id of a deleted row), interchange ids are what replay and history speak.
REFERENCES: dict[str, str] = {
    "source_id": "source",
    "by_source_id": "source",
    "report_id": "report",
    "places": "place",
    "about": "claim",
}


def ext_reference(tx: Tx, name: str, value: Any) -> Any:
    """``value`` of field ``name`` as the audit trail keeps it (see ``REFERENCES``)."""
    table = REFERENCES.get(name)
    if table is None or value is None:
        return value
    if isinstance(value, list):
        return ext_ids(tx, table, value)
    return ext_ids(tx, table, [value])[0]


def audited(tx: Tx, name: str, before: Any, after: Any) -> tuple[Any, Any]:
    return ext_reference(tx, name, before), ext_reference(tx, name, after)


def ext_ids(tx: Tx, table: str, idents: list[int]) -> list[str]:
    """The interchange ids of rows of ``table``, in the order given (every row must exist)."""
    if not idents:
        return []
    query = text(f"SELECT id, ext_id FROM {table} WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    found = {r[0]: r[1] for r in tx.connection.execute(query, {"ids": sorted(set(idents))})}
    return [found[i] for i in idents]
