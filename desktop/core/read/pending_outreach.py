"""The requests for comment still waiting for an answer, one line per claim asked about, oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from desktop.core.read.records import as_date


@dataclass(frozen=True, slots=True)
class PendingRequest:
    outreach_id: int
    party: str  # who was asked
    asked_by: str | None  # the source that asked; None: this team
    contacted: dt.date | None
    claim_id: int
    claim_text: str
    claim_source: str


def pending_requests(connection: Connection) -> list[PendingRequest]:
    """Every pending request for comment with each claim it is about: longest waiting first (undated last)."""
    rows = connection.execute(
        text(
            "SELECT o.id, o.party, asker.name AS asked_by, o.contacted, c.id AS claim_id, c.text, s.name AS source "
            "FROM outreach AS o "
            "JOIN outreach_claim AS oc ON oc.outreach_id = o.id "
            "JOIN claim AS c ON c.id = oc.claim_id "
            "JOIN source AS s ON s.id = c.source_id "
            "LEFT JOIN source AS asker ON asker.id = o.by_source_id "
            "WHERE o.status = 'pending' "
            "ORDER BY o.contacted IS NULL, o.contacted, o.id, oc.position"
        )
    )
    return [PendingRequest(r.id, r.party, r.asked_by, as_date(r.contacted), r.claim_id, r.text, r.source) for r in rows]
