"""A team on the tests' PostgreSQL server, with real processes (DESIGN §7): roles made by
``crosscheck team``, the database naming the analyst, an append-only audit trail, a reviewer's edit
refused in one line, and ``status --analyst`` over each login's judgements."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.e2e.test_cli import FIXTURE, run

pytestmark = pytest.mark.postgres


def as_login(url: str, login: str) -> str:
    """The same database, connected as ``login`` (the tests' server trusts loopback logins)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{login}@{rest.split('@', 1)[1]}"


def changes(tmp_path: Path, name: str, *items: dict[str, object]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"format": "crosscheck-changes", "version": 1, "changes": list(items)}))
    return str(path)


@pytest.fixture
def names() -> dict[str, str]:
    """Login names for this test (logins are the server's, shared by every test's database)."""
    suffix = uuid.uuid4().hex[:6]
    return {who: f"{who}_{suffix}" for who in ("alice", "bob", "rita")}


@pytest.fixture
def team_db(tmp_path: Path, postgres_url: str, names: dict[str, str]) -> str:
    """A workspace holding the small fixture, with analysts alice and bob and reviewer rita."""
    assert run(tmp_path, "--db", postgres_url, "import", str(FIXTURE)).returncode == 0
    assert run(tmp_path, "--db", postgres_url, "team", "init").returncode == 0
    for who, role in (("alice", "analyst"), ("bob", "analyst"), ("rita", "reviewer")):
        result = run(tmp_path, "--db", postgres_url, "team", "add", names[who], "--role", role, stdin=b"s3cret\n")
        assert result.returncode == 0, result.stderr
    return postgres_url


def test_team_list_shows_each_login_and_role(tmp_path: Path, team_db: str, names: dict[str, str]) -> None:
    result = run(tmp_path, "--db", team_db, "team", "list", "--json")
    listed = [m for m in json.loads(result.stdout) if m["name"] in names.values()]
    assert listed == [
        {"name": names["alice"], "role": "analyst"},
        {"name": names["bob"], "role": "analyst"},
        {"name": names["rita"], "role": "reviewer"},
    ]
    again = run(tmp_path, "--db", team_db, "team", "add", names["alice"], "--role", "admin", stdin=b"")
    assert again.returncode == 1 and "already exists" in again.stderr.decode()


def test_the_database_names_the_analyst_whatever_the_client_says(
    tmp_path: Path, team_db: str, names: dict[str, str]
) -> None:
    alice = names["alice"]
    link = {"op": "link", "from": "c-ru", "to": "c-ua", "relation": "contradicts", "rationale": "not the same"}
    result = run(
        tmp_path, "--db", as_login(team_db, alice), "apply", changes(tmp_path, "a.json", link),
        env={"CROSSCHECK_ANALYST": "mallory"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with psycopg.connect(as_login(team_db, alice)) as connection:
        # Even a hand-written row claiming another name is recorded under the login.
        connection.execute(
            "INSERT INTO audit (at, analyst, entity, entity_id, action, field) "
            "VALUES (now(), 'mallory', 'note', 'x', 'create', '')"
        )
        connection.commit()
    with psycopg.connect(team_db) as connection:
        authors = {
            r[0]
            for r in connection.execute(
                "SELECT analyst FROM audit WHERE entity IN ('link', 'note') AND action != 'import'"
            )
        }
        judges = sorted(r[0] for r in connection.execute("SELECT analyst FROM link"))
    assert authors == {alice}
    assert judges == sorted([alice, "ana", "ana"])  # the imported judgements keep their authors


def test_the_audit_trail_is_append_only_for_everyone(team_db: str, names: dict[str, str]) -> None:
    for login in (names["alice"], "postgres"):  # a team member, and the superuser who owns the workspace
        with psycopg.connect(as_login(team_db, login)) as connection:
            for statement in ("UPDATE audit SET analyst = 'x'", "DELETE FROM audit", "TRUNCATE audit"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
                connection.rollback()


def test_a_reviewers_edit_is_refused_in_one_line_saying_what_the_role_allows(
    tmp_path: Path, team_db: str, names: dict[str, str]
) -> None:
    rita, bob = names["rita"], names["bob"]
    edit = {"op": "update", "entity": "claim", "id": "c-ru", "set": {"verdict": "confirmed"}}
    result = run(tmp_path, "--db", as_login(team_db, rita), "apply", changes(tmp_path, "r.json", edit))
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert stderr.count("\n") == 1 and f"{rita} is a reviewer, who may read the workspace and record requests" in stderr
    assert b"Traceback" not in result.stdout + result.stderr
    # A revoked role: bob, moved to reviewer, can no longer mark links.
    assert run(tmp_path, "--db", team_db, "team", "role", bob, "reviewer").returncode == 0
    link = {"op": "link", "from": "c-ru", "to": "c-ua", "relation": "neutral"}
    refused = run(tmp_path, "--db", as_login(team_db, bob), "apply", changes(tmp_path, "b.json", link))
    assert refused.returncode == 1 and f"{bob} is a reviewer" in refused.stderr.decode()


def test_status_as_each_login_uses_their_judgements_alone(tmp_path: Path, team_db: str, names: dict[str, str]) -> None:
    link = {"op": "link", "from": "c-ru", "to": "c-ua", "relation": "contradicts"}
    assert (
        run(tmp_path, "--db", as_login(team_db, names["bob"]), "apply", changes(tmp_path, "b.json", link)).returncode
        == 0
    )
    everyone = json.loads(run(tmp_path, "--db", team_db, "status", "--json").stdout)
    as_ana = json.loads(run(tmp_path, "--db", team_db, "status", "--json", "--analyst", "ana").stdout)
    as_bob = json.loads(run(tmp_path, "--db", team_db, "status", "--json", "--analyst", names["bob"]).stdout)
    assert {r["id"]: r["status"] for r in as_bob}["c-ua"] == "contradicted"
    assert {r["id"]: r["status"] for r in everyone}["c-ru"] == "contradicted"  # bob's is the latest
    assert {r["id"]: r["disagreements"] for r in everyone}["c-ru"] == ["c-ua"]
    assert {r["id"]: r["status"] for r in as_ana}["c-ru"] == "corroborated"
