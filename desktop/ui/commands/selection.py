"""Commands on the selected claims that are not edits: copy as citation, copy ids, select all, add a tag.

Copying puts plain text on the clipboard: one citation (or id) per selected
claim, in table order. Adding a tag asks for it once and tags every selected
claim in one transaction — one undo step (``Store.batch``).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit

from desktop.core.errors import UserError
from desktop.core.read.citation import citations, ext_ids
from desktop.core.store import Result, Store
from desktop.core.validate import check_label
from desktop.ui.commands.host import CommandHost
from desktop.ui.commands.keymap import undo_keys
from desktop.ui.table.view import ClaimTable


def _tag(store: Store, *, claim: int, tag: str) -> Result:
    return store.add_tag(claim, tag)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class SelectionCommands(QObject):
    def __init__(self, host: CommandHost, table: ClaimTable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.table = table
        for name, slot in (
            ("claim.copy_citation", self.copy_citation),
            ("claim.copy_id", self.copy_id),
            ("claim.select_all", self.select_all),
            ("claim.tag_add", self.add_tag),
        ):
            host.bind(name, slot)

    def targets(self) -> list[int]:
        claims = self.table.selected_claims()
        if not claims:
            raise UserError("no claim selected")
        return claims

    def copy_citation(self) -> None:
        claims = self.targets()
        with self.host.session.engine.connect() as connection:
            found = citations(connection, claims)
        QGuiApplication.clipboard().setText("\n\n".join(found))
        self.host.hint(f"Copied the citation of {plural(len(found), 'claim')}.")
        self.host.back_to_table()

    def copy_id(self) -> None:
        claims = self.targets()
        with self.host.session.engine.connect() as connection:
            found = ext_ids(connection, claims)
        QGuiApplication.clipboard().setText("\n".join(found))
        self.host.hint(f"Copied {found[0]}." if len(found) == 1 else f"Copied {plural(len(found), 'id')}.")
        self.host.back_to_table()

    def select_all(self) -> None:
        self.table.selectAll()
        count = len(self.table.selectionModel().selectedRows())
        self.host.hint(f"Selected {plural(count, 'claim')} — the review keys now act on all of them.")

    def add_tag(self) -> None:
        claims = self.targets()
        tag, accepted = QInputDialog.getText(
            self.host.dialog_parent(),
            "Add tag",
            f"Tag to add to {plural(len(claims), 'selected claim')}:",
            QLineEdit.EchoMode.Normal,
        )
        self.host.after_dialog()
        tag = " ".join(tag.split())
        if not accepted or not tag:
            return
        problem = check_label(tag)
        if problem:
            raise UserError(f"the tag {problem}")
        writes = [partial(_tag, claim=c, tag=tag) for c in claims]
        what = f"tag {plural(len(claims), 'claim')} “{tag}”"
        outcome = self.host.session.perform(lambda store: store.batch(writes, what), what)
        if outcome.changed:
            self.host.hint(f"Tagged {plural(len(claims), 'claim')} “{tag}” — {undo_keys()} undoes.")
        elif outcome.ok:
            self.host.hint(f"Every selected claim already has the tag “{tag}”.")
        self.host.back_to_table()
