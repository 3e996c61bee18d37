"""Properties of the status engine over small random graphs (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop.core.corroboration import (
    Derivation,
    IncrementalDeriver,
    MemoryGraph,
    affected_by_claim_change,
    affected_by_claim_removal,
    affected_by_link_change,
    affected_by_source_change,
    derive,
    derive_all,
    derive_many,
)
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
@given(specs(max_claims=7, max_links=10), st.data())
def test_incremental_derivation_always_equals_full_rederivation(spec: Spec, data: st.DataObject) -> None:
    """After every random edit: the deriver equals derive_all and reports exactly the claims that changed;
    a second deriver over the bare Protocol, fed only notifications, agrees; and the stateless
    ``affected_by_*`` set (what the SQL store uses) contains every claim that changed."""
    graph = spec.build()
    deriver = IncrementalDeriver(graph)
    shadow = IncrementalDeriver(ProtocolOnlyGraph(graph), graph.claims())
    next_id = 10_000
    for _ in range(data.draw(st.integers(1, 10), label="steps")):
        before = dict(deriver.derivations)
        claims = sorted(graph.claims())
        links = sorted(link for link, _ in graph.links())
        sources = sorted(graph.sources())
        ops = ["set_source", "add_claim"]
        if claims:
            ops += ["add_link", "set_claim_source", "remove_claim"]
        if links:
            ops.append("remove_link")
        op = data.draw(st.sampled_from(ops), label="op")
        next_id += 1
        if op == "add_link":
            f, t = data.draw(st.sampled_from(claims)), data.draw(st.sampled_from(claims))
            relation = data.draw(st.sampled_from(["repeats", "repeats", "corroborates", "contradicts", "neutral"]))
            update = deriver.add_link(next_id, f, t, relation)
            shadow.link_changed(f, t, relation)
            bound = affected_by_link_change(graph, f, t, relation)
        elif op == "remove_link":
            link = data.draw(st.sampled_from(links))
            record = graph.link(link)
            update = deriver.remove_link(link)
            shadow.link_changed(record.from_, record.to, record.relation)
            bound = affected_by_link_change(graph, record.from_, record.to, record.relation)
        elif op == "set_source":
            source = data.draw(st.sampled_from([*sources, next_id]))
            update = deriver.set_source(source, data.draw(st.sampled_from(SIDES)), data.draw(st.sampled_from(GROUPS)))
            bound = affected_by_source_change(graph, source)
            shadow.refresh(bound)
        elif op == "add_claim":
            update = deriver.add_claim(next_id, data.draw(st.sampled_from(sources)))
            shadow.claim_changed(next_id)
            bound = affected_by_claim_change(graph, next_id)
        elif op == "set_claim_source":
            claim, source = data.draw(st.sampled_from(claims)), data.draw(st.sampled_from(sources))
            update = deriver.set_claim_source(claim, source)
            shadow.claim_changed(claim)
            bound = affected_by_claim_change(graph, claim)
        else:
            claim = data.draw(st.sampled_from(claims))
            bound = affected_by_claim_removal(graph, claim) | {claim}
            shadow.before_claim_removed(claim)
            update = deriver.remove_claim(claim)
            shadow.claim_removed(claim)
        full = derive_all(graph)
        assert deriver.derivations == full
        assert shadow.derivations == full
        status_changed = {
            c
            for c in set(before) | set(full)
            if (before[c].status if c in before else None) != (full[c].status if c in full else None)
        }
        assert update.status_changed == status_changed
        assert update.changed == {c for c in set(before) | set(full) if before.get(c) != full.get(c)}
        assert update.changed <= bound


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
