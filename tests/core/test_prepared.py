"""Statements prepared once and run on SQLite's driver (``read.prepared``) answer exactly as through SQLAlchemy.

The claim table's row statement and its keyset statement run raw on SQLite. Every
check here walks the same views twice — once as the table does, once with the raw
path switched off — over the sample workspace (Cyrillic text, sources with
aliases, places), with filters that carry hostile text, and compares whole rows:
values, their Python types (dates, booleans) and row keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from desktop.core import db, search
from desktop.core.read import paging, prepared
from desktop.core.read.paging import ClaimRow, View
from desktop.core.workspace import Workspace, open_workspace

FILTERS = [
    "",
    "status:contested,corroborated",
    "side:russia,ukraine",
    "source:rybar",
    "бахмут",
    "Бахмут -wagner",
    "bakh",
    "cred:none",
    "after:2022-12-01 -status:unverified",
    "'; DROP TABLE claim; --",
    'NEAR(a b) "col:x" AND',
    "\u0000\u202e%_\\",
]


@pytest.fixture
def conn(sample_workspace: Workspace) -> Iterator[Connection]:
    with sample_workspace.engine.connect() as connection:
        yield connection


def walk(connection: Connection, view: View, block: int) -> list[ClaimRow]:
    rows: list[ClaimRow] = []
    key = None
    while batch := paging.fetch_after(connection, view, key, block):
        rows += batch
        key = batch[-1].key
    return rows


def without_raw(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "driver", lambda _connection: None)
    monkeypatch.setattr(prepared, "driver", lambda _connection: None)  # ``prepared.scalars``, the probes


@pytest.mark.parametrize("text", FILTERS)
def test_raw_walk_gives_the_rows_sqlalchemy_gives(conn: Connection, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    where = search.compile_filter(text, "sqlite", connection=conn)
    for sort in paging.SORTS:
        for descending in (False, True):
            view = View(where=where.where, count_where=where.count_where, sort=sort, descending=descending)
            raw = walk(conn, view, 3)
            with monkeypatch.context() as patched:
                without_raw(patched)
                plain = walk(conn, view, 3)
            assert raw == plain, (text, sort, descending)
    everything = walk(conn, View(), 5)
    assert all(isinstance(row.sort_date, dt.date) and isinstance(row.reviewed, bool) for row in everything)
    assert all(row.claimed is None or isinstance(row.claimed, dt.date) for row in everything)
    assert any(isinstance(row.claimed, dt.date) for row in everything)


def test_rows_come_back_in_the_order_asked_and_missing_ids_are_left_out(conn: Connection) -> None:
    ids = [row.id for row in paging.fetch_after(conn, View(), None, 10)]
    wanted = [ids[3], 10_000_000, ids[0], ids[7]]
    rows = paging._rows(conn, paging._Plan(View()), wanted)
    assert [row.id for row in rows] == [ids[3], ids[0], ids[7]]


def test_late_parameters_must_all_be_given(conn: Connection) -> None:
    statement = sa.select(paging._claim.c.id).where(paging._claim.c.id == sa.bindparam("wanted", None))
    ready = prepared.Prepared(statement, conn.dialect, late=["wanted"])
    raw = prepared.driver(conn)
    assert raw is not None
    first = paging.fetch_after(conn, View(), None, 1)[0].id
    assert ready.scalars(raw, wanted=first) == [first]
    with pytest.raises(ValueError, match="wanted"):
        ready.scalars(raw)


def test_a_raw_read_runs_inside_the_connections_transaction(sample_workspace: Workspace) -> None:
    """Raw reads see one snapshot with the connection's other reads (the engine's BEGIN, as execute's)."""
    with sample_workspace.engine.connect() as connection:
        raw = prepared.driver(connection)
        assert raw is not None and connection.in_transaction() and raw.in_transaction


def first_page(connection: Connection, text: str, sort: str = "date") -> sa.Select[Any]:
    """The ids statement of the top of ``text``'s view, as the table builds it (run through ``prepared.scalars``)."""
    result = search.compile_filter(text, "sqlite", connection=connection)
    plan = paging._Plan(View(where=result.where, count_where=result.count_where, sort=sort))
    return plan.ordered(plan.base(paging._claim.c.id, partition=0)).limit(64)


@pytest.mark.parametrize("text", FILTERS)
def test_a_statement_run_by_its_shape_gives_what_sqlalchemy_gives(conn: Connection, text: str) -> None:
    for sort in paging.SORTS:
        statement = first_page(conn, text, sort)
        assert prepared.scalars(conn, statement) == list(conn.execute(statement).scalars()), (text, sort)


def test_one_shape_compiled_once_answers_with_each_statements_own_values(conn: Connection) -> None:
    """Two filters of one shape share a compiled form, never each other's values (words, dates, source ids)."""
    pairs = [
        ("wagner", "breached"),
        ("after:2022-12-01", "after:2023-02-01"),
        ("source:rybar", "side:ukraine"),  # a different number of source ids: the same shape, expanded apart
        ("status:contested cred:none", "status:unverified cred:none"),
    ]
    for first, second in pairs:
        a, b = first_page(conn, first), first_page(conn, second)
        key_a, key_b = a._generate_cache_key(), b._generate_cache_key()
        assert key_a is not None and key_b is not None and key_a.key == key_b.key, (first, second)  # one shape
        expected_a, expected_b = list(conn.execute(a).scalars()), list(conn.execute(b).scalars())
        assert expected_a != expected_b, (first, second)  # (else the check below proves nothing)
        assert prepared.scalars(conn, a) == expected_a
        shapes = len(prepared._SHAPES[conn.dialect])
        assert prepared.scalars(conn, b) == expected_b
        assert prepared.scalars(conn, a) == expected_a
        assert len(prepared._SHAPES[conn.dialect]) == shapes  # the second ran on the first's compiled form


def test_a_compiled_shape_follows_a_new_source_and_a_schema_change(sample_workspace: Workspace) -> None:
    """The kept compiled form is SQL text: a source added since (its claims), a new index or column, are seen."""
    engine = sample_workspace.engine
    with engine.connect() as connection:
        before = prepared.scalars(connection, first_page(connection, "source:hedgehog"))
    assert before == []
    tables = SQLModel.metadata.tables
    with db.write_connection(engine) as connection:
        source_id = connection.execute(
            sa.insert(tables["source"]).values(
                ext_id="s-hedgehog", name="Hedgehog Café", aliases=[], kind="blog", side="ukraine",
                group_label="", reliability="F", notes="",
            )
        ).inserted_primary_key[0]  # fmt: skip
        claim_id = connection.execute(
            sa.insert(tables["claim"]).values(
                ext_id="c-hedgehog", text="A hedgehog reports.", source_id=source_id, kind="event", tags=[],
                notes="", recorded=dt.datetime(2023, 3, 1, tzinfo=dt.UTC), sort_date=dt.date(2023, 3, 1),
                status="unverified",
            )
        ).inserted_primary_key[0]  # fmt: skip
    with engine.connect() as connection:
        assert prepared.scalars(connection, first_page(connection, "source:hedgehog")) == [claim_id]
        assert prepared.scalars(connection, first_page(connection, "hedgehog")) == [claim_id]
    with db.write_connection(engine) as connection:  # the schema moves under the kept SQL text
        connection.exec_driver_sql("CREATE INDEX ix_test_claim_text ON claim (text)")
        connection.exec_driver_sql("ALTER TABLE claim ADD COLUMN test_extra TEXT")
    with engine.connect() as connection:
        for text in ("source:hedgehog", "hedgehog", "side:ukraine", ""):
            statement = first_page(connection, text)
            assert prepared.scalars(connection, statement) == list(connection.execute(statement).scalars()), text


@pytest.mark.parametrize("text", ["бахмут", "wagner", "wagner -east", '"repelled assaults"', "b", "nothingmatches"])
@pytest.mark.parametrize("cap", [1, 2, 200])
def test_the_written_out_word_probe_counts_as_the_built_one(
    conn: Connection, monkeypatch: pytest.MonkeyPatch, text: str, cap: int
) -> None:
    """The free-word probe on the driver (``sql.FTS_CAPPED``) counts what ``_capped(_fts_ids(…))`` counts."""
    from desktop.core.search.compiler import _Compiler
    from desktop.core.search.parsing import parse
    from desktop.core.search.sql import _fts_ids, fts_match

    monkeypatch.setattr(search, "SCAN_THRESHOLD", cap)
    positive, negative = fts_match(parse(text).terms)
    match = positive if negative is None else f"({positive}) NOT ({negative})"
    assert match is not None
    compiler = _Compiler("sqlite", conn)
    assert compiler._fts_capped(match) == compiler._capped(_fts_ids(match)) <= cap


@pytest.mark.postgres
def test_postgresql_takes_sqlalchemys_path(postgres_url: str) -> None:
    workspace = open_workspace(postgres_url)
    try:
        with workspace.engine.connect() as connection:
            assert prepared.driver(connection) is None
            assert paging.fetch_after(connection, View(), None, 5) == []
            statement = sa.select(paging._claim.c.id).where(paging._claim.c.id > 0).limit(3)
            assert prepared.scalars(connection, statement) == []
    finally:
        workspace.close()


@pytest.mark.parametrize("cap", [1, 200])  # 1: every word is common (the scan form); 200: rare (the index drives)
def test_a_searchs_top_page_runs_its_shapes_statement(
    conn: Connection, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """Free words alone: the top page's statement is prepared once per shape and sort, and is the very SQL
    SQLAlchemy runs for that search (so the same plan), giving the same ids for every word."""
    monkeypatch.setattr(search, "SCAN_THRESHOLD", cap)
    for sort in paging.SORTS:
        for text in ("бахмут", "wagner", "breached -east", "nothingmatches"):
            result = search.compile_filter(text, "sqlite", connection=conn)
            where = result.where
            if text == "бахмут":  # a word naming a place is more than one MATCH: no shape
                assert not isinstance(where, paging.ShapedWhere)
                continue
            assert isinstance(where, paging.ShapedWhere)
            # (the probe counts only a word the index drives: under its cap)
            assert where.shape == ("words", result.count is None)
            assert cap == 1 or result.count is not None
            view = View(where=where, count_where=result.count_where, sort=sort)
            plan = paging._Plan(view)
            top = paging._prepared_shape(conn, plan, 0, where)
            statement = plan.ordered(plan.base(paging._claim.c.id, partition=0)).limit(7)
            assert top._sql == str(statement.compile(dialect=conn.dialect)), (text, sort)
            raw = prepared.driver(conn)
            assert raw is not None
            expected = list(conn.execute(statement).scalars())
            assert top.scalars(raw, page_limit=7, shape_value=where.value) == expected, (text, sort)
            if len(plan.partitions) == 1:  # (the status sort's top walks its partitions on: walked above)
                assert [row.id for row in paging.fetch_after(conn, view, None, 7)] == expected, (text, sort)
            assert paging._prepared_shape(conn, plan, 0, where) is top  # (one statement for the shape)
