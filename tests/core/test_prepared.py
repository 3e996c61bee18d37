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

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core import search
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


@pytest.mark.postgres
def test_postgresql_takes_sqlalchemys_path(postgres_url: str) -> None:
    workspace = open_workspace(postgres_url)
    try:
        with workspace.engine.connect() as connection:
            assert prepared.driver(connection) is None
            assert paging.fetch_after(connection, View(), None, 5) == []
    finally:
        workspace.close()
