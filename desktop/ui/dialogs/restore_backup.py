"""Tools → Restore from backup…: choose one of the workspace's backups, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.core.backups import Backup


class RestoreDialog(QDialog):
    def __init__(self, found: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        intro = QLabel(
            "Choose a backup. It is copied into a new file (the open workspace is not touched), "
            "which you can then open.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("backups")
        for backup in found:
            item = QListWidgetItem(backup.label)
            item.setData(Qt.ItemDataRole.UserRole, backup)
            item.setToolTip(str(backup.path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        restore = buttons.addButton("&Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        restore.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self.list.setFocus()

    def chosen(self) -> Backup | None:
        item = self.list.currentItem()
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, Backup) else None
