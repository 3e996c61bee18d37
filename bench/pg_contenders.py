"""The PEER and the FLOOR on PostgreSQL: the same steps as ``bench.peer`` and ``bench.floor``, the same SQL.

- **PgPeer**: ``QSqlQueryModel`` in a plain ``QTableView`` over Qt's own PostgreSQL
  driver (``QPSQL``, shipped with PySide6 and loading the system's libpq): the
  textbook way to show a PostgreSQL table in Qt. It is ``bench.peer.Peer`` with
  another connection and the PostgreSQL spelling of three statements.
- **PgFloor**: raw ``psycopg`` (3, the driver Crosscheck uses), the statement each
  step needs and nothing else: no Qt model, no painting.

Both run the statements of ``bench.sql`` (the columns the table shows, newest
first); a free-text filter is the very condition Crosscheck compiles for the
text, ``c.search @@ '…'::tsquery`` (and, for a word naming a place, the claims
tagged with it), which ``bench.scale_postgres`` puts in the plan.

QPSQL, like QSQLITE, fetches as the view scrolls only when its query is
forward-only; ``QSqlQueryModel`` needs a scrollable query, so the driver reads
the whole result into client memory (libpq's ``PQexec``) before the first row
is shown — what the textbook model really costs on PostgreSQL.
"""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import urlsplit

from bench import sql
from bench.common import FLOOR_PAGE
from bench.peer import Peer, _mark_sql


def last_page(limit: int = FLOOR_PAGE) -> str:
    """``sql.last_page`` with the alias PostgreSQL wants on a subquery in FROM."""
    inner = f"SELECT {sql.COLUMNS}, c.sort_date AS k {sql.FROM} {sql.OLDEST_FIRST} LIMIT {limit}"
    return f"SELECT * FROM ({inner}) AS last_rows ORDER BY k DESC, id DESC"


def _restore_sql(saved: list[tuple[Any, ...]]) -> list[str]:
    return [
        f"UPDATE claim SET status = '{status}', suggested_credibility = {int(suggested)}, "
        f"verdict_disputed = {'true' if disputed else 'false'}, link_count = {int(links)} WHERE id = {int(ident)}"
        for status, suggested, disputed, links, ident in saved
    ]


class PgPeer(Peer):
    """``bench.peer.Peer`` over ``QPSQL``."""

    def open(self) -> None:
        from PySide6.QtSql import QSqlDatabase, QSqlQueryModel
        from PySide6.QtWidgets import QTableView

        from bench.common import painted, show_view

        self.connection = f"pg-peer-{next(_numbers)}"
        parts = urlsplit(self.plan["db"])
        db = QSqlDatabase.addDatabase("QPSQL", self.connection)
        db.setHostName(parts.hostname or "127.0.0.1")
        db.setPort(parts.port or 5432)
        db.setUserName(parts.username or "postgres")
        db.setDatabaseName(parts.path.lstrip("/"))
        if not db.open():
            raise RuntimeError(db.lastError().text())
        self.db = db
        self.model = QSqlQueryModel()
        self.sql = sql.table()
        self._set_query(self.sql)
        view = QTableView()
        view.setModel(self.model)
        view.setColumnHidden(0, True)
        show_view(view)
        self.view = view
        painted(view)

    def restore(self, a: int, b: int) -> None:
        from PySide6.QtSql import QSqlQuery

        assert self.db is not None
        self.db.transaction()
        query = QSqlQuery(self.db)
        query.exec(f"DELETE FROM link WHERE from_id = {int(a)} AND to_id = {int(b)}")
        for statement in _restore_sql(self.saved):
            query.exec(statement)
        query.finish()
        self.db.commit()


_numbers = itertools.count()


class PgFloor:
    """The raw psycopg statement each step needs (see ``bench.floor.Floor``, its SQLite twin)."""

    name = "floor"

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.con: Any = None
        self.rows: list[tuple[Any, ...]] = []
        self.where = ""
        self.saved: list[tuple[Any, ...]] = []

    def open(self) -> None:
        import psycopg

        self.con = psycopg.connect(self.plan["db"], autocommit=True)
        self.rows = self.con.execute(sql.page()).fetchall()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
        self.con = None

    def top(self) -> None:
        self.rows = self.con.execute(sql.page(self.where)).fetchall()

    def page_down(self) -> None:
        last = self.rows[-1]
        statement = sql.after_key(FLOOR_PAGE).replace("?", "%s")
        self.rows = self.con.execute(statement, (last[4], last[0])).fetchall()

    def prepare_last(self) -> None:
        self.top()

    def last(self) -> None:
        self.rows = self.con.execute(last_page(FLOOR_PAGE)).fetchall()

    def apply(self, where: str) -> None:
        self.where = where
        self.rows = self.con.execute(sql.page(where, FLOOR_PAGE)).fetchall()

    def unfilter(self) -> None:
        self.apply("")

    def count(self, where: str) -> int:
        return int(self.con.execute(sql.count(where)).fetchone()[0])

    def mark(self, a: int, b: int) -> None:
        with self.con.transaction():
            for statement in _mark_sql(a, b):
                self.con.execute(statement)
        self.rows = self.con.execute(sql.page(self.where, FLOOR_PAGE)).fetchall()

    def save(self, a: int, b: int) -> None:
        self.saved = self.con.execute(
            "SELECT status, suggested_credibility, verdict_disputed, link_count, id FROM claim WHERE id IN (%s, %s)",
            (a, b),
        ).fetchall()

    def restore(self, a: int, b: int) -> None:
        with self.con.transaction():
            self.con.execute("DELETE FROM link WHERE from_id = %s AND to_id = %s", (a, b))
            for statement in _restore_sql(self.saved):
                self.con.execute(statement)

    def visible_ids(self) -> dict[str, Any]:
        return {"first": [self.rows[0][0]] if self.rows else [], "last": [self.rows[-1][0]] if self.rows else []}
