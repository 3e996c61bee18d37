"""Bulk import: derivation of the imported claims, and the neighbourhood of existing claims they touch.

See ``store.bulk`` (steps 3 and 6) for the whole write path.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.engine import Connection

from desktop.core import corroboration
from desktop.core.store.bulk_keys import _select_in

_GRAPH_CHUNK = 2000  # the same, when reading the clusters an import touches (fewer, larger statements)


def _derive_new_claims(
    connection: Connection, sources: list[int], links: list[tuple[int, int, str]]
) -> tuple[list[tuple[str, int, int]], set[int]]:
    """(status, suggested credibility, link count) of each new claim, and the existing claims the links touch.

    ``sources``: each new claim's source id, in document order; new claim ``i`` is
    ``-1 - i`` in ``links`` (from, to, relation), an existing claim its id.

    One full derivation over the new claims and the links between them. It is
    exact for every new claim outside the neighbourhood of the touched existing
    claims (their clusters plus the clusters linked to them by evidence): a
    claim's derivation reads its cluster, its cluster's evidence links and the
    clusters at their far ends, and any of those that holds or touches an
    existing claim does so through a new link, so through a touched claim, which
    puts the claim in that neighbourhood. The caller re-derives that
    neighbourhood once everything is written — the existing claims whose
    derivation can change are all in it, by the same argument.
    """
    graph = corroboration.MemoryGraph()
    for sid, side, group in _select_in(
        connection, "SELECT id, side, group_label FROM source WHERE id IN :ids", set(sources)
    ):
        graph.add_source(sid, side or "", group or "")
    for i, source in enumerate(sources):
        graph.add_claim(-1 - i, source)
    counts = [0] * len(sources)
    touched: set[int] = set()
    for number, (a, b, relation) in enumerate(links, 1):
        if a < 0 and b < 0:
            graph.add_link(number, a, b, relation)
        for end in (a, b):
            if end < 0:
                counts[-1 - end] += 1
            else:
                touched.add(end)
    statuses = corroboration.statuses_all(graph)
    credibility = corroboration.SUGGESTED_CREDIBILITY
    derived: list[tuple[str, int, int]] = [
        (state, credibility[state], count)
        for state, count in zip((statuses[-1 - i] for i in range(len(sources))), counts, strict=True)
    ]
    return derived, touched


class _WorkspaceGraph:
    """``corroboration.Graph`` over the workspace that reads claims a batch at a time (``Prefetching``).

    ``SqlGraph`` asks a few queries per claim, which is right for an edit;
    the links of an import can touch thousands of clusters. Here every batch the
    engine announces costs three queries (chunked ``IN`` lists), and what was read
    is kept for the life of the graph (one import's write transaction). It answers
    as ``SqlGraph`` does, link for link.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._source: dict[int, int] = {}
        self._sides: dict[int, tuple[str, str]] = {}
        self._repeats: dict[int, list[int]] = {}
        self._repeated_by: dict[int, list[int]] = {}
        self._evidence: dict[int, list[corroboration.LinkRef]] = {}

    def prefetch(self, claims: Collection[int]) -> None:
        missing = {c for c in claims if c not in self._source}
        if not missing:
            return
        connection = self._connection
        for claim in missing:
            self._repeats[claim], self._repeated_by[claim], self._evidence[claim] = [], [], []
        query = "SELECT id, source_id FROM claim WHERE id IN :ids"
        self._source.update(_select_in(connection, query, missing, chunk=_GRAPH_CHUNK))
        query = "SELECT id, from_id, to_id, relation FROM link WHERE effective AND from_id IN :ids"
        for link, a, b, relation in _select_in(connection, query, missing, chunk=_GRAPH_CHUNK):
            if relation == "repeats":
                self._repeats[a].append(b)
            else:
                self._evidence[a].append(corroboration.LinkRef(link, b, relation, outgoing=True))
        query = "SELECT id, from_id, to_id, relation FROM link WHERE effective AND to_id IN :ids"
        for link, a, b, relation in _select_in(connection, query, missing, chunk=_GRAPH_CHUNK):
            if relation == "repeats":
                self._repeated_by[b].append(a)
            else:
                self._evidence[b].append(corroboration.LinkRef(link, a, relation))
        sources = {self._source[c] for c in missing if c in self._source} - self._sides.keys()
        query = "SELECT id, side, group_label FROM source WHERE id IN :ids"
        for source, side, group in _select_in(connection, query, sources, chunk=_GRAPH_CHUNK):
            self._sides[source] = (side or "", group or "")

    def _known(self, claim: int) -> None:
        if claim not in self._source:
            self.prefetch((claim,))
            if claim not in self._source:
                raise KeyError(f"claim {claim} vanished")

    def source_of(self, claim: int) -> int:
        self._known(claim)
        return self._source[claim]

    def source_side_group(self, source: int) -> tuple[str, str]:
        return self._sides[source]  # read with the claims of that source

    def repeats_of(self, claim: int) -> list[int]:
        self._known(claim)
        return self._repeats[claim]

    def repeated_by(self, claim: int) -> list[int]:
        self._known(claim)
        return self._repeated_by[claim]

    def evidence_links(self, claim: int) -> list[corroboration.LinkRef]:
        self._known(claim)
        return self._evidence[claim]
