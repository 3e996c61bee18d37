"""Rows entering, leaving and moving in the claim table, as Qt's row insertions and removals.

The base of ``ClaimTableModel`` (kept apart so each file stays about one thing).
When a change brings a few claims into the view, takes some out, or moves a
cached row in the sort order, the model does not reset: it removes those rows
and inserts them where they now belong, so the view keeps its selection and its
place, and repaints from the first moved row. The cached blocks before that row
are unchanged; the later ones are fetched again when they are shown.

Where an entering row belongs is read from the cache when its key falls inside
the cached rows (no query: a claim made on the screen the analyst is looking
at), else counted with ``paging.position_of``.

``rows_moving`` (before) and ``rows_moved`` (after) frame the whole move, so the
view can keep the current claim and the top row once, rather than follow Qt's
guesses row by row.
"""

from __future__ import annotations

import bisect
import functools
from collections import OrderedDict
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Signal

from desktop.core.read.rows import ClaimRow, RowKey, View, precedes

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

BLOCK_SIZE: Final = 256


class RowMoves(QAbstractTableModel):
    """The claim table model's base: moving rows in place (the model keeps the blocks, sizes and count)."""

    #: rows about to move: positions leaving (now), positions entering (after), claims entering
    rows_moving = Signal(list, list, list)
    rows_moved = Signal()

    _blocks: OrderedDict[int, list[ClaimRow]]
    _short: set[int]
    _sizes: list[int]
    _count: int
    _view: View
    _moving_rows: tuple[int, list[ClaimRow]] | None = None  # while rows move: (first position, rows from it)

    def _positions(self, ids: set[int]) -> dict[int, tuple[int, int]]:
        """Where the cached rows of ``ids`` are: claim id → (block index, offset)."""
        found: dict[int, tuple[int, int]] = {}
        if ids:
            for block_index, rows in self._blocks.items():
                for offset, row in enumerate(rows):
                    if row.id in ids:
                        found[row.id] = (block_index, offset)
        return found

    def _among_cached(self, row: ClaimRow) -> bool:
        """Whether ``row`` sorts inside the span of some cached block (so it would appear there)."""
        view = self._view
        return any(
            not precedes(view, row.key, rows[0].key) and not precedes(view, rows[-1].key, row.key)
            for rows in self._blocks.values()
            if rows
        )

    # --- fetching -----------------------------------------------------------------------------

    def _row_key(self, at: tuple[int, int]) -> RowKey:
        return self._blocks[at[0]][at[1]].key

    def _places(
        self, connection: Connection, leaving: list[int], entering: list[ClaimRow], sizes: list[int]
    ) -> list[int] | None:
        """Where each of ``entering`` belongs once the rows at ``leaving`` are gone (None: not found)."""
        slots = [self._slot(row.key) for row in entering]
        if None in slots:
            from desktop.core.read import paging  # (imported once the workspace is open: not before the first paint)

            found = [paging.position_of(connection, self._view, row.id, sizes) for row in entering]
            return None if None in found else [p for p in found if p is not None]
        gone = sorted(leaving)
        order = functools.cmp_to_key(self._compare)
        ranked = sorted(zip(slots, entering, strict=True), key=lambda pair: (pair[0], order(pair[1].key)))
        places = {
            row.id: slot - bisect.bisect_left(gone, slot) + rank
            for rank, (slot, row) in enumerate(ranked)
            if slot is not None
        }
        return [places[row.id] for row in entering]

    def _compare(self, a: RowKey, b: RowKey) -> int:
        return -1 if precedes(self._view, a, b) else (1 if precedes(self._view, b, a) else 0)

    def _slot(self, key: RowKey) -> int | None:
        """How many rows (now) sort before ``key``, when the cache shows it; None when it does not."""
        view = self._view
        for index, rows in self._blocks.items():
            if not rows:
                continue
            start = index * BLOCK_SIZE
            if precedes(view, key, rows[0].key):
                if index == 0:
                    return 0
                before = self._blocks.get(index - 1)
                if before and len(before) == BLOCK_SIZE and index - 1 not in self._short:
                    if precedes(view, before[-1].key, key):
                        return start
                continue
            ends_here = start + len(rows) == self._count  # the last block: nothing after it
            if precedes(view, rows[-1].key, key) and not ends_here:
                continue
            keys = [row.key for row in rows]
            return start + sum(1 for k in keys if precedes(view, k, key))
        return None

    def _move_rows(self, leaving: list[int], entering: list[tuple[int, ClaimRow]], sizes: list[int]) -> None:
        """Remove the rows at ``leaving`` (positions now), then insert ``entering`` (position after, row).

        Rows that stay keep their order, so removing from the last up and inserting from the first down
        leaves every row where it now belongs. The cached rows from the first moved one on are copied
        into one list that each step edits, and ``data`` reads from it while the rows move, so every
        step shows exactly the rows it says (what Qt's model tester checks); afterwards the list is the
        cache again, cut into blocks. The blocks before the first moved row are unchanged.
        """
        self.rows_moving.emit(sorted(leaving), sorted(p for p, _ in entering), [row.id for _, row in entering])
        first_block = min(leaving + [p for p, _ in entering]) // BLOCK_SIZE
        base = first_block * BLOCK_SIZE
        rows: list[ClaimRow] = []
        index = first_block
        while index in self._blocks and index not in self._short:
            rows.extend(self._blocks[index])
            if len(self._blocks[index]) < BLOCK_SIZE:
                break
            index += 1
        for index in [i for i in self._blocks if i >= first_block]:
            del self._blocks[index]
            self._short.discard(index)
        self._sizes = sizes
        self._moving_rows = (base, rows)
        root = QModelIndex()
        try:
            for position in sorted(leaving, reverse=True):
                self.beginRemoveRows(root, position, position)
                if position - base < len(rows):
                    del rows[position - base]
                self._count -= 1
                self.endRemoveRows()
            for position, row in sorted(entering, key=lambda pair: pair[0]):
                self.beginInsertRows(root, position, position)
                if position - base <= len(rows):
                    rows.insert(position - base, row)
                self._count += 1
                self.endInsertRows()
        finally:
            self._moving_rows = None
        # The list holds the rows of its positions as they are now: it is the cache from here on (whole
        # blocks only, or the last block of the table; a part block is fetched again by keyset).
        for offset in range(0, len(rows), BLOCK_SIZE):
            chunk = rows[offset : offset + BLOCK_SIZE]
            if len(chunk) == BLOCK_SIZE or base + offset + len(chunk) == self._count:
                self._blocks[first_block + offset // BLOCK_SIZE] = chunk
            else:
                break
        self.rows_moved.emit()

    def _moving_row(self, row: int) -> ClaimRow | None:
        """While rows move: row ``row`` as the current step shows it, when the moving list holds it."""
        if self._moving_rows is None:
            return None
        base, rows = self._moving_rows
        return rows[row - base] if 0 <= row - base < len(rows) else None
