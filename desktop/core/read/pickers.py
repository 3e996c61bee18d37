"""What the window's pickers choose from — sources, reports, places — found by any name, a page at a time.

A workspace can hold hundreds of thousands of reports and thousands of sources
and places, so nothing here reads a whole table: every search asks the
database for at most ``limit`` rows (``PICK_LIMIT`` by default), and a picker
shows its current value with ``source_info`` / ``report_info`` (one row).

Names come in several scripts and spellings, so matching folds case and
accents (``text.fold``; ``cc_fold`` in SQL; places keep their folded names in
``place.folded`` and ``place_alias.folded``) over every alias, ranks exact names
over prefixes over substrings, and falls back to fuzzy matching (rapidfuzz)
over a bounded set of candidates for typos and transliterations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, Final, TypeVar

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from desktop.core.read.records import PlaceInfo, ReportInfo, SourceInfo, as_date, as_labels
from desktop.core.text import fold

#: Rows a picker asks for at a time: enough to choose from, never the whole table.
PICK_LIMIT: Final = 50
#: Names scored fuzzily at most, per search (the candidates share the query's first letter).
FUZZY_POOL: Final = 500
#: Fuzzy matches only for queries this long: "ba" should not match "Opytne".
FUZZY_MIN_LENGTH: Final = 3

_SOURCE_COLUMNS = "s.id, s.ext_id, s.name, s.kind, s.side, s.group_label, s.reliability, s.url, s.aliases, s.notes"
_PLACE_SQL = "SELECT id, ext_id, name, region, lat, lon FROM place"

T = TypeVar("T")


# --- SQL pieces ---------------------------------------------------------------------------------


def _escape_like(value: str) -> str:
    # Every LIKE here escapes with a backslash: typed text matches literally, "%" and "_" included.
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_params(wanted: str) -> dict[str, Any]:
    escaped = _escape_like(wanted)
    return {
        "exact": wanted,
        "prefix": f"{escaped}%",
        "contains": f"%{escaped}%",
        "initial": f"{_escape_like(wanted[:1])}%",
    }


def _aliases_of(column: str, dialect: str) -> str:
    """The elements of a JSON list column as a table ``a(value)``; a damaged value yields no rows."""
    if dialect == "sqlite":
        return f"json_each(CASE WHEN json_valid({column}) THEN {column} ELSE '[]' END) AS a"
    safe = f"CASE WHEN json_typeof({column}) = 'array' THEN {column} ELSE CAST('[]' AS json) END"
    return f"json_array_elements_text({safe}) AS a"


def _source_names_like(dialect: str, pattern: str) -> str:
    """True when the source's folded name or any folded alias is LIKE ``:pattern``."""
    aliases = _aliases_of("s.aliases", dialect)
    return (
        f"(cc_fold(s.name) LIKE :{pattern} ESCAPE '\\' "
        f"OR EXISTS (SELECT 1 FROM {aliases} WHERE cc_fold(a.value) LIKE :{pattern} ESCAPE '\\'))"
    )


# --- ranking ------------------------------------------------------------------------------------


def _score(wanted: str, candidate: str) -> float:
    """How well folded ``candidate`` matches folded ``wanted``: exact 300, prefix 200+, substring 150, fuzzy ≥ 80."""
    if candidate == wanted:
        return 300.0
    if candidate.startswith(wanted):
        return 200.0 + 100.0 * len(wanted) / len(candidate)
    if wanted in candidate:
        return 150.0
    if len(wanted) < FUZZY_MIN_LENGTH:
        return 0.0
    from rapidfuzz import fuzz  # here, not at the top: the window's start does not need it

    score = float(fuzz.WRatio(wanted, candidate))
    return score if score >= 80 else 0.0


def _ranked(items: Iterable[T], names: Callable[[T], Iterable[str]], query: str, limit: int) -> list[T]:
    """``items`` whose best name matches ``query``, best first; ties keep the items' order."""
    wanted = fold(query.strip())
    pool = list(items)
    if not wanted:
        return pool[:limit]
    scored: list[tuple[float, int, T]] = []
    for order, item in enumerate(pool):
        best = max((_score(wanted, fold(name)) for name in names(item)), default=0.0)
        if best:
            scored.append((best, order, item))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [item for _, _, item in scored[:limit]]


def match_places(places: Iterable[PlaceInfo], query: str, limit: int = 20) -> list[PlaceInfo]:
    """Places (already read) whose name or any alias matches ``query``, best first.

    Exact (folded) names win over prefixes, prefixes over substrings, and those
    over fuzzy matches, so "artemivsk", "бахмут" or a misspelt "Bakhmout" all
    find Bakhmut. Folding makes case, accents and "ё"/"е" irrelevant in every
    script. An empty query keeps the given order. ``search_places`` asks the
    database for the candidates.
    """
    return _ranked(places, lambda place: place.names, query, limit)


def match_sources(sources: Iterable[SourceInfo], query: str, limit: int = PICK_LIMIT) -> list[SourceInfo]:
    """Sources (already read) whose name or alias matches ``query``, ranked like ``match_places``."""
    return _ranked(sources, lambda source: (source.name, *source.aliases), query, limit)


# --- sources ------------------------------------------------------------------------------------


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


def source_info(connection: Connection, source_id: int) -> SourceInfo | None:
    row = connection.execute(text(f"SELECT {_SOURCE_COLUMNS} FROM source s WHERE s.id = :s"), {"s": source_id}).first()
    return None if row is None else _source(row)


def source_names(connection: Connection, ids: Collection[int]) -> dict[int, str]:
    """The names of the sources ``ids`` (those that exist)."""
    if not ids:
        return {}
    query = text("SELECT id, name FROM source WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    return {row.id: row.name for row in connection.execute(query, {"ids": sorted(ids)})}


def search_sources(connection: Connection, query: str, limit: int = PICK_LIMIT) -> list[SourceInfo]:
    """At most ``limit`` sources whose name or any alias matches ``query`` (folded), best first.

    Names that start with the query come first, then those that contain it;
    when fewer than ``limit`` do, sources whose name is a near miss (fuzzy, among
    those sharing the query's first letter) follow. An empty query lists the
    first sources by name.
    """
    wanted = fold(query.strip())
    dialect = connection.dialect.name
    if not wanted:
        rows = connection.execute(
            text(f"SELECT {_SOURCE_COLUMNS} FROM source s ORDER BY cc_fold(s.name), s.id LIMIT :n"), {"n": limit}
        )
        return [_source(row) for row in rows]
    params = {**_like_params(wanted), "n": limit}
    rows = connection.execute(
        text(
            f"SELECT {_SOURCE_COLUMNS} FROM source s WHERE {_source_names_like(dialect, 'contains')} "
            f"ORDER BY CASE WHEN cc_fold(s.name) LIKE :prefix ESCAPE '\\' THEN 0 "
            f"WHEN {_source_names_like(dialect, 'prefix')} THEN 1 ELSE 2 END, cc_fold(s.name), s.id LIMIT :n"
        ),
        params,
    )
    found = [_source(row) for row in rows]
    if len(found) < limit and len(wanted) >= FUZZY_MIN_LENGTH:
        near = connection.execute(
            text(
                f"SELECT {_SOURCE_COLUMNS} FROM source s WHERE {_source_names_like(dialect, 'initial')} "
                f"AND NOT {_source_names_like(dialect, 'contains')} ORDER BY s.id LIMIT :pool"
            ),
            {**params, "pool": FUZZY_POOL},
        )
        found += [_source(row) for row in near]
    return match_sources(found, query, limit)


def side_and_group_labels(connection: Connection) -> tuple[list[str], list[str]]:
    """The sides and the groups sources already have (for completions), each sorted."""
    sides = connection.execute(text("SELECT DISTINCT side FROM source WHERE side <> ''")).scalars()
    groups = connection.execute(text("SELECT DISTINCT group_label FROM source WHERE group_label <> ''")).scalars()
    return sorted(str(s) for s in sides), sorted(str(g) for g in groups)


# --- reports ------------------------------------------------------------------------------------


def read_reports(connection: Connection, where: str, params: dict[str, Any] | None = None) -> list[ReportInfo]:
    """Reports with their source's name; ``where`` is the rest of the statement (a WHERE, an ORDER BY, a LIMIT)."""
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


def report_info(connection: Connection, report_id: int) -> ReportInfo | None:
    found = read_reports(connection, "WHERE r.id = :r", {"r": report_id})
    return found[0] if found else None


def _newest_first(report: ReportInfo) -> tuple[bool, int, int]:
    return (report.published is None, -(report.published or dt.date.min).toordinal(), -report.id)


def search_reports(
    connection: Connection, query: str, limit: int = PICK_LIMIT, *, source_id: int | None = None
) -> list[ReportInfo]:
    """At most ``limit`` reports whose title contains ``query`` (folded).

    The reports of ``source_id`` (the claim's source: where its claims are
    usually found) come first, newest first; the others follow, the most
    recently added ones first (found without sorting the whole table), shown
    newest first. An empty query matches every report.
    """
    wanted = fold(query.strip())
    params: dict[str, Any] = {**(_like_params(wanted) if wanted else {}), "s": source_id, "n": limit}
    title = "AND cc_fold(r.title) LIKE :contains ESCAPE '\\'" if wanted else ""
    found: list[ReportInfo] = []
    if source_id is not None:
        found = read_reports(
            connection,
            f"WHERE r.source_id = :s {title} ORDER BY r.published IS NULL, r.published DESC, r.id DESC LIMIT :n",
            params,
        )
    if len(found) < limit:
        others = "AND (r.source_id IS NULL OR r.source_id <> :s)" if source_id is not None else ""
        rest = read_reports(
            connection, f"WHERE 1 = 1 {others} {title} ORDER BY r.id DESC LIMIT :m", {**params, "m": limit - len(found)}
        )
        found += sorted(rest, key=_newest_first)
    return found


# --- places -------------------------------------------------------------------------------------


def read_places(connection: Connection, ids: Sequence[int]) -> list[PlaceInfo]:
    """The places ``ids`` (those that exist) with their aliases, in no particular order."""
    if not ids:
        return []
    wanted = sorted(set(ids))
    rows = list(
        connection.execute(
            text(_PLACE_SQL + " WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)), {"ids": wanted}
        )
    )
    alias_rows = connection.execute(
        text("SELECT place_id, alias FROM place_alias WHERE place_id IN :ids ORDER BY place_id, position").bindparams(
            bindparam("ids", expanding=True)
        ),
        {"ids": wanted},
    )
    aliases: dict[int, list[str]] = {}
    for place_id, alias in alias_rows:
        aliases.setdefault(place_id, []).append(alias)
    return [PlaceInfo(r.id, r.ext_id, r.name, tuple(aliases.get(r.id, ())), r.region, r.lat, r.lon) for r in rows]


def _place_names(connection: Connection, condition: str, order: str, params: dict[str, Any]) -> list[int]:
    """Ids of places with a folded name or alias meeting ``condition`` (over ``folded``), in ``order``."""
    rows = connection.execute(
        text(
            "SELECT place_id FROM (SELECT id AS place_id, folded FROM place UNION ALL "
            f"SELECT place_id, folded FROM place_alias) AS n WHERE {condition} ORDER BY {order} LIMIT :cap"
        ),
        params,
    )
    return [row.place_id for row in rows]


def search_places(
    connection: Connection, query: str, limit: int = PICK_LIMIT, *, exclude: Collection[int] = ()
) -> list[PlaceInfo]:
    """At most ``limit`` places (not in ``exclude``) whose name or any alias matches ``query``, best first.

    Candidates come from the stored folded names — exact, then prefix, then
    substring — and, for a query of three letters or more, near misses sharing
    its first letter; ``match_places`` ranks them. An empty query lists the
    first places by name.
    """
    wanted = fold(query.strip())
    skip = set(exclude)
    cap = limit + len(skip)
    if not wanted:
        rows = connection.execute(text("SELECT id FROM place ORDER BY folded, id LIMIT :cap"), {"cap": cap})
        ids = [row.id for row in rows if row.id not in skip][:limit]
        by_id = {place.id: place for place in read_places(connection, ids)}
        return [by_id[i] for i in ids if i in by_id]
    params = {**_like_params(wanted), "cap": 4 * cap}  # a place can match by several names
    exact_then_prefix = "CASE WHEN folded = :exact THEN 0 WHEN folded LIKE :prefix ESCAPE '\\' THEN 1 ELSE 2 END"
    candidates = _place_names(
        connection, "folded LIKE :contains ESCAPE '\\'", f"{exact_then_prefix}, length(folded), place_id", params
    )
    distinct = [i for i in dict.fromkeys(candidates) if i not in skip]
    if len(distinct) < limit and len(wanted) >= FUZZY_MIN_LENGTH:
        first = wanted[0]
        near = _place_names(
            connection,
            "folded >= :low AND folded < :high",
            "place_id",
            {"low": first, "high": chr(ord(first) + 1), "cap": FUZZY_POOL},
        )
        seen = set(distinct)
        distinct += [i for i in dict.fromkeys(near) if i not in skip and i not in seen]
    by_id = {place.id: place for place in read_places(connection, distinct)}
    return match_places([by_id[i] for i in distinct if i in by_id], query, limit)
