"""Writes of sources and reports.

Deleting a source that claims or reports still name is refused: a claim
without its originator is meaningless, and silently deleting an analyst's
claims with a source would lose work. Deleting a report keeps its claims and
clears their report (they were only captured there); undo puts it back.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import func, text
from sqlmodel import col, select

from desktop.core import corroboration, validate
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.errors import Refused
from desktop.core.schema import Claim, Report, Source
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
            if claims or reports:
                raise Refused(
                    f"source {row.name} still has {claims} claim(s) and {reports} report(s); "
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

    # --- reports ------------------------------------------------------------------------------

    def create_report(self, title: str, **fields: Any) -> Result:
        source_id = fields.pop("source_id", None)
        ext_id = fields.pop("ext_id", None)
        values = {"title": title, "url": None, "published": None, "language": None, "text": "", **fields}
        self._check(values, validate.REPORT_CHECKS, "report")
        with self._tx() as tx:
            if source_id is not None:
                self._get(tx, Source, source_id, "source")
            row = Report(ext_id=ext_id or tx.new_ext_id(Report, "rep"), source_id=source_id, **values)
            tx.session.add(row)
            tx.session.flush()
            tx.audit_fields("report", row.ext_id, "create", self._refs(tx, self._audited_values(row)))
            tx.change.reports = True
            ident = row.id
        assert ident is not None
        return Result(tx.change, partial(SourceWrites.delete_report, ident=ident), f"add report {title}", ident)

    def update_report(self, ident: int, *, expect: dict[str, Any] | None = None, **changes: Any) -> Result:
        checked = {k: v for k, v in changes.items() if k != "source_id"}
        self._check(checked, validate.REPORT_CHECKS, "report")
        with self._tx() as tx:
            row = self._get(tx, Report, ident, "report")
            if changes.get("source_id") is not None:
                self._get(tx, Source, changes["source_id"], "source")
            old = self._apply(tx, row, "report", changes, expect)
            tx.change.reports = True
        undo = partial(SourceWrites.update_report, ident=ident, expect=self._expected_after(changes, old), **old)
        return Result(tx.change, undo, f"edit report {row.title}")

    def delete_report(self, ident: int) -> Result:
        with self._tx() as tx:
            row = self._get(tx, Report, ident, "report")
            snapshot = self._snapshot(row)
            claims = [
                r[0] for r in tx.connection.execute(text("SELECT id FROM claim WHERE report_id = :r"), {"r": ident})
            ]
            tx.audit_fields("report", row.ext_id, "delete", self._deleted_values(tx, row))
            # Its claims keep going, without it: audited per claim, so the trail alone can undo this.
            for claim in tx.session.exec(select(Claim).where(col(Claim.id).in_(claims)).order_by(col(Claim.id))):
                tx.audit("claim", claim.ext_id, "update", "report_id", row.ext_id, None)
            tx.session.delete(row)
            tx.change.reports = True
            tx.change.claims |= set(claims)
        undo = partial(SourceWrites._restore_report, snapshot=snapshot, claims=claims)
        return Result(tx.change, undo, f"delete report {row.title}")

    def _restore_report(self, snapshot: dict[str, Any], claims: list[int]) -> Result:
        with self._tx() as tx:
            source = [snapshot["source_id"]] if snapshot.get("source_id") is not None else []
            self._require_restorable(
                tx, Report, snapshot, f"report {snapshot['title']}", (("source", "sources", source),)
            )
            row = Report(**snapshot)
            tx.session.add(row)
            tx.session.flush()
            tx.audit_fields("report", row.ext_id, "create", self._deleted_values(tx, row))
            for claim in tx.session.exec(select(Claim).where(col(Claim.id).in_(claims))):
                self._apply(tx, claim, "claim", {"report_id": row.id})
            tx.change.reports = True
            tx.change.claims |= set(claims)
        ident = snapshot["id"]
        return Result(tx.change, partial(SourceWrites.delete_report, ident=ident), f"restore report {row.title}")
