"""Several processes writing links at once, on SQLite and on PostgreSQL: nothing lost, nothing stale.

Each trial builds a small, densely linked workspace (sources on two sides, a
shared group, so that repeats and independence matter), lets several writer
processes mark and remove links on random pairs in random directions at the
same moment, and then checks what a serial history would guarantee: ``check``
is clean, the stored statuses equal a full re-derivation, no pair of claims
carries links in both directions, and the export imports again. No writer may
see a raw database error (a ``UniqueViolation`` on PostgreSQL was one).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.workspace import open_workspace
from tests.reliability.harness import Rounds, assert_sound, run_writers


def _seed(url: str) -> None:
    workspace = open_workspace(url)
    try:
        store = workspace.store
        rybar = store.create_source("Rybar", kind="telegram-channel", side="russia", group_label="rybar-network").value
        grey = store.create_source(
            "Grey Zone", kind="telegram-channel", side="russia", group_label="rybar-network"
        ).value
        staff = store.create_source("General Staff", kind="government", side="ukraine").value
        isw = store.create_source("ISW", kind="think-tank").value
        for i, source in enumerate([rybar, grey, staff, isw, rybar, staff, isw]):
            store.create_claim(f"claim {i}", source, ext_id=f"c-{i}")
    finally:
        workspace.close()


@pytest.fixture
def rounds(long_run: bool) -> Rounds:
    return Rounds(trials=12, processes=4, operations=100) if long_run else Rounds(trials=3, processes=2, operations=40)


def _family(make_url: Callable[[int], str], rounds: Rounds, tmp_path: Path) -> None:
    for trial in range(rounds.trials):
        url = make_url(trial)
        _seed(url)
        summaries = run_writers(url, rounds, seed=trial)
        assert sum(s["done"] for s in summaries) > 0
        assert_sound(url, tmp_path)


@pytest.mark.postgres
def test_concurrent_link_writers_on_postgresql_leave_a_sound_workspace(
    postgres_server: str, rounds: Rounds, tmp_path: Path
) -> None:
    from tests.postgres_server import fresh_database

    _family(lambda _trial: fresh_database(postgres_server), rounds, tmp_path)


def test_concurrent_link_writers_on_sqlite_leave_a_sound_workspace(rounds: Rounds, tmp_path: Path) -> None:
    _family(lambda trial: str(tmp_path / f"trial-{trial}.sqlite"), rounds, tmp_path)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_processes_opening_a_new_workspace_at_once_create_it_once(
    backend: str, request: pytest.FixtureRequest, long_run: bool, tmp_path: Path
) -> None:
    """The second opener waits for the first one's migration instead of failing on existing tables."""
    from tests.postgres_server import fresh_database

    for trial in range(6 if long_run else 2):
        if backend == "postgresql":
            url = fresh_database(request.getfixturevalue("postgres_server"))
        else:
            url = str(tmp_path / f"new-{trial}.sqlite")
        run_writers(url, Rounds(trials=1, processes=3, operations=0), seed=trial)
        workspace = open_workspace(url)
        try:
            assert workspace.is_empty()
        finally:
            workspace.close()
