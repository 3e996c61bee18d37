"""What the evidence graph, the timeline and the map read (no Qt): neighbourhoods, spans, place counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from desktop.core.interchange import import_json
from desktop.core.read.neighbourhood import neighbourhood
from desktop.core.read.timeline import Timeline, TimelineItem, place_counts, span, timeline_items
from desktop.core.workspace import Workspace


def _id(workspace: Workspace, ext_id: str) -> int:
    with workspace.engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar_one())


def test_rybar_neighbourhood_has_its_relays_origin_contradictor_neutrals_and_echo(sample_workspace: Workspace) -> None:
    with sample_workspace.engine.connect() as connection:
        hood = neighbourhood(connection, _id(sample_workspace, "c-breach"))
    assert hood is not None
    roles = {node.ext_id: node.role for node in hood.nodes.values()}
    assert roles == {
        "c-breach": "current",
        "c-breach-relay-a": "member",
        "c-breach-relay-b": "member",
        "c-genstaff-repelled": "contradictor",
        "c-isw-noncommittal": "neutral",
        "c-newsweek-unverified": "neutral",
        "c-mb-eastern-outskirts": "echo",
    }
    origins = [n.ext_id for n in hood.nodes.values() if n.origin]
    assert origins == ["c-breach"]
    echo = next(n for n in hood.nodes.values() if n.role == "echo")
    assert echo.reason == "same group (russian-milblogger-network)"
    kinds = sorted((e.relation, e.kind) for e in hood.edges)
    assert ("repeats", "repeats") in kinds and ("corroborates", "echo") in kinds
    assert ("contradicts", "evidence") in kinds and ("neutral", "evidence") in kinds
    echo_edge = next(e for e in hood.edges if e.kind == "echo")
    assert echo_edge.reason == echo.reason and echo_edge.analyst == "sample"


def test_a_relay_sees_the_same_assertion_and_a_missing_claim_has_none(sample_workspace: Workspace) -> None:
    with sample_workspace.engine.connect() as connection:
        hood = neighbourhood(connection, _id(sample_workspace, "c-breach-relay-b"))
        assert neighbourhood(connection, 999_999) is None
    assert hood is not None
    assert {n.ext_id for n in hood.members} == {"c-breach", "c-breach-relay-a", "c-breach-relay-b"}
    assert next(n for n in hood.members if n.role == "current").ext_id == "c-breach-relay-b"


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        ("2022-12-14", None, "day", ("2022-12-14", "2022-12-14")),
        ("2022-12-14", "2022-12-16", "day", ("2022-12-14", "2022-12-16")),
        ("2022-12-14", None, "week", ("2022-12-14", "2022-12-20")),
        ("2022-12-14", None, "month", ("2022-12-01", "2022-12-31")),
        ("2022-02-10", "2022-03-03", "month", ("2022-02-01", "2022-03-31")),
        ("2022-12-14", None, "approx", ("2022-12-11", "2022-12-17")),
        (None, "2022-12-14", None, ("2022-12-14", "2022-12-14")),
    ],
)
def test_precision_is_drawn_as_a_span(start: str | None, end: str | None, precision: str, expected: tuple) -> None:
    day = dt.date.fromisoformat
    got = span(day(start) if start else None, day(end) if end else None, precision)
    assert got == (day(expected[0]), day(expected[1]))
    assert span(None, None, "day") is None


def test_timeline_follows_the_filter_and_marks_claimed_dates(sample_workspace: Workspace) -> None:
    with sample_workspace.engine.connect() as connection:
        everything = timeline_items(connection)
        rybar = timeline_items(connection, "source:rybar")
        capped = timeline_items(connection, limit=5)
    assert len(everything.items) == 20 and everything.undated == 0
    anchors = [i.anchor for i in everything.items]
    assert anchors == sorted(anchors)  # earliest first
    cost = next(i for i in everything.items if i.ext_id == "c-isw-cost-benefit")
    assert (cost.start, cost.end, cost.claimed) == (dt.date(2022, 5, 28), dt.date(2022, 12, 3), dt.date(2022, 11, 30))
    objective = next(i for i in everything.items if i.ext_id == "c-isw-donetsk-objective")
    assert objective.start is None and objective.claimed == dt.date(2022, 12, 15)  # only its claimed date
    assert [i.ext_id for i in rybar.items] == ["c-breach"]
    assert capped.truncated and len(capped.items) == 5


def _places_document() -> bytes:
    claim = {"kind": "event", "claimed": "2022-12-14", "recorded": "2022-12-15T09:00:00Z", "source": "s"}
    return json.dumps(
        {
            "format": "crosscheck-workspace",
            "version": 1,
            "sources": [{"id": "s", "name": "S", "kind": "other", "reliability": "C"}],
            "places": [
                {"id": "p-1", "name": "Here", "lat": 48.5, "lon": 38.0},
                {"id": "p-2", "name": "Nowhere known", "region": "Somewhere"},
            ],
            "claims": [
                {**claim, "id": "c-1", "text": "one", "places": ["p-1", "p-2"]},
                {**claim, "id": "c-2", "text": "two", "places": ["p-1"]},
                {**claim, "id": "c-3", "text": "three", "places": []},
            ],
        }
    ).encode()


def test_place_counts_list_places_without_coordinates_apart(workspace: Workspace) -> None:
    import_json(workspace.engine, _places_document(), analyst="tester")
    with workspace.engine.connect() as connection:
        counts = place_counts(connection)
        only_two = place_counts(connection, "two")
        none = place_counts(connection, "nosuchword")
    assert [(p.name, p.claims, p.statuses) for p in counts.located] == [("Here", 2, {"unverified": 2})]
    assert [(p.name, p.claims) for p in counts.unlocated] == [("Nowhere known", 1)]
    assert counts.without_place == 1
    assert [(p.name, p.claims) for p in only_two.located] == [("Here", 1)] and not only_two.unlocated
    assert not none.located and not none.unlocated and none.without_place == 0


def test_place_status_is_the_most_serious(sample_workspace: Workspace) -> None:
    with sample_workspace.engine.connect() as connection:
        counts = place_counts(connection)
    bakhmut = next(p for p in counts.located if p.name == "Bakhmut")
    assert bakhmut.worst == "contested" and bakhmut.claims == 14


def test_a_pair_two_analysts_disagree_on_is_one_edge_with_both_judgements(sample_workspace: Workspace) -> None:
    from desktop.core.store import Store

    breach, repelled = _id(sample_workspace, "c-breach"), _id(sample_workspace, "c-genstaff-repelled")
    Store(sample_workspace.engine, "alice").set_link(repelled, breach, "corroborates", "read it as a partial advance")
    with sample_workspace.engine.connect() as connection:
        hood = neighbourhood(connection, breach)
    assert hood is not None
    pair = [e for e in hood.edges if {e.from_id, e.to_id} == {breach, repelled}]
    assert len(pair) == 1  # one line for the pair, not one per analyst
    edge = pair[0]
    assert edge.disputed and edge.relation == "corroborates" and edge.analyst == "alice"  # the later one counts
    assert [(o.analyst, o.relation, o.effective) for o in edge.opinions] == [
        ("alice", "corroborates", True),
        ("sample", "contradicts", False),
    ]
    assert edge.opinions[0].rationale == "read it as a partial advance" and edge.opinions[1].recorded is not None
    assert not any(e.disputed for e in hood.edges if e is not edge)


def _on(*days: str) -> Timeline:
    """A timeline of claims, one a day given (the same day given twice: two claims)."""
    return Timeline(
        items=[
            TimelineItem(n, f"c-{n}", "S", "t", "unverified", None, dt.date.fromisoformat(d), None, "day", None)
            for n, d in enumerate(days)
        ]
    )


def test_busiest_sets_a_stray_claim_aside_but_keeps_the_ones_days_away() -> None:
    """The first view: the half-year-old claim is left for 0 to show; one four days earlier is not."""
    december = ["2022-12-14"] * 13 + ["2022-12-15"] * 5
    assert _on("2022-05-31", "2022-12-07", *december).busiest() == (dt.date(2022, 12, 7), dt.date(2022, 12, 15))
    assert _on(*december, "2023-09-01").busiest() == (dt.date(2022, 12, 14), dt.date(2022, 12, 15))
    spread = [f"2022-12-{d:02}" for d in range(1, 31, 3)]  # evenly spread: nothing is a stray
    assert _on(*spread).busiest() == (dt.date(2022, 12, 1), dt.date(2022, 12, 28))
    assert _on("2020-01-01", "2022-12-14").busiest() == (dt.date(2020, 1, 1), dt.date(2022, 12, 14))  # too few
    assert Timeline().busiest() is None
