"""The main window's parts that need the open workspace, built by ``MainWindow.complete``.

A fast start (``desktop.ui.start``) paints the window's frame and the claim
table's first screen before SQLAlchemy and the rest of the core are imported;
this module, imported only then, builds everything else into that window: the
reader, the detail pane and the history under it (into the places the frame kept
for them in its splitter), the commands and menus, the views dock, the live
watcher, the search indexer, and the signals that tie them to the session. A
window built in one go (``MainWindow(session)``) runs the same code at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QSplitter, QVBoxLayout, QWidget

from desktop.ui import recent
from desktop.ui.commands.actions import WindowActions
from desktop.ui.commands.as_analyst import AsAnalystView
from desktop.ui.commands.files import FileCommands
from desktop.ui.commands.key_hints import TableKeyHints
from desktop.ui.commands.keymap import BY_NAME
from desktop.ui.commands.outputs import OutputCommands
from desktop.ui.commands.review import ReviewCommands
from desktop.ui.commands.selection import SelectionCommands
from desktop.ui.commands.tools import ToolsCommands
from desktop.ui.detail.pane import DetailPane
from desktop.ui.history.as_of_mode import AsOfMode
from desktop.ui.history.panel import HistoryHeading, HistoryPanel
from desktop.ui.live.watcher import LiveWatcher
from desktop.ui.reader.commands import CaptureCommands
from desktop.ui.reader.pane import ReaderPane
from desktop.ui.search_indexer import SearchIndexer, attach
from desktop.ui.session import WorkspaceSession
from desktop.ui.table.column_menu import install_column_menu
from desktop.ui.table.sort_menu import install_sort_menu
from desktop.ui.views.dock import ViewsDock
from desktop.ui.window.context_menu import install_detail_menu, install_table_menu
from desktop.ui.window.menus import COLUMNS, RECENT, SORT, build_menus
from desktop.ui.window.mnemonics import install_menu_keys

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow


def build_parts(window: MainWindow, session: WorkspaceSession) -> None:
    """Build the rest of ``window`` on ``session`` (see the module docstring)."""
    _build_panes(window, session)
    window.as_of = AsOfMode(
        session, window.banner, hint=window.status.hint, error=window.status.error,
        select_claim=window.table.select_claim, parent=window,
    )  # fmt: skip

    window.commands = WindowActions(window, window.table, panels={"reader": window.reader, "related": window.related})
    window.named_actions = window.commands.actions
    window.review = ReviewCommands(window, window.table, window)
    window.files = FileCommands(window, window)
    window.selection = SelectionCommands(window, window.table, window)
    window.tools = ToolsCommands(window, window.files.open_path, window)
    window.outputs = OutputCommands(window, window)
    window.as_analyst = AsAnalystView(window, window.table, window.detail, window.analyst_banner, window)
    window.views = ViewsDock(session, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.views)
    window.views.hide()  # opened by Ctrl+G / Ctrl+T / Ctrl+M
    window.views.select_claim.connect(window._select_from_view)
    window.views.go_to_claim.connect(window._go_to_claim)
    window.views.filter_requested.connect(window.filter_bar.set_text)
    window.views.message.connect(window.status.hint)
    window.capture = CaptureCommands(
        window, window.table, window.reader, window.related, window.show_filter, window.reveal_reader, window
    )
    window.files.reports_imported.connect(window._open_imported)
    # An import leaves its claims' search index for after it: built in the background.
    window.indexer = SearchIndexer(session, window)
    attach(window.indexer, window.status.hint, window.status.error, window._refilter)
    window.files.import_finished.connect(lambda imported: imported and window.indexer.start())
    window._connect_window_commands()
    build_menus(window, window.named_actions, window.menus)
    recent_menu = window.menus["File"].findChild(QMenu, RECENT)
    assert recent_menu is not None
    window.recent = recent.RecentMenu(recent_menu, window.files.open_path)
    columns_menu = window.menus["View"].findChild(QMenu, COLUMNS)
    assert columns_menu is not None
    install_column_menu(columns_menu, window.table)
    sort_menu = window.menus["View"].findChild(QMenu, SORT)
    assert sort_menu is not None
    install_sort_menu(sort_menu, window.table)
    window.table.column_menu_made.connect(install_menu_keys)  # the header's menu: letters, as every menu has
    window.table_menu = install_table_menu(window.table, window.named_actions, window.update_actions)
    window.detail_menu = install_detail_menu(window.detail, window.named_actions, window.update_actions)
    window.setAcceptDrops(True)  # a JSON file dropped anywhere on the window is imported
    window.key_hints = TableKeyHints(
        window, window.reason, lambda name: BY_NAME[name].label, window.status.hint, window.status.clear_if
    )
    window.table.installEventFilter(window.key_hints)

    session.error.connect(window.status.error)
    session.error_answered.connect(window.status.clear_error)
    # Changes committed elsewhere (another window, analyst or script) arrive through the session.
    window.live = LiveWatcher(session, window)
    window.live.problem.connect(window.status.error)
    window.connection_banner.follow(window.live, window.status.hint)
    session.pinned_changed.connect(window._show_pinned)
    session.changed.connect(window._on_changed)
    session.current_changed.connect(lambda _claim: window.update_actions())
    session.workspace_replaced.connect(window._on_workspace_replaced)
    stack = session.undo_stack
    for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged, stack.redoTextChanged):
        signal.connect(lambda *_: window.update_actions())
    window.table.claim_model.modelReset.connect(window.update_actions)
    window.filter_bar.filter_changed.connect(window.apply_filter)
    window.filter_bar.submitted.connect(window.back_to_table)
    window.filter_bar.escape_pressed.connect(window.back_to_table)
    model = window.table.claim_model
    bar = window.filter_bar
    model.counts_changed.connect(lambda shown, total: bar.set_counts(shown, total, model.count_is_exact()))
    window.filter_bar.set_counts(model.rowCount(), model.total_count(), model.count_is_exact())


def _build_panes(window: MainWindow, session: WorkspaceSession) -> None:
    """The reader and the detail pane with the claim's history under it, into the splitter's kept places."""
    window.detail = DetailPane(session)
    window.detail.setContentsMargins(0, 6, 0, 0)
    reader = ReaderPane(session)
    window.history = HistoryPanel(session)
    window.history_box = QWidget()
    box = QVBoxLayout(window.history_box)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    window.history_heading = HistoryHeading(session)
    box.addWidget(window.history_heading)
    box.addWidget(window.history, 1)
    # The claim's history under its detail pane: the pane keeps the room, the history what it needs.
    right = QSplitter(Qt.Orientation.Vertical)
    right.setObjectName("detailSplitter")
    right.addWidget(window.detail)
    right.addWidget(window.history_box)
    right.setStretchFactor(0, 3)
    right.setStretchFactor(1, 1)
    right.setSizes([750, 250])
    right.setChildrenCollapsible(False)
    # replaceWidget keeps the kept place's size and visibility (the reader stays hidden until opened).
    for index, pane in ((1, reader), (2, right)):
        kept = window.splitter.replaceWidget(index, pane)
        if kept is not None:
            kept.deleteLater()
    window.reader, window.right = reader, right
