"""The entry points of derivation: clusters and origins of claims, derivations of some claims over any
graph, of every claim of a :class:`~desktop.core.corroboration.graph.MemoryGraph`, and verdict disputes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from desktop.core.corroboration.clusters import _Cluster, _label, _origins, _summarise
from desktop.core.corroboration.graph import _NO_LINKS, Graph, MemoryGraph
from desktop.core.corroboration.records import Derivation, LinkRef, Status
from desktop.core.corroboration.resolver import _Resolver
from desktop.core.corroboration.rules import _cluster_status, _derive_cluster, _for_member
from desktop.core.gc_pause import without_gc

# --------------------------------------------------------------------------------------------------
# Clusters, origins and partial derivation over any Graph
# --------------------------------------------------------------------------------------------------


@without_gc
def cluster_of(graph: Graph, claim: int) -> frozenset[int]:
    """``claim`` plus every claim connected to it by ``repeats`` links, in either direction, transitively."""
    resolver = _Resolver(graph)
    resolver.resolve((claim,))
    return resolver.clusters[claim].members


def origins_of(graph: Graph, cluster: Iterable[int]) -> frozenset[int]:
    """The origins of a cluster (docs/status-rules.md, rule 2).

    A member is an origin when it repeats no member of the cluster, or when it lies on a directed cycle of
    ``repeats`` links (a claim repeating itself included) — whatever else it repeats. A member that repeats
    a cycle member but is not itself on a cycle is a relay, not an origin. ``cluster`` should be a whole
    cluster (as returned by :func:`cluster_of`); ``repeats`` targets outside it are ignored.
    """
    members = frozenset(cluster)
    succ = {m: [t for t in graph.repeats_of(m) if t in members] for m in members}
    return _origins(members, succ) if members else frozenset()


@without_gc
def derive(graph: Graph, claim: int) -> Derivation:
    """The derivation of one claim."""
    return _Resolver(graph).derive((claim,))[claim]


@without_gc
def derive_many(graph: Graph, claims: Iterable[int]) -> dict[int, Derivation]:
    """Derivations of ``claims``; each cluster (and each far-end cluster) is found and derived once."""
    return _Resolver(graph).derive(claims)


# --------------------------------------------------------------------------------------------------
# Full derivation
# --------------------------------------------------------------------------------------------------


@without_gc
def derive_all(graph: MemoryGraph) -> dict[int, Derivation]:
    """Every claim's derivation: union-find over the ``repeats`` links, then one pass per cluster."""
    return _derive_all(graph)


def _derive_all(graph: MemoryGraph) -> dict[int, Derivation]:
    clusters, links_of = _clusters(graph)
    result: dict[int, Derivation] = {}
    for summary in _each_cluster_once(clusters):
        shared = _derive_cluster(summary, links_of, clusters.__getitem__)
        for m in summary.members:
            result[m] = _for_member(shared, m)
    return result


@without_gc
def statuses_all(graph: MemoryGraph) -> dict[int, Status]:
    """Every claim's status alone: what :func:`derive_all` says of it, without the evidence behind it.

    For a bulk import, which stores statuses and needs none of the records that explain them.
    """
    clusters, links_of = _clusters(graph)
    result: dict[int, Status] = {}
    for summary in _each_cluster_once(clusters):
        state = _cluster_status(summary, links_of, clusters.__getitem__)
        for m in summary.members:
            result[m] = state
    return result


def _clusters(graph: MemoryGraph) -> tuple[dict[int, _Cluster], Callable[[int], Iterable[LinkRef]]]:
    """Each claim's cluster summary (union-find over the ``repeats`` links), and its evidence links."""
    parent: dict[int, int] = {c: c for c in graph._claim_source}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rep_out, rep_in = graph._rep_out, graph._rep_in
    for source_claim, targets in rep_out.items():
        for target in targets.values():
            ra, rb = find(source_claim), find(target)
            if ra != rb:
                parent[rb] = ra

    side_group: dict[int, tuple[str, str]] = {}
    for s, (side, group) in graph._sources.items():
        side_group[s] = (_label(side), _label(group))
    source_of = graph._claim_source.__getitem__

    clusters: dict[int, _Cluster] = {}
    singles: list[int] = []
    components: dict[int, list[int]] = {}
    for c in parent:
        if not rep_out.get(c) and not rep_in.get(c):
            singles.append(c)  # the common case: a claim nobody repeats and that repeats nobody
        else:
            components.setdefault(find(c), []).append(c)
    for c in singles:
        side, group = side_group[source_of(c)]
        members = frozenset((c,))
        clusters[c] = _Cluster(
            members, members, frozenset((source_of(c),)), frozenset((side,)), frozenset((group,) if group else ())
        )
    for component in components.values():
        succ = {m: list(rep_out[m].values()) for m in component if rep_out.get(m)}
        summary = _summarise(component, succ, source_of, side_group.__getitem__)
        for m in component:
            clusters[m] = summary

    evidence = graph._evidence

    def links_of(claim: int) -> Iterable[LinkRef]:
        return evidence.get(claim, _NO_LINKS).values()

    return clusters, links_of


def _each_cluster_once(clusters: dict[int, _Cluster]) -> Iterator[_Cluster]:
    done: set[int] = set()
    for summary in clusters.values():
        if len(summary.members) > 1:
            if id(summary) in done:  # one summary object per cluster: derive each cluster once
                continue
            done.add(id(summary))
        yield summary


# --------------------------------------------------------------------------------------------------
# Verdicts
# --------------------------------------------------------------------------------------------------


def verdict_disputed(verdict: str | None, status: str) -> bool:
    """Whether the evidence disputes the analyst's verdict (docs/status-rules.md, rule 8).

    ``confirmed`` is disputed by ``contradicted`` or ``contested``; ``refuted`` by ``corroborated`` or
    ``contested``. ``inconclusive`` and no verdict are never disputed.
    """
    if verdict == "confirmed":
        return status in ("contradicted", "contested")
    if verdict == "refuted":
        return status in ("corroborated", "contested")
    return False
