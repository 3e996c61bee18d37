"""``export --as-of`` and ``status --as-of`` end to end (docs/command-line.md): real processes, a real file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.core.store import Store
from desktop.core.workspace import open_workspace
from tests.e2e.test_cli import FIXTURE, assert_user_error, run, statuses


def _import(tmp_path: Path) -> str:
    path = str(tmp_path / "work.sqlite")
    assert run(tmp_path, "--db", path, "import", str(FIXTURE)).returncode == 0
    return path


def test_export_as_of_a_moment_is_byte_for_byte_the_export_taken_then(tmp_path: Path) -> None:
    path = _import(tmp_path)
    taken = run(tmp_path, "--db", path, "export")
    assert taken.returncode == 0, taken.stderr
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    # Later edits, a second after the export (the store's clock set, not waited for).
    opened = open_workspace(path)
    # "ana" judged the fixture's links: only her own judgement is hers to remove (DESIGN §2).
    store = Store(opened.engine, "ana", clock=lambda: when + dt.timedelta(seconds=1))
    with opened.engine.connect() as connection:
        ids = dict(connection.exec_driver_sql("SELECT ext_id, id FROM claim").all())
    store.update_claim(ids["c-ru"], credibility=1, verdict="confirmed", places=[])
    store.set_link(ids["c-late"], ids["c-ru"], "contradicts")
    store.remove_link(ids["c-ru"], ids["c-ua"])
    store.delete_claim(ids["c-state-2"])
    opened.close()
    assert run(tmp_path, "--db", path, "export").stdout != taken.stdout
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    replayed = run(tmp_path, "--db", path, "export", "--as-of", stamp)
    assert replayed.returncode == 0 and replayed.stderr == b""
    assert replayed.stdout == taken.stdout
    assert statuses(tmp_path, path, "--as-of", stamp)["c-ru"]["status"] == "corroborated"
    assert statuses(tmp_path, path)["c-ru"]["status"] == "contradicted"


def test_export_as_of_writes_csv_of_that_state_too(tmp_path: Path) -> None:
    path = _import(tmp_path)
    result = run(tmp_path, "--db", path, "export", "--as-of", "2022-12-15T09:30:00Z", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("id,") and len(lines) > 1 and not any(line.startswith("c-late,") for line in lines)


def test_bad_moments_are_one_line_errors_and_change_nothing(tmp_path: Path) -> None:
    path = _import(tmp_path)
    before = Path(path).read_bytes()
    assert_user_error(run(tmp_path, "--db", path, "export", "--as-of", "2999-01-01"), "is in the future")
    assert_user_error(run(tmp_path, "--db", path, "status", "--as-of", "soon"), "--as-of must be a date")
    assert_user_error(run(tmp_path, "--db", path, "status", "--as-of", "2001-01-01"), "before anything was recorded")
    assert Path(path).read_bytes() == before


def test_history_in_words_and_as_json(tmp_path: Path) -> None:
    import json

    path = _import(tmp_path)
    opened = open_workspace(path)
    with opened.engine.connect() as connection:
        ids = dict(connection.exec_driver_sql("SELECT ext_id, id FROM claim").all())
        ua = connection.exec_driver_sql("SELECT id FROM source WHERE ext_id = 'src-ua'").scalar_one()
    Store(opened.engine, "anna").update_claim(ids["c-ru"], source_id=ua)
    Store(opened.engine, "anna").update_claim(ids["c-ru"], credibility=2)
    opened.close()
    said = run(tmp_path, "--db", path, "history")
    assert said.returncode == 0, said.stderr
    text = said.stdout.decode().splitlines()
    assert "cli-tester: imported a document (4 sources, 1 reports, 1 places, 5 claims, 2 links, 1 outreach)" in text[0]
    assert text[-2].endswith("anna: claim c-ru source “Russian channel” → “Ukrainian General Staff”")  # names
    assert text[-1].endswith("anna: claim c-ru credibility none → 2")
    about = run(tmp_path, "--db", path, "history", "--entity", "c-ru", "--json")
    rows = json.loads(about.stdout)
    # the claim, its link, the request for comment about it, the edits
    assert [row["action"] for row in rows] == ["import", "import", "import", "update", "update"]
    assert rows[-2]["old"] == "src-ru" and rows[-2]["new"] == "src-ua"  # --json keeps the ids (DESIGN §4)
    assert set(rows[-1]) == {"at", "analyst", "entity", "id", "action", "field", "old", "new"}
    assert rows[-1]["field"] == "credibility" and rows[-1]["new"] == 2
    later = run(tmp_path, "--db", path, "history", "--since", rows[-1]["at"])
    assert later.returncode == 0 and later.stdout == b""
    assert_user_error(run(tmp_path, "--db", path, "history", "--since", "whenever"), "--since must be a date")


def test_history_of_an_id_nothing_has_is_a_one_line_error(tmp_path: Path) -> None:
    """A mistyped --entity says so (exit 1), never an empty answer that reads as "nothing ever changed"."""
    path = _import(tmp_path)
    assert_user_error(run(tmp_path, "--db", path, "history", "--entity", "c-nope"), "'c-nope'")
    assert_user_error(run(tmp_path, "--db", path, "history", "--entity", "c-nope", "--json"), "'c-nope'")
    quiet = run(tmp_path, "--db", path, "history", "--entity", "c-ru", "--since", "2999-01-01")
    assert quiet.returncode == 0 and quiet.stdout == b""  # a real id with nothing since: nothing to say


def test_a_trail_cut_short_is_replayed_with_a_one_line_warning(tmp_path: Path) -> None:
    """An older Crosscheck deleted a claim without a snapshot (no id, no places, no recorded time): replay puts
    back what it can, says so in one line on stderr, and still answers (exit 0)."""
    path = _import(tmp_path)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=2)
    opened = open_workspace(path)
    with opened.engine.begin() as connection:
        ext = "c-state-2"
        connection.exec_driver_sql("DELETE FROM claim WHERE ext_id = ?", (ext,))
        connection.exec_driver_sql(
            "INSERT INTO audit (at, analyst, entity, entity_id, action, field, old, new) "
            "VALUES (?, 'old', 'claim', ?, 'delete', 'text', '\"Gone\"', NULL)",
            ((when + dt.timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.000000"), ext),
        )
    opened.close()
    result = run(tmp_path, "--db", path, "status", "--json", "--as-of", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert result.returncode == 0
    said = result.stderr.decode().strip()
    assert said.count("\n") == 0 and "warning: the audit trail was cut short by an older version" in said
    assert "claim c-state-2 deleted" in said and "the rest was replayed" in said


def test_status_as_of_over_the_patched_copy_is_the_document_paths_answer(tmp_path: Path) -> None:
    """On SQLite ``status --as-of`` reads a copy patched back to the moment; it prints what the derivation
    over the replayed document (the path PostgreSQL and cut-short trails take) gives, row for row, as each
    analyst too."""
    import json

    from desktop.cli import as_of as as_of_cli
    from desktop.cli.as_of import patched_as_of
    from desktop.core.history import as_of, document_statuses

    path = _import(tmp_path)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    opened = open_workspace(path)
    with opened.engine.connect() as connection:
        ids = dict(connection.exec_driver_sql("SELECT ext_id, id FROM claim").all())
    later = when + dt.timedelta(seconds=1)
    Store(opened.engine, "ana", clock=lambda: later).remove_link(ids["c-ru"], ids["c-ua"])
    boris = Store(opened.engine, "boris", clock=lambda: later)
    boris.set_link(ids["c-late"], ids["c-ru"], "contradicts")
    boris.update_claim(ids["c-ru"], verdict="confirmed")
    boris.delete_claim(ids["c-state-2"])
    copy = patched_as_of(opened.engine, when)
    assert copy is not None  # the route the command takes here
    copy.close()
    with pytest.MonkeyPatch.context() as mp:  # past as many changes as that, the document is replayed instead
        mp.setattr(as_of_cli, "_COPY_UP_TO_ROWS_AT_LEAST", 0)
        mp.setattr(as_of_cli, "_COPY_UP_TO_ROWS_PER_CLAIM", 0.5)
        assert patched_as_of(opened.engine, when) is None
    replayed = as_of(opened.engine, when).document
    opened.close()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for analyst in (None, "ana", "boris"):  # ana's judgement was withdrawn after T, boris's made after it
        extra = () if analyst is None else ("--analyst", analyst)
        result = run(tmp_path, "--db", path, "status", "--json", "--as-of", stamp, *extra)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == document_statuses(replayed, analyst)
    assert statuses(tmp_path, path, "--as-of", stamp)["c-ru"]["status"] == "corroborated"
