"""The main window's menu bar, laid out from the named actions (the keymap decides labels and keys).

Menus are for discovery: every command is in one, with its keys beside it, so an
analyst who reaches for the mouse once learns the key for next time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.core.vocab import CREDIBILITY, RELATIONS, VERDICTS
from desktop.ui.window.mnemonics import install_menu_keys

SEPARATOR = "-"
RECENT = "@recent"  # where File → Open Recent goes (a submenu filled when it opens, not a keymap action)
COLUMNS = "@columns"  # where View → Columns goes (the table's columns, filled when it opens)
SORT = "@sort"  # where View → Sort by goes (the table's columns again, filled when it opens)

# (menu title, entries): an entry is an action name, SEPARATOR, or (submenu title, [names]).
MenuEntry = str | tuple[str, Sequence[str]]
MENUS: tuple[tuple[str, Sequence[MenuEntry]], ...] = (
    (
        "&File",
        (
            "file.new",
            "file.open",
            RECENT,
            SEPARATOR,
            "file.import",
            "file.export",
            "file.export_brief",
            "file.backup",
            SEPARATOR,
            "file.preferences",
            SEPARATOR,
            "file.quit",
        ),
    ),
    (
        "&Edit",
        (
            "edit.undo",
            "edit.redo",
            SEPARATOR,
            "claim.add",
            "claim.edit",
            "claim.edit_text",
            "claim.edit_source",
            "claim.edit_source_reliability",
            "claim.edit_tags",
            "claim.edit_places",
            "claim.edit_notes",
            "claim.edit_kind",
            "claim.edit_claimed",
            "claim.edit_event_start",
            "claim.edit_event_end",
            "claim.edit_event_precision",
            "claim.edit_likelihood",
            "claim.edit_links",
            SEPARATOR,
            "claim.copy_citation",
            "claim.copy_id",
            "claim.select_all",
            "claim.tag_add",
            SEPARATOR,
            "claim.delete",
        ),
    ),
    (
        "&Claim",
        (
            (
                "&Go to",
                (
                    "claim.next",
                    "claim.prev",
                    "claim.first",
                    "claim.last",
                    "claim.next_unreviewed",
                    "claim.goto_pinned",
                ),
            ),
            SEPARATOR,
            "claim.pin",
            (
                "&Link to pinned",
                [f"link.{r}" for r in RELATIONS]
                + [SEPARATOR]
                + [f"link.{r}.why" for r in RELATIONS]
                + [SEPARATOR, "link.remove"],
            ),
            ("C&redibility", [f"grade.{g}" for g in CREDIBILITY] + ["grade.clear", "grade.accept_suggested"]),
            ("&Verdict", [f"verdict.{v}" for v in VERDICTS] + ["verdict.clear"]),
            SEPARATOR,
            "claim.review",
            "claim.unreview",
            "claim.outreach",
            "outreach.pending",
        ),
    ),
    (
        "C&apture",
        (
            "reports.list",
            "reports.paste",
            "reader.focus",
            "reader.close",
            "claim.open_report",
            SEPARATOR,
            "reader.next_paragraph",
            "reader.prev_paragraph",
            "reader.sentence",
            "reader.paragraph",
            "reader.claim",
            "reader.originator",
            "reader.next_span",
            "reader.prev_span",
            SEPARATOR,
            "related.focus",
            (
                "&Related claim",
                [f"related.{r}" for r in RELATIONS] + [SEPARATOR, "related.dismiss", "related.open"],
            ),
        ),
    ),
    (
        "&View",
        (
            "view.filter",
            "view.clear_filter",
            "view.table",
            COLUMNS,
            SORT,
            SEPARATOR,
            "view.graph",
            "view.timeline",
            "view.map",
            "view.as_analyst",
            SEPARATOR,
            "view.palette",
            SEPARATOR,
            "view.history",
            "view.reload",
            SEPARATOR,
            "history.as_of",
            "history.step_back",
            "history.step_forward",
            "history.now",
        ),
    ),
    ("&Tools", ("tools.check", "tools.restore", SEPARATOR, "tools.add_gazetteer")),
    ("&Help", ("help.keys", SEPARATOR, "help.report", "help.about")),
)


def fill_menu(menu: QMenu, entries: Sequence[MenuEntry], actions: Mapping[str, QAction]) -> None:
    """Add ``entries`` (action names, separators, submenus) to ``menu`` (the menu bar and context menus)."""
    for entry in entries:
        if entry == SEPARATOR:
            menu.addSeparator()
        elif entry == RECENT:
            menu.addMenu("Open &Recent").setObjectName(RECENT)
        elif entry == COLUMNS:
            menu.addMenu("&Columns").setObjectName(COLUMNS)
        elif entry == SORT:
            menu.addMenu("&Sort by").setObjectName(SORT)
        elif isinstance(entry, tuple):
            fill_menu(menu.addMenu(entry[0]), entry[1], actions)
        else:
            menu.addAction(actions[entry])


def add_menu_titles(window: QMainWindow) -> dict[str, QMenu]:
    """The menu bar's menus, empty, by title (without the ``&``): part of the window's first paint."""
    return {title.replace("&", ""): window.menuBar().addMenu(title) for title, _entries in MENUS}


def build_menus(
    window: QMainWindow, actions: Mapping[str, QAction], menus: dict[str, QMenu] | None = None
) -> dict[str, QMenu]:
    """Fill the menus ``add_menu_titles`` made (made here if not given); returns them by title.

    Every entry gets a letter of its own (``mnemonics``): with a menu open, the letter picks it
    (and not the table's single-letter command behind the menu).
    """
    menus = add_menu_titles(window) if menus is None else menus
    for title, entries in MENUS:
        menu = menus[title.replace("&", "")]
        fill_menu(menu, entries, actions)
        install_menu_keys(menu)
    return menus


def menu_names(entries: Sequence[MenuEntry] | None = None) -> list[str]:
    """Every action name placed in the menus (a test checks that no command is left out)."""
    found: list[str] = []
    for entry in entries if entries is not None else [e for _, group in MENUS for e in group]:
        if isinstance(entry, tuple):
            found += menu_names(entry[1])
        elif entry not in (SEPARATOR, RECENT, COLUMNS, SORT):
            found.append(entry)
    return found
