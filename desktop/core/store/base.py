"""What every group of store writes shares: the transaction, field updates with audit, snapshots."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from desktop.core import validate
from desktop.core.errors import NotFound, UserError
from desktop.core.store import status
from desktop.core.store.tx import Tx, transaction

M = TypeVar("M", bound=SQLModel)


class Entity(Protocol):
    """A stored entity that the audit trail names by its interchange id (every model but links)."""

    ext_id: str


class InvalidValue(UserError):
    """A field value the store refuses; the message names the field."""


class StoreBase:
    def __init__(self, engine: Engine, analyst: str = "analyst") -> None:
        self.engine = engine
        self.analyst = analyst
        self._open = threading.local()  # the transaction a ``batch`` holds open on this thread

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        """One write transaction — or, inside ``batch``, the batch's own (so the batch stays one)."""
        held: Tx | None = getattr(self._open, "tx", None)
        if held is not None:
            yield held
            return
        with transaction(self.engine, self.analyst, self._finish) as tx:
            self._open.tx = tx
            try:
                yield tx
            finally:
                self._open.tx = None

    @staticmethod
    def _finish(tx: Tx) -> None:
        if tx.status_dirty:
            tx.session.flush()
            changed = status.refresh(tx.connection, tx.status_dirty)
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
    def _apply(tx: Tx, row: Entity, entity: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Set ``changes`` on ``row``, audit each field that really changes; returns the old values."""
        old: dict[str, Any] = {}
        ext_id = row.ext_id
        for name, value in changes.items():
            before = getattr(row, name)
            if before == value:
                continue
            old[name] = list(before) if isinstance(before, list) else before
            setattr(row, name, list(value) if isinstance(value, list) else value)
            tx.audit(entity, ext_id, "update", name, before, value)
        return old

    @staticmethod
    def _snapshot(row: SQLModel) -> dict[str, Any]:
        return {name: getattr(row, name) for name in row.__class__.model_fields}

    @staticmethod
    def _audited_values(row: SQLModel, skip: tuple[str, ...] = ("id", "ext_id")) -> dict[str, Any]:
        return {name: getattr(row, name) for name in row.__class__.model_fields if name not in skip}
