"""The SQL the peer (QSqlQueryModel) and the floor (raw sqlite3) run: the same statements for both.

They show the columns Crosscheck's table shows by default (claim text, source,
side, date, first place, status, credibility, links; suggested credibility,
report, grade and likelihood are hidden until asked for), newest first, plus the
claim id (hidden in the peer's view) so results can be checked across contenders.
Written as a developer would write it for ``QSqlQueryModel``: one SELECT with the
join and the order; ``EXPLAIN QUERY PLAN`` shows SQLite scanning ``ix_claim_sort``
backwards for it (no sort of the table), so the peer is not handicapped by its SQL.
"""

from __future__ import annotations

from collections.abc import Sequence

COLUMNS = (
    "c.id, c.text, s.name, s.side, coalesce(c.claimed, c.sort_date) AS day, "
    "(SELECT p.name FROM claim_place cp JOIN place p ON p.id = cp.place_id "
    "WHERE cp.claim_id = c.id ORDER BY cp.position LIMIT 1) AS place, "
    "c.status, c.credibility, c.link_count"
)
FROM = "FROM claim c JOIN source s ON s.id = c.source_id"
NEWEST_FIRST = "ORDER BY c.sort_date DESC, c.id DESC"
OLDEST_FIRST = "ORDER BY c.sort_date ASC, c.id ASC"


def table(where: str = "") -> str:
    """The whole (filtered) table in display order — what QSqlQueryModel is given."""
    return f"SELECT {COLUMNS} {FROM} {('WHERE ' + where) if where else ''} {NEWEST_FIRST}"


def page(where: str = "", limit: int = 40) -> str:
    """The first ``limit`` rows (floor)."""
    return table(where) + f" LIMIT {limit}"


def after_key(limit: int = 40) -> str:
    """The ``limit`` rows after row key ``(?, ?)`` = (sort_date, id): keyset paging (floor)."""
    return f"SELECT {COLUMNS} {FROM} WHERE (c.sort_date, c.id) < (?, ?) {NEWEST_FIRST} LIMIT {limit}"


def last_page(limit: int = 40) -> str:
    """The last ``limit`` rows, read from the other end of the index (floor)."""
    inner = f"SELECT {COLUMNS}, c.sort_date AS k {FROM} {OLDEST_FIRST} LIMIT {limit}"
    return f"SELECT * FROM ({inner}) ORDER BY k DESC, id DESC"


def status_and_sources(status: str, source_ids: Sequence[int]) -> str:
    return f"c.status = '{status}' AND c.source_id IN ({', '.join(str(int(i)) for i in source_ids)})"


def fts(match: str) -> str:
    """Claims whose FTS5 row matches ``match`` (the MATCH string Crosscheck's filter compiles)."""
    literal = match.replace("'", "''")
    return f"c.id IN (SELECT rowid FROM claim_fts WHERE claim_fts MATCH '{literal}')"


def count(where: str = "") -> str:
    return f"SELECT count(*) FROM claim c {('WHERE ' + where) if where else ''}"
