"""How a status and a verdict are written wherever they appear: the window, the brief, the graph.

Every status reads without colour (in a greyscale screenshot, a printed brief, to a
colour-blind analyst). The circles grade agreement — ● corroborated across sides,
◐ aligned on one side only, ○ checked but unconfirmed, ◌ unverified — and conflict
has shapes of its own: ⇄ contested (pulled both ways), ✖ contradicted. The
analyst's verdict uses ✔ ✘ ∼, never a status glyph, so "✔ confirmed · ✖
contradicted ⚠" cannot be misread.

The colours come in a light and a dark variant of the same hue, so a glyph keeps
its contrast on either palette; the brief, printed on white, uses the light one.
One table here, so the window and the documents it writes never drift apart.
"""

from __future__ import annotations

from typing import Final

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
# (on a light background, on a dark one): the same hues, darker or lighter so the glyph
# keeps its contrast against the row whatever the palette.
STATUS_COLOURS: Final = {
    "corroborated": ("#2b8a3e", "#69db7c"),
    "aligned": ("#1c6fb8", "#74c0fc"),
    "unconfirmed": ("#9a7400", "#ffd43b"),
    "unverified": ("#6b7280", "#a0a7b4"),
    "contradicted": ("#c92a2a", "#ff8787"),
    "contested": ("#c85a00", "#ffa94d"),
}
