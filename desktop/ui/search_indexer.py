"""``SearchIndexer``: builds, in the background, the search index an import left for later (SQLite).

The window's import commits its claims without indexing their words
(``desktop.core.store.search_index`` says why); straight after it — and on
opening a workspace an earlier session left half-indexed — this runs
``index_pending`` on a pool thread with its own connections, a short write
transaction per batch, so the window stays usable and its own writes wait at
most one batch. It reports how many claims still wait (the window's status bar
and filter bar say so) and when it is done (the window re-runs the filter).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.ui.session import WorkspaceSession


class _IndexJob(QObject):
    """``index_pending`` on a pool thread; the signals cross back to the window's thread (queued)."""

    progressed = Signal(int)  # claims still waiting
    done = Signal(int)  # claims indexed
    failed = Signal(str)

    def __init__(self, engine: Any) -> None:
        super().__init__()
        self._engine = engine

    def run(self) -> None:
        from desktop.core.store.search_index import index_pending

        try:
            indexed = index_pending(self._engine, progress=self.progressed.emit)
        except Exception as error:  # noqa: BLE001 — a locked or full disk: said in the status bar, retried later
            self.failed.emit(str(error).splitlines()[0] if str(error) else type(error).__name__)
        else:
            self.done.emit(indexed)


class SearchIndexer(QObject):
    """Starts ``index_pending`` when claims wait for the search index; one job at a time."""

    progressed = Signal(int)  # claims still waiting
    finished = Signal(int)  # claims indexed
    failed = Signal(str)  # why it stopped (the claims still wait; the next start carries on)

    def __init__(self, session: WorkspaceSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._job: _IndexJob | None = None

    @property
    def running(self) -> bool:
        return self._job is not None

    def waiting(self) -> int:
        """Claims of the session's workspace that the search does not find yet."""
        from desktop.core.store.search_index import waiting_claims

        with self._session.engine.connect() as connection:
            return waiting_claims(connection)

    @property
    def session(self) -> WorkspaceSession:
        return self._session

    def start(self) -> bool:
        """Start building the index if claims wait for it (and no job runs); whether a job runs now."""
        if self._job is not None:
            return True
        if self._session.engine.dialect.name != "sqlite" or not self.waiting():
            return False
        job = _IndexJob(self._session.engine)
        job.progressed.connect(self.progressed)
        job.done.connect(self._done)
        job.failed.connect(self._failed)
        self._job = job  # kept alive until its signals have arrived
        self.pool.start(job.run)
        return True

    def wait(self) -> None:
        """Block until the running job has finished (tests; closing the window)."""
        self.pool.waitForDone()

    def _done(self, indexed: int) -> None:
        self._job = None
        self.finished.emit(indexed)

    def _failed(self, reason: str) -> None:
        self._job = None
        self.failed.emit(reason)


def attach(
    indexer: SearchIndexer,
    hint: Callable[[str], None],
    error: Callable[[str], None],
    refilter: Callable[[], None],
) -> None:
    """What the window says while the index is built, and what it does once it is ready."""

    def progressed(left: int) -> None:
        if left:  # 0: the finished message follows at once
            hint(f"Building the search index: {left:,} claims to go…")

    indexer.progressed.connect(progressed)
    indexer.failed.connect(
        lambda reason: error(f"the search index could not be finished ({reason}); it carries on at the next start")
    )

    def ready(indexed: int) -> None:
        indexer.session.refresh_all()  # counts and rows again: a word filter now finds the new claims
        refilter()
        hint(f"Search index ready ({indexed:,} claims indexed).")

    indexer.finished.connect(ready)
