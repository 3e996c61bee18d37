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
   computed BEFORE they are written, by a full derivation over the imported
   claims and links alone (``_derive_new_claims``), so each claim is written
   once, already derived;
4. each table gets one executemany INSERT in document order, so internal ids
   follow document order (exports list rows by internal id, hence the stable
   round trip); references are resolved through dicts, never a query per row.
   On SQLite the full-text insert trigger is suspended while the claims go in
   and the index filled in one statement (``bulk_fts``);
5. audit: one ``import`` row per entity (field ``""``, ``new`` = its interchange
   id; a link is ``FROM->TO`` as in the store) plus one ``workspace`` row for
   the whole import (counts and, when known, the document's SHA-256), rather
   than a row per field as interactive edits write: the document is the record
   of the values, and per-field rows would multiply the cost of a large import;
6. when imported links touch claims that were already there, those claims'
   neighbourhood (their clusters and the clusters linked to them by evidence,
   as ``status.neighbourhood`` says) is re-derived over the workspace, read a
   batch of claims at a time (``_WorkspaceGraph``); nothing else can have
   changed (see ``_derive_new_claims``). Measured into the 1M-claim bench
   workspace: 1k claims each linked to an existing one, 1.3 s in all; 10k,
   7 s; 100k (a neighbourhood of 570k claims), 26 s — about what deriving the
   whole workspace again costs, which is what any import paid before.

Speed: SQLAlchemy's per-row parameter handling was the largest cost once, so
on SQLite each column is converted once by its type's own bind processor and
handed to the driver's executemany (``bulk_insert_columns``). The bench document
(100k claims, 95k links) into an empty workspace, 2-core machine: about 7 s,
of which decoding 0.45, validation 1.05, derivation 0.9 (graph 0.3, engine
0.6), claims 1.0 and their full-text index 1.15, links 0.35, claim places 0.15,
audit 0.5 and the commit 0.4; SQLite's own work is about 2.7 s of it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from desktop.core import corroboration
from desktop.core.db import table_of, write_connection
from desktop.core.schema import (
    AuditEntry,
    Claim,
    ClaimPlace,
    Link,
    Outreach,
    OutreachClaim,
    Place,
    PlaceAlias,
    Report,
    Source,
)
from desktop.core.store import status
from desktop.core.store.bulk_fts import insert_trigger_suspended
from desktop.core.text import fold

_TABLES: dict[str, sa.Table] = {
    str(model.__tablename__): table_of(model)
    for model in (Source, Report, Place, PlaceAlias, Claim, ClaimPlace, Link, Outreach, OutreachClaim, AuditEntry)
}
_IMPORT_CACHE_KIB = -256 * 1024  # negative: KiB, SQLite's convention
_IN_CHUNK = 500  # ids per ``IN (…)`` list
_GRAPH_CHUNK = 2000  # the same, when reading the clusters an import touches (fewer, larger statements)
_ANY_ENTITY = "SELECT " + " OR ".join(
    f"EXISTS (SELECT 1 FROM {table})" for table in ("source", "report", "place", "claim", "outreach")
)
_SAMPLE = 1000  # values looked at to tell whether a column repeats (see ``_convert``)


@dataclass
class Wanted:
    """The interchange ids a document mentions, per section: its entities' own ids and its references.

    ``linked`` are the claim ids its links name (the links already between those are loaded too).
    """

    sources: set[str] = field(default_factory=set)
    reports: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    outreach: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)


@dataclass
class WorkspaceKeys:
    """Interchange id → internal id of entities already in the workspace, per table.

    Loaded for the ids a document mentions (``Wanted``), or for every entity.
    """

    sources: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    outreach: dict[str, int] = field(default_factory=dict)
    # Linked pairs of existing claims as (lower id, higher id): a pair carries one link at most.
    # Loaded for ``Wanted``: the pairs between two of the claims its links name.
    link_pairs: set[tuple[int, int]] = field(default_factory=set)

    @classmethod
    def load(cls, connection: Connection, wanted: Callable[[], Wanted] | None = None) -> WorkspaceKeys:
        """The ids of ``wanted()`` the workspace holds (all when None) and the links among them.

        ``wanted`` is called only when the workspace holds any entity at all.
        """
        if not connection.execute(sa.text(_ANY_ENTITY)).scalar_one():
            return cls()
        if wanted is None:

            def ids(table: str) -> dict[str, int]:
                return {ext: ident for ident, ext in connection.execute(sa.text(f"SELECT id, ext_id FROM {table}"))}

            keys = cls(ids("source"), ids("report"), ids("place"), ids("claim"), ids("outreach"))
            if keys.claims:
                for a, b in connection.execute(sa.text("SELECT from_id, to_id FROM link")):
                    keys.link_pairs.add((a, b) if a < b else (b, a))
            return keys
        mentioned = wanted()
        keys = cls(
            _ids_of(connection, "source", mentioned.sources),
            _ids_of(connection, "report", mentioned.reports),
            _ids_of(connection, "place", mentioned.places),
            _ids_of(connection, "claim", mentioned.claims | mentioned.linked),
            _ids_of(connection, "outreach", mentioned.outreach),
        )
        linked = {keys.claims[ext] for ext in mentioned.linked if ext in keys.claims}
        if len(linked) > 1:
            query = (
                "SELECT from_id, to_id FROM link WHERE from_id IN :ids "
                "UNION ALL SELECT from_id, to_id FROM link WHERE to_id IN :ids"
            )
            for a, b in _select_in(connection, query, linked):
                if a in linked and b in linked:
                    keys.link_pairs.add((a, b) if a < b else (b, a))
        return keys


def _select_in(connection: Connection, query: str, ids: Collection[Any], *, chunk: int = _IN_CHUNK) -> Iterator[Any]:
    """Rows of ``query`` (whose ``:ids`` is an ``IN`` list) for ``ids``, a chunk of them per statement."""
    statement = sa.text(query).bindparams(sa.bindparam("ids", expanding=True))
    ordered = sorted(ids)
    for start in range(0, len(ordered), chunk):
        yield from connection.execute(statement, {"ids": ordered[start : start + chunk]})


def _ids_of(connection: Connection, table: str, ext_ids: Collection[str]) -> dict[str, int]:
    if not ext_ids or connection.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is None:
        return {}  # an empty table: the common first import, no lookups at all
    query = f"SELECT ext_id, id FROM {table} WHERE ext_id IN :ids"
    return {ext: ident for ext, ident in _select_in(connection, query, ext_ids)}


@dataclass
class BulkRows:
    """Validated rows to insert, in document order: table columns plus references by interchange id.

    Every row has ``ext_id`` except links. Besides its table's columns, a report
    row has ``source`` (id or None); a place ``aliases`` (list); a claim
    ``source``, ``report`` (or None) and ``places`` (list); a link ``from`` and
    ``to``; a request for comment ``about`` (list). The rows are consumed.
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
) -> BulkCounts:
    """Validate (``build``) and write a document in one transaction; see the module docstring.

    ``wanted``: the ids the document mentions (None: the keys of every entity are loaded),
    asked for only when the workspace is not empty.
    ``document`` is extra information for the import's audit row (e.g. its digest).
    """
    with write_connection(engine) as connection, _large_cache(connection):
        keys = WorkspaceKeys.load(connection, wanted)
        rows = build(keys)
        return write_rows(connection, rows, keys, analyst=analyst, document=document)


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


def write_rows(
    connection: Connection,
    rows: BulkRows,
    keys: WorkspaceKeys,
    *,
    analyst: str,
    document: dict[str, Any] | None = None,
) -> BulkCounts:
    """Insert ``rows`` (already validated against ``keys``) on an open write transaction, derived."""
    audit_entities: list[str] = []
    audit_ids: list[str] = []

    def log(entity: str, ext_ids: list[str]) -> None:
        audit_entities.extend(repeat(entity, len(ext_ids)))
        audit_ids.extend(ext_ids)

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
    ends = {**keys.claims, **{row["ext_id"]: -1 - i for i, row in enumerate(rows.claims)}}
    derived, touched = _derive_new_claims(
        connection,
        [row["source_id"] for row in rows.claims],
        [(ends[r["from"]], ends[r["to"]], r["relation"]) for r in rows.links],
    )
    verdict_disputed = corroboration.verdict_disputed
    for row, (state, credibility, count) in zip(rows.claims, derived, strict=True):
        row["status"] = state
        row["suggested_credibility"] = credibility
        row["verdict_disputed"] = verdict_disputed(row["verdict"], state)
        row["link_count"] = count
    with insert_trigger_suspended(connection) as suspended:
        new_claims = _insert_entities(connection, "claim", rows.claims, one_statement=not suspended)
    claims = {**keys.claims, **new_claims}
    claim_places = [
        (new_claims[row["ext_id"]], places[place], i)
        for row, refs in zip(rows.claims, place_lists, strict=True)
        for i, place in enumerate(refs)
    ]
    bulk_insert(connection, "claim_place", ("claim_id", "place_id", "position"), claim_places)
    log("claim", [r["ext_id"] for r in rows.claims])

    links = [
        (claims[r["from"]], claims[r["to"]], r["relation"], r["rationale"], r["analyst"], r["recorded"])
        for r in rows.links
    ]
    bulk_insert(connection, "link", ("from_id", "to_id", "relation", "rationale", "analyst", "recorded"), links)
    log("link", [f"{r['from']}->{r['to']}" for r in rows.links])

    about_lists = [row.pop("about") for row in rows.outreach]
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
    summary: Any = {**counts.as_dict(), **(document or {})}
    _insert_audit(connection, analyst, audit_entities, audit_ids, summary)
    if touched:
        # Links into claims that were already there: re-derive their neighbourhood over the whole
        # workspace, now written (new claims in it included: their first derivation saw only the document).
        graph = _WorkspaceGraph(connection)
        status.write_derived(connection, corroboration.derive_many(graph, _neighbourhood(graph, touched)))
    return counts


def _derive_new_claims(
    connection: Connection, sources: list[int], links: list[tuple[int, int, str]]
) -> tuple[list[tuple[str, int, int]], set[int]]:
    """(status, suggested credibility, link count) of each new claim, and the existing claims the links touch.

    ``sources``: each new claim's source id, in document order; new claim ``i`` is
    ``-1 - i`` in ``links`` (from, to, relation), an existing claim its id.

    One full derivation over the new claims and the links between them. It is
    exact for every new claim outside the neighbourhood of the touched existing
    claims (their clusters plus the clusters linked to them by evidence): a
    claim's derivation reads its cluster, its cluster's evidence links and the
    clusters at their far ends, and any of those that holds or touches an
    existing claim does so through a new link, so through a touched claim, which
    puts the claim in that neighbourhood. The caller re-derives that
    neighbourhood once everything is written — the existing claims whose
    derivation can change are all in it, by the same argument.
    """
    graph = corroboration.MemoryGraph()
    for sid, side, group in _select_in(
        connection, "SELECT id, side, group_label FROM source WHERE id IN :ids", set(sources)
    ):
        graph.add_source(sid, side or "", group or "")
    for i, source in enumerate(sources):
        graph.add_claim(-1 - i, source)
    counts = [0] * len(sources)
    touched: set[int] = set()
    for number, (a, b, relation) in enumerate(links, 1):
        if a < 0 and b < 0:
            graph.add_link(number, a, b, relation)
        for end in (a, b):
            if end < 0:
                counts[-1 - end] += 1
            else:
                touched.add(end)
    derivations = corroboration.derive_all(graph)
    derived: list[tuple[str, int, int]] = [
        (d.status, d.suggested_credibility, count)
        for d, count in zip((derivations[-1 - i] for i in range(len(sources))), counts, strict=True)
    ]
    return derived, touched


def _neighbourhood(graph: _WorkspaceGraph, claims: Collection[int]) -> set[int]:
    """``status.neighbourhood``, a level of every search at a time (one batch of queries per level)."""
    core = _clusters(graph, claims)
    graph.prefetch(core)
    return core | _clusters(graph, {ref.other for m in core for ref in graph.evidence_links(m)} - core)


def _clusters(graph: _WorkspaceGraph, claims: Collection[int]) -> set[int]:
    """The claims connected to ``claims`` by ``repeats`` links, either way, transitively (theirs included)."""
    found = set(claims)
    frontier = list(found)
    while frontier:
        graph.prefetch(frontier)
        following = []
        for claim in frontier:
            for other in (*graph.repeats_of(claim), *graph.repeated_by(claim)):
                if other not in found:
                    found.add(other)
                    following.append(other)
        frontier = following
    return found


class _WorkspaceGraph:
    """``corroboration.Graph`` over the workspace that reads claims a batch at a time (``Prefetching``).

    ``status.SqlGraph`` asks a few queries per claim, which is right for an edit;
    the links of an import can touch thousands of clusters. Here every batch the
    engine announces costs three queries (chunked ``IN`` lists), and what was read
    is kept for the life of the graph (one import's write transaction). It answers
    as ``SqlGraph`` does, link for link.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._source: dict[int, int] = {}
        self._sides: dict[int, tuple[str, str]] = {}
        self._repeats: dict[int, list[int]] = {}
        self._repeated_by: dict[int, list[int]] = {}
        self._evidence: dict[int, list[corroboration.LinkRef]] = {}

    def prefetch(self, claims: Collection[int]) -> None:
        missing = {c for c in claims if c not in self._source}
        if not missing:
            return
        connection = self._connection
        for claim in missing:
            self._repeats[claim], self._repeated_by[claim], self._evidence[claim] = [], [], []
        query = "SELECT id, source_id FROM claim WHERE id IN :ids"
        self._source.update(_select_in(connection, query, missing, chunk=_GRAPH_CHUNK))
        query = "SELECT id, from_id, to_id, relation FROM link WHERE from_id IN :ids"
        for link, a, b, relation in _select_in(connection, query, missing, chunk=_GRAPH_CHUNK):
            if relation == "repeats":
                self._repeats[a].append(b)
            else:
                self._evidence[a].append(corroboration.LinkRef(link, b, relation))
        query = "SELECT id, from_id, to_id, relation FROM link WHERE to_id IN :ids"
        for link, a, b, relation in _select_in(connection, query, missing, chunk=_GRAPH_CHUNK):
            if relation == "repeats":
                self._repeated_by[b].append(a)
            else:
                self._evidence[b].append(corroboration.LinkRef(link, a, relation))
        sources = {self._source[c] for c in missing if c in self._source} - self._sides.keys()
        query = "SELECT id, side, group_label FROM source WHERE id IN :ids"
        for source, side, group in _select_in(connection, query, sources, chunk=_GRAPH_CHUNK):
            self._sides[source] = (side or "", group or "")

    def _known(self, claim: int) -> None:
        if claim not in self._source:
            self.prefetch((claim,))
            if claim not in self._source:
                raise KeyError(f"claim {claim} vanished")

    def source_of(self, claim: int) -> int:
        self._known(claim)
        return self._source[claim]

    def source_side_group(self, source: int) -> tuple[str, str]:
        return self._sides[source]  # read with the claims of that source

    def repeats_of(self, claim: int) -> list[int]:
        self._known(claim)
        return self._repeats[claim]

    def repeated_by(self, claim: int) -> list[int]:
        self._known(claim)
        return self._repeated_by[claim]

    def evidence_links(self, claim: int) -> list[corroboration.LinkRef]:
        self._known(claim)
        return self._evidence[claim]


def _insert_audit(connection: Connection, analyst: str, entities: list[str], ext_ids: list[str], summary: Any) -> None:
    """One ``import`` audit row per entity (``new`` = its interchange id) and one for the document."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    table = _TABLES["audit"]
    columns: dict[str, Any] = {
        "at": Same(now),
        "analyst": Same(analyst),
        "entity": [*entities, "workspace"],
        "entity_id": [*ext_ids, ""],
        "action": Same("import"),
        "field": Same(""),
        "old": Same(None),
    }
    if connection.dialect.name == "sqlite":
        # ``new`` is a JSON column: its bind processor is json.dumps, once per row; ids are
        # plain strings, quoted directly (exactly as json.dumps would) when nothing needs escaping.
        process = table.c.new.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        assert process is not None
        columns["new"] = Converted([*map(_json_string, ext_ids), process(summary)])
    else:
        columns["new"] = [*ext_ids, summary]
    bulk_insert_columns(connection, table, columns)


def _json_string(value: str) -> str:
    """``json.dumps(value)`` for a string, without its cost for the ones that need no escaping."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return json.dumps(value)


# --- inserting many rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Same:
    """One value for every row of a column (converted once, not once per row)."""

    value: Any


@dataclass(frozen=True)
class Converted:
    """Values already in the driver's form (SQLite only): no bind processor runs on them."""

    values: Sequence[Any]


def _insert_entities(
    connection: Connection, table: str, rows: list[dict[str, Any]], *, one_statement: bool = False
) -> dict[str, int]:
    """Insert entity ``rows`` (dicts with the same keys) in order; returns interchange id → internal id.

    The ids are read back rather than assumed (max + 1, + 2, …), which would not
    hold on PostgreSQL, whose sequences other sessions advance too.
    ``one_statement``: claims on SQLite with the full-text trigger in place (``_insert_claims``).
    """
    if not rows:
        return {}
    before = connection.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    if one_statement and connection.dialect.name == "sqlite":
        _insert_claims(connection, columns)
    else:
        bulk_insert_columns(connection, _TABLES[table], columns)
    wanted = set(columns["ext_id"])
    query = sa.text(f"SELECT ext_id, id FROM {table} WHERE id > :before")
    return {ext: ident for ext, ident in connection.execute(query, {"before": before}) if ext in wanted}


def _insert_claims(connection: Connection, columns: dict[str, list[Any]]) -> None:
    """Claims on SQLite, when the full-text insert trigger must run, go in through ONE statement.

    ``INSERT … SELECT`` from a temporary copy: the trigger writes to an FTS5 table,
    which flushes its pending index at every statement a trigger runs in: row by
    row, an executemany of 100k claims took 5.4 s; through one statement, 1.4 s.
    Only for a workspace whose trigger ``bulk_fts`` does not know (see there).
    """
    claim = _TABLES["claim"]
    names = ", ".join(columns)
    connection.exec_driver_sql(f"CREATE TEMP TABLE bulk_claim AS SELECT {names} FROM main.claim WHERE 0")
    try:
        stage = sa.Table("bulk_claim", sa.MetaData(), *(sa.Column(n, claim.c[n].type) for n in columns))
        bulk_insert_columns(connection, stage, columns)
        connection.exec_driver_sql(f"INSERT INTO main.claim ({names}) SELECT {names} FROM bulk_claim ORDER BY rowid")
    finally:
        connection.exec_driver_sql("DROP TABLE temp.bulk_claim")


def bulk_insert(connection: Connection, table: str, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert row tuples (values in the order of ``names``) into ``table``."""
    if rows:
        bulk_insert_columns(connection, _TABLES[table], dict(zip(names, zip(*rows, strict=True), strict=True)))


def bulk_insert_columns(connection: Connection, table: sa.Table, columns: dict[str, Any]) -> None:
    """Insert columns of values (sequences of equal length, ``Same`` or ``Converted``) as rows, in order.

    On SQLite each column is converted by its type's own bind processor — once
    per column for ``Same``, never for ``Converted`` — and the rows go to the driver's executemany:
    SQLAlchemy's per-row parameter handling was the largest cost of a big import.
    Elsewhere (PostgreSQL) an ordinary Core executemany.
    """
    count = next((_length(v) for v in columns.values() if not isinstance(v, Same)), 0)
    if count == 0:
        return
    dialect = connection.dialect
    if dialect.name != "sqlite":
        assert not any(isinstance(v, Converted) for v in columns.values()), "Converted is for SQLite"
        series = [repeat(v.value, count) if isinstance(v, Same) else v for v in columns.values()]  # bounded
        connection.execute(
            sa.insert(table), [dict(zip(columns, row, strict=True)) for row in zip(*series, strict=False)]
        )
        return
    converted: list[Any] = []
    for name, values in columns.items():
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if isinstance(values, Same):
            converted.append(repeat(process(values.value) if process else values.value, count))
        elif isinstance(values, Converted):
            converted.append(values.values)
        else:
            converted.append(_convert(process, values) if process else values)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    connection.exec_driver_sql(sql, list(zip(*converted, strict=False)))  # repeat() columns are endless


def _length(values: Any) -> int:
    return len(values.values if isinstance(values, Converted) else values)


def _convert(process: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    try:
        # Dates and names repeat a lot in real documents: convert each distinct value once,
        # unless they look distinct (timestamps), where the memo would only cost.
        sample = values[:_SAMPLE]
        if len(set(sample)) > len(sample) // 2:
            return list(map(process, values))
        memo = {value: process(value) for value in set(values)}
    except TypeError:  # unhashable: JSON lists (tags, aliases), mostly empty
        empty = process([])
        return [empty if value.__class__ is list and not value else process(value) for value in values]
    return list(map(memo.__getitem__, values))
