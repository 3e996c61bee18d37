"""File → Export brief…: what cannot be exported is said in the dialog, before any file is asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.ui.outputs.export_dialog import ExportDialog
from tests.ui.test_dialogs import opened
from tests.ui.window_fixtures import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ExportDialog:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no organisation remembered
    shown = opened(qtbot, ExportDialog("", "Brief: desk"))
    assert isinstance(shown, ExportDialog)
    shown.organisation.clear()
    return shown


def _enter_in(qtbot: QtBot, dialog: ExportDialog, field: QLineEdit, typed: str) -> None:
    field.setFocus()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("filter", "cred:9", "Claims: cred:"),
        ("filter", "after:zz bakhmut", 'Claims: after: "zz" is not a date'),
        ("as_of", "soon", "As of must be a date"),
        ("as_of", "2999-01-01", "is in the future"),
    ],
)
def test_a_filter_or_moment_that_cannot_be_read_keeps_the_dialog_open_and_says_why(
    qtbot: QtBot, dialog: ExportDialog, field: str, typed: str, said: str
) -> None:
    target: QLineEdit = getattr(dialog, field)
    _enter_in(qtbot, dialog, target, typed)
    assert dialog.isVisible() and dialog.result() != ExportDialog.DialogCode.Accepted
    assert said in dialog.problem.text() and not dialog.problem.isHidden()
    assert QApplication.focusWidget() is target and target.text() == typed  # nothing typed is lost
    assert "--" not in dialog.problem.text()  # the dialog's field names, not the command line's options


def test_claimreview_asks_for_the_organisation_and_a_review_page_in_the_dialog(
    qtbot: QtBot, dialog: ExportDialog
) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    assert dialog.isVisible() and "organisation" in dialog.problem.text()
    assert QApplication.focusWidget() is dialog.organisation
    qtbot.keyClicks(dialog.organisation, "Our Desk")
    qtbot.keyClick(dialog.organisation, Qt.Key.Key_Return)
    assert dialog.isVisible() and "URL" in dialog.problem.text()
    _enter_in(qtbot, dialog, dialog.review_url, "https://desk.example/checks/{id}")
    assert dialog.result() == ExportDialog.DialogCode.Accepted


def test_a_readable_filter_and_moment_go_on_to_the_file(qtbot: QtBot, dialog: ExportDialog) -> None:
    dialog.as_of.setText("2022-12-15")
    _enter_in(qtbot, dialog, dialog.filter, "place:bakhmut status:contested")
    assert dialog.result() == ExportDialog.DialogCode.Accepted and dialog.problem.isHidden()
