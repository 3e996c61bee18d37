"""``corroboration.statuses_after``: the statuses many changes at once reach, as the as-of patch derives them.

It derives the moved clusters, the clusters of changed evidence pairs and, of the clusters linked by evidence
to a moved cluster, only those for which such a link counts differently now (echo or evidence, cross-side or
not). Every claim it leaves out keeps the status derived before the changes; the tests hold the statuses
derived before, overwritten by what it returns, to a full derivation after the changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.corroboration import (
    MemoryGraph,
    Status,
    cluster_summaries,
    statuses_after,
    statuses_all,
    statuses_around,
)
from tests.core._graphs import GROUPS, SIDES, Builder, ProtocolOnlyGraph, Spec, specs


@dataclass
class Changes:
    """Changes made to a copy of a graph, named as the as-of patch names them (``history.patch_derive``)."""

    seeds: set[int]  # a ``repeats`` link's ends, a claim added, removed or given another source, a source's claims
    evidence: set[int]  # the ends of the other links added or removed

    def link(self, a: int, b: int, relation: str) -> None:
        """A link between ``a`` and ``b`` added or removed."""
        (self.seeds if relation == "repeats" else self.evidence).update((a, b))


def _after(now: MemoryGraph, then: MemoryGraph, changes: Changes, alone: set[int] | None = None) -> dict[int, Status]:
    before = cluster_summaries(now, [c for c in changes.seeds if now.has_claim(c)])
    exists = then.has_claim
    return statuses_after(
        then,
        moved=[c for c in changes.seeds if exists(c)],
        before=before,
        clusters_of=[c for c in changes.evidence if exists(c)],
        alone=alone or (),
    )


def _patched(now: MemoryGraph, then: MemoryGraph, derived: dict[int, Status]) -> dict[int, Status]:
    """The statuses of ``then`` as the patch leaves them: derived, or as they were stored ``now``."""
    stored = statuses_all(now)
    return {c: derived[c] if c in derived else stored[c] for c in then.claims()}


def _relay_split(from_: str, relation: str, to: str) -> tuple[Builder, MemoryGraph, MemoryGraph, Changes]:
    """``relay`` (source b) repeats ``origin`` (source a) now, and one more link ``from_`` → ``to``; the
    ``repeats`` link is undone: at T the relay is a cluster of its own, whose origin source is b, not a."""
    b = Builder()
    b.source("a", side="north", group="wagner")
    b.source("b", side="south")
    b.source("c", side="east")
    b.source("d", side="west", group="Wagner ")
    b.claim("origin", "a")
    b.claim("relay", "b")
    b.claim("same-as-origin", "a")  # source a: an echo of the relay now, evidence on it at T
    b.claim("third", "c")  # independent of the relay and cross-side, now and at T
    b.claim("group-mate", "d")  # group wagner, as source a: an echo of the relay now, evidence on it at T
    repeats = b.link("relay", "repeats", "origin")
    b.link(from_, relation, to)
    now = b.graph
    then = now.copy()
    then.remove_link(repeats)
    return b, now, then, Changes({b["relay"], b["origin"]}, set())


@pytest.mark.parametrize("neighbour", ["same-as-origin", "group-mate"])
def test_a_neighbour_whose_link_turns_from_echo_to_evidence_is_derived(neighbour: str) -> None:
    b, now, then, changes = _relay_split(neighbour, "corroborates", "relay")
    derived = _after(now, then, changes)
    assert statuses_all(now)[b[neighbour]] == "unverified"  # shares source a, or its group, with the relay's origin
    assert derived[b[neighbour]] == "corroborated"  # the relay's origin source is b at T
    assert _patched(now, then, derived) == statuses_all(then)


def test_a_neighbour_whose_links_count_the_same_is_left_as_it_was() -> None:
    b, now, then, changes = _relay_split("third", "corroborates", "relay")
    derived = _after(now, then, changes)
    assert b["third"] not in derived  # independent and cross-side whether the relay's origin source is a or b
    assert statuses_all(then)[b["third"]] == "corroborated"
    assert _patched(now, then, derived) == statuses_all(then)


@pytest.mark.parametrize(
    ("from_", "to", "derived_too"), [("same-as-origin", "relay", False), ("relay", "same-as-origin", True)]
)
def test_a_neutral_counts_only_for_the_claim_it_addresses(from_: str, to: str, derived_too: bool) -> None:
    """A neighbour's own ``neutral`` on the relay is no evidence on the neighbour, whatever the relay's origins:
    it is not derived for it; the relay's ``neutral`` on the neighbour turns from echo into evidence."""
    b, now, then, changes = _relay_split(from_, "neutral", to)
    derived = _after(now, then, changes)
    assert (b["same-as-origin"] in derived) is derived_too
    assert _patched(now, then, derived) == statuses_all(then)


def test_a_member_whose_summary_before_is_unknown_has_every_neighbour_derived() -> None:
    b, now, then, changes = _relay_split("third", "corroborates", "relay")
    moved = [b["relay"], b["origin"]]
    assert b["third"] in statuses_after(then, moved=moved, before={}, clusters_of=())


# --------------------------------------------------------------------------------------------------
# Random graphs, random changes
# --------------------------------------------------------------------------------------------------

CHANGE_KINDS = ("link+", "link-", "source", "labels", "claim+", "claim-")


@st.composite
def changed(draw: st.DrawFn) -> tuple[MemoryGraph, MemoryGraph, Changes, set[int]]:
    """A random graph (now), a copy with random changes made to it (at T), what the changes name, and
    claims whose verdict alone changed."""
    spec: Spec = draw(specs(max_sources=4, max_claims=9, max_links=14))
    now = spec.build()
    then = now.copy()
    changes = Changes(set(), set())
    sources = [s for s, _side, _group in spec.sources]
    next_id = 10_000
    for kind in draw(st.lists(st.sampled_from(CHANGE_KINDS), max_size=5)):
        claims = sorted(then.claims())
        if kind == "link+" and claims:
            a, b = draw(st.sampled_from(claims)), draw(st.sampled_from(claims))
            relation = draw(st.sampled_from(("corroborates", "contradicts", "neutral", "repeats")))
            then.add_link(next_id, a, b, relation)
            changes.link(a, b, relation)
        elif kind == "link-":
            links = sorted(link for link, _record in then.links())
            if links:
                record = then.remove_link(draw(st.sampled_from(links)))
                changes.link(record.from_, record.to, record.relation)
        elif kind == "source" and claims:
            claim = draw(st.sampled_from(claims))
            then.set_claim_source(claim, draw(st.sampled_from(sources)))
            changes.seeds.add(claim)
        elif kind == "labels":
            source = draw(st.sampled_from(sources))
            then.set_source(source, draw(st.sampled_from(SIDES)), draw(st.sampled_from(GROUPS)))
            changes.seeds |= set(then.claims_of(source)) | set(now.claims_of(source))
        elif kind == "claim+":
            then.add_claim(next_id, draw(st.sampled_from(sources)))
            changes.seeds.add(next_id)
        elif kind == "claim-" and claims:
            claim = draw(st.sampled_from(claims))
            for link, record in list(then.links()):
                if claim in (record.from_, record.to):
                    then.remove_link(link)
                    changes.link(record.from_, record.to, record.relation)
            then.remove_claim(claim)
            changes.seeds.add(claim)
        next_id += 1
    verdicts = set(draw(st.lists(st.sampled_from(sorted(then.claims()) or [0]), max_size=2))) & set(then.claims())
    return now, then, changes, verdicts


@settings(max_examples=400, deadline=None)
@given(changed())
def test_what_statuses_after_leaves_out_is_what_a_full_derivation_leaves_as_it_was(
    case: tuple[MemoryGraph, MemoryGraph, Changes, set[int]],
) -> None:
    now, then, changes, verdicts = case
    derived = _after(now, then, changes, verdicts)
    full = statuses_all(then)
    assert all(derived[c] == full[c] for c in derived)
    assert _patched(now, then, derived) == full


@settings(max_examples=300, deadline=None)
@given(specs(max_sources=4, max_claims=9, max_links=16), st.data())
def test_statuses_of_some_claims_over_the_bare_protocol_are_those_of_the_full_derivation(
    spec: Spec, data: st.DataObject
) -> None:
    """``statuses_around`` summarises the far ends of the links only as far as the statuses need them, a
    batch at a time: over a graph offering only the protocol, the statuses are those of a full derivation."""
    graph = spec.build()
    wanted = data.draw(st.sets(st.sampled_from(sorted(graph.claims()))))
    bare = ProtocolOnlyGraph(graph)
    full = statuses_all(graph)
    assert statuses_around(bare, neighbourhood_of=(), clusters_of=(), alone=wanted) == {c: full[c] for c in wanted}


@st.composite
def stars(draw: st.DrawFn) -> tuple[MemoryGraph, set[int]]:
    """A claim (1) with up to five linked claims, some of them sharing its source or side, and the claims to
    ask about: the centre and some of the others, so the far ends of some of its links are summarised first."""
    graph = MemoryGraph()
    for source, side in enumerate(("north", "north", "south", "")):
        graph.add_source(source, side)
    graph.add_claim(1, 0)
    wanted = {1}
    for other in range(2, draw(st.integers(2, 6)) + 1):
        graph.add_claim(other, draw(st.integers(0, 3)))
        relation = draw(st.sampled_from(("corroborates", "contradicts", "neutral")))
        if draw(st.booleans()):
            graph.add_link(other, other, 1, relation)
        else:
            graph.add_link(other, 1, other, relation)
        if draw(st.booleans()):
            wanted.add(other)
    return graph, wanted


@settings(max_examples=500, deadline=None)
@given(stars())
def test_what_the_far_ends_summarised_first_decide_leaves_the_rest_to_decide_the_same_status(
    case: tuple[MemoryGraph, set[int]],
) -> None:
    graph, wanted = case
    full = statuses_all(graph)
    bare = ProtocolOnlyGraph(graph)
    assert statuses_around(bare, neighbourhood_of=(), clusters_of=(), alone=wanted) == {c: full[c] for c in wanted}
