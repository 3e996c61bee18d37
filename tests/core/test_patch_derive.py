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
from desktop.core.history.patch_derive import Reach, derived_after, derived_after_in_parts
from desktop.core.store import status
from desktop.core.store.links import refresh_pairs
from desktop.core.store.loaded_graph import LoadedGraph, derived_rows, read_changes, write_derived_rows
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
        assert sorted(derived_after(ahead, reach, changes, known)) == sorted(rows)
        now = _everything(LoadedGraph(connection))
    derived = {claim: status for claim, status, *_rest in rows}
    assert derived, "the changes reach some claims"
    assert all(derived[c] == now[c] for c in derived)
    assert all(now[c] == then[c] for c in now if c not in derived)
    engine.dispose()


_STORED = "SELECT id, status, suggested_credibility, verdict_disputed, link_count FROM claim ORDER BY id"


@pytest.mark.parametrize("seed", range(4))
def test_only_what_changes_goes_back_when_the_graph_was_read_with_the_stored_columns(tmp_path: Path, seed: int) -> None:
    """What the derivation process does: it reads the stored derived columns with the graph and hands back only
    the rows that change them — and every row of a claim the patch put back. Written, they leave the stored
    columns as a full derivation of the changed workspace."""
    rng = random.Random(seed)
    engine = random_workspace(tmp_path / "w.sqlite", rng, sources=SOURCES, claims=CLAIMS, pairs=220,
                              analysts=("anna", "boris"), groups=("", "g1"))  # fmt: skip
    with db.write_connection(engine) as connection:
        status.write_derived(connection, corroboration.derive_all(status.load_memory_graph(connection)))
        driver = connection.connection.dbapi_connection
        graph = LoadedGraph.from_cursor(driver.cursor(), stored=True)  # type: ignore[union-attr]
        plain = LoadedGraph(connection)
        before = {row[0]: tuple(row[1:]) for row in connection.exec_driver_sql(_STORED)}
        reach, written = _change(connection, rng)
        # A claim put back under its own id: its row starts with the columns a put-back row gets, whatever
        # its derivation stored before.
        again = rng.choice([c for c in range(1, CLAIMS + 1) if c not in written])
        connection.exec_driver_sql(
            "UPDATE claim SET status = 'unverified', suggested_credibility = 6, verdict_disputed = 0, link_count = 0 "
            "WHERE id = ?",
            (again,),
        )
        reach = Reach(reach.pairs, reach.moved | {again}, reach.alone, {again})
        changes = read_changes(connection, reach.pairs, written | {again})
        every = derived_after(plain, reach, changes)
        rows = derived_after(graph, reach, changes)
        assert sorted(rows) == sorted(row for row in every if row[0] == again or tuple(row[1:]) != before.get(row[0]))
        assert again in {row[0] for row in rows}
        assert len(rows) < len(every), "some derived claims keep their columns and are not handed back"
        write_derived_rows(connection, rows)
        full = corroboration.derive_all(status.load_memory_graph(connection))
        stored = connection.exec_driver_sql(_STORED).all()
    assert [(c, s) for c, s, *_rest in stored] == [(c, full[c].status) for c in sorted(full)]
    assert all(row[2] == corroboration.SUGGESTED_CREDIBILITY[row[1]] for row in stored)
    engine.dispose()


def test_derived_rows_leave_out_a_claim_whose_columns_stand_unless_it_was_put_back(tmp_path: Path) -> None:
    engine = random_workspace(tmp_path / "w.sqlite", random.Random(1), sources=3, claims=4, pairs=0)
    with db.write_connection(engine) as connection:
        connection.exec_driver_sql("UPDATE claim SET status = 'unverified', suggested_credibility = 6, "
                                   "verdict_disputed = 0, link_count = 0")  # fmt: skip
        connection.exec_driver_sql("UPDATE claim SET status = 'contested' WHERE id = 2")
        driver = connection.connection.dbapi_connection
        graph = LoadedGraph.from_cursor(driver.cursor(), stored=True)  # type: ignore[union-attr]
    statuses: dict[int, Any] = {1: "unverified", 2: "unverified", 3: "unverified"}
    assert [row[0] for row in derived_rows(graph, statuses)] == [2]
    assert [row[0] for row in derived_rows(graph, statuses, inserted={3})] == [2, 3]
    with engine.connect() as connection:
        plain = LoadedGraph(connection)  # read without the stored columns: every row goes back
    assert [row[0] for row in derived_rows(plain, statuses)] == [1, 2, 3]
    engine.dispose()


@pytest.mark.parametrize("seed", range(4))
def test_derived_in_parts_is_derived_at_once_each_cluster_in_one_part(tmp_path: Path, seed: int) -> None:
    """The derivation process hands its rows back a part at a time, for the patch to write one while the next is
    derived: together the parts are the derivation, no claim comes twice, and a cluster's members come in one
    part (a cluster split over parts would be summarised twice)."""
    rng = random.Random(seed)
    engine = random_workspace(tmp_path / "w.sqlite", rng, sources=SOURCES, claims=CLAIMS, pairs=220,
                              analysts=("anna", "boris"), groups=("", "g1"))  # fmt: skip
    with db.write_connection(engine) as connection:
        whole, parted = LoadedGraph(connection), LoadedGraph(connection)
        reach, written = _change(connection, rng)
        changes = read_changes(connection, reach.pairs, written)
        rows = derived_after(whole, reach, changes)
        parts = list(derived_after_in_parts(parted, reach, changes, part=7))
        after = LoadedGraph(connection)
    assert len(parts) > 3
    claims = [row[0] for part in parts for row in part]
    assert len(claims) == len(set(claims))
    assert sorted(row for part in parts for row in part) == sorted(rows)
    part_of = {row[0]: number for number, part in enumerate(parts) for row in part}
    for members in corroboration.cluster_map(after, after.repeating_claims()).values():
        assert len({part_of[m] for m in members.members if m in part_of}) <= 1
    engine.dispose()
