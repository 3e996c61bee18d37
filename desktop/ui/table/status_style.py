"""How a claim's status looks: a glyph of its own shape, its name, a colour, an explanation.

Every status reads without colour (in a greyscale screenshot, to a colour-blind
analyst). The circles grade agreement — ● corroborated across sides, ◐ aligned on
one side only, ○ checked but unconfirmed, ◌ unverified — and conflict has shapes of
its own: ⇄ contested (pulled both ways), ✖ contradicted. The analyst's verdict uses
✔ ✘ ∼, never a status glyph, so "✔ confirmed · ✖ contradicted ⚠" cannot be misread.

Colours come in a light and a dark variant of the same hue, so a glyph keeps its
contrast on either palette. The claim table uses all of this; the detail pane can.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor, QGuiApplication, QPalette

STATUS_GLYPHS: Final = {
    "corroborated": "●",
    "aligned": "◐",
    "unconfirmed": "○",
    "unverified": "◌",
    "contradicted": "✖",
    "contested": "⇄",
}
VERDICT_GLYPHS: Final = {"confirmed": "✔", "refuted": "✘", "inconclusive": "∼"}
DISPUTED_GLYPH: Final = "⚠"
STATUS_MEANINGS: Final = {
    "corroborated": "supported from an independent origin on another side (or an unaligned one)",
    "aligned": "supported from independent origins, all on its own side",
    "unconfirmed": "checked: addressed from an independent origin that neither confirms nor denies it",
    "unverified": "a single source: nothing links to it yet",
    "contradicted": "a claim from an independent origin says it cannot be true",
    "contested": "claims from independent origins both support and contradict it",
}
# (on a light palette, on a dark one): the same hues, darker or lighter so the glyph
# keeps its contrast against the row whatever the palette.
STATUS_COLOURS: Final = {
    "corroborated": ("#2b8a3e", "#69db7c"),
    "aligned": ("#1c6fb8", "#74c0fc"),
    "unconfirmed": ("#9a7400", "#ffd43b"),
    "unverified": ("#6b7280", "#a0a7b4"),
    "contradicted": ("#c92a2a", "#ff8787"),
    "contested": ("#c85a00", "#ffa94d"),
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
