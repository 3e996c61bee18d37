"""What a change can reach: the claims the store re-derives around the claims a write touched.

An evidence link between ``a`` and ``b`` can change only the ``repeats`` clusters
of ``a`` and ``b`` (:func:`clusters`); anything that can move a cluster's members
or origins — a ``repeats`` link, a claim's source, a source's side or group, a
deleted claim — can also change every cluster linked to them by evidence
(:func:`neighbourhood`). The store computes these before and after the change
and re-derives the union (``desktop.core.store``); a property test drives the
store with random writes and checks every stored status against a full
derivation.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.corroboration.graph import Graph
from desktop.core.corroboration.records import Derivation, Status
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
def derive_around(
    graph: Graph, *, neighbourhood_of: Iterable[int], clusters_of: Iterable[int], alone: Iterable[int] = ()
) -> dict[int, Derivation]:
    """The derivations of what many changes at once reach (the as-of replay undoing a day's work).

    The :func:`neighbourhood` of ``neighbourhood_of`` (claims a ``repeats`` link, a source or an existence
    changed for), the :func:`clusters` of ``clusters_of`` (the ends of changed evidence links) and the
    claims ``alone`` (a changed verdict): every cluster is found and summarised once for all three. Each
    claim maps to its cluster's derivation, shared by every member (``claim`` is the cluster's lowest
    member): status, suggested credibility and evidence are what a cluster shares.
    """
    resolver = _Resolver(graph)
    return resolver.derive(_around(resolver, neighbourhood_of, clusters_of, alone), per_member=False)


@without_gc
def statuses_around(
    graph: Graph, *, neighbourhood_of: Iterable[int], clusters_of: Iterable[int], alone: Iterable[int] = ()
) -> dict[int, Status]:
    """The statuses :func:`derive_around` derives, without the records that explain them (what a store
    writes back: the suggested credibility and a verdict's dispute follow from the status)."""
    resolver = _Resolver(graph)
    return resolver.statuses(_around(resolver, neighbourhood_of, clusters_of, alone))


def _around(
    resolver: _Resolver, neighbourhood_of: Iterable[int], clusters_of: Iterable[int], alone: Iterable[int]
) -> set[int]:
    reached = resolver.neighbourhood(neighbourhood_of)
    rest = [c for c in clusters_of if c not in reached]
    resolver.resolve(rest)
    for claim in rest:
        if claim not in reached:
            reached |= resolver.clusters[claim].members
    reached.update(alone)
    return reached
