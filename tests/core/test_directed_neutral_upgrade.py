"""Upgrading to directed neutral (docs/status-rules.md, rule 4): stale statuses reported, the migration re-derives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop.core import db
from desktop.core.store import status
from desktop.core.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[2]


def _stored(workspace: Workspace, ext_id: str) -> str:
    with workspace.engine.connect() as connection:
        return str(connection.exec_driver_sql("SELECT status FROM claim WHERE ext_id = ?", (ext_id,)).scalar_one())


def _write_the_old_rule(workspace: Workspace) -> None:
    """What an older Crosscheck stored: the think tank's own non-call counted as neutral on it."""
    with db.write_connection(workspace.engine) as connection:
        connection.exec_driver_sql(
            "UPDATE claim SET status = 'unconfirmed', suggested_credibility = 3 WHERE ext_id = 'c-isw-noncommittal'"
        )


def test_the_sample_think_tank_statement_gains_nothing_from_its_own_neutral(sample_workspace: Workspace) -> None:
    assert _stored(sample_workspace, "c-isw-noncommittal") == "unverified"
    assert _stored(sample_workspace, "c-mb-eastern-outskirts") != "unverified"


def test_check_reports_statuses_stored_under_the_old_rule(sample_workspace: Workspace, workspace_path: Path) -> None:
    _write_the_old_rule(sample_workspace)
    sample_workspace.close()
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(workspace_path), "check"], cwd=ROOT, capture_output=True, timeout=120
    )
    assert result.returncode == 1
    assert b"claim c-isw-noncommittal: stored status disagrees with a fresh derivation" in result.stdout


def test_the_migration_rederives_every_status(sample_workspace: Workspace, workspace_path: Path) -> None:
    from alembic import command

    with sample_workspace.engine.connect() as connection, connection.begin():
        command.downgrade(db._alembic_config(connection), "0003")
    _write_the_old_rule(sample_workspace)
    audit_rows = _audit_count(sample_workspace)
    sample_workspace.close()

    reopened = open_workspace(str(workspace_path))
    try:
        assert reopened.upgrade.previous == "0003"
        assert _stored(reopened, "c-isw-noncommittal") == "unverified"
        with reopened.engine.connect() as connection, connection.begin():
            assert status.stale_claims(connection) == []
        assert _audit_count(reopened) == audit_rows  # derived columns are not the analysts' data
    finally:
        reopened.close()


def _audit_count(workspace: Workspace) -> int:
    with workspace.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM audit").scalar_one())
