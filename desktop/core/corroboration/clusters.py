"""Cluster summaries: origins (Tarjan's SCC over the ``repeats`` links) and what independence and sides
need of a cluster — its origin sources and their normalised sides and groups."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple


def _label(value: str | None) -> str:
    """Side/group labels are free text: compare them trimmed and case-folded; blank means none."""
    return value.strip().casefold() if value else ""


class _Cluster(NamedTuple):
    """What a derivation reads of a ``repeats`` cluster; one object shared by its members (its identity names
    the cluster). A named tuple: the as-of replay makes hundreds of thousands, and a frozen dataclass's
    ``__init__`` (``object.__setattr__`` per field) costs three times as much."""

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
