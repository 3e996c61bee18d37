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
holds the two to the same derivations). The patch reads it before it writes
and brings it up to date afterwards (``read_changes``, ``apply``: the pairs and
claims it wrote, read again), so it has the graph both as it was and as it is
for one scan (the as-of patch reads it in a process of its own:
``history.derive_process``, hence ``from_cursor`` and plain-data changes and
rows). ``write_in_bulk`` writes the derived columns back (``derived_rows``,
then ``write_derived_rows``: the rows that differ).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from desktop.core.corroboration import SUGGESTED_CREDIBILITY, LinkRef, Status, verdict_disputed

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_NONE: Final[tuple[Any, ...]] = ()
_CHUNK: Final = 500  # ids per IN list
#: a claim's derived columns: id, status, suggested credibility, verdict disputed (0/1), effective link count
DerivedRow = tuple[int, str, int, int, int]
#: a claim's stored derived columns as one text (``_stored_key``)
_STORED_KEY: Final = "status || ' ' || suggested_credibility || ' ' || verdict_disputed || ' ' || link_count"


class LoadedGraph:
    """``corroboration.Graph`` over every claim and effective link of the open connection, read once."""

    def __init__(self, connection: Connection) -> None:
        self._stored: dict[int, str] | None = None  # the claims' derived columns as stored (``from_cursor``)
        self._read(_cursor(connection))

    @classmethod
    def from_cursor(cls, cursor: sqlite3.Cursor, *, stored: bool = False) -> LoadedGraph:
        """The graph read through a DB-API cursor (the as-of patch's derivation process has no SQLAlchemy
        connection); the cursor is closed. ``stored``: the claims' derived columns too, as they are stored
        (``derived_rows`` then leaves out what would write them as they are)."""
        graph = cls.__new__(cls)
        # One text per claim, made by SQLite: a million rows go into the dict without a Python loop.
        graph._stored = dict(cursor.execute(f"SELECT id, {_STORED_KEY} FROM claim")) if stored else None  # noqa: S608
        graph._read(cursor)
        return graph

    def _read(self, cursor: Any) -> None:
        self._sides = _sides(cursor)
        self._source: dict[int, int] = dict(cursor.execute("SELECT id, source_id FROM claim"))
        self._verdict: dict[int, str] = dict(cursor.execute("SELECT id, verdict FROM claim WHERE verdict IS NOT NULL"))
        # Kept as they are: ``get`` on a defaultdict adds nothing.
        self._repeats: defaultdict[int, list[int]] = defaultdict(list)
        self._repeated_by: defaultdict[int, list[int]] = defaultdict(list)
        self._evidence: defaultdict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
        self._add_links(cursor.execute("SELECT id, from_id, to_id, relation FROM link WHERE effective"))
        cursor.close()

    def _add_links(self, rows: Iterable[tuple[int, int, int, str]]) -> None:
        repeats, repeated_by, evidence = self._repeats, self._repeated_by, self._evidence
        for row in rows:
            _link, a, b, relation = row
            if relation == "repeats":
                repeats[a].append(b)
                repeated_by[b].append(a)
            else:  # kept as read; ``evidence_links`` turns it into the claim's view of it
                evidence[a].append(row)
                evidence[b].append(row)

    # --- after writes: the rows some changes touched (``read_changes``), applied ---------------------------

    def apply(self, changes: GraphChanges) -> None:
        """Bring the graph up to date (``read_changes``): the changed pairs' links replaced, the claims' sources
        and verdicts set (a claim no longer there taken out), the sources' sides and groups replaced."""
        pairs = changes.pairs
        for a in {end for pair in pairs for end in pair}:
            for adjacency in (self._repeats, self._repeated_by):
                others = adjacency.get(a)
                if others:
                    adjacency[a] = [b for b in others if (min(a, b), max(a, b)) not in pairs]
            rows = self._evidence.get(a)
            if rows:
                self._evidence[a] = [r for r in rows if (min(r[1], r[2]), max(r[1], r[2])) not in pairs]
        self._add_links(changes.links)
        for claim, row in changes.claims.items():
            self._verdict.pop(claim, None)
            if row is None:
                self._source.pop(claim, None)
                continue
            self._source[claim] = row[0]
            if row[1] is not None:
                self._verdict[claim] = row[1]
        self._sides = changes.sides

    def repeats_between(self, a: int, b: int) -> bool:
        """Whether the effective link of the pair is a ``repeats`` (either way)."""
        return b in self._repeats.get(a, _NONE) or a in self._repeats.get(b, _NONE)

    def repeating_claims(self) -> set[int]:
        """Every claim with an effective ``repeats`` judgement, either end: the members of clusters of more
        than one claim (and of one that repeats itself)."""
        return self._repeats.keys() | self._repeated_by.keys()

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


@dataclass(frozen=True)
class GraphChanges:
    """Rows as they stand after writes (``read_changes``, ``LoadedGraph.apply``)."""

    pairs: set[tuple[int, int]]  # (lower, higher) claim ids: every effective link between them is in ``links``
    links: list[tuple[int, int, int, str]]  # id, from, to, relation
    claims: dict[int, tuple[int, str | None] | None]  # claim → (source, verdict); None: no longer there
    sides: dict[int, tuple[str, str]]  # every source's side and group


def read_changes(connection: Connection, pairs: Iterable[tuple[int, int]], claims: Iterable[int]) -> GraphChanges:
    """The effective links of ``pairs`` (either order), the rows of ``claims`` and every source, as they stand
    now: what ``LoadedGraph.apply`` brings a graph read before writes up to date with, when the writes touched
    nothing else."""
    unordered = {(min(a, b), max(a, b)) for a, b in pairs}
    ends = sorted({end for pair in unordered for end in pair})
    ids = sorted(set(claims))
    cursor = _cursor(connection)
    try:
        links = [
            row
            for row in _rows_in(
                cursor, "SELECT id, from_id, to_id, relation FROM link WHERE effective AND from_id IN", ends
            )
            if (min(row[1], row[2]), max(row[1], row[2])) in unordered
        ]
        rows = {
            c: (source, verdict)
            for c, source, verdict in _rows_in(cursor, "SELECT id, source_id, verdict FROM claim WHERE id IN", ids)
        }
        return GraphChanges(unordered, links, {c: rows.get(c) for c in ids}, _sides(cursor))
    finally:
        cursor.close()


def _sides(cursor: Any) -> dict[int, tuple[str, str]]:
    return {
        source: (side or "", group or "")
        for source, side, group in cursor.execute("SELECT id, side, group_label FROM source")
    }


def _rows_in(cursor: Any, query: str, ids: list[int]) -> Iterable[Any]:
    """Rows of ``query`` ending in ``IN`` for ``ids``, a chunk at a time."""
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        yield from cursor.execute(f"{query} ({', '.join('?' * len(chunk))})", chunk).fetchall()


def write_in_bulk(connection: Connection, graph: LoadedGraph, statuses: dict[int, Status]) -> int:
    """Write the derived columns of the claims in ``statuses`` where they differ; how many rows changed.

    What ``status.write_derived`` writes of their derivations (status, suggested credibility, whether the
    evidence disputes the verdict, the effective link count): ``derived_rows`` then ``write_derived_rows``.
    """
    return write_derived_rows(connection, derived_rows(graph, statuses))


def write_derived_rows(connection: Connection, rows: Iterable[DerivedRow]) -> int:
    """Write ``derived_rows`` where they differ from the stored columns; how many rows changed.

    One statement per row, each finding its row by id: an ``UPDATE … FROM`` a temporary table is planned
    as a scan of every claim (SQLite knows nothing of the temporary table's size), which the patch paid for
    every part its derivation process hands back.
    """
    cursor = _cursor(connection)
    try:
        cursor.executemany(
            "UPDATE claim SET status = ?1, suggested_credibility = ?2, verdict_disputed = ?3, link_count = ?4 "
            "WHERE id = ?5 AND (status IS NOT ?1 OR suggested_credibility IS NOT ?2 OR verdict_disputed IS NOT ?3 "
            "OR link_count IS NOT ?4)",
            # In the claims' order: each row's page is then next to the last one's (66k rows in random order
            # took twice as long at a million claims: a page read back for nearly every row).
            ((status, suggested, disputed, links, claim) for claim, status, suggested, disputed, links in sorted(rows)),
        )
        return int(cursor.rowcount)
    finally:
        cursor.close()


def derived_rows(graph: LoadedGraph, statuses: dict[int, Status], inserted: Container[int] = ()) -> list[DerivedRow]:
    """The stored columns of ``statuses``' claims: (claim, status, suggested credibility, whether the evidence
    disputes its verdict, its effective link count) — plain tuples, cheap to hand to another process.

    When the graph was read with the columns as stored (``from_cursor(stored=True)``), a claim whose columns
    would be written as they are is left out, unless it is in ``inserted``: rows written since the graph was
    read, whose stored columns are not those it read (at a million claims and a hundred thousand changes
    undone, 258 of the 155k claims derived change).
    """
    verdict, link_count, stored = graph.verdict, graph.link_count, graph._stored
    rows: list[DerivedRow] = []
    for claim, status in statuses.items():
        row = (claim, status, SUGGESTED_CREDIBILITY[status], int(verdict_disputed(verdict(claim), status)),
               link_count(claim))  # fmt: skip
        if stored is None or claim in inserted or stored.get(claim) != _stored_key(row):
            rows.append(row)
    return rows


def _stored_key(row: DerivedRow) -> str:
    """What ``_STORED_KEY`` reads of a claim whose columns are ``row``."""
    return f"{row[1]} {row[2]} {row[3]} {row[4]}"


def _cursor(connection: Connection) -> Any:
    """A DB-API cursor in the connection's own transaction (plain tuples, none of SQLAlchemy's per-row work)."""
    return connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
