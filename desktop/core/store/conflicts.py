"""Conflicts: an edit made on a value that someone else has changed since its author saw it (DESIGN §7).

A write may carry ``expect``: the values its author last saw. When one differs
from the stored value the write is refused with a ``Conflict`` that names the
field, the value now stored ("theirs"), the value the author wanted to write
("yours") and who changed it last and when (from the audit trail). Nothing is
ever overwritten silently.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from desktop.core.errors import UserError


@dataclass(frozen=True)
class LastChange:
    """Who last changed a field, and when, according to the audit trail."""

    analyst: str
    at: dt.datetime | None

    def __str__(self) -> str:
        when = f" at {self.at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%SZ}" if self.at else ""
        return f"{self.analyst or 'someone'}{when}"


class Conflict(UserError):
    """The stored value of ``field`` is not what the edit's author saw; nothing was written."""

    def __init__(
        self, entity: str, entity_id: str, field: str, current: Any, wanted: Any, last: LastChange | None
    ) -> None:
        self.entity, self.entity_id, self.field = entity, entity_id, field
        self.current, self.wanted, self.last = current, wanted, last
        who = f", last changed by {last}" if last else ""
        super().__init__(
            f"conflict: {entity} {entity_id} {field} is now {_shown(current)}{who}; "
            f"your edit expected {_shown(wanted)} — nothing was changed"
        )


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def last_change(connection: Connection, entity: str, entity_id: str, field: str | None = None) -> LastChange | None:
    """The newest audit row of ``entity`` ``entity_id`` (of ``field``, or of a whole create/delete)."""
    where = "entity = :e AND entity_id = :i"
    params: dict[str, Any] = {"e": entity, "i": entity_id}
    if field is not None:
        where += " AND (field = :f OR field = '' OR action IN ('create', 'delete', 'import'))"
        params["f"] = field
    row = connection.execute(
        text(f"SELECT analyst, at FROM audit WHERE {where} ORDER BY id DESC LIMIT 1"), params
    ).first()
    if row is None:
        return None
    at = row[1]
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return LastChange(row[0] or "", at)
