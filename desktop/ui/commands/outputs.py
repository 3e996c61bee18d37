"""File → Export brief…: hands the filtered claims on as a brief, a STIX bundle or ClaimReview.

The command asks the ``ExportRunner`` (``desktop/ui/outputs/export_dialog.py``)
for the dialog and the background job; it only knows the host: the table's
filter (the claims to export, editable in the dialog), where to say what
happened, and the folder the last file went to.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from desktop.ui.commands.host import CommandHost
from desktop.ui.outputs.export_dialog import ExportRunner
from desktop.ui.settings import FOLDER, app_settings, read_text


class OutputCommands(QObject):
    def __init__(self, host: CommandHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.runner: ExportRunner | None = None
        host.bind("file.export_brief", self.export_brief)

    def export_brief(self) -> None:
        session = self.host.session
        runner = ExportRunner(session.engine, self.host.dialog_parent())
        runner.finished.connect(self._finished)
        runner.problem.connect(self._problem)
        folder = read_text(app_settings(), FOLDER) or str(Path.home())
        title = f"Brief: {Path(session.workspace.label).stem}"
        request = runner.ask(self.host.filter_text(), title, folder)
        self.host.after_dialog()
        if request is None:
            return
        app_settings().setValue(FOLDER, str(request.path.parent))
        self.runner = runner  # kept alive until its job reports back
        runner.start(request)

    def _finished(self, line: str) -> None:
        self.host.hint(line, 15000)
        self.host.back_to_table()

    def _problem(self, line: str) -> None:
        self.host.error(f"Export: {line}")
        self.host.back_to_table()

    def wait(self) -> None:
        """Block until an export in flight has finished (the window closing; tests)."""
        if self.runner is not None:
            self.runner.wait()
