"""Shared test set-up: offscreen Qt, and one fresh workspace database per test.

Building the sample workspace (migrations + import + full derivation) once per
session and copying the file for each test keeps the suite fast (Anki's trick),
while every test still gets its own database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

# Must be set before any QApplication exists (docs/architecture.md, known traps); harmless for core tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CROSSCHECK_ANALYST"] = "tester"

import pytest  # noqa: E402

from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace, open_workspace  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="run the reliability families in full (many more trials and cases; minutes, not seconds)",
    )


@pytest.fixture
def long_run(request: pytest.FixtureRequest) -> bool:
    """True under ``--runslow``: the reliability families run their full rounds."""
    return bool(request.config.getoption("--runslow"))


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real default workspace or the real QSettings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("CROSSCHECK_DB", raising=False)


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.sqlite"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    """An empty, migrated workspace in its own SQLite file."""
    opened = open_workspace(str(workspace_path))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desktop.core.interchange import import_json

    path = tmp_path_factory.mktemp("template") / "sample.sqlite"
    built = open_workspace(str(path))
    import_json(built.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
    # Fold the WAL into the main file so a plain copy of the closed file is complete.
    with built.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    built.close()
    return path


@pytest.fixture
def sample_workspace(_sample_template: Path, workspace_path: Path) -> Iterator[Workspace]:
    """The sample workspace of the reference report, in its own SQLite file."""
    shutil.copyfile(_sample_template, workspace_path)  # the template is closed: a file copy is safe
    opened = open_workspace(str(workspace_path))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for the whole session (admin URL)."""
    import tempfile

    from tests.postgres_server import running_server

    # Not under pytest's temp tree: that is private to root, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="crosscheck-pg-"))
    try:
        with running_server(base) as url:
            yield url
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    from tests.postgres_server import fresh_database

    return fresh_database(postgres_server)


@pytest.fixture
def pg_sample(postgres_url: str) -> Iterator[Workspace]:
    """The sample workspace imported into a fresh PostgreSQL database (analyst "ana")."""
    from desktop.core.interchange import import_json

    opened = open_workspace(postgres_url, analyst="ana")
    import_json(opened.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
    yield opened
    opened.close()


@pytest.fixture
def sample_ids(sample_workspace: Workspace) -> dict[str, int]:
    """Interchange id → internal id of every sample claim (tests speak in the sample's ids)."""
    with sample_workspace.engine.connect() as connection:
        return {e: i for i, e in connection.exec_driver_sql("SELECT id, ext_id FROM claim").all()}
