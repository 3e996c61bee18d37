"""A claim as a citation an analyst pastes into a report or a chat: text, source, grade, date, report URL.

    “Russian troops have breached the defences of Bakhmut.” — Rybar (C3), 2022-12-14.
    Report: Rybar daily update, https://t.me/rybar/12345 [crosscheck c-breach]

The grade is the Admiralty pair (source reliability, information credibility);
a missing half is a dash (``C-``). The date is when the claim was made, else
when it was recorded. Plain text: it is pasted, never rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

_QUERY = text(
    "SELECT c.id, c.ext_id, c.text, c.claimed, c.recorded, c.credibility, s.name AS source, s.reliability, "
    "r.title, r.url FROM claim c JOIN source s ON s.id = c.source_id LEFT JOIN report r ON r.id = c.report_id "
    "WHERE c.id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def citations(connection: Connection, claim_ids: Sequence[int]) -> list[str]:
    """The citation of each claim, in the order given (claims that no longer exist are left out)."""
    if not claim_ids:
        return []
    rows = {row.id: row for row in connection.execute(_QUERY, {"ids": list(claim_ids)})}
    return [citation_text(rows[i]._mapping) for i in claim_ids if i in rows]


def ext_ids(connection: Connection, claim_ids: Sequence[int]) -> list[str]:
    """The interchange ids of the claims, in the order given."""
    if not claim_ids:
        return []
    query = text("SELECT id, ext_id FROM claim WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    found: dict[int, str] = {int(i): str(e) for i, e in connection.execute(query, {"ids": list(claim_ids)})}
    return [found[i] for i in claim_ids if i in found]


def citation_text(row: Any) -> str:
    grade = f"{row['reliability'] or '-'}{row['credibility'] or '-'}"
    when = _date(row["claimed"]) or _date(row["recorded"])
    first = f"“{row['text']}” — {row['source']} ({grade})" + (f", {when}." if when else ".")
    report = ", ".join(part for part in (row["title"], row["url"]) if part)
    second = (f"Report: {report} " if report else "") + f"[crosscheck {row['ext_id']}]"
    return f"{first}\n{second}"


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]  # SQLite hands back the stored ISO text
