"""Writing a batch of captured reports at once: a file's reports, or one paste (one undo step).

Each report names its publisher by name (a Telegram channel, a feed's title, a
site); the batch finds that source by name or alias (case and diacritics folded)
or creates it, once per name. The whole batch is one transaction with audit
rows; undo deletes the reports and the sources the batch created, unless a claim
has been taken from one of them since (then undo is refused, naming it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any, Protocol

from sqlalchemy import text
from sqlmodel import select

from desktop.core import validate
from desktop.core.errors import Refused
from desktop.core.schema import Report, Source
from desktop.core.store.base import StoreBase
from desktop.core.store.reports import text_digest
from desktop.core.store.tx import Result, Tx
from desktop.core.text import fold


class Draft(Protocol):
    """What the batch needs of a draft (``desktop.core.capture.ReportDraft``)."""

    title: str
    text: str
    url: str | None
    published: dt.date | None
    language: str | None
    publisher: str | None
    publisher_kind: str


class ReportBatchWrites(StoreBase):
    def create_reports(self, drafts: Sequence[Draft], *, publisher: str | None = None) -> Result:
        """Write ``drafts`` as reports; ``publisher`` names the source of those that name none.

        ``Result.value`` is the list of new report ids, in order.
        """
        for index, draft in enumerate(drafts):
            values = {"title": draft.title, "url": draft.url, "published": draft.published}
            values |= {"language": draft.language, "text": draft.text}
            found = validate.problems(values, validate.REPORT_CHECKS)
            if found:
                where = f"report {index + 1}" if len(drafts) > 1 else "the report"
                raise Refused("; ".join(f"{where} {name} {message}" for name, message in found))
        with self._tx() as tx:
            sources: dict[str, int] = {}
            created: list[int] = []
            reports: list[int] = []
            for draft in drafts:
                name = (draft.publisher or publisher or "").strip()
                source_id = self._publisher(tx, name, draft.publisher_kind, sources, created) if name else None
                row = Report(
                    ext_id=tx.new_ext_id(Report, "rep"),
                    source_id=source_id,
                    title=draft.title,
                    url=draft.url,
                    published=draft.published,
                    language=draft.language,
                    text=draft.text,
                    retrieved=tx.now,
                    sha256=text_digest(draft.text),
                )
                tx.session.add(row)
                tx.session.flush()
                assert row.id is not None
                reports.append(row.id)
                tx.audit_fields("report", row.ext_id, "create", self._audited_values(row))
            tx.change.reports = True
            tx.change.sources = bool(created)
        what = f"add {len(reports)} reports" if len(reports) != 1 else f"add report {drafts[0].title}"
        undo = partial(ReportBatchWrites._delete_batch, reports=reports, sources=created)
        return Result(tx.change, undo, what, reports)

    def _publisher(self, tx: Tx, name: str, kind: str, known: dict[str, int], created: list[int]) -> int:
        key = fold(name)
        if key in known:
            return known[key]
        ident = _source_named(tx, key)
        if ident is None:
            values: dict[str, Any] = {"name": name[: validate.MAX_NAME], "kind": kind}
            self._check(values, validate.SOURCE_CHECKS, "publisher")
            row = Source(ext_id=tx.new_ext_id(Source, "src"), **values)
            tx.session.add(row)
            tx.session.flush()
            assert row.id is not None
            ident = row.id
            created.append(ident)
            tx.audit_fields("source", row.ext_id, "create", self._audited_values(row))
        known[key] = ident
        return ident

    def _delete_batch(self, reports: list[int], sources: list[int]) -> Result:
        with self._tx() as tx:
            for ident in reports:
                used = tx.connection.execute(
                    text("SELECT ext_id FROM claim WHERE report_id = :r LIMIT 1"), {"r": ident}
                ).first()
                if used is not None:
                    raise Refused(f"claim {used[0]} has been taken from these reports since; delete it first")
            snapshots = []
            for ident in reports:
                row = tx.session.get(Report, ident)
                if row is None:
                    continue
                snapshots.append(self._snapshot(row))
                tx.audit_fields("report", row.ext_id, "delete", self._audited_values(row))
                tx.session.delete(row)
            tx.session.flush()
            source_snapshots = []
            for ident in sources:
                source = tx.session.get(Source, ident)
                if source is None or _source_in_use(tx, ident):
                    continue
                source_snapshots.append(self._snapshot(source))
                tx.audit_fields("source", source.ext_id, "delete", self._audited_values(source))
                tx.session.delete(source)
            tx.change.reports = True
            tx.change.sources = bool(source_snapshots)
        undo = partial(ReportBatchWrites._restore_batch, reports=snapshots, sources=source_snapshots)
        return Result(tx.change, undo, f"remove {len(snapshots)} imported reports")

    def _restore_batch(self, reports: list[dict[str, Any]], sources: list[dict[str, Any]]) -> Result:
        with self._tx() as tx:
            for snapshot in sources:
                source = Source(**snapshot)
                tx.session.add(source)
                tx.audit_fields("source", source.ext_id, "create", self._audited_values(source))
            tx.session.flush()
            for snapshot in reports:
                row = Report(**snapshot)
                tx.session.add(row)
                tx.audit_fields("report", row.ext_id, "create", self._audited_values(row))
            tx.change.reports = True
            tx.change.sources = bool(sources)
        undo = partial(
            ReportBatchWrites._delete_batch, reports=[r["id"] for r in reports], sources=[s["id"] for s in sources]
        )
        return Result(tx.change, undo, f"restore {len(reports)} imported reports", [r["id"] for r in reports])


def _source_named(tx: Tx, folded: str) -> int | None:
    """The source called ``folded`` (a folded name) by its name or one of its aliases."""
    for ident, name, aliases in tx.session.exec(select(Source.id, Source.name, Source.aliases)):
        if ident is not None and fold(name) == folded:
            return ident
        names = aliases if isinstance(aliases, list) else []
        if ident is not None and any(isinstance(a, str) and fold(a) == folded for a in names):
            return ident
    return None


def _source_in_use(tx: Tx, source: int) -> bool:
    query = (
        "SELECT 1 FROM claim WHERE source_id = :s UNION ALL SELECT 1 FROM report WHERE source_id = :s "
        "UNION ALL SELECT 1 FROM outreach WHERE by_source_id = :s LIMIT 1"
    )
    return tx.connection.execute(text(query), {"s": source}).first() is not None
