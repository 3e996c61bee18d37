"""The kept number of claims (``read.tally``: migrations 0010 and 0015) equals a count after every kind of write.

On SQLite (row triggers; the bulk import adds its claims once) and on PostgreSQL
(statement triggers), through the store, imports, undo, rollbacks, plain SQL, the
as-of copy and ``crosscheck check``'s repair; and what migration 0015 changes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine

from desktop.core import db, integrity
from desktop.core.history.scratch import replay_into_scratch
from desktop.core.interchange import export_json, import_json
from desktop.core.progress import Cancelled
from desktop.core.read import first_screen, paging, tally
from desktop.core.read.paging import View
from desktop.core.schema import WORKSPACE_TABLES
from desktop.core.store import repair
from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace, open_workspace

SAMPLE_CLAIMS = len(json.loads(SAMPLE_WORKSPACE.read_bytes())["claims"])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    location = str(tmp_path / "w.sqlite") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    opened = open_workspace(location)
    yield opened
    opened.close()


def counts(engine: Engine) -> tuple[int, int]:
    """(kept, counted), read in one snapshot."""
    with engine.connect() as connection, connection.begin():
        counted = int(connection.exec_driver_sql("SELECT count(*) FROM claim").scalar_one())
        return tally.claims(connection), counted


def assert_kept(engine: Engine, expected: int) -> None:
    assert counts(engine) == (expected, expected)
    with engine.connect() as connection:
        assert paging.count(connection, View()) == expected


def sample(prefix: str = "") -> dict[str, Any]:
    """The sample document (a fresh copy: an import consumes it), every interchange id prefixed with ``prefix``
    so that it imports again beside itself."""
    document: dict[str, Any] = json.loads(SAMPLE_WORKSPACE.read_bytes())
    text = json.dumps(document)
    for section in ("sources", "reports", "places", "claims", "outreach"):
        for row in document[section]:
            text = text.replace(f'"{row["id"]}"', f'"{prefix}{row["id"]}"')
    return dict(json.loads(text))


def test_the_kept_count_follows_every_write(any_workspace: Workspace) -> None:
    engine, store = any_workspace.engine, any_workspace.store
    assert_kept(engine, 0)
    import_json(engine, sample(), analyst="sample")  # into an empty workspace (SQLite: indexes built after)
    assert_kept(engine, SAMPLE_CLAIMS)
    import_json(engine, sample("again-"), analyst="sample")  # into one that holds claims
    assert_kept(engine, 2 * SAMPLE_CLAIMS)
    made = store.create_claim("Defences breached", store.create_source("Rybar").value).value
    assert_kept(engine, 2 * SAMPLE_CLAIMS + 1)
    deletion = store.delete_claim(made)
    assert_kept(engine, 2 * SAMPLE_CLAIMS)
    deletion.undo(store)
    assert_kept(engine, 2 * SAMPLE_CLAIMS + 1)
    with engine.begin() as connection:  # behind the store's back, in plain SQL
        connection.exec_driver_sql("DELETE FROM claim WHERE id IN (SELECT id FROM claim ORDER BY id LIMIT 3)")
    assert_kept(engine, 2 * SAMPLE_CLAIMS - 2)
    with engine.connect() as connection:  # a write rolled back takes its count back with it
        connection.exec_driver_sql("DELETE FROM claim")
        assert tally.claims(connection) == 0
        connection.rollback()
    assert_kept(engine, 2 * SAMPLE_CLAIMS - 2)
    with engine.connect() as connection:  # (the plain SQL left statuses to derive again, not the count)
        assert tally.stale(connection) is None


@pytest.mark.parametrize("into", ["empty", "holding claims"])
def test_an_import_that_fails_after_writing_its_claims_leaves_the_count(any_workspace: Workspace, into: str) -> None:
    engine = any_workspace.engine
    if into != "empty":
        import_json(engine, sample(), analyst="sample")
    before = counts(engine)

    def cancel_after_the_claims(step: str, _fraction: float) -> None:
        if step == "writing links and requests for comment":
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_json(engine, sample("failed-"), analyst="sample", progress=cancel_after_the_claims)
    assert counts(engine) == before
    import_json(engine, sample("later-"), analyst="sample")
    assert counts(engine)[0] == before[1] + SAMPLE_CLAIMS
    # The insert trigger the import suspends (SQLite) is back: a claim written one at a time counts.
    any_workspace.store.create_claim("One more", any_workspace.store.create_source("Rybar").value)
    assert_kept(engine, before[1] + SAMPLE_CLAIMS + 1)


def test_the_as_of_copy_keeps_its_own_count(any_workspace: Workspace) -> None:
    engine, store = any_workspace.engine, any_workspace.store
    now = dt.datetime.now(dt.UTC)
    import_json(engine, sample(), analyst="sample", now=now - dt.timedelta(days=2))
    source = store.create_source("Rybar").value
    for text in ("One", "Two"):
        store.create_claim(text, source)
    assert_kept(engine, SAMPLE_CLAIMS + 2)
    replayed = replay_into_scratch(engine, now - dt.timedelta(days=1))
    try:
        assert counts(replayed.engine) == (SAMPLE_CLAIMS, SAMPLE_CLAIMS)
    finally:
        replayed.close()


def test_check_reports_a_wrong_count_and_the_repair_recounts(any_workspace: Workspace) -> None:
    engine = any_workspace.engine
    import_json(engine, sample(), analyst="sample")
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE crosscheck_tally SET value = 5 WHERE name = 'claims'")
    problems = integrity.check(engine)
    assert [p.message for p in problems] == [f"the workspace's kept count of claims is 5, not {SAMPLE_CLAIMS}"]
    said = repair.repair(engine, integrity.repairs(problems))
    assert said == ["re-derived every linked pair's effective link and every claim's status, and recounted the claims"]
    assert integrity.check(engine) == []
    assert_kept(engine, SAMPLE_CLAIMS)


def test_the_first_screen_reads_the_kept_count(sample_workspace: Workspace, workspace_path: Path) -> None:
    """The window's fast start (``sqlite3`` alone) says what the kept row says, not a count of its own."""
    with sample_workspace.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE crosscheck_tally SET value = 1234 WHERE name = 'claims'")
    screen = first_screen.read_first_screen(workspace_path, 5)
    assert screen is not None and screen.count == 1234


def _indexes(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        return {str(i["name"]) for table in ("claim", "claim_place") for i in inspector.get_indexes(table)}


def _migrated_schema(engine: Engine) -> tuple[set[str], list[str]]:
    """The indexes of claim and claim_place, and (SQLite) the schema's SQL of every table, index and trigger."""
    sql: list[str] = []
    if db.is_sqlite(engine):
        with engine.connect() as connection:
            sql = sorted(
                str(s) for (s,) in connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
            )
    return _indexes(engine), sql


def test_migration_0015_counts_the_claims_and_drops_the_place_index(any_workspace: Workspace, tmp_path: Path) -> None:
    engine = any_workspace.engine
    import_json(engine, sample(), analyst="sample")
    new = _migrated_schema(engine)
    assert "ix_claim_place_place_id" not in new[0]
    assert {"ix_claim_source_id", "ix_claim_source_status_sort", "ix_claim_place_place_claim"} <= new[0]
    # The models say the same (their index=True flags): what a new workspace's tables are compared with.
    modelled = {str(i.name) for table in ("claim", "claim_place") for i in WORKSPACE_TABLES[table].indexes}
    assert modelled == new[0] - {"ix_claim_search", "ix_claim_search_pending"}  # PostgreSQL's word index: 0009
    with engine.connect() as connection, connection.begin():
        command.downgrade(db._alembic_config(connection), "0014")
    assert "ix_claim_place_place_id" in _indexes(engine)
    if db.is_sqlite(engine):
        with engine.begin() as connection:
            assert "crosscheck_tally" not in set(sa.inspect(connection).get_table_names())
    with engine.begin() as connection:  # written under 0014: no trigger counts it
        connection.exec_driver_sql("DELETE FROM claim WHERE id IN (SELECT id FROM claim ORDER BY id LIMIT 2)")
    report = db.upgrade(engine, backup_dir=tmp_path / "backups")
    assert (report.previous, report.current) == ("0014", "0015")
    assert _migrated_schema(engine) == new  # a migrated workspace and a new one: the same schema
    assert_kept(engine, SAMPLE_CLAIMS - 2)
    assert export_json(engine)  # still whole
