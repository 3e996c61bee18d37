"""The whole workspace's graph read in a few scans, for derivations that reach a large share of it.

``SqlGraph`` and ``bulk_derive._WorkspaceGraph`` ask about the claims a
derivation walks, a few indexed queries per claim or per batch: right when a
change reaches a few thousand claims. Undoing a hundred thousand changes (the
as-of replay, ``history.patch``) reaches hundreds of thousands — at 1M claims,
a fifth of the workspace — and there the queries, and SQLAlchemy's work per row
they return, cost several times the derivation. ``LoadedGraph`` reads the
claims' sources, the sources' labels and every effective link in one scan each,
through the DB-API cursor (plain tuples, no per-row objects), and answers the
engine from memory as ``_WorkspaceGraph`` does, link for link (a property test
holds the two to the same derivations). ``write_in_bulk`` writes the derived
columns back through a temporary table: one set-based UPDATE of the rows that
differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Final

from sqlalchemy.engine import Connection

from desktop.core.corroboration import SUGGESTED_CREDIBILITY, LinkRef, Status, verdict_disputed

_NONE: Final[tuple[Any, ...]] = ()
_DERIVED: Final = "cc_derived_now"  # a temporary table, dropped before ``write_in_bulk`` returns


class LoadedGraph:
    """``corroboration.Graph`` over every claim and effective link of the open connection, read once."""

    def __init__(self, connection: Connection) -> None:
        cursor = _cursor(connection)
        self._sides: dict[int, tuple[str, str]] = {
            source: (side or "", group or "")
            for source, side, group in cursor.execute("SELECT id, side, group_label FROM source")
        }
        self._source: dict[int, int] = dict(cursor.execute("SELECT id, source_id FROM claim"))
        self._verdict: dict[int, str] = dict(cursor.execute("SELECT id, verdict FROM claim WHERE verdict IS NOT NULL"))
        repeats: defaultdict[int, list[int]] = defaultdict(list)
        repeated_by: defaultdict[int, list[int]] = defaultdict(list)
        evidence: defaultdict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
        for row in cursor.execute("SELECT id, from_id, to_id, relation FROM link WHERE effective"):
            _link, a, b, relation = row
            if relation == "repeats":
                repeats[a].append(b)
                repeated_by[b].append(a)
            else:  # kept as read; ``evidence_links`` turns it into the claim's view of it
                evidence[a].append(row)
                evidence[b].append(row)
        cursor.close()
        # Kept as they are: ``get`` on a defaultdict adds nothing.
        self._repeats, self._repeated_by, self._evidence = repeats, repeated_by, evidence

    def has_claim(self, claim: int) -> bool:
        return claim in self._source

    def source_of(self, claim: int) -> int:
        return self._source[claim]

    def source_side_group(self, source: int) -> tuple[str, str]:
        return self._sides[source]

    def repeats_of(self, claim: int) -> list[int] | tuple[()]:
        return self._repeats.get(claim, _NONE)

    def repeated_by(self, claim: int) -> list[int] | tuple[()]:
        return self._repeated_by.get(claim, _NONE)

    def evidence_links(self, claim: int) -> list[LinkRef]:
        refs = []
        seen_self: set[int] = set()
        for link, a, b, relation in self._evidence.get(claim, _NONE):
            if a == b:  # never written (the store refuses it), but answered as the SQL graphs would: both ways
                outgoing = link not in seen_self
                seen_self.add(link)
                refs.append(LinkRef(link, a, relation, outgoing))
            elif a == claim:
                refs.append(LinkRef(link, b, relation, True))
            else:
                refs.append(LinkRef(link, a, relation))
        return refs

    def link_count(self, claim: int) -> int:
        """The claim's effective links, either end (the stored ``link_count``)."""
        return (
            len(self._repeats.get(claim, _NONE))
            + len(self._repeated_by.get(claim, _NONE))
            + len(self._evidence.get(claim, _NONE))
        )

    def verdict(self, claim: int) -> str | None:
        return self._verdict.get(claim)


def write_in_bulk(connection: Connection, graph: LoadedGraph, statuses: dict[int, Status]) -> int:
    """Write the derived columns of the claims in ``statuses`` where they differ; how many rows changed.

    What ``status.write_derived`` writes of their derivations (status, suggested credibility, whether the
    evidence disputes the verdict, the effective link count), in three statements whatever the number of
    claims.
    """
    cursor = _cursor(connection)
    try:
        cursor.execute(
            f"CREATE TEMP TABLE {_DERIVED} (id INTEGER PRIMARY KEY, status TEXT NOT NULL, "
            "suggested INTEGER NOT NULL, disputed INTEGER NOT NULL, links INTEGER NOT NULL)"
        )
        cursor.executemany(
            f"INSERT INTO temp.{_DERIVED} VALUES (?, ?, ?, ?, ?)",  # noqa: S608 — a table name of ours
            _derived_rows(graph, statuses),
        )
        cursor.execute(
            f"UPDATE claim SET status = d.status, suggested_credibility = d.suggested, "  # noqa: S608
            f"verdict_disputed = d.disputed, link_count = d.links FROM temp.{_DERIVED} AS d "
            "WHERE claim.id = d.id AND (claim.status != d.status OR claim.suggested_credibility != d.suggested "
            "OR claim.verdict_disputed != d.disputed OR claim.link_count != d.links)"
        )
        return int(cursor.rowcount)
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS temp.{_DERIVED}")
        cursor.close()


def _derived_rows(graph: LoadedGraph, statuses: dict[int, Status]) -> Iterable[tuple[int, str, int, int, int]]:
    for claim, status in statuses.items():
        disputed = verdict_disputed(graph.verdict(claim), status)
        yield claim, status, SUGGESTED_CREDIBILITY[status], int(disputed), graph.link_count(claim)


def _cursor(connection: Connection) -> Any:
    """A DB-API cursor in the connection's own transaction (plain tuples, none of SQLAlchemy's per-row work)."""
    return connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
