"""The FLOOR: the raw ``sqlite3`` query each step needs, and nothing else — no Qt model, no painting.

A page is ``FLOOR_PAGE`` rows of the same SELECT the peer runs (``bench.sql``):
open = connect + first page; page down = the next page by keyset; last row = the
last page, read from the other end of the index; a filter = its first page; a
link = insert it and update the two rows' derived columns in one ``BEGIN
IMMEDIATE`` transaction, then read the page again. Counting is not part of the
floor (a view could show an approximate scroll bar); the harness records what
an exact count would cost beside it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from bench import sql
from bench.common import FLOOR_PAGE
from bench.peer import _mark_sql


class Floor:
    name = "floor"

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.con: sqlite3.Connection | None = None
        self.rows: list[tuple[Any, ...]] = []
        self.where = ""
        self.saved: list[tuple[Any, ...]] = []

    def open(self) -> None:
        from desktop.core.sqlfunctions import register

        con = sqlite3.connect(self.plan["db"], isolation_level=None)
        register(con)  # the FTS triggers need it on any connection that writes
        self.con = con
        self.rows = con.execute(sql.page()).fetchall()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
        self.con = None

    def top(self) -> None:
        assert self.con is not None
        self.rows = self.con.execute(sql.page(self.where)).fetchall()

    def page_down(self) -> None:
        assert self.con is not None
        last = self.rows[-1]
        # The row key (sort_date, id): the shown day is sort_date (claimed, else the day recorded).
        self.rows = self.con.execute(sql.after_key(FLOOR_PAGE), (last[4], last[0])).fetchall()

    def prepare_last(self) -> None:
        self.top()

    def last(self) -> None:
        assert self.con is not None
        self.rows = self.con.execute(sql.last_page(FLOOR_PAGE)).fetchall()

    def apply(self, where: str) -> None:
        assert self.con is not None
        self.where = where
        self.rows = self.con.execute(sql.page(where, FLOOR_PAGE)).fetchall()

    def unfilter(self) -> None:
        self.apply("")

    def count(self, where: str) -> int:
        assert self.con is not None
        return int(self.con.execute(sql.count(where)).fetchone()[0])

    def mark(self, a: int, b: int) -> None:
        assert self.con is not None
        self.con.execute("BEGIN IMMEDIATE")
        for statement in _mark_sql(a, b):
            self.con.execute(statement)
        self.con.execute("COMMIT")
        self.rows = self.con.execute(sql.page(self.where, FLOOR_PAGE)).fetchall()

    def save(self, a: int, b: int) -> None:
        assert self.con is not None
        self.saved = self.con.execute(
            "SELECT status, suggested_credibility, verdict_disputed, link_count, id FROM claim WHERE id IN (?, ?)",
            (a, b),
        ).fetchall()

    def restore(self, a: int, b: int) -> None:
        """Undo ``mark`` (untimed)."""
        assert self.con is not None
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute("DELETE FROM link WHERE from_id = ? AND to_id = ?", (a, b))
        self.con.executemany(
            "UPDATE claim SET status = ?, suggested_credibility = ?, verdict_disputed = ?, link_count = ? WHERE id = ?",
            self.saved,
        )
        self.con.execute("COMMIT")

    def visible_ids(self) -> dict[str, Any]:
        return {"first": [self.rows[0][0]] if self.rows else [], "last": [self.rows[-1][0]] if self.rows else []}
