"""The evidence graph's scene: claims as cards, links as lines, the cluster and the echoes as groups, a legend.

Every colour and glyph is the claim table's (``table/status_style.py``): a card
is framed in its role's status colour and starts with its own status glyph, so
the graph reads like the table and without colour (the glyph and the role's word
are always written). Links: corroborates solid green, contradicts solid red,
neutral dashed amber, repeats dark grey with an arrow to what is repeated, echoes
dotted grey with the reason they were set aside written on them. A pair on which
analysts disagree is one line (the judgement that counts) inside a dashed purple
casing, flagged ⚑ with every analyst's judgement written on it. All workspace
text is drawn as plain text (``drawText``), never as markup.
"""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from desktop.core.read.neighbourhood import Edge, Neighbourhood, Node
from desktop.core.status_marks import STATUS_COLOURS, STATUS_GLYPHS, VERDICT_GLYPHS
from desktop.ui.views.graph.layout import Box, Layout, lay_out

# A role is coloured as the status it pushes towards: support → corroborated, contradiction → contradicted.
ROLE_STATUS: Final = {
    "current": "aligned",
    "member": "aligned",
    "supporter": "corroborated",
    "contradictor": "contradicted",
    "neutral": "unconfirmed",
    "echo": "unverified",
}
ROLE_WORDS: Final = {
    "current": "this claim",
    "member": "same assertion",
    "supporter": "supports",
    "contradictor": "contradicts",
    "neutral": "neither confirms nor denies",
    "echo": "echo — set aside",
}
RELATION_STATUS: Final = {"corroborates": "corroborated", "contradicts": "contradicted", "neutral": "unconfirmed"}
INK: Final = QColor("#1f2328")
MUTED: Final = QColor("#57606a")
DISAGREE: Final = QColor("#8250df")  # analysts disagree on a link: no status colour, so it cannot be misread as one
DISPUTED_FLAG: Final = "⚑"  # as the detail pane and the table flag a disputed link


def colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, STATUS_COLOURS["unverified"])[0])


class NodeItem(QGraphicsItem):
    """One claim as a card: glyph, source and id on top, two lines of its text, its role underneath."""

    def __init__(self, node: Node, box: Box) -> None:
        super().__init__()
        self.node = node
        self.rect = QRectF(0, 0, box.w, box.h)
        self.setPos(box.x, box.y)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setToolTip(self._tooltip())
        self.setData(0, node.id)

    def _tooltip(self) -> str:
        n = self.node
        lines = [f"{n.ext_id} · {n.source}", n.text, f"{STATUS_GLYPHS.get(n.status, '·')} {n.status}"]
        if n.origin:
            lines.append("★ an origin of this assertion")
        if n.reason:
            lines.append(f"set aside: {n.reason}")
        return "\n".join(lines)

    def boundingRect(self) -> QRectF:
        extra = 30 if self.node.reason else 0
        return self.rect.adjusted(-4, -4, 4, 4 + extra)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        n = self.node
        frame = colour(ROLE_STATUS[n.role])
        selected = self.isSelected()
        width = 3.2 if n.role == "current" else 1.6
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.setPen(QPen(QColor("#0969da"), 3, Qt.PenStyle.SolidLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.rect.adjusted(-3.5, -3.5, 3.5, 3.5), 9, 9)
        fill = QColor(frame)
        fill.setAlpha(40 if n.role == "current" else 18)
        pen = QPen(frame, width, Qt.PenStyle.DotLine if n.role == "echo" else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor("white")))
        painter.drawRoundedRect(self.rect, 7, 7)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(self.rect, 7, 7)

        head = QFont()
        head.setPointSizeF(8.5)
        head.setBold(True)
        body = QFont()
        body.setPointSizeF(8.5)
        small = QFont()
        small.setPointSizeF(7.5)
        inner = self.rect.adjusted(8, 5, -8, -4)
        painter.setFont(head)
        metrics = QFontMetricsF(head)
        glyph = STATUS_GLYPHS.get(n.status, "·")
        star = "★ " if n.origin else ""
        verdict = f"  {VERDICT_GLYPHS[n.verdict]}" if n.verdict in VERDICT_GLYPHS else ""
        title = metrics.elidedText(f"{star}{n.source}", Qt.TextElideMode.ElideRight, inner.width() - 24)
        painter.setPen(colour(n.status))
        painter.drawText(QRectF(inner.x(), inner.y(), 16, 14), Qt.AlignmentFlag.AlignLeft, glyph)
        painter.setPen(INK)
        painter.drawText(QRectF(inner.x() + 16, inner.y(), inner.width() - 16, 14), Qt.AlignmentFlag.AlignLeft, title)
        if verdict:
            painter.drawText(QRectF(inner.x(), inner.y(), inner.width(), 14), Qt.AlignmentFlag.AlignRight, verdict)
        painter.setFont(body)
        body_metrics = QFontMetricsF(body)
        lines = _two_lines(n.text, body_metrics, inner.width())
        for i, line in enumerate(lines):
            painter.drawText(
                QRectF(inner.x(), inner.y() + 17 + i * 14, inner.width(), 14), Qt.AlignmentFlag.AlignLeft, line
            )
        painter.setFont(small)
        small_metrics = QFontMetricsF(small)
        ident = small_metrics.elidedText(n.ext_id, Qt.TextElideMode.ElideMiddle, inner.width() * 0.55)
        room = inner.width() - small_metrics.horizontalAdvance(ident) - 8
        role = ROLE_WORDS[n.role] + (" · cross-side" if n.cross_side else "") + (" · origin" if n.origin else "")
        painter.setPen(frame if n.role != "member" else MUTED)
        painter.drawText(
            QRectF(inner.x(), inner.bottom() - 11, room, 12),
            Qt.AlignmentFlag.AlignLeft,
            small_metrics.elidedText(role, Qt.TextElideMode.ElideRight, room),
        )
        painter.setPen(MUTED)
        painter.drawText(QRectF(inner.x(), inner.bottom() - 11, inner.width(), 12), Qt.AlignmentFlag.AlignRight, ident)
        if n.reason:
            painter.setPen(colour("unverified"))
            reason_lines = _two_lines(f"set aside: {n.reason}", QFontMetricsF(small), self.rect.width())
            for i, line in enumerate(reason_lines):
                painter.drawText(
                    QRectF(0, self.rect.bottom() + 3 + i * 12, self.rect.width(), 12), Qt.AlignmentFlag.AlignLeft, line
                )


def _two_lines(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """``text`` broken into at most two lines that fit ``width``, the second elided."""
    words = text.split()
    first = ""
    while words and metrics.horizontalAdvance((first + " " + words[0]).strip()) <= width:
        first = (first + " " + words.pop(0)).strip()
    if not first and words:  # one very long word
        return [metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)]
    rest = " ".join(words)
    return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)] if rest else [first]


class GroupItem(QGraphicsItem):
    """A labelled, rounded frame around a group of cards (the cluster; the echoes)."""

    def __init__(self, box: Box, label: str, tint: QColor, dashed: bool = False) -> None:
        super().__init__()
        self.rect = QRectF(box.x, box.y, box.w, box.h)
        self.label, self.tint, self.dashed = label, tint, dashed
        self.setZValue(-2)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(self.tint)
        fill.setAlpha(16)
        painter.setBrush(QBrush(fill))
        painter.setPen(QPen(self.tint, 1.5, Qt.PenStyle.DashLine if self.dashed else Qt.PenStyle.SolidLine))
        painter.drawRoundedRect(self.rect, 14, 14)
        font = QFont()
        font.setPointSizeF(8.5)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.tint)
        painter.drawText(
            self.rect.adjusted(14, 6, -14, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.label
        )


def _edge_style(edge: Edge) -> tuple[QColor, Qt.PenStyle, float]:
    if edge.kind == "repeats":
        return QColor("#444c56"), Qt.PenStyle.SolidLine, 1.6
    if edge.kind in ("echo", "internal"):
        return colour("unverified"), Qt.PenStyle.DotLine, 1.4
    if edge.kind == "context":
        return QColor("#afb8c1"), Qt.PenStyle.SolidLine, 1.0
    style = Qt.PenStyle.DashLine if edge.relation == "neutral" else Qt.PenStyle.SolidLine
    return colour(RELATION_STATUS.get(edge.relation, "unverified")), style, 2.0


def _anchor(box: QRectF, towards: QPointF) -> QPointF:
    """Where a line from the centre of ``box`` towards ``towards`` leaves the box."""
    centre = box.center()
    dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    scale = min(
        (box.width() / 2) / abs(dx) if dx else math.inf,
        (box.height() / 2) / abs(dy) if dy else math.inf,
    )
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


def _label_point(line: EdgeItem, edge: Edge, hood: Neighbourhood, cluster: QRectF) -> QPointF:
    """Where a link's label goes: the middle of the line, except for a link from the assertion to a claim
    around it, whose label goes in the band between the assertion's frame and that claim — the middle of
    such a line is often over another card of the assertion."""
    inside = [n in hood.nodes and hood.nodes[n].role in ("current", "member") for n in (edge.from_id, edge.to_id)]
    if inside[0] == inside[1]:
        return line.midpoint
    a, b = line.ends if inside[0] else line.ends[::-1]  # a in the assertion, b outside it
    dx, dy = b.x() - a.x(), b.y() - a.y()
    leave = [
        (bound - start) / step
        for start, step, low, high in (
            (a.x(), dx, cluster.left(), cluster.right()),
            (a.y(), dy, cluster.top(), cluster.bottom()),
        )
        if step
        for bound in ((high if step > 0 else low),)
    ]
    t = min([1.0, *(t for t in leave if t >= 0)])
    t = (t + 1.0) / 2
    return QPointF(a.x() + dx * t, a.y() + dy * t)


def edge_label(edge: Edge) -> str:
    words = {"echo": f"{edge.relation} — echo: {edge.reason}", "internal": f"{edge.relation} (ignored: same assertion)"}
    label = words.get(edge.kind, edge.relation)
    if edge.disputed:
        counted, *others = edge.opinions
        # Short enough for the band between the cluster and the claims around it: the judgement that
        # counts first, flagged; each other analyst's under it. Words and times are in the tooltip and details.
        lines = [f"{DISPUTED_FLAG} {label} · {counted.analyst or '?'}"]
        lines += [f"≠ {o.relation} · {o.analyst or '?'}" for o in others]
        return "\n".join(lines)
    return f"{label} · {edge.analyst}" if edge.analyst and edge.kind != "repeats" else label


def edge_tooltip(edge: Edge) -> str:
    """The label, then every analyst's judgement on the pair with its rationale (plain text)."""
    lines = [f"{DISPUTED_FLAG} analysts disagree on this link" if edge.disputed else edge_label(edge)]
    if len(edge.opinions) > 1:
        for opinion in edge.opinions:
            counts = " (counts)" if opinion.link == edge.link else ""
            lines.append(f"{opinion.analyst or '?'}: {opinion.relation}{counts}")
            if opinion.rationale:
                lines.append(f"    “{opinion.rationale}”")
    elif edge.rationale:
        lines.append(f"“{edge.rationale}”")
    return "\n".join(lines)


class EdgeItem(QGraphicsPathItem):
    """A link: its relation's line (and arrow); a disputed pair's inside a dashed purple casing."""

    def __init__(self, edge: Edge, start: QRectF, end: QRectF) -> None:
        super().__init__()
        self.edge = edge
        ink, style, width = _edge_style(edge)
        a = _anchor(start, end.center())
        b = _anchor(end, start.center())
        path = QPainterPath(a)
        path.lineTo(b)
        if edge.relation in ("repeats", "neutral"):  # directed: an arrow head at what is repeated / addressed
            line = QLineF(b, a)
            angle = math.radians(-line.angle())
            size = 9.0
            p1 = b + QPointF(math.cos(angle + 0.4) * size, math.sin(angle + 0.4) * size)
            p2 = b + QPointF(math.cos(angle - 0.4) * size, math.sin(angle - 0.4) * size)
            path.addPolygon(QPolygonF([b, p1, p2, b]))
        self.setPath(path)
        self.setPen(QPen(ink, width, style, Qt.PenCapStyle.RoundCap))
        self.setZValue(-1)
        self.setToolTip(edge_tooltip(edge))
        self.midpoint = (a + b) / 2
        self.ends = (a, b)
        self.ink = DISAGREE if edge.disputed else ink

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-4, -4, 4, 4)  # the casing is wider than the line

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.edge.disputed:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(DISAGREE, self.pen().widthF() + 5, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self.path())
            painter.setPen(QPen(QColor("white"), self.pen().widthF() + 2, Qt.PenStyle.SolidLine))
            painter.drawPath(self.path())
        super().paint(painter, option, widget)


class EdgeLabel(QGraphicsSimpleTextItem):
    """The relation (and for echoes the reason) written on the line, on a white plate."""

    def __init__(self, text: str, ink: QColor, at: QPointF, *, framed: bool = False) -> None:
        super().__init__(text)
        self.framed = framed  # a disputed link's label is framed in its casing's colour: the ⚑ marker
        font = QFont()
        font.setPointSizeF(7.5)
        self.setFont(font)
        self.setBrush(ink)
        rect = self.boundingRect()
        self.setPos(at.x() - rect.width() / 2, at.y() - rect.height() / 2)
        self.setZValue(-0.5)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        plate = self.boundingRect().adjusted(-2, -1, 2, 1)
        painter.fillRect(plate, QColor(255, 255, 255, 235))
        if self.framed:
            painter.setPen(QPen(DISAGREE, 1.2))
            painter.drawRect(plate.adjusted(-1, -1, 1, 1))
        super().paint(painter, option, widget)  # type: ignore[arg-type]  # the stub forgets None


LEGEND_ROWS: Final = (
    ("current", "this claim (thick frame); ★ an origin of its assertion"),
    ("supporter", "supports it — an independent source"),
    ("contradictor", "contradicts it — an independent source"),
    ("neutral", "neither confirms nor denies it"),
    ("echo", "echo: traces back to the same origin or group — does not count"),
)


class LegendItem(QGraphicsItem):
    """What the colours, glyphs and lines mean (part of the scene, so exports carry it)."""

    def __init__(self) -> None:
        super().__init__()
        self.rect = QRectF(0, 0, 470, 16 * (len(LEGEND_ROWS) + 9) + 14)  # roles, 6 lines, 3 lines of statuses

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#d0d7de"), 1))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(self.rect, 8, 8)
        font = QFont()
        font.setPointSizeF(8)
        painter.setFont(font)
        y = 10.0
        for role, words in LEGEND_ROWS:
            tint = colour(ROLE_STATUS[role])
            painter.setPen(QPen(tint, 2, Qt.PenStyle.DotLine if role == "echo" else Qt.PenStyle.SolidLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(10, y, 22, 12), 3, 3)
            painter.setPen(INK)
            painter.drawText(QRectF(40, y - 1, 380, 14), Qt.AlignmentFlag.AlignLeft, words)
            y += 16
        for label, status, style in (
            ("corroborates", "corroborated", Qt.PenStyle.SolidLine),
            ("contradicts", "contradicted", Qt.PenStyle.SolidLine),
            ("neutral (arrow: what it addresses)", "unconfirmed", Qt.PenStyle.DashLine),
            ("repeats (arrow: what is repeated)", "", Qt.PenStyle.SolidLine),
            ("echo or ignored link (reason written on it)", "unverified", Qt.PenStyle.DotLine),
        ):
            painter.setPen(QPen(colour(status) if status else QColor("#444c56"), 2, style))
            painter.drawLine(QPointF(10, y + 6), QPointF(32, y + 6))
            painter.setPen(INK)
            painter.drawText(QRectF(40, y - 1, 380, 14), Qt.AlignmentFlag.AlignLeft, label)
            y += 16
        painter.setPen(QPen(DISAGREE, 7, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap))
        painter.drawLine(QPointF(10, y + 6), QPointF(32, y + 6))
        painter.setPen(QPen(QColor("white"), 4))
        painter.drawLine(QPointF(10, y + 6), QPointF(32, y + 6))
        painter.setPen(QPen(colour("corroborated"), 2))
        painter.drawLine(QPointF(10, y + 6), QPointF(32, y + 6))
        painter.setPen(INK)
        painter.drawText(
            QRectF(40, y - 1, 420, 14),
            Qt.AlignmentFlag.AlignLeft,
            f"{DISPUTED_FLAG} analysts disagree (purple casing): the first label counts, ≠ the others",
        )
        y += 16
        items = list(STATUS_GLYPHS.items())
        painter.setPen(MUTED)
        painter.drawText(QRectF(10, y, 450, 14), Qt.AlignmentFlag.AlignLeft, "Each card starts with its own status:")
        for line, chunk in enumerate((items[:3], items[3:])):
            x = 20.0
            for status, glyph in chunk:
                painter.setPen(colour(status))
                painter.drawText(
                    QRectF(x, y + 16 * (line + 1), 150, 14), Qt.AlignmentFlag.AlignLeft, f"{glyph} {status}"
                )
                x += 140


def build_scene(scene: QGraphicsScene, hood: Neighbourhood) -> tuple[dict[int, NodeItem], Layout]:
    """Fill ``scene`` (cleared first) with ``hood``; returns the card of each claim and the layout."""
    scene.clear()
    layout = lay_out(hood)
    members = len(hood.members)
    origins = sum(1 for n in hood.members if n.origin)
    label = (
        f"One assertion — {members} claim{'s' if members != 1 else ''}, "
        f"{origins} origin{'s' if origins != 1 else ''} (★)"
        if members > 1
        else "This claim (repeats nothing, repeated by nothing)"
    )
    scene.addItem(GroupItem(layout.cluster, label, colour("aligned")))
    if layout.echoes is not None:
        scene.addItem(
            GroupItem(layout.echoes, "Set aside as echoes — not independent", colour("unverified"), dashed=True)
        )
    items: dict[int, NodeItem] = {}
    for ident, node in hood.nodes.items():
        item = NodeItem(node, layout.nodes[ident])
        scene.addItem(item)
        items[ident] = item
    for edge in hood.edges:
        if edge.from_id not in items or edge.to_id not in items:
            continue
        start = items[edge.from_id].sceneBoundingRect().adjusted(4, 4, -4, -4)
        end = (
            items[edge.to_id].sceneBoundingRect().adjusted(4, 4, -4, -4 - (30 if items[edge.to_id].node.reason else 0))
        )
        if items[edge.from_id].node.reason:
            start = start.adjusted(0, 0, 0, -30)
        line = EdgeItem(edge, start, end)
        scene.addItem(line)
        if edge.kind != "context" or edge.disputed:
            at = _label_point(
                line, edge, hood, QRectF(layout.cluster.x, layout.cluster.y, layout.cluster.w, layout.cluster.h)
            )
            scene.addItem(EdgeLabel(edge_label(edge), line.ink, at, framed=edge.disputed))
    legend = LegendItem()
    bounds = scene.itemsBoundingRect()
    # Beside the graph, not above it: the panel is wide and low, and so the fitted graph stays large.
    legend.setPos(bounds.left() - legend.rect.width() - 60, bounds.top())
    scene.addItem(legend)
    return items, layout
