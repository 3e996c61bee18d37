"""The names a history line shows for the ids the audit trail keeps: a source's name, a report's title,
a place's name, the party a request for comment went to.

The trail keeps references by interchange id (``src-df8ec40d``) — the contract of
``history --json`` — but an analyst knows a source by its name. ``names_for``
collects every id that the lines about some rows will mention (the entity a
line is about, and the references among its old and new values) and reads their
names in one query per kind of entity, by the unique ``ext_id`` index, a few
hundred ids at a time: the history panel pays one batched lookup, never one per
line. An entity no longer held (deleted since) keeps its id, said to be deleted.
Claims have no name but their text, too long for a line: they stay ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.db import table_of
from desktop.core.history.trail import Row
from desktop.core.schema import Outreach, Place, Report, Source

#: entity → (table, the column that names it)
_NAMED: Final[dict[str, tuple[Any, str]]] = {
    "source": (Source, "name"),
    "report": (Report, "title"),
    "place": (Place, "name"),
    "outreach": (Outreach, "party"),
}
#: (entity, audited field) → the entity its value names (an id, or a list of ids)
REFERENCE_FIELDS: Final[dict[tuple[str, str], str]] = {
    ("claim", "source_id"): "source",
    ("claim", "report_id"): "report",
    ("claim", "places"): "place",
    ("report", "source_id"): "source",
    ("outreach", "by_source_id"): "source",
}
_CHUNK: Final = 500


@dataclass(frozen=True)
class Names:
    """What ``names_for`` found: (entity, interchange id) → its name now."""

    known: dict[tuple[str, str], str]

    def of(self, entity: str, ident: str) -> str | None:
        """The entity's name, or None when the workspace no longer holds it."""
        return self.known.get((entity, ident))


def named(entity: str) -> bool:
    """Whether lines name this kind of entity instead of giving its id."""
    return entity in _NAMED


def names_for(connection: Connection, rows: Iterable[Row], *, imports: bool = True) -> Names:
    """The names of everything the lines about ``rows`` mention; ``imports=False`` where an import is one
    line for the whole document (``words.lines`` without ``imports_in_full``): its entities go unnamed."""
    wanted: dict[str, set[str]] = {entity: set() for entity in _NAMED}
    for row in rows:
        if row.action == "import" and not imports:
            continue
        if row.entity in _NAMED:
            wanted[row.entity].add(row.entity_id)
        target = REFERENCE_FIELDS.get((row.entity, row.field))
        if target is not None:
            for value in (row.old, row.new):
                wanted[target].update(_ids(value))
    known: dict[tuple[str, str], str] = {}
    for entity, idents in wanted.items():
        if not idents:
            continue
        model, column = _NAMED[entity]
        table = table_of(model)
        ordered = sorted(idents)
        for start in range(0, len(ordered), _CHUNK):
            query = sa.select(table.c.ext_id, table.c[column]).where(
                table.c.ext_id.in_(ordered[start : start + _CHUNK])
            )
            known.update(((entity, ext_id), name) for ext_id, name in connection.execute(query))
    return Names(known)


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []  # None, or an internal id an older Crosscheck wrote
