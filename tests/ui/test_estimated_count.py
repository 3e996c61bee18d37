"""A slow count shows an estimate first (PostgreSQL, ``read.estimate`` and ``table.exact_count``).

The table shows a filter's first page with "about N" rows and the exact count
replaces it when the background count arrives: the model's signals, the filter
bar's label, a jump to the last row made while the count was still an estimate
(it lands on the true last claim, and stays on it), and a newer filter cancelling
the count of an older one. Run on the tests' PostgreSQL server with a workspace
of a few blocks of rows; the estimate is made wrong on purpose (too low, too
high) where the test is about correcting it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.interchange import import_json
from desktop.core.read import estimate, paging
from desktop.core.workspace import Workspace, open_workspace
from desktop.ui.session import WorkspaceSession
from desktop.ui.table.filter_bar import FilterBar
from desktop.ui.table.model import ClaimTableModel
from desktop.ui.table.view import ClaimTable
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import open_window_fixture, settings_dir_fixture  # noqa: F401  (fixtures)
from tests.ui.word_workspace import word_document

pytestmark = pytest.mark.postgres

CLAIMS = 700  # close to three blocks of 256 rows
SHELLING = 601  # claims with the word "shelling": more than two blocks, so the far half is read from the end


@pytest.fixture(scope="module")
def _pg_template(postgres_server: str) -> str:
    """A PostgreSQL workspace of ``CLAIMS`` claims, loaded once for the module (the tests only read it)."""
    from tests.postgres_server import fresh_database

    url = fresh_database(postgres_server)
    opened = open_workspace(url, analyst="ana")
    try:
        import_json(opened.engine, word_document(CLAIMS, SHELLING, "shelling"), analyst="ana")
        with opened.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE claim")  # the planner's figures, as a real workspace has them
    finally:
        opened.close()
    return url


@pytest.fixture
def session(qapp: object, _pg_template: str) -> Iterator[WorkspaceSession]:
    opened = open_workspace(_pg_template, analyst="ana")
    made = WorkspaceSession(opened)
    yield made
    made.undo_stack.clear()
    opened.close()


def _estimate_off_by(monkeypatch: pytest.MonkeyPatch, error: int) -> None:
    """Every filter estimated, ``error`` claims off the true count (the model's estimator replaced)."""

    def wrong(connection: object, view: paging.View) -> int | None:
        if view.where is None:
            return None
        return paging.count(connection, view) + error  # type: ignore[arg-type]

    monkeypatch.setattr(estimate, "estimated_count", wrong)


def _exact(model: ClaimTableModel, qtbot: QtBot) -> None:
    if not model.count_is_exact():
        with qtbot.waitSignal(model.count_exact_changed, timeout=20_000):
            pass


def _ids(model: ClaimTableModel) -> list[int | None]:
    return [model.claim_id(row) for row in range(model.rowCount())]


@pytest.mark.parametrize("error", [-150, 90])
def test_the_table_shows_an_estimate_then_the_exact_count(
    session: WorkspaceSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    _estimate_off_by(monkeypatch, error)
    model = ClaimTableModel(session)
    counted: list[tuple[int, int, bool]] = []
    model.counts_changed.connect(lambda shown, total: counted.append((shown, total, model.count_is_exact())))
    assert model.count_is_exact()  # no filter: PostgreSQL keeps the number of claims
    model.set_filter("shelling")
    assert (model.rowCount(), model.count_is_exact()) == (SHELLING + error, False)
    assert model.claim_row(0) is not None  # the first page is there at once
    _exact(model, qtbot)
    assert model.rowCount() == SHELLING
    assert counted == [(SHELLING + error, CLAIMS, False), (SHELLING, CLAIMS, True)]
    fresh = ClaimTableModel(session)
    monkeypatch.undo()
    fresh.set_filter("shelling")
    assert fresh.count_is_exact()
    assert _ids(model) == _ids(fresh)


@pytest.mark.parametrize("error", [-150, 90])
def test_the_last_row_is_the_last_claim_before_and_after_the_exact_count(
    session: WorkspaceSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    exact = ClaimTableModel(session)
    exact.set_filter("shelling")
    oldest = exact.claim_id(SHELLING - 1)  # the last row: the oldest "shelling" claim
    _estimate_off_by(monkeypatch, error)
    table = ClaimTable(session)
    qtbot.addWidget(table)
    table.resize(900, 500)
    table.show()
    model = table.claim_model
    model.set_filter("shelling")
    assert not model.count_is_exact()
    last = table.last()  # read from the end, whatever the estimate said
    assert last == oldest
    assert table.currentIndex().row() == SHELLING + error - 1
    shown = [model.claim_id(table.rowAt(y)) for y in (0, table.viewport().height() // 2)]
    _exact(model, qtbot)
    assert table.current_claim() == last  # the rows between moved; the current one stayed on its claim
    assert table.currentIndex().row() == SHELLING - 1
    assert [model.claim_id(table.rowAt(y)) for y in (0, table.viewport().height() // 2)] == shown  # in view
    assert model.claim_id(SHELLING - 1) == last and model.claim_row(SHELLING) is None


def test_a_new_filter_cancels_the_count_of_the_old_one(
    session: WorkspaceSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ClaimTableModel(session)
    monkeypatch.setattr(estimate, "estimated_count", lambda connection, view: 1_000)
    model.set_filter("shelling")
    assert not model.count_is_exact()
    monkeypatch.setattr(estimate, "estimated_count", lambda connection, view: None)
    model.set_filter("quiet")
    assert model.count_is_exact() and model.rowCount() == CLAIMS - SHELLING
    model.wait_for_count()
    qtbot.wait(50)  # the old count's answer, had it come, would be delivered by now
    assert model.count_is_exact() and model.rowCount() == CLAIMS - SHELLING


def test_the_filter_bar_says_about_until_the_count_is_exact(
    session: WorkspaceSession,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    open_window: Callable[[WorkspaceSession], MainWindow],
) -> None:
    _estimate_off_by(monkeypatch, -150)
    window = open_window(session)
    bar, model = window.filter_bar, window.table.claim_model
    assert bar.count.text() == f"{CLAIMS} claims"
    bar.set_text("shelling")
    assert bar.count.text() == f"about 450 of {CLAIMS} claims"
    assert "estimate" in bar.count.toolTip()
    assert "About" in window.table.verticalScrollBar().toolTip()
    _exact(model, qtbot)
    assert bar.count.text() == f"{SHELLING} of {CLAIMS} claims"
    assert bar.count.toolTip() == "" and window.table.verticalScrollBar().toolTip() == ""


def test_about_rounds_to_two_figures() -> None:
    bar = FilterBar()
    bar.set_counts(218_988, 1_000_000, exact=False)
    assert bar.count.text() == "about 220,000 of 1,000,000 claims"
    bar.set_counts(87, 1_000, exact=False)
    assert bar.count.text() == "about 87 of 1,000 claims"
    bar.set_counts(9_870, 1_000_000)
    assert bar.count.text() == "9,870 of 1,000,000 claims"


def test_the_estimate_samples_the_claims_only_where_many_match(
    session: WorkspaceSession, monkeypatch: pytest.MonkeyPatch, workspace: Workspace
) -> None:
    from desktop.core.search import compile_filter

    def view_of(text: str, connection: object) -> paging.View:
        found = compile_filter(text, connection.dialect.name, connection=connection)  # type: ignore[attr-defined]
        return paging.View(where=found.where, count_where=found.count_where)

    with session.engine.connect() as connection:
        shelling = view_of("shelling", connection)
        assert estimate.estimated_count(connection, shelling) is None  # a few hundred: counted exactly
        monkeypatch.setattr(estimate, "ESTIMATE_ABOVE", 100)
        # A workspace this small is sampled whole: the estimate is the count.
        assert estimate.estimated_count(connection, shelling) == SHELLING
        assert estimate.estimated_count(connection, view_of("quiet", connection)) is None  # 99 match
        assert estimate.estimated_count(connection, paging.View()) is None  # the kept number of claims
        # Not words: counted from an index, never estimated.
        assert estimate.estimated_count(connection, view_of("status:unverified", connection)) is None
        assert estimate.estimated_count(connection, paging.View(where=shelling.where, sort="status")) is None
    with workspace.engine.connect() as connection:  # SQLite counts its word index's own lists
        assert estimate.estimated_count(connection, view_of("shelling", connection)) is None
