"""The status engine: derives every claim's verification status from the links between claims (docs/status-rules.md).

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
4. **Evidence.** Every ``corroborates`` / ``contradicts`` link touching a member, and every ``neutral``
   link *to* a member (``neutral`` is directed: evidence on its ``to`` claim only), is examined once per
   cluster (deduplicated by link id): inside the cluster it is ignored (``internal_links``); to a claim
   ``d`` whose cluster is independent it is a supporter / contradictor / neutral; otherwise an echo. A
   member's own ``neutral`` on an outside claim is neither: it is listed in ``addresses`` for the
   explanation. The result is computed once per cluster and copied to each member (only ``claim`` differs).
5. **Status** is the first line of docs/status-rules.md, rule 6, that holds.

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

The sets follow ``neutral`` links both ways although only their ``to`` end gains evidence: a superset,
so no claim that can change is ever missed.

The store (``desktop.core.store``) re-derives, inside each write, the claims :func:`clusters` (an
evidence link) or :func:`neighbourhood` (anything else) gives for the claims it touched, before and after
the change — the sets above, a little wider for a source change (the neighbourhood of all its claims).
A property test drives the real store with random writes and checks every stored status against
:func:`derive_all`.

Performance: :func:`derive_all` is linear in claims + links (about 1 s per 100k claims here;
:func:`statuses_all`, the statuses alone for a bulk import, about half of that); a change
costs the clusters it touches (see ``bench/bench_engine.py``). The engine pauses the cyclic garbage
collector while it builds results (``desktop.core.gc_pause`` says why: it halves a full derivation).

Readings of the contract (where docs/status-rules.md leaves room)
-----------------------------------------------------
- *Origins* (rule 2): a member is an origin iff it repeats no member, or it lies on a directed ``repeats``
  cycle — even if it also repeats something outside that cycle ("every member of the cycle is an origin").
  A member that merely repeats a cycle member, without being on a cycle itself, is not an origin.
- *Side and group labels* are compared after ``strip()`` and ``casefold()``: they are free text typed by
  analysts, and "Russia" vs "russia" must not manufacture a cross-side corroboration. Blank = unaligned /
  no group.
- *Cross-side* (rule 5): a supporter ``d`` is cross-side when the sides of ``d``'s origin sources and the
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
- *As of T* (rule 9) filters claims and links by ``recorded``; sources carry no history, so their current
  side and group are used. A link is kept only when both of its claims are.
"""

from __future__ import annotations

from desktop.core.corroboration.affected import (
    Clusters,
    Summary,
    cluster_map,
    cluster_summaries,
    clusters,
    derive_around,
    neighbourhood,
    statuses_after,
    statuses_after_in_parts,
    statuses_around,
)
from desktop.core.corroboration.derivation import (
    cluster_of,
    derive,
    derive_all,
    derive_many,
    origins_of,
    statuses_all,
    verdict_disputed,
)
from desktop.core.corroboration.explanation import explain
from desktop.core.corroboration.graph import Graph, IndexedGraph, LinkRecord, MemoryGraph, Prefetching
from desktop.core.corroboration.records import (
    EVIDENCE_RELATIONS,
    RELATIONS,
    STATUSES,
    SUGGESTED_CREDIBILITY,
    Derivation,
    Echo,
    Evidence,
    LinkRef,
    Relation,
    Status,
)

__all__ = [
    "EVIDENCE_RELATIONS",
    "RELATIONS",
    "STATUSES",
    "SUGGESTED_CREDIBILITY",
    "Derivation",
    "Echo",
    "Evidence",
    "Graph",
    "IndexedGraph",
    "LinkRecord",
    "LinkRef",
    "MemoryGraph",
    "Prefetching",
    "Relation",
    "Status",
    "Summary",
    "Clusters",
    "cluster_map",
    "cluster_summaries",
    "clusters",
    "neighbourhood",
    "cluster_of",
    "derive",
    "derive_all",
    "derive_many",
    "derive_around",
    "explain",
    "origins_of",
    "statuses_after",
    "statuses_after_in_parts",
    "statuses_all",
    "statuses_around",
    "verdict_disputed",
]
