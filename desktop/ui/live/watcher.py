"""``LiveWatcher``: notices commits made by anyone else and hands their ``Change`` to the session.

How it notices, cheaply, a few times a second:

- SQLite: ``PRAGMA data_version`` on a connection of its own, which changes
  whenever another connection (another window, a script, the command line)
  commits to the file;
- PostgreSQL: ``LISTEN`` on the channel the audit trigger notifies after each
  write (payload empty: the audit trail says what changed). A dropped connection
  is said once in the status bar, retried every few seconds, and, once back,
  the feed catches up from the last audit row it had seen — nothing is missed.

What changed comes from ``desktop.core.live.AuditFeed``; the session broadcasts it
as it does its own writes, so the table keeps its place and selection, the
detail pane keeps the text being typed, and only the named claims repaint.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core import db
from desktop.core.live import CHANNEL, AuditFeed
from desktop.core.store import Change
from desktop.ui.session import WorkspaceSession

TICK_MS = 250
_RETRY_TICKS = 12  # a lost PostgreSQL connection is retried every 3 s


class LiveWatcher(QObject):
    problem = Signal(str)  # one line for the status bar: the connection is lost
    connection = Signal(bool, str)  # whether the workspace is reachable now, and what to say about it

    def __init__(self, session: WorkspaceSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._feed: AuditFeed | None = None
        self._sqlite: sqlite3.Connection | None = None
        self._version: int | None = None
        self._listener: Any = None
        self._lost = 0  # ticks since the PostgreSQL connection was lost (0: connected)
        session.workspace_replaced.connect(self.start)
        session.changed.connect(self._on_own_change)
        # A write that failed for want of a connection is news too (the listener may not have noticed yet).
        session.connection_lost.connect(lambda message: self._connection_lost(ConnectionError(message)))
        self.start()

    def start(self) -> None:
        """Follow the session's (current) workspace from now on."""
        self.stop()
        engine = self._session.engine
        self._feed = AuditFeed(engine)
        path = db.sqlite_path(engine)
        if path is not None:
            self._sqlite = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self._version = self._data_version()
        elif engine.dialect.name == "postgresql":
            self._listen()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        self._close_listener()

    def check_now(self) -> None:
        """Look for changes at once (the timer does this every ``TICK_MS``)."""
        self._tick()

    def _on_own_change(self, change: Change) -> None:
        # This window's own write is on screen already: its audit rows are not news when the feed reads them.
        if not change.remote and change.audit_span is not None and self._feed is not None:
            self._feed.skip(change.audit_span)

    # --- the tick ------------------------------------------------------------------------------

    def _tick(self) -> None:
        if self._sqlite is not None:
            version = self._data_version()
            if version != self._version:
                self._version = version
                self._catch_up()
        elif self._listener is not None or self._lost:
            self._poll_listener()

    def _catch_up(self) -> None:
        if self._feed is None:
            return
        try:
            change = self._feed.catch_up()
        except Exception as exc:  # noqa: BLE001 - a database gone away is told, never raised into Qt
            self._connection_lost(exc)
            return
        if change is not None:
            self._session.changed.emit(change)

    def _data_version(self) -> int | None:
        assert self._sqlite is not None
        try:
            return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    # --- PostgreSQL --------------------------------------------------------------------------------

    def _listen(self) -> None:
        import psycopg

        url = self._session.engine.url.set(drivername="postgresql")
        try:
            self._listener = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            self._listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            self._listener = None
            self._connection_lost(exc)

    def _poll_listener(self) -> None:
        import psycopg

        if self._listener is None:
            self._lost += 1
            if self._lost % _RETRY_TICKS == 0:
                self._listen()
                if self._listener is not None:
                    self._lost = 0
                    self.connection.emit(True, "connection to the workspace is back — showing what changed meanwhile")
                    self._catch_up()
            return
        try:
            heard = sum(1 for _ in self._listener.notifies(timeout=0, stop_after=1000))
        except psycopg.Error as exc:
            self._connection_lost(exc)
            return
        if heard:
            self._catch_up()

    def _connection_lost(self, exc: Exception) -> None:
        if self._lost == 0 and self._session.engine.dialect.name == "postgresql":
            self._close_listener()
            self._lost = 1
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            lost = f"lost the connection to the workspace ({first}); your edits stay here — reconnecting…"
            self.problem.emit(lost)
            self.connection.emit(False, lost)

    def _close_listener(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # noqa: BLE001, S110 - closing a dead connection
                pass
            self._listener = None
