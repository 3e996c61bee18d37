"""PostgreSQL keeps the number of claims (migration 0010, ``read.tally``): always the count, for anyone who writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from desktop.core import integrity, team
from desktop.core.read import paging, tally
from desktop.core.read.paging import View
from desktop.core.store import repair
from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace, open_workspace

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_workspace(postgres_url: str) -> Iterator[Workspace]:
    opened = open_workspace(postgres_url)
    yield opened
    opened.close()


def kept_and_counted(ws: Workspace) -> tuple[int | None, int]:
    with ws.engine.connect() as connection:
        counted = int(connection.execute(sa.text("SELECT count(*) FROM claim")).scalar_one())
        return tally.claims(connection), counted


def test_the_tally_follows_every_write(pg_workspace: Workspace) -> None:
    from desktop.core.interchange import import_json

    store = pg_workspace.store
    assert kept_and_counted(pg_workspace) == (0, 0)
    import_json(pg_workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
    source = store.create_source("Rybar").value
    made = store.create_claim("Defences breached", source).value
    assert kept_and_counted(pg_workspace) == (21, 21)
    deletion = store.delete_claim(made)
    assert kept_and_counted(pg_workspace) == (20, 20)
    deletion.undo(store)
    with pg_workspace.engine.connect() as connection:
        assert paging.count(connection, View()) == 21
        assert paging.count(connection, View(sort="status")) == 21  # counted per status, not kept
    with pg_workspace.engine.begin() as connection:  # behind the store's back, in plain SQL
        connection.exec_driver_sql("DELETE FROM claim WHERE id IN (SELECT id FROM claim ORDER BY id LIMIT 3)")
    assert kept_and_counted(pg_workspace) == (18, 18)
    with pg_workspace.engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE claim CASCADE")
    assert kept_and_counted(pg_workspace) == (0, 0)


def test_an_analyst_who_may_not_write_the_tally_still_moves_it(pg_workspace: Workspace, postgres_url: str) -> None:
    team.init(pg_workspace.engine)
    name = f"ann_{uuid.uuid4().hex[:6]}"
    team.add(pg_workspace.engine, name, "analyst", None)
    scheme, rest = postgres_url.split("://", 1)
    analyst = open_workspace(f"{scheme}://{name}@{rest.split('@', 1)[1]}")
    try:
        source = analyst.store.create_source("Rybar").value
        analyst.store.create_claim("Defences breached", source)
        assert kept_and_counted(analyst) == (1, 1)
        with analyst.engine.begin() as connection, pytest.raises(sa.exc.ProgrammingError, match="permission"):
            connection.exec_driver_sql("UPDATE crosscheck_tally SET value = 7")
    finally:
        analyst.close()


def test_check_reports_a_wrong_tally_and_the_repair_recounts(pg_workspace: Workspace) -> None:
    store = pg_workspace.store
    store.create_claim("Defences breached", store.create_source("Rybar").value)
    with pg_workspace.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE crosscheck_tally SET value = 5")
    problems = integrity.check(pg_workspace.engine)
    assert [p.message for p in problems] == ["the workspace's kept count of claims is 5, not 1"]
    repair.repair(pg_workspace.engine, integrity.repairs(problems))
    assert integrity.check(pg_workspace.engine) == []
    assert kept_and_counted(pg_workspace) == (1, 1)


def test_source_names_are_folded_again_only_after_the_source_table_changed(pg_workspace: Workspace) -> None:
    from desktop.core import search
    from desktop.core.search import sources

    store = pg_workspace.store
    rybar = store.create_source("Rybar").value
    store.create_claim("Defences breached", rybar, ext_id="c-1")

    def found(query: str) -> list[int]:
        with pg_workspace.engine.connect() as connection:
            return search.matching_ids(connection, query)

    assert len(found("source:rybar")) == 1
    reads: list[int] = []
    real = sources._read_catalog
    sources._read_catalog = lambda connection: reads.append(1) or real(connection)  # type: ignore[assignment]
    try:
        assert len(found("source:rybar")) == 1 and reads == []  # nothing changed: not read again
        store.update_source(rybar, name="Rybar Ёж")
        assert len(found("source:еж")) == 1 and reads == [1]
        with pg_workspace.engine.begin() as connection:  # plain SQL is seen too
            connection.exec_driver_sql("UPDATE source SET name = 'Other'")
        assert found("source:еж") == [] and reads == [1, 1]
        with pg_workspace.engine.connect() as connection:  # inside a transaction that wrote: never kept
            connection.exec_driver_sql("UPDATE source SET name = 'Uncommitted'")
            assert len(search.matching_ids(connection, "source:uncommitted")) == 1
            connection.rollback()
        assert found("source:uncommitted") == [] and len(found("source:other")) == 1
    finally:
        sources._read_catalog = real  # type: ignore[assignment]


def test_the_gazetteer_is_read_again_only_after_it_changed(pg_workspace: Workspace) -> None:
    from desktop.core import search
    from desktop.core.search.places import PlaceNames

    store = pg_workspace.store
    source = store.create_source("Monitor").value
    soledar = store.create_place("Soledar").value
    store.create_claim("Artillery overnight.", source, ext_id="c-1", places=[soledar])

    def found(query: str) -> list[int]:
        with pg_workspace.engine.connect() as connection:
            return search.matching_ids(connection, query)

    assert len(found("soledar")) == 1
    reads: list[int] = []
    real = PlaceNames._read
    PlaceNames._read = classmethod(lambda cls, c: reads.append(1) or real.__func__(cls, c))  # type: ignore[method-assign,assignment,attr-defined]
    try:
        assert len(found("soledar")) == 1 and reads == []  # nothing changed: not read again
        store.update_place(soledar, aliases=["Saltville"])
        assert len(found("saltville")) == 1 and reads == [1]
        with pg_workspace.engine.begin() as connection:  # plain SQL is seen too
            connection.exec_driver_sql("DELETE FROM place_alias")
        assert found("saltville") == [] and reads == [1, 1]
    finally:
        PlaceNames._read = real  # type: ignore[method-assign]
