"""The search index an import leaves for after its commit (``defer_index``) and ``index_pending``."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from desktop.cli import main as cli_main
from desktop.core.integrity import _search_index_problems
from desktop.core.interchange import import_json
from desktop.core.search import matching_ids
from desktop.core.store import bulk
from desktop.core.store.search_index import index_pending, waiting_claims
from desktop.core.workspace import Workspace, open_workspace
from tests.core.test_interchange import generated_document, scenario_documents


def index_rows(engine: Engine) -> list[tuple[Any, ...]]:
    """Every column of every index row, whatever columns the index has."""
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text("SELECT rowid, * FROM claim_fts ORDER BY rowid"))]


def waiting(engine: Engine) -> int:
    with engine.connect() as connection:
        return waiting_claims(connection)


def found(engine: Engine, query: str) -> list[int]:
    with engine.connect() as connection:
        return matching_ids(connection, query)


def test_a_deferred_index_ends_up_exactly_as_the_import_would_have_written_it(tmp_path: Path) -> None:
    first, second = scenario_documents(3)
    indexes = []
    for name, defer in (("now", False), ("later", True)):
        opened = open_workspace(str(tmp_path / f"{name}.sqlite"))
        try:
            for doc in (first, second, generated_document()):  # into an empty index, then a filled one
                import_json(opened.engine, copy.deepcopy(doc), analyst="tester", defer_index=defer)
            assert waiting(opened.engine) == (40 + 30 + 60 if defer else 0)
            assert index_pending(opened.engine, batch=17) == (40 + 30 + 60 if defer else 0)
            assert waiting(opened.engine) == 0
            indexes.append(index_rows(opened.engine))
        finally:
            opened.close()
    assert indexes[0] == indexes[1] and len(indexes[0]) == 130


def test_while_the_index_is_built_words_miss_the_new_claims_and_nothing_is_reported_damaged(
    workspace: Workspace,
) -> None:
    import_json(workspace.engine, generated_document(), analyst="tester", defer_index=True)
    assert found(workspace.engine, "claim") == []  # (a place's name would find the claims tagged with it)
    assert waiting(workspace.engine) == 60
    with workspace.engine.connect() as connection:
        assert _search_index_problems(connection) == []  # waiting is not missing
    left: list[int] = []
    assert index_pending(workspace.engine, batch=25, progress=left.append) == 60
    assert left == [35, 10, 0]
    assert len(found(workspace.engine, "бахмут")) == 60


def test_claims_written_edited_or_deleted_meanwhile_are_indexed_as_they_now_are(workspace: Workspace) -> None:
    import_json(workspace.engine, generated_document(), analyst="tester", defer_index=True)
    store = workspace.store
    with workspace.engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT ext_id, id FROM claim")).all())
        source = connection.execute(text("SELECT id FROM source LIMIT 1")).scalar_one()
    store.update_claim(ids["c-1"], text="Edited: salt mine flooded")
    store.delete_claim(ids["c-2"])
    added = store.create_claim("Written meanwhile: mine flooded", source).value
    assert sorted(found(workspace.engine, "flooded")) == sorted([ids["c-1"], added])  # by their triggers
    index_pending(workspace.engine)
    assert sorted(found(workspace.engine, "flooded")) == sorted([ids["c-1"], added])
    assert ids["c-2"] not in found(workspace.engine, "claim")
    assert len(found(workspace.engine, "claim")) == 58  # 60, less the deleted one and the edited one
    with workspace.engine.connect() as connection:
        assert _search_index_problems(connection) == []


def test_an_import_that_fails_marks_nothing_as_waiting(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bulk, "_insert_audit", fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_json(workspace.engine, generated_document(), analyst="tester", defer_index=True)
    assert waiting(workspace.engine) == 0
    with workspace.engine.connect() as connection:
        assert connection.execute(text("PRAGMA user_version")).scalar_one() == 0


def test_the_command_line_finishes_the_index_before_a_command_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws.sqlite"
    opened = open_workspace(str(path))
    try:
        import_json(opened.engine, generated_document(), analyst="tester", defer_index=True)
    finally:
        opened.close()
    assert cli_main(["find", "бахмут", "--limit", "100", "--db", str(path)]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 60
    opened = open_workspace(str(path))
    try:
        assert waiting(opened.engine) == 0
    finally:
        opened.close()
