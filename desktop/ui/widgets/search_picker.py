"""The searching picker shared by the detail pane and the dialogs.

``SearchPicker`` is the combo for lists too long to load (sources, reports):
it holds only the value it shows and searches the database, a page at a time,
when it is opened or typed into. The pickers of sources and reports built on it
are in ``workspace_pickers``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.read.detail import PICK_LIMIT
from desktop.core.text import one_line
from desktop.ui.widgets.basics import plain_label, plain_tooltip

# --- searching pickers --------------------------------------------------------------------------

#: A search that took longer than this (a large table scanned) waits for a pause in typing next time.
QUICK_SEARCH_S = 0.04
#: The pause in typing a slow search waits for.
SEARCH_DELAY_MS = 150
_PICK_ROLE = Qt.ItemDataRole.UserRole
_NAVIGATION_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class SearchField(QLineEdit):
    """A search box that passes Up/Down/PageUp/PageDown to its results, so the analyst never leaves it."""

    def __init__(self, results: QListWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._results = results

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _NAVIGATION_KEYS:
            QApplication.sendEvent(self._results, event)
            return
        super().keyPressEvent(event)


@dataclass(frozen=True, slots=True)
class Pick:
    """One choice of a ``SearchPicker``: its ``value``, the ``label`` the closed picker shows, the popup's ``text``."""

    value: Any
    label: str
    text: str = ""


#: ``search(typed, limit)``: at most ``limit`` choices matching what was typed.
Search = Callable[[str, int], Sequence[Pick]]
#: ``describe(value)``: the label of a value set from outside (None if it no longer exists).
Describe = Callable[[Any], str | None]


class PickerPopup(QFrame):
    """The open ``SearchPicker``: a search box over the matches.

    The highlighted match shows in the picker as a preview; Enter (or a click)
    takes it and nothing more — the dialog around stays open for the next field;
    Tab takes it too when something was typed, and moves on; Esc (or a click
    elsewhere) closes the popup and restores the value. What was typed without a
    choice stays readable (``SearchPicker.unmatched``), for "New source…".
    """

    def __init__(self, picker: SearchPicker) -> None:
        super().__init__(picker, Qt.WindowType.Popup)
        self._picker = picker
        self._picks: list[Pick] = []
        self._chosen = False
        self._slow = False  # the last search was slow: wait for a pause in typing
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.results = QListWidget()
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setUniformItemSizes(True)
        self.results.setSpacing(1)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing always goes to the search box
        self.results.itemClicked.connect(lambda _item: self.accept())
        self.results.currentRowChanged.connect(self._highlighted)
        self.search = SearchField(self.results)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(picker.prompt)
        self.search.setAccessibleName(picker.prompt)
        self.search.textChanged.connect(self._typed)
        self.search.installEventFilter(self)  # Tab / Shift+Tab leave the picker (see eventFilter)
        self.note = plain_label()
        self.note.setEnabled(False)  # muted
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.note)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

    def open(self, typed: str = "") -> None:
        """Show under the picker (above it when there is no room) with the matches of ``typed``."""
        self._chosen = False
        blocked = self.search.blockSignals(True)
        self.search.setText(typed)
        self.search.blockSignals(blocked)
        self.refresh()
        picker = self._picker
        width = max(picker.width(), 380)
        height = 10 * max(self.results.sizeHintForRow(0), picker.fontMetrics().height() + 4) + 70
        below = picker.mapToGlobal(QPoint(0, picker.height()))
        screen = (picker.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        x = max(screen.left(), min(below.x(), screen.right() - width))
        y = below.y() if below.y() + height <= screen.bottom() else picker.mapToGlobal(QPoint(0, 0)).y() - height
        self.setGeometry(x, max(screen.top(), y), width, height)
        self.show()
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def pending(self) -> bool:
        """True while typing waits for a pause before a (slow) search."""
        return self._timer.isActive()

    def _typed(self) -> None:
        if self._slow:
            self._timer.start()
        else:
            self.refresh()

    def refresh(self) -> None:
        """Search now for what is typed, and highlight (and preview) the best match."""
        self._timer.stop()
        typed = self.search.text()
        started = time.perf_counter()
        found, picks = self._picker.candidates(typed)
        self._slow = time.perf_counter() - started > QUICK_SEARCH_S
        blocked = self.results.blockSignals(True)
        self.results.clear()
        self._picks = picks
        for index, pick in enumerate(picks):
            item = QListWidgetItem(one_line(pick.text or pick.label, 300))
            item.setData(_PICK_ROLE, index)
            item.setToolTip(plain_tooltip(pick.text or pick.label))
            self.results.addItem(item)
        self.results.blockSignals(blocked)
        current = self._picker.value()
        row = next((i for i, p in enumerate(picks) if p.value == current), 0) if not typed.strip() else 0
        self.results.setCurrentRow(row if picks else -1)
        self._highlighted(self.results.currentRow())
        limit = self._picker.limit
        if not picks and typed.strip() and self._picker.unmatched_next is not None:
            self.note.setText(f"No match — Enter or Tab: {self._picker.unmatched_next_name()} to create it.")
        elif not picks:
            self.note.setText("No match — try another spelling or another name.")
        elif found >= limit:
            self.note.setText(f"The first {limit} matches — type more to narrow them.")
        else:
            self.note.setText("Enter: choose · Esc: keep the current value")

    def _highlighted(self, row: int) -> None:
        if 0 <= row < len(self._picks):
            self._picker.preview(self._picks[row])
        else:
            self._picker.restore()

    def matches(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]

    def accept(self) -> bool:
        """Choose the highlighted match (searching first if typing is still pending); False if none matches."""
        if not self.isVisible():
            return False
        if self.pending():
            self.refresh()
        item = self.results.currentItem()
        if item is None:
            return False  # nothing matches: stay open, the analyst can type on or press Esc
        pick = self._picks[int(item.data(_PICK_ROLE))]
        self._chosen = True
        self.close()
        self._picker.setFocus(Qt.FocusReason.PopupFocusReason)
        self._picker.choose(pick)
        return True

    def cancel(self) -> None:
        self.close()
        if self._picker.isVisible() and not self._picker.hasFocus():
            self._picker.setFocus(Qt.FocusReason.PopupFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Tab in the search box leaves the picker as it would a closed one; what was typed is not
        # thrown away: its highlighted match is taken (nothing typed: the value stays).
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                if not (self.search.text().strip() and self.accept()):
                    self.cancel()
                self._picker.leave(forward=event.key() == Qt.Key.Key_Tab)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The search box leaves Enter and Esc to its window: this popup. Enter chooses, and only that:
        # the analyst filling in a form goes on to the next field, and a second Enter accepts it.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self.accept() and self.search.text().strip() and self._picker.unmatched_next is not None:
                # A name nobody holds: on to creating it ("New source…"), as Tab would; a second Enter opens it.
                self.cancel()
                self._picker.leave(forward=True)
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A click outside closes the popup; on the picker itself it must not open it again at once.
        on_picker = self._picker.rect().contains(self._picker.mapFromGlobal(event.globalPosition().toPoint()))
        self.setAttribute(Qt.WidgetAttribute.WA_NoMouseReplay, on_picker)
        super().mousePressEvent(event)

    def hideEvent(self, event: Any) -> None:
        self._timer.stop()
        super().hideEvent(event)
        if not self._chosen:  # Esc, Tab or a click elsewhere: the preview goes, the value stays
            self._picker.restore()
        self._picker.unmatched = "" if self._chosen else self.search.text().strip()


class SearchPicker(QComboBox):
    """A combo over a list too long to load: it shows its value and searches as the analyst types.

    Closed, it holds only the current value (and ``none_label``, when "none" is
    a choice), so building it costs nothing whatever the workspace's size.
    Opening it (click, Space, F4, Alt+Down, Up/Down) or typing a letter opens
    a search box over at most ``limit`` matches from ``search``; the highlighted
    match shows in the picker as you type. Enter (or a click) takes it and emits
    ``picked(value)`` — only when it differs from the value, so one choice is one
    write; Enter on the closed picker goes on as on any combo (a dialog accepts);
    Esc restores the value. Like ``ChoiceCombo``, setting the value never emits.
    """

    picked = Signal(object)

    def __init__(
        self,
        search: Search,
        describe: Describe,
        *,
        none_label: str | None = None,
        prompt: str = "type to search",
        limit: int = PICK_LIMIT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self._search = search
        self._describe = describe
        self._none_label = none_label
        self.prompt = prompt
        self.limit = limit
        self._baseline: Any = None
        self._label = ""
        self._popup: PickerPopup | None = None
        #: What was last typed into the popup when it closed without a choice ("" after a choice).
        self.unmatched = ""
        # Where Tab goes when it leaves a name without a match ("New source…"); otherwise the next field.
        self.unmatched_next: QWidget | None = None
        self.set_value(None)

    # --- the value ----------------------------------------------------------------------------

    def value(self) -> Any:
        """The value (a preview while the popup is open is not one)."""
        return self._baseline

    def set_value(self, value: Any, label: str | None = None) -> None:
        """Show ``value``, labelled ``label`` (looked up with ``describe`` when not given)."""
        if value is not None and label is None:
            label = self._describe(value) or f"(missing: {value})"
        self._baseline = value
        self._label = label or ""
        self._display(value, self._label)

    def _display(self, value: Any, label: str) -> None:
        blocked = self.blockSignals(True)
        self.clear()
        if self._none_label is not None:
            self.addItem(self._none_label, None)
        if value is not None:
            self.addItem(label, value)
        self.setCurrentIndex(self.count() - 1 if value is not None or self._none_label is not None else -1)
        self.blockSignals(blocked)

    def preview(self, pick: Pick) -> None:
        """Show ``pick`` without taking it (the popup's highlighted match)."""
        self._display(pick.value, pick.label)

    def restore(self) -> None:
        """Show the value again after a preview."""
        self._display(self._baseline, self._label)

    def choose(self, pick: Pick) -> None:
        """The analyst chose ``pick``: show it, and emit ``picked`` if it is another value."""
        changed = pick.value != self._baseline
        self.set_value(pick.value, pick.label)
        if changed:
            self.picked.emit(pick.value)

    # --- searching ----------------------------------------------------------------------------

    def candidates(self, typed: str) -> tuple[int, list[Pick]]:
        """``(how many the search found, the choices to list)``; with nothing typed, "none" and the value come first."""
        found = list(self._search(typed, self.limit))
        if typed.strip():
            return len(found), found
        picks: list[Pick] = []
        if self._none_label is not None:
            picks.append(Pick(None, self._none_label))
        if self._baseline is not None and all(p.value != self._baseline for p in found):
            picks.append(Pick(self._baseline, self._label))
        return len(found), picks + found

    @property
    def popup(self) -> PickerPopup | None:
        """The search popup while it is open."""
        return self._popup if self._popup is not None and self._popup.isVisible() else None

    def showPopup(self, typed: str = "") -> None:
        if self._popup is None:
            self._popup = PickerPopup(self)
        self._popup.open(typed)

    def hidePopup(self) -> None:
        if self._popup is not None and self._popup.isVisible():
            self._popup.cancel()

    def matches(self) -> list[str]:
        """The lines the open popup lists (empty when closed)."""
        popup = self.popup
        return popup.matches() if popup is not None else []

    def leave(self, *, forward: bool) -> None:
        """Move on from the picker as Tab / Shift+Tab would (from its open popup).

        A name typed without a match goes on to ``unmatched_next`` (creating it is the next step).
        """
        reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
        after = self.unmatched_next
        if forward and self.unmatched and after is not None and after.isVisibleTo(self.window()):
            after.setFocus(reason)
            return
        self.setFocus(reason)
        self.focusNextPrevChild(forward)

    def unmatched_next_name(self) -> str:
        """What ``unmatched_next`` is called on screen ("New source…"), without its mnemonic."""
        after = self.unmatched_next
        label = after.text() if isinstance(after, QAbstractButton) else ""
        return label.replace("&", "") or "the next field"

    # --- keys ---------------------------------------------------------------------------------

    @staticmethod
    def _typed_text(event: QKeyEvent) -> str:
        modifiers = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        typed = event.text()
        return typed if typed and typed.isprintable() and not typed.isspace() and not modifiers else ""

    def event(self, event: QEvent) -> bool:
        # A letter typed here starts a search; no single-key shortcut of the window may take it.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and self._typed_text(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.popup
        if popup is not None:  # keys sent here while open belong to the search box
            QApplication.sendEvent(popup.search, event)
            return
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        typed = self._typed_text(event)
        if typed:
            self.showPopup(typed)
        elif key in (*_NAVIGATION_KEYS, Qt.Key.Key_F4, Qt.Key.Key_Space) or (alt and key == Qt.Key.Key_Down):
            self.showPopup()
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            event.accept()  # would step through the (one or two) items held: choosing is the popup's job
        else:
            super().keyPressEvent(event)  # Enter to the dialog, Esc to the window, as on any combo

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # scrolling the pane over a picker must never change it (each change is a write)
