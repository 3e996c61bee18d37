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
from desktop.core.store.loaded_graph import LoadedGraph, write_in_bulk
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
