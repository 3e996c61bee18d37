"""Malformed interchange documents are refused, never raised: JSON paths, exit 1, nothing written.

The sample document is mutated at every place (``mutations``) and each result
imported, into an empty workspace and into the sample workspace (where ids and
references are looked up in the database). Whatever the document, the import
either succeeds or raises ``ImportErrors`` whose every problem has a JSON path
and prints as UTF-8; a refused import leaves every table as it was. A few
rounds run in the ordinary suite; ``--runslow`` runs all ~17,000 mutations.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.core.interchange import ImportErrors, import_json
from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace, open_workspace
from tests.reliability.harness import ROOT
from tests.reliability.mutations import DEEP, sampled

_TABLES = ("source", "report", "place", "place_alias", "claim", "claim_place", "link", "outreach", "audit")


def _counts(workspace: Workspace) -> dict[str, int]:
    with workspace.engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in _TABLES}


def _assert_refused_cleanly(workspace: Workspace, document: str, what: str) -> bool:
    """Import ``document``; True if it was imported, False if refused as it must be; fails on anything else."""
    before = _counts(workspace)
    try:
        import_json(workspace.engine, document.encode("ascii"), analyst="tester")
    except ImportErrors as refused:
        assert refused.errors, what
        for problem in refused.errors:
            assert problem.path.startswith("$"), f"{what}: {problem}"
            str(problem).encode("utf-8")  # printable: no lone surrogate survives into a message
            assert len(str(problem)) < 2_000, f"{what}: an unbounded message"
        str(refused).encode("utf-8")
        assert _counts(workspace) == before, f"{what}: a refused import wrote something"
        return False
    except Exception as exc:  # noqa: BLE001 — the point: nothing else may escape
        pytest.fail(f"{what}: the import raised {type(exc).__name__}: {ascii(str(exc))[:300]}")
    return True


@pytest.mark.parametrize("target", ["empty", "sample"])
def test_every_mutation_of_the_sample_is_imported_or_refused_with_paths(
    target: str, long_run: bool, tmp_path: Path, _sample_template: Path
) -> None:
    document = json.loads(SAMPLE_WORKSPACE.read_text(encoding="utf-8"))
    template = tmp_path / "template.sqlite"
    if target == "sample":
        shutil.copyfile(_sample_template, template)
    else:
        open_workspace(str(template)).close()
    path = tmp_path / "target.sqlite"
    shutil.copyfile(template, path)
    workspace = open_workspace(str(path))
    try:
        for mutation in sampled(document, None if long_run else 150, seed=8 if target == "empty" else 9):
            if _assert_refused_cleanly(workspace, mutation.text(), str(mutation)):
                workspace.close()  # a valid document went in: start again from the untouched workspace
                shutil.copyfile(template, path)
                for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    extra.unlink(missing_ok=True)
                workspace = open_workspace(str(path))
    finally:
        workspace.close()


def _sample_with(change: str) -> str:
    document = json.loads(SAMPLE_WORKSPACE.read_text(encoding="utf-8"))
    if change == "enum-array":
        document["claims"][0]["kind"] = ["event"]
    elif change == "surrogate-id":
        document["claims"][0]["id"] = "c-\ud800"
    elif change == "surrogate-reference":
        document["links"][0]["to"] = "\udc00"
    elif change == "surrogate-key":
        document["sources"][0]["\ud800"] = "x"
    elif change == "surrogate-format":
        document["format"] = "\udfff"
    elif change == "deep":
        document["claims"] = "DEEP"
        return json.dumps(document).replace('"DEEP"', "[" * DEEP + "]" * DEEP)
    return json.dumps(document)


@pytest.mark.parametrize(
    "change", ["enum-array", "deep", "surrogate-id", "surrogate-reference", "surrogate-key", "surrogate-format"]
)
def test_the_command_line_refuses_a_hostile_document_with_paths_and_exit_1(
    change: str, sample_workspace: Workspace, tmp_path: Path
) -> None:
    """Into a workspace that already holds the sample, so ids and references are looked up in the database."""
    document = tmp_path / "hostile.json"
    document.write_text(_sample_with(change), encoding="ascii")
    before = _counts(sample_workspace)
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(sample_workspace.engine.url.database), "import", str(document)],
        cwd=ROOT,
        capture_output=True,
    )
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8")
    assert stderr.startswith("crosscheck: error: nothing imported") and stderr.count("\n") == 1, stderr
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines and all(line.startswith("$") for line in lines), lines
    assert _counts(sample_workspace) == before


def test_a_refused_import_to_a_new_path_leaves_no_workspace_there(tmp_path: Path) -> None:
    """Nothing imported, nothing made: a mistyped --db path does not become an empty workspace."""
    document = tmp_path / "hostile.json"
    document.write_text(_sample_with("enum-array"), encoding="ascii")
    target = tmp_path / "new.sqlite"
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(target), "import", str(document)],
        cwd=ROOT,
        capture_output=True,
    )
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.json"]
