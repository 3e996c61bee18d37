"""The views dock: the evidence graph, the timeline and the map as tabs under the table and detail pane.

The dock composes the three panels and speaks to the window through signals
only (it never imports the window): a claim to select in the table, a filter to
apply, a line for the status bar, and "back to the table". ``show_view`` opens
the dock on one tab and gives it the focus; Esc (the window's own key) goes back
to the table. The panels load lazily: a tab that was never shown reads nothing.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

from desktop.ui.session import WorkspaceSession
from desktop.ui.views.graph.panel import GraphPanel
from desktop.ui.views.map.view import MapPanel
from desktop.ui.views.timeline import TimelinePanel

VIEWS: Final = ("graph", "timeline", "map")


class ViewsDock(QDockWidget):
    select_claim = Signal(int)  # select this claim in the table (the table follows the views)
    go_to_claim = Signal(int)  # select it and give the table the focus
    filter_requested = Signal(str)  # put this text in the filter bar
    message = Signal(str)

    def __init__(self, session: WorkspaceSession, parent: QWidget | None = None) -> None:
        super().__init__("Views — evidence graph, timeline, map", parent)
        self.setObjectName("viewsDock")
        self.session = session
        self.filter_text = ""
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.panels: dict[str, QWidget] = {}
        for name, label in zip(VIEWS, ("Evidence &graph", "&Timeline", "&Map"), strict=True):
            placeholder = QWidget()
            placeholder.setObjectName(f"{name}Placeholder")
            self.tabs.addTab(placeholder, label)
        self.tabs.currentChanged.connect(lambda _index: self._ensure(VIEWS[self.tabs.currentIndex()]))
        self.setWidget(self.tabs)
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)

    # --- lazily built panels ---------------------------------------------------------------------------

    def _ensure(self, name: str) -> QWidget:
        if name in self.panels:
            return self.panels[name]
        panel: QWidget
        if name == "graph":
            graph = GraphPanel(self.session)
            graph.make_current.connect(self.go_to_claim)
            graph.message.connect(self.message)
            panel = graph
        elif name == "timeline":
            timeline = TimelinePanel(self.session)
            timeline.set_filter(self.filter_text)
            timeline.select_in_table.connect(self.select_claim)
            timeline.go_to_table.connect(self.go_to_claim)
            panel = timeline
        else:
            places = MapPanel(self.session)
            places.set_filter(self.filter_text)
            places.filter_requested.connect(self.filter_requested)
            panel = places
        self.panels[name] = panel
        index = VIEWS.index(name)
        label = self.tabs.tabText(index)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        old = self.tabs.widget(index)
        self.tabs.removeTab(index)
        if old is not None:
            old.deleteLater()
        self.tabs.insertTab(index, panel, label)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        return panel

    def panel(self, name: str) -> QWidget:
        return self._ensure(name)

    # --- the window's side ---------------------------------------------------------------------------

    def show_view(self, name: str) -> None:
        """Open the dock on view ``name`` and put the keyboard focus in it."""
        panel = self._ensure(name)
        window = self.parentWidget()
        if self.isHidden() and isinstance(window, QMainWindow) and not self.isFloating():
            self.show()
            # Half the window's height: a graph of 200 claims needs the room; the splitter gives it back.
            window.resizeDocks([self], [max(320, window.height() // 2)], Qt.Orientation.Vertical)
        self.show()
        self.raise_()
        self.tabs.setCurrentIndex(VIEWS.index(name))
        focus = getattr(panel, "graph", None) or getattr(panel, "view", None) or panel
        focus.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_filter(self, text: str) -> None:
        """The table's filter changed: the timeline and the map show the same claims."""
        self.filter_text = text
        for name in ("timeline", "map"):
            panel = self.panels.get(name)
            if isinstance(panel, TimelinePanel | MapPanel):
                panel.set_filter(text)
