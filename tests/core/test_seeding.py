"""The default workspace's first start: seeded whole or not at all, and a later start still seeds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.core import db, seeding
from desktop.core.errors import UserError
from desktop.core.workspace import GAZETTEER, SAMPLE_WORKSPACE, open_workspace


def _claims_and_places(location: str | None = None) -> tuple[int, int]:
    opened = open_workspace(location)
    try:
        with opened.engine.connect() as connection:
            claims = connection.exec_driver_sql("SELECT count(*) FROM claim").scalar_one()
            places = connection.exec_driver_sql("SELECT count(*) FROM place").scalar_one()
        return claims, places
    finally:
        opened.close()


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir()) if path.parent.exists() else []


def test_the_seed_is_the_sample_plus_the_gazetteer_places_it_lacks() -> None:
    sample = json.loads(SAMPLE_WORKSPACE.read_bytes())
    gazetteer = json.loads(GAZETTEER.read_bytes())
    document = seeding.seed_document()
    ids = [p["id"] for p in document["places"]]
    assert len(ids) == len(set(ids))
    assert document["claims"] == sample["claims"]
    assert {p["id"] for p in sample["places"]} <= set(ids)
    # Bakhmut is in both; the gazetteer's copy is not added a second time.
    assert "gz-bakhmut" not in ids and "gz-kramatorsk" in ids
    # Two villages are called Opytne: the sample's is the one near Bakhmut; the other one is added.
    assert "pl-opytne" in ids and "gz-opytne-avdiivka" in ids and "gz-opytne-bakhmut" not in ids
    assert len(sample["places"]) < len(ids) < len(sample["places"]) + len(gazetteer)


def test_the_first_start_leaves_only_the_finished_workspace() -> None:
    path = db.default_workspace_path()
    claims, places = _claims_and_places()
    assert claims == len(json.loads(SAMPLE_WORKSPACE.read_bytes())["claims"])
    assert places == len(seeding.seed_document()["places"])
    assert [n for n in _beside(path) if n.startswith(".")] == []  # nothing built aside is left


def test_a_failed_first_start_leaves_nothing_and_the_next_start_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    path = db.default_workspace_path()

    def broken(engine: object) -> None:
        raise UserError("disk full (simulated)")

    with monkeypatch.context() as patch:
        patch.setattr(seeding, "seed", broken)
        with pytest.raises(UserError, match="simulated"):
            open_workspace()
    assert not path.exists()
    assert _beside(path) == []  # the folder may stay; nothing half-made in it
    claims, _ = _claims_and_places()
    assert claims > 0


def test_a_first_start_killed_mid_seed_leaves_no_workspace_and_the_next_start_seeds_and_tidies() -> None:
    """A process killed between the migration and the import (SIGKILL: no clean-up runs) leaves no workspace."""
    script = textwrap.dedent(
        """
        import os, signal
        from desktop.core import seeding, workspace
        def killed(engine):
            os.kill(os.getpid(), signal.SIGKILL)
        seeding.seed = killed
        workspace.open_workspace()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2], env=os.environ.copy())
    assert done.returncode == -signal.SIGKILL
    path = db.default_workspace_path()
    assert not path.exists()
    assert any(name.startswith(f".{path.name}.seeding-") for name in _beside(path))  # the killed start's leftover
    claims, _ = _claims_and_places()
    assert claims > 0
    assert [n for n in _beside(path) if n.startswith(".")] == []


def test_an_empty_default_workspace_left_by_an_older_version_is_seeded() -> None:
    """Before the seed was built aside, a failed first start left a migrated, empty default workspace."""
    path = db.default_workspace_path()
    left = open_workspace(str(path))  # a named open: migrated, never seeded
    left.close()
    claims, _ = _claims_and_places()
    assert claims > 0


def test_a_default_workspace_emptied_by_its_analyst_stays_empty() -> None:
    opened = open_workspace()
    with opened.engine.begin() as connection:  # an analyst who deleted everything: the audit trail says so
        connection.exec_driver_sql("DELETE FROM link")
        connection.exec_driver_sql("DELETE FROM claim_place")
        connection.exec_driver_sql("DELETE FROM outreach_claim")
        connection.exec_driver_sql("DELETE FROM claim")
    opened.close()
    assert _claims_and_places()[0] == 0


def test_a_reading_open_of_a_missing_path_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "workspace.sqlite"
    with pytest.raises(UserError, match="no workspace at"):
        open_workspace(str(missing), create=False)
    assert not missing.parent.exists()
    with pytest.raises(UserError, match="is a folder"):
        open_workspace(str(tmp_path), create=False)
