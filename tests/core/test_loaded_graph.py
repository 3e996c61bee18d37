"""``LoadedGraph`` (the workspace's graph read whole, for the as-of replay) answers and derives as the batched
SQL graph does, and ``write_in_bulk`` writes what ``status.write_derived`` writes — on random workspaces."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from desktop.core import corroboration, db
from desktop.core.store import status
from desktop.core.store.bulk_derive import _WorkspaceGraph
from desktop.core.store.links import refresh_all_pairs
from desktop.core.store.loaded_graph import LoadedGraph, write_in_bulk

RELATIONS = ("repeats", "repeats", "corroborates", "contradicts", "neutral")
STATUSES = ("unverified", "corroborated", "contested")
CLAIMS = 150


def _workspace(path: Path, rng: random.Random) -> Any:
    """Sources with sides and groups, claims with and without verdicts, pairs judged by one to three analysts
    (so some judgements are not the effective one), stored statuses scrambled."""
    engine = db.make_engine("sqlite:///" + str(path))
    db.upgrade(engine)
    recorded = dt.datetime(2022, 12, 1, tzinfo=dt.UTC)
    with db.write_connection(engine) as connection:
        for s in range(10):
            connection.execute(
                sa.text("INSERT INTO source (ext_id, name, aliases, kind, side, group_label, reliability, notes) "
                        "VALUES (:e, :e, '[]', 'other', :side, :g, 'F', '')"),
                {"e": f"s{s}", "side": rng.choice(["russia", "ukraine", "", "Russia "]), "g": rng.choice(["", "g1"])},
            )  # fmt: skip
        for c in range(CLAIMS):
            connection.execute(
                sa.text("INSERT INTO claim (ext_id, text, source_id, kind, reviewed, tags, notes, recorded, verdict, "
                        "sort_date, status, suggested_credibility, verdict_disputed, link_count) VALUES "
                        "(:e, 'x', :s, 'event', 0, '[]', '', :r, :v, '2022-12-01', :st, 6, :d, :n)"),
                {"e": f"c{c}", "s": rng.randint(1, 10), "r": recorded, "st": rng.choice(STATUSES),
                 "v": rng.choice([None, None, "confirmed", "refuted", "inconclusive"]), "d": rng.randint(0, 1),
                 "n": rng.randint(0, 3)},
            )  # fmt: skip
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 200:
            a, b = rng.sample(range(1, CLAIMS + 1), 2)
            if (b, a) not in pairs:
                pairs.add((a, b))
        for a, b in sorted(pairs):
            for analyst in rng.sample(["anna", "boris", "chen"], rng.randint(1, 3)):
                ends = (a, b) if rng.random() < 0.7 else (b, a)
                connection.execute(
                    sa.text("INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded, effective, "
                            "disputed) VALUES (:a, :b, :r, '', :who, :t, 1, 0)"),
                    {"a": ends[0], "b": ends[1], "r": rng.choice(RELATIONS), "who": analyst,
                     "t": recorded + dt.timedelta(hours=rng.randint(0, 3))},
                )  # fmt: skip
        refresh_all_pairs(connection)
    return engine


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
            connection, loaded, corroboration.derive_around(loaded, neighbourhood_of=(), clusters_of=(), alone=some)
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
