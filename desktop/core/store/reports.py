"""Writes of reports.

Deleting a report keeps its claims and clears their report (they were only
captured there); undo puts it back.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from desktop.core import validate
from desktop.core.schema import Claim, Report, Source
from desktop.core.store.base import StoreBase
from desktop.core.store.tx import Result


class ReportWrites(StoreBase):
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
        return Result(tx.change, partial(ReportWrites.delete_report, ident=ident), f"add report {title}", ident)

    def update_report(self, ident: int, *, expect: dict[str, Any] | None = None, **changes: Any) -> Result:
        checked = {k: v for k, v in changes.items() if k != "source_id"}
        self._check(checked, validate.REPORT_CHECKS, "report")
        with self._tx() as tx:
            row = self._get(tx, Report, ident, "report")
            if changes.get("source_id") is not None:
                self._get(tx, Source, changes["source_id"], "source")
            old = self._apply(tx, row, "report", changes, expect)
            tx.change.reports = True
        undo = partial(ReportWrites.update_report, ident=ident, expect=self._expected_after(changes, old), **old)
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
        undo = partial(ReportWrites._restore_report, snapshot=snapshot, claims=claims)
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
        return Result(tx.change, partial(ReportWrites.delete_report, ident=ident), f"restore report {row.title}")
