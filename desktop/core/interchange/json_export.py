"""Exporting a workspace as one canonical interchange document (DESIGN §3).

Canonical means: sections and keys in the order of the DESIGN example (see
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
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from desktop.core.interchange import format as fmt
from desktop.core.schema import Claim, ClaimPlace, Link, Outreach, OutreachClaim, Place, PlaceAlias, Report, Source


def export_json(engine: Engine) -> bytes:
    """The whole workspace as canonical interchange JSON (UTF-8 bytes)."""
    document = export_document(engine)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_document(engine: Engine) -> dict[str, Any]:
    """The whole workspace as the decoded interchange document (a dict in canonical key order)."""
    with engine.connect() as connection, connection.begin():
        return read_document(connection)


def read_document(connection: Connection) -> dict[str, Any]:
    sources = _rows(
        connection,
        Source,
        "id",
        "ext_id",
        "name",
        "kind",
        "side",
        "group_label",
        "reliability",
        "url",
        "aliases",
        "notes",
    )
    source_ext = {r.id: r.ext_id for r in sources}
    reports = _rows(connection, Report, "id", "ext_id", "title", "source_id", "url", "published", "language", "text")
    report_ext = {r.id: r.ext_id for r in reports}
    places = _rows(connection, Place, "id", "ext_id", "name", "region", "lat", "lon")
    place_ext = {r.id: r.ext_id for r in places}
    aliases = _children(connection, PlaceAlias, "place_id", "alias", lambda v: v)
    claims = _rows(
        connection,
        Claim,
        "id",
        "ext_id",
        "text",
        "source_id",
        "report_id",
        "kind",
        "claimed",
        "event_start",
        "event_end",
        "event_precision",
        "credibility",
        "likelihood",
        "verdict",
        "reviewed",
        "tags",
        "notes",
        "recorded",
    )
    claim_ext = {r.id: r.ext_id for r in claims}
    claim_places = _children(connection, ClaimPlace, "claim_id", "place_id", place_ext.__getitem__)
    links = _rows(connection, Link, "id", "from_id", "to_id", "relation", "rationale", "analyst", "recorded")
    outreach = _rows(connection, Outreach, "id", "ext_id", "party", "contacted", "status", "response")
    about = _children(connection, OutreachClaim, "outreach_id", "claim_id", claim_ext.__getitem__)

    document: dict[str, Any] = {"format": fmt.FORMAT, "version": fmt.VERSION}
    document["sources"] = [
        _keyed(
            fmt.SOURCE_KEYS,
            r.ext_id,
            r.name,
            r.kind,
            r.side or None,
            r.group_label or None,
            r.reliability,
            r.url,
            list(r.aliases),
            r.notes,
        )
        for r in sources
    ]
    document["reports"] = [
        _keyed(
            fmt.REPORT_KEYS,
            r.ext_id,
            r.title,
            _ref(source_ext, r.source_id),
            r.url,
            _date(r.published),
            r.language,
            r.text,
        )
        for r in reports
    ]
    document["places"] = [
        _keyed(fmt.PLACE_KEYS, r.ext_id, r.name, aliases.get(r.id, []), r.region, r.lat, r.lon) for r in places
    ]
    document["claims"] = [
        _keyed(
            fmt.CLAIM_KEYS,
            r.ext_id,
            r.text,
            source_ext[r.source_id],
            _ref(report_ext, r.report_id),
            r.kind,
            _date(r.claimed),
            _event(r.event_start, r.event_end, r.event_precision),
            claim_places.get(r.id, []),
            r.credibility,
            r.likelihood,
            r.verdict,
            bool(r.reviewed),
            list(r.tags),
            r.notes,
            timestamp(r.recorded),
        )
        for r in claims
    ]
    document["links"] = [
        _keyed(
            fmt.LINK_KEYS,
            claim_ext[r.from_id],
            claim_ext[r.to_id],
            r.relation,
            r.rationale,
            r.analyst,
            timestamp(r.recorded),
        )
        for r in links
    ]
    document["outreach"] = [
        _keyed(fmt.OUTREACH_KEYS, r.ext_id, r.party, _date(r.contacted), about.get(r.id, []), r.status, r.response)
        for r in outreach
    ]
    return document


def timestamp(value: dt.datetime) -> str:
    """A stored moment as the format writes it: UTC, whole seconds, ``Z``."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime(fmt.TIMESTAMP_FORMAT)


def _rows(connection: Connection, model: Any, *columns: str) -> list[Any]:
    table = model.__table__
    query = sa.select(*(table.c[name] for name in columns)).order_by(table.c.id)
    return list(connection.execute(query))


def _children(connection: Connection, model: Any, parent: str, child: str, convert: Any) -> dict[int, list[Any]]:
    """Ordered child values (aliases, places, claims) per parent id."""
    table = model.__table__
    query = sa.select(table.c[parent], table.c[child]).order_by(table.c[parent], table.c.position)
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for owner, value in connection.execute(query):
        grouped[owner].append(convert(value))
    return grouped


def _keyed(keys: tuple[str, ...], *values: Any) -> dict[str, Any]:
    return dict(zip(keys, values, strict=True))


def _event(start: dt.date | None, end: dt.date | None, precision: str | None) -> dict[str, Any] | None:
    # A claim with no event information (a statement, an assessment) has "event": null, not an object of nulls.
    if start is None and end is None and precision is None:
        return None
    return _keyed(fmt.EVENT_KEYS, _date(start), _date(end), precision)


def _ref(ext_ids: dict[int, str], ident: int | None) -> str | None:
    return None if ident is None else ext_ids[ident]


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
