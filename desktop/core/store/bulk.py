"""The bulk write path: a whole interchange document in one transaction (used by import).

Interactive edits go through ``Store`` one entity at a time; an import of a
hundred thousand claims cannot. Here, inside ONE write transaction
(``db.write_connection``: ``BEGIN IMMEDIATE`` on SQLite):

1. ``WorkspaceKeys.load`` reads the workspace's internal ids of the interchange
   ids the document mentions (``Wanted``: its own ids and its references), and
   the links already between claims it links, so the caller validates against
   them while the write lock is held — nothing can slip in between validation
   and the write. Only those: a million-claim workspace is not read whole;
2. the caller's ``build`` turns its document into ``BulkRows`` or raises, which
   rolls the transaction back: nothing is written;
3. the derived columns of the new claims (status, suggested credibility, …) are
   computed BEFORE they are written, by a full derivation of the statuses alone
   (``corroboration.statuses_all``) over the imported claims and links
   (``_derive_new_claims``), so each claim is written once, already derived;
   a judgement's effective and disputed flags are compared only on the pairs
   the document judges more than once (``_judgement_flags``);
4. each table gets one executemany INSERT in document order, so internal ids
   follow document order (exports list rows by internal id, hence the stable
   round trip); references are resolved through dicts, never a query per row.
   On SQLite the full-text insert trigger is suspended while the claims go in
   and the index filled in one statement (``bulk_fts``) or after the commit;
   a table that was empty gets its indexes built after its rows
   (``bulk_indexes``);
5. audit: one ``import`` row per entity (field ``""``, ``new`` = its interchange
   id; a link is ``FROM->TO`` as in the store) plus one ``workspace`` row for
   the whole import (counts and, when known, the document's SHA-256), rather
   than a row per field as interactive edits write: the document is the record
   of the values, and per-field rows would multiply the cost of a large import;
6. when imported links touch claims that were already there, those claims'
   neighbourhood (their clusters and the clusters linked to them by evidence,
   as ``corroboration.neighbourhood`` says) is re-derived over the workspace, read a
   batch of claims at a time (``_WorkspaceGraph``); nothing else can have
   changed (see ``_derive_new_claims``). Measured into the 1M-claim bench
   workspace: 1k claims each linked to an existing one, 1.3 s in all; 10k,
   7 s; 100k (a neighbourhood of 570k claims), 26 s — about what deriving the
   whole workspace again costs, which is what any import paid before.

Speed: SQLAlchemy's per-row parameter handling was the largest cost once, so
on SQLite each column is converted once by its type's own bind processor (UTC
timestamps spelled directly) and handed to the driver's executemany
(``bulk_insert_columns``); new ids are checked, not read back. The bench
document (100k claims, 95k links, 20k reports), CPU time on the shared 2-core
machine while it was busy, the search index left for after the commit: 6.35 s
into an empty workspace (was 9.8, then 7.4 before the fast decoder of
``interchange.json_fast``), 8.6 s into the 100k-claim one. Into the empty one:
decoding and checking 1.5 (was 2.2), derivation 1.0 (the claims' rows, the
graph and the statuses), claims and their places 1.3, links 0.6, audit 1.2
(with the indexes built after the rows), commit 0.4. SQLite's own work is about
2.7 s of it, and its share grows into the 1M workspace, where seven indexes of
a million claims take the new rows one by one (claims 2.5 s, commit 0.65 s).

Layout: this module is the entry point (``bulk_import``, ``write_rows``); the id
lookups are in ``bulk_keys``, the derivation in ``bulk_derive``, the inserts and
audit rows in ``bulk_write``, the full-text index in ``bulk_fts`` and the
indexes of empty tables in ``bulk_indexes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from sqlalchemy.engine import Connection, Engine

from desktop.core import corroboration
from desktop.core.corroboration import judgements
from desktop.core.db import write_connection
from desktop.core.progress import IMPORT_STEPS, Progress
from desktop.core.store import bulk_tally, status
from desktop.core.store.bulk_derive import _derive_new_claims, _WorkspaceGraph
from desktop.core.store.bulk_fts import insert_trigger_suspended
from desktop.core.store.bulk_indexes import indexes_built_after
from desktop.core.store.bulk_keys import Wanted, WorkspaceKeys
from desktop.core.store.bulk_write import _insert_audit, _insert_entities, bulk_insert
from desktop.core.store.links import refresh_pairs
from desktop.core.text import fold

__all__ = ["BulkCounts", "BulkRows", "Wanted", "WorkspaceKeys", "bulk_import", "write_rows"]

_IMPORT_CACHE_KIB = -256 * 1024  # negative: KiB, SQLite's convention
# The tables an import fills most: when one is empty, its indexes are built after its rows (``bulk_indexes``).
_REBUILT = ("claim", "claim_place", "link", "audit", "report")


@dataclass
class BulkRows:
    """Validated rows to insert, in document order: table columns plus references by interchange id.

    Every row has ``ext_id`` except links. Besides its table's columns, a report
    row has ``source`` (id or None); a place ``aliases`` (list); a claim
    ``source``, ``report`` (or None) and ``places`` (list); a link ``from`` and
    ``to``; a request for comment ``by`` (or None) and ``about`` (list). The rows are consumed.
    """

    sources: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    outreach: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class BulkCounts:
    sources: int = 0
    reports: int = 0
    places: int = 0
    claims: int = 0
    links: int = 0
    outreach: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def bulk_import(
    engine: Engine,
    build: Callable[[WorkspaceKeys], BulkRows],
    *,
    analyst: str,
    document: dict[str, Any] | None = None,
    wanted: Callable[[], Wanted] | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    defer_index: bool = False,
) -> BulkCounts:
    """Validate (``build``) and write a document in one transaction; see the module docstring.

    ``wanted``: the ids the document mentions (None: the keys of every entity are loaded),
    asked for only when the workspace is not empty.
    ``document`` is extra information for the import's audit row (e.g. its digest).
    ``progress`` hears of each step; if it raises, the transaction is rolled back.
    ``now``: when the import happens (its audit rows' time); the wall clock by default.
    ``defer_index``: leave the new claims' full-text index for after the commit (``bulk_fts``).
    """
    with write_connection(engine) as connection, _large_cache(connection):
        keys = WorkspaceKeys.load(connection, wanted)
        rows = build(keys)
        with indexes_built_after(connection, _REBUILT):
            counts = write_rows(
                connection,
                rows,
                keys,
                analyst=analyst,
                document=document,
                progress=progress,
                now=now,
                defer_index=defer_index,
            )
        _step(progress, "saving")
        return counts


def _step(progress: Progress | None, step: str) -> None:
    if progress is not None:
        progress(step, IMPORT_STEPS[step])


@contextmanager
def _large_cache(connection: Connection) -> Iterator[None]:
    """A bigger SQLite page cache while importing (a limit, not an allocation), restored afterwards.

    The default 2 MB is far smaller than the indexes a large import updates in random order.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = {_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def _judgement_flags(links: list[dict[str, Any]], ends: dict[str, int]) -> list[tuple[bool, bool]]:
    """(effective, disputed) of each judgement of the document among the document's judgements on its pair.

    A pair judged once (nearly every pair of a document) is effective and undisputed; only the
    judgements of pairs judged more than once are compared (``judgements.flags``).
    """
    pairs = [judgements.pair_of(ends[r["from"]], ends[r["to"]]) for r in links]
    flags = [(True, False)] * len(pairs)
    if len(set(pairs)) == len(pairs):
        return flags
    shared: dict[tuple[int, int], list[int]] = {}
    for i, pair in enumerate(pairs):
        shared.setdefault(pair, []).append(i)
    for indices in shared.values():
        if len(indices) == 1:
            continue
        group = [
            judgements.Judgement(i, ends[r["from"]], ends[r["to"]], r["relation"], r["analyst"], r["recorded"])
            for i, r in ((i, links[i]) for i in indices)
        ]
        chosen, disputed = judgements.flags(group)
        for i in indices:
            flags[i] = (i == chosen, disputed)
    return flags


def write_rows(
    connection: Connection,
    rows: BulkRows,
    keys: WorkspaceKeys,
    *,
    analyst: str,
    document: dict[str, Any] | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    defer_index: bool = False,
) -> BulkCounts:
    """Insert ``rows`` (already validated against ``keys``) on an open write transaction, derived."""
    audit_entities: list[str] = []
    audit_ids: list[str] = []

    def log(entity: str, ext_ids: list[str]) -> None:
        audit_entities.extend(repeat(entity, len(ext_ids)))
        audit_ids.extend(ext_ids)

    _step(progress, "writing sources, reports and places")
    sources = {**keys.sources, **_insert_entities(connection, "source", rows.sources)}
    log("source", [r["ext_id"] for r in rows.sources])

    for row in rows.reports:
        ref = row.pop("source")
        row["source_id"] = None if ref is None else sources[ref]
    reports = {**keys.reports, **_insert_entities(connection, "report", rows.reports)}
    log("report", [r["ext_id"] for r in rows.reports])

    alias_lists = [row.pop("aliases") for row in rows.places]
    for row in rows.places:
        row["folded"] = fold(row["name"])
    new_places = _insert_entities(connection, "place", rows.places)
    places = {**keys.places, **new_places}
    aliases = [
        (new_places[row["ext_id"]], i, alias, fold(alias))
        for row, names in zip(rows.places, alias_lists, strict=True)
        for i, alias in enumerate(names)
    ]
    bulk_insert(connection, "place_alias", ("place_id", "position", "alias", "folded"), aliases)
    log("place", [r["ext_id"] for r in rows.places])

    place_lists = []
    for row in rows.claims:
        row["source_id"] = sources[row.pop("source")]
        ref = row.pop("report")
        row["report_id"] = None if ref is None else reports[ref]
        place_lists.append(row.pop("places"))
        row["sort_date"] = row["claimed"] or row["recorded"].date()
    # New claims are -1, -2, … (document order) until they have ids; existing claims their ids.
    _step(progress, "deriving statuses")
    ends = {**keys.claims, **{row["ext_id"]: -1 - i for i, row in enumerate(rows.claims)}}
    link_flags = _judgement_flags(rows.links, ends)
    derived, touched = _derive_new_claims(
        connection,
        [row["source_id"] for row in rows.claims],
        [
            (ends[r["from"]], ends[r["to"]], r["relation"])
            for r, (effective, _disputed) in zip(rows.links, link_flags, strict=True)
            if effective
        ],
    )
    verdict_disputed = corroboration.verdict_disputed
    for row, (state, credibility, count) in zip(rows.claims, derived, strict=True):
        row["status"] = state
        row["suggested_credibility"] = credibility
        row["verdict_disputed"] = verdict_disputed(row["verdict"], state)
        row["link_count"] = count
    _step(progress, "writing claims")
    with (
        insert_trigger_suspended(connection, defer_index=defer_index) as suspended,
        bulk_tally.insert_trigger_suspended(connection),  # the kept number of claims: added once
    ):
        new_claims = _insert_entities(connection, "claim", rows.claims, one_statement=not suspended)
    claims = {**keys.claims, **new_claims}
    claim_places = [
        (new_claims[row["ext_id"]], places[place], i)
        for row, refs in zip(rows.claims, place_lists, strict=True)
        for i, place in enumerate(refs)
    ]
    bulk_insert(connection, "claim_place", ("claim_id", "place_id", "position"), claim_places)
    log("claim", [r["ext_id"] for r in rows.claims])

    _step(progress, "writing links and requests for comment")
    links = [
        (claims[r["from"]], claims[r["to"]], r["relation"], r["rationale"], r["analyst"], r["recorded"], *flags)
        for r, flags in zip(rows.links, link_flags, strict=True)
    ]
    columns = ("from_id", "to_id", "relation", "rationale", "analyst", "recorded", "effective", "disputed")
    bulk_insert(connection, "link", columns, links)
    log("link", [f"{r['from']}->{r['to']}" for r in rows.links])
    # Pairs of two claims that were already there may hold judgements of the workspace as well.
    refresh_pairs(
        connection, [(ends[r["from"]], ends[r["to"]]) for r in rows.links if ends[r["from"]] >= 0 <= ends[r["to"]]]
    )

    about_lists = [row.pop("about") for row in rows.outreach]
    for row in rows.outreach:
        ref = row.pop("by")
        row["by_source_id"] = None if ref is None else sources[ref]
    new_outreach = _insert_entities(connection, "outreach", rows.outreach)
    about = [
        (new_outreach[row["ext_id"]], claims[claim], i)
        for row, refs in zip(rows.outreach, about_lists, strict=True)
        for i, claim in enumerate(refs)
    ]
    bulk_insert(connection, "outreach_claim", ("outreach_id", "claim_id", "position"), about)
    log("outreach", [r["ext_id"] for r in rows.outreach])

    counts = BulkCounts(
        len(rows.sources), len(rows.reports), len(rows.places), len(rows.claims), len(rows.links), len(rows.outreach)
    )
    _step(progress, "writing the audit trail")
    summary: Any = {**counts.as_dict(), **(document or {})}
    _insert_audit(connection, analyst, audit_entities, audit_ids, summary, now)
    if touched:
        _step(progress, "re-deriving linked claims")
        # Links into claims that were already there: re-derive their neighbourhood over the whole
        # workspace, now written (new claims in it included: their first derivation saw only the document).
        graph = _WorkspaceGraph(connection)
        status.write_derived(connection, corroboration.derive_many(graph, corroboration.neighbourhood(graph, touched)))
    return counts
