"""The audit trail as replay and history read it: rows, grouped into changes, in interchange terms.

Every write of the store leaves audit rows: one per changed field (``update``),
one per field of a created or deleted entity (``create`` / ``delete``), one per
imported entity (``import``, ``new`` = its interchange id) plus one
``workspace`` row per import. Field names are the store's column names
(``group_label``, ``event_start``, ``source_id``); their values are JSON, with
references by interchange id (``store.base.REFERENCES``; an older Crosscheck
wrote internal ids there, which ``Trail`` resolves where it still can).

A **change** (``Group``) is the run of consecutive rows that one write made
about one entity with one action: the fields of a created claim, the fields of
a deleted link. ``FIELDS`` maps each audited field to its place in the
interchange document (docs/formats.md), so replay can work on documents and history
can speak the format's names.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.db import table_of
from desktop.core.interchange import format as fmt
from desktop.core.schema import AuditEntry

#: entity name in the audit trail → section of the interchange document
SECTIONS: Final = {
    "source": "sources",
    "report": "reports",
    "place": "places",
    "claim": "claims",
    "link": "links",
    "outreach": "outreach",
}
#: entity → audited field → key of the interchange document (``event.start``: inside the claim's event)
FIELDS: Final[dict[str, dict[str, str]]] = {
    "source": {
        "name": "name",
        "kind": "kind",
        "side": "side",
        "group_label": "group",
        "reliability": "reliability",
        "url": "url",
        "aliases": "aliases",
        "notes": "notes",
    },
    "report": {
        "title": "title",
        "source_id": "source",
        "url": "url",
        "published": "published",
        "language": "language",
        "text": "text",
        "retrieved": "retrieved",
        "sha256": "sha256",
    },
    "place": {"name": "name", "aliases": "aliases", "region": "region", "lat": "lat", "lon": "lon"},
    "claim": {
        "text": "text",
        "source_id": "source",
        "report_id": "report",
        "quote_start": "quote.start",
        "quote_end": "quote.end",
        "kind": "kind",
        "claimed": "claimed",
        "event_start": "event.start",
        "event_end": "event.end",
        "event_precision": "event.precision",
        "places": "places",
        "credibility": "credibility",
        "likelihood": "likelihood",
        "verdict": "verdict",
        "reviewed": "reviewed",
        "tags": "tags",
        "notes": "notes",
        "recorded": "recorded",
    },
    "outreach": {
        "party": "party",
        "by_source_id": "by",
        "contacted": "contacted",
        "about": "about",
        "status": "status",
        "response": "response",
    },
    "link": {"relation": "relation", "rationale": "rationale", "analyst": "analyst", "recorded": "recorded"},
}
#: audited fields that are not the analysts' data (derived, or how the row is stored), never replayed
IGNORED: Final = frozenset({"id", "ext_id", "folded", "sort_date"})
#: a claim's derived columns (``schema.DERIVED_CLAIM_COLUMNS``): an older Crosscheck audited them on deletion
IGNORED_CLAIM: Final = frozenset({"status", "suggested_credibility", "verdict_disputed", "link_count"})


def ignored(entity: str, name: str) -> bool:
    """Whether an audited field is not the analysts' data (never replayed, never shown)."""
    return not name or name in IGNORED or (entity == "claim" and name in IGNORED_CLAIM)


#: fields whose value names entities of another section
REFERENCE_SECTIONS: Final = {
    "source": "sources",
    "by": "sources",
    "report": "reports",
    "places": "places",
    "about": "claims",
}
KEYS: Final = {
    "sources": fmt.SOURCE_KEYS,
    "reports": fmt.REPORT_KEYS,
    "places": fmt.PLACE_KEYS,
    "claims": fmt.CLAIM_KEYS,
    "links": fmt.LINK_KEYS,
    "outreach": fmt.OUTREACH_KEYS,
}
#: keys a record cannot do without (a deletion recorded without them cannot be undone)
REQUIRED: Final = {
    "sources": ("name",),
    "reports": ("title",),
    "places": ("name",),
    "claims": ("text", "source", "recorded"),
    "links": ("relation", "recorded"),
    "outreach": ("party",),
}
_LISTS: Final = frozenset({"aliases", "tags", "places", "about"})
_BLANK_TEXT: Final = {"notes": "", "rationale": "", "text": "", "analyst": ""}


class Row(NamedTuple):
    """One audit row (a named tuple: the as-of replay makes a few hundred thousand of them)."""

    id: int
    at: dt.datetime
    analyst: str
    entity: str
    entity_id: str
    action: str
    field: str
    old: Any
    new: Any


@dataclass(slots=True)
class Group:
    """The rows one write made about one entity with one action (see the module docstring); at least one.

    What its first row says of them all is kept as attributes: the replay asks it of each change a few
    times, at a hundred thousand changes and more.
    """

    rows: list[Row]
    first: Row = field(init=False, repr=False, compare=False)
    entity: str = field(init=False, repr=False, compare=False)
    entity_id: str = field(init=False, repr=False, compare=False)
    action: str = field(init=False, repr=False, compare=False)
    at: dt.datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        first = self.first = self.rows[0]
        self.entity, self.entity_id, self.action, self.at = first.entity, first.entity_id, first.action, first.at

    def values(self, which: str) -> dict[str, Any]:
        """The group's fields with their ``old`` or ``new`` values (``which``)."""
        return {row.field: getattr(row, which) for row in self.rows if row.field}


_COLUMNS: Final = ("id", "at", "analyst", "entity", "entity_id", "action", "field", "old", "new")


def read_rows(
    connection: Connection,
    *,
    after: dt.datetime | None = None,
    until: dt.datetime | None = None,
    entities: Sequence[tuple[str, str]] | None = None,
) -> list[Row]:
    """Audit rows in the order they were written: all, or after / until a moment, or about some entities."""
    audit = table_of(AuditEntry)
    if entities is None and connection.dialect.name == "sqlite":
        return _read_sqlite_rows(connection, after, until)
    query = sa.select(*(audit.c[name] for name in _COLUMNS)).order_by(audit.c.id)
    if after is not None:
        query = query.where(audit.c.at > after)
    if until is not None:
        query = query.where(audit.c.at <= until)
    if entities is None:
        return [to_row(r) for r in connection.execute(query)]
    by_entity: dict[str, list[str]] = {}
    for entity, ident in entities:
        by_entity.setdefault(entity, []).append(ident)
    rows: list[Row] = []
    for entity, idents in by_entity.items():
        for start in range(0, len(idents), 500):
            chunk = idents[start : start + 500]
            rows.extend(to_row(r) for r in connection.execute(query.where(audit.c.entity == entity,
                                                                         audit.c.entity_id.in_(chunk))))  # fmt: skip
    rows.sort(key=lambda r: r.id)
    return rows


def _read_sqlite_rows(connection: Connection, after: dt.datetime | None, until: dt.datetime | None) -> list[Row]:
    """``read_rows`` on SQLite through the DB-API cursor: the as-of replay reads a hundred thousand rows and
    more, and SQLAlchemy's work per row and per value was half of it. The same rows and values: the moments
    bound as the column stores them, times read as UTC, JSON values decoded (a number stays one)."""
    dialect = connection.dialect
    stored = table_of(AuditEntry).c.at.type.dialect_impl(dialect).bind_processor(dialect)
    bind: Callable[[Any], Any] = stored if stored is not None else (lambda value: value)
    query = "SELECT " + ", ".join(_COLUMNS) + " FROM audit"
    bounds = [(">", after), ("<=", until)]
    params = [bind(moment) for _op, moment in bounds if moment is not None]
    conditions = [f"at {op} ?" for op, moment in bounds if moment is not None]
    if conditions:
        query += " WHERE " + " AND ".join(conditions)
    parsed: dict[str, dt.datetime] = {}  # the rows of one write share their time
    rows = []
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for ident, at, analyst, entity, entity_id, action, name, old, new in cursor.execute(
            query + " ORDER BY id", params
        ):
            moment = parsed.get(at)
            if moment is None:
                moment = parsed[at] = _utc(dt.datetime.fromisoformat(str(at)))
            rows.append(Row(ident, moment, analyst, entity, entity_id, action, name, _json(old), _json(new)))
    finally:
        cursor.close()
    return rows


def _json(value: Any) -> Any:
    """A stored JSON value decoded (SQLite may keep a number as one). ``null`` and a string without a
    backslash, most of the trail's values, are read without the parser: such a string's JSON is its
    text in quotes (json.dumps escapes quotes, backslashes and control characters)."""
    if value.__class__ is not str:
        return value
    if value == "null":
        return None
    if len(value) > 1 and value[0] == '"' and value[-1] == '"' and "\\" not in value:
        return value[1:-1]
    return json.loads(value)


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def to_row(r: Any) -> Row:
    """A fetched audit row (all columns of ``AuditEntry``) as a ``Row``."""
    at = r.at if isinstance(r.at, dt.datetime) else dt.datetime.fromisoformat(str(r.at))
    return Row(r.id, _utc(at), r.analyst, r.entity, r.entity_id, r.action, r.field, r.old, r.new)


def grouped(rows: Iterable[Row]) -> Iterator[Group]:
    """Consecutive rows of one write about one entity and action, a field at most once, as groups."""
    current: list[Row] = []
    fields: set[str] = set()
    key: tuple[str, str, str, dt.datetime, str] | None = None
    for row in rows:
        row_key = (row.entity, row.entity_id, row.action, row.at, row.analyst)
        if row_key != key or row.field in fields or row.action == "import":  # import: one row per entity
            if current:
                yield Group(current)
            current = [row]
            fields = {row.field}
            key = row_key
        else:
            current.append(row)
            fields.add(row.field)
    if current:
        yield Group(current)


def blank(section: str, ident: str | None) -> dict[str, Any]:
    """An empty record of ``section`` in canonical key order (lists empty, texts empty, the rest null)."""
    record = dict(_BLANKS[section])
    for key in _BLANK_LISTS[section]:
        record[key] = []  # a list of its own
    if "id" in record:
        record["id"] = ident
    return record


def _blank_template(section: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key in KEYS[section]:
        if key in _LISTS:
            record[key] = []
        elif key in _BLANK_TEXT:
            record[key] = _BLANK_TEXT[key]
        elif key == "reviewed":
            record[key] = False
        else:
            record[key] = None
    return record


_BLANKS: Final = {section: _blank_template(section) for section in KEYS}
_BLANK_LISTS: Final = {section: [key for key in keys if key in _LISTS] for section, keys in KEYS.items()}


def split_link_key(key: str, known: Callable[[], Container[str]]) -> tuple[str, str]:
    """``FROM->TO`` as (from, to); an id may itself contain ``->``, and then ``known()`` claim ids decide."""
    a, _, b = key.partition("->")
    if "->" not in b and "->" not in a:
        return a, b  # the common case, without asking for the known ids
    ids = known()
    parts = key.split("->")
    for cut in range(1, len(parts)):
        first, second = "->".join(parts[:cut]), "->".join(parts[cut:])
        if first in ids and second in ids:
            return first, second
    return a, b
