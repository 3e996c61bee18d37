"""Writes of corroboration links.

A pair of claims carries at most one link, whatever its direction: marking a
new relation on a pair replaces the old judgement (and undo brings it back).
Every link write re-derives exactly the claims whose status can change (see
``store.status``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection

from desktop.core import corroboration, validate
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.db import table_of
from desktop.core.errors import NotFound, Refused
from desktop.core.schema import Link
from desktop.core.store import status
from desktop.core.store.base import StoreBase
from desktop.core.store.tx import Result, Tx

_LINK_COLUMNS = ("id", "from_id", "to_id", "relation", "rationale", "analyst", "recorded")


class LinkWrites(StoreBase):
    def set_link(self, from_id: int, to_id: int, relation: str, rationale: str = "") -> Result:
        """Mark that claim ``from_id`` ``relation`` claim ``to_id`` (for ``repeats``: from restates to)."""
        self._check({"relation": relation, "rationale": rationale}, validate.LINK_CHECKS, "link")
        if from_id == to_id:
            raise Refused("a claim cannot be linked to itself")
        new = {"from_id": from_id, "to_id": to_id, "relation": relation, "rationale": rationale}
        return self._replace_pair(from_id, to_id, new, f"mark {relation}")

    def remove_link(self, from_id: int, to_id: int) -> Result:
        """Remove the link between two claims, in whichever direction it runs."""
        return self._replace_pair(from_id, to_id, None, "remove link")

    def link_between(self, a: int, b: int) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            return _pair_link(connection, a, b)

    def _replace_pair(self, a: int, b: int, new: dict[str, Any] | None, description: str) -> Result:
        with self._tx() as tx:
            ext = _ext_ids(tx, a, b)
            previous = _pair_link(tx.connection, a, b)
            if previous is None and new is None:
                raise NotFound("there is no link between these claims")
            if previous is not None and new is not None and all(previous[k] == new[k] for k in new):
                return Result(tx.change, partial(LinkWrites._replace_pair, a=a, b=b, new=previous, description=""), "")
            touches_repeats = "repeats" in {(previous or {}).get("relation"), (new or {}).get("relation")}
            # A repeats link moves origins, which every evidence neighbour judges independence by.
            reach = corroboration.neighbourhood if touches_repeats else corroboration.clusters
            before = reach(SqlGraph(tx.connection), {a, b})
            if previous is not None:
                tx.connection.execute(text("DELETE FROM link WHERE id = :i"), {"i": previous["id"]})
                key = f"{ext[previous['from_id']]}->{ext[previous['to_id']]}"
                # With its id: replay puts a removed link back in its place (exports list links by id).
                tx.audit_fields("link", key, "delete", {k: previous[k] for k in ("id", *_LINK_COLUMNS[3:])})
            if new is not None:
                row = {"analyst": tx.analyst, "recorded": tx.now, **new}
                if "id" in new:  # restoring a removed link exactly as it was
                    row = dict(new)
                tx.connection.execute(insert(table_of(Link)).values(row))
                key = f"{ext[new['from_id']]}->{ext[new['to_id']]}"
                tx.audit_fields("link", key, "create", {k: row[k] for k in _LINK_COLUMNS[3:] if k in row})
            tx.status_dirty |= before | reach(SqlGraph(tx.connection), {a, b})
            tx.change.links = True
            tx.change.claims |= {a, b}
        undo = partial(LinkWrites._replace_pair, a=a, b=b, new=previous, description=f"undo {description}")
        return Result(tx.change, undo, description)


def _pair_link(connection: Connection, a: int, b: int) -> dict[str, Any] | None:
    row = connection.execute(
        text(
            "SELECT " + ", ".join(_LINK_COLUMNS) + " FROM link "
            "WHERE (from_id = :a AND to_id = :b) OR (from_id = :b AND to_id = :a)"
        ),
        {"a": a, "b": b},
    ).first()
    if row is None:
        return None
    values = dict(row._mapping)
    values["recorded"] = status._aware(values["recorded"])
    return values


def _ext_ids(tx: Tx, a: int, b: int) -> dict[int, str]:
    rows = tx.connection.execute(text("SELECT id, ext_id FROM claim WHERE id IN (:a, :b)"), {"a": a, "b": b}).all()
    found = {r[0]: r[1] for r in rows}
    for ident in (a, b):
        if ident not in found:
            raise NotFound(f"claim {ident} no longer exists")
    return found
