"""A dialog that followed the workspace's changes stops with it: a change after it closed is no error."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.ui.reader.reports import ReportsDialog
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _closed_and_deleted(dialog: QDialog) -> None:
    dialog.reject()
    dialog.deleteLater()  # as the commands do after exec()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def test_a_change_after_the_reports_list_closed_is_no_error(qtbot: QtBot, window: MainWindow) -> None:
    dialog = ReportsDialog(window.session, window)
    dialog.show()
    _closed_and_deleted(dialog)
    claim = window.table.current_claim()
    assert claim is not None
    with qtbot.captureExceptions() as raised:
        outcome = window.session.perform(lambda store: store.update_claim(claim, credibility=2), "credibility 2")
    assert outcome.ok
    assert raised == []  # no "Internal C++ object already deleted" from the dead dialog's refresh
