"""Writes of reports: the pieces of reporting claims are captured from.

A report's ``text`` is kept verbatim, and the store keeps its ``sha256`` (of the
text as UTF-8) in step with it, so the chain of custody never depends on a
caller remembering to compute it. ``retrieved`` is when the text was captured:
now, unless the caller knows better (an import of a feed or an export).

Claims quote spans of the text by code-point offsets, so the text of a report
that claims quote cannot change under them: such an edit is refused, naming the
claims. Deleting a report clears the report and quote of its claims (audited;
they were only captured there); undo puts both back.
"""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

from sqlmodel import col, select

from desktop.core import validate
from desktop.core.errors import Refused
from desktop.core.schema import Claim, Report, Source
from desktop.core.store.base import StoreBase
from desktop.core.store.tx import Result, Tx

_REPORT_DEFAULTS: dict[str, Any] = {"url": None, "published": None, "language": None, "text": "", "retrieved": None}


def text_digest(text: str) -> str:
    """The SHA-256 of a report's text, as stored and exchanged: hex of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReportWrites(StoreBase):
    def create_report(self, title: str, **fields: Any) -> Result:
        source_id = fields.pop("source_id", None)
        ext_id = fields.pop("ext_id", None)
        values = {"title": title, **_REPORT_DEFAULTS, **fields}
        self._check(values, validate.REPORT_CHECKS, "report")
        with self._tx() as tx:
            if source_id is not None:
                self._get(tx, Source, source_id, "source")
            values["retrieved"] = values["retrieved"] or tx.now
            row = Report(
                ext_id=ext_id or tx.new_ext_id(Report, "rep"),
                source_id=source_id,
                sha256=text_digest(values["text"]),
                **values,
            )
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
            if "text" in changes and changes["text"] != row.text:
                self._refuse_if_quoted(tx, ident, row.title)
                changes["sha256"] = text_digest(changes["text"])
            old = self._apply(tx, row, "report", changes, expect)
            tx.change.reports = True
        old.pop("sha256", None)  # follows the text back on undo
        undo = partial(ReportWrites.update_report, ident=ident, expect=self._expected_after(changes, old), **old)
        return Result(tx.change, undo, f"edit report {row.title}")

    def delete_report(self, ident: int) -> Result:
        with self._tx() as tx:
            row = self._get(tx, Report, ident, "report")
            snapshot = self._snapshot(row)
            quotes: dict[int, tuple[int | None, int | None]] = {}
            for claim in tx.session.exec(select(Claim).where(col(Claim.report_id) == ident)):
                assert claim.id is not None
                quotes[claim.id] = (claim.quote_start, claim.quote_end)
                self._apply(tx, claim, "claim", {"report_id": None, "quote_start": None, "quote_end": None})
            tx.session.flush()
            # The claims' report and quote were audited above, one row per field: the trail alone can undo this.
            tx.audit_fields("report", row.ext_id, "delete", self._deleted_values(tx, row))
            tx.session.delete(row)
            tx.change.reports = True
            tx.change.claims |= set(quotes)
        undo = partial(ReportWrites._restore_report, snapshot=snapshot, quotes=quotes)
        return Result(tx.change, undo, f"delete report {row.title}")

    def _restore_report(self, snapshot: dict[str, Any], quotes: dict[int, tuple[int | None, int | None]]) -> Result:
        with self._tx() as tx:
            source = [snapshot["source_id"]] if snapshot.get("source_id") is not None else []
            self._require_restorable(
                tx, Report, snapshot, f"report {snapshot['title']}", (("source", "sources", source),)
            )
            row = Report(**snapshot)
            tx.session.add(row)
            tx.session.flush()
            tx.audit_fields("report", row.ext_id, "create", self._deleted_values(tx, row))
            for claim in tx.session.exec(select(Claim).where(col(Claim.id).in_(list(quotes)))):
                assert claim.id is not None
                start, end = quotes[claim.id]
                self._apply(tx, claim, "claim", {"report_id": row.id, "quote_start": start, "quote_end": end})
            tx.change.reports = True
            tx.change.claims |= set(quotes)
        ident = snapshot["id"]
        return Result(tx.change, partial(ReportWrites.delete_report, ident=ident), f"restore report {row.title}")

    @staticmethod
    def _refuse_if_quoted(tx: Tx, ident: int, title: str) -> None:
        quoted = tx.session.exec(
            select(Claim.ext_id).where(col(Claim.report_id) == ident, col(Claim.quote_start).is_not(None)).limit(4)
        ).all()
        if quoted:
            named = ", ".join(quoted[:3]) + (" …" if len(quoted) > 3 else "")
            raise Refused(
                f"the text of report {title} is quoted by claims ({named}); it is kept verbatim — "
                "add the corrected text as a new report instead"
            )
