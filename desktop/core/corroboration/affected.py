"""What a change can affect: the stateless sets of claims to re-derive (for the SQL store)."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.corroboration.graph import Graph, IndexedGraph
from desktop.core.corroboration.records import EVIDENCE_RELATIONS
from desktop.core.corroboration.resolver import _Resolver
from desktop.core.gc_pause import without_gc


@without_gc
def clusters(graph: Graph, claims: Iterable[int]) -> set[int]:
    """Every claim connected to one of ``claims`` by ``repeats`` links, either way (``claims`` included)."""
    resolver = _Resolver(graph)
    claims = list(claims)
    resolver.resolve(claims)
    result: set[int] = set()
    for claim in claims:
        result |= resolver.clusters[claim].members
    return result


@without_gc
def neighbourhood(graph: Graph, claims: Iterable[int]) -> set[int]:
    """The clusters of ``claims`` plus every cluster linked by evidence to one of their members.

    What a change to those claims' clusters (their membership, origins or sources) can affect;
    batched level by level when ``graph`` supports ``prefetch``.
    """
    return _Resolver(graph).neighbourhood(claims)


@without_gc
def affected_by_link_change(graph: Graph, a: int, b: int, relation: str) -> set[int]:
    """Claims whose derivation can change when a link ``a``–``b`` of ``relation`` is added or removed.

    ``graph`` may be the state before or after the change — the answer is the same (see the module
    docstring): for an evidence link, the clusters of ``a`` and ``b`` (clusters do not move); for a
    ``repeats`` link, the union of the clusters of ``a`` and ``b`` (identical before and after: a merge
    unions them, a split partitions them) plus every cluster linked by evidence to one of its members,
    because their independence is judged against origins that may have moved.
    """
    resolver = _Resolver(graph)
    if relation == "repeats":
        return resolver.neighbourhood((a, b))
    if relation not in EVIDENCE_RELATIONS:
        raise ValueError(f"unknown relation {relation!r}")
    resolver.resolve((a, b))
    return set(resolver.clusters[a].members | resolver.clusters[b].members)


@without_gc
def affected_by_source_change(graph: IndexedGraph, source: int) -> set[int]:
    """Claims whose derivation can change when ``source``'s side or group changes.

    Those are the clusters having ``source`` as an origin source, plus their evidence neighbours
    (cross-side and independence are judged on origin sources). The same before and after the change.
    For a claim moved to another source use :func:`affected_by_claim_change`.
    """
    resolver = _Resolver(graph)
    claims = list(graph.claims_of(source))
    resolver.resolve(claims)
    hit = [c for c in claims if source in resolver.clusters[c].origin_sources]
    return resolver.neighbourhood(hit) if hit else set()


@without_gc
def affected_by_claim_change(graph: Graph, claim: int) -> set[int]:
    """Claims whose derivation can change when ``claim``'s source changes (or it is added, with links).

    Its cluster plus every cluster linked by evidence to a member (the cluster's origin sources may move);
    the same before and after the change.
    """
    return _Resolver(graph).neighbourhood((claim,))


@without_gc
def affected_by_claim_removal(graph: Graph, claim: int) -> set[int]:
    """Claims (other than ``claim``) whose derivation can change when ``claim`` and its links are deleted.

    Call it *before* the deletion: the cluster of ``claim`` may split, so every remaining member and every
    cluster linked by evidence to one of them is affected.
    """
    return _Resolver(graph).neighbourhood((claim,)) - {claim}
