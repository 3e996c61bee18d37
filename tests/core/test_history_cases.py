"""As of T in particular cases: later imports, deletions undone, a trail cut short, bad moments.

See docs/status-rules.md, rule 9, and docs/command-line.md."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from desktop.core import db
from desktop.core.history import BadMoment, as_of, check_recorded, document_statuses, parse_moment
from desktop.core.interchange import export_json, import_json
from desktop.core.store import Store
from desktop.core.workspace import Workspace
from tests.core.history_steps import START, Clock

T = START + dt.timedelta(hours=1)


def _doc(**sections: Any) -> dict[str, Any]:
    return {"format": "crosscheck-workspace", "version": 1, **sections}


def _ids(document: dict[str, Any], section: str) -> list[str]:
    return [item["id"] for item in document[section]]


def test_an_import_after_t_counts_with_its_values_for_what_was_recorded_by_t(workspace: Workspace) -> None:
    clock = Clock(T + dt.timedelta(days=1))
    document = _doc(
        sources=[{"id": "ru", "name": "Rybar", "side": "russia"}, {"id": "ua", "name": "Genstaff", "side": "ukraine"}],
        claims=[
            {"id": "early", "text": "Breach", "source": "ru", "credibility": 3, "recorded": "2022-12-15T09:30:00Z"},
            {"id": "also", "text": "Repelled", "source": "ua", "recorded": "2022-12-15T09:40:00Z"},
            {"id": "later", "text": "Later", "source": "ua", "recorded": "2022-12-15T11:00:00Z"},
        ],
        links=[
            {"from": "also", "to": "early", "relation": "contradicts", "recorded": "2022-12-15T09:50:00Z"},
            {"from": "later", "to": "early", "relation": "corroborates", "recorded": "2022-12-15T11:00:00Z"},
        ],
    )
    import_json(workspace.engine, document, analyst="importer", now=clock())
    store = Store(workspace.engine, "anna", clock=clock)
    clock.tick()
    early = _internal(workspace, "early")
    store.update_claim(early, credibility=1, verdict="refuted")
    replayed = as_of(workspace.engine, T)
    assert replayed.problems == []
    assert _ids(replayed.document, "claims") == ["early", "also"]
    claim = replayed.document["claims"][0]
    assert (claim["credibility"], claim["verdict"]) == (3, None)  # as imported: the edit came later
    assert [(link["from"], link["to"]) for link in replayed.document["links"]] == [("also", "early")]
    assert {row["id"]: row["status"] for row in document_statuses(replayed.document)} == {
        "early": "contradicted",
        "also": "contradicted",
    }


def test_a_claim_deleted_before_t_and_restored_after_stays_out(workspace: Workspace) -> None:
    clock = Clock()
    store = Store(workspace.engine, "anna", clock=clock)
    source = store.create_source("Rybar").value
    clock.tick()
    claim = store.create_claim("Breach at Bakhmut", source)
    clock.tick()
    deleted = store.delete_claim(claim.value)
    when = clock.tick()
    clock.tick()
    deleted.undo(store)  # the restore keeps the claim's old recorded time
    assert _ids(as_of(workspace.engine, when).document, "claims") == []
    assert _ids(as_of(workspace.engine, clock()).document, "claims") == [_ext(workspace, claim.value)]


def test_an_edit_made_today_never_rewrites_yesterday(workspace: Workspace) -> None:
    clock = Clock()
    store = Store(workspace.engine, "anna", clock=clock)
    a = store.create_source("Rybar", side="russia").value
    b = store.create_source("ISW").value
    c1 = store.create_claim("Breach", a).value
    c2 = store.create_claim("Non-committal", b).value
    store.set_link(c2, c1, "neutral")
    yesterday = clock.tick()
    exported = export_json(workspace.engine)
    clock.tick(3600)
    store.update_source(b, group_label="x", side="russia", aliases=["Институт"])
    store.update_claim(c1, source_id=b, text="Breach (edited)")
    store.set_link(c1, c2, "contradicts")
    store.delete_claim(c2)
    store.delete_source(a)
    replayed = as_of(workspace.engine, yesterday)
    assert (json.dumps(replayed.document, ensure_ascii=False, indent=2) + "\n").encode() == exported


def test_a_trail_cut_short_by_an_older_version_is_replayed_as_far_as_it_goes(workspace: Workspace) -> None:
    clock = Clock()
    store = Store(workspace.engine, "anna", clock=clock)
    source = store.create_source("Rybar").value
    kept = store.create_claim("Kept", source).value
    lost = store.create_claim("Deleted by an older version", source).value
    store.set_link(kept, lost, "corroborates")
    when = clock.tick()
    clock.tick()
    # What an older Crosscheck did: delete the claim and its link, auditing the claim's fields without its
    # id or places (its source by internal id), and the link by its relation alone.
    at = clock().strftime("%Y-%m-%d %H:%M:%S.000000")
    with db.write_connection(workspace.engine) as connection:
        ext = _ext(workspace, lost)
        connection.exec_driver_sql("DELETE FROM claim WHERE id = ?", (lost,))
        rows = [
            ("claim", ext, "text", json.dumps("Deleted by an older version")),
            ("claim", ext, "source_id", json.dumps(source)),
            ("claim", ext, "recorded", json.dumps("2022-12-15T09:00:00Z")),
            ("link", f"{_ext(workspace, kept)}->{ext}", "relation", json.dumps("corroborates")),
        ]
        for entity, ident, field, old in rows:
            connection.exec_driver_sql(
                "INSERT INTO audit (at, analyst, entity, entity_id, action, field, old, new) "
                "VALUES (?, 'old', ?, ?, 'delete', ?, ?, NULL)",
                (at, entity, ident, field, old),
            )
    replayed = as_of(workspace.engine, when)
    assert _ids(replayed.document, "claims") == [_ext(workspace, kept), ext]  # back, at the end of the list
    assert replayed.document["links"] == []  # its rationale, analyst and time are not on record
    warning = replayed.warning()
    assert warning is not None and warning.startswith("the audit trail was cut short by an older version")
    assert "2 changes" in warning and "the rest was replayed" in warning and "\n" not in warning


def test_moments_that_cannot_be_replayed_are_refused_in_one_line(workspace: Workspace) -> None:
    now = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(BadMoment, match="is in the future"):
        parse_moment("2026-12-08", now)
    with pytest.raises(BadMoment, match="is in the future"):
        parse_moment("2026-12-07T10:00:00+00:00", now)
    assert parse_moment("2026-12-07", now) == now  # a date is fine on its own day: it means now
    with pytest.raises(BadMoment, match="--as-of must be a date"):
        parse_moment("last tuesday", now)
    with workspace.engine.connect() as connection:
        with pytest.raises(BadMoment, match="nothing has been recorded"):
            check_recorded(connection, now)
    Store(workspace.engine, "anna", clock=Clock()).create_source("Rybar")
    with workspace.engine.connect() as connection:
        with pytest.raises(BadMoment, match=r"before anything was recorded .* 2022-12-15T09:00:00Z"):
            check_recorded(connection, START - dt.timedelta(seconds=1))
        check_recorded(connection, START)


def _internal(workspace: Workspace, ext_id: str) -> int:
    with workspace.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT id FROM claim WHERE ext_id = ?", (ext_id,)).scalar_one())


def _ext(workspace: Workspace, ident: int) -> str:
    with workspace.engine.connect() as connection:
        found = connection.exec_driver_sql("SELECT ext_id FROM claim WHERE id = ?", (ident,)).scalar()
    if found is not None:
        return str(found)
    with workspace.engine.connect() as connection:  # deleted: its audit rows name it
        return str(
            connection.exec_driver_sql(
                "SELECT entity_id FROM audit WHERE entity = 'claim' AND field = 'id' AND old = ?", (str(ident),)
            ).scalar_one()
        )
