"""What the reader and the reports list read: a report's text and the spans captured from it.

Spans are code points of the report's text, ``end`` exclusive (DESIGN §3), as
stored; the reader converts them to its widget's positions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    rows = connection.execute(text("SELECT id, name, aliases FROM source"))
    named = _named_in(passage, ((i, n, [n, *_aliases(a)]) for i, n, a in rows if i != exclude))
    return [(ident, name) for ident, name, _key in named]


def places_named_in(connection: Connection, passage: str) -> list[tuple[int, str]]:
    """Gazetteer places whose name or an alias occurs in ``passage`` (folded, whole words), longest first.

    A claim captured from "… fighting in the industrial zone of Bakhmut" is about
    Bakhmut (or Бахмут, or Artemivsk). A name inside a longer one found there
    ("Donetsk" in "Donetsk Oblast") does not count again, and a word several places
    answer to counts only for the one it is the own name of (else for none).
    """
    aliases: dict[int, list[str]] = {}
    for place, alias in connection.execute(text("SELECT place_id, alias FROM place_alias")):
        aliases.setdefault(place, []).append(alias)
    rows = connection.execute(text("SELECT id, name FROM place"))
    named = _named_in(passage, ((i, n, [n, *aliases.get(i, [])]) for i, n in rows))
    keys = [key for _ident, _name, key in named]
    by_own_name = [ident for ident, name, key in named if _key(name) == key]
    found = []
    for ident, name, key in named:
        if any(key != longer and f" {key} " in f" {longer} " for longer in keys):
            continue
        alike = [other for other, _n, other_key in named if other_key == key]
        if len(alike) > 1 and [other for other in alike if other in by_own_name] != [ident]:
            continue  # two places answer to this word (Opytne, Opytne (Avdiivka)): the analyst picks
        found.append((ident, name))
    return found


def _named_in(passage: str, candidates: Iterable[tuple[int, str, list[str]]]) -> list[tuple[int, str, str]]:
    """(id, name, the longest of its names found) for each candidate named in ``passage``, longest first."""
    folded = f" {_key(passage)} "
    found: dict[int, tuple[str, str]] = {}
    for ident, name, names in candidates:
        for candidate in names:
            key = _key(candidate)
            if len(key) >= 3 and f" {key} " in folded and len(key) > len(found.get(ident, ("", ""))[1]):
                found[ident] = (name, key)
    return [(ident, name, key) for ident, (name, key) in sorted(found.items(), key=lambda item: -len(item[1][1]))]


def _key(value: str) -> str:
    """``value`` folded to its words, one space apart: what a name is matched by."""
    return " ".join(_words(fold(value)))


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
