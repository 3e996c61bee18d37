"""Opening workspaces: pragmas, migrations from empty, backup first, the newer-version refusal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from desktop.core import db
from desktop.core.workspace import Workspace, open_workspace


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(workspace: Workspace) -> None:
    with workspace.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": db.BUSY_TIMEOUT_MS, "synchronous": 1}


def test_an_empty_file_is_migrated_to_the_newest_schema(workspace_path: Path) -> None:
    opened = open_workspace(str(workspace_path))
    _, head = db.known_revisions()
    assert opened.upgrade.previous is None and opened.upgrade.current == head
    with opened.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        assert db.current_revision(connection) == head
    assert {"source", "report", "place", "place_alias", "claim", "claim_place", "link", "outreach", "audit"} <= tables
    opened.close()


def test_the_revisions_read_from_the_files_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db._alembic_config())
    known, head = db.known_revisions()
    assert head == script.get_current_head()
    assert known == {revision.revision for revision in script.walk_revisions()}


def test_reopening_a_current_workspace_does_not_load_alembic(workspace: Workspace) -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from desktop.core.workspace import open_workspace; "
        f"open_workspace({str(db.sqlite_path(workspace.engine))!r}).close(); "
        "print('alembic' in sys.modules)"
    )
    workspace.close()
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_reopening_a_current_workspace_takes_no_backup(workspace: Workspace) -> None:
    assert db.upgrade(workspace.engine).backup is None


def test_a_workspace_from_a_newer_version_is_refused_untouched(workspace: Workspace, workspace_path: Path) -> None:
    with db.write_connection(workspace.engine) as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'from-the-future'")
    workspace.close()
    before = workspace_path.read_bytes()
    with pytest.raises(db.NewerWorkspaceError, match="newer version of Crosscheck"):
        open_workspace(str(workspace_path))
    assert workspace_path.read_bytes() == before


def test_an_older_workspace_is_backed_up_online_before_migrating(workspace: Workspace, workspace_path: Path) -> None:
    """Roll the schema back one step with data in it, then reopen: a verified backup appears first."""
    from alembic import command

    source = workspace.store.create_source("Rybar").value
    workspace.store.create_claim("A claim that must survive", source)
    with workspace.engine.connect() as connection, connection.begin():
        command.downgrade(db._alembic_config(connection), "-1")
    workspace.close()

    reopened = open_workspace(str(workspace_path))
    backup = reopened.upgrade.backup
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT text FROM claim").fetchall() == [("A claim that must survive",)]
    assert reopened.is_empty() is False
    reopened.close()


def test_a_failing_migration_leaves_the_database_as_it_was(
    workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migrations run in one transaction: a failure half-way rolls every step back."""
    from alembic import command

    real_upgrade = command.upgrade

    def upgrade_then_fail(config: object, revision: str) -> None:
        real_upgrade(config, revision)  # type: ignore[arg-type]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    engine = db.make_engine(db.resolve_location(str(workspace_path)))
    with pytest.raises(RuntimeError, match="disk on fire"):
        db.upgrade(engine)
    with engine.connect() as connection:
        assert sa.inspect(connection).get_table_names() == []
    engine.dispose()


def test_online_backup_is_a_complete_consistent_copy_while_open(workspace: Workspace, tmp_path: Path) -> None:
    source = workspace.store.create_source("ISW").value
    for n in range(50):
        workspace.store.create_claim(f"claim {n}", source)
    target = db.backup(workspace.engine, tmp_path / "copy.sqlite")
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM claim").fetchone() == (50,)
    assert not (tmp_path / "copy.sqlite.partial").exists()


def test_backup_refuses_to_overwrite_the_workspace_itself(workspace: Workspace, workspace_path: Path) -> None:
    with pytest.raises(db.UserError, match="must not be the workspace"):
        db.backup(workspace.engine, workspace_path)


def test_a_fresh_workspace_has_no_integrity_problems(workspace: Workspace) -> None:
    assert db.integrity_problems(workspace.engine) == []


def test_the_default_workspace_is_seeded_with_the_sample() -> None:
    opened = open_workspace()
    try:
        assert db.sqlite_path(opened.engine) == db.default_workspace_path()
        assert not opened.is_empty()
    finally:
        opened.close()


def test_a_named_new_workspace_starts_empty(workspace: Workspace) -> None:
    assert workspace.is_empty()
