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
