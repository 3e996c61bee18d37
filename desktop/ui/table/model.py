"""``ClaimTableModel``: the claim table's rows, fetched lazily from SQL in blocks (docs/architecture.md).

The model holds the number of rows and a small LRU cache of 256-row blocks, never
the claims themselves, so memory stays flat from fifty claims to a million. A
block is fetched by keyset from its cached neighbour when scrolling, or by an
ids-only OFFSET jump when the scroll bar is dragged (``desktop.core.read.paging``).
After a reset only the first screenful of block 0 is fetched (``first_fetch``:
as many rows as the table shows, ``FIRST_FETCH`` until it says); the rest of the
block follows when a row past it is asked for. A new filter reads
that screenful before its reset, in the snapshot it was compiled and counted in.

Counting a filter can cost a scan of the table, so the model counts only when it
must: on opening, on a new filter or sort order (the total is kept), and after a
bulk change; where that count is slow (a common word on PostgreSQL) it starts with
an estimate and the exact count follows from the background (``table.exact_count``).
It refreshes itself from ``WorkspaceSession.changed`` (``table.follow_changes``): the
changed claims are fetched through the view, and the count moves by those that
entered or left it. Rows that stay put are repainted (``dataChanged``); claims
added or removed, or an edit that moves a cached row in the current order, become
row removals and insertions (``table.row_moves``), so the table keeps its place and
selection; a move it cannot place resets the model, and the table puts the selection
back on the same claim. Changes committed elsewhere arrive the same way
(``ui.live``); one the last count has already seen is only repainted.

The columns and what their cells show are ``desktop.ui.table.columns``.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.core.read.rows import ClaimRow, View
from desktop.ui.table.as_seen import SeenRows
from desktop.ui.table.columns import (
    COL_STATUS,
    COL_SUGGESTED,
    COLUMN_COUNT,
    HEADER_TIPS,
    HEADERS,
    NUMERIC_COLUMNS,
    SORT_OF_COLUMN,
    display_text,
    tooltip,
)
from desktop.ui.table.follow_changes import FollowChanges
from desktop.ui.table.row_moves import BLOCK_SIZE
from desktop.ui.table.status_style import status_label

if TYPE_CHECKING:  # the rest is imported once the workspace is open (the first paint needs none of it)
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.elements import ColumnElement

    from desktop.core.read.as_analyst import AnalystStatuses
    from desktop.core.read.first_screen import FirstScreen
    from desktop.ui.session import WorkspaceSession

ClaimIdRole: Final = Qt.ItemDataRole.UserRole + 1  # int: the claim's id
ClaimRowRole: Final = Qt.ItemDataRole.UserRole + 2  # paging.ClaimRow: the whole cached row, for the delegate

MAX_BLOCKS: Final = 16  # at most 4,096 rows in memory, whatever the workspace holds
FIRST_FETCH: Final = 64  # rows fetched first after a reset, until the table says how many it shows
_SCREEN_MARGIN: Final = 4  # rows read beyond those a table shows in full (the one cut at the bottom, a scroll)


class ClaimTableModel(FollowChanges):
    """The claims of the session's workspace under a filter and a sort; see the module docstring."""

    def __init__(
        self, session: WorkspaceSession | None, parent: QObject | None = None, *, first: FirstScreen | None = None
    ) -> None:
        """The model of ``session``'s workspace; or, at start-up, of ``first`` until ``attach`` gives the session."""
        super().__init__(parent)
        self._session = session
        self._view = View()
        self._filter_text = ""
        self._blocks: OrderedDict[int, list[ClaimRow]] = OrderedDict()
        self._short: set[int] = set()  # cached blocks holding only their first screenful so far
        self.first_fetch = FIRST_FETCH  # rows read first after a reset (``set_screen_rows``)
        self._reads_derived: bool | None = None  # whether the filter reads a derived column (None: not known yet)
        # Claims a change named since the last count, and whether the view shows them now: a claim can
        # only enter or leave the view through a change that names it (or a bulk one, which counts again).
        self._known: dict[int, bool] = {}
        self._count = 0
        self._total = 0
        self._sizes: list[int] = []
        #: Why the last reset happened: "data", "filter" or "sort" (the table keeps or moves the selection on it).
        self.reset_reason = "data"
        self._seen = SeenRows()  # the status columns as one analyst sees them, while that view is on
        self._counted_at = 0  # the last audit row the last count has seen
        self._init_counting()
        self._sort_later: View | None = None  # a sort asked for before ``attach`` (a fast start)
        if session is not None:
            session.changed.connect(self._on_changed)
            self._reload("data")
        elif first is not None:
            # The window's fast start: the first screenful and the count read with sqlite3 (the default
            # view), shown before the workspace is open; the rest of block 0 comes once it is.
            self._count = self._total = first.count
            self._sizes = [first.count]
            self._counted_at = first.counted_at
            if first.rows:
                self._blocks[0] = list(first.rows)
                self._short.add(0)
        else:
            raise ValueError("a claim table model needs a session or a first screen")

    def attach(self, session: WorkspaceSession) -> None:
        """Follow ``session`` from now on (after a fast start); counts again only if the workspace moved on."""
        if self._session is not None:
            raise RuntimeError("the model already follows a session")
        self._session = session
        session.changed.connect(self._on_changed)
        from desktop.core.read import table_top  # (the workspace is open now)

        with self._connect() as connection:
            now = table_top.last_audit(connection)
        later, self._sort_later = self._sort_later, None
        if now != self._counted_at:
            self._reload("data", later)  # written to between the first screen and the open: read it again
        elif later is not None:
            self._reload("sort", later)

    # --- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            analyst = self._seen.analyst
            return HEADERS[section] if analyst is None or section != COL_STATUS else f"Status as {analyst}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.claim_row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(row, column)
        if role == ClaimIdRole:
            return row.id
        if role == ClaimRowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignHCenter if column in NUMERIC_COLUMNS else Qt.AlignmentFlag.AlignLeft
            return horizontal | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                status_label(row.status, row.verdict, row.verdict_disputed)
                if column == COL_STATUS
                else display_text(row, column)
            )
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-sort in SQL: every column sorts (the date and status sorts stay fast at a million claims)."""
        if not 0 <= column < COLUMN_COUNT:
            return
        view = dataclasses.replace(
            self._view, sort=SORT_OF_COLUMN[column], descending=order == Qt.SortOrder.DescendingOrder
        )
        if view == self._view:
            return
        if self._session is None:  # before a fast start's open: sorted once the workspace is (``attach``)
            self._sort_later = view
            return
        self._reload("sort", view)

    # --- rows and claims ----------------------------------------------------------------------

    def claim_row(self, row: int) -> ClaimRow | None:
        """The cached row ``row`` (fetching its block if needed), or None past the end."""
        if not 0 <= row < self._count:
            return None
        moving = self._moving_row(row)
        if moving is not None:
            return self._seen.row(moving)
        index, offset = divmod(row, BLOCK_SIZE)
        block = self._block(index, offset)
        return self._seen.row(block[offset]) if offset < len(block) else None

    def show_as(self, statuses: AnalystStatuses | None) -> None:
        """Show the status columns as one analyst sees them (``statuses``), or as stored (None).

        Only what the cells say changes: the filter and the sort still read the stored statuses
        (everyone's effective links), so rows keep their places.
        """
        self._seen.show(statuses)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_STATUS, COL_STATUS)
        if self._count:
            self.dataChanged.emit(self.index(0, COL_STATUS), self.index(self._count - 1, COL_SUGGESTED))

    def seen_by(self) -> str | None:
        """The analyst whose statuses the table shows, or None (everyone's)."""
        return self._seen.analyst

    def claim_id(self, row: int) -> int | None:
        found = self.claim_row(row)
        return None if found is None else found.id

    def row_of(self, claim_id: int) -> int | None:
        """The row showing ``claim_id`` in the current filter and sort, or None."""
        from desktop.core.read import paging

        for block_index, rows in self._blocks.items():
            for offset, row in enumerate(rows):
                if row.id == claim_id:
                    return block_index * BLOCK_SIZE + offset
        with self._connect() as connection:
            return paging.position_of(connection, self._view, claim_id, self._sizes)

    def row_near_top(self, claim_id: int, rows: int) -> int | None:
        """The row of ``claim_id`` if it is one of the first ``rows`` rows, else None.

        Only the first block is looked at (fetching it if needed: the top of the
        table is about to be painted anyway), never a position query.
        """
        if self._count == 0 or rows <= 0:
            return None
        first = self._block(0, min(rows, self._count, BLOCK_SIZE) - 1)
        for offset, row in enumerate(first[:rows]):
            if row.id == claim_id:
                return offset
        return None

    def next_unreviewed(self, after_claim: int | None) -> int | None:
        """The next unreviewed claim after ``after_claim`` in the current order, wrapping; None if none."""
        from desktop.core.read import paging

        with self._connect() as connection:
            key = None if after_claim is None else paging.key_of(connection, self._view, after_claim)
            return paging.next_unreviewed(connection, self._view, key)

    def set_screen_rows(self, rows: int) -> None:
        """The table shows ``rows`` rows in full: a reset reads that many first (and a few more), not ``FIRST_FETCH``.

        Each row read costs ~10 µs on SQLite (its places, its disputes, its report): reading 64 for a
        table that shows 33 was a quarter of a millisecond of every open and every new filter. A
        screenful guessed short costs nothing but time: a row past it fetches the rest of its block.
        """
        self.first_fetch = max(1, min(BLOCK_SIZE, rows + _SCREEN_MARGIN))

    def cached_row_count(self) -> int:
        return sum(len(rows) for rows in self._blocks.values())

    def total_count(self) -> int:
        """All claims in the workspace, whatever the filter."""
        return self._total

    def sort_column(self) -> int:
        return SORT_OF_COLUMN.index(self._view.sort)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._view.descending else Qt.SortOrder.AscendingOrder

    # --- filter -------------------------------------------------------------------------------

    def filter_text(self) -> str:
        return self._filter_text

    def set_filter(self, text: str) -> str | None:
        """Show only the claims ``text`` matches (docs/keyboard-and-filter.md); the filter bar's message, if any."""
        from sqlalchemy.exc import DBAPIError

        from desktop.core import search
        from desktop.core.store.search_index import waiting_claims

        engine = self._attached().workspace.engine
        fresh: _Fresh | None = None
        # One read for the whole new filter: fitting its plan (SQLite: search probes how many claims
        # match, and a count it finished is the count), the claims still waiting for the index, the
        # count and the first page all see one moment, and nothing is read twice.
        with self._connect(snapshot=True) as connection:
            result = search.compile_filter(text, engine.dialect.name, connection=connection)
            waiting = 0 if result.fts_query is None else waiting_claims(connection)
            message = result.message
            if waiting:  # an import's claims not in the search index yet (built in the background)
                claims = f"{waiting:,} imported claim{'s' if waiting != 1 else ''}"
                building = f"index building… {claims} not searched yet"
                message = f"{message}; {building}" if message else building
            if text == self._filter_text:
                return message
            self._filter_text = text
            if _same(self._view.where, result.where):
                return message  # the same claims (an extra space, a repeated term): no reset, the selection stays put
            view = dataclasses.replace(self._view, where=result.where, count_where=result.count_where)
            try:
                fresh = self._read("filter", view, connection, counted=result.count)
            except DBAPIError as error:  # the parser promises valid SQL; a slip must not crash the window
                message = f"this filter could not be run ({error.orig}); showing every claim"
        if fresh is None:  # (outside the failed read: on PostgreSQL its transaction can run nothing more)
            self._reload("filter", dataclasses.replace(view, where=None, count_where=None))
        else:
            self._show(fresh)
        return message

    # --- refreshing ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Count and fetch again from the database (another process may have written to it)."""
        self._reload("data")

    def _reload(self, reason: str, view: View | None = None) -> None:
        """Reset to ``view`` (default: the current one); it counts first, so a failing query changes nothing."""
        view = view or self._view
        # PostgreSQL, every claim counted again (opening, a reload): one statement, a snapshot of its own.
        single = reason == "data" and view.where is None and view.sort != "status"
        with self._connect(snapshot=not single) as connection:
            fresh = self._read(reason, view, connection)
        self._show(fresh)

    def _read(self, reason: str, view: View, connection: Connection, *, counted: int | None = None) -> _Fresh:
        """What showing ``view`` needs, read in ``connection``'s snapshot; nothing changes yet (``_show``).

        Only "data" counts the whole workspace again: a new filter or sort leaves the
        total as it was, and a new sort of the same filter (other than the status
        sort, which counts per status) leaves the count as it was too. ``counted``: the
        view's count, when its filter's compile counted it in this snapshot. A new
        filter's first screenful is read here too: the table shows the top next.
        """
        from desktop.core.read import paging, table_top
        from desktop.core.read.estimate import estimated_count

        counted_at, estimate = None, None
        first: list[ClaimRow] | None = None
        if reason == "sort" and view.sort != "status" and _same(view.where, self._view.where):
            sizes = [self._count]  # (an estimate stays one: its exact count is still on its way)
        else:
            # The audit trail's end in the same snapshot as the count: a change heard later that
            # the count has seen already is not counted twice (``_on_changed``). PostgreSQL, a filter
            # still to count in one partition (or every claim, kept): read with the count, one statement.
            together = counted is None and view.sort != "status" and connection.dialect.name == "postgresql"
            counted_at = None if together else table_top.last_audit(connection)
            raw = table_top.opening_driver(connection, view)
            if counted is not None and view.sort != "status":
                sizes = [counted]
            elif raw is not None:
                from desktop.core.read.first_screen import count_claims

                sizes = [count_claims(raw)]
            else:
                # A count that would be slow (PostgreSQL) is estimated, and counted in the background.
                estimate = estimated_count(connection, view)
                if together and reason == "filter":  # the count, audit end, first page and the read's end: one trip
                    count, counted_at, first = paging.count_audit_and_first_rows(
                        connection, view, self.first_fetch, count=estimate is None
                    )
                    sizes = [count if estimate is None else estimate]
                elif estimate is not None:
                    sizes = [estimate]
                elif together:
                    count, counted_at = paging.count_and_last_audit(connection, view)
                    sizes = [count]
                else:
                    sizes = paging.partition_sizes(connection, view)
            if counted_at is None:  # (an estimate: the snapshot is the count's all the same)
                counted_at = table_top.last_audit(connection)
        if reason != "data":
            total = self._total
        elif view.where is None:
            total = sum(sizes)
        else:
            total = paging.count(connection, View())
        if first is None and reason == "filter" and sum(sizes) > 0:
            first = table_top.first_screenful(connection, view, self.first_fetch)
        elif not sum(sizes):
            first = None
        return _Fresh(reason, view, sizes, total, counted_at, estimate is not None, first)

    def _show(self, fresh: _Fresh) -> None:
        """Reset to what ``_read`` read."""
        if fresh.counted_at is not None:  # before the reset, so that what it says of the count says "about"
            self._counted_at = fresh.counted_at
            self._count_later(self._attached().workspace.engine, fresh.view if fresh.estimated else None)
        self._reset(fresh.reason, fresh.view, fresh.sizes, fresh.total, first=fresh.first)

    def _reset(
        self,
        reason: str,
        view: View,
        sizes: list[int],
        total: int,
        known: dict[int, bool] | None = None,
        *,
        first: list[ClaimRow] | None = None,
    ) -> None:
        """Show ``view`` from now on; ``first``: its first ``first_fetch`` rows, read already."""
        self.reset_reason = reason
        self.beginResetModel()
        self._view, self._sizes, self._count, self._total = view, sizes, sum(sizes), total
        self._blocks.clear()
        self._short.clear()
        self._far.clear()
        if first is not None:
            self._blocks[0] = first
            if len(first) < min(self._count, BLOCK_SIZE):
                self._short.add(0)  # the rest of the block by keyset from its last row, when asked for
        self._known = {} if known is None else known
        if known is None:
            self._reads_derived = None
        self.endResetModel()
        self.counts_changed.emit(self._count, self._total)

    def _connect(self, *, snapshot: bool = False) -> Connection:
        """A connection; ``snapshot``: its reads all see one moment (SQLite's read transaction does anyway).

        Without ``snapshot``, PostgreSQL's reads run in autocommit (``core.pg_round_trips``): each sees what
        was committed when it began, as under READ COMMITTED, without BEGIN and ROLLBACK round trips.
        """
        from desktop.core.pg_round_trips import read_connection

        engine = self._attached().workspace.engine
        if snapshot and engine.dialect.name == "postgresql":
            return engine.connect().execution_options(isolation_level="REPEATABLE READ")
        return read_connection(engine)

    def _attached(self) -> WorkspaceSession:
        if self._session is None:
            raise RuntimeError("the claim table is not attached to a workspace yet")
        return self._session

    def _block(self, index: int, offset: int = 0) -> list[ClaimRow]:
        """Block ``index``, fetched far enough to hold row ``offset`` of it (when the view has that row)."""
        rows = self._blocks.get(index)
        if self._session is None:  # a fast start's first screen, before the workspace is open
            return rows or []
        if rows is not None and (offset < len(rows) or index not in self._short):
            self._blocks.move_to_end(index)  # painting's path: no import statement (PySide's hook runs at each)
            return rows
        from desktop.core.read import paging, table_top

        if rows is not None:
            self._blocks.move_to_end(index)
            if offset >= len(rows) and index in self._short:
                self._short.discard(index)  # the rest of a first screenful, by keyset from its last row
                if rows:
                    with self._connect() as connection:
                        rows.extend(paging.fetch_after(connection, self._view, rows[-1].key, BLOCK_SIZE - len(rows)))
            return rows
        before, after = self._blocks.get(index - 1), self._blocks.get(index + 1)
        with self._connect() as connection:
            if before is not None and len(before) == BLOCK_SIZE:  # scrolling down: keyset from the block above
                rows = paging.fetch_after(connection, self._view, before[-1].key, BLOCK_SIZE)
                far = index - 1 in self._far
            elif after:  # scrolling up: keyset back from the block below
                rows = paging.fetch_before(connection, self._view, after[0].key, BLOCK_SIZE)
                far = index + 1 in self._far
            elif index == 0 and offset < self.first_fetch < self._count:  # the top after a reset: a screenful first
                rows = table_top.first_screenful(connection, self._view, self.first_fetch)
                self._short.add(index)
                far = False
            else:  # a jump (in the far half of one partition, read from its end: paging.fetch_at)
                rows = paging.fetch_at(connection, self._view, index * BLOCK_SIZE, BLOCK_SIZE, self._sizes)
                far = len(self._sizes) == 1 and index * BLOCK_SIZE > self._sizes[0] // 2
        self._blocks[index] = rows
        self._read_from_end(index, far)
        while len(self._blocks) > MAX_BLOCKS:
            dropped, _rows = self._blocks.popitem(last=False)
            self._short.discard(dropped)
            self._far.discard(dropped)
        return rows


@dataclasses.dataclass(frozen=True)
class _Fresh:
    """A view read and about to be shown (``ClaimTableModel._read``)."""

    reason: str
    view: View
    sizes: list[int]
    total: int
    counted_at: int | None  # the audit row the count has seen (None: the count was kept)
    estimated: bool  # the count is an estimate: the exact one follows from the background
    first: list[ClaimRow] | None  # the first screenful, read with the count (a new filter)


def _same(a: ColumnElement[bool] | None, b: ColumnElement[bool] | None) -> bool:
    return a is b or (a is not None and b is not None and a.compare(b))
