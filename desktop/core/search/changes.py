"""``changed:>T``: the claims the audit trail says changed after (or before) a moment.

A claim changed when a row of the trail names it (an edit, its creation, its
import, its deletion undone) or names a link touching it, by either end
(``FROM->TO``; the ``TO`` end through the expression index of migration 0005).
The rows are found by time first (``ix_audit_at``), so a recent moment reads
only the recent trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from desktop.core.history.words import link_from_end, link_to_end
from desktop.core.search.sql import _TABLES

audit = _TABLES["audit"]


def changed_claims(value: str, dialect_name: str) -> Any:
    """The interchange ids of the claims changed as ``value`` says (``>TIMESTAMP`` or ``<TIMESTAMP``)."""
    moment = dt.datetime.fromisoformat(value[1:].replace("Z", "+00:00"))
    when = sa.bindparam(None, moment, type_=audit.c.at.type, unique=True)
    in_time = audit.c.at > when if value.startswith(">") else audit.c.at < when
    own = sa.select(audit.c.entity_id).where(in_time, audit.c.entity == "claim")
    from_end = sa.select(link_from_end(dialect_name, audit.c.entity_id)).where(in_time, audit.c.entity == "link")
    to_end = sa.select(link_to_end(dialect_name, audit.c.entity_id)).where(in_time, audit.c.entity == "link")
    return sa.union(own, from_end, to_end)
