"""Properties of the status engine over small random graphs (Hypothesis)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop.core.corroboration import (
    RELATIONS,
    Derivation,
    MemoryGraph,
    derive,
    derive_all,
    derive_many,
    statuses_all,
)
from desktop.core.errors import NotFound
from desktop.core.store import Result
from desktop.core.store.status import stale_claims
from desktop.core.workspace import Workspace, open_workspace
from tests.core._graphs import GROUPS, SIDES, ProtocolOnlyGraph, Spec, reference, specs

FAST = settings(max_examples=150, deadline=None)
T0 = datetime(2022, 12, 14, tzinfo=UTC)


def counted(d: Derivation) -> set[int]:
    return {e.link for e in (*d.supporters, *d.contradictors, *d.neutrals)}


def considered(d: Derivation) -> set[int]:
    return counted(d) | {e.link for e in d.echoes} | set(d.internal_links)


@FAST
@given(specs())
def test_derive_all_agrees_with_a_literal_transcription_of_the_rules(spec: Spec) -> None:
    graph = spec.build()
    full = derive_all(graph)
    assert set(full) == set(graph.claims())
    for claim, d in full.items():
        expected = reference(graph, claim)
        assert d.cluster == expected.cluster
        assert d.origins == expected.origins
        assert d.status == expected.status
        assert {e.link for e in d.supporters} == expected.supporters
        assert {e.link for e in d.contradictors} == expected.contradictors
        assert {e.link for e in d.neutrals} == expected.neutrals
        assert {e.link for e in d.echoes} == expected.echoes
        assert set(d.internal_links) == expected.internal
        assert {e.link for e in d.supporters if e.cross_side} == expected.cross_side_supporters


@FAST
@given(specs())
def test_statuses_alone_are_the_statuses_of_the_full_derivation(spec: Spec) -> None:
    graph = spec.build()
    assert statuses_all(graph) == {claim: d.status for claim, d in derive_all(graph).items()}


@given(specs())
def test_partial_derivation_over_the_bare_protocol_equals_full_derivation(spec: Spec) -> None:
    graph = spec.build()
    full = derive_all(graph)
    assert derive_many(ProtocolOnlyGraph(graph), graph.claims()) == full
    assert {c: derive(graph, c) for c in graph.claims()} == full


@FAST
@given(specs())
def test_all_members_of_a_cluster_share_status_and_evidence(spec: Spec) -> None:
    full = derive_all(spec.build())
    for d in full.values():
        for member in d.cluster:
            other = full[member]
            assert other.cluster == d.cluster
            assert (other.status, other.supporters, other.contradictors, other.neutrals, other.echoes) == (
                d.status,
                d.supporters,
                d.contradictors,
                d.neutrals,
                d.echoes,
            )


@FAST
@given(specs(), st.data())
def test_derivation_does_not_depend_on_link_insertion_order(spec: Spec, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(len(spec.links))))
    assert derive_all(spec.build(order)) == derive_all(spec.build())


def dated(spec: Spec, hours: list[int]) -> MemoryGraph:
    """The spec with a recorded time per claim and per link (hour offsets from T0; negative = undated)."""
    graph = MemoryGraph()
    for sid, side, group in spec.sources:
        graph.add_source(sid, side, group)
    stamps = iter(hours)

    def stamp() -> datetime | None:
        h = next(stamps)
        return None if h < 0 else T0 + timedelta(hours=h)

    for cid, sid in spec.claims:
        graph.add_claim(cid, sid, recorded=stamp())
    for lid, f, t, rel in spec.links:
        graph.add_link(lid, f, t, rel, recorded=stamp())
    return graph


@FAST
@given(specs(), st.data())
def test_as_of_the_far_future_derives_the_same_as_now(spec: Spec, data: st.DataObject) -> None:
    n = len(spec.claims) + len(spec.links)
    graph = dated(spec, data.draw(st.lists(st.integers(-1, 48), min_size=n, max_size=n)))
    far = T0 + timedelta(days=36500)
    assert derive_all(graph.as_of(far)) == derive_all(graph)
    assert {c: derive(graph.as_of(far), c) for c in graph.claims()} == derive_all(graph)


@FAST
@given(specs(), st.data())
def test_as_of_t_is_the_derivation_of_what_was_recorded_by_t(spec: Spec, data: st.DataObject) -> None:
    n = len(spec.claims) + len(spec.links)
    hours = data.draw(st.lists(st.integers(-1, 48), min_size=n, max_size=n))
    cut = data.draw(st.integers(0, 48))
    then = dated(spec, hours).as_of(T0 + timedelta(hours=cut))
    # the same graph built by hand from what was known at the cut
    kept = {cid for (cid, _), h in zip(spec.claims, hours, strict=False) if h <= cut}
    links = [
        link
        for link, h in zip(spec.links, hours[len(spec.claims) :], strict=True)
        if h <= cut and link[1] in kept and link[2] in kept
    ]
    by_hand = Spec(spec.sources, tuple(c for c in spec.claims if c[0] in kept), tuple(links)).build()
    assert derive_all(then) == derive_all(by_hand)


@FAST
@given(specs(), st.data())
def test_adding_a_repeats_link_only_pools_the_evidence_already_on_the_cluster(spec: Spec, data: st.DataObject) -> None:
    """The true invariant behind "repeats is never evidence".

    The naive one — adding a ``repeats`` link never increases any claim's supporters + contradictors +
    neutrals — is false twice over (see the two counterexample tests in test_corroboration.py): merging
    clusters pools their evidence, and a claim demoted from origin takes its source out of the origin
    sources, which can turn an echo into counted evidence. What does hold:

    1. unconditionally, the links a claim's derivation considers afterwards (counted, echoes, internal) are
       exactly those its new cluster's members considered before: no evidence is created, only pooled;
    2. when no origin source is lost, every link counted for a claim afterwards was already counted before
       for some member of its new cluster, and the set of links counted anywhere can only shrink
       (independence only gets harder as origin sources are added).
    """
    graph = spec.build()
    claims = sorted(graph.claims())
    a, b = data.draw(st.sampled_from(claims)), data.draw(st.sampled_from(claims))
    before = derive_all(graph)
    graph.add_link(99_999, a, b, "repeats")
    after = derive_all(graph)
    for d in after.values():
        assert considered(d) == set().union(*(considered(before[m]) for m in d.cluster))
    assume(before[a].origin_sources | before[b].origin_sources <= after[a].origin_sources)
    for d in after.values():
        assert counted(d) <= set().union(*(counted(before[m]) for m in d.cluster))
    assert set().union(*map(counted, after.values())) <= set().union(*map(counted, before.values()))


STORE = settings(max_examples=150, deadline=None)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for every example, emptied before each (opening one per example would dominate)."""
    opened = open_workspace(str(tmp_path_factory.mktemp("store-property") / "w.sqlite"))
    yield opened
    opened.close()


def _stored(workspace: Workspace) -> dict[int, tuple[Any, ...]]:
    with workspace.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, status, suggested_credibility, verdict_disputed, link_count FROM claim"
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


@STORE
@given(specs(max_sources=3, max_claims=5, max_links=6), st.data())
def test_the_store_keeps_every_stored_status_equal_to_a_full_derivation(
    scratch: Workspace, spec: Spec, data: st.DataObject
) -> None:
    """The store re-derives only what its rule says a change can reach (``desktop.core.store.status``).

    After every random write through the real ``Store`` — link, unlink, a source's side or group, a
    claim's source, a new claim, a deletion, or the undo of the previous write — every stored status
    equals a full derivation of the workspace, and every claim whose stored row changed is in the
    write's ``Change`` (what the window repaints).
    """
    with scratch.engine.begin() as connection:
        for table in ("link", "claim", "source", "audit"):
            connection.exec_driver_sql(f"DELETE FROM {table}")
    _random_writes(scratch, spec, data)


def _random_writes(workspace: Workspace, spec: Spec, data: st.DataObject) -> None:
    store = workspace.store
    sources = [store.create_source(f"s{s}", side=side, group_label=group).value for s, side, group in spec.sources]
    claims = [store.create_claim(f"claim {c}", sources[s]).value for c, s in spec.claims]
    for _, f, t, relation in spec.links:
        if f != t:
            store.set_link(claims[f], claims[t], relation)
    last: Result | None = None
    for _ in range(data.draw(st.integers(1, 8), label="steps")):
        before = _stored(workspace)
        alive = sorted(before)
        ops = ["source", "add_claim"] + (["link"] * 3 + ["unlink", "claim_source", "delete"] if len(alive) >= 2 else [])
        ops += ["undo"] if last is not None else []
        op = data.draw(st.sampled_from(ops), label="op")
        try:
            if op == "link":
                a, b = data.draw(st.lists(st.sampled_from(alive), min_size=2, max_size=2, unique=True), label="pair")
                relation = data.draw(st.sampled_from(["repeats", "repeats", *RELATIONS]), label="relation")
                result = store.set_link(a, b, relation)
            elif op == "unlink":
                a, b = data.draw(st.lists(st.sampled_from(alive), min_size=2, max_size=2, unique=True), label="pair")
                result = store.remove_link(a, b)
            elif op == "source":
                result = store.update_source(
                    data.draw(st.sampled_from(sources), label="source"),
                    side=data.draw(st.sampled_from(SIDES), label="side"),
                    group_label=data.draw(st.sampled_from(GROUPS), label="group"),
                )
            elif op == "claim_source":
                claim, source = data.draw(st.sampled_from(alive)), data.draw(st.sampled_from(sources))
                result = store.update_claim(claim, source_id=source)
            elif op == "add_claim":
                result = store.create_claim("another claim", data.draw(st.sampled_from(sources), label="source"))
            elif op == "delete":
                result = store.delete_claim(data.draw(st.sampled_from(alive), label="claim"))
            else:
                assert last is not None
                result = last.undo(store)
        except NotFound:  # unlinking a pair that has no link: refused, nothing written
            assert _stored(workspace) == before
            continue
        last = result
        with workspace.engine.connect() as connection:
            assert stale_claims(connection) == []
        after = _stored(workspace)
        moved = {c for c in before.keys() & after.keys() if before[c] != after[c]}
        assert moved <= result.change.claims
        assert before.keys() - after.keys() <= result.change.removed_claims
        assert after.keys() - before.keys() <= result.change.added_claims
