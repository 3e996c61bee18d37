"""Bulk import, step 1: the workspace's internal ids of the interchange ids a document mentions.

See ``store.bulk`` for the whole write path.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_IN_CHUNK = 500  # ids per ``IN (…)`` list
_ANY_ENTITY = "SELECT " + " OR ".join(
    f"EXISTS (SELECT 1 FROM {table})" for table in ("source", "report", "place", "claim", "outreach")
)


@dataclass
class Wanted:
    """The interchange ids a document mentions, per section: its entities' own ids and its references.

    ``linked`` are the claim ids its links name (the links already between those are loaded too).
    """

    sources: set[str] = field(default_factory=set)
    reports: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    outreach: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)


@dataclass
class WorkspaceKeys:
    """Interchange id → internal id of entities already in the workspace, per table.

    Loaded for the ids a document mentions (``Wanted``), or for every entity.
    """

    sources: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    outreach: dict[str, int] = field(default_factory=dict)
    # Judged pairs of existing claims as (lower id, higher id, analyst): an analyst judges a pair once.
    # Loaded for ``Wanted``: the judgements between two of the claims its links name.
    judged: set[tuple[int, int, str]] = field(default_factory=set)
    # Internal report id → length of its text in code points, for the reports above: quotes point into them.
    report_lengths: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls, connection: Connection, wanted: Callable[[], Wanted] | None = None) -> WorkspaceKeys:
        """The ids of ``wanted()`` the workspace holds (all when None) and the links among them.

        ``wanted`` is called only when the workspace holds any entity at all.
        """
        if not connection.execute(sa.text(_ANY_ENTITY)).scalar_one():
            return cls()
        if wanted is None:

            def ids(table: str) -> dict[str, int]:
                return {ext: ident for ident, ext in connection.execute(sa.text(f"SELECT id, ext_id FROM {table}"))}

            keys = cls(ids("source"), ids("report"), ids("place"), ids("claim"), ids("outreach"))
            keys.report_lengths = _text_lengths(connection, keys.reports.values())
            if keys.claims:
                for a, b, who in connection.execute(sa.text("SELECT from_id, to_id, analyst FROM link")):
                    keys.judged.add((a, b, who) if a < b else (b, a, who))
            return keys
        mentioned = wanted()
        keys = cls(
            _ids_of(connection, "source", mentioned.sources),
            _ids_of(connection, "report", mentioned.reports),
            _ids_of(connection, "place", mentioned.places),
            _ids_of(connection, "claim", mentioned.claims | mentioned.linked),
            _ids_of(connection, "outreach", mentioned.outreach),
        )
        keys.report_lengths = _text_lengths(connection, keys.reports.values())
        linked = {keys.claims[ext] for ext in mentioned.linked if ext in keys.claims}
        if len(linked) > 1:
            query = (
                "SELECT from_id, to_id, analyst FROM link WHERE from_id IN :ids "
                "UNION ALL SELECT from_id, to_id, analyst FROM link WHERE to_id IN :ids"
            )
            for a, b, who in _select_in(connection, query, linked):
                if a in linked and b in linked:
                    keys.judged.add((a, b, who) if a < b else (b, a, who))
        return keys


def _select_in(connection: Connection, query: str, ids: Collection[Any], *, chunk: int = _IN_CHUNK) -> Iterator[Any]:
    """Rows of ``query`` (whose ``:ids`` is an ``IN`` list) for ``ids``, a chunk of them per statement."""
    statement = sa.text(query).bindparams(sa.bindparam("ids", expanding=True))
    ordered = sorted(ids)
    for start in range(0, len(ordered), chunk):
        yield from connection.execute(statement, {"ids": ordered[start : start + chunk]})


def _text_lengths(connection: Connection, reports: Collection[int]) -> dict[int, int]:
    # length() of text counts characters (code points) on SQLite and PostgreSQL alike.
    query = "SELECT id, length(text) FROM report WHERE id IN :ids"
    return {ident: length for ident, length in _select_in(connection, query, reports)} if reports else {}


def _ids_of(connection: Connection, table: str, ext_ids: Collection[str]) -> dict[str, int]:
    if not ext_ids or connection.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is None:
        return {}  # an empty table: the common first import, no lookups at all
    query = f"SELECT ext_id, id FROM {table} WHERE ext_id IN :ids"
    return {ext: ident for ext, ident in _select_in(connection, query, ext_ids)}
