"""Where the evidence graph puts each claim: plain geometry, no Qt (tested on its own).

The cluster (the claim and everything it repeats or is repeated by) sits in the
middle as one group, origins on its first row; supporters stand to its left,
contradictors to its right, neutrals below it, and echoes apart, below and to
the right in a group of their own, because they do not count. Each side fills columns of
at most ``PER_COLUMN`` claims outward from the cluster, so 200 claims stay a
readable block (zoom and fit do the rest) rather than a hairball.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

from desktop.core.read.neighbourhood import Neighbourhood, Node

NODE_W: Final = 230.0
NODE_H: Final = 70.0
GAP_X: Final = 70.0
GAP_Y: Final = 22.0
PER_COLUMN: Final = 10
PAD: Final = 26.0  # inside a group box, around its claims
BAND: Final = 120.0  # between the cluster and the claims around it (room for edge labels)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass
class Layout:
    nodes: dict[int, Box] = field(default_factory=dict)
    cluster: Box = Box(0, 0, 0, 0)
    echoes: Box | None = None


def _order(nodes: list[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (n.source.casefold(), n.ext_id))


def _column_block(nodes: list[Node], x0: float, y_mid: float, leftward: bool) -> dict[int, Box]:
    """``nodes`` in columns of ``PER_COLUMN``, the first column at ``x0``, growing away from the cluster."""
    boxes: dict[int, Box] = {}
    for index, node in enumerate(nodes):
        column, row = divmod(index, PER_COLUMN)
        in_column = min(PER_COLUMN, len(nodes) - column * PER_COLUMN)
        top = y_mid - (in_column * (NODE_H + GAP_Y) - GAP_Y) / 2
        step = (NODE_W + GAP_X) * column
        x = x0 - step if leftward else x0 + step
        boxes[node.id] = Box(x, top + row * (NODE_H + GAP_Y), NODE_W, NODE_H)
    return boxes


def lay_out(hood: Neighbourhood) -> Layout:
    """Positions for every node of ``hood`` (see the module docstring)."""
    layout = Layout()
    members = sorted(hood.members, key=lambda n: (not n.origin, n.role != "current", n.source.casefold(), n.ext_id))
    per_row = max(1, math.ceil(math.sqrt(len(members))))
    rows = math.ceil(len(members) / per_row)
    inner_w = per_row * NODE_W + (per_row - 1) * GAP_X / 2
    inner_h = rows * NODE_H + (rows - 1) * GAP_Y
    cluster = Box(-inner_w / 2 - PAD, -inner_h / 2 - PAD - 14, inner_w + 2 * PAD, inner_h + 2 * PAD + 14)
    layout.cluster = cluster
    for index, node in enumerate(members):
        row, column = divmod(index, per_row)
        layout.nodes[node.id] = Box(
            -inner_w / 2 + column * (NODE_W + GAP_X / 2), -inner_h / 2 + row * (NODE_H + GAP_Y), NODE_W, NODE_H
        )
    supporters = _order(hood.by_role("supporter"))
    contradictors = _order(hood.by_role("contradictor"))
    neutrals = _order(hood.by_role("neutral"))
    echoes = _order(hood.by_role("echo"))
    layout.nodes.update(_column_block(supporters, cluster.x - BAND - NODE_W, 0.0, leftward=True))
    layout.nodes.update(_column_block(contradictors, cluster.x + cluster.w + BAND, 0.0, leftward=False))
    # Neutrals: rows under the cluster, centred.
    per_line = max(1, min(len(neutrals), max(per_row, 4)))
    for index, node in enumerate(neutrals):
        line, column = divmod(index, per_line)
        in_line = min(per_line, len(neutrals) - line * per_line)
        left = -(in_line * (NODE_W + GAP_X / 2) - GAP_X / 2) / 2
        y = cluster.y + cluster.h + BAND + line * (NODE_H + GAP_Y)
        layout.nodes[node.id] = Box(left + column * (NODE_W + GAP_X / 2), y, NODE_W, NODE_H)
    if echoes:
        # Apart, below and to the right: beyond the neutrals and under the contradictors, so the dotted lines
        # that reach them from the cluster cross no counted evidence; each card has its reason under it.
        below = [b for b in layout.nodes.values() if b.y > cluster.y + cluster.h]
        right_of = [b for b in layout.nodes.values() if b.x >= cluster.x + cluster.w]
        x0 = max([cluster.x + cluster.w, *(b.x + b.w for b in below)]) + BAND + PAD
        top = max([cluster.y + cluster.h, *(b.y + b.h for b in right_of)]) + BAND + PAD + 14
        tall = NODE_H + 30  # room for the reason lines
        cols = math.ceil(len(echoes) / PER_COLUMN)
        rows_used = min(PER_COLUMN, len(echoes))
        for index, node in enumerate(echoes):
            column, row = divmod(index, PER_COLUMN)
            layout.nodes[node.id] = Box(x0 + column * (NODE_W + GAP_X), top + row * (tall + GAP_Y), NODE_W, NODE_H)
        width = cols * NODE_W + (cols - 1) * GAP_X
        layout.echoes = Box(
            x0 - PAD, top - PAD - 14, width + 2 * PAD, rows_used * (tall + GAP_Y) - GAP_Y + 2 * PAD + 14
        )
    return layout


def neighbour_in_direction(boxes: dict[int, Box], start: int, dx: int, dy: int) -> int | None:
    """The node an arrow key moves to from ``start``: the nearest whose centre lies in that direction
    (within 60° of it), distance weighted against straying sideways."""
    if start not in boxes:
        return None
    sx, sy = boxes[start].centre
    best: tuple[float, int] | None = None
    for ident, box in boxes.items():
        if ident == start:
            continue
        cx, cy = box.centre
        vx, vy = cx - sx, cy - sy
        along = vx * dx + vy * dy
        if along <= 1e-6:
            continue
        across = abs(vx * dy - vy * dx)
        if across > along * math.tan(math.radians(60)):
            continue
        score = along + 2.5 * across
        if best is None or score < best[0]:
            best = (score, ident)
    return None if best is None else best[1]
