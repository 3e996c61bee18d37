"""The claim table: its model (lazy blocks, refresh from changes, filter), the view and the filter bar."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from desktop.core import search
from desktop.core.read import paging
from desktop.core.store import Change
from desktop.core.vocab import STATUSES
from desktop.core.workspace import Workspace
from desktop.ui.session import WorkspaceSession
from desktop.ui.table import columns as cols
from desktop.ui.table import model as cm
from desktop.ui.table import status_style as st
from desktop.ui.table.filter_bar import FilterBar
from desktop.ui.table.model import ClaimIdRole, ClaimTableModel
from desktop.ui.table.view import ClaimTable


def ids_of(sample_ids: dict[str, int], *names: str) -> list[int]:
    return [sample_ids[f"c-{name}"] for name in names]


# A statement that counts claims: a filter's rows, the whole workspace, or the rows before one (a position).
# A count of claims, or the kept number of them all (read.tally).
_COUNTING = re.compile(r"count\(\*\)(?:\s+AS\s+\w+)?\s+FROM\s+claim(?:_fts)?\b|FROM crosscheck_tally", re.IGNORECASE)


@pytest.fixture
def claim_counts(session: WorkspaceSession) -> Iterator[list[str]]:
    """The claim-counting statements (and reads of the kept number) run while the test watches (the store's own
    writes count links only)."""
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _COUNTING.search(statement):
            seen.append(statement)

    engine = session.workspace.engine
    event.listen(engine, "before_cursor_execute", listen)
    yield seen
    event.remove(engine, "before_cursor_execute", listen)


def cache_every_row(model: ClaimTableModel) -> None:
    for r in range(model.rowCount()):
        model.claim_row(r)  # as on screen


def true_count(session: WorkspaceSession, model: ClaimTableModel) -> int:
    with session.workspace.engine.connect() as connection:
        return paging.count(connection, model._view)


def fresh_order(session: WorkspaceSession, model: ClaimTableModel) -> list[int]:
    """The claims of the model's filter and sort, in order, read afresh from the workspace."""
    with session.workspace.engine.connect() as connection:
        return [row.id for row in paging.fetch_after(connection, model._view, None, 100_000)]


def fill(workspace: Workspace, n: int) -> dt.date:
    """``n`` plain claims of one source, dated over 1,000 days from 2020-01-01; returns that first day."""
    start = dt.date(2020, 1, 1)
    with workspace.engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO source (id, ext_id, name, aliases, kind, side, group_label, reliability, notes)"
            " VALUES (1, 'src-1', 'Rybar', '[]', 'telegram-channel', 'russia', '', 'D', '')"
        )
        c.exec_driver_sql(
            "INSERT INTO claim (ext_id, text, source_id, kind, reviewed, tags, notes, recorded, sort_date, status,"
            " suggested_credibility, verdict_disputed, link_count)"
            " VALUES (?, ?, 1, 'event', 0, '[]', '', '2022-12-15 09:00:00.000000', ?, ?, 6, 0, 0)",
            [
                (f"c-{i}", f"claim {i}", (start + dt.timedelta(days=i % 1000)).isoformat(), STATUSES[i % 6])
                for i in range(n)
            ],
        )
    return start


# --- the model ------------------------------------------------------------------------------------


def test_model_passes_the_model_tester_when_empty(empty_session: WorkspaceSession, qtmodeltester: Any) -> None:
    qtmodeltester.check(ClaimTableModel(empty_session))


def test_model_passes_the_model_tester_on_the_sample(session: WorkspaceSession, qtmodeltester: Any) -> None:
    model = ClaimTableModel(session)
    assert model.rowCount() == 20
    qtmodeltester.check(model)


@pytest.mark.parametrize("sort", [cols.COL_DATE, cols.COL_STATUS])
def test_a_new_filter_shows_its_claims_counted_once_under_the_model_tester(
    session: WorkspaceSession, qtmodeltester: Any, claim_counts: list[str], sort: int
) -> None:
    """A new filter reads its count and first screenful in one read; a count its compile made is not made again."""
    model = ClaimTableModel(session)
    model.sort(sort, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)  # it then checks every reset
    compiled: list[int | None] = []
    for text in ("wagner", "status:contested", "bakhmut", "status:contested side:russia", "-wagner", "side:russia",
                 "zzzz", "reviewed:no", ""):  # fmt: skip
        claim_counts.clear()
        model.set_filter(text)
        rows = [model.claim_id(r) for r in range(model.rowCount())]
        with session.workspace.engine.connect() as connection:
            counted = search.compile_filter(text, "sqlite", connection=connection).count
        compiled.append(counted)
        if text and sort != cols.COL_STATUS:  # (the status sort counts per status)
            assert len(claim_counts) == (0 if counted is not None else 1), text
        assert rows == fresh_order(session, model) and len(rows) == true_count(session, model)
    assert model.total_count() == 20
    assert None in compiled and any(counted for counted in compiled)  # both kinds of filter were seen


def test_every_status_reads_without_colour() -> None:
    glyphs = {st.STATUS_GLYPHS[s] for s in STATUSES}
    assert len(glyphs) == len(STATUSES)  # one shape per status
    for status in STATUSES:
        label = st.status_label(status)
        assert label == f"{st.STATUS_GLYPHS[status]} {status}"
        assert status.capitalize() in st.status_tooltip(status)
    assert st.status_label("contradicted", "confirmed", True) == "✔ confirmed · ✖ contradicted ⚠"
    assert "disputes" in st.status_tooltip("contradicted", "confirmed", True)


def test_status_colours_differ_between_light_and_dark_palettes(qapp: Any) -> None:
    from PySide6.QtGui import QColor, QPalette

    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("white"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1b1c1f"))
    for status in STATUSES:
        assert st.status_colour(status, light).lightness() < st.status_colour(status, dark).lightness()


def test_sample_rows_show_status_glyph_credibility_and_tooltips(
    session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    model = ClaimTableModel(session)
    (distance,) = ids_of(sample_ids, "newsweek-distance")
    r = model.row_of(distance)
    assert r is not None
    assert model.data(model.index(r, cols.COL_STATUS)).startswith("✔ confirmed · ")
    assert model.data(model.index(r, 0), ClaimIdRole) == distance
    assert model.claim_id(r) == distance
    credibility = model.index(r, cols.COL_CREDIBILITY)
    assert model.data(credibility) == "2"
    assert model.data(credibility, Qt.ItemDataRole.ToolTipRole).startswith("2 probably true")
    texts = [model.data(model.index(i, cols.COL_STATUS)) for i in range(model.rowCount())]
    assert all(t.split(" ")[0] in {*st.STATUS_GLYPHS.values(), *st.VERDICT_GLYPHS.values()} for t in texts)
    tip = model.data(model.index(r, cols.COL_TEXT), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<qt>") and "&lt;" not in tip  # escaped rich text: untrusted text never runs as HTML


def test_marking_a_link_repaints_exactly_the_affected_rows(
    session: WorkspaceSession, sample_ids: dict[str, int], qtbot: QtBot
) -> None:
    model = ClaimTableModel(session)
    for r in range(model.rowCount()):
        model.claim_row(r)  # every row cached, as on screen
    a, b = ids_of(sample_ids, "mb-opytne", "zelenskyy-ruins")
    changes: list[Change] = []
    painted: list[tuple[int, int, int, int]] = []
    session.changed.connect(changes.append)
    model.dataChanged.connect(lambda tl, br, _r=None: painted.append((tl.row(), br.row(), tl.column(), br.column())))
    with qtbot.assertNotEmitted(model.modelAboutToBeReset):
        assert session.perform(lambda s: s.set_link(a, b, "contradicts"), "mark contradicts").ok
    (change,) = changes
    assert {a, b} <= change.claims
    rows = {model.row_of(i) for i in change.claims}
    assert len(rows) >= 2 and len(rows) < model.rowCount()
    assert sorted(p[0] for p in painted) == sorted(rows)
    assert all(top == bottom and (left, right) == (0, cols.COLUMN_COUNT - 1) for top, bottom, left, right in painted)
    a_row = model.row_of(a)
    assert a_row is not None
    assert model.data(model.index(a_row, cols.COL_STATUS)) == "✖ contradicted"
    assert model.data(model.index(a_row, cols.COL_LINKS)) == "1"


def test_an_edit_that_moves_cached_rows_moves_them_in_place(
    session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    model = ClaimTableModel(session)
    model.sort(cols.COL_LINKS, Qt.SortOrder.DescendingOrder)
    cache_every_row(model)
    a, b = ids_of(sample_ids, "mb-opytne", "zelenskyy-ruins")
    resets: list[str] = []
    moved: list[str] = []
    model.modelReset.connect(lambda: resets.append(model.reset_reason))
    model.rowsRemoved.connect(lambda *_: moved.append("removed"))
    model.rowsInserted.connect(lambda *_: moved.append("inserted"))
    session.perform(lambda s: s.set_link(a, b, "contradicts"), "mark")
    assert resets == [] and moved == ["removed", "removed", "inserted", "inserted"]  # each row out, then in
    assert [model.claim_id(r) for r in range(model.rowCount())] == fresh_order(session, model)


def test_sorting_runs_in_sql(session: WorkspaceSession) -> None:
    model = ClaimTableModel(session)
    model.sort(cols.COL_STATUS, Qt.SortOrder.AscendingOrder)
    statuses = [model.claim_row(r).status for r in range(model.rowCount())]  # type: ignore[union-attr]
    ranks = [STATUSES.index(s) for s in statuses]
    assert ranks == sorted(ranks) and statuses[0] == "contested"
    model.sort(cols.COL_DATE, Qt.SortOrder.AscendingOrder)
    dates = [model.claim_row(r).sort_date for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert dates == sorted(dates)


def test_filter_narrows_counts_and_returns_messages(session: WorkspaceSession, qtbot: QtBot) -> None:
    model = ClaimTableModel(session)
    with qtbot.waitSignal(model.counts_changed) as counted:
        assert model.set_filter("status:contradicted") is None
    assert counted.args == [model.rowCount(), 20]
    assert 0 < model.rowCount() < 20
    assert all(model.claim_row(r).status == "contradicted" for r in range(model.rowCount()))  # type: ignore[union-attr]
    message = model.set_filter("colour:red bakhmut")
    assert message and "colour" in message
    for odd in ('"unbalanced', "-", "status:", "NEAR(a b)", "cred:9", "'; DROP TABLE claim; --"):
        model.set_filter(odd)  # a message at most, never an exception
        assert model.rowCount() >= 0
    model.set_filter("")
    assert model.rowCount() == 20


def test_large_workspace_keeps_a_bounded_cache(workspace: Workspace, qapp: Any) -> None:
    """50,000 claims: the model counts them, reaches the last row, and holds only a few blocks."""
    n = 50_000
    start = fill(workspace, n)
    session = WorkspaceSession(workspace)
    model = ClaimTableModel(session)
    assert model.rowCount() == n
    last = model.claim_row(n - 1)
    assert last is not None and last.sort_date == start  # newest first: the oldest is last
    for r in range(0, n, 997):  # a drag down the scroll bar
        assert model.data(model.index(r, cols.COL_TEXT))
    assert model.cached_row_count() <= cm.MAX_BLOCKS * cm.BLOCK_SIZE
    assert model.row_of(last.id) == n - 1
    model.sort(cols.COL_STATUS, Qt.SortOrder.AscendingOrder)
    assert model.claim_row(n - 1).status == "unverified"  # type: ignore[union-attr]
    assert model.claim_row(0).status == "contested"  # type: ignore[union-attr]


def test_the_top_comes_first_a_screenful_then_the_rest_of_its_block(workspace: Workspace, qapp: Any) -> None:
    fill(workspace, 600)
    session = WorkspaceSession(workspace)
    model = ClaimTableModel(session)
    assert model.cached_row_count() == 0
    model.claim_row(0)
    assert model.cached_row_count() == cm.FIRST_FETCH  # what the first paint needs, not a whole block
    model.claim_row(cm.FIRST_FETCH + 10)
    assert model.cached_row_count() == cm.BLOCK_SIZE  # the rest of the block, by keyset
    model.claim_row(cm.BLOCK_SIZE + 1)
    with workspace.engine.connect() as connection:
        expected = paging.fetch_at(connection, paging.View(), 0, 2 * cm.BLOCK_SIZE)
    assert [model.claim_row(r) for r in range(2 * cm.BLOCK_SIZE)] == expected
    model.set_filter("claim")
    model.claim_row(3)
    assert model.cached_row_count() == cm.FIRST_FETCH  # again after a reset


def test_the_first_screenful_is_what_the_table_shows(workspace: Workspace, qtbot: QtBot) -> None:
    """A table says how many rows it shows: a reset reads that many first (and a few more), then the rest
    of the block when a row past them is asked for; the rows are the same either way."""
    fill(workspace, 600)
    session = WorkspaceSession(workspace)
    view = ClaimTable(session)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    qtbot.waitExposed(view)
    model = view.claim_model
    shown = view.rowAt(view.viewport().height() - 1) + 1
    assert 0 < shown < cm.FIRST_FETCH
    assert shown <= model.first_fetch <= shown + 5
    model.set_filter("claim")
    assert model.cached_row_count() == model.first_fetch  # read with the filter, before its reset
    model.reload()
    model.claim_row(0)
    assert model.cached_row_count() == model.first_fetch
    with workspace.engine.connect() as connection:
        expected = paging.fetch_after(connection, model._view, None, cm.BLOCK_SIZE)
    assert [model.claim_row(r) for r in range(cm.BLOCK_SIZE)] == expected
    view.resize(900, 1200)  # a taller table reads more first
    assert model.first_fetch > shown + 5
    model.set_screen_rows(10_000)
    assert model.first_fetch == cm.BLOCK_SIZE  # a block at most


# --- counting only when it must ----------------------------------------------------------------------


def test_marking_a_link_under_a_filter_repaints_without_counting(
    session: WorkspaceSession, sample_ids: dict[str, int], claim_counts: list[str], qtbot: QtBot
) -> None:
    model = ClaimTableModel(session)
    model.set_filter("status:unverified,contradicted")
    cache_every_row(model)
    before = model.rowCount()
    a, b = ids_of(sample_ids, "mb-opytne", "zelenskyy-ruins")  # unverified → contradicted: both stay in
    painted: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=None: painted.append(top.row()))
    claim_counts.clear()
    with qtbot.assertNotEmitted(model.modelAboutToBeReset):
        assert session.perform(lambda s: s.set_link(a, b, "contradicts"), "mark contradicts").ok
    assert claim_counts == []
    assert model.rowCount() == before == true_count(session, model)
    assert sorted(painted) == sorted(r for r in (model.row_of(a), model.row_of(b)) if r is not None)
    assert len(painted) == 2


def test_a_link_that_takes_claims_out_of_the_filter_moves_the_count_without_counting(
    session: WorkspaceSession, sample_ids: dict[str, int], claim_counts: list[str], qtbot: QtBot
) -> None:
    model = ClaimTableModel(session)
    model.set_filter("status:unverified")
    cache_every_row(model)
    before = model.rowCount()
    a, b = ids_of(sample_ids, "mb-opytne", "zelenskyy-ruins")
    claim_counts.clear()
    with qtbot.assertNotEmitted(model.modelAboutToBeReset), qtbot.waitSignal(model.rowsRemoved):
        session.perform(lambda s: s.set_link(a, b, "contradicts"), "mark contradicts")
    assert claim_counts == []
    assert model.rowCount() == before - 2
    cache_every_row(model)
    shown = {model.claim_id(r) for r in range(model.rowCount())}
    assert a not in shown and b not in shown
    with qtbot.waitSignal(model.rowsInserted):
        session.undo_stack.undo()  # they come back: the model knows they were out, so it still needs no count
    assert claim_counts == []
    assert model.rowCount() == before == true_count(session, model)
    assert [model.claim_id(r) for r in range(model.rowCount())] == fresh_order(session, model)


def test_a_link_under_a_filter_without_status_needs_no_cache_and_no_count(
    session: WorkspaceSession, sample_ids: dict[str, int], claim_counts: list[str], qtbot: QtBot
) -> None:
    a, b = ids_of(sample_ids, "mb-opytne", "zelenskyy-ruins")
    model = ClaimTableModel(session)
    model.set_filter("bakhmut")  # both match; a link write changes no column this filter reads
    assert model.row_of(a) is not None and model.row_of(b) is not None
    model.reload()  # nothing cached
    before = model.rowCount()
    claim_counts.clear()
    with qtbot.assertNotEmitted(model.modelAboutToBeReset):  # nothing moves
        session.perform(lambda s: s.set_link(a, b, "contradicts"), "mark")
    assert claim_counts == [] and model.rowCount() == before
    session.undo_stack.undo()
    model.set_filter("status:unverified")  # (a new filter reads its first screenful with its count)
    model.reload()  # nothing cached: where a and b stood before is not known
    claim_counts.clear()
    session.perform(lambda s: s.set_link(a, b, "contradicts"), "mark")
    assert len(claim_counts) == 1  # so the filter is counted once, as the last resort
    assert model.rowCount() == true_count(session, model)


def test_adding_and_deleting_claims_moves_the_counts_without_counting(
    session: WorkspaceSession, claim_counts: list[str], qtbot: QtBot
) -> None:
    model = ClaimTableModel(session)
    cache_every_row(model)
    source = model.claim_row(0).source_id  # type: ignore[union-attr]
    claim_counts.clear()
    with qtbot.assertNotEmitted(model.modelAboutToBeReset), qtbot.waitSignal(model.rowsInserted):
        assert session.perform(lambda s: s.create_claim("A new claim", source), "add claim").ok
    assert (model.rowCount(), model.total_count()) == (21, 21)
    assert [model.claim_id(r) for r in range(model.rowCount())] == fresh_order(session, model)
    model.reload()  # nothing cached now: where the claim stood is not known when it is deleted again
    claim_counts.clear()
    with qtbot.waitSignal(model.modelReset):
        session.undo_stack.undo()  # deleted again (without a filter every claim is shown: no count needed)
    assert (model.rowCount(), model.total_count()) == (20, 20)
    assert claim_counts == []
    model.set_filter("status:contradicted")
    shown = model.rowCount()
    claim_counts.clear()
    with qtbot.assertNotEmitted(model.modelAboutToBeReset), qtbot.waitSignal(model.counts_changed) as counted:
        assert session.perform(lambda s: s.create_claim("Another claim", source), "add claim").ok  # unverified
    assert counted.args == [shown, 21]  # the filter bar's "N of M claims" follows
    with qtbot.assertNotEmitted(model.modelAboutToBeReset):
        session.undo_stack.undo()  # it was never shown
    assert claim_counts == []
    assert (model.rowCount(), model.total_count()) == (shown, 20) == (true_count(session, model), 20)


def test_a_new_filter_or_sort_keeps_the_total(session: WorkspaceSession, claim_counts: list[str]) -> None:
    model = ClaimTableModel(session)
    claim_counts.clear()
    model.set_filter("status:contested,contradicted")
    assert len(claim_counts) == 1 and " WHERE " in claim_counts[0].replace("\n", " ")  # the filter, not the total
    assert model.total_count() == 20
    shown = model.rowCount()
    claim_counts.clear()
    model.sort(cols.COL_SOURCE, Qt.SortOrder.AscendingOrder)
    assert claim_counts == [] and model.rowCount() == shown  # the same claims in another order
    model.sort(cols.COL_STATUS, Qt.SortOrder.AscendingOrder)  # counted per status, still under the filter
    assert claim_counts and all(" WHERE " in c.replace("\n", " ") for c in claim_counts)
    claim_counts.clear()
    model.reload()
    assert any("crosscheck_tally" in c for c in claim_counts)  # "data": the total too (the kept number)
    assert (model.rowCount(), model.total_count()) == (shown, 20)


# --- the view -------------------------------------------------------------------------------------


@pytest.fixture
def table(session: WorkspaceSession, qtbot: QtBot) -> ClaimTable:
    view = ClaimTable(session)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    return view


def test_view_is_built_for_speed(table: ClaimTable) -> None:
    from PySide6.QtWidgets import QHeaderView

    rows = table.verticalHeader()
    assert rows.isHidden() and rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    header = table.horizontalHeader()
    modes = {header.sectionResizeMode(c) for c in range(cols.COLUMN_COUNT)}
    assert QHeaderView.ResizeMode.ResizeToContents not in modes
    # The text stretches, or keeps its floor in a narrow table (tests/ui/test_table_columns.py).
    assert header.sectionResizeMode(cols.COL_TEXT) in (
        QHeaderView.ResizeMode.Stretch,
        QHeaderView.ResizeMode.Interactive,
    )
    assert not table.tabKeyNavigation() and table.isSortingEnabled()
    assert not table.grab().isNull()  # paints every kind of cell of the sample


def test_the_table_paints_whole_rows_without_asking_the_model_per_cell(
    table: ClaimTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def spy(name: str) -> Any:
        original = getattr(ClaimTableModel, name)

        def asking(self: ClaimTableModel, *args: Any) -> Any:
            asked.append(name)
            return original(self, *args)

        return asking

    for name in ("data", "flags"):
        monkeypatch.setattr(ClaimTableModel, name, spy(name))
    table.show()
    table.first()
    table.setFocus()
    asked.clear()  # selecting asks for flags (and so does the header's painting); the rows' painting must not
    image = table.viewport().grab().toImage()
    assert asked == []  # the rows come from the cached ClaimRow, one Python call per row
    selected = image.pixelColor(2, table.rowViewportPosition(0) + 4)
    assert selected == table.palette().color(table.palette().ColorRole.Highlight)  # the current row is selected


def test_the_rows_look_exactly_as_qt_paints_them_cell_by_cell(
    table: ClaimTable, session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    """The table's own row painting against QTableView's, cell by cell through the delegate: pixel for pixel."""
    from PySide6.QtWidgets import QTableView

    from desktop.ui.table.paint import ClaimDelegate

    undated, disputed = ids_of(sample_ids, "isw-strategic-gains", "breach")  # the first has no place either
    assert session.perform(lambda s: s.update_claim(undated, claimed=None), "no date").ok
    assert session.perform(lambda s: s.update_claim(disputed, verdict="confirmed"), "dispute").ok
    table.show()
    table.horizontalHeader().resizeSection(cols.COL_PLACE, 40)  # elided places
    table.select_claim(undated)
    reference = QTableView()
    reference.setModel(table.claim_model)
    reference.setSelectionModel(table.selectionModel())
    reference.setItemDelegate(ClaimDelegate(reference))
    reference.setAlternatingRowColors(True)
    reference.setShowGrid(False)
    reference.setWordWrap(False)
    reference.verticalHeader().setVisible(False)
    reference.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
    for column in range(cols.COLUMN_COUNT):
        reference.horizontalHeader().resizeSection(column, table.columnWidth(column))
    reference.resize(table.size())
    reference.show()
    mine, theirs = table.viewport().grab().toImage(), reference.viewport().grab().toImage()
    reference.close()
    reference.deleteLater()
    assert mine.size() == theirs.size() and mine == theirs


def test_current_row_and_session_current_follow_each_other(
    table: ClaimTable, session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    (ruins,) = ids_of(sample_ids, "zelenskyy-ruins")
    session.set_current(ruins)
    assert table.current_claim() == ruins
    assert table.first() == table.claim_model.claim_id(0) == session.current
    assert table.move_by(3) == table.claim_model.claim_id(3) == session.current
    assert table.move_by(-10) == table.claim_model.claim_id(0)
    assert table.last() == table.claim_model.claim_id(19) == session.current
    assert table.move_by(1) == table.claim_model.claim_id(19)
    assert table.select_claim(ruins) and session.current == ruins
    assert not table.select_claim(10_000)


def test_reset_keeps_the_current_claim_selected(
    table: ClaimTable, session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    (ruins,) = ids_of(sample_ids, "zelenskyy-ruins")
    table.select_claim(ruins)
    before = table.currentIndex().row()
    source = table.claim_model.claim_row(0).source_id  # type: ignore[union-attr]
    with_date = {"claimed": dt.date(2022, 12, 31)}  # newest: lands above, every row below moves down one
    assert session.perform(lambda s: s.create_claim("A new claim", source, **with_date), "add claim").ok
    assert table.current_claim() == ruins == session.current
    assert table.currentIndex().row() == before + 1
    assert table.select_claim(ruins)
    session.perform(lambda s: s.delete_claim(ruins), "delete")
    assert table.currentIndex().row() == before + 1  # its neighbour takes its place
    assert session.current == table.current_claim() != ruins


def test_filter_keeps_or_moves_the_selection_and_empty_hints(table: ClaimTable, session: WorkspaceSession) -> None:
    table.last()
    kept = table.current_claim()
    table.claim_model.set_filter("")
    table.claim_model.set_filter("status:contested")
    assert table.current_claim() == table.claim_model.claim_id(0) == session.current
    table.claim_model.set_filter("zzzzqqq")
    assert table.claim_model.rowCount() == 0 and session.current is None
    assert table.empty_hint() == "No claim matches this filter — Ctrl+Shift+F clears it"
    table.grab()  # paints the hint
    table.claim_model.set_filter("")
    assert table.empty_hint() is None and kept is not None


def test_a_new_filter_keeps_the_current_claim_only_on_its_first_page(
    table: ClaimTable, session: WorkspaceSession, sample_ids: dict[str, int], claim_counts: list[str]
) -> None:
    table.resize(1100, 170)  # a few rows to a page
    table.show()
    page = table._page_rows()
    cost_benefit, strategic = ids_of(sample_ids, "isw-cost-benefit", "isw-strategic-gains")
    model = table.claim_model
    assert table.select_claim(cost_benefit)
    claim_counts.clear()
    model.set_filter("status:unverified")
    assert len(claim_counts) == 1  # the filter's count, and no query for where the current claim went
    assert (model.row_of(cost_benefit) or -1) >= page  # shown, further down
    assert table.currentIndex().row() == 0 and session.current == model.claim_id(0)
    assert table.verticalScrollBar().value() == 0
    model.set_filter("")
    assert table.select_claim(strategic)
    claim_counts.clear()
    model.set_filter("status:unverified")
    assert len(claim_counts) == 1
    assert table.current_claim() == strategic == session.current  # on the first page: it stays current
    assert 0 < table.currentIndex().row() < page


def test_a_new_sort_keeps_the_current_claim_wherever_it_goes(
    table: ClaimTable, session: WorkspaceSession, sample_ids: dict[str, int]
) -> None:
    (cost_benefit,) = ids_of(sample_ids, "isw-cost-benefit")
    assert table.select_claim(cost_benefit)
    table.sortByColumn(cols.COL_DATE, Qt.SortOrder.AscendingOrder)
    assert table.current_claim() == cost_benefit == session.current
    assert table.currentIndex().row() == table.claim_model.row_of(cost_benefit)


def test_empty_workspace_hint(empty_session: WorkspaceSession, qtbot: QtBot) -> None:
    view = ClaimTable(empty_session)
    qtbot.addWidget(view)
    assert view.empty_hint() == "No claims yet — press A to add one"
    assert view.first() is None and view.move_by(1) is None
    view.grab()


def test_header_state_round_trips(table: ClaimTable, session: WorkspaceSession, qtbot: QtBot) -> None:
    table.horizontalHeader().resizeSection(cols.COL_SOURCE, 222)
    table.sortByColumn(cols.COL_STATUS, Qt.SortOrder.AscendingOrder)
    state = table.save_state()
    other = ClaimTable(session)
    qtbot.addWidget(other)
    assert other.restore_state(state)
    assert other.horizontalHeader().sectionSize(cols.COL_SOURCE) == 222
    assert other.claim_model.claim_row(0).status == "contested"  # type: ignore[union-attr]
    assert not other.restore_state(b"garbage")


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_table_leaves_letters_space_and_enter_to_the_window_actions(session: WorkspaceSession, qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    table = ClaimTable(session, parent=window)
    QVBoxLayout(window).addWidget(table)
    fired: list[str] = []
    for key in ("J", "A", "Space", "Return", "1"):
        action = QAction(key, table)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False, k=key: fired.append(k))
        table.addAction(action)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    table.setFocus()
    table.first()
    keys = {"J": Qt.Key.Key_J, "A": Qt.Key.Key_A, "Space": Qt.Key.Key_Space, "Return": Qt.Key.Key_Return}
    for name, key in keys.items():
        qtbot.keyClick(table, key)
        assert fired[-1] == name
    qtbot.keyClick(table, Qt.Key.Key_1)
    assert fired == ["J", "A", "Space", "Return", "1"]
    assert table.currentIndex().row() == 0  # no keyboard search moved it


# --- the filter bar -------------------------------------------------------------------------------


def test_filter_bar_debounces_typing_into_one_signal(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    seen: list[str] = []
    bar.filter_changed.connect(seen.append)
    with qtbot.waitSignal(bar.filter_changed, timeout=2000):
        qtbot.keyClicks(bar.edit, "status:contested")
        assert bar.pending() and seen == []
    assert seen == ["status:contested"]


def test_filter_bar_enter_applies_at_once_and_esc_keeps_the_text(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    seen: list[str] = []
    bar.filter_changed.connect(seen.append)
    bar.edit.setText("rybar")
    with qtbot.waitSignal(bar.submitted):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert seen == ["rybar"] and not bar.pending()
    with qtbot.waitSignal(bar.escape_pressed):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert bar.text() == "rybar"
    bar.set_text("")
    assert seen == ["rybar", ""]
    bar.focus_filter()


def test_filter_bar_shows_the_model_message_and_counts(session: WorkspaceSession, qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    model = ClaimTableModel(session)
    # wired as the main window wires them
    bar.filter_changed.connect(lambda text: bar.set_message(model.set_filter(text)))
    model.counts_changed.connect(bar.set_counts)
    bar.set_counts(model.rowCount(), model.total_count())
    assert bar.count.text() == "20 claims"
    bar.set_text("status:contradicted")
    assert bar.count.text() == f"{model.rowCount()} of 20 claims"
    assert bar.message.isHidden()
    bar.set_text("colour:red")
    assert not bar.message.isHidden() and "colour" in bar.message.text()
    assert bar.message.textFormat() == Qt.TextFormat.PlainText


def test_model_index_outside_rows_is_empty(session: WorkspaceSession) -> None:
    model = ClaimTableModel(session)
    assert model.claim_row(20) is None and model.claim_id(-1) is None
    assert model.data(QModelIndex()) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_texts_laid_out_once_paint_what_drawtext_paints(
    table: ClaimTable, session: WorkspaceSession, sample_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Short texts are drawn from a ``QStaticText`` laid out once: pixel for pixel what ``drawText`` paints."""
    from desktop.ui.table import paint

    undated, disputed = ids_of(sample_ids, "isw-strategic-gains", "breach")
    assert session.perform(lambda s: s.update_claim(undated, claimed=None), "no date").ok  # italic
    assert session.perform(lambda s: s.update_claim(disputed, verdict="confirmed"), "dispute").ok  # verdict + chip
    table.show()
    table.horizontalHeader().resizeSection(cols.COL_PLACE, 40)  # elided places
    table.select_claim(undated)
    laid_out = table.viewport().grab().toImage()
    laid_out_again = table.viewport().grab().toImage()  # from the cache
    monkeypatch.setattr(paint, "_STATIC_CHARS", -1)  # every text through drawText
    drawn = table.viewport().grab().toImage()
    assert laid_out == laid_out_again == drawn


def test_header_keeps_its_size_hint_across_resets_and_forgets_it_when_its_looks_change(
    table: ClaimTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header's hint is worked out once, not at every new filter; its titles, sections or font renew it."""
    from PySide6.QtWidgets import QHeaderView

    header = table.horizontalHeader()
    worked_out: list[int] = []
    plain = QHeaderView.sizeHint

    def counted(self: QHeaderView) -> Any:
        worked_out.append(1)
        return plain(self)

    monkeypatch.setattr(QHeaderView, "sizeHint", counted)
    header.forget_hint()  # type: ignore[attr-defined]
    first = header.sizeHint()
    for text in ("status:contested", "bakh", ""):
        table.claim_model.set_filter(text)
        table.updateGeometries()
    assert len(worked_out) == 1 and header.sizeHint() == first
    table.show_column(cols.COL_REPORT, True)
    assert header.sizeHint() == plain(header) and len(worked_out) == 2
    table.claim_model.show_as(None)  # the status title is announced again
    header.sizeHint()
    assert len(worked_out) == 3
    bigger = table.font()
    bigger.setPointSizeF(bigger.pointSizeF() * 2)
    header.setFont(bigger)
    assert header.sizeHint() == plain(header) and header.sizeHint().height() > first.height()
    assert len(worked_out) == 4


def test_a_long_text_drawn_at_its_baseline_paints_what_drawtext_in_its_cell_paints(table: ClaimTable) -> None:
    """The claim's text is drawn at its baseline (no layout box): the pixels of drawText centred in the cell."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from desktop.ui.table.paint import PADDING, CellPainter

    rows = [table.claim_model.claim_row(r) for r in range(table.claim_model.rowCount())]
    cells = CellPainter(table.font(), table.palette())
    for row in [r for r in rows if r is not None][:12]:
        for italic_date in (False, True):
            images = []
            for reference in (False, True):
                image = QImage(520, 40, QImage.Format.Format_ARGB32_Premultiplied)
                image.fill(QColor("white"))
                painter = QPainter(image)
                cells.begin(painter)
                if italic_date:
                    cells.paint_at(painter, 0, 0, 100, 27, row, cols.COL_DATE, False)  # leaves the font italic
                if reference:
                    painter.setFont(cells.font)
                    painter.setPen(cells.text[False])
                    shown = cells.metrics.elidedText(row.text, Qt.TextElideMode.ElideRight, 400 - 2 * PADDING)
                    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                    painter.drawText(110 + PADDING, 3, 400 - 2 * PADDING, 27, flags, shown)
                else:
                    cells.paint_at(painter, 110, 3, 400, 27, row, cols.COL_TEXT, False)
                painter.end()
                images.append(image.copy(110, 0, 410, 40))
            assert images[0] == images[1], row.text


def test_a_narrow_place_cell_elides_the_name_and_keeps_the_count_of_other_places(table: ClaimTable) -> None:
    """ "Bakh… +1", not "Bakhmut …": the count of other places stays whole; too narrow for any of the name: "+1"."""
    import dataclasses

    from PySide6.QtGui import QColor, QImage, QPainter

    from desktop.ui.table import paint
    from desktop.ui.table.paint import PADDING, CellPainter

    first = table.claim_model.claim_row(0)
    assert first is not None
    row = dataclasses.replace(first, place="Bakhmut", place_count=2)
    cells = CellPainter(table.font(), table.palette())
    metrics = cells.metrics
    assert cols.display_text(row, cols.COL_PLACE) == "Bakhmut +1"

    def painted(width: int, text: str | None) -> QImage:
        """The place cell as the table paints it (text None), or ``text`` drawn plainly where the cell's goes."""
        image = QImage(width, 30, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        cells.begin(painter)
        if text is None:
            cells.paint_at(painter, 0, 0, width, 30, row, cols.COL_PLACE, False)
        else:
            painter.setPen(cells.text[False])
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(PADDING, 0, width - 2 * PADDING, 30, flags, text)
        painter.end()
        return image

    count_room = metrics.horizontalAdvance(" +1")
    room = count_room + metrics.horizontalAdvance("Bakh…")
    expected = metrics.elidedText("Bakhmut", Qt.TextElideMode.ElideRight, room - count_room) + " +1"
    assert expected.endswith("… +1") and len(expected) < len("Bakhmut +1")
    assert painted(room + 2 * PADDING, None) == painted(room + 2 * PADDING, expected)
    tight = metrics.horizontalAdvance("+1")
    assert painted(tight + 2 * PADDING, None) == painted(tight + 2 * PADDING, "+1")
    for width in range(metrics.horizontalAdvance("Bakhmut +1") + 4, tight - 1, -1):  # every width down to "+1"
        shown = paint.elide_keeping(metrics, "Bakhmut +1", " +1", width)
        assert metrics.horizontalAdvance(shown) <= width and shown.endswith("+1"), (width, shown)
        assert shown in ("Bakhmut +1", "+1") or shown.endswith("… +1"), (width, shown)
    assert paint.elide_keeping(metrics, "Bakhmut", "", 20) == metrics.elidedText(
        "Bakhmut", Qt.TextElideMode.ElideRight, 20
    )
    assert cols.kept_whole(row, cols.COL_PLACE) == " +1" and cols.kept_whole(row, cols.COL_LINKS) == ""


def test_a_new_table_never_asks_the_model_for_row_headers(
    session: WorkspaceSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row header is hidden before the model is set: Qt sizes a visible one from the first and last
    hundred rows' header data as the model arrives (hundreds of calls into Python at every open)."""
    asked: list[Qt.Orientation] = []
    header_data = ClaimTableModel.headerData

    def counting(self: ClaimTableModel, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        asked.append(orientation)
        return header_data(self, section, orientation, role)

    monkeypatch.setattr(ClaimTableModel, "headerData", counting)
    view = ClaimTable(session)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    assert view.verticalHeader().isHidden()
    assert asked and Qt.Orientation.Vertical not in asked  # (the column titles were asked for)
