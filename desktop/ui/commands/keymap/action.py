"""What a named command is (``KeyAction``) and the contexts its keys fire in.

Contexts decide when a key fires:

``table``
    Only while the claim table (or its viewport) has focus. Every single-key
    binding (letters, digits, Space, Delete, ``/``, ``?``) lives here, so typing
    "cx" in the filter bar or a detail-pane field types text and marks nothing.
``reader``
    Only while the reader pane (a report's text, read-only) has focus: single
    keys select sentences and paragraphs and make claims from the selection.
``related``
    Only while the related-claims list has focus: single keys link the current
    claim to the highlighted suggestion or dismiss it.
``window``
    Anywhere in the main window, also inside text fields: Ctrl/Alt combinations,
    function keys and Esc. (A text field still keeps the standard editing keys
    it claims for itself, e.g. Ctrl+Z undoes typing inside a line edit.)

There is deliberately no application-wide context: an ``ApplicationShortcut``
becomes ambiguous (and dead) the moment a second main window exists.

An action may add single-key ``table_keys`` to window-wide keys (``u`` beside
Ctrl+Z): a QAction has one shortcut context, so ``actions.py`` binds those
through a hidden alias on the table that triggers the same action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Context = Literal["table", "reader", "related", "window"]
#: Contexts live only while one read-only part of the window has focus: single keys are safe there.
PANEL_CONTEXTS: Final = ("table", "reader", "related")

#: Categories in the order the cheat sheet and the palette group them.
CATEGORIES: Final = (
    "Navigate",
    "Link",
    "Grade",
    "Verdict",
    "Review",
    "Claim",
    "Capture",
    "Related",
    "Edit",
    "View",
    "Workspace",
    "Help",
)


@dataclass(frozen=True)
class KeyAction:
    name: str  # stable command name, e.g. "link.contradicts"
    label: str  # menu and palette text
    keys: tuple[str, ...]  # QKeySequence portable strings, in ``context``
    context: Context
    category: str
    description: str  # status tip and cheat-sheet text
    table_keys: tuple[str, ...] = ()  # extra keys that work only while the table has focus
    repeat: bool = False  # auto-repeat when held: only for movement (Anki turns it off for the rest)

    @property
    def all_keys(self) -> tuple[str, ...]:
        return self.keys + self.table_keys


def action(
    name: str,
    label: str,
    keys: str | tuple[str, ...],
    context: Context,
    category: str,
    description: str,
    table_keys: tuple[str, ...] = (),
    repeat: bool = False,
) -> KeyAction:
    return KeyAction(
        name, label, (keys,) if isinstance(keys, str) else keys, context, category, description, table_keys, repeat
    )
