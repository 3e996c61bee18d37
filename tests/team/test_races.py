"""No silent overwrite (DESIGN §7), with real processes on the tests' PostgreSQL server: writers that
carry the value they saw race on one field and on one pair; every change is one audit row, each
starting from the value the previous one left, and the losers are told (a conflict)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.core.store.conflicts import Conflict
from desktop.core.store.links import stale_pairs
from desktop.core.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 25
pytestmark = pytest.mark.postgres


def _team(url: str, *analysts: str) -> dict[str, str]:
    """Logins for this test (the server's, so named uniquely), each an analyst; login → its URL."""
    from desktop.core import db, team

    engine = db.make_engine(db.resolve_location(url))
    try:
        team.init(engine)
        suffix = uuid.uuid4().hex[:6]
        urls = {}
        for who in analysts:
            login = f"{who}_{suffix}"
            team.add(engine, login, "analyst", None)
            scheme, rest = url.split("://", 1)
            urls[login] = f"{scheme}://{login}@{rest.split('@', 1)[1]}"
        return urls
    finally:
        engine.dispose()


def _seed(url: str) -> Workspace:
    ws = open_workspace(url)
    source = ws.store.create_source("Rybar", side="russia").value
    ws.store.create_claim("Defences breached", source, ext_id="c-1")
    ws.store.create_claim("Assaults repelled", source, ext_id="c-2")
    return ws


def _race(mode: str, urls: list[str]) -> list[dict[str, int]]:
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.team.race_writer", url, mode, str(ROUNDS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for url in urls
    ]
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
        results.append(json.loads(out))
    return results


def test_two_processes_racing_on_one_field_never_overwrite_silently(postgres_url: str) -> None:
    ws = _seed(postgres_url)
    try:
        logins = _team(postgres_url, "alice", "bob")
        results = _race("field", list(logins.values()))
        with ws.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT analyst, old, new FROM audit WHERE entity = 'claim' AND field = 'credibility' "
                     "AND action = 'update' ORDER BY id")
            ).all()  # fmt: skip
        assert len(rows) == sum(r["done"] for r in results)  # one audit row per change
        assert sum(r["done"] + r["conflicts"] for r in results) == 2 * ROUNDS
        previous = None
        assert {who for who, _, _ in rows} <= set(logins)  # the database named each writer
        for _who, old, new in rows:
            assert old == previous  # each change started from what the previous one left: none lost
            previous = new
    finally:
        ws.close()


def test_processes_racing_on_one_pair_keep_every_analysts_judgement(postgres_url: str) -> None:
    ws = _seed(postgres_url)
    try:
        logins = _team(postgres_url, "alice", "bob")
        alice, bob = logins
        results = _race("pair", [logins[alice], logins[alice], logins[bob]])
        with ws.engine.connect() as connection:
            assert stale_pairs(connection) == []
            judges = sorted(r[0] for r in connection.execute(text("SELECT analyst FROM link")))
            rows = connection.execute(
                text("SELECT analyst, action, old, new FROM audit WHERE entity = 'link' AND field = 'relation' "
                     "ORDER BY id")
            ).all()  # fmt: skip
        assert judges == sorted([alice, bob])
        for analyst, done in ((alice, results[0]["done"] + results[1]["done"]), (bob, results[2]["done"])):
            own = [(action, old, new) for who, action, old, new in rows if who == analyst]
            assert sum(1 for action, _, _ in own if action == "create") == done
            last = None
            for action, old, new in own:
                if action == "delete":
                    assert old == last  # replaced exactly the judgement the writer had seen
                else:
                    last = new
    finally:
        ws.close()


def test_an_edit_on_a_changed_field_is_a_conflict_naming_theirs_and_who(workspace: Workspace) -> None:
    store = workspace.store
    source = store.create_source("Rybar").value
    claim = store.create_claim("Defences breached", source).value
    from desktop.core.store import Store

    Store(workspace.engine, "bob").update_claim(claim, verdict="refuted", expect={"verdict": None})
    with pytest.raises(Conflict) as caught:
        store.update_claim(claim, verdict="confirmed", expect={"verdict": None})
    assert caught.value.current == "refuted" and caught.value.wanted is None
    assert caught.value.last is not None and caught.value.last.analyst == "bob"
    assert 'is now "refuted", last changed by bob' in str(caught.value)


def test_undo_is_refused_when_someone_changed_the_field_since(workspace: Workspace) -> None:
    from desktop.core.store import Store

    store = workspace.store
    source = store.create_source("Rybar").value
    claim = store.create_claim("Defences breached", source).value
    mine = store.update_claim(claim, credibility=2)
    Store(workspace.engine, "bob").update_claim(claim, credibility=5)
    with pytest.raises(Conflict, match="credibility is now 5, last changed by bob"):
        mine.undo(store)
    with workspace.engine.connect() as connection:
        assert connection.execute(text("SELECT credibility FROM claim")).scalar() == 5
