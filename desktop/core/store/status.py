"""Keeping the derived status columns of ``claim`` true, inside the write transaction.

The status engine (``desktop.core.corroboration``) is pure; here it runs over a
``SqlGraph`` that reads the workspace lazily, so one link change costs a few
indexed queries about the clusters it touches, not a load of the workspace.

Which claims can change status (docs/status-rules.md):
- an evidence link a–b: every member of a's and of b's ``repeats`` cluster;
- a ``repeats`` link, a claim's source, a source's side or group, a deleted
  claim: the clusters involved before *and* after the change (members join or
  leave, origins move), plus every cluster linked by evidence to one of their
  members, because independence from them is judged on those origins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection, Row

from desktop.core import corroboration
from desktop.core.corroboration import Derivation, MemoryGraph, judgements
from desktop.core.corroboration.sql_graph import SqlGraph


def refresh(connection: Connection, claims: set[int], graph: SqlGraph | None = None) -> set[int]:
    """Re-derive ``claims`` and write the derived columns that differ; returns the claims whose row changed.

    ``graph``: one read earlier in this transaction and still true (``Tx.kept_graph``), else a new one.
    """
    graph = graph or SqlGraph(connection)
    alive = graph.existing(claims)
    if not alive:
        return set()
    derivations = corroboration.derive_many(graph, alive)
    # The derivation read the claims' links, and on PostgreSQL their stored columns with them: two round
    # trips fewer than counting the links and reading the rows again.
    stored = graph.stored(alive)
    rows = None if stored is None else [_StoredRow(claim, *values) for claim, values in stored.items()]
    return _write_derived(connection, alive, derivations, graph.link_counts(alive), rows)


class _StoredRow(NamedTuple):
    """A claim's stored derived columns, as ``_STORED`` reads them (``SqlGraph.stored``'s order after the id)."""

    id: int
    verdict: str | None
    status: str
    suggested_credibility: int
    verdict_disputed: bool
    link_count: int


_STORED = "SELECT id, verdict, status, suggested_credibility, verdict_disputed, link_count FROM claim"


def _stored_rows(connection: Connection, claims: set[int] | None) -> Iterator[Row[Any]]:
    """The stored derived columns of ``claims`` (all claims when None: one scan, no IN lists)."""
    if claims is None:
        yield from connection.execute(text(_STORED))
        return
    query = text(_STORED + " WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    ids = sorted(claims)
    for start in range(0, len(ids), 500):
        yield from connection.execute(query, {"ids": ids[start : start + 500]})


def _differences(
    rows: Iterable[Any], derivations: dict[int, Derivation], counts: dict[int, int]
) -> list[dict[str, Any]]:
    """Update parameters for every row whose stored derived columns differ from the derivation."""
    updates = []
    for row in rows:
        derivation = derivations[row.id]
        new = (
            derivation.status,
            derivation.suggested_credibility,
            corroboration.verdict_disputed(row.verdict, derivation.status),
            counts.get(row.id, 0),
        )
        if new != (row.status, row.suggested_credibility, bool(row.verdict_disputed), row.link_count):
            updates.append({"i": row.id, "s": new[0], "c": new[1], "d": new[2], "n": new[3]})
    return updates


def write_derived(connection: Connection, derivations: dict[int, Derivation]) -> set[int]:
    """Write the derived columns of the claims in ``derivations`` where they differ; returns those claims.

    For callers that derived over a graph of their own (the bulk import); ``refresh`` derives and writes.
    """
    if not derivations:
        return set()
    return _write_derived(connection, set(derivations), derivations)


def _write_derived(
    connection: Connection,
    claims: set[int] | None,
    derivations: dict[int, Derivation],
    counts: dict[int, int] | None = None,
    rows: Iterable[Any] | None = None,
) -> set[int]:
    """``rows``: the claims' stored derived columns when the caller has them (else read here)."""
    if counts is None:
        counts = _all_link_counts(connection) if claims is None else _link_counts(connection, claims)
    updates = _differences(_stored_rows(connection, claims) if rows is None else rows, derivations, counts)
    if updates:
        connection.execute(
            text(
                "UPDATE claim SET status = :s, suggested_credibility = :c, verdict_disputed = :d, link_count = :n "
                "WHERE id = :i"
            ),
            updates,
        )
    return {u["i"] for u in updates}


def _all_link_counts(connection: Connection) -> dict[int, int]:
    counts: dict[int, int] = {}
    for f, t in connection.execute(text("SELECT from_id, to_id FROM link WHERE effective")):
        counts[f] = counts.get(f, 0) + 1
        counts[t] = counts.get(t, 0) + 1
    return counts


def _link_counts(connection: Connection, claims: set[int]) -> dict[int, int]:
    query = text(
        "SELECT c, count(*) FROM (SELECT from_id AS c FROM link WHERE from_id IN :ids AND effective "
        "UNION ALL SELECT to_id AS c FROM link WHERE to_id IN :ids AND effective) AS ends GROUP BY c"
    ).bindparams(bindparam("ids", expanding=True))
    counts: dict[int, int] = {}
    ids = sorted(claims)
    for start in range(0, len(ids), 500):
        counts.update({r[0]: r[1] for r in connection.execute(query, {"ids": ids[start : start + 500]})})
    return counts


def load_memory_graph(
    connection: Connection,
    *,
    analyst: str | None = None,
    as_of: dt.datetime | None = None,
    loaded: list[judgements.Judgement] | None = None,
) -> MemoryGraph:
    """The whole workspace as an in-memory graph (full re-derivation, ``status``, checks).

    Its links are each pair's effective link (DESIGN §2) among the judgements considered: all of them,
    or ``analyst``'s alone ("as analyst A"), recorded at or before ``as_of`` when given (claims are
    left to ``MemoryGraph.as_of``). ``loaded``: those judgements, when the caller has read them already.
    """
    graph = MemoryGraph()
    for sid, side, group in connection.execute(text("SELECT id, side, group_label FROM source")):
        graph.add_source(sid, side or "", group or "")
    for cid, source, recorded in connection.execute(text("SELECT id, source_id, recorded FROM claim")):
        graph.add_claim(cid, source, recorded=_aware(recorded))
    chosen = loaded if loaded is not None else load_judgements(connection, analyst=analyst, as_of=as_of)
    for j in judgements.effective_links(chosen):
        graph.add_link(j.id, j.from_, j.to, j.relation, recorded=j.recorded)
    return graph


def load_judgements(
    connection: Connection, *, analyst: str | None = None, as_of: dt.datetime | None = None
) -> list[judgements.Judgement]:
    """Every stored judgement (of ``analyst`` only, recorded at or before ``as_of``, when given)."""
    query = "SELECT id, from_id, to_id, relation, analyst, recorded FROM link"
    params: dict[str, Any] = {}
    if analyst is not None:
        query += " WHERE analyst = :a"
        params["a"] = analyst
    found = [
        judgements.Judgement(lid, f, t, relation, who, _aware(recorded))
        for lid, f, t, relation, who, recorded in connection.execute(text(query), params)
    ]
    if as_of is not None:
        found = [j for j in found if j.recorded is None or j.recorded <= as_of]
    return found


def _aware(value: str | dt.datetime | None) -> dt.datetime | None:
    """Raw SQL returns SQLite datetimes as text; the engine compares aware datetimes."""
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def rederive_all(connection: Connection) -> set[int]:
    """Recompute every claim's derived columns (and every pair's effective link); returns the claims that changed."""
    from desktop.core.store.links import refresh_all_pairs  # links imports this module

    refresh_all_pairs(connection)
    derivations = corroboration.derive_all(load_memory_graph(connection))
    if not derivations:
        return set()
    return _write_derived(connection, None, derivations)


def stale_claims(connection: Connection) -> list[int]:
    """Claims whose stored derived columns disagree with a full derivation (``crosscheck check``)."""
    derivations = corroboration.derive_all(load_memory_graph(connection))
    updates = _differences(_stored_rows(connection, None), derivations, _all_link_counts(connection))
    return sorted(u["i"] for u in updates)
