"""Render the main window on the sample workspace to ``docs/screenshot.png`` (offscreen, 1400×860).

The sample is imported into a temporary workspace (the user's default workspace
and settings are never touched). A contested claim is selected so the detail
pane shows a full explanation, and another claim is pinned so the status bar
shows the pinned claim, as in a real linking pass.

    python scripts/screenshot.py [--dark] [-o docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.ui.theme import dark_palette  # noqa: E402

WIDTH, HEIGHT = 1400, 860


def render(output: Path, *, dark: bool) -> Path:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")  # the same look on every machine that renders the docs
    if dark:
        app.setPalette(dark_palette())
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CONFIG_HOME"] = str(Path(folder) / "settings")  # never the user's own settings file
        from desktop.core.interchange import import_json
        from desktop.core.workspace import SAMPLE_WORKSPACE, open_workspace
        from desktop.ui.session import WorkspaceSession
        from desktop.ui.window.main_window import MainWindow

        workspace = open_workspace(str(Path(folder) / "bakhmut-2022-12.sqlite"), analyst="analyst")
        import_json(workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
        with workspace.engine.connect() as connection:
            ids = {e: i for i, e in connection.exec_driver_sql("SELECT id, ext_id FROM claim").all()}
        session = WorkspaceSession(workspace)
        window = MainWindow(session)
        window.resize(WIDTH, HEIGHT)
        window.show()
        session.set_pinned(ids["c-breach"])  # the Telegram channel's breach claim, as when linking its relays
        window.table.select_claim(ids["c-genstaff-repelled"])  # contested: supporters and contradictors explained
        window.table.setFocus(Qt.FocusReason.OtherFocusReason)
        window.status.hint("Pinned. Move to another claim and press c / x / n / r to link it to this one.")
        for _ in range(3):
            app.processEvents()
        output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(output))
        window.close()
        session.undo_stack.clear()
        workspace.close()
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true", help="render with a dark palette")
    parser.add_argument("-o", "--output", type=Path, help="PNG to write (default docs/screenshot[-dark].png)")
    args = parser.parse_args()
    output = args.output or ROOT / "docs" / ("screenshot-dark.png" if args.dark else "screenshot.png")
    print(render(output, dark=args.dark))
    return 0


if __name__ == "__main__":
    sys.exit(main())
