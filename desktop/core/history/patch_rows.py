"""Interchange records as the rows of the as-of copy's tables (``patch``'s step 3): references resolved
through the copy as it is being written, and the lookups that resolve them, a chunk of ids at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.history.trail import KEYS, REFERENCE_SECTIONS
from desktop.core.interchange.fields import parse_timestamp
from desktop.core.text import fold

_TABLE = {"sources": "source", "reports": "report", "places": "place", "claims": "claim", "links": "link"}
_TABLE["outreach"] = "outreach"
_CHUNK = 500


def _insert(connection: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """What ``connection.execute(sa.insert(table), rows)`` writes, through the DB-API cursor: each column's
    value made by the column type's own bind processor (a time as the column stores it, JSON serialised),
    one executemany per set of columns. SQLAlchemy's work per row was half the cost of putting back the
    30k links of the 1M-claim bench."""
    dialect = connection.dialect
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(row), []).append(row)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for names, group in by_columns.items():
            if any(c.default is not None and c.name not in names for c in table.columns):
                connection.execute(sa.insert(table), group)  # SQLAlchemy fills in a default the rows leave out
                continue
            processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
            converted = [(at, convert) for at, convert in enumerate(processors) if convert is not None]
            values = [list(row.values()) for row in group]
            for row_values in values:
                for at, convert in converted:
                    row_values[at] = convert(row_values[at])
            quoted = ", ".join(f'"{name}"' for name in names)
            marks = ", ".join("?" * len(names))
            cursor.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', values)  # noqa: S608
    finally:
        cursor.close()


def _update_plain(connection: Connection, table: str, updates: Iterable[tuple[tuple[str, ...], list[Any]]]) -> None:
    """``_Writer._plain_updates``'s updates, one executemany per set of columns, through the DB-API cursor
    (their values are text, numbers or null: nothing for SQLAlchemy to convert), each in the rows' order
    (their pages then come one after another, not at random: half the time for 66k rows at 1M claims)."""
    by_columns: dict[tuple[str, ...], list[list[Any]]] = {}
    for columns, values in updates:
        by_columns.setdefault(columns, []).append(values)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for columns, rows in by_columns.items():
            assignments = ", ".join(f'"{name}" = ?' for name in columns)
            rows.sort(key=lambda values: values[-1])  # by id, the last value
            cursor.executemany(f'UPDATE "{table}" SET {assignments} WHERE id = ?', rows)  # noqa: S608 — our names
    finally:
        cursor.close()


class NotPatchable(Exception):  # noqa: N818 — a reason to take the slow path, not an error to show
    """The copy cannot be patched exactly (the caller replays into a document instead)."""


def _select_in(connection: Connection, query: str, values: Iterable[Any]) -> list[Any]:
    """Rows of ``query`` (each ``:ids`` an ``IN`` list) for ``values``, a chunk at a time, as tuples.

    Through the DB-API cursor (the patch runs on a SQLite copy): its lookups name tens of thousands of rows,
    and SQLAlchemy's compiling of each expanded list cost more than SQLite's answer.
    """
    found: list[Any] = []
    items = sorted(values)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            marks = "(" + ", ".join("?" * len(chunk)) + ")"
            found.extend(cursor.execute(query.replace(":ids", marks), chunk * query.count(":ids")).fetchall())
    finally:
        cursor.close()
    return found


#: section → (key, section named) of the references its records hold
_REFERENCES: dict[str, list[tuple[str, str]]] = {
    section: [(key, target) for key, target in (*REFERENCE_SECTIONS.items(), ("from", "claims"), ("to", "claims"))
              if key in keys and (section == "links" or key not in ("from", "to"))]
    for section, keys in KEYS.items()
}  # fmt: skip


class _References:
    """Interchange id → internal id in the copy as it is being written (None: not there, so not named)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.known: dict[str, dict[str, int]] = {}

    def load(self, section: str, records: list[dict[str, Any]]) -> None:
        """Read, in a few queries, the ids of everything ``records`` name."""
        wanted: dict[str, set[str]] = {}
        for key, target in _REFERENCES[section]:
            names = wanted.setdefault(_TABLE[target], set())
            for record in records:
                value = record.get(key)
                if isinstance(value, list):
                    names.update(value)
                elif isinstance(value, str):
                    names.add(value)
        for table, names in wanted.items():
            query = f"SELECT ext_id, id FROM {table} WHERE ext_id IN :ids"  # noqa: S608 — a table name of ours
            self.known.setdefault(table, {}).update(_select_in(self.connection, query, names))

    def id_of(self, table: str, ext: str | None) -> int | None:
        return None if ext is None else self.known.get(table, {}).get(ext)


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _moment(value: str | None) -> dt.datetime | None:
    return None if value is None else parse_timestamp(value)


def _row_as_it_is(section: str, record: dict[str, Any] | None, refs: _References) -> dict[str, Any] | None:
    """The row a record read before the patch makes, to compare with (None: unknown, write every column).

    Its references resolve as the put row's do, in the copy as the deletions left it (a reference to a row
    deleted reads None, as the cascade left the column).
    """
    if record is None:
        return None
    try:
        return _row(section, record, refs)
    except NotPatchable:  # its source is gone: write the row whole
        return None


def _row(section: str, r: dict[str, Any], refs: _References) -> dict[str, Any] | None:
    """A record as its table's columns (references resolved, those to rows not in the copy dropped)."""
    if section == "sources":
        return {"ext_id": r["id"], "name": r["name"], "kind": r["kind"], "side": r["side"] or "",
                "group_label": r["group"] or "", "reliability": r["reliability"], "url": r["url"],
                "aliases": list(r["aliases"]), "notes": r["notes"]}  # fmt: skip
    if section == "reports":
        return {"ext_id": r["id"], "title": r["title"], "source_id": refs.id_of("source", r["source"]),
                "url": r["url"], "published": _date(r["published"]), "language": r["language"], "text": r["text"],
                "retrieved": _moment(r["retrieved"]), "sha256": r["sha256"]}  # fmt: skip
    if section == "places":
        return {"ext_id": r["id"], "name": r["name"], "folded": fold(r["name"]), "region": r["region"],
                "lat": r["lat"], "lon": r["lon"], "_children": list(r["aliases"])}  # fmt: skip
    if section == "claims":
        source = refs.id_of("source", r["source"])
        if source is None:
            raise NotPatchable(f"claim {r['id']} names a source not in the workspace")
        quote, event = r["quote"] or {}, r["event"] or {}
        claimed, recorded = _date(r["claimed"]), parse_timestamp(r["recorded"])
        places = [p for p in (refs.id_of("place", name) for name in r["places"]) if p is not None]
        return {"ext_id": r["id"], "text": r["text"], "source_id": source,
                "report_id": refs.id_of("report", r["report"]), "quote_start": quote.get("start"),
                "quote_end": quote.get("end"), "kind": r["kind"], "claimed": claimed,
                "event_start": _date(event.get("start")), "event_end": _date(event.get("end")),
                "event_precision": event.get("precision"), "credibility": r["credibility"],
                "likelihood": r["likelihood"], "verdict": r["verdict"], "reviewed": bool(r["reviewed"]),
                "tags": list(r["tags"]), "notes": r["notes"], "recorded": recorded,
                "sort_date": claimed or recorded.date(), "_children": places}  # fmt: skip
    if section == "links":
        a, b = refs.id_of("claim", r["from"]), refs.id_of("claim", r["to"])
        if a is None or b is None:
            return None  # a judgement on a claim left out is left out
        return {"from_id": a, "to_id": b, "relation": r["relation"], "rationale": r["rationale"],
                "analyst": r["analyst"], "recorded": parse_timestamp(r["recorded"])}  # fmt: skip
    about = [c for c in (refs.id_of("claim", name) for name in r["about"]) if c is not None]
    return {"ext_id": r["id"], "party": r["party"], "by_source_id": refs.id_of("source", r["by"]),
            "contacted": _date(r["contacted"]), "status": r["status"], "response": r["response"],
            "_children": about}  # fmt: skip


_CHILD: dict[str, tuple[str, str, Any]] = {
    "place": ("place_alias", "place_id",
              lambda owner, i, alias: {"place_id": owner, "position": i, "alias": alias, "folded": fold(alias)}),
    "claim": ("claim_place", "claim_id", lambda owner, i, place: {"claim_id": owner, "place_id": place, "position": i}),
    "outreach": ("outreach_claim", "outreach_id",
                 lambda owner, i, claim: {"outreach_id": owner, "claim_id": claim, "position": i}),
}  # fmt: skip
