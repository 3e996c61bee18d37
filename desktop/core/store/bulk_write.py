"""Bulk import: inserting many rows per table, fast, and the import's audit rows.

See ``store.bulk`` (steps 4 and 5, and "Speed") for the whole write path.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel.sql.sqltypes import UTCDateTime

from desktop.core.schema import WORKSPACE_TABLES

_SAMPLE = 1000  # values looked at to tell whether a column repeats (see ``_convert``)


def _insert_audit(
    connection: Connection,
    analyst: str,
    entities: list[str],
    ext_ids: list[str],
    summary: Any,
    now: dt.datetime | None = None,
) -> None:
    """One ``import`` audit row per entity (``new`` = its interchange id) and one for the document."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    table = WORKSPACE_TABLES["audit"]
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
    names = list(rows[0])
    # A row's values fetched in C (itemgetter), then turned into columns: a third cheaper than a comprehension
    # per column. (One name would give values, not tuples: every entity table has several columns.)
    assert len(names) > 1
    columns = dict(zip(names, map(list, zip(*map(itemgetter(*names), rows), strict=True)), strict=True))
    if one_statement and connection.dialect.name == "sqlite":
        _insert_claims(connection, columns)
    else:
        bulk_insert_columns(connection, WORKSPACE_TABLES[table], columns)
    ext_ids = columns["ext_id"]
    if connection.dialect.name == "sqlite":
        # SQLite gives a row without an id the largest id + 1; inside the write transaction nothing else
        # inserts, so the new ids are before + 1, + 2, … in order — checked, not assumed.
        last, count = connection.exec_driver_sql(f"SELECT max(id), count(*) FROM {table} WHERE id > ?", (before,)).one()
        if count == len(ext_ids) and last == before + count:
            return dict(zip(ext_ids, range(before + 1, last + 1), strict=True))
    wanted = set(ext_ids)
    query = sa.text(f"SELECT ext_id, id FROM {table} WHERE id > :before")
    return {ext: ident for ext, ident in connection.execute(query, {"before": before}) if ext in wanted}


def _insert_claims(connection: Connection, columns: dict[str, list[Any]]) -> None:
    """Claims on SQLite, when the full-text insert trigger must run, go in through ONE statement.

    ``INSERT … SELECT`` from a temporary copy: the trigger writes to an FTS5 table,
    which flushes its pending index at every statement a trigger runs in: row by
    row, an executemany of 100k claims took 5.4 s; through one statement, 1.4 s.
    Only for a workspace whose trigger ``bulk_fts`` does not know (see there).
    """
    claim = WORKSPACE_TABLES["claim"]
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
        bulk_insert_columns(connection, WORKSPACE_TABLES[table], dict(zip(names, zip(*rows, strict=True), strict=True)))


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
        if process is not None and isinstance(table.c[name].type, UTCDateTime) and isinstance(values, list):
            converted.append(_utc_texts(process, values))
        elif isinstance(values, Same):
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


def _utc_texts(process: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """``process`` (a UTC datetime column's, on SQLite) of each value, spelled directly for UTC datetimes.

    What the bind processor writes for an aware datetime — converted to UTC, then
    ``YYYY-MM-DD HH:MM:SS.ffffff`` — is ``isoformat``'s first 26 characters when it is
    in UTC already, as every timestamp of an import is; the processor itself costs
    several times more (a test holds the two equal).
    """
    utc = dt.UTC
    return [
        value.isoformat(" ", "microseconds")[:26]
        if value.__class__ is dt.datetime and value.tzinfo is utc
        else process(value)
        for value in values
    ]


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
