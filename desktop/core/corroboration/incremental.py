"""Incremental derivation: keeping derivations current, re-deriving only what a change can affect."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from desktop.core.corroboration.affected import affected_by_source_change
from desktop.core.corroboration.clusters import _Cluster
from desktop.core.corroboration.derivation import derive_all, derive_many
from desktop.core.corroboration.graph import _RELATION_NAMED, Graph, IndexedGraph, MemoryGraph
from desktop.core.corroboration.records import Derivation, Status
from desktop.core.corroboration.resolver import _Resolver
from desktop.core.gc_pause import without_gc


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

    @without_gc
    def refresh(self, claims: Iterable[int]) -> Update:
        """Re-derive ``claims`` (which must exist in the graph) and report what changed."""
        return self._apply(_Resolver(self._graph).derive(claims))

    @without_gc
    def forget(self, claims: Iterable[int]) -> Update:
        """Stop tracking claims (deleted ones)."""
        return self._apply({}, claims)

    @without_gc
    def link_changed(self, a: int, b: int, relation: str) -> Update:
        """A link ``a``–``b`` was added or removed."""
        if relation not in _RELATION_NAMED:
            raise ValueError(f"unknown relation {relation!r}")
        # An evidence link moves no origin, so the origin check finds nothing to spread to: the two
        # clusters are re-derived and that is all. A repeats link spreads only where origins moved.
        return self._rederive((a, b))

    @without_gc
    def source_changed(self, source: int) -> Update:
        """A source's side or group changed (the graph must list claims by source: IndexedGraph)."""
        if not isinstance(self._graph, IndexedGraph):
            raise TypeError("source changes need a graph with claims_of (IndexedGraph)")
        # Origin sources stay the same but their sides/groups do not: always spread to the neighbours.
        affected = affected_by_source_change(self._graph, source)
        resolver = _Resolver(self._graph)
        resolver.known = self._known_summaries(resolver, frozenset())  # no cluster changed shape
        return self._apply(resolver.derive(affected))

    @without_gc
    def claim_changed(self, claim: int) -> Update:
        """A claim was added, or moved to another source."""
        return self._rederive((claim,))

    @without_gc
    def before_claim_removed(self, claim: int) -> None:
        """Call before deleting ``claim`` (with its links); then :meth:`claim_removed` after."""
        resolver = _Resolver(self._graph)
        resolver.resolve((claim,))
        remaining = set(resolver.clusters[claim].members) - {claim}
        # the claims that lose a link to it are affected whatever happens to the origins
        self._pending_removal[claim] = (remaining, resolver.linked((claim,)))

    @without_gc
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
                and old.addresses == new.addresses
                and old.origin_sources == new.origin_sources
                and old.origins == new.origins
                and old.cluster == new.cluster
                and old.suggested_credibility == new.suggested_credibility
            )
        return same
