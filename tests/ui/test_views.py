"""The evidence graph, the timeline and the map with pytest-qt: what they draw and how the keys move in them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.core.read.neighbourhood import Neighbourhood, Node
from desktop.ui.session import WorkspaceSession
from desktop.ui.views.graph.layout import lay_out, neighbour_in_direction
from desktop.ui.views.graph.panel import GraphPanel
from desktop.ui.views.map.view import MapPanel, with_place, without_place_terms
from desktop.ui.views.timeline import TimelinePanel


def _id(session: WorkspaceSession, ext_id: str) -> int:
    with session.engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar_one())


def _ext(session: WorkspaceSession, claim: int) -> str:
    with session.engine.connect() as connection:
        return str(connection.execute(text("SELECT ext_id FROM claim WHERE id = :c"), {"c": claim}).scalar_one())


# --- evidence graph -------------------------------------------------------------------------------------


def test_layout_of_200_claims_overlaps_nothing() -> None:
    roles = ["supporter"] * 70 + ["contradictor"] * 60 + ["neutral"] * 30 + ["echo"] * 30 + ["member"] * 9
    nodes = {0: Node(0, "c-0", "Source", "text", "unverified", None, "current", origin=True)}
    for i, role in enumerate(roles, start=1):
        nodes[i] = Node(
            i, f"c-{i}", f"S{i % 7}", "t", "unverified", None, role, reason="same group (g)" * (role == "echo")
        )
    hood = Neighbourhood(claim=0, status="contested", nodes=nodes, edges=[])
    layout = lay_out(hood)
    placed = [(layout.nodes[n], 28 if nodes[n].role == "echo" else 0) for n in range(200)]
    assert len(layout.nodes) == 200
    for i, (a, a_reason) in enumerate(placed):  # an echo's card has its reason written under it
        for b, b_reason in placed[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h + a_reason <= b.y or b.y + b.h + b_reason <= a.y
            assert apart, (a, b)
    members = [layout.nodes[n] for n in range(200) if nodes[n].role in ("current", "member")]
    cluster = layout.cluster
    assert all(cluster.x <= b.x and b.x + b.w <= cluster.x + cluster.w for b in members)
    assert layout.echoes is not None and all(
        layout.echoes.x <= layout.nodes[n].x for n in range(200) if nodes[n].role == "echo"
    )
    # Arrows reach every card from the claim itself.
    seen, frontier = {0}, [0]
    while frontier:
        here = frontier.pop()
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            there = neighbour_in_direction(layout.nodes, here, dx, dy)
            if there is not None and there not in seen:
                seen.add(there)
                frontier.append(there)
    assert len(seen) > 150


def test_graph_of_the_rybar_claim_draws_cluster_evidence_and_echo(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    session.set_current(_id(session, "c-breach"))
    graph = panel.graph
    assert {c.node.ext_id for c in graph.cards.values()} == {
        "c-breach",
        "c-breach-relay-a",
        "c-breach-relay-b",
        "c-genstaff-repelled",
        "c-isw-noncommittal",
        "c-newsweek-unverified",
        "c-mb-eastern-outskirts",
    }
    assert graph.selected() == _id(session, "c-breach")
    assert "contradicted" in panel.header.text() and "1 echoes set aside" in panel.header.text()
    labels = {item.text() for item in graph.scene().items() if hasattr(item, "text") and callable(item.text)}
    assert any("echo: same group (russian-milblogger-network)" in label for label in labels)


def test_graph_keys_move_make_current_and_link(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    session.set_current(_id(session, "c-breach"))
    graph = panel.graph
    graph.setFocus()
    qtbot.keyClick(graph, Qt.Key.Key_Right)  # from Rybar to its relay in the cluster
    assert _ext(session, graph.selected()) == "c-breach-relay-a"  # type: ignore[arg-type]
    qtbot.keyClick(graph, Qt.Key.Key_Right)  # out of the cluster to the contradictor
    assert _ext(session, graph.selected()) == "c-genstaff-repelled"  # type: ignore[arg-type]
    with qtbot.waitSignal(panel.make_current) as made:
        qtbot.keyClick(graph, Qt.Key.Key_Return)
    assert made.args == [_id(session, "c-genstaff-repelled")]

    # Pin the claim itself, select a neutral, and mark it with c: a link through the session (undoable).
    qtbot.keyClick(graph, Qt.Key.Key_Left)
    qtbot.keyClick(graph, Qt.Key.Key_Left)
    assert _ext(session, graph.selected()) == "c-breach"  # type: ignore[arg-type]
    qtbot.keyClick(graph, Qt.Key.Key_P)
    assert session.pinned == _id(session, "c-breach")
    qtbot.keyClick(graph, Qt.Key.Key_Down)
    target = graph.selected()
    assert target is not None and graph.cards[target].node.role in ("member", "neutral")
    messages: list[str] = []
    panel.message.connect(messages.append)
    while graph.cards[graph.selected()].node.role != "neutral":  # type: ignore[index]
        qtbot.keyClick(graph, Qt.Key.Key_Down)
    neutral = graph.selected()
    qtbot.keyClick(graph, Qt.Key.Key_C)
    assert messages and messages[-1].startswith("Marked corroborates")
    assert session.undo_stack.count() == 1
    with session.engine.connect() as connection:
        relation = connection.execute(
            text("SELECT relation FROM link WHERE from_id = :a AND to_id = :b AND effective"),
            {"a": neutral, "b": session.pinned},
        ).scalar()
    assert relation == "corroborates"
    # The graph redrew: the ISW/Newsweek claim now counts as a supporter.
    assert graph.cards[neutral].node.role == "supporter"  # type: ignore[index]


def test_graph_exports_svg_and_png(qtbot: QtBot, session: WorkspaceSession, tmp_path: Path) -> None:
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    session.set_current(_id(session, "c-breach"))
    panel.graph.export(tmp_path / "g.svg")
    panel.graph.export(tmp_path / "g.png")
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "Rybar" in svg
    image = QImage(str(tmp_path / "g.png"))
    assert not image.isNull() and image.width() > 1000
    assert panel.graph.selected() == _id(session, "c-breach")  # the selection survives the export


def test_graph_without_a_current_claim_says_so(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    assert "No claim selected" in panel.header.text() and panel.graph.cards == {}


def test_hostile_claim_text_is_drawn_as_text(qtbot: QtBot, session: WorkspaceSession, tmp_path: Path) -> None:
    claim = _id(session, "c-breach")
    session.perform(lambda store: store.update_claim(claim, text="<b>bold</b> <img src=x>"), "edit")
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    session.set_current(claim)
    assert panel.graph.cards[claim].node.text == "<b>bold</b> <img src=x>"
    panel.graph.export(tmp_path / "g.svg")
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg and "<img" not in svg


def test_a_disagreement_is_flagged_on_its_link_and_listed_per_analyst(qtbot: QtBot, session: WorkspaceSession) -> None:
    from desktop.core.store import Store
    from desktop.ui.views.graph.scene import EdgeItem, EdgeLabel

    breach, repelled = _id(session, "c-breach"), _id(session, "c-genstaff-repelled")
    Store(session.engine, "alice").set_link(repelled, breach, "corroborates", "a partial advance, read generously")
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    session.set_current(breach)
    graph = panel.graph
    lines = [
        i
        for i in graph.scene().items()
        if isinstance(i, EdgeItem) and {i.edge.from_id, i.edge.to_id} == {breach, repelled}
    ]
    assert len(lines) == 1 and lines[0].edge.disputed
    assert lines[0].toolTip().startswith("⚑ analysts disagree on this link")
    assert "alice: corroborates (counts)" in lines[0].toolTip() and "sample: contradicts" in lines[0].toolTip()
    assert "a partial advance, read generously" in lines[0].toolTip()
    flagged = [i for i in graph.scene().items() if isinstance(i, EdgeLabel) and i.framed]
    assert [label.text().splitlines() for label in flagged] == [["⚑ corroborates · alice", "≠ contradicts · sample"]]
    assert "analysts disagree on 1 link" in panel.header.text()
    # The keys reach the contradictor's card (now a supporter: alice's judgement counts); the details list both.
    graph.setFocus()
    for _ in range(4):
        if graph.selected() == repelled:
            break
        qtbot.keyClick(graph, Qt.Key.Key_Left)
    assert graph.selected() == repelled
    details = panel.details.toPlainText()
    assert "⚑ analysts disagree" in details
    assert "alice: c-genstaff-repelled corroborates c-breach (counts)" in details
    assert "sample: c-genstaff-repelled contradicts c-breach" in details
    # A pair analysts agree on has no flag.
    assert not [i for i in graph.scene().items() if isinstance(i, EdgeItem) and i.edge.disputed and i is not lines[0]]


# --- timeline ---------------------------------------------------------------------------------------------


def test_timeline_keys_select_in_time_order_and_the_table_follows(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = TimelinePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1200, 500)
    panel.show()
    view = panel.view
    assert len(view.bars) == 20 and "20 claims by event date" in panel.summary.text()
    view.setFocus()
    chosen: list[int] = []
    panel.select_in_table.connect(chosen.append)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert [_ext(session, c) for c in chosen] == [view.bars[i].item.ext_id for i in range(3)]
    assert chosen[0] == _id(session, "c-isw-cost-benefit")  # the earliest event
    scale = view.px_per_day
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.px_per_day > scale
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.px_per_day < scale
    before = view.horizontalScrollBar().value()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.horizontalScrollBar().value() >= before
    with qtbot.waitSignal(panel.go_to_table) as went:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert went.args == [chosen[-1]]


def test_timeline_follows_the_filter_and_the_current_claim(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = TimelinePanel(session)
    qtbot.addWidget(panel)
    panel.set_filter("source:rybar,outlet")
    assert sorted(b.item.ext_id for b in panel.view.bars) == ["c-breach", "c-breach-relay-a", "c-breach-relay-b"]
    chosen: list[int] = []
    panel.select_in_table.connect(chosen.append)
    session.set_current(_id(session, "c-breach-relay-a"))
    current = panel.view.current()
    assert current is not None and current.item.ext_id == "c-breach-relay-a"
    assert chosen == []  # following the table does not echo back to it
    # The table's current claim moved while the filter changed (the table told the session first): the
    # timeline shows the table's claim, not the bar it had selected before.
    panel.view.select_claim(_id(session, "c-breach"), notify=False)
    panel.set_filter("")
    current = panel.view.current()
    assert current is not None and current.item.ext_id == "c-breach-relay-a"
    panel.set_filter("nosuchwordanywhere")
    assert panel.view.bars == [] and "0 claims" in panel.summary.text()


def test_approximate_and_monthly_claims_are_spans(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = TimelinePanel(session)
    qtbot.addWidget(panel)
    bars = {b.item.ext_id: b for b in panel.view.bars}
    day = panel.view.px_per_day
    assert abs((bars["c-breach"].x1 - bars["c-breach"].x0) - day) < 1e-6  # one day
    assert abs((bars["c-zelenskyy-ruins"].x1 - bars["c-zelenskyy-ruins"].x0) - 7 * day) < 1e-6  # about: ±3 days
    assert bars["c-isw-donetsk-objective"].item.start is None  # only claimed: a mark, no bar


# --- map --------------------------------------------------------------------------------------------------


def test_place_filter_terms_are_replaced_not_stacked() -> None:
    assert without_place_terms('breach place:"Donetsk Oblast" -place:soledar status:contested') == (
        "breach status:contested"
    )
    assert with_place("breach place:soledar", "Bakhmut") == 'breach place:"Bakhmut"'
    assert with_place("", 'Odd "name"') == 'place:"Odd name"'


def test_map_draws_places_and_enter_filters_the_table(qtbot: QtBot, session: WorkspaceSession) -> None:
    panel = MapPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    view = panel.view
    names = {item.place.name: item.place for item in view.places.values()}
    assert set(names) == {
        "Bakhmut",
        "Soledar",
        "Yakovlivka",
        "Pidhorodne",
        "Klishchiivka",
        "Opytne",
        "Donetsk",
        "Donetsk Oblast",
    }
    assert names["Bakhmut"].claims == 14 and names["Bakhmut"].worst == "contested"
    assert any(item.data(0) == "base" for item in view.scene().items())  # the country outlines are there
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)  # the first arrow selects the busiest place
    assert view.selected() is not None and view.selected().place.name == "Bakhmut"  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    below = view.selected()
    assert below is not None and below.place.name in ("Opytne", "Klishchiivka", "Donetsk", "Donetsk Oblast")
    with qtbot.waitSignal(panel.filter_requested) as asked:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert asked.args == [f'place:"{below.place.name}"']
    panel.set_filter('industrial place:"Soledar"')  # the map keeps the places of the rest of the filter
    assert {item.place.name for item in view.places.values()} >= {"Bakhmut"}


def test_map_lists_places_without_coordinates_apart(qtbot: QtBot, session: WorkspaceSession) -> None:
    soledar = next(iter(_place_ids(session, "Soledar")))
    session.perform(lambda store: store.update_place(soledar, lat=None, lon=None), "forget coordinates")
    panel = MapPanel(session)
    qtbot.addWidget(panel)
    assert "Soledar" not in {item.place.name for item in panel.view.places.values()}
    listed = [panel.unlocated.item(i).text() for i in range(panel.unlocated.count())]
    assert listed == ["◌ Soledar (1)"]
    with qtbot.waitSignal(panel.filter_requested) as asked:
        panel.unlocated.itemActivated.emit(panel.unlocated.item(0))
    assert asked.args == ['place:"Soledar"']


def _place_ids(session: WorkspaceSession, name: str) -> set[int]:
    with session.engine.connect() as connection:
        return {int(r[0]) for r in connection.execute(text("SELECT id FROM place WHERE name = :n"), {"n": name})}


def _inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_shipped_regions_outline_every_oblast_and_bakhmut_lies_in_donetsk() -> None:
    from desktop.ui.views.map.basemap import regions

    ukraine = {r.name for r in regions() if r.country == "UKR"}
    assert len(ukraine) == 27 and {"Donets'k", "Luhans'k", "Kharkiv", "Crimea", "Kiev City"} <= ukraine
    assert {r.country for r in regions()} == {"UKR", "RUS", "BLR", "MDA", "ROU", "POL", "SVK", "HUN"}
    bakhmut = (38.0, 48.595)
    holding = [r.name for r in regions() if any(_inside(bakhmut, polygon[0]) for polygon in r.polygons)]
    assert holding == ["Donets'k"]


def test_simplifying_a_border_keeps_its_ends_and_its_corners() -> None:
    from scripts.build_regions import simplify

    wiggle = [(0.0, 0.0), (0.5, 0.001), (1.0, 0.0), (1.0, 0.5), (1.0, 1.0)]
    assert simplify(wiggle, 0.008) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    assert simplify(wiggle, 0.0) == [(0.0, 0.0), (0.5, 0.001), (1.0, 0.0), (1.0, 1.0)]


def test_map_draws_region_outlines_under_the_borders_and_names_them_when_they_fit(
    qtbot: QtBot, session: WorkspaceSession
) -> None:
    from PySide6.QtWidgets import QGraphicsPathItem

    panel = MapPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    view = panel.view
    base = [i for i in view.scene().items() if i.data(0) == "base" and isinstance(i, QGraphicsPathItem)]
    region_lines = [i for i in base if i.pen().style() == Qt.PenStyle.DashLine]
    borders = [i for i in base if i.pen().style() == Qt.PenStyle.SolidLine]
    assert len(region_lines) > 150 and borders
    assert max(i.zValue() for i in region_lines) < min(i.zValue() for i in borders)
    shown = {name.text() for name, _ in view.region_names if name.isVisible()}
    assert "Donets'k" in shown  # fitted on the sample's places: the oblast is wide enough to be named
    for _ in range(8):
        view.zoom(1 / 1.4)
    shown_far = {name.text() for name, _ in view.region_names if name.isVisible()}
    assert len(shown_far) < len(view.region_names) / 2  # zoomed far out, small regions go unnamed


def test_zoom_keys_and_ctrl_wheel_are_shared_by_the_graph_and_the_map(qtbot: QtBot, session: WorkspaceSession) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    graph_panel, map_panel = GraphPanel(session), MapPanel(session)
    for panel in (graph_panel, map_panel):
        qtbot.addWidget(panel)
        panel.resize(1200, 700)
        panel.show()
    session.set_current(_id(session, "c-breach"))
    for view in (graph_panel.graph, map_panel.view):
        view.setFocus()
        fitted = view.transform().m11()
        qtbot.keyClick(view, Qt.Key.Key_Minus)
        assert view.transform().m11() < fitted and not view.auto_fit
        qtbot.keyClick(view, Qt.Key.Key_0)
        assert view.transform().m11() == fitted and view.auto_fit
        notch = QWheelEvent(
            QPointF(100, 100),
            QPointF(view.mapToGlobal(QPoint(100, 100))),
            QPoint(),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        view.wheelEvent(notch)
        assert view.transform().m11() > fitted or fitted >= view.MAX_SCALE / view.WHEEL_STEP
