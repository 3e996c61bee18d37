"""Untrusted text is never rendered: a window walked with hostile texts reads no file they point at.

Claims, sources and places are given texts with ``<img src="file:///…">``
pointing at a real file in a watched folder (Linux inotify: any open or read of
it is recorded). The window is then walked: the hostile claim made current and
pinned, status-bar hints and errors quoting it, every widget's tooltip asked
for (item views: every visible row and column), every label laid out, and a
message box built with the text. A positive control first proves the watch
sees Qt loading the image when a document IS rendered as HTML.

A 400 KB note without a space must not be laid out whole: every label and
every tooltip shown holds a bounded text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.ui.inotify import FileWatch
from tests.ui.window_fixtures import OFFSCREEN_NOISE, open_window_fixture, review_session_fixture, settings_dir_fixture

__all__ = ["open_window_fixture", "review_session_fixture", "settings_dir_fixture"]

pytestmark = OFFSCREEN_NOISE

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def bait(tmp_path: Path) -> tuple[Path, FileWatch]:
    folder = tmp_path / "bait"
    folder.mkdir()
    (folder / "secret.png").write_bytes(PNG)
    watch = FileWatch(folder)
    yield folder / "secret.png", watch
    watch.close()


def _ask_every_tooltip(qtbot: QtBot, window: QWidget) -> list[str]:
    """Send a tooltip request to every visible widget (and every visible cell of every view)."""
    shown: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        points = [widget.rect().center()]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model, points = widget.model(), []
            root = widget.rootIndex()
            for row in range(min(model.rowCount(root), 30)):
                for column in range(_columns(model, root)):
                    rect = widget.visualRect(model.index(row, column, root))
                    if rect.isValid():
                        points.append(rect.center())
            target: QWidget = widget.viewport()
        else:
            target = widget
        for point in points:
            event = QHelpEvent(QEvent.Type.ToolTip, point, target.mapToGlobal(point))
            QApplication.sendEvent(target, event)
            if QToolTip.isVisible():
                shown.append(QToolTip.text())
                QToolTip.hideText()
    return shown


def _columns(model: Any, root: Any) -> int:
    try:
        return int(model.columnCount(root))
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def _lay_out_every_label(window: QWidget) -> list[str]:
    texts = []
    for label in window.findChildren(QLabel):
        label.sizeHint()  # a rich label loads its images when it is laid out
        texts.append(label.text())
    return texts


def _make_hostile(session: WorkspaceSession, claim: int, text: str, notes: str) -> None:
    store = session.workspace.store
    source = session.workspace.engine.connect().exec_driver_sql(f"SELECT source_id FROM claim WHERE id = {claim}")
    store.update_claim(claim, text=text, notes=notes)
    store.update_source(source.scalar_one(), name=text[:400])


def _walk(qtbot: QtBot, window: MainWindow, session: WorkspaceSession, claim: int, hostile: str) -> list[str]:
    window.table.select_claim(claim)
    session.set_pinned(claim)
    window.status.hint(f"marked: {hostile}")
    shown = _ask_every_tooltip(qtbot, window)
    window.status.error(f"cannot link: {hostile}")
    shown += _ask_every_tooltip(qtbot, window)
    _lay_out_every_label(window)
    box = QMessageBox(QMessageBox.Icon.Warning, "Crosscheck", hostile, QMessageBox.StandardButton.Ok, window)
    box.show()
    _lay_out_every_label(box)
    box.close()
    QApplication.processEvents()
    return shown


def test_the_watch_sees_qt_read_an_image_that_is_rendered(bait: tuple[Path, FileWatch], qapp: Any) -> None:
    """Positive control: rendering the same text as HTML does read the file, and the watch sees it."""
    secret, watch = bait
    document = QTextDocument()
    document.setHtml(f'<img src="{secret.as_uri()}">')
    document.size()  # layout loads the image
    assert "secret.png" in watch.touched()


def test_hostile_texts_in_claims_and_sources_make_the_window_read_no_file(
    bait: tuple[Path, FileWatch],
    qtbot: QtBot,
    review_session: WorkspaceSession,
    open_window: Callable[[WorkspaceSession], MainWindow],
    sample_ids: dict[str, int],
) -> None:
    secret, watch = bait
    hostile = f'<img src="{secret.as_uri()}"> <b>breach</b> <a href="file:///etc/passwd">x</a>'
    claim = next(iter(sample_ids.values()))
    _make_hostile(review_session, claim, hostile, notes=hostile)
    window = open_window(review_session)
    watch.touched()  # whatever opening the window did (nothing of the bait folder is expected)
    shown = _walk(qtbot, window, review_session, claim, hostile)
    assert watch.touched() == [], "Qt read a file named by untrusted text"
    assert any("secret.png" in tip for tip in shown), "the hostile texts' tooltips were never shown"
    for label in window.findChildren(QLabel):
        assert "<img" not in label.text() or label.textFormat().name == "PlainText"


def test_a_400_kb_unbreakable_note_is_never_laid_out_whole(
    qtbot: QtBot,
    review_session: WorkspaceSession,
    open_window: Callable[[WorkspaceSession], MainWindow],
    sample_ids: dict[str, int],
) -> None:
    token = "x" * 400_000
    claim = next(iter(sample_ids.values()))
    _make_hostile(review_session, claim, "A" * 19_000, notes=token)
    window = open_window(review_session)
    window.table.select_claim(claim)
    review_session.set_pinned(claim)
    window.status.error(f"cannot link: {token}")
    shown = _ask_every_tooltip(qtbot, window)
    labels = _lay_out_every_label(window)
    assert shown and max(len(t) for t in shown) < 5_000
    assert max(len(t) for t in labels) < 5_000
    assert window.status.message_text().endswith(token)  # the whole message is kept, only its display is cut
    # An editor holding the note wraps anywhere: word wrapping is quadratic in an unbreakable run (minutes here).
    holding = [e for e in window.findChildren(QPlainTextEdit) if len(e.toPlainText()) >= 400_000]
    assert holding and all(e.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere for e in holding)


def test_a_graphics_item_tooltip_is_shown_escaped_not_rendered(bait: tuple[Path, FileWatch], qtbot: QtBot) -> None:
    """The views dock's items (graph, timeline, map) carry claim texts in their tooltips."""
    from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QGraphicsView

    from desktop.ui.widgets.plain_text import install_guard

    install_guard()
    secret, watch = bait
    scene = QGraphicsScene()
    item = QGraphicsRectItem(0, 0, 100, 100)
    item.setToolTip(f'<img src="{secret.as_uri()}"> claim')
    scene.addItem(item)
    view = QGraphicsView(scene)
    qtbot.addWidget(view)
    view.resize(300, 300)
    view.show()
    point = view.mapFromScene(item.rect().center())
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    assert QToolTip.isVisible() and "&lt;img" in QToolTip.text()
    QToolTip.hideText()
    QApplication.processEvents()
    assert watch.touched() == []
