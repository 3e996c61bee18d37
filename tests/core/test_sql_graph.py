"""``SqlGraph`` (the engine's graph over a workspace) derives what the in-memory graph derives, batched or not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from desktop.core import corroboration
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.store.status import load_memory_graph
from tests.core._sql_workspaces import random_workspace


class OneByOne(SqlGraph):
    """The same graph without ``prefetch``: every question its own query, as before batching."""

    def prefetch(self, claims: object) -> None:  # type: ignore[override]
        return None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batched_and_single_queries_and_memory_agree(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    engine = random_workspace(tmp_path / "w.sqlite", rng, sources=12, claims=120, pairs=160)
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
