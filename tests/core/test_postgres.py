"""The same workspace on a real PostgreSQL server: migrations, writes, statuses, undo, the sample."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace, open_workspace

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_workspace(postgres_url: str) -> Iterator[Workspace]:
    opened = open_workspace(postgres_url)
    yield opened
    opened.close()


def statuses(ws: Workspace) -> dict[str, str]:
    with ws.engine.connect() as connection:
        return dict(connection.execute(text("SELECT ext_id, status FROM claim")).all())  # type: ignore[arg-type]


def test_a_postgresql_workspace_is_migrated_and_written_through_the_store(pg_workspace: Workspace) -> None:
    store = pg_workspace.store
    ru = store.create_source("Rybar", kind="telegram-channel", side="russia").value
    ua = store.create_source("General Staff", kind="government", side="ukraine").value
    place = store.create_place("Bakhmut", aliases=["Бахмут", "Artemivsk"]).value
    breach = store.create_claim("Defences breached", ru, places=[place], ext_id="c-breach").value
    repelled = store.create_claim("Assaults repelled", ua, ext_id="c-repelled").value
    result = store.set_link(repelled, breach, "contradicts", "denies")
    assert statuses(pg_workspace) == {"c-breach": "contradicted", "c-repelled": "contradicted"}
    result.undo(store)
    assert statuses(pg_workspace) == {"c-breach": "unverified", "c-repelled": "unverified"}
    with pg_workspace.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit")).scalar()


def test_the_sample_imports_into_postgresql_with_the_same_statuses_as_sqlite(
    pg_workspace: Workspace, sample_workspace: Workspace
) -> None:
    from desktop.core.interchange import import_json

    import_json(pg_workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
    assert statuses(pg_workspace) == statuses(sample_workspace)


def test_export_from_postgresql_is_byte_identical_to_sqlite(
    pg_workspace: Workspace, sample_workspace: Workspace
) -> None:
    from desktop.core.interchange import export_json, import_json

    import_json(pg_workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
    assert export_json(pg_workspace.engine) == export_json(sample_workspace.engine)
