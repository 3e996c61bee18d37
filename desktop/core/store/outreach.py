"""Writes of requests for comment (outreach) and the claims they are about."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import delete, insert, text

from desktop.core import validate
from desktop.core.db import table_of
from desktop.core.errors import NotFound
from desktop.core.schema import Outreach, OutreachClaim, Source
from desktop.core.store.base import StoreBase, audited
from desktop.core.store.tx import Result, Tx


class OutreachWrites(StoreBase):
    def create_outreach(self, party: str, about: list[int] | None = None, **fields: Any) -> Result:
        ext_id = fields.pop("ext_id", None)
        by = fields.pop("by_source_id", None)
        values = {"party": party, "contacted": None, "status": "pending", "response": None, **fields}
        self._check(values, validate.OUTREACH_CHECKS, "request for comment")
        about = list(about or [])
        with self._tx() as tx:
            if by is not None:
                self._get(tx, Source, by, "source")
            row = Outreach(ext_id=ext_id or tx.new_ext_id(Outreach, "o"), by_source_id=by, **values)
            tx.session.add(row)
            tx.session.flush()
            assert row.id is not None
            self._write_about(tx, row.id, about)
            tx.audit_fields(
                "outreach", row.ext_id, "create", self._refs(tx, {**values, "by_source_id": by, "about": about})
            )
            tx.change.outreach = True
            tx.change.claims |= set(about)
            ident = row.id
        return Result(
            tx.change, partial(OutreachWrites.delete_outreach, ident=ident), f"request comment from {party}", ident
        )

    def update_outreach(self, ident: int, *, expect: dict[str, Any] | None = None, **changes: Any) -> Result:
        wanted = dict(changes)
        about = changes.pop("about", None)
        self._check({k: v for k, v in changes.items() if k != "by_source_id"}, validate.OUTREACH_CHECKS, "request")
        with self._tx() as tx:
            row = self._get(tx, Outreach, ident, "request for comment")
            if expect and "about" in expect:
                self._verify(tx, "outreach", row.ext_id, "about", self.outreach_about(tx, ident), expect["about"])
            if changes.get("by_source_id") is not None:
                self._get(tx, Source, changes["by_source_id"], "source")
            old = self._apply(tx, row, "outreach", changes, expect)
            if about is not None:
                previous = self.outreach_about(tx, ident)
                if previous != about:
                    self._write_about(tx, ident, about)
                    tx.audit("outreach", row.ext_id, "update", "about", *audited(tx, "about", previous, about))
                    old["about"] = previous
                    tx.change.claims |= set(previous) | set(about)
            tx.change.claims |= set(self.outreach_about(tx, ident))
            tx.change.outreach = True
        undo = partial(OutreachWrites.update_outreach, ident=ident, expect=self._expected_after(wanted, old), **old)
        return Result(tx.change, undo, f"edit request to {row.party}")

    def delete_outreach(self, ident: int) -> Result:
        with self._tx() as tx:
            row = self._get(tx, Outreach, ident, "request for comment")
            snapshot: dict[str, Any] = {"row": self._snapshot(row), "about": self.outreach_about(tx, ident)}
            tx.audit_fields("outreach", row.ext_id, "delete", self._deleted_values(tx, row, about=snapshot["about"]))
            tx.session.delete(row)
            tx.change.outreach = True
            tx.change.claims |= set(snapshot["about"])
        return Result(
            tx.change, partial(OutreachWrites._restore_outreach, snapshot=snapshot), f"delete request to {row.party}"
        )

    def _restore_outreach(self, snapshot: dict[str, Any]) -> Result:
        by = [snapshot["row"]["by_source_id"]] if snapshot["row"].get("by_source_id") is not None else []
        with self._tx() as tx:
            self._require_restorable(
                tx,
                Outreach,
                snapshot["row"],
                f"the request to {snapshot['row']['party']}",
                (("claim", "claims", snapshot["about"]), ("source", "sources", by)),
            )
            row = Outreach(**snapshot["row"])
            tx.session.add(row)
            tx.session.flush()
            assert row.id is not None
            self._write_about(tx, row.id, snapshot["about"])
            tx.audit_fields("outreach", row.ext_id, "create", self._deleted_values(tx, row, about=snapshot["about"]))
            tx.change.outreach = True
            tx.change.claims |= set(snapshot["about"])
            ident = row.id
        return Result(
            tx.change, partial(OutreachWrites.delete_outreach, ident=ident), f"restore request to {row.party}", ident
        )

    @staticmethod
    def outreach_about(tx: Tx, outreach: int) -> list[int]:
        rows = tx.connection.execute(
            text("SELECT claim_id FROM outreach_claim WHERE outreach_id = :o ORDER BY position"), {"o": outreach}
        )
        return [r[0] for r in rows]

    @staticmethod
    def _write_about(tx: Tx, outreach: int, claims: list[int]) -> None:
        if len(set(claims)) != len(claims):
            raise NotFound("a request for comment names the same claim twice")
        for claim in claims:
            if tx.connection.execute(text("SELECT 1 FROM claim WHERE id = :c"), {"c": claim}).first() is None:
                raise NotFound(f"claim {claim} no longer exists")
        table = table_of(OutreachClaim)
        tx.connection.execute(delete(table).where(table.c.outreach_id == outreach))
        if claims:
            tx.connection.execute(
                insert(table), [{"outreach_id": outreach, "claim_id": c, "position": i} for i, c in enumerate(claims)]
            )
