"""Claims as CSV for spreadsheets, with formula injection neutralised (docs/architecture.md).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be run as a formula by Excel, LibreOffice or Google Sheets; claim
texts come from hostile sources, so such cells get a leading ``'`` (OWASP's
advice), which spreadsheets show as text. Every cell is a string by the time it
is checked, dates and numbers included (none of them can start with those).

Columns (one row per claim, ordered by internal id like the JSON export): id
(interchange id), text, source (its name), side (of the source), report (its
title), kind, claimed, event_start, event_end, precision, places (names joined
with "; "), credibility, suggested_credibility, status (derived), verdict,
likelihood, reviewed (yes/no), tags (joined with "; "), notes, recorded (UTC).
Names rather than ids are written for the source, report and places: the CSV is
for people; the JSON export is for machines. UTF-8 without a byte-order mark,
RFC 4180 line ends.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from desktop.core.gc_pause import collector_paused
from desktop.core.interchange.json_export import timestamp
from desktop.core.schema import Claim, ClaimPlace, Place, Report, Source

COLUMNS: Final = (
    "id",
    "text",
    "source",
    "side",
    "report",
    "kind",
    "claimed",
    "event_start",
    "event_end",
    "precision",
    "places",
    "credibility",
    "suggested_credibility",
    "status",
    "verdict",
    "likelihood",
    "reviewed",
    "tags",
    "notes",
    "recorded",
)
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet (see the module docstring)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def export_csv(engine: Engine) -> bytes:
    """Every claim as one CSV row (UTF-8 bytes)."""
    with collector_paused():
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([neutralise(cell) for cell in row] for row in claim_rows(engine))
        return out.getvalue().encode("utf-8")


def claim_rows(engine: Engine) -> list[list[str]]:
    """The CSV cells of every claim, before neutralisation."""
    claim = Claim.__table__  # type: ignore[attr-defined]
    source = Source.__table__  # type: ignore[attr-defined]
    report = Report.__table__  # type: ignore[attr-defined]
    place = Place.__table__  # type: ignore[attr-defined]
    claim_place = ClaimPlace.__table__  # type: ignore[attr-defined]
    query = (
        sa.select(claim, source.c.name.label("source_name"), source.c.side, report.c.title.label("report_title"))
        .join(source, source.c.id == claim.c.source_id)
        .outerjoin(report, report.c.id == claim.c.report_id)
        .order_by(claim.c.id)
    )
    places_query = (
        sa.select(claim_place.c.claim_id, place.c.name)
        .join(place, place.c.id == claim_place.c.place_id)
        .order_by(claim_place.c.claim_id, claim_place.c.position)
    )
    with engine.connect() as connection, connection.begin():
        places: defaultdict[int, list[str]] = defaultdict(list)
        for claim_id, name in connection.execute(places_query):
            places[claim_id].append(name)
        return [
            [
                r.ext_id,
                r.text,
                r.source_name,
                r.side,
                _text(r.report_title),
                r.kind,
                _text(r.claimed),
                _text(r.event_start),
                _text(r.event_end),
                _text(r.event_precision),
                "; ".join(places.get(r.id, ())),
                _text(r.credibility),
                str(r.suggested_credibility),
                r.status,
                _text(r.verdict),
                _text(r.likelihood),
                "yes" if r.reviewed else "no",
                "; ".join(r.tags),
                r.notes,
                timestamp(r.recorded),
            ]
            for r in connection.execute(query)
        ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
