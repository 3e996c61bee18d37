"""The PEER: ``QSqlQueryModel`` in a ``QTableView``, the textbook Qt way to show a SQL table.

It reads through Qt's own SQLite driver (``QSQLITE``), which cannot call
Crosscheck's ``cc_fold`` function; reading never needs it (only the FTS
triggers on claim text and source names do), and the peer's link write updates
neither, so it works read-write for what the steps ask.

QSqlQueryModel fetches lazily: it shows the first 256 rows and fetches more as
the view scrolls to the end of what it has; the scroll bar therefore describes
the rows fetched so far, not the table. Reaching the last row of the table means
``while model.canFetchMore(): model.fetchMore()`` — which the step measures, with
its memory.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from bench import sql
from bench.common import flush_deletes, painted, show_view

_names = itertools.count()


class Peer:
    name = "peer"

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.db: QSqlDatabase | None = None
        self.connection = ""
        self.model: QSqlQueryModel | None = None
        self.view: QTableView | None = None
        self.sql = sql.table()
        self.saved: list[tuple[Any, ...]] = []

    # --- open / close ------------------------------------------------------------------------

    def open(self) -> None:
        self.connection = f"peer-{next(_names)}"
        db = QSqlDatabase.addDatabase("QSQLITE", self.connection)
        db.setDatabaseName(self.plan["db"])
        if not db.open():
            raise RuntimeError(db.lastError().text())
        self.db = db
        self.model = QSqlQueryModel()
        self.sql = sql.table()
        self._set_query(self.sql)
        view = QTableView()
        view.setModel(self.model)
        view.setColumnHidden(0, True)  # the claim id, kept for cross-checks
        show_view(view)
        self.view = view
        painted(view)

    def close(self) -> None:
        if self.view is not None:
            self.view.close()
            self.view.setModel(None)
            self.view.deleteLater()
        self.view = None
        if self.model is not None:
            self.model.clear()
            self.model.deleteLater()
        self.model = None
        flush_deletes()
        if self.db is not None:
            self.db.close()
        self.db = None
        QSqlDatabase.removeDatabase(self.connection)

    def _set_query(self, text: str) -> None:
        assert self.model is not None and self.db is not None
        self.model.setQuery(text, self.db)
        if self.model.lastError().isValid():
            raise RuntimeError(self.model.lastError().text())

    # --- steps -------------------------------------------------------------------------------

    def top(self) -> None:
        assert self.view is not None
        self.view.scrollToTop()
        self.view.setCurrentIndex(self.view.model().index(0, 1))
        painted(self.view)

    def page_down(self) -> None:
        assert self.view is not None
        QTest.keyClick(self.view, Qt.Key.Key_PageDown)
        painted(self.view)

    def prepare_last(self) -> None:
        """A fresh query, as after opening (the previous run fetched everything)."""
        self._set_query(self.sql)
        self.top()

    def last(self) -> None:
        assert self.model is not None and self.view is not None
        while self.model.canFetchMore():
            self.model.fetchMore()
        QTest.keyClick(self.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        painted(self.view)

    def apply(self, where: str) -> None:
        """Filter (fields or full-text): a new query, repainted."""
        assert self.view is not None
        self.sql = sql.table(where)
        self._set_query(self.sql)
        painted(self.view)

    def unfilter(self) -> None:
        self.apply("")
        self.top()

    def mark(self, a: int, b: int) -> None:
        """Write the link and the two rows' derived columns, then re-run the query: QSqlQueryModel's refresh."""
        assert self.db is not None and self.view is not None
        self.db.transaction()
        query = QSqlQuery(self.db)
        for statement in _mark_sql(a, b):
            if not query.exec(statement):
                self.db.rollback()
                raise RuntimeError(query.lastError().text())
        query.finish()
        self.db.commit()
        self._set_query(self.sql)
        painted(self.view)

    def save(self, a: int, b: int) -> None:
        """Remember the two rows' derived columns (untimed), for ``restore``."""
        assert self.db is not None
        query = QSqlQuery(self.db)
        query.exec(f"SELECT status, suggested_credibility, verdict_disputed, link_count, id FROM claim "
                   f"WHERE id IN ({int(a)}, {int(b)})")  # fmt: skip
        self.saved = []
        while query.next():
            self.saved.append(tuple(query.value(i) for i in range(5)))
        query.finish()

    def restore(self, a: int, b: int) -> None:
        """Undo ``mark`` (untimed). Through Qt's own SQLite: a second SQLite library writing the same file from
        this process would break SQLite's POSIX locking (both are in one process), so sqlite3 is not used here."""
        assert self.db is not None
        self.db.transaction()
        query = QSqlQuery(self.db)
        query.exec(f"DELETE FROM link WHERE from_id = {int(a)} AND to_id = {int(b)}")
        for status, suggested, disputed, links, ident in self.saved:
            query.exec(
                f"UPDATE claim SET status = '{status}', suggested_credibility = {int(suggested)}, "
                f"verdict_disputed = {int(disputed)}, link_count = {int(links)} WHERE id = {int(ident)}"
            )
        query.finish()
        self.db.commit()

    # --- checks ------------------------------------------------------------------------------

    def ids(self, rows: range) -> list[int]:
        assert self.model is not None
        return [int(self.model.index(r, 0).data()) for r in rows if r < self.model.rowCount()]

    def visible_ids(self) -> dict[str, Any]:
        assert self.view is not None and self.model is not None
        first = self.view.rowAt(0)
        last = self.view.rowAt(self.view.viewport().height() - 2)
        if last < 0:
            last = self.model.rowCount() - 1
        return {"first": self.ids(range(first, first + 1)), "last": self.ids(range(last, last + 1)),
                "rows": self.model.rowCount()}  # fmt: skip


def _mark_sql(a: int, b: int) -> list[str]:
    return [
        "INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded) "
        f"VALUES ({a}, {b}, 'corroborates', 'bench', 'bench', '2025-07-01 00:00:00.000000')",
        f"UPDATE claim SET status = 'corroborated', suggested_credibility = 1, link_count = link_count + 1 "
        f"WHERE id IN ({a}, {b})",
    ]
