"""Preferences and the Tools menu: check (and repair) the workspace, restore a backup into a new file, add
the shipped gazetteer's places (a workspace other than the default one starts with none: ``core.gazetteer``).

Check runs the very checks of ``crosscheck check`` (``desktop.core.integrity``).
When something can be mended in place — the search index, the derived
statuses — the dialog offers to, and the repair first takes an online backup
beside the workspace (named in the result), then checks again. Restore lists the
workspace's backups (``desktop.core.backups``), copies the chosen one into a new
file and offers to open it; the workspace itself is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desktop.core import backups, db, integrity
from desktop.core.errors import UserError
from desktop.core.preferences import read_preferences
from desktop.ui.commands.host import CommandHost
from desktop.ui.commands.keymap import key_of


class ToolsCommands(QObject):
    def __init__(self, host: CommandHost, open_path: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._open_path = open_path
        for name, slot in (
            ("file.preferences", self.preferences),
            ("tools.check", self.check_workspace),
            ("tools.restore", self.restore_backup),
            ("tools.add_gazetteer", self.add_gazetteer),
        ):
            host.bind(name, slot)

    # --- preferences ----------------------------------------------------------------------------

    def preferences(self) -> None:
        from desktop.ui.dialogs.preferences import PreferencesDialog
        from desktop.ui.theme import apply_theme

        session = self.host.session
        dialog = PreferencesDialog(
            analyst_from_login=not db.is_sqlite(session.engine), parent=self.host.dialog_parent()
        )
        try:
            saved = dialog.exec() == PreferencesDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        self.host.after_dialog()
        if not saved:
            return
        chosen = read_preferences()
        if db.is_sqlite(session.engine):
            from desktop.core.workspace import default_analyst

            session.store.analyst = default_analyst()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, chosen.theme)
        self.host.hint(f"Preferences saved — you are recorded as “{session.store.analyst}”.")

    # --- check and repair -----------------------------------------------------------------------

    def check_workspace(self) -> None:
        from desktop.ui.dialogs.check_workspace import CheckDialog

        session = self.host.session
        problems = integrity.check(session.engine)
        dialog = CheckDialog(problems, self.host.dialog_parent())
        try:
            repair = dialog.exec() == CheckDialog.DialogCode.Accepted and bool(integrity.repairs(problems))
        finally:
            dialog.deleteLater()
        self.host.after_dialog()
        if repair:
            self.repair(problems)
        elif not problems:
            self.host.hint("The workspace is sound: no problem found.")

    def repair(self, problems: list[integrity.Problem]) -> None:
        from desktop.core.store.repair import repair

        session = self.host.session
        path = db.sqlite_path(session.engine)
        saved = db.backup(session.engine, backups.new_backup_path(path)) if path is not None else None
        done = repair(session.engine, integrity.repairs(problems))
        session.refresh_all()
        left = integrity.check(session.engine)
        backup_said = f"A backup from before the repair is at {saved}.\n\n" if saved else ""
        summary = "; ".join(done).capitalize() + "."
        if left:
            text = f"{summary}\n\n{backup_said}These problems remain (restore a backup to undo them):\n" + "\n".join(
                p.message for p in left[:30]
            )
            QMessageBox.warning(self.host.dialog_parent(), "Repair", text)
        else:
            QMessageBox.information(
                self.host.dialog_parent(), "Repair", f"{summary}\n\n{backup_said}The workspace is sound now."
            )
        self.host.after_dialog()
        self.host.hint(summary)

    # --- the shipped gazetteer ------------------------------------------------------------------

    def add_gazetteer(self) -> None:
        """The shipped gazetteer's places this workspace lacks, as one undoable step (``gazetteer``)."""
        from desktop.core.gazetteer import missing_places, shipped_places

        session = self.host.session
        offered = shipped_places()
        with session.engine.connect() as connection:
            lacking = len(missing_places(connection, offered))
        if not lacking:
            self.host.hint(f"This workspace already holds all {len(offered)} places of the shipped gazetteer.")
            return
        outcome = session.perform(lambda store: store.add_places(offered), "add the shipped gazetteer")
        if not outcome.changed:
            return  # refused (read-only view, a role that may not write): the session said why
        added = len(outcome.value)
        held = f" ({len(offered) - added} were already held)" if added < len(offered) else ""
        self.host.hint(
            f"Added {added} places of the shipped gazetteer{held}; {key_of('edit.undo')} takes them out again."
        )

    # --- restore --------------------------------------------------------------------------------

    def restore_backup(self) -> None:
        from desktop.ui.dialogs.restore_backup import RestoreDialog

        path = db.sqlite_path(self.host.session.engine)
        if path is None:
            raise UserError("restore works on SQLite workspaces; restore a PostgreSQL workspace with pg_restore")
        found = backups.list_backups(path)
        if not found:
            raise UserError(f"no backup of {path.name} was found beside it ({key_of('file.backup')} takes one)")
        dialog = RestoreDialog(found, self.host.dialog_parent())
        try:
            chosen = dialog.chosen() if dialog.exec() == RestoreDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
        self.host.after_dialog()
        if chosen is None:
            return
        suggested = path.with_name(f"{path.stem}.restored-{chosen.taken:%Y%m%dT%H%M%SZ}.sqlite")
        target, _ = QFileDialog.getSaveFileName(
            self.host.dialog_parent(), "Restore into a new file", str(suggested), "Crosscheck workspace (*.sqlite)"
        )
        self.host.after_dialog()
        if not target:
            return
        restored = backups.restore(chosen.path, Path(target))
        answer = QMessageBox.question(
            self.host.dialog_parent(),
            "Restore from backup",
            f"The backup of {chosen.taken:%Y-%m-%d %H:%M} UTC is restored into\n{restored}\n\nOpen it now?",
        )
        self.host.after_dialog()
        if answer == QMessageBox.StandardButton.Yes:
            self._open_path(str(restored))
        else:
            self.host.hint(f"Restored into {restored}")
