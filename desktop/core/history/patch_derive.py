"""Step 4 of the as-of patch (``history.patch``): deriving again the statuses the undone changes reach."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from desktop.core import corroboration
from desktop.core.corroboration import judgements
from desktop.core.history.replay import Key
from desktop.core.progress import Progress
from desktop.core.store import status
from desktop.core.store.bulk_derive import _WorkspaceGraph
from desktop.core.store.bulk_keys import _select_in
from desktop.core.store.links import refresh_pairs
from desktop.core.store.loaded_graph import (
    DerivedRow,
    GraphChanges,
    LoadedGraph,
    derived_rows,
    read_changes,
    write_derived_rows,
)

if TYPE_CHECKING:
    from desktop.core.history.derive_process import DeriveProcess
    from desktop.core.history.patch import _Writer

_DERIVING = "deriving the statuses those changes reach"  # ``patch.write_undone`` says it first
_DERIVING_SHARE = 0.6
_WRITING = "writing the statuses back"
_WRITING_SHARE = 0.9  # of the whole patch (``patch_to`` reports the steps before)
#: past this share of the workspace's claims named by the changes (the claims they reach are several times
#: more), the graph is read whole in a few scans (``LoadedGraph``) rather than a batch of claims at a time
_LOAD_SHARE = 0.005
_CHUNK = 500  # claim ids per IN list
#: claims derived per part the derivation process hands back: the patch writes one while the next is derived
_PART = 20_000


@dataclass(frozen=True)
class Prior:
    """What the derivation needs of the copy before the patch writes: with many changes, the whole graph
    (``LoadedGraph``, brought up to date after the writes), read here or by a process of its own
    (``derive_process``, which then derives too); with few, the pairs judged ``repeats``."""

    graph: LoadedGraph | None
    repeats: set[tuple[int, int]]
    process: DeriveProcess | None = None


def reads_whole_graph(claims: int, changes: int) -> bool:
    """Whether undoing ``changes`` audited changes (groups, or an upper bound) in a workspace of ``claims``
    claims reads the graph whole (``LoadedGraph``) rather than a batch of claims at a time."""
    return changes > claims * _LOAD_SHARE


def read_prior(connection: Connection, changes: int, process: DeriveProcess | None = None) -> Prior:
    """``Prior`` for ``changes`` audited changes (groups) to undo; with ``process``, the graph is its."""
    if process is not None:
        return Prior(None, set(), process)
    if reads_whole_graph(_claim_count(connection), changes):
        return Prior(LoadedGraph(connection), set())
    return Prior(None, repeats_pairs(connection))


@dataclass(frozen=True)
class Reach:
    """The claims the changes reach, before the graph says which changed pairs hold a ``repeats`` judgement
    (plain data: it may go to the derivation's process).

    ``pairs``: (from, to) of every judgement the patch wrote or deleted; ``moved``: claims put back, left
    out or moved to another source, and the claims of a source whose side or group changed; ``alone``:
    claims whose verdict alone changed; ``inserted``: the claims put back (rows written anew).
    """

    pairs: set[tuple[int, int]]
    moved: set[int]
    alone: set[int]
    inserted: set[int] = field(default_factory=set)  # claims the patch put back: their derived columns are new

    def split(self, repeats: Callable[[tuple[int, int]], bool]) -> tuple[set[int], set[int], set[int]]:
        """The claims whose clusters may have moved (seeds), the ends of other changed pairs (their clusters
        alone), and ``alone``.

        A pair whose effective judgement is ``repeats`` (``repeats``: before or after) can move clusters and
        origins: the neighbourhood of its ends. Any other pair is evidence between the two clusters of its
        ends, and reaches them alone (as a write's own re-derivation does).
        """
        ends = {end for pair in self.pairs for end in pair}
        seeds = {end for pair in self.pairs if repeats(judgements.pair_of(*pair)) for end in pair} | self.moved
        return seeds, ends - seeds, self.alone


def derive_reached(
    connection: Connection,
    writer: _Writer,
    before: dict[Key, tuple[Any, Any]],
    sides: dict[Key, tuple[Any, Any]],
    prior: Prior,
    progress: Progress,
    meanwhile: Callable[[], None] = lambda: None,
) -> None:
    """Derive again what the changes reach (module docstring, step 4).

    ``meanwhile``: work on ``connection`` that the derivation does not read (the patch's end); with the
    graph in memory it runs while the statuses are derived in Python — in a thread here (SQLite works
    without Python's lock: the two run side by side on two cores), or here while the derivation process
    derives — else before.
    """
    _refresh_many_pairs(connection, writer.links_changed)
    reach = _reach(connection, writer, before, sides)
    if prior.graph is None and prior.process is None:
        meanwhile()
        repeats = prior.repeats | repeats_pairs(connection)
        seeds, evidence, alone = reach.split(repeats.__contains__)
        small = _WorkspaceGraph(connection)
        there = {
            c for (c,) in _select_in(connection, "SELECT id FROM claim WHERE id IN :ids", seeds | evidence | alone)
        }
        derived = corroboration.derive_around(
            small, neighbourhood_of=seeds & there, clusters_of=evidence & there, alone=alone & there
        )
        progress(_WRITING, _WRITING_SHARE)
        if derived:
            status.write_derived(connection, derived)
        return
    touched = {i for _record, i in writer.final["claims"].values() if i is not None} | writer.claims_new
    changes = read_changes(connection, writer.links_changed, touched | set(writer.deleted.get("claim", ())))
    if prior.process is not None:
        prior.process.derive(reach, changes)
        meanwhile()
        # Each part written as it comes, while the process derives the next (the last one's write is all
        # that is left once it has finished).
        for number, rows in enumerate(prior.process.parts(lambda: progress(_DERIVING, _DERIVING_SHARE))):
            if number == 0:
                progress(_WRITING, _WRITING_SHARE)
            write_derived_rows(connection, rows)
        return
    graph = prior.graph
    assert graph is not None, "a graph read here, or a process that read it"
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosscheck-patch") as pool:
        beside = pool.submit(meanwhile)
        rows = derived_after(graph, reach, changes)
        beside.result()  # its error (NotPatchable) is the patch's
    progress(_WRITING, _WRITING_SHARE)
    write_derived_rows(connection, rows)


def derived_after(
    graph: LoadedGraph, reach: Reach, changes: GraphChanges, known: corroboration.Clusters | None = None
) -> list[DerivedRow]:
    """The derived columns of the claims ``reach`` reaches, over ``graph`` — read before the patch wrote —
    brought up to date with ``changes`` (``derived_after_in_parts``, all at once)."""
    return [row for part in derived_after_in_parts(graph, reach, changes, known) for row in part]


def derived_after_in_parts(
    graph: LoadedGraph,
    reach: Reach,
    changes: GraphChanges,
    known: corroboration.Clusters | None = None,
    part: int = _PART,
) -> Iterator[list[DerivedRow]]:
    """``derived_after`` a part at a time (about ``part`` claims derived each), for a caller that writes each
    part while the next is derived: the derivation's process.

    ``known``: clusters of ``graph`` found ahead (``corroboration.cluster_map``, by the derivation process while
    the patch writes): those the changes do not touch are not searched for again.
    """
    repeats_now = {judgements.pair_of(a, b) for _link, a, b, relation in changes.links if relation == "repeats"}
    seeds, evidence, alone = reach.split(lambda pair: pair in repeats_now or graph.repeats_between(*pair))
    summaries = corroboration.cluster_summaries(graph, [c for c in seeds if graph.has_claim(c)], known)
    untouched = None
    if known:
        touched: set[int] = set()
        for claim in seeds:  # every cluster a change can touch holds a seed (``statuses_after``)
            cluster = known.get(claim)
            if cluster is not None and claim not in touched:
                touched |= cluster.members
        untouched = {claim: cluster for claim, cluster in known.items() if claim not in touched}
    graph.apply(changes)
    exists = graph.has_claim
    parts = corroboration.statuses_after_in_parts(  # the status is all the stored columns need of a derivation
        graph,
        moved=[c for c in seeds if exists(c)],
        before=summaries,
        clusters_of=[c for c in evidence if exists(c)],
        alone=[c for c in alone if exists(c)],
        known=untouched,
        part=part,
    )
    for statuses in parts:
        yield derived_rows(graph, statuses, reach.inserted)


def _refresh_many_pairs(connection: Connection, pairs: Iterable[tuple[int, int]]) -> None:
    """``refresh_pairs`` for the pairs the patch wrote (tens of thousands at 1M claims), on the SQLite copy.

    Most pairs hold one judgement, whose flags the rules fix without reading it (effective, not disputed):
    only the ids and flags of the pairs' links are read, as plain tuples; pairs with several judgements
    go through ``refresh_pairs``.
    """
    wanted = {judgements.pair_of(x, y) for x, y in pairs}
    found: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    ends = sorted({end for pair in wanted for end in pair})
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for start in range(0, len(ends), _CHUNK):
            chunk = ends[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT id, from_id, to_id, effective, disputed FROM link WHERE from_id IN ({marks})"  # noqa: S608
            for ident, a, b, effective, disputed in cursor.execute(query, chunk):
                pair = (a, b) if a <= b else (b, a)
                if pair in wanted:
                    found.setdefault(pair, []).append((ident, effective, disputed))
        several = [pair for pair, rows in found.items() if len(rows) > 1]
        alone = [rows[0][0] for rows in found.values() if len(rows) == 1 and (rows[0][1], rows[0][2]) != (1, 0)]
        if alone:
            cursor.executemany("UPDATE link SET effective = 1, disputed = 0 WHERE id = ?", [(i,) for i in alone])
    finally:
        cursor.close()
    if several:
        refresh_pairs(connection, several)


def _reach(
    connection: Connection, writer: _Writer, before: dict[Key, tuple[Any, Any]], sides: dict[Key, tuple[Any, Any]]
) -> Reach:
    """``Reach`` of the patch's writes: its pairs, the claims put back, left out, moved to another source or
    of a source whose side or group changed, and the claims whose verdict alone changed."""
    moved = set(writer.claims_new)
    alone: set[int] = set()
    for key, (record, ident) in writer.final["claims"].items():
        if ident is None:
            continue
        was = before.get(key)
        if was is None or was[0] != record["source"]:
            moved.add(ident)
        elif was[1] != record["verdict"]:
            alone.add(ident)
    changed_sources = [
        ident
        for key, (record, ident) in writer.final["sources"].items()
        if ident is not None and sides.get(key) != (record["side"], record["group"])
    ]
    changed_sources += [
        i for k, i in writer.present["sources"].items() if i is not None and k not in writer.final["sources"]
    ]
    moved |= {c for (c,) in _select_in(connection, "SELECT id FROM claim WHERE source_id IN :ids", changed_sources)}
    return Reach(set(writer.links_changed), moved, alone, set(writer.claims_new))


def _claim_count(connection: Connection) -> int:
    return int(connection.exec_driver_sql("SELECT count(*) FROM claim").scalar_one())


def repeats_pairs(connection: Connection) -> set[tuple[int, int]]:
    """Every pair with a ``repeats`` judgement on it (whoever judged it), as ``judgements.pair_of`` names it."""
    query = "SELECT min(from_id, to_id), max(from_id, to_id) FROM link WHERE relation = 'repeats'"
    return set(connection.connection.dbapi_connection.execute(query))  # type: ignore[union-attr]
