"""The status engine against docs/status-rules.md, one behaviour per test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest

from desktop.core import vocab
from desktop.core.corroboration import (
    EVIDENCE_RELATIONS,
    RELATIONS,
    STATUSES,
    SUGGESTED_CREDIBILITY,
    Derivation,
    Echo,
    Evidence,
    MemoryGraph,
    Relation,
    Status,
    cluster_of,
    clusters,
    derive,
    derive_all,
    derive_many,
    explain,
    neighbourhood,
    origins_of,
    verdict_disputed,
)
from tests.core._graphs import Builder, ProtocolOnlyGraph


def status(b: Builder, claim: str) -> str:
    return derive(b.graph, b[claim]).status


def names(b: Builder, claims: frozenset[int] | tuple[int, ...]) -> set[str]:
    return {b.name(c) for c in claims}


# ---------------------------------------------------------------------------------------------- rule 1


def test_cluster_of_a_claim_without_repeats_is_the_claim_alone() -> None:
    b = Builder()
    b.source("s")
    b.claim("c", "s")
    assert cluster_of(b.graph, b["c"]) == {b["c"]}


def test_cluster_follows_repeats_links_in_both_directions() -> None:
    b = Builder()
    b.source("s")
    for n in ("origin", "relay", "relay_of_origin"):
        b.claim(n, "s")
    b.link("relay", "repeats", "origin")
    b.link("relay_of_origin", "repeats", "origin")
    # from a relay: up to the origin, then down to the other relay
    assert names(b, cluster_of(b.graph, b["relay"])) == {"origin", "relay", "relay_of_origin"}


def test_cluster_is_transitive_over_repeats_chains() -> None:
    b = Builder()
    b.source("s")
    for n in "abcde":
        b.claim(n, "s")
    b.link("b", "repeats", "a")
    b.link("c", "repeats", "b")
    b.link("c", "repeats", "d")  # c repeats two claims
    b.link("e", "repeats", "d")
    assert names(b, cluster_of(b.graph, b["a"])) == set("abcde")


def test_evidence_links_do_not_join_clusters() -> None:
    b = Builder()
    b.source("s")
    b.claim("a", "s")
    b.claim("b", "s")
    b.link("a", "corroborates", "b")
    assert cluster_of(b.graph, b["a"]) == {b["a"]}


def test_evidence_on_any_member_counts_for_every_member() -> None:
    b = Builder()
    b.source("ru", "russia")
    b.source("ru2", "russia")
    b.source("ua", "ukraine")
    b.claim("origin", "ru")
    b.claim("relay", "ru2")
    b.claim("other", "ua")
    b.link("relay", "repeats", "origin")
    link = b.link("other", "corroborates", "relay")
    origin = derive(b.graph, b["origin"])
    assert origin.status == "corroborated"
    assert origin.supporters == (Evidence(b["other"], b["relay"], link, "corroborates", True),)


def test_repeats_is_never_evidence() -> None:
    b = Builder()
    b.source("ru", "russia")
    b.source("ua", "ukraine")
    b.claim("a", "ru")
    b.claim("b", "ua")
    b.link("b", "repeats", "a")
    assert status(b, "a") == status(b, "b") == "unverified"


# ---------------------------------------------------------------------------------------------- rule 2


def test_origin_is_the_member_that_repeats_nothing() -> None:
    b = Builder()
    b.source("s")
    for n in "abc":
        b.claim(n, "s")
    b.link("b", "repeats", "a")
    b.link("c", "repeats", "b")
    assert derive(b.graph, b["c"]).origins == {b["a"]}


def test_a_claim_repeating_two_claims_leaves_both_as_origins() -> None:
    b = Builder()
    b.source("s")
    for n in "abx":
        b.claim(n, "s")
    b.link("x", "repeats", "a")
    b.link("x", "repeats", "b")
    assert names(b, derive(b.graph, b["x"]).origins) == {"a", "b"}


def test_every_member_of_a_repeats_cycle_is_an_origin() -> None:
    b = Builder()
    b.source("s")
    for n in "abc":
        b.claim(n, "s")
    b.link("a", "repeats", "b")
    b.link("b", "repeats", "c")
    b.link("c", "repeats", "a")
    assert names(b, derive(b.graph, b["a"]).origins) == {"a", "b", "c"}


def test_a_claim_repeating_a_cycle_member_is_not_an_origin() -> None:
    b = Builder()
    b.source("s")
    for n in "abr":
        b.claim(n, "s")
    b.link("a", "repeats", "b")
    b.link("b", "repeats", "a")
    b.link("r", "repeats", "a")
    assert names(b, origins_of(b.graph, cluster_of(b.graph, b["r"]))) == {"a", "b"}


def test_a_cycle_member_that_also_repeats_outside_the_cycle_is_still_an_origin() -> None:
    # "if repeats links form a cycle, every member of the cycle is an origin" — whatever else it repeats
    b = Builder()
    b.source("s")
    for n in "abz":
        b.claim(n, "s")
    b.link("a", "repeats", "b")
    b.link("b", "repeats", "a")
    b.link("a", "repeats", "z")
    assert names(b, derive(b.graph, b["a"]).origins) == {"a", "b", "z"}


def test_a_claim_repeating_itself_is_its_own_origin() -> None:
    b = Builder()
    b.source("s")
    b.claim("a", "s")
    b.claim("r", "s")
    b.link("a", "repeats", "a")
    b.link("r", "repeats", "a")
    assert derive(b.graph, b["r"]).origins == {b["a"]}


def test_origin_sources_are_the_sources_of_origins_not_of_relays() -> None:
    b = Builder()
    origin_source = b.source("agency")
    b.source("outlet")
    b.claim("wire", "agency")
    b.claim("article", "outlet")
    b.link("article", "repeats", "wire")
    assert derive(b.graph, b["article"]).origin_sources == {origin_source}


# ---------------------------------------------------------------------------------------------- rules 3–4


def test_support_from_the_same_source_is_an_echo() -> None:
    b = Builder()
    src = b.source("chan", "russia")
    b.claim("c", "chan")
    b.claim("d", "chan")
    link = b.link("d", "corroborates", "c")
    d = derive(b.graph, b["c"])
    assert d.supporters == ()
    assert d.echoes == (Echo(b["d"], b["c"], link, "corroborates", "same-origin", (src,)),)


def test_support_that_relays_the_claims_own_origin_source_is_an_echo() -> None:
    # d comes from another outlet, but d's cluster originates with the same channel as c
    b = Builder()
    b.source("chan", "russia")
    b.source("outlet", "ukraine")
    b.claim("c", "chan")
    b.claim("post", "chan")
    b.claim("d", "outlet")
    b.link("d", "repeats", "post")
    b.link("d", "corroborates", "c")
    d = derive(b.graph, b["c"])
    assert names(b, d.echo_claims) == {"d"}
    assert d.status == "unverified"


def test_sources_sharing_a_group_are_not_independent() -> None:
    b = Builder()
    b.source("tass", "russia", "state-media")
    b.source("ria", "russia", "state-media")
    b.claim("c", "tass")
    b.claim("d", "ria")
    link = b.link("d", "corroborates", "c")
    d = derive(b.graph, b["c"])
    assert d.echoes == (Echo(b["d"], b["c"], link, "corroborates", "same-group", ("state-media",)),)
    assert d.status == "unverified"


def test_an_empty_group_is_not_shared() -> None:
    b = Builder()
    b.source("a", "russia", "")
    b.source("b", "russia", "")
    b.claim("c", "a")
    b.claim("d", "b")
    b.link("d", "corroborates", "c")
    assert status(b, "c") == "aligned"


def test_a_relay_by_the_claims_source_does_not_make_support_dependent() -> None:
    # only origin sources matter: d's cluster is relayed by c's source, but originates elsewhere
    b = Builder()
    b.source("chan", "russia")
    b.source("ministry", "ukraine")
    b.claim("c", "chan")
    b.claim("d", "ministry")
    b.claim("relay", "chan")
    b.link("relay", "repeats", "d")
    b.link("d", "corroborates", "c")
    assert status(b, "c") == "corroborated"


@pytest.mark.parametrize("relation", ["corroborates", "contradicts", "neutral"])
def test_an_echo_is_set_aside_whatever_its_relation(relation: str) -> None:
    b = Builder()
    b.source("chan")
    b.claim("c", "chan")
    b.claim("d", "chan")
    b.link("d", relation, "c")
    d = derive(b.graph, b["c"])
    assert (d.supporters, d.contradictors, d.neutrals) == ((), (), ())
    assert [e.relation for e in d.echoes] == [relation]
    assert d.status == "unverified"


def test_echoes_alone_leave_a_claim_unverified() -> None:
    b = Builder()
    b.source("tass", "russia", "state-media")
    b.source("ria", "russia", "state-media")
    b.claim("c", "tass")
    b.claim("d", "ria")
    b.claim("e", "tass")
    b.link("d", "corroborates", "c")
    b.link("e", "contradicts", "c")
    assert status(b, "c") == "unverified"


def test_a_link_between_two_members_of_one_cluster_is_ignored() -> None:
    b = Builder()
    b.source("ru", "russia")
    b.source("ua", "ukraine")
    b.claim("a", "ru")
    b.claim("r", "ua")
    b.link("r", "repeats", "a")
    internal = b.link("r", "contradicts", "a")
    d = derive(b.graph, b["a"])
    assert d.internal_links == (internal,)
    assert (d.contradictors, d.echoes, d.status) == ((), (), "unverified")


# ---------------------------------------------------------------------------------------------- rule 5


def test_support_from_the_same_side_is_not_cross_side() -> None:
    b = Builder()
    b.source("a", "russia")
    b.source("b", "russia")
    b.claim("c", "a")
    b.claim("d", "b")
    b.link("d", "corroborates", "c")
    d = derive(b.graph, b["c"])
    assert [e.cross_side for e in d.supporters] == [False]


def test_support_from_another_side_is_cross_side() -> None:
    b = Builder()
    b.source("a", "russia")
    b.source("b", "ukraine")
    b.claim("c", "a")
    b.claim("d", "b")
    b.link("d", "corroborates", "c")
    assert [e.cross_side for e in derive(b.graph, b["c"]).supporters] == [True]


def test_support_from_an_unaligned_source_is_cross_side() -> None:
    b = Builder()
    b.source("a", "russia")
    b.source("think-tank", "")
    b.claim("c", "a")
    b.claim("d", "think-tank")
    b.link("d", "corroborates", "c")
    assert status(b, "c") == "corroborated"


def test_support_for_a_claim_from_an_unaligned_source_is_cross_side() -> None:
    b = Builder()
    b.source("wire", "")
    b.source("b", "russia")
    b.claim("c", "wire")
    b.claim("d", "b")
    b.link("d", "corroborates", "c")
    assert status(b, "c") == "corroborated"


def test_support_between_two_unaligned_sources_is_cross_side() -> None:
    b = Builder()
    b.source("a", "")
    b.source("b", "")
    b.claim("c", "a")
    b.claim("d", "b")
    b.link("d", "corroborates", "c")
    assert status(b, "c") == "corroborated"


def test_one_shared_side_among_several_origin_sources_makes_support_own_side() -> None:
    b = Builder()
    b.source("ru", "russia")
    b.source("ua", "ukraine")
    b.source("ru2", "russia")
    b.claim("ru_post", "ru")
    b.claim("ua_post", "ua")
    b.claim("digest", "ru")  # repeats both: the cluster originates on both sides
    b.claim("d", "ru2")
    b.link("digest", "repeats", "ru_post")
    b.link("digest", "repeats", "ua_post")
    b.link("d", "corroborates", "digest")
    assert status(b, "digest") == "aligned"


def test_an_unaligned_origin_source_among_several_makes_support_cross_side() -> None:
    b = Builder()
    b.source("ru", "russia")
    b.source("wire", "")
    b.source("ru2", "russia")
    b.claim("ru_post", "ru")
    b.claim("wire_post", "wire")
    b.claim("digest", "ru")
    b.claim("d", "ru2")
    b.link("digest", "repeats", "ru_post")
    b.link("digest", "repeats", "wire_post")
    b.link("d", "corroborates", "digest")
    assert status(b, "digest") == "corroborated"


def test_side_and_group_labels_compare_trimmed_and_case_insensitively() -> None:
    b = Builder()
    b.source("a", "russia", "State-Media")
    b.source("b", " Russia ", "state-media ")
    b.source("c", "RUSSIA")
    b.claim("x", "a")
    b.claim("y", "b")
    b.claim("z", "c")
    b.link("y", "corroborates", "x")  # same group after normalising: echo
    b.link("z", "corroborates", "x")  # same side after normalising: own side
    d = derive(b.graph, b["x"])
    assert names(b, d.echo_claims) == {"y"}
    assert d.status == "aligned"


# ---------------------------------------------------------------------------------------------- rule 6


def two_sided() -> Builder:
    b = Builder()
    b.source("ru", "russia")
    b.source("ru2", "russia")
    b.source("ua", "ukraine")
    b.source("isw", "")
    b.claim("c", "ru")
    b.claim("same_side", "ru2")
    b.claim("other_side", "ua")
    b.claim("also_other_side", "ua")
    b.claim("tank", "isw")
    return b


def test_status_unverified_when_nothing_bears_on_the_claim() -> None:
    assert status(two_sided(), "c") == "unverified"


def test_status_unconfirmed_when_only_neutrals() -> None:
    b = two_sided()
    b.link("tank", "neutral", "c")
    assert status(b, "c") == "unconfirmed"


# ---------------------------------------------------------------------------------------------- rule 4 neutral


def test_neutral_is_evidence_on_its_to_claim_only() -> None:
    """The think tank's "we neither confirm nor deny" leaves the think tank's own statement unverified."""
    b = two_sided()
    b.link("tank", "neutral", "c")
    assert (status(b, "c"), status(b, "tank")) == ("unconfirmed", "unverified")
    tank = derive(b.graph, b["tank"])
    assert (tank.neutrals, tank.echoes, tank.internal_links) == ((), (), ())
    assert tank.addresses == (b["c"],)
    assert derive(b.graph, b["c"]).neutral_claims == (b["tank"],)


def test_neutral_reaches_every_member_of_the_to_claims_cluster_but_none_of_the_from_claims() -> None:
    b = two_sided()
    b.claim("relay_of_c", "ru2")
    b.claim("relay_of_tank", "ua")
    b.link("relay_of_c", "repeats", "c")
    b.link("relay_of_tank", "repeats", "tank")
    b.link("tank", "neutral", "relay_of_c")
    assert status(b, "c") == status(b, "relay_of_c") == "unconfirmed"
    assert status(b, "tank") == status(b, "relay_of_tank") == "unverified"
    assert derive(b.graph, b["relay_of_tank"]).addresses == (b["relay_of_c"],)


def test_a_neutral_from_a_dependent_claim_is_an_echo_on_its_to_claim_only() -> None:
    b = Builder()
    b.source("chan")
    b.claim("c", "chan")
    b.claim("d", "chan")
    b.link("d", "neutral", "c")
    assert [e.claim for e in derive(b.graph, b["c"]).echoes] == [b["d"]]
    assert derive(b.graph, b["d"]).echoes == ()


def test_neutral_both_ways_makes_both_claims_unconfirmed() -> None:
    b = two_sided()
    b.link("tank", "neutral", "c")
    b.link("c", "neutral", "tank")
    assert (status(b, "c"), status(b, "tank")) == ("unconfirmed", "unconfirmed")


def test_the_explanation_says_independent_of_origins_never_of_a_source() -> None:
    b = two_sided()
    b.link("tank", "neutral", "c")
    b.link("other_side", "contradicts", "same_side")
    for claim in b.graph.claims():
        text = " ".join(explain(derive(b.graph, claim), b.name))
        assert "independent source" not in text
    assert "from an independent origin" in explain(derive(b.graph, b["c"]), b.name)[0]
    assert "Its own “neither confirms nor denies” on c is evidence on that claim, not on this one." in explain(
        derive(b.graph, b["tank"]), b.name
    )


def test_status_aligned_when_all_supporters_are_from_its_own_side() -> None:
    b = two_sided()
    b.link("same_side", "corroborates", "c")
    b.link("tank", "neutral", "c")
    assert status(b, "c") == "aligned"


def test_status_corroborated_when_a_supporter_is_from_another_side() -> None:
    b = two_sided()
    b.link("same_side", "corroborates", "c")
    b.link("other_side", "corroborates", "c")
    assert status(b, "c") == "corroborated"


def test_status_contradicted_when_contradicted_and_unsupported() -> None:
    b = two_sided()
    b.link("other_side", "contradicts", "c")
    b.link("tank", "neutral", "c")
    assert status(b, "c") == "contradicted"


def test_status_contested_when_supported_and_contradicted() -> None:
    b = two_sided()
    b.link("same_side", "corroborates", "c")
    b.link("other_side", "contradicts", "c")
    assert status(b, "c") == "contested"


def test_contested_beats_corroborated() -> None:
    b = two_sided()
    b.link("other_side", "corroborates", "c")
    b.link("also_other_side", "contradicts", "c")
    assert status(b, "c") == "contested"


def test_contradicted_beats_unconfirmed() -> None:
    b = two_sided()
    b.link("tank", "neutral", "c")
    b.link("other_side", "contradicts", "c")
    assert status(b, "c") == "contradicted"


def test_the_same_claim_linked_as_support_and_contradiction_makes_the_claim_contested() -> None:
    b = two_sided()
    b.link("other_side", "corroborates", "c")
    b.link("c", "contradicts", "other_side")
    d = derive(b.graph, b["c"])
    assert d.supporter_claims == d.contradictor_claims == (b["other_side"],)
    assert d.status == "contested"


def test_a_claim_linked_through_two_members_is_listed_once_per_link() -> None:
    b = two_sided()
    b.claim("relay", "ru")
    b.link("relay", "repeats", "c")
    first = b.link("other_side", "corroborates", "c")
    second = b.link("other_side", "corroborates", "relay")
    d = derive(b.graph, b["c"])
    assert [(e.claim, e.via, e.link) for e in d.supporters] == [
        (b["other_side"], b["c"], first),
        (b["other_side"], b["relay"], second),
    ]
    assert d.supporter_claims == (b["other_side"],)


def test_evidence_tuples_are_sorted_by_claim_then_link() -> None:
    b = two_sided()
    b.link("tank", "corroborates", "c")
    b.link("other_side", "corroborates", "c")
    b.link("also_other_side", "corroborates", "c")
    b.link("other_side", "corroborates", "c")
    keys = [(e.claim, e.link) for e in derive(b.graph, b["c"]).supporters]
    assert keys == sorted(keys) and len(keys) == 4


def test_statuses_are_listed_in_rule_order() -> None:
    assert STATUSES == ("contested", "contradicted", "corroborated", "aligned", "unconfirmed", "unverified")


# ---------------------------------------------------------------------------------------------- rules 7–8


@pytest.mark.parametrize(
    ("expected", "links"),
    [
        ("corroborated", [("other_side", "corroborates")]),
        ("aligned", [("same_side", "corroborates")]),
        ("unconfirmed", [("tank", "neutral")]),
        ("contested", [("same_side", "corroborates"), ("other_side", "contradicts")]),
        ("contradicted", [("other_side", "contradicts")]),
        ("unverified", []),
    ],
)
def test_suggested_credibility_follows_the_status(expected: str, links: list[tuple[str, str]]) -> None:
    b = two_sided()
    for other, relation in links:
        b.link(other, relation, "c")
    d = derive(b.graph, b["c"])
    assert d.status == expected
    assert d.suggested_credibility == SUGGESTED_CREDIBILITY[expected]
    assert SUGGESTED_CREDIBILITY == {
        "corroborated": 1,
        "aligned": 2,
        "unconfirmed": 3,
        "contested": 4,
        "contradicted": 5,
        "unverified": 6,
    }


@pytest.mark.parametrize("status_", STATUSES)
@pytest.mark.parametrize("verdict", ["confirmed", "refuted", "inconclusive", None])
def test_a_verdict_is_flagged_when_the_evidence_disputes_it(verdict: str | None, status_: str) -> None:
    disputed = {
        ("confirmed", "contradicted"),
        ("confirmed", "contested"),
        ("refuted", "corroborated"),
        ("refuted", "contested"),
    }
    assert verdict_disputed(verdict, status_) is ((verdict, status_) in disputed)


# ---------------------------------------------------------------------------------------------- rule 9


T0 = datetime(2022, 12, 14, 9, 0, tzinfo=UTC)


def dated() -> MemoryGraph:
    g = MemoryGraph()
    g.add_source(1, "russia")
    g.add_source(2, "ukraine")
    g.add_claim(10, 1, recorded=T0)
    g.add_claim(11, 2, recorded=T0 + timedelta(hours=1))
    g.add_claim(12, 2, recorded=T0 + timedelta(hours=3))
    g.add_claim(13, 2)  # never dated: always present
    g.add_link(100, 11, 10, "corroborates", recorded=T0 + timedelta(hours=2))
    g.add_link(101, 12, 10, "contradicts", recorded=T0 + timedelta(hours=3))
    g.add_link(102, 13, 10, "neutral")  # undated link
    return g


def test_as_of_t_keeps_claims_and_links_recorded_at_or_before_t() -> None:
    g = dated()
    then = g.as_of(T0 + timedelta(hours=2))
    assert sorted(then.claims()) == [10, 11, 13]
    assert sorted(link for link, _ in then.links()) == [100, 102]
    assert derive(then, 10).status == "corroborated"
    assert derive(g, 10).status == "contested"


def test_as_of_t_before_a_link_is_recorded_derives_without_it() -> None:
    g = dated()
    assert derive(g.as_of(T0 + timedelta(hours=1)), 10).status == "unconfirmed"  # only the undated neutral


def test_as_of_t_drops_a_link_whose_claim_is_not_yet_recorded() -> None:
    g = MemoryGraph()
    g.add_source(1, "russia")
    g.add_source(2, "ukraine")
    g.add_claim(10, 1, recorded=T0)
    g.add_claim(11, 2, recorded=T0 + timedelta(days=1))
    g.add_link(100, 11, 10, "corroborates")  # undated, but its claim is later
    then = g.as_of(T0)
    assert list(then.links()) == []
    assert derive(then, 10).status == "unverified"


def test_as_of_does_not_modify_the_graph() -> None:
    g = dated()
    g.as_of(T0)
    assert len(g) == 4 and len(list(g.links())) == 3


# ---------------------------------------------------------------------------------------------- engine API


def test_all_members_of_a_cluster_share_one_derivation_except_the_claim() -> None:
    b = two_sided()
    b.claim("relay", "ru2")
    b.link("relay", "repeats", "c")
    b.link("other_side", "corroborates", "relay")
    many = derive_many(b.graph, [b["c"], b["relay"]])
    assert many[b["c"]].claim == b["c"] and many[b["relay"]].claim == b["relay"]
    for field in Derivation.__slots__:
        if field != "claim":
            assert getattr(many[b["c"]], field) == getattr(many[b["relay"]], field)


def test_derive_many_returns_exactly_the_requested_claims() -> None:
    b = two_sided()
    b.link("other_side", "corroborates", "c")
    assert set(derive_many(b.graph, [b["c"], b["c"]])) == {b["c"]}


def test_derive_all_equals_derive_for_every_claim() -> None:
    b = two_sided()
    b.claim("relay", "ru")
    b.link("relay", "repeats", "c")
    b.link("other_side", "corroborates", "relay")
    b.link("tank", "contradicts", "other_side")
    b.link("also_other_side", "repeats", "tank")
    full = derive_all(b.graph)
    assert full == {c: derive(b.graph, c) for c in b.graph.claims()}


def test_the_engine_runs_over_a_protocol_only_graph_and_batches_through_prefetch() -> None:
    b = two_sided()
    b.claim("relay", "ru")
    b.link("relay", "repeats", "c")
    b.link("other_side", "corroborates", "relay")
    plain = ProtocolOnlyGraph(b.graph)
    claims = list(b.graph.claims())
    assert derive_many(plain, claims) == derive_all(b.graph)
    assert plain.prefetched and set().union(*plain.prefetched) >= set(claims)


def test_an_unknown_relation_from_a_graph_is_refused() -> None:
    g = MemoryGraph()
    g.add_source(1)
    g.add_claim(1, 1)
    with pytest.raises(ValueError, match="unknown relation"):
        g.add_link(1, 1, 1, "supports")


def test_the_engine_vocabulary_is_the_one_of_vocab_and_agrees_with_its_literal_types() -> None:
    assert RELATIONS == vocab.RELATIONS == get_args(Relation)
    assert STATUSES == vocab.STATUSES == get_args(Status)
    assert EVIDENCE_RELATIONS == frozenset(vocab.EVIDENCE_RELATIONS) == frozenset(RELATIONS) - {"repeats"}
    assert SUGGESTED_CREDIBILITY == vocab.SUGGESTED_CREDIBILITY
    assert set(SUGGESTED_CREDIBILITY) == set(STATUSES)


# ------------------------------------------------------------------------------ what a change reaches (store's rule)


def chain_with_neighbours() -> Builder:
    b = Builder()
    b.source("ru", "russia")
    b.source("ua", "ukraine")
    b.source("isw", "")
    b.claim("a", "ru")
    b.claim("a_relay", "ru")
    b.claim("b", "ua")
    b.claim("b_relay", "ua")
    b.claim("n_of_a", "isw")
    b.claim("n_relay", "isw")
    b.claim("n_of_b", "isw")
    b.claim("far", "isw")
    b.link("a_relay", "repeats", "a")
    b.link("b_relay", "repeats", "b")
    b.link("n_relay", "repeats", "n_of_a")
    b.link("n_of_a", "corroborates", "a_relay")
    b.link("n_of_b", "contradicts", "b_relay")
    b.link("far", "neutral", "n_of_b")
    return b


def test_an_evidence_link_change_affects_both_clusters_only() -> None:
    b = chain_with_neighbours()
    affected = clusters(b.graph, (b["a"], b["b"]))  # what the store re-derives for an evidence link
    assert names(b, frozenset(affected)) == {"a", "a_relay", "b", "b_relay"}


def test_a_repeats_link_change_affects_the_clusters_and_every_cluster_linked_to_them() -> None:
    b = chain_with_neighbours()
    before = neighbourhood(b.graph, (b["a"], b["b"]))  # what the store re-derives for a repeats link
    b.link("a", "repeats", "b")
    after = neighbourhood(b.graph, (b["a"], b["b"]))
    expected = {"a", "a_relay", "b", "b_relay", "n_of_a", "n_relay", "n_of_b"}
    assert names(b, frozenset(before)) == names(b, frozenset(after)) == expected


def test_a_source_change_reaches_the_clusters_of_its_claims_and_their_neighbours() -> None:
    """The store's rule: it does not narrow to clusters the source originates (a superset is safe)."""
    b = chain_with_neighbours()
    b.source("relayer", "russia")
    b.claim("x", "relayer")
    b.link("x", "repeats", "b")  # relayer is not an origin source of b's cluster, but its claim is in it
    reached = neighbourhood(b.graph, b.graph.claims_of(b["src:relayer"]))
    assert names(b, frozenset(reached)) == {"b", "b_relay", "x", "n_of_b"}
    assert names(b, frozenset(neighbourhood(b.graph, b.graph.claims_of(b["src:isw"])))) >= {"a", "a_relay", "n_of_a"}


def test_removing_a_claim_affects_its_former_cluster_and_its_neighbours() -> None:
    b = chain_with_neighbours()
    affected = neighbourhood(b.graph, (b["a_relay"],)) - {b["a_relay"]}  # computed before the deletion
    assert names(b, frozenset(affected)) == {"a", "n_of_a", "n_relay"}


# ---------------------------------------------------------------------------------------------- repeats invariant


def test_adding_repeats_can_pool_evidence_so_per_claim_counts_can_grow() -> None:
    # The naive invariant "adding a repeats link never increases a claim's supporters" is false:
    # "evidence on any member is evidence on all", so merging clusters pools their evidence.
    b = two_sided()
    b.claim("x", "ru")
    b.link("other_side", "corroborates", "x")
    assert derive(b.graph, b["c"]).supporters == ()
    b.link("c", "repeats", "x")
    assert derive(b.graph, b["c"]).supporter_claims == (b["other_side"],)


def test_adding_repeats_can_demote_an_origin_and_free_an_echo() -> None:
    # Also false for a claim whose cluster does not change: when a stops being an origin, its source
    # stops being an origin source, and a link that was an echo of that source starts to count.
    b = Builder()
    b.source("chan", "russia")
    b.source("agency", "ukraine")
    b.claim("a", "chan")
    b.claim("e", "chan")
    b.claim("wire", "agency")
    b.link("e", "corroborates", "a")
    assert derive(b.graph, b["e"]).echo_claims == (b["a"],)
    b.link("a", "repeats", "wire")
    assert derive(b.graph, b["e"]).supporter_claims == (b["a"],)


# ---------------------------------------------------------------------------------------------- explain


def test_explain_puts_the_status_first_and_names_every_kind_of_evidence() -> None:
    b = Builder()
    b.source("wagner", "russia", "wagner")
    b.source("prigozhin", "russia", "Wagner")
    b.source("isw", "")
    b.source("genstaff", "ukraine")
    b.source("blogger", "russia")
    b.claim("breach", "wagner")
    b.claim("relay", "blogger")
    b.claim("echo", "prigozhin")
    b.claim("assess", "isw")
    b.claim("repelled", "genstaff")
    b.claim("confirm", "isw")
    b.link("relay", "repeats", "breach")
    b.link("echo", "corroborates", "breach")
    b.link("assess", "neutral", "breach")
    b.link("repelled", "contradicts", "relay")
    b.link("confirm", "corroborates", "breach")
    b.link("relay", "corroborates", "breach")  # internal
    lines = explain(derive(b.graph, b["breach"]), lambda c: f"«{b.name(c)}»", lambda s: f"source {s}")
    assert lines[0].startswith("Contested: claims from independent origins both support it («confirm»)")
    text = "\n".join(lines)
    assert "Contradicts it: «repelled» (linked to «relay», part of the same assertion)." in text
    assert "Neither confirms nor denies it: «assess»." in text
    assert "Set aside as an echo (corroborates): «echo»" in text and "same group" in text and "“wagner”" in text
    assert "Originated by: «breach»." in text
    assert "Ignored: 1 link between claims of this same assertion" in text


def test_explain_an_unverified_claim_whose_links_are_all_echoes() -> None:
    b = Builder()
    src = b.source("chan", "russia")
    b.claim("c", "chan")
    b.claim("d", "chan")
    b.link("d", "corroborates", "c")
    lines = explain(derive(b.graph, b["c"]), b.name, lambda s: f"source #{s}")
    assert lines[0].startswith("Unverified:") and "echo" in lines[0]
    assert f"same origin source as this claim (source #{src})" in lines[1]


def test_explain_a_corroborated_claim_names_the_cross_side_supporter() -> None:
    b = two_sided()
    b.link("other_side", "corroborates", "c")
    b.link("same_side", "corroborates", "c")
    lines = explain(derive(b.graph, b["c"]), b.name)
    assert lines[0] == (
        "Corroborated: supported by a claim from an independent origin on another side (or unaligned) (other_side)."
    )
    assert "Supports it, from the same side: same_side." in lines
