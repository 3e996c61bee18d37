"""What the reader and the reports list read: a report's text and the spans captured from it.

Spans are code points of the report's text, ``end`` exclusive (DESIGN §3), as
stored; the reader converts them to its widget's positions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from desktop.core.read.records import as_date
from desktop.core.text import fold


@dataclass(frozen=True)
class ReportText:
    id: int
    ext_id: str
    title: str
    text: str
    url: str | None
    published: dt.date | None
    language: str | None
    source_id: int | None
    source_name: str | None
    retrieved: dt.datetime | None
    sha256: str | None


@dataclass(frozen=True)
class ReportRow:
    """One line of the reports list."""

    id: int
    ext_id: str
    title: str
    source_name: str | None
    published: dt.date | None
    claims: int


@dataclass(frozen=True)
class Span:
    """A claim taken from a report: its span of the text."""

    claim_id: int
    ext_id: str
    start: int
    end: int
    source_name: str


def read_report(connection: Connection, report_id: int) -> ReportText | None:
    row = connection.execute(
        text(
            "SELECT r.id, r.ext_id, r.title, r.text, r.url, r.published, r.language, r.source_id, s.name, "
            "r.retrieved, r.sha256 FROM report AS r LEFT JOIN source AS s ON s.id = r.source_id WHERE r.id = :r"
        ),
        {"r": report_id},
    ).first()
    if row is None:
        return None
    retrieved = row[9]
    if isinstance(retrieved, str):
        retrieved = dt.datetime.fromisoformat(retrieved)
    return ReportText(
        row[0], row[1], row[2], row[3], row[4], as_date(row[5]), row[6], row[7], row[8], retrieved, row[10]
    )


def list_reports(connection: Connection, query: str = "", limit: int = 500) -> list[ReportRow]:
    """Reports whose title or publisher contains ``query`` (folded, any script), newest first."""
    wanted = fold(query.strip())
    params: dict[str, Any] = {"n": limit}
    where = ""
    if wanted:
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["p"] = f"%{escaped}%"
        where = (
            "WHERE cc_fold(r.title) LIKE :p ESCAPE '\\' OR cc_fold(coalesce(s.name, '')) LIKE :p ESCAPE '\\' "
            "OR lower(r.ext_id) = :exact"
        )
        params["exact"] = wanted
    rows = connection.execute(
        text(
            "SELECT r.id, r.ext_id, r.title, s.name, r.published, "
            "(SELECT count(*) FROM claim AS c WHERE c.report_id = r.id) "
            f"FROM report AS r LEFT JOIN source AS s ON s.id = r.source_id {where} "
            "ORDER BY r.published IS NULL, r.published DESC, r.id DESC LIMIT :n"
        ),
        params,
    )
    return [ReportRow(r[0], r[1], r[2], r[3], as_date(r[4]), r[5]) for r in rows]


def report_spans(connection: Connection, report_id: int) -> list[Span]:
    rows = connection.execute(
        text(
            "SELECT c.id, c.ext_id, c.quote_start, c.quote_end, s.name FROM claim AS c "
            "JOIN source AS s ON s.id = c.source_id "
            "WHERE c.report_id = :r AND c.quote_start IS NOT NULL ORDER BY c.quote_start, c.quote_end, c.id"
        ),
        {"r": report_id},
    )
    return [Span(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def claim_quote(connection: Connection, claim_id: int) -> tuple[int | None, int | None, int | None]:
    """A claim's report and quoted span (``None`` where it has none)."""
    row = connection.execute(
        text("SELECT report_id, quote_start, quote_end FROM claim WHERE id = :c"), {"c": claim_id}
    ).first()
    return (None, None, None) if row is None else (row[0], row[1], row[2])


def sources_named_in(connection: Connection, passage: str, exclude: int | None = None) -> list[tuple[int, str]]:
    """Sources whose name or an alias occurs in ``passage`` (folded, whole words), longest name first.

    Who the report quotes: "… reported by pro-Russian news source Rybar …" names
    Rybar, the claim's originator. ``exclude`` (the publisher) is left out.
    """
    folded = f" {' '.join(_words(fold(passage)))} "
    found: dict[int, tuple[int, str]] = {}
    for ident, name, aliases in connection.execute(text("SELECT id, name, aliases FROM source")):
        if ident == exclude:
            continue
        names = [name, *(_aliases(aliases))]
        for candidate in names:
            key = " ".join(_words(fold(candidate)))
            if len(key) >= 3 and f" {key} " in folded:
                best = found.get(ident)
                if best is None or len(key) > best[0]:
                    found[ident] = (len(key), name)
    return [(ident, name) for ident, (_length, name) in sorted(found.items(), key=lambda item: -item[1][0])]


def _words(value: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in value).split()


def _aliases(value: Any) -> list[str]:
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []
