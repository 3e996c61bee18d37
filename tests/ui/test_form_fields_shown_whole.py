"""What a form or a list shows of a long value: its start, and names in full where there is room."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from desktop.ui.dialogs.source_dialog import SourceDialog
from desktop.ui.outputs.export_dialog import ExportDialog, file_stem
from desktop.ui.reader.originator import OriginatorDialog
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.core._detail_workspace import build
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE


def test_the_source_form_shows_the_start_of_each_long_value(qtbot: QtBot, empty_session: WorkspaceSession) -> None:
    ids = build(empty_session.store)
    long_aliases = [f"alias number {n}" for n in range(12)]
    empty_session.store.update_source(ids["src:rybar"], aliases=long_aliases)
    dialog = SourceDialog(empty_session, source_id=ids["src:rybar"])
    qtbot.addWidget(dialog)
    assert dialog.aliases.text().startswith("alias number 0, ")
    assert dialog.aliases.cursorPosition() == 0  # the first aliases in view, not the last
    assert dialog.url.cursorPosition() == 0


def test_who_the_report_quotes_lists_sources_by_their_full_names(qtbot: QtBot, empty_session: WorkspaceSession) -> None:
    build(empty_session.store)
    dialog = OriginatorDialog(empty_session, "The think tank said so.", publisher=None)
    qtbot.addWidget(dialog)
    shown = [dialog.choices.item(i).text() for i in range(dialog.choices.count())]
    assert "Institute for the Study of War · unaligned · B" in shown


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Brief: workspace", "Brief-workspace"),
        ("  Bakhmut — 15 Dec / evening  ", "Bakhmut-15-Dec-evening"),
        ("Бахмут: брифінг", "Бахмут-брифінг"),
        (":::", "brief"),
    ],
)
def test_a_briefs_file_name_joins_its_titles_words_with_single_hyphens(title: str, stem: str) -> None:
    assert file_stem(title) == stem


def test_the_export_suggests_a_clean_file_name(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suggested: list[str] = []

    def answer(dialog: ExportDialog) -> int:
        dialog.title.setText("Brief: Bakhmut, evening")
        return QDialog.DialogCode.Accepted

    def save_as(*args: object, **_kwargs: object) -> tuple[str, str]:
        suggested.append(str(args[2]))
        return "", ""  # cancelled

    monkeypatch.setattr(ExportDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.named_actions["file.export_brief"].trigger()
    assert [Path(s).stem for s in suggested] == ["Brief-Bakhmut-evening"]
