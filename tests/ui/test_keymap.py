"""The keymap is complete and conflict-free; the cheat sheet and the palette are generated from it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from desktop.ui.commands.cheatsheet import CheatSheet, cheatsheet_text, filter_help
from desktop.ui.commands.keymap import BY_NAME, KEYMAP
from desktop.ui.commands.keymap.action import CATEGORIES, PANEL_CONTEXTS, KeyAction
from desktop.ui.commands.palette import Command, rank
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.menus import menu_names
from tests.ui.window_fixtures import (  # noqa: F401  (fixtures)
    OFFSCREEN_NOISE,
    open_window_fixture,
    review_session_fixture,
    settings_dir_fixture,
    window_fixture,
)

pytestmark = OFFSCREEN_NOISE

_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def _bindings() -> list[tuple[str, str, str]]:
    """(portable key sequence, context it is live in, command name) for every key of every command."""
    found = []
    for entry in KEYMAP:
        for keys in entry.keys:
            found.append((QKeySequence(keys).toString(), entry.context, entry.name))
        for keys in entry.table_keys:
            found.append((QKeySequence(keys).toString(), "table", entry.name))
    return found


def _overlap(a: str, b: str) -> bool:
    # The table, the reader and the related list are inside the window: a window key is live in them
    # too; each panel's own keys are live only while that panel has focus.
    return a == b or "window" in (a, b)


def test_every_command_has_name_label_keys_category_and_description() -> None:
    assert len({e.name for e in KEYMAP}) == len(KEYMAP)
    for entry in KEYMAP:
        assert entry.name and "." in entry.name and entry.label and entry.description, entry
        assert entry.keys, f"{entry.name} has no shortcut"
        assert entry.category in CATEGORIES, entry
        assert entry.context in ("table", "reader", "related", "window"), entry
        for keys in entry.all_keys:
            assert not QKeySequence(keys).isEmpty(), (entry.name, keys)
            assert QKeySequence(keys).toString() != "", (entry.name, keys)


def test_no_two_commands_share_a_key_in_overlapping_contexts() -> None:
    bindings = _bindings()
    for i, (keys_a, context_a, name_a) in enumerate(bindings):
        for keys_b, context_b, name_b in bindings[i + 1 :]:
            if not _overlap(context_a, context_b):
                continue
            assert keys_a != keys_b, f"{keys_a} is bound to both {name_a} and {name_b}"
            # A chord must not start with a key that is bound on its own (Qt would wait, then be ambiguous).
            first_a, first_b = keys_a.split(", ")[0], keys_b.split(", ")[0]
            assert not (", " in keys_a and keys_b == first_a), (name_a, name_b)
            assert not (", " in keys_b and keys_a == first_b), (name_a, name_b)


def test_single_keys_only_fire_while_the_table_has_focus() -> None:
    """A key without Ctrl/Alt/Meta types text in a field, so it may only be bound where nothing is typed:
    the table, the reader (read-only text) or the related-claims list."""
    for keys, context, name in _bindings():
        combination = QKeySequence(keys)[0]
        commanding = combination.keyboardModifiers() & _COMMAND_MODIFIERS
        key = combination.key()
        function_key = Qt.Key.Key_F1.value <= key.value <= Qt.Key.Key_F35.value
        if not commanding and not function_key and key != Qt.Key.Key_Escape:
            assert context in PANEL_CONTEXTS, f"{name}: {keys} would fire while typing in a text field"


def test_the_proposed_keys_are_bound() -> None:
    expected = {
        "claim.next": "J",
        "claim.prev": "K",
        "claim.first": "G",
        "claim.last": "Shift+G",
        "claim.pin": "P",
        "link.corroborates": "C",
        "link.contradicts": "X",
        "link.neutral": "N",
        "link.repeats": "R",
        "link.contradicts.why": "Shift+X",
        "grade.1": "1",
        "grade.6": "6",
        "grade.clear": "0",
        "verdict.confirmed": "V, C",
        "verdict.refuted": "V, R",
        "verdict.inconclusive": "V, I",
        "verdict.clear": "V, 0",
        "claim.review": "Space",
        "claim.outreach": "O",
        "claim.add": "A",
        "claim.edit": "Return",
        "claim.delete": "Del",
        "edit.undo": "Ctrl+Z",
        "edit.redo": "Ctrl+Shift+Z",
        "view.filter": "/",
        "view.table": "Esc",
        "view.palette": "Ctrl+K",
        "help.keys": "?",
        "file.open": "Ctrl+O",
        "file.new": "Ctrl+N",
        "file.import": "Ctrl+I",
        "file.export": "Ctrl+E",
        "file.backup": "Ctrl+B",
        "file.quit": "Ctrl+Q",
        "view.reload": "F5",
    }
    for name, keys in expected.items():
        bound = [QKeySequence(k).toString() for k in BY_NAME[name].all_keys]
        assert keys in bound, (name, bound)


def test_only_movement_auto_repeats() -> None:
    movement = {"claim.next", "claim.prev", "reader.next_paragraph", "reader.prev_paragraph"}
    assert {e.name for e in KEYMAP if e.repeat} == movement


def test_every_command_is_in_a_menu() -> None:
    placed = menu_names()
    assert len(placed) == len(set(placed))
    assert set(placed) == set(BY_NAME)


def test_cheat_sheet_lists_every_command_with_its_keys(qtbot: QtBot) -> None:
    sheet = CheatSheet()
    qtbot.addWidget(sheet)
    assert sorted(sheet.listed_names()) == sorted(BY_NAME)
    text = cheatsheet_text()
    for entry in KEYMAP:
        assert entry.label in text
    assert "place:" in text and "cred:" in text and "reviewed:" in text


def test_cheat_sheet_search_narrows_the_list(qtbot: QtBot) -> None:
    sheet = CheatSheet()
    qtbot.addWidget(sheet)
    qtbot.keyClicks(sheet.search, "verdict")
    shown = sheet.listed_names(visible_only=True)
    assert "verdict.refuted" in shown and "link.contradicts" not in shown
    sheet.search.clear()
    assert len(sheet.listed_names(visible_only=True)) == len(KEYMAP)


def test_a_cheat_sheet_narrower_than_a_description_wraps_it_rather_than_cutting_it(qtbot: QtBot) -> None:
    sheet = CheatSheet()
    qtbot.addWidget(sheet)
    sheet.resize(760, 600)
    with qtbot.waitExposed(sheet):
        sheet.show()
    longest = max(KEYMAP, key=lambda entry: len(entry.description))
    item = next(
        child
        for i in range(sheet.tree.topLevelItemCount())
        for group in [sheet.tree.topLevelItem(i)]
        if group is not None
        for j in range(group.childCount())
        if (child := group.child(j)) is not None and child.data(0, Qt.ItemDataRole.UserRole) == longest.name
    )
    line = sheet.tree.fontMetrics().height()
    # wrapped onto a second line, all of it readable (the rows are laid out again after the resize)
    qtbot.waitUntil(lambda: sheet.tree.visualItemRect(item).height() >= 2 * line)


def test_filter_help_names_every_filter_field() -> None:
    from desktop.core.search import FIELDS

    help_text = filter_help()
    for name in FIELDS:
        assert f"{name}:" in help_text


class _Action:
    def __init__(self, enabled: bool = True) -> None:
        self._enabled = enabled

    def isEnabled(self) -> bool:  # noqa: N802 — the QAction method it stands in for
        return self._enabled


def _commands() -> list[Command]:
    return [Command(entry, _Action()) for entry in KEYMAP]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("contr", "link.contradicts"),
        ("undo", "edit.undo"),
        ("pin", "claim.pin"),
        ("mark rev", "claim.review"),
        ("export", "file.export"),
        ("cheat", "help.keys"),
        ("shortcuts", "help.keys"),
        ("refuted", "verdict.refuted"),
    ],
)
def test_palette_ranks_the_intended_command_first(query: str, expected: str) -> None:
    ranked = rank(query, _commands())
    assert ranked and ranked[0].entry.name == expected, [c.entry.name for c in ranked[:5]]


def test_palette_with_empty_query_lists_everything_in_keymap_order() -> None:
    assert [c.entry.name for c in rank("", _commands())] == [e.name for e in KEYMAP]


def test_palette_finds_nothing_for_gibberish() -> None:
    assert rank("zzqqxx", _commands()) == []


def _entry(name: str) -> KeyAction:
    return BY_NAME[name]


def test_palette_runs_contradicts_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, sample_ids: dict[str, int]
) -> None:
    """Ctrl+K, "contr", Enter marks the current claim as contradicting the pinned one."""
    session = window.session
    pinned, current = sample_ids["c-genstaff-repelled"], sample_ids["c-mb-klishchiivka"]
    window.table.select_claim(pinned)
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    window.table.select_claim(current)
    qtbot.keyClick(window.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.palette_popup
    assert palette is not None and palette.isVisible()
    qtbot.keyClicks(palette.query, "contr")
    assert palette.current_name() == "link.contradicts"
    qtbot.keyClick(palette.query, Qt.Key.Key_Return)
    assert not palette.isVisible()
    link = session.store.link_between(current, pinned)
    assert link is not None and link["relation"] == "contradicts" and link["from_id"] == current
    assert window.table.hasFocus()


def test_palette_shows_disabled_commands_greyed_and_will_not_run_them(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.palette_popup
    assert palette is not None
    assert "link.contradicts" in palette.visible_names()  # nothing pinned: listed, but disabled
    qtbot.keyClicks(palette.query, "contradicts pinned")
    item = palette.list.topLevelItem(palette.visible_names().index("link.contradicts"))
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert palette.current_name() != "link.contradicts"
    qtbot.keyClick(palette.query, Qt.Key.Key_Escape)
    assert not palette.isVisible()
    assert window.session.undo_stack.count() == 0


def test_palette_moves_with_arrows_and_skips_disabled_rows(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.palette_popup
    assert palette is not None
    first = palette.current_name()
    qtbot.keyClick(palette.query, Qt.Key.Key_Down)
    second = palette.current_name()
    assert second != first
    assert window.named_actions[second].isEnabled()  # type: ignore[index]
    qtbot.keyClick(palette.query, Qt.Key.Key_Up)
    assert palette.current_name() == first
    qtbot.keyClick(palette.query, Qt.Key.Key_Escape)


def test_actions_carry_the_keymap(window: MainWindow) -> None:
    for entry in KEYMAP:
        action = window.named_actions[entry.name]
        assert [s.toString() for s in action.shortcuts()] == [QKeySequence(k).toString() for k in entry.keys]
        panel = entry.context in PANEL_CONTEXTS
        expected = Qt.ShortcutContext.WidgetWithChildrenShortcut if panel else Qt.ShortcutContext.WindowShortcut
        assert action.shortcutContext() == expected
        assert action.autoRepeat() == entry.repeat
        assert action.statusTip()
    assert _entry("edit.undo").table_keys == ("U",)
    assert [s.toString() for s in window.commands.aliases["edit.undo"].shortcuts()] == ["U"]
