"""The per-cluster derivation: which links count as evidence, which are echoes, and the status
(docs/status-rules.md, rules 4–7), computed once per cluster and copied to each member."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from desktop.core.corroboration.clusters import _Cluster, _cross_side, _independent
from desktop.core.corroboration.records import (
    EVIDENCE_RELATIONS,
    SUGGESTED_CREDIBILITY,
    Derivation,
    Echo,
    Evidence,
    LinkRef,
    Status,
)


def _key(item: Evidence | Echo) -> tuple[int, int]:
    return (item.claim, item.link)


def _status(supporters: Sequence[Evidence], contradictors: Sequence[Evidence], neutrals: Sequence[Evidence]) -> Status:
    cross_side = any(e.cross_side for e in supporters)
    return _status_of(bool(supporters), cross_side, bool(contradictors), bool(neutrals))


def _status_of(supported: bool, cross_side: bool, contradicted: bool, neutral: bool) -> Status:
    """Rule 6: the first that holds."""
    if contradicted and supported:
        return "contested"
    if contradicted:
        return "contradicted"
    if cross_side:
        return "corroborated"
    if supported:
        return "aligned"
    if neutral:
        return "unconfirmed"
    return "unverified"


def _cluster_status(
    cluster: _Cluster,
    links_of: Callable[[int], Iterable[LinkRef]],
    cluster_at: Callable[[int], _Cluster],
) -> Status:
    """The status ``_derive_cluster`` derives for ``cluster``, without the records that explain it.

    The same rules, link for link: a link inside the cluster and a member's own outgoing
    ``neutral`` are not evidence on it, a link from a dependent cluster is an echo.
    """
    # The as-of replay runs this for tens of thousands of clusters: ``_independent`` and ``_cross_side``
    # are inlined, and this cluster's half of them read once.
    members = cluster.members
    sources, groups, sides = cluster.origin_sources, cluster.groups, cluster.sides
    unaligned = "" in sides
    supported = cross_side = contradicted = neutral = False
    for via in members:
        for ref in links_of(via):
            relation = ref.relation
            if ref.other in members or (ref.outgoing and relation == "neutral"):
                continue
            other = cluster_at(ref.other)
            if not (sources.isdisjoint(other.origin_sources) and groups.isdisjoint(other.groups)):
                continue  # an echo (``_independent``)
            if relation == "corroborates":
                supported = True
                cross_side = cross_side or unaligned or "" in other.sides or sides.isdisjoint(other.sides)
            elif relation == "contradicts":
                contradicted = True
            elif relation == "neutral":
                neutral = True
            else:
                raise ValueError(f"link {ref.link}: {relation!r} is not an evidence relation")
    return _status_of(supported, cross_side, contradicted, neutral)


def _counts_as(
    cluster: _Cluster, far: tuple[frozenset[int], frozenset[str], frozenset[str]], relation: str
) -> tuple[bool, bool]:
    """What an evidence link to a claim whose cluster has the summary ``far`` (origin sources, sides, groups)
    counts as for ``cluster``, as ``_cluster_status`` reads it: whether it counts at all (``far`` independent
    of ``cluster``, else an echo) and, for a ``corroborates``, whether it is cross-side. Not asked about a
    link inside ``cluster`` or a member's own outgoing ``neutral`` (neither counts, whatever ``far`` is)."""
    sources, sides, groups = far
    if not (cluster.origin_sources.isdisjoint(sources) and cluster.groups.isdisjoint(groups)):
        return False, False
    if relation != "corroborates":
        return True, False
    return True, "" in cluster.sides or "" in sides or cluster.sides.isdisjoint(sides)


def _derive_cluster(
    cluster: _Cluster,
    links_of: Callable[[int], Iterable[LinkRef]],
    cluster_at: Callable[[int], _Cluster],
) -> Derivation:
    """The derivation shared by every member of ``cluster`` (``claim`` set to its smallest member)."""
    members = cluster.members
    supporters: list[Evidence] = []
    contradictors: list[Evidence] = []
    neutrals: list[Evidence] = []
    echoes: list[Echo] = []
    internal: set[int] = set()
    addresses: set[int] = set()
    seen: set[int] = set()
    for via in sorted(members):  # sorted: which member is reported as ``via`` must not depend on set order
        for ref in links_of(via):
            if ref.link in seen:  # a link between two members is met from both ends
                continue
            seen.add(ref.link)
            if ref.relation not in EVIDENCE_RELATIONS:
                raise ValueError(f"link {ref.link}: {ref.relation!r} is not an evidence relation")
            if ref.other in members:
                internal.add(ref.link)
                continue
            if ref.outgoing and ref.relation == "neutral":
                # Directed (rule 4): a member's own "neither confirms nor denies" is evidence on the
                # claim it addresses, not on itself — neither neutral nor echo here.
                addresses.add(ref.other)
                continue
            other = cluster_at(ref.other)
            if not _independent(cluster, other):
                shared_sources = cluster.origin_sources & other.origin_sources
                if shared_sources:
                    echoes.append(
                        Echo(ref.other, via, ref.link, ref.relation, "same-origin", tuple(sorted(shared_sources)))
                    )
                else:
                    shared_groups = tuple(sorted(cluster.groups & other.groups))
                    echoes.append(Echo(ref.other, via, ref.link, ref.relation, "same-group", shared_groups))
                continue
            evidence = Evidence(ref.other, via, ref.link, ref.relation, _cross_side(cluster, other))
            if ref.relation == "corroborates":
                supporters.append(evidence)
            elif ref.relation == "contradicts":
                contradictors.append(evidence)
            else:
                neutrals.append(evidence)
    for items in (supporters, contradictors, neutrals):
        items.sort(key=_key)
    echoes.sort(key=_key)
    status = _status(supporters, contradictors, neutrals)
    return Derivation(
        claim=min(members),
        cluster=members,
        origins=cluster.origins,
        origin_sources=cluster.origin_sources,
        status=status,
        supporters=tuple(supporters),
        contradictors=tuple(contradictors),
        neutrals=tuple(neutrals),
        echoes=tuple(echoes),
        internal_links=tuple(sorted(internal)),
        suggested_credibility=SUGGESTED_CREDIBILITY[status],
        addresses=tuple(sorted(addresses)),
    )


def _for_member(shared: Derivation, claim: int) -> Derivation:
    if shared.claim == claim:
        return shared
    return Derivation(
        claim,
        shared.cluster,
        shared.origins,
        shared.origin_sources,
        shared.status,
        shared.supporters,
        shared.contradictors,
        shared.neutrals,
        shared.echoes,
        shared.internal_links,
        shared.suggested_credibility,
        shared.addresses,
    )
