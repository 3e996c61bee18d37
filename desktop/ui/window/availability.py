"""Whether a command can run now, and if not why: the menus, the palette and the key hints all say it.

The window asks with the state it holds (the undo stack, the current and the
pinned claim, the rows in view); the answer is the reason shown beside a
disabled command, or None.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from desktop.ui.commands.keymap import KEYMAP, PIN_FIRST, key_of

# Commands that act on the current claim (disabled, with a reason, when there is none).
NEEDS_CLAIM = frozenset(
    {"claim.pin", "claim.review", "claim.unreview", "claim.outreach", "claim.delete", "claim.edit"}
    | {"claim.copy_citation", "claim.copy_id", "claim.tag_add"}
    | {"claim.open_report", "related.focus"}
    | {e.name for e in KEYMAP if e.category in ("Grade", "Verdict") or e.name.startswith("claim.edit_")}
)
NEEDS_ROWS = frozenset(
    {"claim.next", "claim.prev", "claim.first", "claim.last", "claim.next_unreviewed", "claim.select_all"}
)


def unavailable_reason(
    name: str, stack: QUndoStack, *, current: int | None, pinned: int | None, rows: int
) -> str | None:
    """Why command ``name`` cannot run now, or None when it can."""
    if name == "edit.undo":
        return None if stack.canUndo() else "nothing to undo"
    if name == "edit.redo":
        return None if stack.canRedo() else "nothing to redo"
    if name == "claim.goto_pinned":
        return None if pinned is not None else f"nothing is pinned ({key_of('claim.pin')} pins the current claim)"
    if name.startswith("link."):
        if pinned is None:
            return PIN_FIRST
        if current is None:
            return "no claim selected"
        if current == pinned:
            return "this is the pinned claim — move to another claim to link it"
        return None
    if name in NEEDS_CLAIM and current is None:
        return "no claim selected"
    if name in NEEDS_ROWS and rows == 0:
        return "no claims in view"
    return None
