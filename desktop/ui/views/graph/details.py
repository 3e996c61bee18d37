"""What the graph says under itself about the selected card: the claim, and each of its links in words.

A link between the card and another claim of the graph is listed with every
analyst's judgement on the pair — the one that counts first — with who made it,
when, and why, so a disagreement (⚑) can be read without leaving the graph.
Plain text; pure (no Qt), so it is tested on its own.
"""

from __future__ import annotations

from typing import Final

from desktop.core.read.neighbourhood import Edge, Neighbourhood, Opinion
from desktop.core.status_marks import STATUS_GLYPHS
from desktop.core.text import one_line
from desktop.ui.views.graph.scene import DISPUTED_FLAG, ROLE_WORDS

MAX_LINKS: Final = 6  # beyond these, a count: the graph itself shows the rest


def card_details(hood: Neighbourhood, claim: int) -> str:
    """The selected card's claim and its links to the other claims drawn, disputed ones first."""
    node = hood.nodes.get(claim)
    if node is None:
        return ""
    role = (
        ROLE_WORDS[node.role]
        + (" · origin" if node.origin else "")
        + (f" · set aside: {node.reason}" if node.reason else "")
    )
    lines = [f"{STATUS_GLYPHS.get(node.status, '·')} {node.source} · {node.ext_id} — {role}"]
    touching = sorted(
        (e for e in hood.edges if claim in (e.from_id, e.to_id)),
        key=lambda e: (not e.disputed, e.kind == "context", e.link),
    )
    for edge in touching[:MAX_LINKS]:
        lines.extend(_edge_lines(hood, edge, claim))
    if len(touching) > MAX_LINKS:
        lines.append(f"… and {len(touching) - MAX_LINKS} more links (see the graph or the detail pane)")
    if not touching:
        lines.append("No link to the other claims drawn here.")
    return "\n".join(lines)


def _edge_lines(hood: Neighbourhood, edge: Edge, claim: int) -> list[str]:
    other = edge.to_id if edge.from_id == claim else edge.from_id
    partner = hood.nodes[other]
    flag = f"   {DISPUTED_FLAG} analysts disagree" if edge.disputed else ""
    lines = [f"With {partner.source} · {partner.ext_id}:{flag}"]
    for opinion in edge.opinions:
        lines.append("    " + _opinion(hood, opinion, counts=opinion.link == edge.link and len(edge.opinions) > 1))
    return lines


def _opinion(hood: Neighbourhood, opinion: Opinion, *, counts: bool) -> str:
    who = opinion.analyst or "(no analyst)"
    when = f" · {opinion.recorded:%Y-%m-%d %H:%M}" if opinion.recorded else ""
    why = f" — “{one_line(opinion.rationale, 120)}”" if opinion.rationale else ""
    said = f"{hood.nodes[opinion.from_id].ext_id} {opinion.relation} {hood.nodes[opinion.to_id].ext_id}"
    return f"{who}: {said}{' (counts)' if counts else ''}{when}{why}"
