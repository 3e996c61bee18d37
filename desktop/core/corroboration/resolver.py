"""Finding and summarising clusters over any :class:`~desktop.core.corroboration.graph.Graph`: a
breadth-first search that walks every pending cluster one level at a time, one prefetch per level."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from itertools import chain

from desktop.core.corroboration.clusters import _Cluster, _label, _summarise
from desktop.core.corroboration.graph import Graph, Prefetching
from desktop.core.corroboration.records import Derivation, LinkRef, Status
from desktop.core.corroboration.rules import _derive_cluster, _for_member, _Tally

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
        self._side_group: dict[int, tuple[str, str]] = {}
        self._links: dict[int, tuple[LinkRef, ...]] = {}
        self._alone_parts: dict[int, tuple[frozenset[int], frozenset[str], frozenset[str]]] = {}

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
        """Summarise the clusters of ``claims`` (a multi-source BFS, one prefetch per level).

        Hundreds of thousands of claims at a time for the as-of replay: the graph's methods and the
        caches are bound to locals, and the claims in no ``repeats`` link are summarised inline.
        """
        clusters = self.clusters
        start = [c for c in dict.fromkeys(claims) if c not in clusters]
        if not start:
            return
        graph = self.graph
        repeats_of, repeated_by = graph.repeats_of, graph.repeated_by
        parent: dict[int, int] = {c: c for c in start}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        succ: dict[int, list[int]] = {}
        frontier = start
        alone = True  # the first level: claims asked about, some of them in no ``repeats`` link at all
        while frontier:
            self.prefetch(frontier)
            following: list[int] = []
            for v in frontier:
                targets = repeats_of(v)
                repeaters = repeated_by(v)
                if alone and not targets and not repeaters:
                    # Most claims repeat nothing and nobody repeats them: their cluster is themselves (what
                    # ``_summarise`` makes of it, without the search).
                    del parent[v]
                    clusters[v] = self._alone(v)
                    continue
                succ[v] = targets = list(targets)
                for w in chain(targets, repeaters):
                    if w in parent:
                        rv, rw = find(v), find(w)
                        if rv != rw:
                            parent[rw] = rv
                    else:
                        parent[w] = find(v)
                        following.append(w)
            frontier = following
            alone = False
        components: dict[int, list[int]] = {}
        for c in parent:
            components.setdefault(find(c), []).append(c)
        for members in components.values():
            summary = _summarise(members, succ, graph.source_of, self.side_group)
            for m in members:
                clusters[m] = summary

    def _alone(self, claim: int) -> _Cluster:
        """The summary of a cluster of one claim; the parts its source decides are made once per source."""
        source = self.graph.source_of(claim)
        parts = self._alone_parts.get(source)
        if parts is None:
            side, group = self.side_group(source)
            parts = self._alone_parts[source] = (
                frozenset((source,)),
                frozenset((side,)),
                frozenset((group,)) if group else frozenset(),
            )
        members = frozenset((claim,))
        return _Cluster(members, members, *parts)

    def derive(self, claims: Iterable[int], per_member: bool = True) -> dict[int, Derivation]:
        """Derivations of ``claims``; ``per_member=False``: each claim's cluster's shared one (no copy each)."""
        wanted, todo = self._with_far_ends(claims)
        shared = {key: _derive_cluster(s, self.links_of, self.clusters.__getitem__) for key, s in todo.items()}
        if not per_member:
            return {c: shared[id(self.clusters[c])] for c in wanted}
        return {c: _for_member(shared[id(self.clusters[c])], c) for c in wanted}

    def statuses(self, claims: Iterable[int]) -> dict[int, Status]:
        """The statuses ``derive`` would give ``claims``, without the records that explain them.

        The far ends of the clusters' links are summarised only as far as the statuses need them
        (``rules._Tally``): a batched resolve per round, at most three rounds.
        """
        wanted = list(dict.fromkeys(claims))
        self.resolve(wanted)
        clusters = self.clusters
        todo: dict[int, _Cluster] = {}
        for c in wanted:
            summary = clusters[c]
            todo.setdefault(id(summary), summary)
        self.prefetch([m for summary in todo.values() for m in summary.members])
        links_of = self.links_of
        tallies = {key: _Tally(summary, links_of) for key, summary in todo.items()}
        reading = list(tallies.values())
        known = clusters.get
        while reading:
            for tally in reading:
                tally.read(known)
            reading = [tally for tally in reading if tally.unread]
            self.resolve([c for tally in reading for c in tally.far_ends()])
        shared = {key: tally.status() for key, tally in tallies.items()}
        return {c: shared[id(clusters[c])] for c in wanted}

    def _with_far_ends(self, claims: Iterable[int]) -> tuple[list[int], dict[int, _Cluster]]:
        """``claims`` (once each) and their clusters by identity, every cluster at the far end of an evidence
        link of a member summarised too (summaries are shared by all members: their identity names a cluster)."""
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
        return wanted, todo

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
