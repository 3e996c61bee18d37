"""The house rules of the layout, checked on the source: the core knows no Qt, commands know no window."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "desktop"


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever the import stands (``TYPE_CHECKING`` blocks and functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _offenders(folder: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT.parent)} imports {name}"
        for path in (ROOT / folder).rglob("*.py")
        for name in _imports(path)
        if name.startswith(forbidden) and not name.startswith(allowed)
    )


def test_the_core_never_imports_qt_or_the_window() -> None:
    assert _offenders("core", ("PySide6", "desktop.ui")) == []


def test_commands_never_import_the_window() -> None:
    """Commands reach the window through ``CommandHost`` only — not even under TYPE_CHECKING."""
    assert _offenders("ui/commands", ("desktop.ui.window",)) == []


def test_the_window_parts_never_import_the_window_or_the_commands() -> None:
    """Table, detail pane, widgets and dialogs are parts the window composes; they never reach back up.

    The keymap is the exception: it is data (every key and its command), and a hint that names a key
    takes the key from there, so that a key is spelled in one place only.
    """
    for part in ("ui/table", "ui/detail", "ui/widgets", "ui/dialogs"):
        assert _offenders(part, ("desktop.ui.window", "desktop.ui.commands"), ("desktop.ui.commands.keymap",)) == []


_COMMAND_KEY = re.compile(r"\b(?:Ctrl|Alt|Shift|Meta)\+(?:[A-Z0-9]|F\d{1,2})\b|\bF\d{1,2}\b")


def _spelled_keys(path: Path) -> list[str]:
    """Command keys (``Ctrl+Z``, ``Shift+U``, ``F5``) written in the strings of ``path``, docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }
    return [
        f"{path.relative_to(ROOT.parent)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and _COMMAND_KEY.search(node.value)
    ]


def test_command_keys_are_spelled_only_in_the_keymap() -> None:
    """A message that names a command's key asks the keymap (key_of, link_keys), so a rebinding reaches it."""
    keymap = ROOT / "ui" / "commands" / "keymap"
    found = [line for path in (ROOT / "ui").rglob("*.py") if keymap not in path.parents for line in _spelled_keys(path)]
    assert found == []
