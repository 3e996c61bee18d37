"""The lists the window's pickers choose from: sources, reports, places — and matching them by any name.

Gazetteer and source names come in several scripts and spellings, so matching
folds case and accents (``text.fold``) over every alias, then falls back to
fuzzy matching (rapidfuzz) for typos and transliterations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from desktop.core.detail_records import PlaceInfo, ReportInfo, SourceInfo, as_date, as_labels
from desktop.core.text import fold

_SOURCE_COLUMNS = "id, ext_id, name, kind, side, group_label, reliability, url, aliases, notes"
_PLACE_SQL = "SELECT id, ext_id, name, region, lat, lon FROM place"


def _source(row: Any) -> SourceInfo:
    return SourceInfo(
        id=row.id,
        ext_id=row.ext_id,
        name=row.name,
        kind=row.kind,
        side=row.side or "",
        group_label=row.group_label or "",
        reliability=row.reliability,
        url=row.url,
        aliases=as_labels(row.aliases),
        notes=row.notes or "",
    )


def list_sources(connection: Connection) -> list[SourceInfo]:
    """Every source, by name (case-folded), for pickers."""
    rows = connection.execute(text(f"SELECT {_SOURCE_COLUMNS} FROM source"))
    return sorted((_source(r) for r in rows), key=lambda s: (fold(s.name), s.id))


def source_info(connection: Connection, source_id: int) -> SourceInfo | None:
    row = connection.execute(text(f"SELECT {_SOURCE_COLUMNS} FROM source WHERE id = :s"), {"s": source_id}).first()
    return None if row is None else _source(row)


def read_reports(connection: Connection, where: str = "", params: dict[str, Any] | None = None) -> list[ReportInfo]:
    rows = connection.execute(
        text(
            "SELECT r.id, r.ext_id, r.title, r.url, r.published, r.language, r.source_id, s.name AS source_name "
            f"FROM report r LEFT JOIN source s ON s.id = r.source_id {where}"
        ),
        params or {},
    )
    return [
        ReportInfo(r.id, r.ext_id, r.title, r.url, as_date(r.published), r.language, r.source_id, r.source_name)
        for r in rows
    ]


def list_reports(connection: Connection) -> list[ReportInfo]:
    """Every report, newest first (undated last), for pickers."""
    reports = read_reports(connection)
    return sorted(reports, key=lambda r: (r.published is None, -(r.published or dt.date.min).toordinal(), r.id))


def read_places(connection: Connection, ids: Sequence[int] | None) -> list[PlaceInfo]:
    if ids is None:
        rows = list(connection.execute(text(_PLACE_SQL)))
        alias_rows = connection.execute(text("SELECT place_id, alias FROM place_alias ORDER BY place_id, position"))
    elif not ids:
        return []
    else:
        where = " WHERE id IN :ids"
        rows = list(
            connection.execute(text(_PLACE_SQL + where).bindparams(bindparam("ids", expanding=True)), {"ids": ids})
        )
        alias_rows = connection.execute(
            text(
                "SELECT place_id, alias FROM place_alias WHERE place_id IN :ids ORDER BY place_id, position"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": list(ids)},
        )
    aliases: dict[int, list[str]] = {}
    for place_id, alias in alias_rows:
        aliases.setdefault(place_id, []).append(alias)
    return [PlaceInfo(r.id, r.ext_id, r.name, tuple(aliases.get(r.id, ())), r.region, r.lat, r.lon) for r in rows]


def list_places(connection: Connection) -> list[PlaceInfo]:
    """Every place with its aliases, by name, for pickers (see ``match_places``)."""
    return sorted(read_places(connection, None), key=lambda p: (fold(p.name), p.id))


def match_places(places: Iterable[PlaceInfo], query: str, limit: int = 20) -> list[PlaceInfo]:
    """Places whose name or any alias matches ``query``, best first.

    Exact (folded) names win over prefixes, prefixes over substrings, and those
    over fuzzy matches, so "artemivsk", "бахмут" or a misspelt "Bakhmout" all
    find Bakhmut. Folding makes case, accents and "ё"/"е" irrelevant in every
    script. An empty query lists every place.
    """
    wanted = fold(query.strip())
    pool = list(places)
    if not wanted:
        return pool[:limit]
    scored: list[tuple[float, int, PlaceInfo]] = []
    for order, place in enumerate(pool):
        best = 0.0
        for name in place.names:
            candidate = fold(name)
            if candidate == wanted:
                score = 300.0
            elif candidate.startswith(wanted):
                score = 200.0 + 100.0 * len(wanted) / len(candidate)
            elif wanted in candidate:
                score = 150.0
            else:
                # Fuzzy only for queries long enough to mean something; "ba" should not match "Opytne".
                score = fuzz.WRatio(wanted, candidate) if len(wanted) >= 3 else 0.0
                if score < 80:
                    score = 0.0
            best = max(best, score)
        if best:
            scored.append((best, order, place))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [place for _, _, place in scored[:limit]]


def match_sources(sources: Iterable[SourceInfo], query: str, limit: int = 50) -> list[SourceInfo]:
    """Sources whose name or alias matches ``query`` (folded substring, then fuzzy), best first."""
    wanted = fold(query.strip())
    pool = list(sources)
    if not wanted:
        return pool[:limit]
    exact = [s for s in pool if any(wanted in fold(n) for n in (s.name, *s.aliases))]
    rest = [s for s in pool if s not in exact]
    choices = {i: " ".join(fold(n) for n in (s.name, *s.aliases)) for i, s in enumerate(rest)}
    fuzzy = [
        rest[key] for _, score, key in process.extract(wanted, choices, scorer=fuzz.WRatio, limit=limit) if score >= 80
    ]
    return (exact + fuzzy)[:limit]
