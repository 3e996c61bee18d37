"""The claim table's first screenful of a SQLite workspace, read with ``sqlite3`` alone (the window's fast start).

Starting the window used to import SQLAlchemy, SQLModel and the whole core
before the first row could be read (about half of the time to a painted
window). ``read_first_screen`` is what the window paints first instead: the
claim count, the audit trail's end (so the model can tell later whether anything
changed since) and the first ``limit`` rows in the table's default order
(newest first), the same columns and values ``paging`` reads for that view (a
test holds the two to each other).

It reads only a workspace it can vouch for cheaply: a file whose
``alembic_version`` is this code's newest revision, opened read-only (it never
creates, migrates or switches the file to WAL). Anything else — no file, another
program's database, an older or newer schema, a locked or damaged file — is
``None``, and the caller takes the normal path, which explains or migrates.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.core.read.rows import ClaimRow
from desktop.core.revisions import known_revisions

# The number of claims the triggers keep (``read.tally``, which reads it with this statement too; this
# module imports no SQLAlchemy, so the statement lives here).
KEPT_CLAIMS = "SELECT value FROM crosscheck_tally WHERE name = 'claims'"

# The table's default view (``paging.View()``: the date sort, newest first), as one statement:
# the ids from the ``ix_claim_sort`` index first, then the joined rows of just those.
_FIRST_ROWS = """
SELECT c.id, c.ext_id, c.text, c.kind, c.source_id, s.name, s.side, s.reliability, c.claimed, c.sort_date,
       (SELECT p.name FROM claim_place AS cp JOIN place AS p ON p.id = cp.place_id
         WHERE cp.claim_id = c.id ORDER BY cp.position LIMIT 1),
       (SELECT count(*) FROM claim_place AS cp WHERE cp.claim_id = c.id),
       c.status, c.verdict, c.verdict_disputed, c.credibility, c.suggested_credibility, c.link_count, c.reviewed,
       EXISTS (SELECT 1 FROM link WHERE link.from_id = c.id AND link.disputed IS 1)
         OR EXISTS (SELECT 1 FROM link WHERE link.to_id = c.id AND link.disputed IS 1),
       (SELECT r.title FROM report AS r WHERE r.id = c.report_id),
       c.likelihood
FROM (SELECT id FROM claim ORDER BY sort_date DESC, id DESC LIMIT ?) AS top
JOIN claim AS c ON c.id = top.id
JOIN source AS s ON s.id = c.source_id
ORDER BY c.sort_date DESC, c.id DESC
"""
_BUSY_MS = 200  # a writer holding the file longer than this: take the normal path (it waits properly)


@dataclass(frozen=True)
class FirstScreen:
    """What the table shows first: every claim counted, the first rows, and the audit trail's end then."""

    path: Path
    count: int
    rows: list[ClaimRow]
    counted_at: int  # the last audit row id when counted (the model compares it once the workspace is open)


def read_first_screen(path: Path, limit: int) -> FirstScreen | None:
    """The first ``limit`` rows of the workspace at ``path`` and its claim count, or None (see the module)."""
    if not path.is_file():
        return None
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=_BUSY_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot: the count, the audit's end and the rows agree
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != known_revisions()[1]:
            return None
        count = count_claims(connection)
        counted_at = int(connection.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0])
        rows = first_rows(connection, limit)
        connection.execute("COMMIT")
    except sqlite3.Error:  # not ours (no such table), locked, damaged: the normal path says why
        return None
    finally:
        connection.close()
    return FirstScreen(path, count, rows, counted_at)


def count_claims(connection: sqlite3.Connection) -> int:
    """Every claim in the workspace (the table's count when it shows them all), as kept (``read.tally``)."""
    return int(connection.execute(KEPT_CLAIMS).fetchone()[0])


def first_rows(connection: sqlite3.Connection, limit: int) -> list[ClaimRow]:
    """The first ``limit`` rows of the table's default view, straight from ``sqlite3`` (one prepared statement).

    The claim table's model reads its first screen (and its count) this way too, on SQLite, when it
    shows every claim newest first (what a workspace opens on): no statement to build, no rows to wrap.
    """
    return [_claim_row(values) for values in connection.execute(_FIRST_ROWS, (limit,))]


def _claim_row(v: tuple[Any, ...]) -> ClaimRow:
    sort_date = date.fromisoformat(str(v[9]))
    return ClaimRow(
        id=int(v[0]),
        ext_id=str(v[1]),
        text=str(v[2]),
        kind=str(v[3]),
        source_id=int(v[4]),
        source_name=str(v[5]),
        source_side=str(v[6] or ""),
        source_reliability=str(v[7]),
        claimed=None if v[8] is None else date.fromisoformat(str(v[8])),
        sort_date=sort_date,
        place=None if v[10] is None else str(v[10]),
        place_count=int(v[11] or 0),
        status=str(v[12]),
        verdict=None if v[13] is None else str(v[13]),
        verdict_disputed=bool(v[14]),
        credibility=None if v[15] is None else int(v[15]),
        suggested_credibility=int(v[16]),
        link_count=int(v[17]),
        reviewed=bool(v[18]),
        disputed=bool(v[19]),
        key=(0, sort_date, int(v[0])),
        report=None if v[20] is None else str(v[20]),
        likelihood=None if v[21] is None else str(v[21]),
    )
