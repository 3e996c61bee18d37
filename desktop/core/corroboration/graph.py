"""The graph the engine reads: the :class:`Graph` protocol and its optional extensions, and the
in-memory :class:`MemoryGraph` (tests, full re-derivation, "as of T")."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Final, Protocol, runtime_checkable

from desktop.core.corroboration.records import RELATIONS, LinkRef, Relation

# --------------------------------------------------------------------------------------------------
# The abstract graph
# --------------------------------------------------------------------------------------------------


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
        """``corroborates`` / ``contradicts`` / ``neutral`` links touching ``claim``, either direction
        (``LinkRef.outgoing`` set on those whose ``from`` is ``claim``)."""
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
            self._evidence.setdefault(from_, {})[link] = LinkRef(link, to, rel, outgoing=True)
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
