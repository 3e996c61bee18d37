"""The exact count of a filter, counted in the background while the table shows an estimate (PostgreSQL).

Counting the claims a common word matches takes PostgreSQL a visit to every
match (``desktop.core.read.estimate`` says why): 300–500 ms at a million
claims, where the first page takes a few. So when the count would be slow the
table shows the first page at once with an estimated number of rows ("about
220,000 of 1,000,000 claims"), and this counts exactly on a connection of its
own, on a pool thread. The count runs in one snapshot with the audit trail's
end, as the model's own counts do; a newer filter, sort or change cancels it
(PostgreSQL stops the statement) and asks again.

``EstimatedRows`` is the model's side: which cached blocks were read from the
end of the view (a jump to the last row reads the true last rows whatever the
estimate said), and, when the exact figure arrives, the rows that appear or go
between the rows read from the top and those read from the end, so the view
keeps its place — the last row stays the last row.
"""

from __future__ import annotations

import threading
from typing import Any, Final

from PySide6.QtCore import QModelIndex, QObject, QThreadPool, Signal

from desktop.core.read.rows import View
from desktop.ui.table.row_moves import BLOCK_SIZE, RowMoves

LAST_AUDIT: Final = "SELECT coalesce(max(id), 0) FROM audit"  # the audit trail's end, in the count's snapshot


class _CountJob(QObject):
    """One exact count on a pool thread; its signal crosses back to the window's thread (queued)."""

    counted = Signal(object, list, int)  # the job, the view's partition sizes, the audit row counted up to

    def __init__(self, engine: Any, view: View) -> None:
        super().__init__()
        self._engine = engine
        self._view = view
        self._lock = threading.Lock()
        self._cancelled = False
        self._dbapi: Any = None  # the connection while its count runs

    def run(self) -> None:
        from sqlalchemy.exc import DBAPIError

        from desktop.core.read import paging

        try:
            with self._engine.connect() as connection:
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
                with self._lock:
                    if self._cancelled:
                        return
                    self._dbapi = connection.connection.dbapi_connection
                try:
                    counted_at = int(connection.exec_driver_sql(LAST_AUDIT).scalar_one())
                    sizes = paging.partition_sizes(connection, self._view)
                finally:
                    with self._lock:
                        self._dbapi = None
        except DBAPIError:
            return  # cancelled, or the connection is gone: the estimate stays, the next change counts again
        if not self._cancelled:
            self.counted.emit(self, sizes, counted_at)

    def cancel(self) -> None:
        """Stop the count: PostgreSQL cancels the statement running on its connection (from any thread)."""
        with self._lock:
            self._cancelled = True
            if self._dbapi is not None:
                self._dbapi.cancel()


class EstimatedRows(RowMoves):
    """The claim table model's base when its row count may be an estimate (see the module docstring)."""

    count_exact_changed = Signal(bool)

    _count_job: _CountJob | None = None
    _estimated = False
    _far: set[int]  # cached blocks read from the end of the view (while the count is an estimate)
    _counted_at: int
    _total: int
    counts_changed: Any

    def _init_counting(self) -> None:
        self._far = set()
        self._count_pool = QThreadPool(self)
        self._count_pool.setMaxThreadCount(1)

    def count_is_exact(self) -> bool:
        """False while the row count is an estimate and the exact count is on its way."""
        return not self._estimated

    def wait_for_count(self) -> None:
        """Block until the background count has finished (tests, closing)."""
        self._count_pool.waitForDone()

    def _count_later(self, engine: Any, view: View | None) -> None:
        """Cancel the count on its way; with ``view``, count it exactly in the background (the rows are estimated).

        The blocks read so far keep how they were read (``_far``): a count started again after a
        change still finds the rows read from the end where they are.
        """
        if self._count_job is not None:
            self._count_job.cancel()
            self._count_job = None
        exact = view is None
        if self._estimated == exact:
            self._estimated = not exact
            self.count_exact_changed.emit(exact)
        if view is not None:
            job = _CountJob(engine, view)
            job.counted.connect(self._take_exact_count)
            self._count_job = job
            self._count_pool.start(job.run)

    def _read_from_end(self, index: int, far: bool) -> None:
        """Note how block ``index`` was read: from the end of the view (``far``) or from the top."""
        if self._estimated:
            (self._far.add if far else self._far.discard)(index)

    def _take_exact_count(self, job: _CountJob, sizes: list[int], counted_at: int) -> None:
        if job is not self._count_job:
            return  # a count of a view no longer shown
        self._count_job = None
        self._counted_at = counted_at
        exact, before = sum(sizes), self._count
        self._sizes = list(sizes)
        if exact == before:
            self._far.clear()
            self._estimated = False
        else:
            # The rows read from the end are at their place counted from the end: the difference appears
            # (or goes) just before the first of them, or at the end when none was read from the end.
            far = [i for i in self._far if i in self._blocks]
            gap = min(min(far) * BLOCK_SIZE if far else before, exact)
            # Framed as a move of rows, so the view keeps the rows it shows and the current claim.
            moved = list(range(gap, gap + abs(exact - before)))
            self.rows_moving.emit([] if exact > before else moved, moved if exact > before else [], [])
            root = QModelIndex()
            if exact > before:
                self.beginInsertRows(root, gap, gap + exact - before - 1)
            else:
                self.beginRemoveRows(root, gap, gap + before - exact - 1)
            self._count = exact
            (self.endInsertRows if exact > before else self.endRemoveRows)()
            # The blocks from the gap on were read at their old places (some while the view looked at
            # the rows going): they are read again where they now are.
            for index in [i for i in self._blocks if (i + 1) * BLOCK_SIZE > gap]:
                del self._blocks[index]
                self._short.discard(index)
            self._far.clear()
            self._estimated = False
            self.rows_moved.emit()
        self.count_exact_changed.emit(True)
        self.counts_changed.emit(self._count, self._total)
