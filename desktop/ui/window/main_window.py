"""The main window: filter bar and claim table beside the detail pane, a status bar, menus, every command.

The window composes; it owns no data. The table and the detail pane follow the
session by themselves; the window turns keys into commands (``keymap`` →
``commands.actions`` → ``commands.review`` / ``commands.files``), keeps the focus on the
table after every command, shows the pinned claim and every message in the
status bar, and remembers its layout (``layout_settings``) and each workspace's own filter and sort
(``workspace_view``) in QSettings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSplitter, QVBoxLayout, QWidget

from desktop.core.errors import UserError
from desktop.core.locations import SQLITE_URL
from desktop.ui import recent
from desktop.ui.commands.keymap import BY_NAME, NO_PLACES
from desktop.ui.live.banner import ConnectionBanner
from desktop.ui.reader.related import RelatedList
from desktop.ui.table.filter_bar import FilterBar
from desktop.ui.table.model import ClaimTableModel
from desktop.ui.table.view import ClaimTable
from desktop.ui.widgets.banner import ModeBanner
from desktop.ui.widgets.plain_text import install_guard
from desktop.ui.window import help_menu, workspace_view
from desktop.ui.window.availability import unavailable_reason
from desktop.ui.window.drops import dropped_json_files
from desktop.ui.window.early_keys import EarlyKeys
from desktop.ui.window.layout_settings import restore_layout, save_layout
from desktop.ui.window.menus import add_menu_titles
from desktop.ui.window.mnemonics import retitle
from desktop.ui.window.status_bar import WindowStatusBar

if TYPE_CHECKING:  # built after the first paint (``complete``, ``window.parts``): not imported before it
    from PySide6.QtGui import QAction

    from desktop.core.read.first_screen import FirstScreen
    from desktop.core.store import Change
    from desktop.ui.commands.actions import WindowActions
    from desktop.ui.commands.as_analyst import AsAnalystView
    from desktop.ui.commands.cheatsheet import CheatSheet
    from desktop.ui.commands.files import FileCommands
    from desktop.ui.commands.key_hints import TableKeyHints
    from desktop.ui.commands.outputs import OutputCommands
    from desktop.ui.commands.palette import CommandPalette
    from desktop.ui.commands.review import ReviewCommands
    from desktop.ui.commands.selection import SelectionCommands
    from desktop.ui.commands.tools import ToolsCommands
    from desktop.ui.detail.pane import DetailPane
    from desktop.ui.history.as_of_mode import AsOfMode
    from desktop.ui.history.panel import HistoryHeading, HistoryPanel
    from desktop.ui.live.watcher import LiveWatcher
    from desktop.ui.reader.commands import CaptureCommands
    from desktop.ui.reader.pane import ReaderPane
    from desktop.ui.search_indexer import SearchIndexer
    from desktop.ui.session import WorkspaceSession
    from desktop.ui.views.dock import ViewsDock


OPENING = "Opening the workspace… keys typed now act once it is open."


class MainWindow(QMainWindow):
    """The window; ``MainWindow(session)`` builds all of it. A fast start (``desktop.ui.start``) builds it in
    two steps: ``MainWindow(None, first=…)`` — the frame, the filter bar, the claim table on the first screen
    read with sqlite3, the status bar — shown and painted, then ``complete(session)`` builds the rest
    (``window.parts``) and replays the keys typed meanwhile. ``ready`` is emitted once it is whole."""

    ready = Signal()

    # Built by ``complete`` (``window.parts``) once the workspace is open.
    session: WorkspaceSession
    detail: DetailPane
    reader: ReaderPane
    right: QSplitter
    history: HistoryPanel
    history_box: QWidget
    history_heading: HistoryHeading
    as_of: AsOfMode
    commands: WindowActions
    named_actions: dict[str, QAction]
    review: ReviewCommands
    files: FileCommands
    selection: SelectionCommands
    tools: ToolsCommands
    outputs: OutputCommands
    as_analyst: AsAnalystView
    views: ViewsDock
    capture: CaptureCommands
    indexer: SearchIndexer
    recent: recent.RecentMenu
    table_menu: Callable[[QPoint], QMenu]
    detail_menu: Callable[[QPoint], QMenu]
    key_hints: TableKeyHints
    live: LiveWatcher
    view_location: str  # the workspace whose filter and sort the table shows (``workspace_view``)

    def __init__(
        self, session: WorkspaceSession | None, parent: QWidget | None = None, *, first: FirstScreen | None = None
    ) -> None:
        super().__init__(parent)
        install_guard()  # untrusted text is never rendered as rich text, in any widget (widgets/plain_text)
        self.setObjectName("mainWindow")
        self.is_ready = False
        self._early_keys: EarlyKeys | None = None
        self.palette_popup: CommandPalette | None = None
        self.cheatsheet: CheatSheet | None = None

        self.filter_bar = FilterBar()
        model = None if session is not None else ClaimTableModel(None, first=first)
        self.table = ClaimTable(session, model)
        self.table.setObjectName("claimTable")
        # The right-hand panes are built after the first paint (they need the open workspace): until
        # then their places in the splitter hold empty widgets of the same role.
        reader_place, right_place = QWidget(), QWidget()
        self.related = RelatedList(session)
        self.related.setMaximumHeight(190)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 6, 0, 0)
        column.setSpacing(6)
        self.connection_banner = ConnectionBanner()  # while the workspace cannot be reached (PostgreSQL)
        self.analyst_banner = ModeBanner()  # whose statuses the table and the pane show ("as analyst")
        for banner in (self.connection_banner, self.analyst_banner):
            column.addWidget(banner)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table, 1)
        column.addWidget(self.related)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(reader_place)
        self.splitter.addWidget(right_place)
        self.splitter.setStretchFactor(0, 1)  # a wider window widens the table, not the form
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        reader_place.hide()  # the reader's: hidden until a report is opened (F3, Ctrl+Shift+V, Q on a captured claim)
        self.splitter.setChildrenCollapsible(False)
        # The banner above everything says when the window shows something other than the live workspace.
        self.banner = ModeBanner()
        central = QWidget()
        rows = QVBoxLayout(central)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(0)
        rows.addWidget(self.banner)
        rows.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status = WindowStatusBar(self)
        self.setStatusBar(self.status)
        self.menus = add_menu_titles(self)  # filled with their commands by ``complete``
        if session is not None:
            self.complete(session)
            return
        assert first is not None
        self.setWindowTitle(f"Crosscheck — {first.path.name}")
        self.status.set_workspace(first.path.name)
        self.view_location = SQLITE_URL + str(first.path)  # as ``resolve_location`` gave it
        restore_layout(self, self.view_location)  # the fast start: this workspace has no filter, the default sort
        self.filter_bar.set_counts(self.table.claim_model.rowCount(), self.table.claim_model.total_count())
        self.table.first()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        # Keys typed before the rest is built are kept and replayed, in order, once it is (``complete``).
        self._early_keys = EarlyKeys(self)
        self.status.hint(OPENING, 60_000)  # cleared by ``complete``

    def complete(self, session: WorkspaceSession) -> None:
        """Build what needs the open workspace (``window.parts``), then replay early keys; emits ``ready``."""
        from desktop.ui.window.parts import build_parts

        fast = self._early_keys is not None
        self.session = session
        if fast:
            self.related.attach(session)  # before the table tells the session its current claim
            self.table.claim_model.attach(session)
            self.table.attach(session)
            self.table.viewport().update()  # rows scrolled to before the open were blank: fetched now
        build_parts(self, session)
        self._show_title()
        self._remember_workspace()
        if fast:
            self.status.clear_if(OPENING)
        else:
            self.view_location = session.live_workspace.location
            restore_layout(self, self.view_location)
        self.update_actions()
        self.back_to_table()
        QTimer.singleShot(0, self.indexer.start)  # after the first paint: claims an earlier import left waiting
        self.is_ready = True
        if self._early_keys is not None:
            self._early_keys.replay()
            self._early_keys = None
        self.ready.emit()

    # --- the CommandHost the command modules act through ---------------------------------------

    def bind(self, name: str, slot: Callable[[], Any]) -> None:
        """Run ``slot`` when command ``name`` triggers; a ``UserError`` becomes a status-bar message."""

        def run(*_args: object) -> None:
            before = QApplication.focusWidget()
            refused = self.as_of.refusal(name)  # a write while the window shows an earlier moment
            if refused is not None:
                self.status.error(refused)
                self._after_refusal(name, before)
                return
            try:
                slot()
            except UserError as error:
                self.status.error(str(error))
                self._after_refusal(name, before)

        self.named_actions[name].triggered.connect(run)

    def dialog_parent(self) -> QWidget:
        return self

    def hint(self, message: str, timeout_ms: int | None = None) -> None:
        if timeout_ms is None:
            self.status.hint(message)
        else:
            self.status.hint(message, timeout_ms)

    def error(self, message: str) -> None:
        self.status.error(message)

    def current_claim(self) -> int | None:
        return self.table.current_claim()

    def edit_field(self, field: str | None) -> bool:
        if field is None:
            self.detail.focus_first_field()
            return True
        return self.detail.focus_field(field)

    def focus_add_place(self) -> bool:
        return self.detail.focus_add_place()

    def back_to_table(self) -> None:
        """Focus on the table, with a current row whenever there are rows (after every command)."""
        if self.table.current_claim() is None and self.table.claim_model.rowCount() > 0:
            self.table.first()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.update_actions()

    def _after_refusal(self, name: str, before: QWidget | None) -> None:
        """Where the keyboard goes when command ``name`` was refused: back to the table, unless the key was
        one of the reader's or the related list's, pressed there — then it stays, so the next key the message
        names ("S selects the next sentence") reaches them and not the table's command of the same letter."""
        stays = BY_NAME[name].context in ("reader", "related")
        if stays and before is not None and before.isVisible() and before.window() is self:
            before.setFocus(Qt.FocusReason.OtherFocusReason)
            self.update_actions()
            return
        self.back_to_table()

    def after_dialog(self) -> None:
        """Back to the table after a modal dialog of ours closed (some window systems leave nothing active)."""
        self.activateWindow()
        self.back_to_table()

    def apply_filter(self, text: str) -> None:
        message = self.table.claim_model.set_filter(text)
        self.filter_bar.set_message(message or self._no_places_message(text))
        self.views.set_filter(text)
        self.update_actions()

    def show_filter(self, text: str) -> None:
        """Filter the table by ``text`` (as if typed in the filter bar) and go back to it."""
        self.filter_bar.set_text(text)
        self.apply_filter(text)
        self.back_to_table()

    def _open_imported(self, reports: list[int]) -> None:
        if reports:
            self.capture.open_report(reports[0])

    def reveal_reader(self) -> None:
        """Show the reader pane between the table and the detail pane, sharing the table's width."""
        if self.reader.isVisible():
            return
        total = sum(self.splitter.sizes())  # read before showing: showing redistributes
        detail = min(440, total * 2 // 7)  # the form keeps its width; the table shares the rest with the reader
        self.reader.show()
        rest = max(total - detail, 0)
        self.splitter.setSizes([rest // 2, rest - rest // 2, detail])

    def clear_filter(self) -> None:
        self.filter_bar.set_text("")
        self.apply_filter("")

    def filter_text(self) -> str:
        return self.filter_bar.text()

    # --- the views dock (graph, timeline, map) --------------------------------------------------

    def _select_from_view(self, claim: int) -> None:
        """A view selected a claim: the table follows (clearing the filter if it hides the claim)."""
        if not self.table.select_claim(claim):
            self.clear_filter()
            self.table.select_claim(claim)

    def _go_to_claim(self, claim: int) -> None:
        self._select_from_view(claim)
        self.back_to_table()

    # --- enabled state and reasons ------------------------------------------------------------

    def reason(self, name: str) -> str | None:
        """Why command ``name`` cannot run now, or None when it can (menus, palette and key hints share it)."""
        return unavailable_reason(
            name,
            self.session.undo_stack,
            current=self.table.current_claim(),
            pinned=self.session.pinned,
            rows=self.table.claim_model.rowCount(),
        )

    def update_actions(self) -> None:
        for name, action in self.named_actions.items():
            why = self.reason(name)
            action.setEnabled(why is None)
            tip = BY_NAME[name].description
            action.setStatusTip(tip if why is None else f"{tip} — unavailable: {why}")
        stack = self.session.undo_stack
        retitle(self.named_actions["edit.undo"], f"Undo {stack.undoText()}".strip())
        retitle(self.named_actions["edit.redo"], f"Redo {stack.redoText()}".strip())

    # --- window commands ------------------------------------------------------------------------

    def _connect_window_commands(self) -> None:
        slots: dict[str, Callable[[], object]] = {
            "edit.undo": lambda: self.undo_redo(undo=True),
            "edit.redo": lambda: self.undo_redo(undo=False),
            "view.filter": self.focus_filter,
            "view.clear_filter": self.show_all,
            "view.table": self.back_to_table,
            "view.palette": lambda: help_menu.open_palette(self),
            "view.reload": self.reload,
            "view.history": self.toggle_history,
            "history.as_of": _then(self.as_of.pick, self.after_dialog),
            "history.step_back": _then(lambda: self.as_of.step(back=True), self.back_to_table),
            "history.step_forward": _then(lambda: self.as_of.step(back=False), self.back_to_table),
            "history.now": _then(self.as_of.now, self.back_to_table),
            "view.graph": lambda: self.views.show_view("graph"),
            "view.timeline": lambda: self.views.show_view("timeline"),
            "view.map": lambda: self.views.show_view("map"),
            "help.keys": lambda: help_menu.open_cheatsheet(self),
            "help.report": lambda: help_menu.report_problem(self),
            "help.about": lambda: help_menu.about(self),
            "file.quit": self.close,
        }
        for name, slot in slots.items():
            self.bind(name, slot)

    def undo_redo(self, *, undo: bool) -> None:
        stack = self.session.undo_stack
        text = stack.undoText() if undo else stack.redoText()
        outcome = self.session.undo() if undo else self.session.redo()
        if outcome.error is not None:
            # The step could not be undone / redone (and is gone from the stack); the session has said why.
            self.status.error(f"Could not {'undo' if undo else 'redo'} {text}: {outcome.error}")
            self.back_to_table()
            return
        restored = outcome.result.change.added_claims if outcome.result is not None else set()
        if len(restored) == 1:
            self.table.select_claim(next(iter(restored)))  # a deleted claim came back: show it, it is what changed
        self.status.hint(f"{'Undone' if undo else 'Redone'}: {text}")
        self.back_to_table()

    def show_all(self) -> None:
        self.clear_filter()
        self.back_to_table()

    def focus_filter(self) -> None:
        self.filter_bar.focus_filter()

    def toggle_history(self) -> None:
        """Show or hide the current claim's history (Ctrl+H); the focus stays on the table."""
        shown = not self.history_box.isVisible()
        self.history_box.setVisible(shown)
        if shown:
            self.history.reload()
        self.status.hint("History shown." if shown else "History hidden.")
        self.back_to_table()

    def reload(self) -> None:
        self.session.refresh_all()
        self.status.hint("Reloaded.")
        self.back_to_table()

    # --- following the session ------------------------------------------------------------------

    def _show_title(self) -> None:
        label = self.session.workspace.label
        self.setWindowTitle(f"Crosscheck — {label}")
        self.status.set_workspace(label)

    def _show_pinned(self, claim: object = None) -> None:
        pinned = self.session.pinned
        if pinned is None:
            self.status.set_pinned(None)
        else:
            from desktop.core.read.detail import claim_summary

            with self.session.engine.connect() as connection:
                self.status.set_pinned(claim_summary(connection, pinned, 90))
        self.update_actions()

    def _on_changed(self, change: Change) -> None:
        pinned = self.session.pinned
        if pinned is not None and (change.everything or change.sources or pinned in change.claims):
            self._show_pinned()  # its text or source name may have changed
        from desktop.core.gazetteer import asks_for_places  # not at import: the first paint loads no database library

        if (change.everything or change.places) and asks_for_places(self.table.claim_model.filter_text()):
            self._refilter()  # places came or went: place: may find claims now (or the hint is due)
        self.update_actions()

    def _refilter(self) -> None:
        text = self.table.claim_model.filter_text()
        self.filter_bar.set_message(self.table.claim_model.set_filter(text) or self._no_places_message(text))

    def _no_places_message(self, text: str) -> str | None:
        """``place:`` in a workspace that holds no places at all finds nothing: say why, and what adds some."""
        from desktop.core.gazetteer import asks_for_places, holds_places

        if not asks_for_places(text):
            return None
        with self.session.engine.connect() as connection:
            return None if holds_places(connection) else NO_PLACES  # the key first: the bar elides the rest

    def _on_workspace_replaced(self) -> None:
        location = self.session.live_workspace.location
        if location != self.view_location:  # another workspace, not an earlier moment of this one
            workspace_view.save_view(self, self.view_location)
            self.view_location = location
            workspace_view.restore_view(self, location)
        self.indexer.start()
        self.connection_banner.clear()  # another workspace: the watcher starts over on it
        self._show_title()
        self._remember_workspace()
        self.back_to_table()

    def _remember_workspace(self) -> None:
        path = self.session.workspace.path
        if path is not None:
            recent.remember(path)

    # --- dropping a file on the window ----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_json_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_json_files(event.mimeData())
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        if len(files) > 1:
            self.status.error("Drop one JSON file at a time: each import is all or nothing.")
            return
        self.activateWindow()
        self.files.import_path(str(files[0]))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.is_ready:  # closed during a fast start: nothing typed, nothing running, no layout to keep
            super().closeEvent(event)
            return
        self.detail.flush()  # a field being typed in is saved, as leaving it would
        self.files.pool.waitForDone()  # an import in flight finishes (one transaction) before we go
        self.outputs.wait()  # and so does an export (its file is written whole or not at all)
        self.as_of.close()  # a replay in flight is cancelled; an earlier moment's scratch workspace removed
        save_layout(self, self.view_location)
        self.live.stop()
        super().closeEvent(event)


def _then(command: Callable[[], None], after: Callable[[], None]) -> Callable[[], None]:
    """``command``, then ``after`` (back to the table once a command has said what it did)."""

    def run() -> None:
        command()
        after()

    return run
