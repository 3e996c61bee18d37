"""Writes of sources.

Deleting a source that claims or reports still name is refused: a claim
without its originator is meaningless, and silently deleting an analyst's
claims with a source would lose work.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import func, text
from sqlmodel import col, select

from desktop.core import corroboration, validate
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.errors import Refused
from desktop.core.schema import Claim, Outreach, Report, Source
from desktop.core.store.base import StoreBase
from desktop.core.store.tx import Result, Tx

_SOURCE_DEFAULTS: dict[str, Any] = {
    "aliases": [],
    "kind": "other",
    "side": "",
    "group_label": "",
    "reliability": "F",
    "url": None,
    "notes": "",
}


class SourceWrites(StoreBase):
    def create_source(self, name: str, **fields: Any) -> Result:
        ext_id = fields.pop("ext_id", None)
        values = {"name": name, **_SOURCE_DEFAULTS, **fields}
        values["side"] = (values["side"] or "").strip().casefold()
        values["group_label"] = (values["group_label"] or "").strip()
        self._check(values, validate.SOURCE_CHECKS, "source")
        with self._tx() as tx:
            row = Source(ext_id=ext_id or tx.new_ext_id(Source, "src"), **values)
            tx.session.add(row)
            tx.session.flush()
            tx.audit_fields("source", row.ext_id, "create", self._audited_values(row))
            tx.change.sources = True
            ident = row.id
        assert ident is not None
        return Result(tx.change, partial(SourceWrites.delete_source, ident=ident), f"add source {name}", ident)

    def update_source(self, ident: int, *, expect: dict[str, Any] | None = None, **changes: Any) -> Result:
        if "side" in changes:
            changes["side"] = (changes["side"] or "").strip().casefold()
        if "group_label" in changes:
            changes["group_label"] = (changes["group_label"] or "").strip()
        self._check(changes, validate.SOURCE_CHECKS, "source")
        with self._tx() as tx:
            row = self._get(tx, Source, ident, "source")
            affects_status = bool({"side", "group_label"} & changes.keys())
            if affects_status:
                before = self._source_neighbourhood(tx, ident)
            old = self._apply(tx, row, "source", changes, expect)
            tx.change.sources = True
            if affects_status and old:
                tx.session.flush()
                tx.status_dirty |= before | self._source_neighbourhood(tx, ident)
            name = row.name
        undo = partial(SourceWrites.update_source, ident=ident, expect=self._expected_after(changes, old), **old)
        return Result(tx.change, undo, f"edit source {name}")

    def delete_source(self, ident: int) -> Result:
        with self._tx() as tx:
            row = self._get(tx, Source, ident, "source")
            claims = tx.session.exec(select(func.count()).where(col(Claim.source_id) == ident)).one()
            reports = tx.session.exec(select(func.count()).where(col(Report.source_id) == ident)).one()
            asked = tx.session.exec(select(func.count()).where(col(Outreach.by_source_id) == ident)).one()
            if claims or reports or asked:
                requests = f" and asked {asked} request(s) for comment" if asked else ""
                raise Refused(
                    f"source {row.name} still has {claims} claim(s) and {reports} report(s){requests}; "
                    "give them another source or delete them first"
                )
            snapshot = self._snapshot(row)
            tx.audit_fields("source", row.ext_id, "delete", self._deleted_values(tx, row))
            tx.session.delete(row)
            tx.change.sources = True
        return Result(tx.change, partial(SourceWrites._restore_source, snapshot=snapshot), f"delete source {row.name}")

    def _restore_source(self, snapshot: dict[str, Any]) -> Result:
        with self._tx() as tx:
            self._require_restorable(tx, Source, snapshot, f"source {snapshot['name']}")
            row = Source(**snapshot)
            tx.session.add(row)
            tx.audit_fields("source", row.ext_id, "create", self._deleted_values(tx, row))
            tx.change.sources = True
        ident = snapshot["id"]
        return Result(tx.change, partial(SourceWrites.delete_source, ident=ident), f"restore source {row.name}", ident)

    @staticmethod
    def _source_neighbourhood(tx: Tx, source: int) -> set[int]:
        claims = [r[0] for r in tx.connection.execute(text("SELECT id FROM claim WHERE source_id = :s"), {"s": source})]
        return corroboration.neighbourhood(SqlGraph(tx.connection), claims)
