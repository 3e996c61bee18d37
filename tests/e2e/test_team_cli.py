"""Several analysts on one workspace, from the command line: judgements, ``status --analyst``,
disagreements, and version 2 of the interchange format (DESIGN §2–§4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e.test_cli import FIXTURE, run, statuses

SECOND_OPINION = {
    "format": "crosscheck-workspace",
    "version": 2,
    "links": [
        {"from": "c-ru", "to": "c-ua", "relation": "contradicts", "rationale": "not the same village",
         "analyst": "boris", "recorded": "2022-12-15T12:00:00Z"},
        {"from": "c-state-1", "to": "c-late", "relation": "neutral", "analyst": "anna",
         "recorded": "2022-12-16T10:00:00Z"},
        {"from": "c-late", "to": "c-state-1", "relation": "neutral", "analyst": "boris",
         "recorded": "2022-12-16T10:00:00Z"},
    ],
}  # fmt: skip


def _workspace(tmp_path: Path) -> str:
    db = str(tmp_path / "team.sqlite")
    assert run(tmp_path, "--db", db, "import", str(FIXTURE)).returncode == 0
    opinion = tmp_path / "opinion.json"
    opinion.write_text(json.dumps(SECOND_OPINION))
    result = run(tmp_path, "--db", db, "import", str(opinion))
    assert result.returncode == 0, result.stderr
    return db


def test_status_uses_the_latest_judgement_and_lists_disagreements(tmp_path: Path) -> None:
    rows = statuses(tmp_path, _workspace(tmp_path))
    # ana corroborated c-ua–c-ru at 10:00, boris contradicted at 12:00: his is the effective link.
    assert rows["c-ru"]["status"] == "contradicted" and rows["c-ru"]["contradictors"] == ["c-ua"]
    assert rows["c-ru"]["disagreements"] == ["c-ua"] and rows["c-ua"]["disagreements"] == ["c-ru"]
    # neutral in opposite directions is a disagreement; the tie at 10:00 goes to "boris" (sorts last):
    # c-late → c-state-1 neutral, evidence on c-state-1 only.
    assert rows["c-state-1"]["disagreements"] == ["c-late"] and rows["c-late"]["disagreements"] == ["c-state-1"]
    assert rows["c-state-1"]["neutral"] == ["c-late"]


def test_status_as_one_analyst_derives_over_their_judgements_alone(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    as_ana = statuses(tmp_path, db, "--analyst", "ana")
    assert as_ana["c-ru"]["status"] == "corroborated" and as_ana["c-ru"]["supporters"] == ["c-ua"]
    as_anna = statuses(tmp_path, db, "--analyst", "anna")
    assert as_anna["c-late"]["neutral"] == ["c-state-1"] and as_anna["c-ru"]["status"] == "unverified"
    result = run(tmp_path, "--db", db, "status", "--json", "--analyst", "nobody")
    assert result.returncode == 0 and "has no judgements here" in result.stderr.decode()
    assert {row["status"] for row in json.loads(result.stdout)} == {"unverified"}


def test_export_is_version_2_with_every_judgement_and_round_trips(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    first = run(tmp_path, "--db", db, "export")
    assert first.returncode == 0
    doc: dict[str, Any] = json.loads(first.stdout)
    assert doc["version"] == 2
    assert sorted(link["analyst"] for link in doc["links"]) == ["ana", "ana", "anna", "boris", "boris"]
    copy = tmp_path / "copy.json"
    copy.write_bytes(first.stdout)
    other = str(tmp_path / "other.sqlite")
    assert run(tmp_path, "--db", other, "import", str(copy)).returncode == 0
    assert run(tmp_path, "--db", other, "export").stdout == first.stdout
    assert run(tmp_path, "--db", other, "check").returncode == 0


def test_two_judgements_of_one_analyst_on_one_pair_are_refused_with_their_path(tmp_path: Path) -> None:
    doc = json.loads(FIXTURE.read_text())
    doc["links"].append({"from": "c-ru", "to": "c-ua", "relation": "neutral", "analyst": "ana"})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    result = run(tmp_path, "--db", str(tmp_path / "w.sqlite"), "import", str(bad))
    assert result.returncode == 1
    assert '$.links[2]: "ana" already judged "c-ru" and "c-ua" at $.links[0]' in result.stdout.decode()
