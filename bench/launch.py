"""Whole-process start to a painted window: ``python -m bench.launch --db FILE [--peer] [--profile OUT]``.

Crosscheck: the same sequence as ``desktop.ui.app.run`` — the QApplication and
its configuration, ``open_workspace``, ``WorkspaceSession``, ``MainWindow``,
``show`` — then the event loop runs until the claim table's viewport has painted
once, and the process prints one JSON line and exits at once (``os._exit``: the
time to tear down is not start-up).

``--peer``: the textbook equivalent (QApplication, a ``QSQLITE`` connection, a
``QSqlQueryModel`` on the peer's query, a ``QTableView``), for comparison.

The line holds ``time.monotonic()`` at each phase; the parent subtracts its own
``time.monotonic()`` taken just before it started the process (the clock is
system-wide on Linux), so interpreter start-up and imports are included.
``--profile OUT`` writes a cProfile of everything after interpreter start-up.
The line also has the process's RSS and peak RSS at the first paint; ``--bare``
only creates the QApplication and reports those, as the baseline.
"""

from __future__ import annotations

import json
import os
import sys
import time

PHASES: dict[str, float] = {"main": time.monotonic()}


def _mark(name: str) -> None:
    PHASES[name] = time.monotonic()


def _crosscheck(db: str) -> object:
    from PySide6.QtWidgets import QApplication  # noqa: F401

    from desktop.ui import app as ui_app

    _mark("imported_qt")
    qt_app = ui_app._application()
    ui_app._configure(qt_app)
    _mark("qapplication")
    from desktop.ui.start import launch

    # The start sequence of ``desktop.ui.app.run``: a fast start paints the window's frame and the claim
    # table's first screen before the workspace is opened with SQLAlchemy and the rest is built.
    started = launch(db)
    assert started is not None
    window = started.window
    ui_app.install_excepthook(window)
    window.resize(1600, 1000)
    _mark("shown")
    if window.is_ready:
        _mark("ready")  # the full path: built whole before it was shown
    else:
        window.ready.connect(lambda: _mark("ready"))
    STARTED.append(started)
    return window.table


STARTED: list[object] = []  # keeps the launch (and its window) alive


def _peer(db: str) -> object:
    from PySide6.QtSql import QSqlDatabase, QSqlQueryModel
    from PySide6.QtWidgets import QApplication, QTableView

    from bench import sql

    _mark("imported_qt")
    qt_app = QApplication(sys.argv[:1])
    _mark("qapplication")
    connection = QSqlDatabase.addDatabase("QSQLITE")
    connection.setDatabaseName(db)
    connection.open()
    model = QSqlQueryModel(qt_app)
    model.setQuery(sql.table(), connection)
    _mark("workspace_open")
    view = QTableView()
    view.setModel(model)
    view.setColumnHidden(0, True)
    view.resize(1600, 1000)
    view.show()
    _mark("shown")
    return view


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--peer", action="store_true")
    parser.add_argument("--profile")
    parser.add_argument("--bare", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.common import status_kb

    if args.bare:
        from PySide6.QtWidgets import QApplication

        bare = QApplication(sys.argv[:1])
        bare.processEvents()
        print(json.dumps({"rss_kb": status_kb("VmRSS"), "peak_kb": status_kb("VmHWM")}), flush=True)
        os._exit(0)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    view = _peer(args.db) if args.peer else _crosscheck(args.db)

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched: object, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and "painted" not in PHASES:
                # Let this paint finish before stopping: the time is taken when the event loop comes back.
                # exit(), not quit(): Qt 6's quit() closes the windows first, which is not start-up.
                PHASES["paint_started"] = time.monotonic()
                QApplication.instance().exit(0)  # type: ignore[union-attr]
            return False

    watcher = FirstPaint()
    view.viewport().installEventFilter(watcher)  # type: ignore[attr-defined]
    QApplication.instance().exec()  # type: ignore[union-attr]
    _mark("painted")
    used = os.times()  # CPU time to the first paint: steadier than the wall clock on a busy machine
    first_paint = {
        "rss_kb": status_kb("VmRSS"),
        "peak_kb": status_kb("VmHWM"),
        "cpu_ms": (used.user + used.system) * 1000,
    }
    if not args.peer and "ready" not in PHASES:
        # A fast start: the rest of the window is built right after the first paint. Wait for it, so the
        # phases show when the window was whole, and the memory is the whole window's.
        from PySide6.QtCore import QTimer

        def until_ready() -> None:
            if "ready" in PHASES:
                QApplication.instance().exit(0)  # type: ignore[union-attr]
            else:
                QTimer.singleShot(1, until_ready)

        QTimer.singleShot(0, until_ready)
        QApplication.instance().exec()  # type: ignore[union-attr]
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    rows = view.model().rowCount()  # type: ignore[attr-defined]
    memory = {"rss_kb": status_kb("VmRSS"), "peak_kb": status_kb("VmHWM")}
    print(json.dumps({"phases": PHASES, "rows": rows, **memory, "first_paint": first_paint}), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
