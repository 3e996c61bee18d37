"""The claim table's reads on PostgreSQL in fewer round trips, with the rows and counts of the reads they replace.

A new filter reads its count, the audit trail's end and its first page together
with the end of its snapshot (``paging.count_audit_and_first_rows`` through
``core.pg_pipeline``); counting every claim again (opening, a reload) is one
statement outside any transaction. Each is compared here with the statements it
replaces, run alone on the same workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from desktop.core import pg_pipeline
from desktop.core.interchange import import_json
from desktop.core.read import estimate, paging
from desktop.core.workspace import open_workspace
from desktop.ui.session import WorkspaceSession
from desktop.ui.table.model import FIRST_FETCH, ClaimTableModel
from tests.postgres_server import fresh_database
from tests.ui.word_workspace import word_document

pytestmark = pytest.mark.postgres

CLAIMS = 120
CONVOY = 45  # claims with the word "convoy"


@pytest.fixture
def session(qapp: object, postgres_server: str) -> Iterator[WorkspaceSession]:
    opened = open_workspace(fresh_database(postgres_server), analyst="ana")
    import_json(opened.engine, word_document(CLAIMS, CONVOY, "convoy"), analyst="ana")
    made = WorkspaceSession(opened)
    yield made
    made.undo_stack.clear()
    opened.close()


def _pipelines(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """(statements, ended the transaction) of every ``fetch_together`` call from now on."""
    calls: list[tuple[int, bool]] = []
    real = pg_pipeline.fetch_together

    def spy(connection: Any, statements: Any, *, end: bool = False) -> Any:
        calls.append((len(statements), end))
        return real(connection, statements, end=end)

    monkeypatch.setattr(pg_pipeline, "fetch_together", spy)
    return calls


def _expected(session: WorkspaceSession, text: str) -> tuple[int, int, list[int]]:
    """The count, the audit trail's end and the first page's ids, each read alone as before."""
    from desktop.core import search

    engine = session.workspace.engine
    with engine.connect() as connection:
        where = search.compile_filter(text, "postgresql", connection=connection).where
        view = paging.View(where=where)
        count = paging.count(connection, view)
        last = connection.exec_driver_sql("SELECT max(id) FROM audit").scalar_one()
        rows = paging.fetch_after(connection, view, None, FIRST_FETCH)
    return count, last, [row.id for row in rows]


def _shown(model: ClaimTableModel, rows: int) -> list[int | None]:
    return [model.claim_id(row) for row in range(rows)]


def test_a_new_filter_reads_count_audit_end_and_first_page_in_one_trip(
    session: WorkspaceSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ClaimTableModel(session)
    calls = _pipelines(monkeypatch)
    model.set_filter("convoy")
    # The versions the compiler checks (with the snapshot's BEGIN); the count with the audit end, the first
    # page and the snapshot's end.
    assert calls == [(1, False), (2, True)]
    count, last, first = _expected(session, "convoy")
    assert (model.rowCount(), model._counted_at) == (count, last) == (CONVOY, last)
    assert _shown(model, len(first)) == first
    model.set_filter("nomatchanywhere")
    assert model.rowCount() == 0 and model.claim_row(0) is None
    model.set_filter("")  # back to every claim: the kept number, the first page of all
    assert model.rowCount() == CLAIMS
    assert _shown(model, FIRST_FETCH) == _expected(session, "")[2]
    engine = session.workspace.engine
    with engine.connect() as connection:  # the pool's connection is whole after the ROLLBACK sent in the pipeline
        assert connection.exec_driver_sql("SELECT count(*) FROM claim").scalar_one() == CLAIMS
        assert connection.in_transaction()


def test_an_estimated_filter_reads_the_audit_end_and_first_page_in_one_trip(
    session: WorkspaceSession, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(estimate, "estimated_count", lambda connection, view: 60 if view.where is not None else None)
    model = ClaimTableModel(session)
    calls = _pipelines(monkeypatch)
    model.set_filter("convoy")
    assert calls == [(1, False), (2, True)]
    assert (model.rowCount(), model.count_is_exact()) == (60, False)  # the estimate, until the count arrives
    count, last, first = _expected(session, "convoy")
    assert model._counted_at == last
    assert _shown(model, len(first)) == first
    if not model.count_is_exact():
        with qtbot.waitSignal(model.count_exact_changed, timeout=20_000):
            pass
    assert model.rowCount() == count


def test_counting_every_claim_again_is_one_statement_without_a_transaction(session: WorkspaceSession) -> None:
    model = ClaimTableModel(session)
    engine = session.workspace.engine
    seen: list[tuple[str, str]] = []

    def note(connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        driver = connection.connection.driver_connection
        seen.append((" ".join(statement.split())[:30], "autocommit" if driver.autocommit else "transaction"))

    event.listen(engine, "before_cursor_execute", note)
    try:
        model.reload()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert seen == [("SELECT (SELECT value FROM cros", "autocommit")]
    assert model.rowCount() == CLAIMS
    with engine.connect() as connection:
        assert model._counted_at == connection.exec_driver_sql("SELECT max(id) FROM audit").scalar_one()
