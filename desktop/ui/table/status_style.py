"""How a claim's status looks: a glyph of its own shape, its name, a colour, an explanation.

The glyphs and colours themselves are ``desktop.core.status_marks`` (the brief
writes the same ones); this module adds what the window needs on top: the colour
for the current palette, the label and the tooltip in words.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor, QGuiApplication, QPalette

# Re-exported: the table's painter reads them through this module.
from desktop.core.status_marks import DISPUTED_GLYPH as DISPUTED_GLYPH
from desktop.core.status_marks import STATUS_COLOURS as STATUS_COLOURS
from desktop.core.status_marks import STATUS_GLYPHS as STATUS_GLYPHS
from desktop.core.status_marks import VERDICT_GLYPHS as VERDICT_GLYPHS

STATUS_MEANINGS: Final = {
    "corroborated": "supported from an independent origin on another side (or an unaligned one)",
    "aligned": "supported from independent origins, all on its own side",
    "unconfirmed": "checked: addressed from an independent origin that neither confirms nor denies it",
    "unverified": "a single source: nothing links to it yet",
    "contradicted": "a claim from an independent origin says it cannot be true",
    "contested": "claims from independent origins both support and contradict it",
}
VERDICT_STATUS: Final = {"confirmed": "corroborated", "refuted": "contradicted", "inconclusive": "unverified"}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def status_colour(status: str, palette: QPalette | None = None) -> QColor:
    """The colour of a status (or a verdict) that keeps its contrast on ``palette`` (default: the app's)."""
    light, dark = STATUS_COLOURS.get(VERDICT_STATUS.get(status, status), STATUS_COLOURS["unverified"])
    return QColor(dark if is_dark(palette or QGuiApplication.palette()) else light)


def status_label(status: str, verdict: str | None = None, disputed: bool = False) -> str:
    """The status as text: "◌ unverified", or with a verdict "✔ confirmed · ✖ contradicted ⚠"."""
    derived = f"{STATUS_GLYPHS.get(status, '·')} {status}"
    if not verdict:
        return derived
    flag = f" {DISPUTED_GLYPH}" if disputed else ""
    return f"{VERDICT_GLYPHS.get(verdict, '·')} {verdict} · {derived}{flag}"


def status_tooltip(status: str, verdict: str | None = None, disputed: bool = False) -> str:
    """What the status means, in words (and the verdict's, when there is one)."""
    lines = [f"{STATUS_GLYPHS.get(status, '·')} {status.capitalize()}: {STATUS_MEANINGS.get(status, '')}."]
    if verdict:
        lines.insert(0, f"{VERDICT_GLYPHS.get(verdict, '·')} Your verdict: {verdict}. Derived status:")
        if disputed:
            lines.append(f"{DISPUTED_GLYPH} The evidence disputes the verdict: check the verdict or the links.")
    return "\n".join(lines)
