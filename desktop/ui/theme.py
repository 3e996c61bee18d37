"""The window's colours: the system's, or light, or dark (Preferences → Theme).

"system" leaves the platform's palette alone; "light" and "dark" use the Fusion
style with a fixed palette, so they look the same on every desktop. The claim
table's status chips take their colours from the palette, so they follow.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#dfe1e5",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.Text: "#dfe1e5",
    QPalette.ColorRole.Button: "#35373b",
    QPalette.ColorRole.ButtonText: "#dfe1e5",
    QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#35373b",
    QPalette.ColorRole.ToolTipText: "#dfe1e5",
    QPalette.ColorRole.PlaceholderText: "#8c8f94",
    QPalette.ColorRole.Link: "#6ea8fe",
    QPalette.ColorRole.Mid: "#45474b",
    QPalette.ColorRole.Dark: "#1a1b1e",
    QPalette.ColorRole.Light: "#4a4d52",
}
_system: dict[str, object] = {}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d82"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch ``app`` to ``theme`` ("system", "light" or "dark"); the first call remembers the system's look."""
    style = app.style()
    if not _system:
        _system["style"] = style.name() if style is not None else "fusion"
        _system["palette"] = QPalette(app.palette())
    if theme == "system":
        app.setStyle(str(_system["style"]))
        palette = _system["palette"]
        assert isinstance(palette, QPalette)
        app.setPalette(palette)
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())
