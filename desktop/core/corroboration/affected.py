"""What a change can reach: the claims the store re-derives around the claims a write touched.

An evidence link between ``a`` and ``b`` can change only the ``repeats`` clusters
of ``a`` and ``b`` (:func:`clusters`); anything that can move a cluster's members
or origins — a ``repeats`` link, a claim's source, a source's side or group, a
deleted claim — can also change every cluster linked to them by evidence
(:func:`neighbourhood`). The store computes these before and after the change
and re-derives the union (``desktop.core.store``); a property test drives the
store with random writes and checks every stored status against a full
derivation.

The as-of replay undoes many changes at once (:func:`statuses_after`) and narrows further: of the
clusters linked by evidence to a moved cluster, only those for which such a link counts differently
after the changes; and it derives statuses alone, which read the far ends of a cluster's links only as
long as one could still change the status (``rules._Tally``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from desktop.core.corroboration.clusters import _Cluster
from desktop.core.corroboration.graph import Graph
from desktop.core.corroboration.records import Derivation, Status
from desktop.core.corroboration.resolver import _Resolver
from desktop.core.corroboration.rules import _counts_as
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


#: what a claim reads of the cluster of a claim it is linked to by evidence: its origin sources, sides, groups
Summary = tuple[frozenset[int], frozenset[str], frozenset[str]]


#: claim → its ``repeats`` cluster, found ahead of a derivation (:func:`cluster_map`)
Clusters = Mapping[int, _Cluster]


@without_gc
def cluster_map(graph: Graph, claims: Iterable[int]) -> dict[int, _Cluster]:
    """Every member of the clusters of ``claims`` → its cluster (one object per cluster, shared by its members).

    Found ahead of time — by the as-of replay's derivation process while it waits for the patch's writes — it
    spares :func:`cluster_summaries` and :func:`statuses_after` the search for every cluster it holds that the
    changes did not touch (``known``).
    """
    resolver = _Resolver(graph)
    resolver.resolve(claims)
    return resolver.clusters


@without_gc
def cluster_summaries(graph: Graph, claims: Iterable[int], known: Clusters | None = None) -> dict[int, Summary]:
    """Every member of the clusters of ``claims`` → its cluster's :data:`Summary` (before changes, for
    :func:`statuses_after`); ``known``: clusters of ``graph`` already found (:func:`cluster_map`)."""
    resolver = _Resolver(graph)
    if known:
        resolver.clusters.update(known)
    claims = list(claims)
    resolver.resolve(claims)
    found: dict[int, Summary] = {}
    for claim in claims:
        if claim not in found:
            cluster = resolver.clusters[claim]
            summary = (cluster.origin_sources, cluster.sides, cluster.groups)
            found.update(dict.fromkeys(cluster.members, summary))
    return found


@without_gc
def statuses_after(
    graph: Graph,
    *,
    moved: Iterable[int],
    before: dict[int, Summary],
    clusters_of: Iterable[int],
    alone: Iterable[int] = (),
    known: Clusters | None = None,
) -> dict[int, Status]:
    """The statuses many changes at once can have changed, over ``graph`` after them: :func:`statuses_around`
    with a narrower neighbourhood.

    ``moved``: claims a ``repeats`` link, a source or an existence changed for; ``before``: the
    :func:`cluster_summaries` of the same claims before the changes. Their clusters are derived, and so are
    the clusters of ``clusters_of`` and the claims ``alone``. Another cluster linked by evidence to a member
    of theirs is derived only when such a link counts differently for it now (``rules._counts_as``: echo
    or evidence, cross-side or not), which needs the member's summary to differ from before. Its status is
    an "any" over what each of its links counts as, and nothing else it reads can have changed: its members,
    origins and links are as they were (a change to any of them puts it among the moved or ``clusters_of``),
    and so are the summaries at the far ends of its other links. So its status is the one derived before
    the changes: the status stored for it, as for every claim no change reaches (the skip assumes no more
    than the rest of the narrowing: stored statuses as current as every write keeps them). Most relays
    added to or taken from a cluster leave its origins as they were, and most origins that move leave a
    neighbour's echo an echo and its evidence evidence.

    ``known``: clusters found before the changes (:func:`cluster_map`) that they did not touch — none holding
    a claim of ``moved``, nor one a ``repeats`` link, a source or an existence changed for (the caller leaves
    those out). They are the clusters of ``graph`` too: every cluster the changes can touch holds one of
    those claims, and the clusters holding one are the same set of claims before and after.
    """
    resolver, derived = _reached_after(graph, moved, before, clusters_of, alone, known)
    return resolver.statuses(derived)


def statuses_after_in_parts(
    graph: Graph,
    *,
    moved: Iterable[int],
    before: dict[int, Summary],
    clusters_of: Iterable[int],
    alone: Iterable[int] = (),
    known: Clusters | None = None,
    part: int = 20_000,
) -> Iterator[dict[int, Status]]:
    """The statuses of :func:`statuses_after`, about ``part`` claims at a time (whole clusters: a cluster's
    members come in one part), so that a caller can write each part while the next is derived.

    A generator runs while its caller iterates, so the caller pauses the cyclic collector (``gc_pause``) if
    it wants it paused: the as-of patch and its derivation process do.
    """
    resolver, derived = _reached_after(graph, moved, before, clusters_of, alone, known)
    clusters = resolver.clusters
    placed: set[int] = set()
    batch: list[int] = []
    for claim in derived:
        if claim in placed:
            continue
        cluster = clusters.get(claim)  # a claim reached for its verdict alone may not have been resolved
        members = [claim] if cluster is None else [m for m in cluster.members if m in derived]
        placed.update(members)
        batch += members
        if len(batch) >= part:
            yield resolver.statuses(batch)
            batch = []
    if batch:
        yield resolver.statuses(batch)


def _reached_after(
    graph: Graph,
    moved: Iterable[int],
    before: dict[int, Summary],
    clusters_of: Iterable[int],
    alone: Iterable[int],
    known: Clusters | None,
) -> tuple[_Resolver, set[int]]:
    """What :func:`statuses_after` derives: its resolver (the clusters it found) and the claims reached."""
    resolver = _Resolver(graph)
    clusters = resolver.clusters
    if known:
        clusters.update(known)
    moved = list(moved)
    resolver.resolve(moved)
    core: set[int] = set()
    for claim in moved:
        if claim not in core:
            core |= clusters[claim].members
    differ = []
    for member in core:
        cluster = clusters[member]
        if before.get(member) != (cluster.origin_sources, cluster.sides, cluster.groups):
            differ.append(member)
    derived = _with_clusters(resolver, core, clusters_of, ())  # whole clusters: a claim in it has all its own
    resolver.prefetch(differ)
    links_of = resolver.links_of
    resolver.resolve({ref.other for m in differ for ref in links_of(m)} - derived)
    for member in differ:
        was = before.get(member)  # None: not there before (put back by the changes), so anything can differ
        cluster = clusters[member]
        now = (cluster.origin_sources, cluster.sides, cluster.groups)
        for ref in links_of(member):
            other = ref.other
            if other in derived or (ref.relation == "neutral" and not ref.outgoing):
                continue  # derived anyway, or the far end's own ``neutral`` on the member: no evidence on it
            there = clusters[other]
            if was is None or _counts_as(there, was, ref.relation) != _counts_as(there, now, ref.relation):
                derived |= there.members
    derived.update(alone)
    return resolver, derived


def _around(
    resolver: _Resolver, neighbourhood_of: Iterable[int], clusters_of: Iterable[int], alone: Iterable[int]
) -> set[int]:
    return _with_clusters(resolver, resolver.neighbourhood(neighbourhood_of), clusters_of, alone)


def _with_clusters(
    resolver: _Resolver, reached: set[int], clusters_of: Iterable[int], alone: Iterable[int]
) -> set[int]:
    """``reached``, the clusters of ``clusters_of`` and the claims ``alone``."""
    rest = [c for c in clusters_of if c not in reached]
    resolver.resolve(rest)
    for claim in rest:
        if claim not in reached:
            reached |= resolver.clusters[claim].members
    reached.update(alone)
    return reached
