"""The benchmark's own PostgreSQL server and its cached, loaded workspaces (``bench.scale_postgres``).

Like the test session (``tests/postgres_server.py``), the benchmark runs a
throw-away server of the machine's PostgreSQL binaries, loopback only, trust
auth, as the ``postgres`` system user when run as root. Unlike the tests it keeps
its cluster: ``bench/cache/pg-v<GENERATOR>-<size>-<schema>/`` holds the data
directory with the workspace already loaded (``bench.pg_load``), so a run starts
the server on it in a second instead of loading a million claims again. The
server's settings are PostgreSQL's defaults except: ``fsync``/``full_page_writes``
off (as in the tests: nothing here measures durability), and a larger
``maintenance_work_mem`` for building indexes after the load.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.postgres_server import _free_port, find_bin

SETTINGS = ("-c fsync=off", "-c full_page_writes=off", "-c maintenance_work_mem=512MB", "-c max_connections=50")


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(*command: str) -> None:
    done = subprocess.run([*_as_postgres(), *command], capture_output=True, text=True, env=_env(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout.strip()}")


def _env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"}


def initdb(cluster: Path) -> None:
    """A new, empty cluster in ``cluster`` (replacing whatever was there)."""
    initdb_bin = find_bin("initdb")
    if initdb_bin is None:
        raise RuntimeError("PostgreSQL server binaries not found (scripts/setup.sh --test installs them)")
    shutil.rmtree(cluster, ignore_errors=True)
    cluster.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(cluster, "postgres", "postgres")
    _run(initdb_bin, "-D", str(cluster / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8")


@contextmanager
def running(cluster: Path) -> Iterator[str]:
    """The server of ``cluster`` started for the block; yields its admin URL (database ``postgres``)."""
    pg_ctl = find_bin("pg_ctl")
    assert pg_ctl is not None
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {cluster} " + " ".join(SETTINGS)
    _run(pg_ctl, "-D", str(cluster / "data"), "-o", options, "-l", str(cluster / "log"), "-w", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        _run(pg_ctl, "-D", str(cluster / "data"), "-m", "fast", "-w", "stop")


def database_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name
