"""``LoadedGraph`` (the workspace's graph read whole, for the as-of replay) answers and derives as the batched
SQL graph does, and ``write_in_bulk`` writes what ``status.write_derived`` writes — on random workspaces."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from desktop.core import corroboration, db
from desktop.core.store import status
from desktop.core.store.bulk_derive import _WorkspaceGraph
from desktop.core.store.links import refresh_pairs
from desktop.core.store.loaded_graph import LoadedGraph, read_changes, write_in_bulk
from tests.core._sql_workspaces import random_workspace

CLAIMS = 150


def _workspace(path: Path, rng: random.Random) -> Any:
    """Sources with sides and groups, claims with and without verdicts, pairs judged by one to three analysts
    (so some judgements are not the effective one), stored statuses scrambled."""
    return random_workspace(path, rng, sources=10, claims=CLAIMS, pairs=200, analysts=("anna", "boris", "chen"),
                            sides=("russia", "ukraine", "", "Russia "), groups=("", "g1"), scrambled=True)  # fmt: skip


def _refs(links: Any) -> list[tuple[int, int, str, bool]]:
    return sorted((r.link, r.other, r.relation, r.outgoing) for r in links)


_DERIVED = "SELECT id, status, suggested_credibility, verdict_disputed, link_count FROM claim ORDER BY id"


@pytest.mark.parametrize("seed", range(6))
def test_the_graph_read_whole_answers_and_derives_as_the_batched_one(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    engine = _workspace(tmp_path / "w.sqlite", rng)
    claims = set(range(1, CLAIMS + 1))
    some = set(rng.sample(sorted(claims), 12))
    with engine.connect() as connection:
        loaded, batched = LoadedGraph(connection), _WorkspaceGraph(connection)
        batched.prefetch(claims)
        for c in sorted(claims):
            assert loaded.source_of(c) == batched.source_of(c)
            assert sorted(loaded.repeats_of(c)) == sorted(batched.repeats_of(c))
            assert sorted(loaded.repeated_by(c)) == sorted(batched.repeated_by(c))
            assert _refs(loaded.evidence_links(c)) == _refs(batched.evidence_links(c))
        for s in range(1, 11):
            assert loaded.source_side_group(s) == batched.source_side_group(s)
        derived = corroboration.derive_many(loaded, claims)
        assert derived == corroboration.derive_many(_WorkspaceGraph(connection), claims)
        assert derived == corroboration.derive_all(status.load_memory_graph(connection))
        around = corroboration.derive_around(loaded, neighbourhood_of=some, clusters_of=claims - some)
        assert {c: (d.status, d.suggested_credibility) for c, d in around.items()} == {
            c: (d.status, d.suggested_credibility) for c, d in derived.items()
        }  # every claim is in the clusters of one of them
        assert corroboration.statuses_around(loaded, neighbourhood_of=some, clusters_of=claims - some) == {
            c: d.status for c, d in around.items()
        }
        batched_around = corroboration.derive_around(_WorkspaceGraph(connection), neighbourhood_of=some, clusters_of=())
        assert set(batched_around) == corroboration.neighbourhood(loaded, some)
        assert batched_around == corroboration.derive_around(loaded, neighbourhood_of=some, clusters_of=())
        assert corroboration.neighbourhood(loaded, some) == corroboration.neighbourhood(
            _WorkspaceGraph(connection), some
        )
        assert corroboration.clusters(loaded, some) == corroboration.clusters(_WorkspaceGraph(connection), some)
    engine.dispose()


@pytest.mark.parametrize("seed", range(4))
def test_writing_in_bulk_writes_what_the_row_by_row_write_does(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    engines = [_workspace(tmp_path / f"{name}.sqlite", random.Random(seed)) for name in ("bulk", "rows")]
    some = set(rng.sample(range(1, CLAIMS + 1), 60))  # some claims only: the others keep their scrambled columns
    with db.write_connection(engines[0]) as connection:
        loaded = LoadedGraph(connection)
        changed = write_in_bulk(
            connection, loaded, corroboration.statuses_around(loaded, neighbourhood_of=(), clusters_of=(), alone=some)
        )
    with db.write_connection(engines[1]) as connection:
        expected = status.write_derived(connection, corroboration.derive_many(_WorkspaceGraph(connection), some))
    assert changed == len(expected) > 0
    stored = []
    for engine in engines:
        with engine.connect() as connection:
            stored.append(connection.exec_driver_sql(_DERIVED).all())
            assert connection.exec_driver_sql("SELECT name FROM temp.sqlite_master").all() == []
        engine.dispose()
    assert stored[0] == stored[1]


@pytest.mark.parametrize("seed", range(6))
def test_a_graph_brought_up_to_date_answers_as_one_read_afresh(tmp_path: Path, seed: int) -> None:
    """What the as-of patch does with the graph it read before writing: the pairs and claims its writes
    touched read again and applied; the rest of the graph is as it was."""
    rng = random.Random(seed)
    engine = _workspace(tmp_path / "w.sqlite", rng)
    with db.write_connection(engine) as connection:
        loaded = LoadedGraph(connection)
        links = connection.exec_driver_sql("SELECT id, from_id, to_id FROM link").all()
        pairs = set()
        for link, a, b in rng.sample(links, 25):
            pairs.add((a, b))
            if rng.random() < 0.5:
                connection.exec_driver_sql("DELETE FROM link WHERE id = ?", (link,))
            else:
                relation = rng.choice(("repeats", "corroborates", "contradicts", "neutral"))
                connection.exec_driver_sql("UPDATE link SET relation = ? WHERE id = ?", (relation, link))
        a, b = rng.sample(range(1, CLAIMS + 1), 2)  # a judgement on a pair that had none
        connection.exec_driver_sql(
            "INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded, effective, disputed) "
            "VALUES (?, ?, 'repeats', '', 'anna', '2022-12-01 00:00:00.000000', 1, 0)",
            (a, b),
        )
        pairs.add((b, a))
        refresh_pairs(connection, pairs)
        claims = set(rng.sample(range(1, CLAIMS + 1), 20))
        for claim in claims:
            connection.exec_driver_sql(
                "UPDATE claim SET source_id = ?, verdict = ? WHERE id = ?",
                (rng.randint(1, 10), rng.choice([None, "confirmed", "refuted"]), claim),
            )
        gone = rng.choice(sorted(claims))
        pairs |= set(connection.exec_driver_sql("SELECT from_id, to_id FROM link WHERE ? IN (from_id, to_id)", (gone,)))
        connection.exec_driver_sql("DELETE FROM link WHERE ? IN (from_id, to_id)", (gone,))
        connection.exec_driver_sql("DELETE FROM claim WHERE id = ?", (gone,))
        connection.exec_driver_sql("UPDATE source SET side = 'other side', group_label = 'g9' WHERE id = 3")
        loaded.apply(read_changes(connection, pairs, claims))
        fresh = LoadedGraph(connection)
    for c in range(1, CLAIMS + 1):
        assert loaded.has_claim(c) == fresh.has_claim(c)
        if fresh.has_claim(c):
            assert loaded.source_of(c) == fresh.source_of(c)
            assert loaded.verdict(c) == fresh.verdict(c)
            assert loaded.link_count(c) == fresh.link_count(c)
        assert sorted(loaded.repeats_of(c)) == sorted(fresh.repeats_of(c))
        assert sorted(loaded.repeated_by(c)) == sorted(fresh.repeated_by(c))
        assert _refs(loaded.evidence_links(c)) == _refs(fresh.evidence_links(c))
    assert [loaded.source_side_group(s) for s in range(1, 11)] == [fresh.source_side_group(s) for s in range(1, 11)]
    engine.dispose()


@pytest.mark.parametrize("seed", range(6))
def test_statuses_after_changes_are_those_of_the_wider_neighbourhood(tmp_path: Path, seed: int) -> None:
    """``statuses_after`` leaves out the evidence neighbours of a moved cluster whose summary stands: the
    statuses it derives are those ``statuses_around`` derives, and every status it leaves out stands as
    it was before the changes."""
    rng = random.Random(seed)
    engine = _workspace(tmp_path / "w.sqlite", rng)
    with db.write_connection(engine) as connection:
        before = LoadedGraph(connection)
        then = corroboration.statuses_around(before, neighbourhood_of=(), clusters_of=(), alone=range(1, CLAIMS + 1))
        repeats = connection.exec_driver_sql("SELECT id, from_id, to_id FROM link WHERE relation = 'repeats'").all()
        moved = set()
        for link, a, b in rng.sample(repeats, min(6, len(repeats))):
            connection.exec_driver_sql("DELETE FROM link WHERE id = ?", (link,))
            moved |= {a, b}
        refresh_pairs(connection, {(a, b) for _link, a, b in repeats})
        summaries = corroboration.cluster_summaries(before, moved)
        after = LoadedGraph(connection)
        narrow = corroboration.statuses_after(after, moved=moved, before=summaries, clusters_of=())
        wide = corroboration.statuses_around(after, neighbourhood_of=moved, clusters_of=())
        now = corroboration.statuses_around(after, neighbourhood_of=(), clusters_of=(), alone=range(1, CLAIMS + 1))
    assert set(narrow) <= set(wide)
    assert all(narrow[c] == wide[c] for c in narrow)
    assert all(now[c] == then[c] for c in now if c not in narrow)
    engine.dispose()
