"""Exporting a workspace as one canonical interchange document (docs/formats.md).

Canonical means: sections and keys in the order of the docs/formats.md example (see
``format``), rows ordered by internal id (= import order, then creation order),
every key written even when its value is absent (``null``; an empty side or
group is ``null`` too, and so is the ``event`` of a claim with no event start,
end or precision), UTF-8 without ``\\u`` escapes, two-space indent and a
final newline. Import keeps ids and order, so export → import → export gives the
same bytes.

Everything is read inside one transaction, so the document is a consistent
snapshot even while the window keeps writing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from desktop.core.gc_pause import collector_paused
from desktop.core.interchange import format as fmt
from desktop.core.schema import Claim, ClaimPlace, Link, Outreach, OutreachClaim, Place, PlaceAlias, Report, Source

# json's own C string escaper (what json.dumps(..., ensure_ascii=False) uses for every string).
_escape: Any = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def export_json(engine: Engine) -> bytes:
    """The whole workspace as canonical interchange JSON (UTF-8 bytes)."""
    with collector_paused():
        return (canonical_json(export_document(engine)) + "\n").encode("utf-8")


def export_document(engine: Engine) -> dict[str, Any]:
    """The whole workspace as the decoded interchange document (a dict in canonical key order)."""
    with collector_paused(), engine.connect() as connection, connection.begin():
        return read_document(connection)


def canonical_json(value: Any) -> str:
    """Exactly ``json.dumps(value, ensure_ascii=False, indent=2)``, by orjson when it writes the same.

    orjson with ``OPT_INDENT_2`` lays out, escapes and spells numbers as ``json`` does, except
    floats between 1e-9 and 1e-4 (``0.00005`` and ``1e-6`` for ``5e-05`` and ``1e-06``); it refuses
    integers beyond 64 bits and lone surrogates. Any of those (or text that merely looks like such a
    number) sends the document to ``canonical_json_python``, so the bytes never depend on the path.
    """
    try:
        fast = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except (TypeError, orjson.JSONEncodeError):
        return canonical_json_python(value)
    if _spelled_differently(fast):
        return canonical_json_python(value)
    return fast.decode("utf-8")


def _spelled_differently(data: bytes) -> bool:
    """Whether orjson's ``data`` may hold a float ``json`` writes otherwise (checked over random doubles).

    Four zeros after the point (|x| < 1e-4: ``0.00005``), or an exponent of one digit after a
    digit (``1e-6``; json pads it: ``1e-06``). Text that merely looks so only costs the slower path.
    """
    if b"0.0000" in data:
        return True
    digits = range(48, 58)
    at = data.find(b"e-")
    while at != -1:
        after = data[at + 2 : at + 4]
        if at and data[at - 1] in digits and after[:1].isdigit() and not after[1:].isdigit():
            return True
        at = data.find(b"e-", at + 2)
    return False


def canonical_json_python(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` in about 60 % of its time, in Python.

    With an indent, ``json`` falls back to its pure-Python encoder; here every
    string still goes through the C escaper, and only the layout is Python.
    """
    chunks: list[str] = []
    _write(value, "\n", chunks)
    return "".join(chunks)


def _write(value: Any, newline: str, out: list[str]) -> None:
    """Append ``value``'s JSON to ``out``; ``newline`` is a newline plus the current indentation."""
    if isinstance(value, str):
        out.append(_escape(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int | float):
        out.append(json.dumps(value) if isinstance(value, float) else int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        opener = "{" + inner
        for key, item in value.items():
            if type(item) is str:  # the common case, without a call per value
                out.append(opener + _escape(key) + ": " + _escape(item))
            elif item is None:
                out.append(opener + _escape(key) + ": null")
            else:
                out.append(opener + _escape(key) + ": ")
                _write(item, inner, out)
            opener = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        opener = "[" + inner
        for item in value:
            out.append(opener)
            _write(item, inner, out)
            opener = "," + inner
        out.append(newline + "]")
    else:
        raise TypeError(f"not JSON: {type(value).__name__}")


def read_document(connection: Connection, only: dict[str, list[int]] | None = None) -> dict[str, Any]:
    """The workspace as a canonical document; ``only``: just these rows (internal ids per table name).

    With ``only``, references still name any row (the interchange ids of the rows referenced are read
    too): replay as of a moment reads the few rows its audit trail names this way (``history.patch``).
    """
    ids = _Only(connection, only)
    sources = _rows(
        connection,
        Source,
        "id",
        *_columns_holding(fmt.SOURCE_KEYS, id=("ext_id",), group=("group_label",)),
        only=ids.of("source"),
    )
    reports = _rows(
        connection,
        Report,
        "id",
        *_columns_holding(fmt.REPORT_KEYS, id=("ext_id",), source=("source_id",)),
        only=ids.of("report"),
    )
    places = _rows(
        connection, Place, "id", *_columns_holding(fmt.PLACE_KEYS, id=("ext_id",), aliases=()), only=ids.of("place")
    )
    place_ext = ids.ext("place", places)
    aliases = _children(connection, PlaceAlias, "place_id", "alias", lambda v: v, only=ids.of("place"))
    claims = _rows(
        connection,
        Claim,
        "id",
        *_columns_holding(
            fmt.CLAIM_KEYS,
            id=("ext_id",),
            source=("source_id",),
            report=("report_id",),
            quote=("quote_start", "quote_end"),
            event=("event_start", "event_end", "event_precision"),
            places=(),
        ),
        only=ids.of("claim"),
    )
    claim_places = _children(
        connection, ClaimPlace, "claim_id", "place_id", place_ext.__getitem__, only=ids.of("claim")
    )
    links = _rows(
        connection,
        Link,
        "id",
        *_columns_holding(fmt.LINK_KEYS, **{"from": ("from_id",), "to": ("to_id",)}),
        only=ids.of("link"),
    )
    outreach = _rows(
        connection,
        Outreach,
        "id",
        *_columns_holding(fmt.OUTREACH_KEYS, id=("ext_id",), by=("by_source_id",), about=()),
        only=ids.of("outreach"),
    )
    about_ids = _children(connection, OutreachClaim, "outreach_id", "claim_id", int, only=ids.of("outreach"))
    source_ext = ids.ext("source", sources)
    report_ext = ids.ext("report", reports, [r[4] for r in claims])
    claim_ext = ids.ext(
        "claim", claims, [c for link in links for c in link[1:3]] + [c for kids in about_ids.values() for c in kids]
    )
    about = {owner: [claim_ext[c] for c in kids] for owner, kids in about_ids.items()}

    # Dict literals in the order of ``format``'s key tuples (a test holds them together): building
    # 100k claims this way takes half the time of zipping the tuples with the values.
    document: dict[str, Any] = {"format": fmt.FORMAT, "version": fmt.VERSION}
    # Rows unpacked in the order of their columns (``_columns_holding``: the keys' order).
    document["sources"] = [
        {
            "id": ext_id,
            "name": name,
            "kind": kind,
            "side": side or None,
            "group": group_label or None,
            "reliability": reliability,
            "url": url,
            "aliases": list(source_aliases),
            "notes": notes,
        }
        for _id, ext_id, name, kind, side, group_label, reliability, url, source_aliases, notes in sources
    ]
    document["reports"] = [
        {
            "id": ext_id,
            "title": title,
            "source": _ref(source_ext, source_id),
            "url": url,
            "published": _date(published),
            "language": language,
            "text": text,
            "retrieved": None if retrieved is None else timestamp(retrieved),
            "sha256": sha256,
        }
        for _id, ext_id, title, source_id, url, published, language, text, retrieved, sha256 in reports
    ]
    document["places"] = [
        {
            "id": ext_id,
            "name": name,
            "aliases": aliases.get(ident, []),
            "region": region,
            "lat": lat,
            "lon": lon,
        }
        for ident, ext_id, name, region, lat, lon in places
    ]
    document["claims"] = [
        {
            "id": ext_id,
            "text": text,
            "source": source_ext[source_id],
            "report": None if report_id is None else report_ext[report_id],
            "quote": None if quote_start is None else {"start": quote_start, "end": quote_end},
            "kind": kind,
            "claimed": None if claimed is None else claimed.isoformat(),
            "event": _event(start, end, precision),
            "places": claim_places.get(ident, []),
            "credibility": credibility,
            "likelihood": likelihood,
            "verdict": verdict,
            "reviewed": bool(reviewed),
            "tags": list(tags),
            "notes": notes,
            "recorded": timestamp(recorded),
        }
        for (ident, ext_id, text, source_id, report_id, quote_start, quote_end, kind, claimed, start, end,
             precision, credibility, likelihood, verdict, reviewed, tags, notes, recorded) in claims
    ]  # fmt: skip
    document["links"] = [
        {
            "from": claim_ext[from_id],
            "to": claim_ext[to_id],
            "relation": relation,
            "rationale": rationale,
            "analyst": analyst,
            "recorded": timestamp(recorded),
        }
        for _id, from_id, to_id, relation, rationale, analyst, recorded in links
    ]
    document["outreach"] = [
        {
            "id": ext_id,
            "party": party,
            "by": _ref(source_ext, by_source_id),
            "contacted": _date(contacted),
            "about": about.get(ident, []),
            "status": status,
            "response": response,
        }
        for ident, ext_id, party, by_source_id, contacted, status, response in outreach
    ]
    return document


def timestamp(value: dt.datetime) -> str:
    """A stored moment as the format writes it: UTC, whole seconds, ``Z``."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime(fmt.TIMESTAMP_FORMAT)


_CHUNK = 500  # ids per IN list when reading some rows only


class _Only:
    """Which rows to read (None: all) and the interchange ids references resolve to."""

    def __init__(self, connection: Connection, only: dict[str, list[int]] | None) -> None:
        self.connection = connection
        self.only = only

    def of(self, table: str) -> list[int] | None:
        return None if self.only is None else sorted(self.only.get(table, ()))

    def ext(self, table: str, rows: list[Any], named: Iterable[int | None] | None = None) -> dict[int, str]:
        """Internal id → interchange id of ``rows`` (each starting with both) and of the rows ``named``.

        With ``only`` and nothing ``named``: of the whole table (sources and places, a few thousand rows).
        """
        found = {r[0]: r[1] for r in rows}
        if self.only is None:
            return found
        if named is None:
            return dict(self.connection.exec_driver_sql(f"SELECT id, ext_id FROM {table}").all())  # noqa: S608
        missing = sorted({i for i in named if i is not None and i not in found})
        query = f"SELECT id, ext_id FROM {table} WHERE id IN "  # noqa: S608 — a table name of ours
        cursor = self.connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            for chunk in _chunks(missing):
                assert chunk is not None
                found.update(cursor.execute(query + "(" + ", ".join("?" * len(chunk)) + ")", chunk).fetchall())
        finally:
            cursor.close()
        return found


def _chunks(ids: list[int] | None) -> list[list[int] | None]:
    if ids is None:
        return [None]
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


def _columns_holding(keys: tuple[str, ...], **stored_as: tuple[str, ...]) -> tuple[str, ...]:
    """The columns an entity's interchange ``keys`` are read from, in the keys' order.

    A key is read from the column of its name unless ``stored_as`` names its columns (none: the key's
    values are rows of another table, read by ``_children``). Reading in ``format``'s order keeps
    the columns and the document's keys from drifting apart.
    """
    return tuple(column for key in keys for column in stored_as.get(key, (key,)))


def _rows(connection: Connection, model: Any, *columns: str, only: list[int] | None = None) -> list[Any]:
    return _select(connection, model.__table__, columns, ("id",), only)


def _children(
    connection: Connection, model: Any, parent: str, child: str, convert: Any, *, only: list[int] | None = None
) -> dict[int, list[Any]]:
    """Ordered child values (aliases, places, claims) per parent id."""
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for owner, value in _select(connection, model.__table__, (parent, child), (parent, "position"), only):
        grouped[owner].append(convert(value))
    return grouped


def _select(
    connection: Connection, table: sa.Table, columns: tuple[str, ...], order: tuple[str, ...], only: list[int] | None
) -> list[Any]:
    """``columns`` of the rows of ``table`` (``only``: those whose first order column is one of these), in
    ``order``, each row a sequence of the values SQLAlchemy would return.

    On SQLite through the DB-API cursor, each value made by its column type's own result processor (what
    SQLAlchemy's result applies): its work per row and its compiling of each chunk's IN list were half the
    time of reading the seventy thousand claims an as-of replay at a million claims names.
    """
    if connection.dialect.name == "sqlite":
        return _select_sqlite(connection, table, columns, order, only)
    query = sa.select(*(table.c[name] for name in columns)).order_by(*(table.c[name] for name in order))
    rows: list[Any] = []
    for chunk in _chunks(only):
        rows.extend(connection.execute(query if chunk is None else query.where(table.c[order[0]].in_(chunk))).all())
    return rows


def _select_sqlite(
    connection: Connection, table: sa.Table, columns: tuple[str, ...], order: tuple[str, ...], only: list[int] | None
) -> list[Any]:
    dialect = connection.dialect
    processors = [
        (at, process)
        for at, name in enumerate(columns)
        if (process := table.c[name].type.dialect_impl(dialect).result_processor(dialect, None)) is not None
    ]
    query = f'SELECT {_quoted(columns)} FROM "{table.name}"'  # noqa: S608 — our names
    ordered = f" ORDER BY {_quoted(order)}"
    rows: list[Any] = []
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for chunk in _chunks(only):
            if chunk is None:
                rows.extend(cursor.execute(query + ordered).fetchall())
            else:
                where = f' WHERE "{order[0]}" IN ({", ".join("?" * len(chunk))})'
                rows.extend(cursor.execute(query + where + ordered, chunk).fetchall())
    finally:
        cursor.close()
    if not processors:
        return rows
    processed = []
    for row in rows:
        values = list(row)
        for at, process in processors:
            values[at] = process(values[at])
        processed.append(values)
    return processed


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _event(start: dt.date | None, end: dt.date | None, precision: str | None) -> dict[str, Any] | None:
    # A claim with no event information (a statement, an assessment) has "event": null, not an object of nulls.
    if start is None and end is None and precision is None:
        return None
    return {"start": _date(start), "end": _date(end), "precision": precision}


def _ref(ext_ids: dict[int, str], ident: int | None) -> str | None:
    return None if ident is None else ext_ids[ident]


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
