"""Is the workspace sound? The checks behind ``crosscheck check`` and ``Tools → Check workspace``.

Each problem says what is wrong in one line, and whether ``store.repair`` can
mend it: the search index and the derived statuses are rebuilt from the claims
and links themselves, so they can always be repaired; a damaged file or a
reference that points nowhere cannot be mended in place (restore a backup).
Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy.engine import Connection, Engine

from desktop.core import db
from desktop.core.read import tally
from desktop.core.store import status
from desktop.core.store.bulk_fts import pending_from
from desktop.core.store.links import stale_pairs

Repair = Literal["search-index", "statuses"]


@dataclass(frozen=True)
class Problem:
    message: str
    repair: Repair | None = None  # what mends it; None: nothing in place (restore a backup)

    def as_dict(self) -> dict[str, str | None]:
        return {"message": self.message, "repair": self.repair}


def check(engine: Engine) -> list[Problem]:
    """Every problem found, storage first (a damaged file makes the later checks meaningless)."""
    problems = [Problem(p) for p in db.integrity_problems(engine)]
    with engine.connect() as connection, connection.begin():
        problems += [Problem(p) for p in _reference_problems(connection)]
        problems += _search_index_problems(connection)
        flagged = stale_pairs(connection)
        if flagged:
            ext = {r[0]: r[1] for r in connection.exec_driver_sql("SELECT id, ext_id FROM claim")}
            problems += [
                Problem(
                    f"claims {ext[a]} and {ext[b]}: the stored effective link is not their latest judgement", "statuses"
                )
                for a, b in flagged
            ]
        counts = tally.stale(connection)
        if counts is not None:
            kept, counted = counts
            problems.append(Problem(f"the workspace's kept count of claims is {kept}, not {counted}", "statuses"))
        stale = status.stale_claims(connection)
        if stale:
            ext = {r[0]: r[1] for r in connection.exec_driver_sql("SELECT id, ext_id FROM claim")}
            problems += [
                Problem(f"claim {ext[c]}: stored status disagrees with a fresh derivation", "statuses") for c in stale
            ]
    return problems


def repairs(problems: list[Problem]) -> list[Repair]:
    """The repairs that would mend ``problems``, each once, in the order to run them."""
    wanted = {p.repair for p in problems}
    return [r for r in REPAIRS if r in wanted]


REPAIRS: Final[tuple[Repair, ...]] = ("search-index", "statuses")

_SEARCH_INDEX_CHECKS: Final = (
    (
        "claim {} is missing from the search index or indexed with old text",
        # Claims an import left for the index to build after it (``store.search_index``) are not missing.
        "SELECT c.ext_id FROM main.claim AS c LEFT JOIN main.claim_fts AS f ON f.rowid = c.id "
        "WHERE CASE WHEN f.rowid IS NULL THEN c.id < {pending} OR {pending} = 0 "
        "ELSE f.body IS NOT cc_fold(c.text) OR f.keys IS NOT cc_index_keys(c.text) END ORDER BY c.id",
    ),
    (
        "the search index holds {} entries for claims that no longer exist",
        "SELECT count(*) FROM main.claim_fts WHERE rowid NOT IN (SELECT id FROM main.claim) HAVING count(*) > 0",
    ),
)


def _search_index_problems(connection: Connection) -> list[Problem]:
    """The full-text index against the claims: SQLite's FTS5 table, PostgreSQL's ``claim.search`` words."""
    if connection.dialect.name == "postgresql":
        from desktop.core.search.documents import stale_documents

        message = "claim {} is missing from the search index or indexed with old text"
        return [Problem(message.format(ext_id), "search-index") for ext_id in stale_documents(connection)]
    if connection.dialect.name != "sqlite":
        return []
    try:
        connection.exec_driver_sql("INSERT INTO main.claim_fts (claim_fts) VALUES ('integrity-check')")
    except Exception as exc:  # noqa: BLE001 — any failure here means the index is damaged
        return [Problem(f"the search index is damaged ({str(exc).splitlines()[0]})", "search-index")]
    problems = []
    pending = pending_from(connection)
    for message, sql in _SEARCH_INDEX_CHECKS:
        rows = connection.exec_driver_sql(sql.format(pending=pending))
        problems += [Problem(message.format(row[0]), "search-index") for row in rows]
    return problems


# Rows whose reference points nowhere (PostgreSQL enforces these; SQLite only with foreign_keys=ON),
# then links the store never makes: a claim linked to itself, a pair of claims linked both ways.
_REFERENCE_CHECKS = (
    ("claim", "source", "SELECT c.ext_id FROM claim c LEFT JOIN source s ON s.id = c.source_id WHERE s.id IS NULL"),
    (
        "claim",
        "report",
        "SELECT c.ext_id FROM claim c LEFT JOIN report r ON r.id = c.report_id "
        "WHERE c.report_id IS NOT NULL AND r.id IS NULL",
    ),
    (
        "report",
        "source",
        "SELECT r.ext_id FROM report r LEFT JOIN source s ON s.id = r.source_id "
        "WHERE r.source_id IS NOT NULL AND s.id IS NULL",
    ),
    (
        "claim place",
        "claim or place",
        "SELECT cp.claim_id || '/' || cp.place_id FROM claim_place cp LEFT JOIN claim c ON c.id = cp.claim_id "
        "LEFT JOIN place p ON p.id = cp.place_id WHERE c.id IS NULL OR p.id IS NULL",
    ),
    (
        "place alias",
        "place",
        "SELECT a.alias FROM place_alias a LEFT JOIN place p ON p.id = a.place_id WHERE p.id IS NULL",
    ),
    (
        "link",
        "claim",
        "SELECT l.from_id || '->' || l.to_id FROM link l LEFT JOIN claim f ON f.id = l.from_id "
        "LEFT JOIN claim t ON t.id = l.to_id WHERE f.id IS NULL OR t.id IS NULL",
    ),
    (
        "request for comment",
        "claim",
        "SELECT o.outreach_id || '/' || o.claim_id FROM outreach_claim o LEFT JOIN outreach r "
        "ON r.id = o.outreach_id LEFT JOIN claim c ON c.id = o.claim_id WHERE r.id IS NULL OR c.id IS NULL",
    ),
)
_LINK_CHECKS = (
    ("is linked to itself", "SELECT c.ext_id FROM link l JOIN claim c ON c.id = l.from_id WHERE l.from_id = l.to_id"),
    (
        "is linked to the same claim in both directions",
        "SELECT a.ext_id || ' and ' || b.ext_id || ' by ' || x.analyst FROM link x JOIN link y "
        "ON y.from_id = x.to_id AND y.to_id = x.from_id AND y.analyst = x.analyst "
        "JOIN claim a ON a.id = x.from_id JOIN claim b ON b.id = x.to_id WHERE x.from_id < x.to_id",
    ),
)


def _reference_problems(connection: Connection) -> list[str]:
    problems = []
    for what, target, sql in _REFERENCE_CHECKS:
        for (name,) in connection.exec_driver_sql(sql):
            problems.append(f"{what} {name} refers to a missing {target}")
    for what, sql in _LINK_CHECKS:
        for (name,) in connection.exec_driver_sql(sql):
            problems.append(f"claim {name} {what}")
    return problems
