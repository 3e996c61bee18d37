"""The status engine: derives every claim's verification status from the links between claims (DESIGN §2).

Pure Python — no Qt, no SQL — over a small abstract :class:`Graph`, so one implementation runs over the
in-memory :class:`MemoryGraph` (tests, full re-derivation, "as of T") and over the SQL-backed graph in
``desktop.core.store``.

Algorithm
---------
1. **Cluster.** ``repeats`` links are undirected for clustering: the cluster of ``c`` is its connected
   component in the graph of ``repeats`` links. A full derivation finds all components with union-find
   over the repeats links; a partial one (``derive_many``) with a breadth-first search that walks every
   pending cluster one level at a time, so a batching graph can fetch a whole level in one query
   (see :class:`Prefetching`).
2. **Origins.** Inside a cluster the ``repeats`` links are directed (``from`` restates ``to``). A member is
   an *origin* when it repeats nothing, or when it lies on a directed cycle of ``repeats`` links (found
   with Tarjan's strongly-connected components; a self-``repeats`` is a cycle of one). Every finite
   cluster has at least one origin: following ``repeats`` from any member ends at a member that repeats
   nothing or runs into a cycle.
3. **Summary.** Each cluster is reduced to what independence and sides need: its origin sources, the
   (normalised) sides of those sources, and their non-empty groups.
4. **Evidence.** Every ``corroborates`` / ``contradicts`` / ``neutral`` link touching a member is examined
   once per cluster (deduplicated by link id): inside the cluster it is ignored (``internal_links``);
   to a claim ``d`` whose cluster is independent it is a supporter / contradictor / neutral; otherwise an
   echo. The result is computed once per cluster and copied to each member (only ``claim`` differs).
5. **Status** is the first rule of DESIGN §2.6 that holds.

Incremental maintenance
-----------------------
A claim's derivation reads only (a) its own cluster, that cluster's origins and their sources, and (b) the
evidence links of its members together with the *summaries* of the clusters at their other ends. Hence:

- an evidence link ``a``–``b`` changes (a) and (b) for the clusters of ``a`` and ``b`` only;
- a ``repeats`` link ``a``→``b`` can merge or split clusters and move origins. The set of claims in the
  clusters of ``a`` and ``b`` is the *same* before and after the change (a merge unions the two, a split
  partitions the one), so it can be computed on either state; every claim in it may change, and so may
  every cluster linked by evidence to one of its members (their view of independence reads our origins);
- a source's side or group changes the clusters having it as an origin source plus their evidence
  neighbours; a claim's source, or a removed claim, its cluster plus the evidence neighbours.

Those sets are what a stateless caller can know. :class:`IncrementalDeriver` remembers each claim's
previous origin sources, so it narrows the spread: a claim linked to member ``m`` depends on ``m``'s
cluster only through that cluster's origin sources (sides and groups follow from them), so only claims
linked to members whose origin sources actually moved are re-derived.

:func:`affected_by_link_change`, :func:`affected_by_source_change`, :func:`affected_by_claim_change` and
:func:`affected_by_claim_removal` compute the stateless sets (for the SQL store). The property tests check
that the incremental result equals :func:`derive_all` after random edit sequences.

Performance: :func:`derive_all` is linear in claims + links (about 1 s per 100k claims here); a change
costs the clusters it touches (see ``bench/bench_engine.py``). The engine pauses the cyclic garbage
collector while it builds results (:func:`_gc_paused` says why: it halves a full derivation).

Readings of the contract (where DESIGN §2 leaves room)
-----------------------------------------------------
- *Origins* (§2.2): a member is an origin iff it repeats no member, or it lies on a directed ``repeats``
  cycle — even if it also repeats something outside that cycle ("every member of the cycle is an origin").
  A member that merely repeats a cycle member, without being on a cycle itself, is not an origin.
- *Side and group labels* are compared after ``strip()`` and ``casefold()``: they are free text typed by
  analysts, and "Russia" vs "russia" must not manufacture a cross-side corroboration. Blank = unaligned /
  no group.
- *Cross-side* (§2.5): a supporter ``d`` is cross-side when the sides of ``d``'s origin sources and the
  sides of ``c``'s origin sources have no side in common, **or** when any origin source of either cluster
  is unaligned. So an unaligned source's support always counts as cross-side, and so does any support
  for a claim one of whose origin sources is unaligned. ``cross_side`` is also filled in for
  contradictors and neutrals (for display); status only reads it on supporters.
- *Several links to the same claim*: evidence is listed per link (sorted by claim, then link), so a claim
  ``d`` linked through two members appears twice; status only asks whether each list is empty, so this
  never changes a status. If ``d`` is linked by both a ``corroborates`` and a ``contradicts`` link it is
  both a supporter and a contradictor, and the claim is ``contested`` — the analyst's own judgements
  disagree, which is exactly what the flag is for. ``Derivation.supporter_claims`` etc. give distinct ids.
- *Echo reason*: ``same-origin`` when the two clusters share an origin source (``shared`` = those source
  ids), otherwise ``same-group`` (``shared`` = the shared normalised group labels).
- *As of T* (§2.9) filters claims and links by ``recorded``; sources carry no history, so their current
  side and group are used. A link is kept only when both of its claims are.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from itertools import chain
from types import MappingProxyType
from typing import Final, Literal, ParamSpec, Protocol, TypeVar, runtime_checkable

__all__ = [
    "EVIDENCE_RELATIONS",
    "RELATIONS",
    "STATUSES",
    "SUGGESTED_CREDIBILITY",
    "Derivation",
    "Echo",
    "Evidence",
    "Graph",
    "IncrementalDeriver",
    "IndexedGraph",
    "LinkRecord",
    "LinkRef",
    "MemoryGraph",
    "Prefetching",
    "Relation",
    "Status",
    "Update",
    "affected_by_claim_change",
    "affected_by_claim_removal",
    "affected_by_link_change",
    "affected_by_source_change",
    "cluster_of",
    "derive",
    "derive_all",
    "derive_many",
    "explain",
    "origins_of",
    "verdict_disputed",
]

Relation = Literal["corroborates", "contradicts", "neutral", "repeats"]
Status = Literal["contested", "contradicted", "corroborated", "aligned", "unconfirmed", "unverified"]
EchoReason = Literal["same-origin", "same-group"]

RELATIONS: Final[tuple[Relation, ...]] = ("corroborates", "contradicts", "neutral", "repeats")
EVIDENCE_RELATIONS: Final[frozenset[str]] = frozenset({"corroborates", "contradicts", "neutral"})
#: In rule order (DESIGN §2.6): the first rule that holds wins.
STATUSES: Final[tuple[Status, ...]] = (
    "contested",
    "contradicted",
    "corroborated",
    "aligned",
    "unconfirmed",
    "unverified",
)
#: Admiralty information credibility suggested by each status (DESIGN §2.7).
SUGGESTED_CREDIBILITY: Final[Mapping[str, int]] = MappingProxyType(
    {"corroborated": 1, "aligned": 2, "unconfirmed": 3, "contested": 4, "contradicted": 5, "unverified": 6}
)


# --------------------------------------------------------------------------------------------------
# The abstract graph
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkRef:
    """An evidence link seen from one of its claims: ``other`` is the claim at the other end.

    Evidence relations are symmetric, so the link's direction does not matter here.
    """

    link: int
    other: int
    relation: str


class Graph(Protocol):
    """What the engine reads. Implementations answer for claims that exist; ids are ints."""

    def source_of(self, claim: int) -> int:
        """The claim's source (its originator)."""
        ...

    def source_side_group(self, source: int) -> tuple[str, str]:
        """``(side, group)`` of a source; ``""`` = unaligned / no group."""
        ...

    def repeats_of(self, claim: int) -> Iterable[int]:
        """Claims that ``claim`` repeats (targets of its outgoing ``repeats`` links)."""
        ...

    def repeated_by(self, claim: int) -> Iterable[int]:
        """Claims that repeat ``claim`` (sources of its incoming ``repeats`` links)."""
        ...

    def evidence_links(self, claim: int) -> Iterable[LinkRef]:
        """``corroborates`` / ``contradicts`` / ``neutral`` links touching ``claim``, either direction."""
        ...


@runtime_checkable
class Prefetching(Protocol):
    """Optional: a graph that can load many claims at once.

    When a graph has ``prefetch``, the engine calls it with each batch of claims it is about to ask
    ``source_of`` / ``repeats_of`` / ``repeated_by`` / ``evidence_links`` about (and whose sources it will
    ask ``source_side_group`` about), so a SQL graph can answer with one query per batch instead of one
    per claim. It is only a hint: the single-claim methods must still work without it.
    """

    def prefetch(self, claims: Collection[int]) -> None: ...


@runtime_checkable
class IndexedGraph(Graph, Protocol):
    """A graph that can also list the claims of a source (needed for source changes)."""

    def claims_of(self, source: int) -> Iterable[int]: ...


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """A counted link: ``claim`` (d) is linked to ``via`` (a member of c's cluster) by ``link``."""

    claim: int
    via: int
    link: int
    relation: str
    cross_side: bool


@dataclass(frozen=True, slots=True)
class Echo:
    """A link set aside because ``claim``'s cluster is not independent of c's (it does not count)."""

    claim: int
    via: int
    link: int
    relation: str
    reason: EchoReason
    #: shared origin source ids (``same-origin``) or shared group labels (``same-group``), sorted
    shared: tuple[int, ...] | tuple[str, ...]


def _distinct(items: Iterable[Evidence | Echo]) -> tuple[int, ...]:
    return tuple(sorted({item.claim for item in items}))


@dataclass(frozen=True, slots=True)
class Derivation:
    """Everything the window and the CLI show about one claim's derived status.

    All members of a cluster get equal derivations except for ``claim``. Tuples are sorted by (claim, link).
    """

    claim: int
    cluster: frozenset[int]
    origins: frozenset[int]
    origin_sources: frozenset[int]
    status: Status
    supporters: tuple[Evidence, ...]
    contradictors: tuple[Evidence, ...]
    neutrals: tuple[Evidence, ...]
    echoes: tuple[Echo, ...]
    #: evidence links between two members of the cluster: not evidence, ignored (the window may flag them)
    internal_links: tuple[int, ...]
    suggested_credibility: int

    @property
    def supporter_claims(self) -> tuple[int, ...]:
        """Distinct supporting claims (a claim linked twice is listed once)."""
        return _distinct(self.supporters)

    @property
    def contradictor_claims(self) -> tuple[int, ...]:
        return _distinct(self.contradictors)

    @property
    def neutral_claims(self) -> tuple[int, ...]:
        return _distinct(self.neutrals)

    @property
    def echo_claims(self) -> tuple[int, ...]:
        return _distinct(self.echoes)


# --------------------------------------------------------------------------------------------------
# Cluster summaries and the per-cluster derivation
# --------------------------------------------------------------------------------------------------


def _label(value: str | None) -> str:
    """Side/group labels are free text: compare them trimmed and case-folded; blank means none."""
    return value.strip().casefold() if value else ""


@dataclass(frozen=True, slots=True)
class _Cluster:
    members: frozenset[int]
    origins: frozenset[int]
    origin_sources: frozenset[int]
    sides: frozenset[str]  # normalised sides of the origin sources; "" present when one is unaligned
    groups: frozenset[str]  # normalised non-empty groups of the origin sources


def _independent(x: _Cluster, y: _Cluster) -> bool:
    return x.origin_sources.isdisjoint(y.origin_sources) and x.groups.isdisjoint(y.groups)


def _cross_side(x: _Cluster, y: _Cluster) -> bool:
    # "" stands for an unaligned origin source, which makes any pair cross-side (see module docstring).
    return "" in x.sides or "" in y.sides or x.sides.isdisjoint(y.sides)


def _cyclic_nodes(nodes: Iterable[int], succ: Mapping[int, Sequence[int]]) -> set[int]:
    """Nodes lying on a directed cycle (Tarjan's SCC, iterative so long relay chains cannot overflow)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    cyclic: set[int] = set()
    counter = 0
    empty: Sequence[int] = ()
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[int, Iterator[int]]] = [(root, iter(succ.get(root, empty)))]
        while work:
            v, successors = work[-1]
            descended = False
            for w in successors:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ.get(w, empty))))
                    descended = True
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                component: list[int] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    cyclic.update(component)
                elif v in succ.get(v, empty):  # a claim repeating itself: a cycle of one
                    cyclic.add(v)
    return cyclic


def _origins(members: Collection[int], succ: Mapping[int, Sequence[int]]) -> frozenset[int]:
    """Origins of one cluster, given each member's ``repeats`` targets (all inside the cluster)."""
    if len(members) == 1:
        return frozenset(members)  # alone: repeats nothing, or only itself (a cycle) — an origin either way
    origins = {m for m in members if not succ.get(m)}
    edges = sum(len(succ.get(m, ())) for m in members)
    # A connected graph with n nodes and n-1 edges is a tree (no self-loop, no parallel or opposite
    # pair), hence acyclic: skip the SCC pass, which is the common case of relay trees.
    if edges >= len(members):
        origins |= _cyclic_nodes(members, succ)
    return frozenset(origins)


def _summarise(
    members: Collection[int],
    succ: Mapping[int, Sequence[int]],
    source_of: Callable[[int], int],
    side_group: Callable[[int], tuple[str, str]],
) -> _Cluster:
    origins = _origins(members, succ)
    sources = frozenset(source_of(o) for o in origins)
    sides: set[str] = set()
    groups: set[str] = set()
    for s in sources:
        side, group = side_group(s)
        sides.add(side)
        if group:
            groups.add(group)
    return _Cluster(frozenset(members), origins, sources, frozenset(sides), frozenset(groups))


def _key(item: Evidence | Echo) -> tuple[int, int]:
    return (item.claim, item.link)


def _status(supporters: Sequence[Evidence], contradictors: Sequence[Evidence], neutrals: Sequence[Evidence]) -> Status:
    if contradictors and supporters:
        return "contested"
    if contradictors:
        return "contradicted"
    if any(e.cross_side for e in supporters):
        return "corroborated"
    if supporters:
        return "aligned"
    if neutrals:
        return "unconfirmed"
    return "unverified"


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
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the engine builds its (acyclic) results.

    A derivation allocates a few objects per claim and none in reference cycles, but every allocation
    counts towards the collector's thresholds, and each generation-2 pass rescans the whole heap — the
    workspace's graph and derivations included. Measured at 100k claims: a full derivation takes 1.7 s
    with the collector on and 0.75 s with it paused; one change touching a 2,000-relay cluster varied from
    40 to 370 ms depending on whether a pass struck. Reference counting still frees everything at once;
    collection resumes on exit (even on error). Nested or concurrent uses leave the state to the outermost.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _without_gc(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` with the cyclic collector paused (see :func:`_gc_paused`)."""

    @wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _gc_paused():
            return function(*args, **kwargs)

    return paused


# --------------------------------------------------------------------------------------------------
# Partial derivation over any Graph
# --------------------------------------------------------------------------------------------------


class _Resolver:
    """Finds and summarises clusters over a :class:`Graph`, caching for the life of one call."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._prefetch: Callable[[Collection[int]], None] | None = (
            graph.prefetch if isinstance(graph, Prefetching) else None
        )
        self.clusters: dict[int, _Cluster] = {}
        #: summaries known without a search (IncrementalDeriver: from current derivations), or None
        self.known: Callable[[int], _Cluster | None] | None = None
        self._side_group: dict[int, tuple[str, str]] = {}
        self._links: dict[int, tuple[LinkRef, ...]] = {}

    def prefetch(self, claims: Collection[int]) -> None:
        if self._prefetch is not None and claims:
            self._prefetch(claims)

    def side_group(self, source: int) -> tuple[str, str]:
        found = self._side_group.get(source)
        if found is None:
            side, group = self.graph.source_side_group(source)
            found = self._side_group[source] = (_label(side), _label(group))
        return found

    def links_of(self, claim: int) -> tuple[LinkRef, ...]:
        found = self._links.get(claim)
        if found is None:
            found = self._links[claim] = tuple(self.graph.evidence_links(claim))
        return found

    def resolve(self, claims: Iterable[int]) -> None:
        """Summarise the clusters of ``claims`` (a multi-source BFS, one prefetch per level)."""
        start = []
        for c in dict.fromkeys(claims):
            if c in self.clusters:
                continue
            summary = self.known(c) if self.known is not None else None
            if summary is None:
                start.append(c)
            else:
                for m in summary.members:
                    self.clusters[m] = summary
        if not start:
            return
        graph = self.graph
        parent: dict[int, int] = {c: c for c in start}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        succ: dict[int, list[int]] = {}
        frontier = start
        while frontier:
            self.prefetch(frontier)
            following: list[int] = []
            for v in frontier:
                targets = list(graph.repeats_of(v))
                succ[v] = targets
                for w in chain(targets, graph.repeated_by(v)):
                    if w in parent:
                        rv, rw = find(v), find(w)
                        if rv != rw:
                            parent[rw] = rv
                    else:
                        parent[w] = find(v)
                        following.append(w)
            frontier = following
        components: dict[int, list[int]] = {}
        for c in parent:
            components.setdefault(find(c), []).append(c)
        for members in components.values():
            summary = _summarise(members, succ, graph.source_of, self.side_group)
            for m in members:
                self.clusters[m] = summary

    def derive(self, claims: Iterable[int]) -> dict[int, Derivation]:
        wanted = list(dict.fromkeys(claims))
        self.resolve(wanted)
        todo: dict[int, _Cluster] = {}
        for c in wanted:
            summary = self.clusters[c]
            todo.setdefault(id(summary), summary)
        # Read every member's evidence links, then summarise all clusters at their far ends in one
        # more batched resolve, before building anything.
        members = [m for summary in todo.values() for m in summary.members]
        self.prefetch(members)
        self.resolve(ref.other for m in members for ref in self.links_of(m))
        # Summaries are shared by all members of a cluster, so their identity names the cluster.
        shared = {id(s): _derive_cluster(s, self.links_of, self.clusters.__getitem__) for s in todo.values()}
        return {c: _for_member(shared[id(self.clusters[c])], c) for c in wanted}

    def linked(self, claims: Collection[int]) -> set[int]:
        """The clusters of the claims linked by evidence to one of ``claims`` (not to the rest of theirs)."""
        self.prefetch(claims)
        others = {ref.other for c in claims for ref in self.links_of(c)}
        self.resolve(others)
        result: set[int] = set()
        for d in others:
            if d not in result:
                result |= self.clusters[d].members
        return result

    def neighbourhood(self, claims: Iterable[int]) -> set[int]:
        """The clusters of ``claims`` plus every cluster linked by evidence to one of their members."""
        claims = list(claims)
        self.resolve(claims)
        core: set[int] = set()
        for c in claims:
            core |= self.clusters[c].members
        self.prefetch(core)
        others = {ref.other for m in core for ref in self.links_of(m)} - core
        self.resolve(others)
        result = set(core)
        for d in others:
            if d not in result:
                result |= self.clusters[d].members
        return result


@_without_gc
def cluster_of(graph: Graph, claim: int) -> frozenset[int]:
    """``claim`` plus every claim connected to it by ``repeats`` links, in either direction, transitively."""
    resolver = _Resolver(graph)
    resolver.resolve((claim,))
    return resolver.clusters[claim].members


def origins_of(graph: Graph, cluster: Iterable[int]) -> frozenset[int]:
    """The origins of a cluster (DESIGN §2.2).

    A member is an origin when it repeats no member of the cluster, or when it lies on a directed cycle of
    ``repeats`` links (a claim repeating itself included) — whatever else it repeats. A member that repeats
    a cycle member but is not itself on a cycle is a relay, not an origin. ``cluster`` should be a whole
    cluster (as returned by :func:`cluster_of`); ``repeats`` targets outside it are ignored.
    """
    members = frozenset(cluster)
    succ = {m: [t for t in graph.repeats_of(m) if t in members] for m in members}
    return _origins(members, succ) if members else frozenset()


@_without_gc
def derive(graph: Graph, claim: int) -> Derivation:
    """The derivation of one claim."""
    return _Resolver(graph).derive((claim,))[claim]


@_without_gc
def derive_many(graph: Graph, claims: Iterable[int]) -> dict[int, Derivation]:
    """Derivations of ``claims``; each cluster (and each far-end cluster) is found and derived once."""
    return _Resolver(graph).derive(claims)


# --------------------------------------------------------------------------------------------------
# What a change can affect
# --------------------------------------------------------------------------------------------------


@_without_gc
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


@_without_gc
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


@_without_gc
def affected_by_claim_change(graph: Graph, claim: int) -> set[int]:
    """Claims whose derivation can change when ``claim``'s source changes (or it is added, with links).

    Its cluster plus every cluster linked by evidence to a member (the cluster's origin sources may move);
    the same before and after the change.
    """
    return _Resolver(graph).neighbourhood((claim,))


@_without_gc
def affected_by_claim_removal(graph: Graph, claim: int) -> set[int]:
    """Claims (other than ``claim``) whose derivation can change when ``claim`` and its links are deleted.

    Call it *before* the deletion: the cluster of ``claim`` may split, so every remaining member and every
    cluster linked by evidence to one of them is affected.
    """
    return _Resolver(graph).neighbourhood((claim,)) - {claim}


# --------------------------------------------------------------------------------------------------
# Verdicts and explanations
# --------------------------------------------------------------------------------------------------


def verdict_disputed(verdict: str | None, status: str) -> bool:
    """Whether the evidence disputes the analyst's verdict (DESIGN §2.8).

    ``confirmed`` is disputed by ``contradicted`` or ``contested``; ``refuted`` by ``corroborated`` or
    ``contested``. ``inconclusive`` and no verdict are never disputed.
    """
    if verdict == "confirmed":
        return status in ("contradicted", "contested")
    if verdict == "refuted":
        return status in ("corroborated", "contested")
    return False


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _join(items: Sequence[str]) -> str:
    return "; ".join(items)


_Item = TypeVar("_Item", Evidence, Echo)


def _grouped(items: Iterable[_Item]) -> dict[int, list[_Item]]:
    grouped: dict[int, list[_Item]] = {}
    for item in items:
        grouped.setdefault(item.claim, []).append(item)
    return grouped


def explain(
    derivation: Derivation,
    describe_claim: Callable[[int], str],
    describe_source: Callable[[int], str] | None = None,
) -> list[str]:
    """The derivation in plain sentences for the detail pane: the status line first, then the reasons.

    ``describe_claim`` renders a claim for a reader (e.g. its source and a short quote); ``describe_source``
    (optional) names sources, used when explaining why a link was set aside as an echo. A claim linked
    by several links is listed once, with the number of links.
    """
    d = derivation
    supporters = _grouped(d.supporters)
    contradictors = _grouped(d.contradictors)
    neutrals = _grouped(d.neutrals)
    echoes = _grouped(d.echoes)
    cross = [c for c, items in supporters.items() if items[0].cross_side]  # cross_side is per claim

    def names(claims: Iterable[int]) -> str:
        return _join([describe_claim(c) for c in claims])

    def a_source(n: int) -> str:
        return "an independent source" if n == 1 else "independent sources"

    lines: list[str] = []
    if d.status == "contested":
        lines.append(
            f"Contested: independent sources both support it ({names(supporters)}) "
            f"and contradict it ({names(contradictors)})."
        )
    elif d.status == "contradicted":
        lines.append(
            f"Contradicted: contradicted by {a_source(len(contradictors))} ({names(contradictors)}); "
            "no independent source supports it."
        )
    elif d.status == "corroborated":
        lines.append(
            f"Corroborated: supported by {a_source(len(cross))} from another side (or unaligned) ({names(cross)})."
        )
    elif d.status == "aligned":
        lines.append(
            f"Aligned: supported only from its own side ({names(supporters)}); "
            "no independent source from another side, nor an unaligned one, confirms it yet."
        )
    elif d.status == "unconfirmed":
        lines.append(
            f"Unconfirmed: addressed by {a_source(len(neutrals))} that "
            f"{'neither confirms nor denies' if len(neutrals) == 1 else 'neither confirm nor deny'} it "
            f"({names(neutrals)}); nobody confirms or denies it."
        )
    elif echoes:
        lines.append(
            "Unverified: no independent source supports, contradicts or addresses it; "
            "every link found traces back to its own origin and was set aside as an echo."
        )
    else:
        lines.append("Unverified: no other source supports, contradicts or addresses it.")

    others = sorted(d.cluster - {d.claim})
    if others:
        lines.append(
            f"Counted as one assertion with {_plural(len(others), 'claim', 'claims')} that it repeats or "
            f"that repeat it ({names(others)}); evidence on any of them counts for all."
        )
        lines.append(f"Originated by: {names(sorted(d.origins))}.")

    def detail(items: Sequence[Evidence | Echo]) -> str:
        vias = sorted({e.via for e in items if e.via != d.claim})
        note = f" (linked to {names(vias)}, part of the same assertion)" if vias else ""
        return note + (f" [{len(items)} links]" if len(items) > 1 else "")

    for c, evidence in supporters.items():
        side = "from another side (or unaligned)" if evidence[0].cross_side else "from the same side"
        lines.append(f"Supports it, {side}: {describe_claim(c)}{detail(evidence)}.")
    for c, evidence in contradictors.items():
        lines.append(f"Contradicts it: {describe_claim(c)}{detail(evidence)}.")
    for c, evidence in neutrals.items():
        lines.append(f"Neither confirms nor denies it: {describe_claim(c)}{detail(evidence)}.")
    for c, set_aside in echoes.items():
        echo = set_aside[0]  # the reason depends on the two clusters only, so it is the same for every link
        if echo.reason == "same-origin":
            sources = [describe_source(s) for s in echo.shared if isinstance(s, int)] if describe_source else []
            named = f" ({_join(sources)})" if sources else ""
            why = f"it traces back to the same origin source as this claim{named}"
        else:
            groups = ", ".join(f"“{g}”" for g in echo.shared)
            why = f"its origin source is in the same group as this claim's origin source ({groups})"
        relations = "/".join(sorted({e.relation for e in set_aside}))
        lines.append(
            f"Set aside as an echo ({relations}): {describe_claim(c)}{detail(set_aside)} — {why}, "
            "so it is not independent and does not count."
        )
    if d.internal_links:
        lines.append(
            f"Ignored: {_plural(len(d.internal_links), 'link', 'links')} between claims of this same assertion "
            "— claims that repeat one another cannot confirm or deny one another."
        )
    return lines


# --------------------------------------------------------------------------------------------------
# The in-memory graph
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A stored link of a :class:`MemoryGraph`."""

    from_: int
    to: int
    relation: Relation
    recorded: datetime | None = None


_RELATION_NAMED: Final[Mapping[str, Relation]] = MappingProxyType({r: r for r in RELATIONS})
_NO_TARGETS: Final[Mapping[int, int]] = MappingProxyType({})
_NO_LINKS: Final[Mapping[int, LinkRef]] = MappingProxyType({})


class MemoryGraph:
    """A mutable in-memory :class:`Graph` (also :class:`IndexedGraph`). Ids are the caller's ints."""

    def __init__(self) -> None:
        self._sources: dict[int, tuple[str, str]] = {}
        self._claim_source: dict[int, int] = {}
        self._claim_recorded: dict[int, datetime | None] = {}
        self._by_source: dict[int, set[int]] = {}
        self._links: dict[int, LinkRecord] = {}
        # Adjacency, keyed by link id so parallel links are kept apart and removal is O(1).
        # Per-claim dicts are created on first use: most claims have few or no links.
        self._rep_out: dict[int, dict[int, int]] = {}  # claim -> {link: target}
        self._rep_in: dict[int, dict[int, int]] = {}  # claim -> {link: repeater}
        self._evidence: dict[int, dict[int, LinkRef]] = {}  # claim -> {link: LinkRef seen from claim}

    # -- the Graph protocol ----------------------------------------------------------------------------

    def source_of(self, claim: int) -> int:
        return self._claim_source[claim]

    def source_side_group(self, source: int) -> tuple[str, str]:
        return self._sources[source]

    def repeats_of(self, claim: int) -> Iterable[int]:
        return self._rep_out.get(claim, _NO_TARGETS).values()

    def repeated_by(self, claim: int) -> Iterable[int]:
        return self._rep_in.get(claim, _NO_TARGETS).values()

    def evidence_links(self, claim: int) -> Iterable[LinkRef]:
        return self._evidence.get(claim, _NO_LINKS).values()

    def claims_of(self, source: int) -> Iterable[int]:
        return tuple(self._by_source.get(source, ()))

    # -- reading ------------------------------------------------------------------------------------------

    def claims(self) -> Iterator[int]:
        return iter(self._claim_source)

    def sources(self) -> Iterator[int]:
        return iter(self._sources)

    def links(self) -> Iterator[tuple[int, LinkRecord]]:
        return iter(self._links.items())

    def link(self, link: int) -> LinkRecord:
        return self._links[link]

    def has_claim(self, claim: int) -> bool:
        return claim in self._claim_source

    def has_source(self, source: int) -> bool:
        return source in self._sources

    def recorded(self, claim: int) -> datetime | None:
        return self._claim_recorded[claim]

    def __len__(self) -> int:
        return len(self._claim_source)

    # -- writing ------------------------------------------------------------------------------------------

    def add_source(self, source: int, side: str | None = "", group: str | None = "") -> None:
        if source in self._sources:
            raise ValueError(f"source {source} already exists")
        self._sources[source] = (side or "", group or "")

    def set_source(self, source: int, side: str | None = "", group: str | None = "") -> None:
        """Create the source, or replace its side and group."""
        self._sources[source] = (side or "", group or "")

    def add_claim(self, claim: int, source: int, recorded: datetime | None = None) -> None:
        if claim in self._claim_source:
            raise ValueError(f"claim {claim} already exists")
        if source not in self._sources:
            raise KeyError(f"claim {claim}: unknown source {source}")
        self._claim_source[claim] = source
        self._claim_recorded[claim] = recorded
        self._by_source.setdefault(source, set()).add(claim)

    def set_claim_source(self, claim: int, source: int) -> None:
        if source not in self._sources:
            raise KeyError(f"claim {claim}: unknown source {source}")
        old = self._claim_source[claim]
        self._by_source[old].discard(claim)
        self._claim_source[claim] = source
        self._by_source.setdefault(source, set()).add(claim)

    def remove_claim(self, claim: int) -> None:
        """Delete a claim and every link touching it."""
        touching = set(self._rep_out.get(claim, ())) | set(self._rep_in.get(claim, ()))
        touching |= set(self._evidence.get(claim, ()))
        for link in touching:
            self.remove_link(link)
        source = self._claim_source.pop(claim)
        del self._claim_recorded[claim]
        self._by_source[source].discard(claim)

    def add_link(self, link: int, from_: int, to: int, relation: str, recorded: datetime | None = None) -> None:
        if link in self._links:
            raise ValueError(f"link {link} already exists")
        for claim in (from_, to):
            if claim not in self._claim_source:
                raise KeyError(f"link {link}: unknown claim {claim}")
        rel = _RELATION_NAMED.get(relation)
        if rel is None:
            raise ValueError(f"link {link}: unknown relation {relation!r}")
        if rel == "repeats":
            self._rep_out.setdefault(from_, {})[link] = to
            self._rep_in.setdefault(to, {})[link] = from_
        else:
            self._evidence.setdefault(from_, {})[link] = LinkRef(link, to, rel)
            self._evidence.setdefault(to, {})[link] = LinkRef(link, from_, rel)
        self._links[link] = LinkRecord(from_, to, rel, recorded)

    def remove_link(self, link: int) -> LinkRecord:
        record = self._links.pop(link)
        if record.relation == "repeats":
            del self._rep_out[record.from_][link]
            del self._rep_in[record.to][link]
        else:
            self._evidence[record.from_].pop(link, None)
            self._evidence[record.to].pop(link, None)  # same dict when from_ == to: already gone
        return record

    def copy(self) -> MemoryGraph:
        return self.as_of(None)

    def as_of(self, when: datetime | None) -> MemoryGraph:
        """The graph of claims and links recorded at or before ``when`` (``recorded`` None: always kept).

        Sources have no history and are all kept with their current side and group. A link is kept only
        if both its claims are. ``when=None`` copies everything. ``when`` must be comparable with the
        recorded datetimes (both aware, or both naive).
        """
        result = MemoryGraph()
        result._sources = dict(self._sources)
        for claim, source in self._claim_source.items():
            recorded = self._claim_recorded[claim]
            if when is None or recorded is None or recorded <= when:
                result.add_claim(claim, source, recorded)
        for link, rec in self._links.items():
            if (when is None or rec.recorded is None or rec.recorded <= when) and (
                rec.from_ in result._claim_source and rec.to in result._claim_source
            ):
                result.add_link(link, rec.from_, rec.to, rec.relation, rec.recorded)
        return result


# --------------------------------------------------------------------------------------------------
# Full derivation
# --------------------------------------------------------------------------------------------------


@_without_gc
def derive_all(graph: MemoryGraph) -> dict[int, Derivation]:
    """Every claim's derivation: union-find over the ``repeats`` links, then one pass per cluster."""
    return _derive_all(graph)


def _derive_all(graph: MemoryGraph) -> dict[int, Derivation]:
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

    result: dict[int, Derivation] = {}
    done: set[int] = set()
    for summary in clusters.values():
        if len(summary.members) > 1:
            if id(summary) in done:  # one summary object per cluster: derive each cluster once
                continue
            done.add(id(summary))
        shared = _derive_cluster(summary, links_of, clusters.__getitem__)
        for m in summary.members:
            result[m] = _for_member(shared, m)
    return result


# --------------------------------------------------------------------------------------------------
# Incremental derivation
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Update:
    """What one change did to the derivations."""

    #: claims re-derived (the affected set)
    rederived: frozenset[int]
    #: claims whose derivation changed in any way (status, supporters, echoes…), removed/added claims included
    changed: frozenset[int]
    #: claim -> (old status, new status) for claims whose status changed; None = claim absent
    status_changes: Mapping[int, tuple[Status | None, Status | None]]

    @property
    def status_changed(self) -> frozenset[int]:
        return frozenset(self.status_changes)


class IncrementalDeriver:
    """Keeps claims' derivations current, re-deriving only what a change can affect.

    Over a :class:`MemoryGraph`, use the mutating methods (``add_link``, ``remove_link``, ``set_source``…):
    they apply the change and propagate it. Over any other :class:`Graph` (e.g. SQL), apply the change
    yourself, then call the matching notification (``link_changed``, ``source_changed``, ``claim_changed``;
    for a deletion ``before_claim_removed`` then ``claim_removed``).

    It is sharper than the ``affected_by_*`` sets, using what it remembers: after a ``repeats`` or
    claim-source change it re-derives the clusters involved first, then only the clusters linked by
    evidence to a member whose origin sources actually moved — a claim linked to member ``m`` reads
    nothing else of ``m``'s cluster (its sides and groups follow from the origin sources, and no source
    changed). So one more relay of a 2,000-member cluster costs that cluster, not its whole neighbourhood.

    The deriver tracks the claims it was given plus any claim a change touches; it is exact when its
    derivations were current before each change.
    """

    def __init__(self, graph: Graph, claims: Iterable[int] | None = None) -> None:
        """Derive ``claims`` (all claims of a MemoryGraph when omitted) and start tracking them."""
        self._graph = graph
        if claims is None:
            if not isinstance(graph, MemoryGraph):
                raise TypeError("claims are required unless the graph is a MemoryGraph")
            self._derivations = derive_all(graph)
        else:
            self._derivations = derive_many(graph, claims)
        self._pending_removal: dict[int, tuple[set[int], set[int]]] = {}

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def derivations(self) -> Mapping[int, Derivation]:
        """Read-only live view of the current derivations."""
        return MappingProxyType(self._derivations)

    def __getitem__(self, claim: int) -> Derivation:
        return self._derivations[claim]

    def status(self, claim: int) -> Status:
        return self._derivations[claim].status

    # -- core ---------------------------------------------------------------------------------------------

    def _apply(self, fresh: Mapping[int, Derivation], gone: Iterable[int] = ()) -> Update:
        changed: set[int] = set()
        status_changes: dict[int, tuple[Status | None, Status | None]] = {}
        for claim in gone:
            old = self._derivations.pop(claim, None)
            if old is not None:
                changed.add(claim)
                status_changes[claim] = (old.status, None)
        same = _SameApartFromClaim()
        for claim, new in fresh.items():
            old = self._derivations.get(claim)
            if old is None or not same(old, new):
                changed.add(claim)
                if old is None or old.status != new.status:
                    status_changes[claim] = (None if old is None else old.status, new.status)
                self._derivations[claim] = new
        return Update(frozenset(fresh), frozenset(changed), MappingProxyType(status_changes))

    def _rederive(self, seeds: Iterable[int], extra: Iterable[int] = (), gone: Iterable[int] = ()) -> Update:
        """Re-derive the clusters of ``seeds``, then the neighbours of members whose origin sources moved,
        then ``extra`` (claims known to be affected whatever happened)."""
        resolver = _Resolver(self._graph)
        seeds = list(seeds)
        resolver.resolve(seeds)
        core: set[int] = set()
        for c in seeds:
            core |= resolver.clusters[c].members
        resolver.known = self._known_summaries(resolver, core)
        fresh = resolver.derive(core)
        moved = []
        for c in core:
            old = self._derivations.get(c)
            if old is None or old.origin_sources != fresh[c].origin_sources:
                moved.append(c)
        outer = resolver.linked(moved) | set(extra)
        outer -= core
        if outer:
            fresh.update(resolver.derive(outer))
        return self._apply(fresh, gone)

    def _known_summaries(self, resolver: _Resolver, changed: Collection[int]) -> Callable[[int], _Cluster | None]:
        """Cluster summaries read from the current derivations, for claims outside ``changed``.

        Re-deriving a claim needs the summary of every cluster at the far end of its links; searching
        for them all again is most of the cost of a change. A claim outside the changed clusters still
        has its cluster, origins and origin sources as derived; sides and groups are re-read from the
        graph, so a source edit is seen.
        """
        derivations = self._derivations
        by_cluster: dict[int, _Cluster] = {}  # keyed by id(): the cluster sets stay alive meanwhile

        def known(claim: int) -> _Cluster | None:
            if claim in changed:  # defensive: callers resolve the changed clusters before setting the hook
                return None
            d = derivations.get(claim)
            if d is None:
                return None
            summary = by_cluster.get(id(d.cluster))
            if summary is None:
                sides: set[str] = set()
                groups: set[str] = set()
                for s in d.origin_sources:
                    side, group = resolver.side_group(s)
                    sides.add(side)
                    if group:
                        groups.add(group)
                summary = by_cluster[id(d.cluster)] = _Cluster(
                    d.cluster, d.origins, d.origin_sources, frozenset(sides), frozenset(groups)
                )
            return summary

        return known

    # -- for any graph: call after the change is in the graph ----------------------------------------------

    @_without_gc
    def refresh(self, claims: Iterable[int]) -> Update:
        """Re-derive ``claims`` (which must exist in the graph) and report what changed."""
        return self._apply(_Resolver(self._graph).derive(claims))

    @_without_gc
    def forget(self, claims: Iterable[int]) -> Update:
        """Stop tracking claims (deleted ones)."""
        return self._apply({}, claims)

    @_without_gc
    def link_changed(self, a: int, b: int, relation: str) -> Update:
        """A link ``a``–``b`` was added or removed."""
        if relation not in _RELATION_NAMED:
            raise ValueError(f"unknown relation {relation!r}")
        # An evidence link moves no origin, so the origin check finds nothing to spread to: the two
        # clusters are re-derived and that is all. A repeats link spreads only where origins moved.
        return self._rederive((a, b))

    @_without_gc
    def source_changed(self, source: int) -> Update:
        """A source's side or group changed (the graph must list claims by source: IndexedGraph)."""
        if not isinstance(self._graph, IndexedGraph):
            raise TypeError("source changes need a graph with claims_of (IndexedGraph)")
        # Origin sources stay the same but their sides/groups do not: always spread to the neighbours.
        affected = affected_by_source_change(self._graph, source)
        resolver = _Resolver(self._graph)
        resolver.known = self._known_summaries(resolver, frozenset())  # no cluster changed shape
        return self._apply(resolver.derive(affected))

    @_without_gc
    def claim_changed(self, claim: int) -> Update:
        """A claim was added, or moved to another source."""
        return self._rederive((claim,))

    @_without_gc
    def before_claim_removed(self, claim: int) -> None:
        """Call before deleting ``claim`` (with its links); then :meth:`claim_removed` after."""
        resolver = _Resolver(self._graph)
        resolver.resolve((claim,))
        remaining = set(resolver.clusters[claim].members) - {claim}
        # the claims that lose a link to it are affected whatever happens to the origins
        self._pending_removal[claim] = (remaining, resolver.linked((claim,)))

    @_without_gc
    def claim_removed(self, claim: int) -> Update:
        remaining, linked = self._pending_removal.pop(claim)
        linked.discard(claim)
        return self._rederive(remaining, extra=linked, gone=(claim,))

    # -- MemoryGraph conveniences: apply and propagate -------------------------------------------------------

    def _memory(self) -> MemoryGraph:
        if not isinstance(self._graph, MemoryGraph):
            raise TypeError("this method edits a MemoryGraph; for other graphs use the notifications")
        return self._graph

    def add_link(self, link: int, from_: int, to: int, relation: str, recorded: datetime | None = None) -> Update:
        self._memory().add_link(link, from_, to, relation, recorded)
        return self.link_changed(from_, to, relation)

    def remove_link(self, link: int) -> Update:
        record = self._memory().remove_link(link)
        return self.link_changed(record.from_, record.to, record.relation)

    def set_source(self, source: int, side: str | None = "", group: str | None = "") -> Update:
        self._memory().set_source(source, side, group)
        return self.source_changed(source)

    def add_claim(self, claim: int, source: int, recorded: datetime | None = None) -> Update:
        self._memory().add_claim(claim, source, recorded)
        return self.claim_changed(claim)

    def set_claim_source(self, claim: int, source: int) -> Update:
        self._memory().set_claim_source(claim, source)
        return self.claim_changed(claim)

    def remove_claim(self, claim: int) -> Update:
        graph = self._memory()
        self.before_claim_removed(claim)
        graph.remove_claim(claim)
        return self.claim_removed(claim)


class _SameApartFromClaim:
    """Compares two derivations; the fields shared across a cluster are compared once per cluster pair.

    Members of a cluster derived in one pass share their field objects, so the pair of ``cluster`` objects
    identifies the pair of shared parts: comparing a 2,000-member cluster member by member would
    otherwise compare its member set 2,000 times. (Ids are safe keys: both objects are alive meanwhile.)
    """

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], bool] = {}

    def __call__(self, old: Derivation, new: Derivation) -> bool:
        if old.claim != new.claim:
            return False
        key = (id(old.cluster), id(new.cluster))
        same = self._memo.get(key)
        if same is None:
            same = self._memo[key] = (
                old.status == new.status
                and old.supporters == new.supporters
                and old.contradictors == new.contradictors
                and old.neutrals == new.neutrals
                and old.echoes == new.echoes
                and old.internal_links == new.internal_links
                and old.origin_sources == new.origin_sources
                and old.origins == new.origins
                and old.cluster == new.cluster
                and old.suggested_credibility == new.suggested_credibility
            )
        return same
