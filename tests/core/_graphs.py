"""Graph builders, Hypothesis strategies and a naive reference oracle for the status-engine tests."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from hypothesis import strategies as st

from desktop.core.corroboration import RELATIONS, LinkRef, MemoryGraph

SIDES = ("", "russia", "ukraine", "Russia ")  # the last one normalises to "russia"
GROUPS = ("", "state-media", "wagner")


class Builder:
    """Terse graph building for the unit tests: sources and claims by name, ids allocated in order."""

    def __init__(self) -> None:
        self.graph = MemoryGraph()
        self.ids: dict[str, int] = {}
        self._next_link = 1

    def source(self, name: str, side: str = "", group: str = "") -> int:
        sid = 1000 + len([n for n in self.ids if n.startswith("src:")])
        self.ids["src:" + name] = sid
        self.graph.add_source(sid, side, group)
        return sid

    def claim(self, name: str, source: str) -> int:
        cid = len([n for n in self.ids if not n.startswith("src:")]) + 1
        self.ids[name] = cid
        self.graph.add_claim(cid, self.ids["src:" + source])
        return cid

    def link(self, from_: str, relation: str, to: str) -> int:
        lid = self._next_link
        self._next_link += 1
        self.graph.add_link(lid, self.ids[from_], self.ids[to], relation)
        return lid

    def __getitem__(self, name: str) -> int:
        return self.ids[name]

    def name(self, claim: int) -> str:
        return next(n for n, i in self.ids.items() if i == claim and not n.startswith("src:"))


# --------------------------------------------------------------------------------------------------
# Random graphs as plain data, so the same graph can be built in different orders
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    sources: tuple[tuple[int, str, str], ...]
    claims: tuple[tuple[int, int], ...]  # (claim, source)
    links: tuple[tuple[int, int, int, str], ...]  # (link, from, to, relation)

    def build(self, link_order: Sequence[int] | None = None) -> MemoryGraph:
        graph = MemoryGraph()
        for sid, side, group in self.sources:
            graph.add_source(sid, side, group)
        for cid, sid in self.claims:
            graph.add_claim(cid, sid)
        order = range(len(self.links)) if link_order is None else link_order
        for i in order:
            lid, f, t, rel = self.links[i]
            graph.add_link(lid, f, t, rel)
        return graph


@st.composite
def specs(draw: st.DrawFn, max_sources: int = 4, max_claims: int = 8, max_links: int = 12) -> Spec:
    n_sources = draw(st.integers(1, max_sources))
    sources = tuple((s, draw(st.sampled_from(SIDES)), draw(st.sampled_from(GROUPS))) for s in range(n_sources))
    n_claims = draw(st.integers(1, max_claims))
    claims = tuple((c, draw(st.integers(0, n_sources - 1))) for c in range(n_claims))
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_claims - 1),
                st.integers(0, n_claims - 1),
                # repeats weighted up: clusters, cycles and echoes are where the rules are subtle
                st.sampled_from((*RELATIONS, "repeats", "repeats")),
            ),
            max_size=max_links,
        )
    )
    links = tuple((100 + i, f, t, rel) for i, (f, t, rel) in enumerate(raw))
    return Spec(sources, claims, links)


# --------------------------------------------------------------------------------------------------
# A graph that offers only the Protocol (what the SQL store implements), recording prefetches
# --------------------------------------------------------------------------------------------------


@dataclass
class ProtocolOnlyGraph:
    inner: MemoryGraph
    prefetched: list[frozenset[int]] = field(default_factory=list)

    def source_of(self, claim: int) -> int:
        return self.inner.source_of(claim)

    def source_side_group(self, source: int) -> tuple[str, str]:
        return self.inner.source_side_group(source)

    def repeats_of(self, claim: int) -> Iterable[int]:
        return list(self.inner.repeats_of(claim))

    def repeated_by(self, claim: int) -> Iterable[int]:
        return list(self.inner.repeated_by(claim))

    def evidence_links(self, claim: int) -> Iterable[LinkRef]:
        return list(self.inner.evidence_links(claim))

    def prefetch(self, claims: Collection[int]) -> None:
        self.prefetched.append(frozenset(claims))


# --------------------------------------------------------------------------------------------------
# Reference oracle: docs/status-rules.md transcribed as literally as possible, no cleverness, no sharing
# --------------------------------------------------------------------------------------------------


def _norm(label: str) -> str:
    return label.strip().casefold()


@dataclass(frozen=True)
class Expected:
    cluster: frozenset[int]
    origins: frozenset[int]
    status: str
    supporters: frozenset[int]  # link ids
    contradictors: frozenset[int]
    neutrals: frozenset[int]
    echoes: frozenset[int]
    internal: frozenset[int]
    cross_side_supporters: frozenset[int]


def reference(graph: MemoryGraph, claim: int) -> Expected:
    links = list(graph.links())
    repeats = [(rec.from_, rec.to) for _, rec in links if rec.relation == "repeats"]

    def cluster(c: int) -> frozenset[int]:
        seen = {c}
        changed = True
        while changed:
            changed = False
            for f, t in repeats:
                if (f in seen) != (t in seen):
                    seen |= {f, t}
                    changed = True
        return frozenset(seen)

    def on_cycle(m: int) -> bool:
        # m reaches itself through one or more repeats links
        frontier = {t for f, t in repeats if f == m}
        reached: set[int] = set()
        while frontier:
            if m in frontier:
                return True
            reached |= frontier
            frontier = {t for f, t in repeats if f in frontier} - reached
        return False

    def origins(members: frozenset[int]) -> frozenset[int]:
        return frozenset(m for m in members if not any(f == m and t in members for f, t in repeats) or on_cycle(m))

    def origin_sources(members: frozenset[int]) -> set[int]:
        return {graph.source_of(o) for o in origins(members)}

    def groups(sources: set[int]) -> set[str]:
        return {_norm(graph.source_side_group(s)[1]) for s in sources} - {""}

    def sides(sources: set[int]) -> set[str]:
        return {_norm(graph.source_side_group(s)[0]) for s in sources}

    mine = cluster(claim)
    my_sources = origin_sources(mine)
    sup, con, neu, echo, internal, cross = set(), set(), set(), set(), set(), set()
    for lid, rec in links:
        if rec.relation == "repeats":
            continue
        ends = (rec.from_, rec.to)
        if not any(e in mine for e in ends):
            continue
        if all(e in mine for e in ends):
            internal.add(lid)
            continue
        if rec.relation == "neutral" and rec.from_ in mine:
            continue  # rule 4: a neutral link counts only FROM a claim outside the cluster TO a member
        d = rec.to if rec.from_ in mine else rec.from_
        theirs = origin_sources(cluster(d))
        independent = not (my_sources & theirs) and not (groups(my_sources) & groups(theirs))
        if not independent:
            echo.add(lid)
            continue
        {"corroborates": sup, "contradicts": con, "neutral": neu}[rec.relation].add(lid)
        mine_sides, their_sides = sides(my_sources), sides(theirs)
        if rec.relation == "corroborates" and ("" in mine_sides or "" in their_sides or not (mine_sides & their_sides)):
            cross.add(lid)
    if con and sup:
        status = "contested"
    elif con:
        status = "contradicted"
    elif cross:
        status = "corroborated"
    elif sup:
        status = "aligned"
    elif neu:
        status = "unconfirmed"
    else:
        status = "unverified"
    return Expected(
        mine,
        origins(mine),
        status,
        frozenset(sup),
        frozenset(con),
        frozenset(neu),
        frozenset(echo),
        frozenset(internal),
        frozenset(cross),
    )
