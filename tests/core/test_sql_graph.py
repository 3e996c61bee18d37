"""``SqlGraph`` (the engine's graph over a workspace) derives what the in-memory graph derives, batched or not."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from desktop.core import corroboration, db
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.store.status import load_memory_graph

RELATIONS = ("repeats", "repeats", "corroborates", "contradicts", "neutral")


class OneByOne(SqlGraph):
    """The same graph without ``prefetch``: every question its own query, as before batching."""

    def prefetch(self, claims: object) -> None:  # type: ignore[override]
        return None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batched_and_single_queries_and_memory_agree(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    engine = db.make_engine("sqlite:///" + str(tmp_path / "w.sqlite"))
    db.upgrade(engine)
    recorded = dt.datetime(2022, 12, 1, tzinfo=dt.UTC)
    with db.write_connection(engine) as connection:
        for s in range(12):
            connection.execute(
                sa.text("INSERT INTO source (ext_id, name, aliases, kind, side, group_label, reliability, notes) "
                        "VALUES (:e, :e, '[]', 'other', :side, :g, 'F', '')"),
                {"e": f"s{s}", "side": rng.choice(["russia", "ukraine", ""]), "g": rng.choice(["", "g1", "g2"])},
            )  # fmt: skip
        for c in range(120):
            connection.execute(
                sa.text("INSERT INTO claim (ext_id, text, source_id, kind, reviewed, tags, notes, recorded, "
                        "sort_date, status, suggested_credibility, verdict_disputed, link_count) VALUES "
                        "(:e, 'x', :s, 'event', 0, '[]', '', :r, '2022-12-01', 'unverified', 6, 0, 0)"),
                {"e": f"c{c}", "s": rng.randint(1, 12), "r": recorded},
            )  # fmt: skip
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 160:
            a, b = rng.sample(range(1, 121), 2)
            if (b, a) not in pairs:
                pairs.add((a, b))
        for a, b in sorted(pairs):
            connection.execute(
                sa.text("INSERT INTO link (from_id, to_id, relation, rationale, analyst, recorded, effective, "
                        "disputed) VALUES (:a, :b, :r, '', 'x', :t, 1, 0)"),
                {"a": a, "b": b, "r": rng.choice(RELATIONS), "t": recorded},
            )  # fmt: skip
    claims = set(range(1, 121))
    some = set(rng.sample(sorted(claims), 10))
    with engine.connect() as connection:
        memory = corroboration.derive_all(load_memory_graph(connection))
        batched = corroboration.derive_many(SqlGraph(connection), claims)
        single = corroboration.derive_many(OneByOne(connection), claims)
        assert batched == single == {c: memory[c] for c in claims}
        assert corroboration.neighbourhood(SqlGraph(connection), some) == corroboration.neighbourhood(
            OneByOne(connection), some
        )
    engine.dispose()
