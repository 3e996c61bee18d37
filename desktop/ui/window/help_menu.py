"""The window's own help: the command palette, the cheat sheet, reporting a problem, About.

Moved out of ``main_window`` unchanged: each is a function of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from desktop.ui.commands.keymap import KEYMAP

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow


def open_palette(window: MainWindow) -> None:
    from desktop.ui.commands.palette import Command, CommandPalette

    window.update_actions()
    commands = [Command(entry, window.named_actions[entry.name]) for entry in KEYMAP]
    if window.palette_popup is not None:
        window.palette_popup.deleteLater()
    window.palette_popup = CommandPalette(commands, window)
    window.palette_popup.open_over(window)


def open_cheatsheet(window: MainWindow) -> None:
    if window.cheatsheet is None:
        from desktop.ui.commands.cheatsheet import CheatSheet

        window.cheatsheet = CheatSheet(window)
        window.cheatsheet.finished.connect(lambda _result: window.after_dialog())
    window.cheatsheet.search.clear()
    window.cheatsheet.open()
    window.cheatsheet.search.setFocus()


def report_problem(window: MainWindow) -> None:
    from desktop.ui.dialogs.report_problem import ReportProblemDialog

    dialog = ReportProblemDialog(window)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
    window.after_dialog()


def about(window: MainWindow) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("crosscheck")
    except PackageNotFoundError:
        number = "development"
    QMessageBox.about(
        window,
        "About Crosscheck",
        f"Crosscheck {number}\n\nTrack claims from many sources, link them, and see each claim's "
        "verification status derived from the links — with its reasons.\n\nLicence: LGPL-3.0-or-later.",
    )
    window.after_dialog()
