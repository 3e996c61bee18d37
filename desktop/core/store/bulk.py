"""The bulk write path: a whole interchange document in one transaction (used by import).

Interactive edits go through ``Store`` one entity at a time; an import of a
hundred thousand claims cannot. Here, inside ONE write transaction
(``db.write_connection``: ``BEGIN IMMEDIATE`` on SQLite):

1. ``WorkspaceKeys.load`` reads what the workspace already holds (interchange id
   → internal id) so the caller validates against it while the write lock is
   held — nothing can slip in between validation and the write;
2. the caller's ``build`` turns its document into ``BulkRows`` or raises, which
   rolls the transaction back: nothing is written;
3. each table gets one executemany INSERT in document order, so internal ids
   follow document order (exports list rows by internal id, hence the stable
   round trip); references are resolved through dicts, never a query per row;
4. audit: one ``import`` row per entity (field ``""``, ``new`` = its interchange
   id; a link is ``FROM->TO`` as in the store) plus one ``workspace`` row for
   the whole import (counts and, when known, the document's SHA-256), rather
   than a row per field as interactive edits write: the document is the record
   of the values, and per-field rows would multiply the cost of a large import;
5. ``status.rederive_all`` fills the derived claim columns, in the same transaction.

Speed (measured on 100k claims, see ``bulk_insert`` and ``_insert_claims``):
SQLAlchemy's per-row parameter handling and the full-text triggers dominated,
so on SQLite each column is converted once by its type's own bind processor and
handed to the driver's executemany, and claims go in through one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

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
from desktop.core.text import fold

_TABLES: dict[str, sa.Table] = {
    str(model.__tablename__): table_of(model)
    for model in (Source, Report, Place, PlaceAlias, Claim, ClaimPlace, Link, Outreach, OutreachClaim, AuditEntry)
}
# Derived columns of a claim not derived yet; rederive_all sets them before the commit.
_IMPORT_CACHE_KIB = -256 * 1024  # negative: KiB, SQLite's convention
_UNDERIVED = {"status": "unverified", "suggested_credibility": 6, "verdict_disputed": False, "link_count": 0}


@dataclass
class WorkspaceKeys:
    """Interchange id → internal id of every entity already in the workspace, per table."""

    sources: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    outreach: dict[str, int] = field(default_factory=dict)
    # Linked pairs of existing claims as (lower id, higher id): a pair carries one link at most.
    link_pairs: set[tuple[int, int]] = field(default_factory=set)

    @classmethod
    def load(cls, connection: Connection) -> WorkspaceKeys:
        def ids(table: str) -> dict[str, int]:
            return {ext: ident for ident, ext in connection.execute(sa.text(f"SELECT id, ext_id FROM {table}"))}

        keys = cls(ids("source"), ids("report"), ids("place"), ids("claim"), ids("outreach"))
        if keys.claims:
            for a, b in connection.execute(sa.text("SELECT from_id, to_id FROM link")):
                keys.link_pairs.add((a, b) if a < b else (b, a))
        return keys


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
) -> BulkCounts:
    """Validate (``build``) and write a document in one transaction; see the module docstring.

    ``document`` is extra information for the import's audit row (e.g. its digest).
    """
    with write_connection(engine) as connection, _large_cache(connection):
        keys = WorkspaceKeys.load(connection)
        rows = build(keys)
        counts = write_rows(connection, rows, keys, analyst=analyst, document=document)
        status.rederive_all(connection)
    return counts


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
    """Insert ``rows`` (already validated against ``keys``) on an open write transaction."""
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
        row.update(_UNDERIVED)
    new_claims = _insert_entities(connection, "claim", rows.claims)
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
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    audit_entities.append("workspace")
    audit_ids.append("")
    summary: Any = {**counts.as_dict(), **(document or {})}
    bulk_insert_columns(
        connection,
        _TABLES["audit"],
        {
            "at": Same(now),
            "analyst": Same(analyst),
            "entity": audit_entities,
            "entity_id": audit_ids,
            "action": Same("import"),
            "field": Same(""),
            "old": Same(None),
            "new": [*audit_ids[:-1], summary],
        },
    )
    return counts


# --- inserting many rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Same:
    """One value for every row of a column (converted once, not once per row)."""

    value: Any


def _insert_entities(connection: Connection, table: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert entity ``rows`` (dicts with the same keys) in order; returns interchange id → internal id.

    The ids are read back rather than assumed (max + 1, + 2, …), which would not
    hold on PostgreSQL, whose sequences other sessions advance too.
    """
    if not rows:
        return {}
    before = connection.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    if table == "claim" and connection.dialect.name == "sqlite":
        _insert_claims(connection, columns)
    else:
        bulk_insert_columns(connection, _TABLES[table], columns)
    wanted = set(columns["ext_id"])
    query = sa.text(f"SELECT ext_id, id FROM {table} WHERE id > :before")
    return {ext: ident for ext, ident in connection.execute(query, {"before": before}) if ext in wanted}


def _insert_claims(connection: Connection, columns: dict[str, list[Any]]) -> None:
    """Claims on SQLite go in through ONE statement, ``INSERT … SELECT`` from a temporary copy.

    The full-text triggers on ``claim`` write to an FTS5 table, which flushes its
    pending index at every statement a trigger runs in: row by row, an
    executemany of 100k claims took 5.4 s; through one statement, 1.4 s. The
    triggers still run, so the index is exactly what the store would keep.
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
    """Insert columns of values (sequences of equal length, or ``Same``) as rows, in order.

    On SQLite each column is converted by its type's own bind processor — once
    per column for ``Same`` — and the rows go to the driver's executemany:
    SQLAlchemy's per-row parameter handling was the largest cost of a big import.
    Elsewhere (PostgreSQL) an ordinary Core executemany.
    """
    count = next((len(v) for v in columns.values() if not isinstance(v, Same)), 0)
    if count == 0:
        return
    dialect = connection.dialect
    if dialect.name != "sqlite":
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
        else:
            converted.append(_convert(process, values) if process else values)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    connection.exec_driver_sql(sql, list(zip(*converted, strict=False)))  # repeat() columns are endless


def _convert(process: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    try:
        # Dates and names repeat a lot in real documents: convert each distinct value once.
        memo = {value: process(value) for value in set(values)}
    except TypeError:  # unhashable: a JSON list
        return list(map(process, values))
    return list(map(memo.__getitem__, values))
