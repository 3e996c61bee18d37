"""``ClaimTableModel``: the claim table's rows, fetched lazily from SQL in blocks (DESIGN §6).

The model holds the number of rows and a small LRU cache of 256-row blocks, never
the claims themselves, so memory stays flat from fifty claims to a million. A
block is fetched by keyset from its cached neighbour when scrolling, or by an
ids-only OFFSET jump when the scroll bar is dragged (``desktop.core.paging``).

It refreshes itself from ``WorkspaceSession.changed``: a change to some claims
repaints exactly their cached rows (``dataChanged``); claims added or removed, or
an edit that moves a row in the current order, reset the model, and the table
puts the selection back on the same claim.

Every status reads without colour: a glyph of its own shape plus its name
(``desktop.ui.status_style``); the analyst's verdict comes first when set.
"""

from __future__ import annotations

import dataclasses
import html
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from desktop.core import paging, vocab
from desktop.core.paging import ClaimRow, View
from desktop.core.store import Change
from desktop.ui.session import WorkspaceSession
from desktop.ui.status_style import status_label, status_tooltip

ClaimIdRole: Final = Qt.ItemDataRole.UserRole + 1  # int: the claim's id
ClaimRowRole: Final = Qt.ItemDataRole.UserRole + 2  # paging.ClaimRow: the whole cached row, for the delegate

COL_TEXT, COL_SOURCE, COL_SIDE, COL_DATE, COL_PLACE, COL_STATUS, COL_CREDIBILITY, COL_SUGGESTED, COL_LINKS = range(9)
COLUMN_COUNT: Final = 9
HEADERS: Final = ("Claim", "Source", "Side", "Date", "Place", "Status", "Cred.", "Sugg.", "Links")
HEADER_TIPS: Final = (
    "What the source asserts",
    "Who asserts it (the originator, not the outlet that relayed it)",
    "The source's side; blank when unaligned",
    "When it was claimed (italic: not given, the day it was recorded)",
    "Where it happened (first place; +N more)",
    "Derived from the links (DESIGN §2); the analyst's verdict comes first when set",
    "Your credibility grade, Admiralty 1 (confirmed) – 6 (cannot be judged)",
    "The credibility the status suggests (1 corroborated … 6 unverified)",
    "How many links this claim has",
)
SORT_OF_COLUMN: Final = ("text", "source", "side", "date", "place", "status", "credibility", "suggested", "links")
NUMERIC_COLUMNS: Final = frozenset({COL_CREDIBILITY, COL_SUGGESTED, COL_LINKS})

BLOCK_SIZE: Final = 256
MAX_BLOCKS: Final = 16  # at most 4,096 rows in memory, whatever the workspace holds


def _rich(text: str) -> str:
    """A tooltip of untrusted text: escaped, and marked rich so Qt wraps it instead of guessing."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


class ClaimTableModel(QAbstractTableModel):
    """The claims of the session's workspace under a filter and a sort; see the module docstring."""

    counts_changed = Signal(int, int)  # rows shown, claims in the workspace

    def __init__(self, session: WorkspaceSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._view = View()
        self._filter_text = ""
        self._blocks: OrderedDict[int, list[ClaimRow]] = OrderedDict()
        self._count = 0
        self._total = 0
        self._sizes: list[int] = []
        #: Why the last reset happened: "data", "filter" or "sort" (the table keeps or moves the selection on it).
        self.reset_reason = "data"
        session.changed.connect(self._on_changed)
        self._reload("data")

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
            return HEADERS[section]
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
            return _tooltip(row, column)
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
        if view != self._view:
            self._reload("sort", view)

    # --- rows and claims ----------------------------------------------------------------------

    def claim_row(self, row: int) -> ClaimRow | None:
        """The cached row ``row`` (fetching its block if needed), or None past the end."""
        if not 0 <= row < self._count:
            return None
        block = self._block(row // BLOCK_SIZE)
        offset = row % BLOCK_SIZE
        return block[offset] if offset < len(block) else None

    def claim_id(self, row: int) -> int | None:
        found = self.claim_row(row)
        return None if found is None else found.id

    def row_of(self, claim_id: int) -> int | None:
        """The row showing ``claim_id`` in the current filter and sort, or None."""
        for block_index, rows in self._blocks.items():
            for offset, row in enumerate(rows):
                if row.id == claim_id:
                    return block_index * BLOCK_SIZE + offset
        with self._connect() as connection:
            return paging.position_of(connection, self._view, claim_id, self._sizes)

    def next_unreviewed(self, after_claim: int | None) -> int | None:
        """The next unreviewed claim after ``after_claim`` in the current order, wrapping; None if none."""
        with self._connect() as connection:
            key = None if after_claim is None else paging.key_of(connection, self._view, after_claim)
            return paging.next_unreviewed(connection, self._view, key)

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
        """Show only the claims ``text`` matches (DESIGN §5); returns the filter bar's message, if any."""
        from desktop.core import search

        engine = self._session.workspace.engine
        with engine.connect() as connection:  # lets search fit its plan to how many claims match
            result = search.compile_filter(text, engine.dialect.name, connection=connection)
        message = result.message
        if text == self._filter_text:
            return message
        self._filter_text = text
        if _same(self._view.where, result.where):
            return message  # the same claims (an extra space, a repeated term): no reset, the selection stays put
        view = dataclasses.replace(self._view, where=result.where, count_where=result.count_where)
        try:
            self._reload("filter", view)
        except DBAPIError as error:  # the parser promises valid SQL; a slip must not crash the window
            message = f"this filter could not be run ({error.orig}); showing every claim"
            self._reload("filter", dataclasses.replace(view, where=None, count_where=None))
        return message

    # --- refreshing ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Count and fetch again from the database (another process may have written to it)."""
        self._reload("data")

    def _reload(self, reason: str, view: View | None = None) -> None:
        """Reset to ``view`` (default: the current one); it counts first, so a failing query changes nothing."""
        view = view or self._view
        with self._connect() as connection:
            sizes = paging.partition_sizes(connection, view)
            total = sum(sizes) if view.where is None else paging.count(connection, View())
        self.reset_reason = reason
        self.beginResetModel()
        self._view, self._sizes, self._count, self._total = view, sizes, sum(sizes), total
        self._blocks.clear()
        self.endResetModel()
        self.counts_changed.emit(self._count, self._total)

    def _on_changed(self, change: Change) -> None:
        if change.everything or change.added_claims or change.removed_claims or change.sources or change.places:
            self._reload("data")
        elif change.claims and not self._repaint(change.claims):
            self._reload("data")

    def _repaint(self, ids: set[int]) -> bool:
        """Replace the cached rows of ``ids`` and emit ``dataChanged`` for them; False when a reset is needed.

        A reset is needed when a change can move rows: a changed row now sorts
        elsewhere or left the filter, the count under the filter changed, or an
        uncached changed row now sorts among cached ones (or may have moved past
        them: derived-column sorts, filtered views).
        """
        with self._connect() as connection:
            fresh = paging.fetch_ids(connection, self._view, ids)
            if self._view.where is not None and paging.count(connection, self._view) != self._count:
                return False
        where: dict[int, tuple[int, int]] = {}
        for block_index, rows in self._blocks.items():
            for offset, row in enumerate(rows):
                if row.id in ids:
                    where[row.id] = (block_index, offset)
        for ident in ids:
            new = fresh.get(ident)
            if ident in where:
                block_index, offset = where[ident]
                if new is None or new.key != self._blocks[block_index][offset].key:
                    return False
            elif new is not None and (
                self._view.sort in ("status", "suggested", "links")
                or self._view.where is not None
                or self._among_cached(new)
            ):
                return False
        last = COLUMN_COUNT - 1
        for ident, (block_index, offset) in sorted(where.items(), key=lambda item: item[1]):
            self._blocks[block_index][offset] = fresh[ident]
            position = block_index * BLOCK_SIZE + offset
            self.dataChanged.emit(self.index(position, 0), self.index(position, last))
        return True

    def _among_cached(self, row: ClaimRow) -> bool:
        """Whether ``row`` sorts inside the span of some cached block (so it would appear there)."""
        view = self._view
        return any(
            not paging.precedes(view, row.key, rows[0].key) and not paging.precedes(view, rows[-1].key, row.key)
            for rows in self._blocks.values()
            if rows
        )

    # --- fetching -----------------------------------------------------------------------------

    def _connect(self) -> Connection:
        return self._session.workspace.engine.connect()

    def _block(self, index: int) -> list[ClaimRow]:
        rows = self._blocks.get(index)
        if rows is not None:
            self._blocks.move_to_end(index)
            return rows
        before, after = self._blocks.get(index - 1), self._blocks.get(index + 1)
        with self._connect() as connection:
            if before is not None and len(before) == BLOCK_SIZE:  # scrolling down: keyset from the block above
                rows = paging.fetch_after(connection, self._view, before[-1].key, BLOCK_SIZE)
            elif after:  # scrolling up: keyset back from the block below
                rows = paging.fetch_before(connection, self._view, after[0].key, BLOCK_SIZE)
            else:  # a jump
                rows = paging.fetch_at(connection, self._view, index * BLOCK_SIZE, BLOCK_SIZE, self._sizes)
        self._blocks[index] = rows
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return rows


def _same(a: ColumnElement[bool] | None, b: ColumnElement[bool] | None) -> bool:
    return a is b or (a is not None and b is not None and a.compare(b))


def _place_text(row: ClaimRow) -> str:
    if row.place is None:
        return ""
    return row.place if row.place_count <= 1 else f"{row.place} +{row.place_count - 1}"


_DISPLAY: Final[tuple[Callable[[ClaimRow], str], ...]] = (
    lambda r: " ".join(r.text.split()),  # one line: the table's rows have a fixed height
    lambda r: r.source_name,
    lambda r: r.source_side,
    lambda r: (r.claimed or r.sort_date).isoformat(),
    _place_text,
    lambda r: status_label(r.status, r.verdict, r.verdict_disputed),
    lambda r: "" if r.credibility is None else str(r.credibility),
    lambda r: str(r.suggested_credibility),
    lambda r: str(r.link_count) if r.link_count else "",
)


def display_text(row: ClaimRow, column: int) -> str:
    """What cell ``column`` of ``row`` shows (the delegate paints exactly this)."""
    return _DISPLAY[column](row) if 0 <= column < COLUMN_COUNT else ""


def _tooltip(row: ClaimRow, column: int) -> str | None:
    if column == COL_TEXT:
        return _rich(row.text)
    if column in (COL_SOURCE, COL_SIDE):
        side = row.source_side or "unaligned"
        reliability = vocab.RELIABILITY.get(row.source_reliability, "")
        return _rich(f"{row.source_name}\nside: {side}\nreliability: {row.source_reliability} {reliability}")
    if column == COL_DATE:
        return f"claimed {row.claimed}" if row.claimed else f"no claimed date: recorded {row.sort_date}"
    if column == COL_PLACE:
        return _rich(f"{row.place} and {row.place_count - 1} more" if row.place_count > 1 else row.place or "no place")
    if column == COL_STATUS:
        return status_tooltip(row.status, row.verdict, row.verdict_disputed)
    if column == COL_CREDIBILITY:
        if row.credibility is None:
            return "not graded yet (press 1–6)"
        return f"{row.credibility} {vocab.CREDIBILITY.get(row.credibility, '')} (your grade)"
    if column == COL_SUGGESTED:
        grade = row.suggested_credibility
        return f"{grade} {vocab.CREDIBILITY.get(grade, '')}: suggested because the claim is {row.status}"
    if column == COL_LINKS:
        return f"{row.link_count} link{'s' if row.link_count != 1 else ''}"
    return None
