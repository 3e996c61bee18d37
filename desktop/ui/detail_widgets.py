"""Small editors shared by the detail pane and the dialogs.

They share two promises the pane is built on:

- **Commit, don't stream.** Text editors emit ``committed`` once, on Enter or
  when focus leaves, and only when the value differs from the value last shown
  (the *baseline*). Combos emit ``picked`` only on a user's choice, never when the
  pane sets them. So one edit is one undo step, and a refresh never writes.
- **Esc belongs to the window**, except to cancel an edit in progress: an editor
  whose text differs from its baseline takes Esc to restore it; otherwise it
  lets Esc through so the main window can return focus to the table.

All text that came from a workspace is shown as plain text (DESIGN §6).

``SearchPicker`` is the combo for lists too long to load (sources, reports):
it holds only the value it shows and searches the database, a page at a time,
when it is opened or typed into.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFocusEvent,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core import vocab
from desktop.core.detail import PICK_LIMIT, report_info, search_reports, search_sources, source_info
from desktop.core.text import one_line

if TYPE_CHECKING:
    from desktop.ui.session import WorkspaceSession

# Readable on light and dark backgrounds alike.
PROBLEM_COLOUR = "#d9534f"


# Choices for the grading combos, shared by the pane and the dialogs. None first: "not graded".
CREDIBILITY_CHOICES: list[tuple[str, Any]] = [("— not graded", None)] + [
    (f"{grade} — {label}", grade) for grade, label in vocab.CREDIBILITY.items()
]
LIKELIHOOD_CHOICES: list[tuple[str, Any]] = [("— none", None)] + [
    (f"{term} ({low}–{high} %)", term) for term, (low, high) in vocab.LIKELIHOOD.items()
]
VERDICT_CHOICES: list[tuple[str, Any]] = [("none", None)] + [(verdict, verdict) for verdict in vocab.VERDICTS]
KIND_CHOICES: list[tuple[str, Any]] = [(kind, kind) for kind in vocab.CLAIM_KINDS]
PRECISION_CHOICES: list[tuple[str, Any]] = [("—", None)] + [(p, p) for p in vocab.PRECISIONS]


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A label that never interprets its text as HTML (workspace text is untrusted)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


class ElidedLabel(QLabel):
    """One line of plain text, elided with "…" to the width it gets: never widens the pane (URLs, titles)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split())
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        elided = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(self.width(), 40))
        if elided != self.text():
            self.setText(elided)


def problem_label(parent: QWidget | None = None) -> QLabel:
    """An inline message under a field: hidden until there is a problem to show."""
    label = plain_label("", parent, wrap=True)
    label.setStyleSheet(f"color: {PROBLEM_COLOUR};")
    label.setVisible(False)
    return label


def show_problem(label: QLabel, message: str | None) -> None:
    label.setText(f"⚠ {message}" if message else "")
    label.setVisible(bool(message))


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: Qt guesses rich text for tooltips, so escape and mark it."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    scheme = QUrl(url.strip()).scheme().lower()
    return scheme in ("http", "https")


def open_web_url(url: str | None) -> bool:
    """Open ``url`` in the browser only if it is http(s); anything else (file:, javascript:, …) is refused."""
    if url is None or not is_web_url(url):
        return False
    return QDesktopServices.openUrl(QUrl(url.strip(), QUrl.ParsingMode.StrictMode))


def parse_date(value: str) -> dt.date | None:
    """An ISO date typed by the analyst; empty means none. Raises ValueError with a message fit to show."""
    stripped = value.strip()
    if not stripped:
        return None
    try:
        return dt.date.fromisoformat(stripped)
    except ValueError:
        raise ValueError(f"“{stripped}” is not a date: write it as YYYY-MM-DD (e.g. 2022-12-14)") from None


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def parse_labels(value: str) -> list[str]:
    """Comma-separated labels (tags, aliases): trimmed, empty ones dropped, first spelling of duplicates kept."""
    seen: set[str] = set()
    labels: list[str] = []
    for part in value.split(","):
        label = part.strip()
        if label and label not in seen:
            seen.add(label)
            labels.append(label)
    return labels


def _is_escape(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and not event.modifiers()


class CommitLineEdit(QLineEdit):
    """A one-line editor that emits ``committed(text)`` on Enter / focus-out when the text changed."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._baseline = ""
        self.editingFinished.connect(self._finish)

    def baseline(self) -> str:
        return self._baseline

    def is_dirty(self) -> bool:
        return self.text() != self._baseline

    def set_value(self, value: str) -> None:
        """Show ``value``; if the analyst is typing in this field, keep their text and only move the baseline."""
        self._baseline = value
        if not (self.hasFocus() and self.isModified()):
            self.setText(value)
            self.setModified(False)

    def revert(self) -> None:
        self.setText(self._baseline)
        self.setModified(False)

    def commit(self) -> None:
        if self.is_dirty():
            self.committed.emit(self.text())

    def _finish(self) -> None:
        self.commit()

    def event(self, event: QEvent) -> bool:
        # A window-level Esc shortcut would otherwise steal the key before keyPressEvent sees it.
        if event.type() == QEvent.Type.ShortcutOverride and _is_escape(event) and self.is_dirty():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_escape(event):
            if self.is_dirty():
                self.revert()
                event.accept()
            else:
                event.ignore()  # the main window takes focus back to the table
            return
        super().keyPressEvent(event)


class CommitTextEdit(QPlainTextEdit):
    """A multi-line editor that commits on focus-out and Ctrl+Enter (and on Enter when ``enter_commits``).

    With ``enter_commits`` (claim text, which is one paragraph) Shift+Enter starts a new line; without it
    (notes) Enter is a new line. Tab always moves focus: these sit in keyboard-driven forms.
    """

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, enter_commits: bool = False) -> None:
        super().__init__(parent)
        self._baseline = ""
        self._enter_commits = enter_commits
        self.setTabChangesFocus(True)

    def baseline(self) -> str:
        return self._baseline

    def is_dirty(self) -> bool:
        return self.toPlainText() != self._baseline

    def set_value(self, value: str) -> None:
        self._baseline = value
        if not (self.hasFocus() and self.is_dirty()):
            self.setPlainText(value)

    def revert(self) -> None:
        self.setPlainText(self._baseline)

    def commit(self) -> None:
        if self.is_dirty():
            self.committed.emit(self.toPlainText())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_escape(event) and self.is_dirty():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if _is_escape(event):
            if self.is_dirty():
                self.revert()
                event.accept()
            else:
                event.ignore()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers()
            if mods & Qt.KeyboardModifier.ControlModifier or (
                self._enter_commits and not mods & Qt.KeyboardModifier.ShiftModifier
            ):
                self.commit()
                event.accept()
                return
            if self._enter_commits:  # Shift+Enter: a new line, not Qt's line separator U+2028
                self.insertPlainText("\n")
                event.accept()
                return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        # A popup (context menu, completer) taking focus is not the analyst leaving the field.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()


class ChoiceCombo(QComboBox):
    """A combo of ``(label, value)`` choices that emits ``picked(value)`` only when the user changes it.

    The wheel is ignored unless the combo has focus: scrolling the pane over a
    combo must never change a grade (each change is a write).
    """

    picked = Signal(object)

    def __init__(self, choices: Sequence[tuple[str, Any]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self._baseline: Any = None
        self.set_choices(choices)
        self.activated.connect(self._activated)

    def set_choices(self, choices: Sequence[tuple[str, Any]]) -> None:
        blocked = self.blockSignals(True)
        self.clear()
        for label, value in choices:
            self.addItem(label, value)
        self.blockSignals(blocked)
        self.set_value(self._baseline)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        self._baseline = value
        index = self.findData(value)
        blocked = self.blockSignals(True)
        self.setCurrentIndex(index if index >= 0 else -1)
        self.blockSignals(blocked)

    def _activated(self, index: int) -> None:
        value = self.itemData(index)
        if value != self._baseline:
            self._baseline = value
            self.picked.emit(value)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class FittedList(QListWidget):
    """A list that grows to show all its rows (up to ``max_rows``), so the pane scrolls, not the list.

    Rows wrap at the list's real width. Qt's own size hints for wrapped rows are
    computed before the width is known, so the rows are measured here, again on
    every resize. The current row is highlighted only while the list has focus:
    three always-blue lists would shout louder than the claim.
    """

    _PADDING = 6  # vertical, per row

    def __init__(self, parent: QWidget | None = None, *, max_rows: int = 12) -> None:
        super().__init__(parent)
        self._max_rows = max_rows
        self.setWordWrap(True)
        self.setSpacing(1)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit(self) -> None:
        metrics = self.fontMetrics()
        width = max(self.viewport().width() - 12, 80)
        heights = []
        for i in range(self.count()):
            item = self.item(i)
            box = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, item.text())
            height = box.height() + self._PADDING
            item.setSizeHint(QSize(width, height))
            heights.append(height + 2 * self.spacing())
        shown = heights[: self._max_rows]
        total = sum(shown) + 2 * self.frameWidth() + 2
        self.setFixedHeight(max(total, metrics.height() + 10))
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if len(heights) > self._max_rows
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        item = self.currentItem() or (self.item(0) if self.count() else None)
        if item is not None:
            self.setCurrentItem(item)
            item.setSelected(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.clearSelection()


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
    takes it, Esc (or a click elsewhere) closes the popup and restores the value.
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
        if not picks:
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
        # Tab in the search box leaves the picker as it would a closed one, choosing nothing.
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.cancel()
                self._picker.leave(forward=event.key() == Qt.Key.Key_Tab)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The search box leaves Enter and Esc to its window: this popup.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.accept():
                self._picker.pass_on(event)  # and Enter does what it does on a closed picker: a dialog accepts
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


class SearchPicker(QComboBox):
    """A combo over a list too long to load: it shows its value and searches as the analyst types.

    Closed, it holds only the current value (and ``none_label``, when "none" is
    a choice), so building it costs nothing whatever the workspace's size.
    Opening it (click, Space, F4, Alt+Down, Up/Down) or typing a letter opens
    a search box over at most ``limit`` matches from ``search``; the highlighted
    match shows in the picker as you type. Enter (or a click) takes it and emits
    ``picked(value)`` — only when it differs from the value, so one choice is one
    write — then goes on as on a closed combo (a dialog accepts); Esc restores
    the value. Like ``ChoiceCombo``, setting the value never emits.
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
        """Move on from the picker as Tab / Shift+Tab would (from its open popup)."""
        self.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
        self.focusNextPrevChild(forward)

    def pass_on(self, event: QKeyEvent) -> None:
        """Deliver a key the popup has handled to the closed picker too (Enter: the dialog's default button)."""
        QApplication.sendEvent(self, QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))

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


def source_picker(session: WorkspaceSession) -> SearchPicker:
    """A picker of the workspace's sources: by any name or alias, in any script."""

    def search(typed: str, limit: int) -> list[Pick]:
        with session.engine.connect() as connection:
            sources = search_sources(connection, typed, limit)
        return [
            Pick(s.id, s.short_label(), s.label + (f" — also {', '.join(s.aliases)}" if s.aliases else ""))
            for s in sources
        ]

    def describe(value: Any) -> str | None:
        with session.engine.connect() as connection:
            found = source_info(connection, int(value))
        return found.short_label() if found else None

    return SearchPicker(search, describe, prompt="search sources by any name or alias")


def report_picker(session: WorkspaceSession, source_of: Callable[[], int | None]) -> SearchPicker:
    """A picker of reports, "— none" first; the reports of ``source_of()`` (the claim's source) lead."""

    def search(typed: str, limit: int) -> list[Pick]:
        with session.engine.connect() as connection:
            reports = search_reports(connection, typed, limit, source_id=source_of())
        return [Pick(r.id, r.label) for r in reports]

    def describe(value: Any) -> str | None:
        with session.engine.connect() as connection:
            found = report_info(connection, int(value))
        return found.label if found else None

    return SearchPicker(search, describe, none_label="— none", prompt="search reports by title")
