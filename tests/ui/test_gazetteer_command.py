"""Tools ▸ Add the shipped gazetteer, and the places' absence said where it is felt (pytest-qt).

A workspace made with File ▸ New or ``--db new.sqlite`` starts without places; the command adds the
shipped ones as one undoable step, and the place picker, a ``place:`` filter and the map say how.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.gazetteer import shipped_places
from desktop.ui.commands.keymap import NO_PLACES, key_of
from desktop.ui.dialogs.place_picker import PlacePickerDialog
from desktop.ui.session import WorkspaceSession
from desktop.ui.window.main_window import MainWindow
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    settings_dir_fixture,
)

pytestmark = OFFSCREEN_NOISE


def _place_count(session: WorkspaceSession) -> int:
    with session.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM place").scalar_one())


def test_the_command_adds_the_shipped_places_once_as_one_undo_step(
    open_window: Callable[[WorkspaceSession], MainWindow], empty_session: WorkspaceSession, qtbot: QtBot
) -> None:
    window = open_window(empty_session)
    qtbot.keyClick(window.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    shipped = len(shipped_places())
    assert _place_count(empty_session) == shipped
    assert window.status.message_text().startswith(f"Added {shipped} places of the shipped gazetteer")
    window.named_actions["tools.add_gazetteer"].trigger()  # again: nothing to add, and no undo step
    assert (
        window.status.message_text() == f"This workspace already holds all {shipped} places of the shipped gazetteer."
    )
    assert _place_count(empty_session) == shipped
    empty_session.undo()
    assert _place_count(empty_session) == 0


def test_a_place_filter_in_a_workspace_without_places_names_the_command(
    open_window: Callable[[WorkspaceSession], MainWindow], empty_session: WorkspaceSession
) -> None:
    window = open_window(empty_session)
    window.apply_filter("place:bakhmut")
    message = window.filter_bar.message.text()
    assert message.startswith(NO_PLACES) and key_of("tools.add_gazetteer") in message
    window.named_actions["tools.add_gazetteer"].trigger()
    assert not window.filter_bar.message.isVisibleTo(window.filter_bar)  # places now: the filter works
    window.apply_filter("bakhmut")
    assert not window.filter_bar.message.isVisibleTo(window.filter_bar)


def test_the_place_picker_offers_the_gazetteer_when_there_are_no_places(
    qtbot: QtBot, empty_session: WorkspaceSession
) -> None:
    picker = PlacePickerDialog(empty_session)
    qtbot.addWidget(picker)
    assert picker.gazetteer_button.isVisibleTo(picker) and picker.matches() == []
    assert "holds no places yet" in picker.problem.text()
    picker.gazetteer_button.click()
    assert not picker.gazetteer_button.isVisibleTo(picker)
    picker.search.setText("Бахмут")  # QTest types ASCII only
    assert picker.matches()[0].startswith("Bakhmut")
    assert empty_session.undo_stack.count() == 1  # one step, undone as one


def test_the_picker_keeps_to_its_search_where_places_are_held(qtbot: QtBot, session: WorkspaceSession) -> None:
    picker = PlacePickerDialog(session)
    qtbot.addWidget(picker)
    assert not picker.gazetteer_button.isVisibleTo(picker)
    qtbot.keyClicks(picker.search, "nowhere-at-all")
    assert "No place has that name" in picker.problem.text()


def test_the_map_of_a_workspace_without_places_names_the_command(qtbot: QtBot, empty_session: WorkspaceSession) -> None:
    from desktop.ui.views.map.view import MapPanel

    panel = MapPanel(empty_session)
    qtbot.addWidget(panel)
    panel.reload()
    assert NO_PLACES in panel.without_place.text()
    empty_session.perform(lambda store: store.add_places(shipped_places()), "add the shipped gazetteer")
    panel.reload()
    assert NO_PLACES not in panel.without_place.text()
