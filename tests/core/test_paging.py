"""The read side of the claim table: keyset windows, OFFSET jumps, positions, sorts and filters.

Every check compares the SQL answer with the same order computed in Python from
the raw rows, over a workspace with many ties (few dates, few statuses), so the
``id`` tie-break and the partition walk of the status sort are exercised.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from desktop.core import vocab
from desktop.core.read import paging
from desktop.core.read.paging import View
from desktop.core.schema import Claim
from desktop.core.vocab import STATUSES
from desktop.core.workspace import Workspace, open_workspace

claim_table = Claim.__table__  # type: ignore[attr-defined]


@dataclass
class Raw:
    id: int
    text: str
    source: str
    side: str
    sort_date: dt.date
    places: list[str]
    status: str
    credibility: int | None
    suggested: int
    links: int
    reviewed: bool
    reliability: str = "F"
    report: str | None = None
    likelihood: str | None = None


SOURCES = [("Rybar", "russia", "D"), ("General Staff", "ukraine", "B"), ("ISW", "", "C")]
PLACES = ["Bakhmut", "Soledar", "Klishchiivka"]
REPORTS = ["Morning update", "assessment, 14 December", "Channel post"]
LIKELIHOODS = [None, *vocab.LIKELIHOOD]


def build(workspace: Workspace, n: int = 60, seed: int = 7) -> list[Raw]:
    """``n`` claims written straight into the tables (derived columns included), returned as plain data."""
    rng = random.Random(seed)
    out: list[Raw] = []
    tables = SQLModel.metadata.tables
    sources = [
        {"id": i, "ext_id": f"src-{i}", "name": name, "aliases": [], "kind": "other", "side": side,
         "group_label": "", "reliability": rel, "notes": ""}
        for i, (name, side, rel) in enumerate(SOURCES, 1)
    ]  # fmt: skip
    places = [{"id": i, "ext_id": f"pl-{i}", "name": name, "folded": name.lower()} for i, name in enumerate(PLACES, 1)]
    claims: list[dict[str, Any]] = []
    claim_places: list[dict[str, Any]] = []
    for ident in range(1, n + 1):
        source = rng.randrange(len(SOURCES))
        raw = Raw(
            id=ident,
            text=rng.choice(["alpha", "bravo", "charlie", "delta"]) + f" {rng.randrange(5)}",
            source=SOURCES[source][0],
            side=SOURCES[source][1],
            sort_date=dt.date(2022, 12, 10) + dt.timedelta(days=rng.randrange(4)),
            places=rng.sample(PLACES, rng.randrange(3)),
            status=rng.choice(STATUSES),
            credibility=rng.choice([None, 1, 2, 3, 6]),
            suggested=rng.randrange(1, 7),
            links=rng.randrange(3),
            reviewed=rng.random() < 0.7,
            reliability=SOURCES[source][2],
            report=rng.choice([None, *REPORTS]),
            likelihood=rng.choice(LIKELIHOODS),
        )
        claims.append(
            {"id": ident, "ext_id": f"c-{ident}", "text": raw.text, "source_id": source + 1, "kind": "event",
             "credibility": raw.credibility, "reviewed": raw.reviewed, "tags": [], "notes": "",
             "recorded": dt.datetime(2022, 12, 15, 9, tzinfo=dt.UTC), "sort_date": raw.sort_date,
             "status": raw.status, "suggested_credibility": raw.suggested, "verdict_disputed": False,
             "link_count": raw.links, "likelihood": raw.likelihood,
             "report_id": None if raw.report is None else REPORTS.index(raw.report) + 1}
        )  # fmt: skip
        for position, place in enumerate(raw.places):
            claim_places.append({"claim_id": ident, "place_id": PLACES.index(place) + 1, "position": position})
        out.append(raw)
    with workspace.engine.begin() as c:
        c.execute(sa.insert(tables["source"]), sources)
        c.execute(sa.insert(tables["place"]), places)
        c.execute(
            sa.insert(tables["report"]),
            [{"id": i, "ext_id": f"r-{i}", "title": title, "text": ""} for i, title in enumerate(REPORTS, 1)],
        )
        c.execute(sa.insert(tables["claim"]), claims)
        c.execute(sa.insert(tables["claim_place"]), claim_places)
    return out


def expected(rows: list[Raw], view: View, keep: Any = None) -> list[int]:
    """The view's order, computed in Python."""
    chosen = [r for r in rows if keep is None or keep(r)]
    rank = {s: i for i, s in enumerate(STATUSES)}
    keys: dict[str, Any] = {
        "date": lambda r: (r.sort_date, r.id),
        "text": lambda r: (r.text.lower(), r.id),
        "source": lambda r: (r.source.lower(), r.id),
        "side": lambda r: (r.side, r.sort_date, r.id),
        "place": lambda r: ((r.places[0].lower() if r.places else ""), r.id),
        "credibility": lambda r: (r.credibility or 7, r.id),
        "suggested": lambda r: (r.suggested, r.id),
        "links": lambda r: (r.links, r.id),
        "report": lambda r: ((r.report or "").lower(), r.id),
        "grade": lambda r: (r.reliability, r.credibility or 7, r.id),
        "likelihood": lambda r: (LIKELIHOODS.index(r.likelihood) if r.likelihood else 99, r.id),
    }
    if view.sort == "status":
        newest_first = sorted(chosen, key=lambda r: (r.sort_date, r.id), reverse=True)
        ordered = sorted(newest_first, key=lambda r: rank[r.status], reverse=view.descending)
    else:
        ordered = sorted(chosen, key=keys[view.sort], reverse=view.descending)
    return [r.id for r in ordered]


@pytest.fixture
def data(workspace: Workspace) -> list[Raw]:
    return build(workspace)


@pytest.fixture
def conn(workspace: Workspace, data: list[Raw]) -> Any:
    with workspace.engine.connect() as connection:
        yield connection


@pytest.fixture
def pg_workspace(postgres_url: str) -> Iterator[Workspace]:
    opened = open_workspace(postgres_url)
    yield opened
    opened.close()


ALL_VIEWS = [View(sort=s, descending=d) for s in paging.SORTS for d in (False, True)]


def walk(conn: Connection, view: View, block: int) -> list[int]:
    """Every row of the view by keyset, ``block`` rows at a time."""
    ids: list[int] = []
    key = None
    while batch := paging.fetch_after(conn, view, key, block):
        ids += [r.id for r in batch]
        key = batch[-1].key
    return ids


@pytest.mark.parametrize("view", ALL_VIEWS, ids=lambda v: f"{v.sort}-{'desc' if v.descending else 'asc'}")
def test_keyset_walk_offset_jumps_and_positions_agree_with_python(
    conn: Connection, data: list[Raw], view: View
) -> None:
    want = expected(data, view)
    assert walk(conn, view, 7) == want
    sizes = paging.partition_sizes(conn, view)  # known sizes: the far half is read from the other end
    for offset in (0, 1, 6, 30, 31, 55, 59, 60, 80):
        assert [r.id for r in paging.fetch_at(conn, view, offset, 7)] == want[offset : offset + 7]
        assert [r.id for r in paging.fetch_at(conn, view, offset, 7, sizes)] == want[offset : offset + 7]
    for index, ident in enumerate(want):
        assert paging.position_of(conn, view, ident) == index
    middle = paging.fetch_at(conn, view, 30, 1)[0]
    assert [r.id for r in paging.fetch_before(conn, view, middle.key, 12)] == want[18:30]
    assert [r.id for r in paging.fetch_before(conn, view, middle.key, 100)] == want[:30]


def test_default_view_is_newest_first(conn: Connection, data: list[Raw]) -> None:
    rows = paging.fetch_after(conn, View(), None, 100)
    assert [r.sort_date for r in rows] == sorted((r.sort_date for r in data), reverse=True)


def test_status_sort_puts_worst_first_going_up(conn: Connection) -> None:
    rows = walk(conn, View(sort="status", descending=False), 50)
    statuses = [r.status for r in paging.fetch_at(conn, View(sort="status", descending=False), 0, len(rows))]
    assert statuses[0] == "contested" and statuses[-1] == "unverified"


def test_filter_is_applied_to_every_query(conn: Connection, data: list[Raw]) -> None:
    where = claim_table.c.status == "contested"
    for sort in ("date", "status", "source"):
        view = View(where=where, sort=sort)
        want = expected(data, view, lambda r: r.status == "contested")
        assert paging.count(conn, view) == len(want)
        assert walk(conn, view, 3) == want
        assert [r.id for r in paging.fetch_at(conn, view, 2, 3)] == want[2:5]
        assert [paging.position_of(conn, view, i) for i in want] == list(range(len(want)))
        other = next(r.id for r in data if r.status != "contested")
        assert paging.position_of(conn, view, other) is None
        assert paging.key_of(conn, view, other) is None
        assert set(paging.fetch_ids(conn, view, [other, want[0]])) == {want[0]}


def test_counted_where_is_counted_by_its_own_statement(conn: Connection, data: list[Raw]) -> None:
    """``CountedWhere`` is its condition everywhere, except that a one-partition count runs its statement."""
    condition = claim_table.c.status == "contested"
    contested = sum(r.status == "contested" for r in data)
    marker = sa.select(sa.literal(12345, sa.Integer))  # a count statement that shows it was the one used
    counted = paging.CountedWhere(condition, marker)
    for view in (View(where=condition, count_where=counted), View(where=counted), View(where=counted, sort="source")):
        assert paging.count(conn, view) == 12345
        assert paging.partition_sizes(conn, view) == [12345]
    # The status sort counts per status: the condition itself.
    status_view = View(where=condition, count_where=counted, sort="status")
    assert sum(paging.partition_sizes(conn, status_view)) == paging.count(conn, status_view) == contested
    # As a WHERE clause it is exactly the condition, negated and combined too.
    view = View(where=counted)
    want = expected(data, view, lambda r: r.status == "contested")
    assert walk(conn, view, 4) == want
    assert paging.position_of(conn, view, want[-1]) == len(want) - 1
    for where, total in (
        (sa.not_(counted), len(data) - contested),
        (sa.and_(counted, claim_table.c.id > 0), contested),
    ):
        assert conn.execute(sa.select(sa.func.count()).select_from(claim_table).where(where)).scalar() == total


def test_counted_where_caches_and_compares_by_its_condition(conn: Connection, data: list[Raw]) -> None:
    def counted(status: str) -> paging.CountedWhere:
        return paging.CountedWhere(
            claim_table.c.status == sa.bindparam(None, status, unique=True), sa.select(sa.literal(0, sa.Integer))
        )

    # One cached compiled statement, the bound values of each use: never the first one's rows.
    for status in ("contested", "unverified", "contested"):
        query = sa.select(sa.func.count()).select_from(claim_table).where(counted(status))
        assert conn.execute(query).scalar() == sum(r.status == status for r in data)
    assert counted("contested").compare(counted("contested"))
    assert not counted("contested").compare(counted("unverified"))
    sql = str(counted("contested").compile(dialect=postgresql.dialect()))
    assert sql.startswith("claim.status = %(")


def test_filters_on_source_and_status_use_the_source_status_index(conn: Connection) -> None:
    """Migration 0003's index: a count of sources in a status reads it alone; paging still walks the sort index."""
    where = sa.and_(claim_table.c.status == "contested", claim_table.c.source_id.in_([1, 2]))
    plan = paging._Plan(View(where=where))
    found = _plan_of(conn, _sql(plan.base(sa.func.count(), partition=None)))
    assert "COVERING INDEX ix_claim_source_status_sort (source_id=? AND status=?)" in found, found
    for view in (View(), View(sort="status")):
        plan = paging._Plan(view)
        key = paging.fetch_at(conn, view, 10, 1)[0].key
        page = plan.ordered(plan.base(paging._claim.c.id, partition=key[0]).where(plan.beyond(key))).limit(256)
        found = _plan_of(conn, _sql(page))
        assert "ix_claim_source_status_sort" not in found and "TEMP B-TREE" not in found, found


def _sql(query: Any) -> str:
    return str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def test_count_without_filter(conn: Connection, data: list[Raw]) -> None:
    assert paging.count(conn, View()) == len(data)


def test_partition_sizes_kept_by_the_caller_give_the_same_answers(conn: Connection, data: list[Raw]) -> None:
    view = View(sort="status", descending=False)
    sizes = paging.partition_sizes(conn, view)
    assert sizes == [sum(r.status == s for r in data) for s in STATUSES]
    assert paging.partition_sizes(conn, View()) == [len(data)]
    want = expected(data, view)
    for offset in (0, 17, 59):
        assert [r.id for r in paging.fetch_at(conn, view, offset, 5, sizes)] == want[offset : offset + 5]
    assert [paging.position_of(conn, view, i, sizes) for i in want] == list(range(len(want)))


def test_missing_claim_has_no_position(conn: Connection) -> None:
    assert paging.position_of(conn, View(), 10_000) is None
    assert paging.fetch_ids(conn, View(), [10_000]) == {}  # unfiltered: the rows alone say which exist


def test_row_carries_source_first_place_and_place_count(conn: Connection, data: list[Raw]) -> None:
    rows = paging.fetch_ids(conn, View(), [r.id for r in data])
    for raw in data:
        row = rows[raw.id]
        assert (row.source_name, row.source_side, row.text) == (raw.source, raw.side, raw.text)
        assert row.place == (raw.places[0] if raw.places else None)
        assert row.place_count == len(raw.places)
        assert (row.status, row.credibility, row.link_count, row.reviewed) == (
            raw.status, raw.credibility, raw.links, raw.reviewed,
        )  # fmt: skip
        assert row.claimed is None and row.sort_date == raw.sort_date


@pytest.mark.parametrize("sparse", [0.0, 1.0], ids=["walk-sort-order", "reviewed-index-first"])
@pytest.mark.parametrize("view", [View(), View(sort="status"), View(sort="text", descending=False)], ids=str)
def test_next_unreviewed_follows_sort_order_and_wraps(
    conn: Connection, data: list[Raw], view: View, sparse: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "_SPARSE_UNREVIEWED", sparse)
    order = expected(data, view)
    unreviewed = {r.id for r in data if not r.reviewed}
    first = next(i for i in order if i in unreviewed)
    assert paging.next_unreviewed(conn, view, None) == first
    for index, ident in enumerate(order):
        key = paging.key_of(conn, view, ident)
        following = [i for i in order[index + 1 :] + order[: index + 1] if i in unreviewed]
        assert paging.next_unreviewed(conn, view, key) == following[0]


def test_next_unreviewed_is_none_when_all_are_reviewed(workspace: Workspace, conn: Connection) -> None:
    with workspace.engine.begin() as c:
        c.exec_driver_sql("UPDATE claim SET reviewed = 1")
    key = paging.fetch_at(conn, View(), 3, 1)[0].key
    assert paging.next_unreviewed(conn, View(), key) is None
    assert paging.next_unreviewed(conn, View(), None) is None


def test_empty_workspace(workspace: Workspace) -> None:
    with workspace.engine.connect() as c:
        for view in (View(), View(sort="status")):
            assert paging.count(c, view) == 0
            assert paging.fetch_after(c, view, None, 10) == []
            assert paging.fetch_at(c, view, 0, 10) == []
            assert paging.next_unreviewed(c, view, None) is None


def test_unknown_sort_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sort"):
        View(sort="colour")


def test_precedes_matches_sql_order(conn: Connection) -> None:
    for view in (View(), View(sort="status"), View(sort="links", descending=False)):
        rows = paging.fetch_at(conn, view, 0, 100)
        assert all(paging.precedes(view, a.key, b.key) for a, b in zip(rows, rows[1:], strict=False))
        assert not paging.precedes(view, rows[1].key, rows[0].key)


def _plan_of(conn: Connection, sql: str) -> str:
    return " | ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


@pytest.mark.parametrize("view", [View(), View(descending=False), View(sort="status")], ids=str)
def test_date_and_status_pages_walk_an_index_without_sorting(conn: Connection, view: View) -> None:
    """Fast at a million claims: the keyset and OFFSET queries read the covering index in order."""
    plan = paging._Plan(view)
    key = paging.fetch_at(conn, view, 10, 1)[0].key
    queries = [
        plan.ordered(plan.base(paging._claim.c.id, partition=key[0]).where(plan.beyond(key))).limit(256),
        plan.ordered(plan.base(paging._claim.c.id, partition=key[0])).limit(256).offset(100),
        plan.base(sa.func.count(), partition=key[0]).where(plan.beyond(key, before=True)),
    ]
    for query in queries:
        sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        found = _plan_of(conn, sql)
        assert "TEMP B-TREE" not in found and "ix_claim_" in found, found


def test_keyset_is_a_row_value_comparison_in_postgresql_too() -> None:
    plan = paging._Plan(View())
    key = (0, dt.date(2022, 12, 14), 5)
    query = plan.ordered(plan.base(paging._claim.c.id, partition=0).where(plan.beyond(key)))
    sql = str(query.compile(dialect=postgresql.dialect()))
    assert "(claim.sort_date, claim.id) < (" in sql
    assert "ORDER BY claim.sort_date DESC, claim.id DESC" in sql


@pytest.mark.postgres
def test_every_view_pages_the_same_on_postgresql(pg_workspace: Workspace) -> None:
    """Row-value keysets, OFFSET jumps, positions and the filter, on a real PostgreSQL server."""
    data = build(pg_workspace)
    with pg_workspace.engine.connect() as connection:
        for view in ALL_VIEWS:
            want = expected(data, view)
            assert walk(connection, view, 7) == want, view
            assert [r.id for r in paging.fetch_at(connection, view, 25, 7)] == want[25:32]
            sizes = paging.partition_sizes(connection, view)  # the far half, read from the other end
            assert [r.id for r in paging.fetch_at(connection, view, len(want) - 5, 7, sizes)] == want[-5:]
            assert paging.position_of(connection, view, want[41]) == 41
            key = paging.key_of(connection, view, want[41])
            assert [r.id for r in paging.fetch_before(connection, view, key, 5)] == want[36:41]  # type: ignore[arg-type]
        view = View(where=claim_table.c.status == "contested", sort="status")
        assert walk(connection, view, 4) == expected(data, view, lambda r: r.status == "contested")
        # A new filter's count and the audit trail's end, in one statement (the table's reset, PostgreSQL).
        dated = View(where=claim_table.c.status == "contested")
        last = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM audit").scalar_one()
        assert paging.count_and_last_audit(connection, dated) == (paging.count(connection, dated), last)
        unreviewed = [i for i in expected(data, View()) if not next(r for r in data if r.id == i).reviewed]
        assert paging.next_unreviewed(connection, View(), None) == unreviewed[0]
        # Changed rows under a filter, one statement (the ids as a subquery): the rows the ids' own query picks.
        contested = [r.id for r in data if r.status == "contested"]
        other = [r.id for r in data if r.status != "contested"]
        for each in (View(where=dated.where), View(where=dated.where, sort="status")):
            rows = paging.fetch_ids(connection, each, [*contested[:5], *other[:5], 10_000])
            assert set(rows) == set(contested[:5])
            assert rows == {row.id: row for row in paging.fetch_after(connection, each, None, 100) if row.id in rows}
        # A new filter's count, audit end and first page in one round trip, ending the snapshot.
        with pg_workspace.engine.connect().execution_options(isolation_level="REPEATABLE READ") as snapshot:
            found, audited, first = paging.count_audit_and_first_rows(snapshot, dated, 10)
            assert not snapshot.connection.driver_connection.info.transaction_status  # IDLE: rolled back
        assert (found, audited) == (paging.count(connection, dated), last)
        assert first == paging.fetch_after(connection, dated, None, 10)


def test_the_source_sorts_join_sources_without_the_claims_source_index(conn: Connection, data: list[Raw]) -> None:
    """Joined through ``ix_claim_source_id``, a sort by side read every claim's row: 2–3 s at 1M (0.13 s without)."""
    for sort in ("side", "source"):  # (grade reads every claim row for its credibility either way)
        plan = paging._Plan(View(sort=sort))
        page = plan.ordered(plan.base(paging._claim.c.id, partition=None)).limit(256)
        found = _plan_of(conn, _sql(page))
        assert "USING INDEX ix_claim_source_id" not in found, (sort, found)  # a covering scan of it is fine
        assert [r.id for r in paging.fetch_at(conn, View(sort=sort), 0, 60)] == expected(data, View(sort=sort))
    joined = str(
        paging._Plan(View(sort="side")).base(paging._claim.c.id, partition=None).compile(dialect=postgresql.dialect())
    )
    assert "+claim.source_id" not in joined  # only SQLite is told so
