"""``patch_derive.derived_after``, what the as-of patch (or its derivation process) derives after its writes: on
random workspaces and random changes — judgements removed, changed and added, claims moved to another source
or deleted, a source's side changed — every claim it derives gets the status a full derivation of the changed
workspace gives, every claim it leaves out kept its status, and clusters found ahead of the changes
(``corroboration.cluster_map``, what the derivation process finds while the patch writes) change nothing."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from desktop.core import corroboration, db
from desktop.core.history.patch_derive import Reach, derived_after
from desktop.core.store.links import refresh_pairs
from desktop.core.store.loaded_graph import LoadedGraph, read_changes
from tests.core._sql_workspaces import random_workspace

CLAIMS = 150
SOURCES = 10


def _everything(graph: LoadedGraph) -> dict[int, str]:
    claims = [c for c in range(1, CLAIMS + 1) if graph.has_claim(c)]
    return corroboration.statuses_around(graph, neighbourhood_of=(), clusters_of=(), alone=claims)


def _change(connection: Any, rng: random.Random) -> tuple[Reach, set[int]]:
    """Random writes on the open connection; the ``Reach`` the patch would hand on, and the claims written."""
    links = connection.exec_driver_sql("SELECT id, from_id, to_id FROM link").all()
    pairs: set[tuple[int, int]] = set()
    for link, a, b in rng.sample(links, 20):
        pairs.add((a, b))
        if rng.random() < 0.5:
            connection.exec_driver_sql("DELETE FROM link WHERE id = ?", (link,))
        else:
            relation = rng.choice(("repeats", "corroborates", "contradicts", "neutral"))
            connection.exec_driver_sql("UPDATE link SET relation = ? WHERE id = ?", (relation, link))
    for _ in range(5):  # judgements on pairs that had none
        a, b = rng.sample(range(1, CLAIMS + 1), 2)
        connection.exec_driver_sql(
            "INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded, effective, disputed) "
            "VALUES (?, ?, ?, '', 'anna', '2022-12-01 00:00:00.000000', 1, 0)",
            (a, b, rng.choice(("repeats", "corroborates", "contradicts"))),
        )
        pairs.add((a, b))
    refresh_pairs(connection, pairs)
    moved = set(rng.sample(range(1, CLAIMS + 1), 6))
    for claim in moved:
        connection.exec_driver_sql("UPDATE claim SET source_id = ? WHERE id = ?", (rng.randint(1, SOURCES), claim))
    gone = rng.choice(sorted(moved))
    pairs |= set(connection.exec_driver_sql("SELECT from_id, to_id FROM link WHERE ? IN (from_id, to_id)", (gone,)))
    connection.exec_driver_sql("DELETE FROM link WHERE ? IN (from_id, to_id)", (gone,))
    connection.exec_driver_sql("DELETE FROM claim WHERE id = ?", (gone,))
    side_changed = rng.randint(1, SOURCES)
    connection.exec_driver_sql("UPDATE source SET side = 'elsewhere', group_label = 'g9' WHERE id = ?", (side_changed,))
    moved |= {c for (c,) in connection.exec_driver_sql("SELECT id FROM claim WHERE source_id = ?", (side_changed,))}
    return Reach(pairs, moved, set()), moved


@pytest.mark.parametrize("seed", range(8))
def test_what_is_derived_after_the_changes_is_a_full_derivation_with_or_without_clusters_found_ahead(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    engine = random_workspace(tmp_path / "w.sqlite", rng, sources=SOURCES, claims=CLAIMS, pairs=220,
                              analysts=("anna", "boris"), sides=("russia", "ukraine", "", "Russia "),
                              groups=("", "g1"))  # fmt: skip
    with db.write_connection(engine) as connection:
        plain, ahead = LoadedGraph(connection), LoadedGraph(connection)
        then = _everything(plain)
        known = corroboration.cluster_map(ahead, ahead.repeating_claims())
        assert any(len(cluster.members) > 2 for cluster in known.values()), "clusters worth finding ahead"
        reach, written = _change(connection, rng)
        changes = read_changes(connection, reach.pairs, written)
        rows = derived_after(plain, reach, changes)
        assert derived_after(ahead, reach, changes, known) == rows
        now = _everything(LoadedGraph(connection))
    derived = {claim: status for claim, status, *_rest in rows}
    assert derived, "the changes reach some claims"
    assert all(derived[c] == now[c] for c in derived)
    assert all(now[c] == then[c] for c in now if c not in derived)
    engine.dispose()
