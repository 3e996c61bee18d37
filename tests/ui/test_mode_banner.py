"""The mode banner (pytest-qt): hidden until it has something to say; plain text; progress beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.widgets.banner import ModeBanner


def test_the_banner_is_hidden_until_told_and_hides_again(qtbot: QtBot) -> None:
    banner = ModeBanner()
    qtbot.addWidget(banner)
    assert banner.isHidden() and banner.text() == ""
    banner.show_mode("As of 2022-12-15 10:02 UTC — read-only")
    assert not banner.isHidden() and banner.text() == "As of 2022-12-15 10:02 UTC — read-only"
    assert banner.bar.isHidden()
    banner.clear()
    assert banner.isHidden() and banner.text() == ""


def test_progress_shows_a_bar_and_the_mode_hides_it(qtbot: QtBot) -> None:
    banner = ModeBanner()
    qtbot.addWidget(banner)
    banner.progress("Replaying…", 0.25)
    assert not banner.bar.isHidden() and banner.bar.value() == banner.bar.maximum() // 4
    banner.progress("Replaying…")
    assert (banner.bar.minimum(), banner.bar.maximum()) == (0, 0)  # busy, end unknown
    banner.show_mode("done")
    assert banner.bar.isHidden()


def test_the_banner_shows_markup_as_it_is(qtbot: QtBot) -> None:
    banner = ModeBanner()
    qtbot.addWidget(banner)
    banner.show_mode("as analyst <b>anna</b>")
    assert banner.label.text() == "as analyst <b>anna</b>"
    assert banner.label.textFormat() == Qt.TextFormat.PlainText
