"""Menu mnemonics: a letter per menu entry, underlined, that picks it while the menu is open.

Qt opens a menu with Alt+its letter, but inside an open menu a letter does
something only if the entry's text marks one with ``&``; the keymap's labels are
plain words (the palette, the cheat sheet and the tooltips show them), so
without this an open menu answered no letter at all. ``assign_mnemonics`` gives
every entry of a menu its own letter, preferring the initial of the word that
sets it apart from its neighbours ("Edit &tags", "Credibility &2 — probably
true", "Verdict: &refuted"); an entry left without a free letter keeps none.
Letters an entry already marks (a submenu's title such as "&Columns") are kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QMenu

_WORD = re.compile(r"\w+")
# Words that say little about an entry: their letters are tried last.
_CHORD = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
_FILLER = frozenset({"a", "an", "the", "of", "to", "on", "as", "at", "by", "and", "or", "with", "from", "in"})


def marked_letter(text: str) -> str | None:
    """The letter or digit ``text`` marks with ``&``, folded; None when it marks none (``&&`` is a literal ``&``)."""
    index = 0
    while (index := text.find("&", index)) != -1:
        following = text[index + 1 : index + 2]
        if following.isalnum():
            return following.casefold()
        index += 2  # "&&", or an ampersand before a space: a literal one
    return None


def _candidates(text: str, common: Counter[str]) -> list[int]:
    """Positions in ``text`` worth a mnemonic, best first: initials of the rarest words, then any letter."""
    words = [(m.start(), m.group().casefold()) for m in _WORD.finditer(text)]
    ranked = sorted(
        range(len(words)),
        key=lambda i: (words[i][1] in _FILLER, common[words[i][1]], i),
    )
    initials = [words[i][0] for i in ranked]
    rest = [start + k for i in ranked for start, word in [words[i]] for k in range(1, len(word))]
    return initials + rest


def with_mnemonic(text: str, taken: set[str], common: Counter[str] | None = None) -> str:
    """``text`` with ``&`` before its best letter not in ``taken`` (which gains it); unchanged if none is free."""
    if marked_letter(text) is not None:
        taken.add(marked_letter(text) or "")
        return text
    plain = text.replace("&", "&&")  # a literal ampersand must not become the mnemonic
    for position in _candidates(text, common or Counter()):
        letter = text[position].casefold()
        if letter.isalnum() and letter not in taken:
            taken.add(letter)
            shift = text[:position].count("&")  # each literal & before it was doubled
            at = position + shift
            return plain[:at] + "&" + plain[at:]
    return plain


def retitle(action: QAction, text: str) -> None:
    """Give ``action`` a new text that keeps its mnemonic letter (Undo's "&Undo credibility 3")."""
    letter = marked_letter(action.text())
    action.setText(with_mnemonic(text, set(), None) if letter is None else _mark(text, letter))


def _mark(text: str, letter: str) -> str:
    """``text`` with ``letter`` marked: at a word's start if it begins one, else its first occurrence."""
    plain = text.replace("&", "&&")
    starts = [m.start() for m in _WORD.finditer(plain) if plain[m.start()].casefold() == letter]
    anywhere = [i for i, ch in enumerate(plain) if ch.casefold() == letter]
    found = starts or anywhere
    return plain[: found[0]] + "&" + plain[found[0] :] if found else plain


def assign_mnemonics(menu: QMenu) -> None:
    """Give each entry of ``menu`` (and of its submenus, each on its own) a letter of its own."""
    entries: Sequence[QAction] = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    common = Counter(word.casefold() for a in entries for word in set(_WORD.findall(a.text())))
    taken = {letter for a in entries if (letter := marked_letter(a.text())) is not None}
    for action in entries:
        if marked_letter(action.text()) is None:
            action.setText(with_mnemonic(action.text(), taken, common))
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            assign_mnemonics(submenu)


class MenuKeys(QObject):
    """Event filter on a menu: plain keys go to the open menu, and a menu filled as it opens gets its letters.

    While a menu is open, Qt still counts the claim table as the focus widget, so the table's
    single-letter shortcuts (``m`` edit notes, ``c`` corroborates…) matched before the menu saw
    the key: a letter in an open menu ran a table command behind it. Accepting the shortcut
    override for a key without Ctrl, Alt or Meta hands it to the menu (its mnemonics, its
    arrows); Ctrl shortcuts still work with a menu open.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QMenu):
            return False
        if event.type() == QEvent.Type.Show:
            assign_mnemonics(watched)  # Open Recent, Columns: filled on aboutToShow, just before
        elif event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if not event.modifiers() & _CHORD and event.text().isprintable() and event.text():
                event.accept()
                return True
        return False


def install_menu_keys(menu: QMenu) -> None:
    """Give ``menu`` and its submenus their letters, and the keyboard while they are open."""
    assign_mnemonics(menu)
    keys = MenuKeys(menu)
    for each in [menu, *menu.findChildren(QMenu)]:
        each.installEventFilter(keys)
