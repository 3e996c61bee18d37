"""CROSSCHECK: the application's own workspace opening, session, ``ClaimTable`` and ``ClaimTableModel``.

Every step goes through the same entry points the window uses: ``open_workspace``
→ ``WorkspaceSession`` → ``ClaimTable`` (which makes its ``ClaimTableModel``);
page down and the last row are the table's ``move_page`` and ``last`` (what the
keymap's actions call); a filter is ``ClaimTableModel.set_filter`` with the text
the analyst would type in the filter bar (the bar's typing debounce is not
counted); a link is ``session.perform(store.set_link …)`` — the one write path,
which re-derives the affected statuses in the same transaction and broadcasts
the change the table repaints from.
"""

from __future__ import annotations

import importlib
from typing import Any

from bench.common import flush_deletes, painted, show_view


class Crosscheck:
    name = "crosscheck"

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.workspace: Any = None
        self.session: Any = None
        self.table: Any = None

    def open(self) -> None:
        # The window's package first, as the application's start imports it (desktop.ui.app) before the
        # core: its __init__ sets up how PySide6's import hook reads the modules imported after it.
        importlib.import_module("desktop.ui")
        from desktop.core.workspace import open_workspace
        from desktop.ui.session import WorkspaceSession
        from desktop.ui.table.view import ClaimTable

        self.workspace = open_workspace(self.plan["db"], analyst="bench")
        self.session = WorkspaceSession(self.workspace)
        self.table = ClaimTable(self.session)
        show_view(self.table)
        painted(self.table)

    def close(self) -> None:
        if self.table is not None:
            self.table.close()
            self.table.deleteLater()
        if self.session is not None:
            self.session.undo_stack.clear()
            self.session.deleteLater()
        flush_deletes()
        if self.workspace is not None:
            self.workspace.close()
        self.table = self.session = self.workspace = None

    @property
    def model(self) -> Any:
        return self.table.claim_model

    def top(self) -> None:
        self.table.first()
        painted(self.table)

    def page_down(self) -> None:
        self.table.move_page(1)
        painted(self.table)

    def prepare_last(self) -> None:
        """A fresh model, as after opening (the previous run cached the last block)."""
        self.model.reload()
        self.top()

    def last(self) -> None:
        self.table.last()
        painted(self.table)

    def apply_text(self, text: str) -> None:
        message = self.model.set_filter(text)
        if message:
            raise RuntimeError(f"filter {text!r}: {message}")
        painted(self.table)

    def unfilter(self) -> None:
        self.model.set_filter("")
        self.top()

    def mark(self, a: int, b: int) -> None:
        outcome = self.session.perform(lambda store: store.set_link(a, b, "corroborates", "bench"), "mark corroborates")
        if not outcome.ok:
            raise RuntimeError(f"marking {a} → {b} was refused")
        painted(self.table)

    def unmark(self) -> None:
        self.session.undo()
        painted(self.table)

    def ids(self, rows: range) -> list[int]:
        return [i for i in (self.model.claim_id(r) for r in rows) if i is not None]

    def visible_ids(self) -> dict[str, Any]:
        # Untimed: a count shown as an estimate (PostgreSQL, a filter matching many claims) is exact once the
        # background count has arrived; the harness compares it with SQL's count.
        from PySide6.QtWidgets import QApplication

        self.model.wait_for_count()
        QApplication.processEvents()
        first = self.table.rowAt(0)
        last = self.table.rowAt(self.table.viewport().height() - 2)
        if last < 0:
            last = self.model.rowCount() - 1
        return {"first": self.ids(range(first, first + 1)), "last": self.ids(range(last, last + 1)),
                "rows": self.model.rowCount()}  # fmt: skip
