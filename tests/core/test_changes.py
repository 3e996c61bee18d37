"""``apply``: a changes document (DESIGN §3) — link, unlink, update, delete; all or nothing; every
problem with its JSON path; ``expect`` conflicts naming the field, its value and who changed it last."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from desktop.core.interchange import import_json
from desktop.core.interchange.changes import ChangeErrors, apply_changes
from desktop.core.store import Store, status
from desktop.core.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "small-workspace.json"


def doc(*changes: dict[str, Any]) -> dict[str, Any]:
    return {"format": "crosscheck-changes", "version": 1, "changes": list(changes)}


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    import_json(workspace.engine, FIXTURE.read_bytes(), analyst="ana")
    return workspace


def snapshot(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as connection:
        return {
            table: [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in ("source", "claim", "link", "claim_place", "outreach", "audit")
        }


def refused(engine: Engine, analyst: str, document: dict[str, Any]) -> dict[str, str]:
    before = snapshot(engine)
    with pytest.raises(ChangeErrors) as caught:
        apply_changes(Store(engine, analyst), json.dumps(document).encode())
    assert snapshot(engine) == before  # nothing half-written, not even an audit row
    return {p.path: p.message for p in caught.value.errors}


def claim_row(engine: Engine, ext: str) -> dict[str, Any]:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT * FROM claim WHERE ext_id = :e"), {"e": ext}).one()._mapping)


def test_a_batch_applies_all_four_operations_audited_under_the_applying_analyst(ws: Workspace) -> None:
    report = apply_changes(
        Store(ws.engine, "boris"),
        doc(
            {"op": "link", "from": "c-ru", "to": "c-state-1", "relation": "contradicts", "rationale": "denied"},
            {
                "op": "update",
                "entity": "claim",
                "id": "c-ua",
                "set": {"credibility": 2, "verdict": "confirmed"},
                "expect": {"credibility": None},
            },
            {
                "op": "update",
                "entity": "source",
                "id": "src-ru",
                "set": {"group": "Wagner"},
                "expect": {"side": "russia"},
            },
            {"op": "delete", "entity": "claim", "id": "c-late"},
        ),  # fmt: skip
    )
    assert report.counts == {"link": 1, "unlink": 0, "update": 2, "delete": 1}
    row = claim_row(ws.engine, "c-ua")
    assert (row["credibility"], row["verdict"]) == (2, "confirmed")
    with ws.engine.connect() as connection:
        authors = {r[0] for r in connection.execute(text("SELECT analyst FROM audit WHERE entity != 'workspace'"))}
        assert status.stale_claims(connection) == []
        assert connection.execute(text("SELECT count(*) FROM claim WHERE ext_id = 'c-late'")).scalar() == 0
    assert authors == {"ana", "boris"}  # the import's rows, then every change's


def test_link_and_unlink_touch_only_the_applying_analysts_judgement(ws: Workspace) -> None:
    link = {"op": "link", "from": "c-ru", "to": "c-ua", "relation": "contradicts"}
    apply_changes(Store(ws.engine, "boris"), doc(link))
    store = Store(ws.engine, "ana")
    ru, ua = claim_row(ws.engine, "c-ru")["id"], claim_row(ws.engine, "c-ua")["id"]
    assert sorted(r["analyst"] for r in store.judgements_between(ru, ua)) == ["ana", "boris"]
    apply_changes(Store(ws.engine, "boris"), doc({"op": "unlink", "from": "c-ua", "to": "c-ru"}))
    assert [r["analyst"] for r in store.judgements_between(ru, ua)] == ["ana"]
    problems = refused(ws.engine, "boris", doc({"op": "unlink", "from": "c-ru", "to": "c-ua"}))
    assert problems == {"$.changes[0]": '"boris" has no judgement on "c-ru" and "c-ua"'}


def test_a_stale_expect_refuses_the_whole_batch_naming_field_value_and_who_changed_it(ws: Workspace) -> None:
    apply_changes(
        Store(ws.engine, "carol"), doc({"op": "update", "entity": "claim", "id": "c-ua", "set": {"credibility": 3}})
    )
    problems = refused(
        ws.engine,
        "boris",
        doc(
            {"op": "link", "from": "c-ru", "to": "c-state-1", "relation": "neutral"},
            {"op": "update", "entity": "claim", "id": "c-ua", "set": {"credibility": 2},
             "expect": {"credibility": None}},
        ),
    )  # fmt: skip
    message = problems["$.changes[1].expect.credibility"]
    assert message.startswith("conflict: claim c-ua credibility is now 3, last changed by carol at ")
    assert message.endswith("you expected null")


def test_every_problem_is_reported_with_its_path_and_nothing_is_written(ws: Workspace) -> None:
    problems = refused(
        ws.engine,
        "boris",
        doc(
            {"op": "link", "from": "c-ru", "to": "c-nope", "relation": "corroborates"},
            {"op": "link", "from": "c-ru", "to": "c-ua", "relation": "agrees"},
            {"op": "update", "entity": "claim", "id": "c-ru", "set": {"verdict": "maybe", "id": "c-new"}},
            {"op": "update", "entity": "claim", "id": "c-ru", "set": {"places": ["pl-x"], "colour": "red"}},
            {"op": "delete", "entity": "claim", "id": "c-state-2"},
            {"op": "link", "from": "c-state-2", "to": "c-ua", "relation": "neutral"},
            {"op": "update", "entity": "planet", "id": "x", "set": {"name": "y"}},
            {"op": "delete", "entity": "source", "id": "src-ru"},
            {"op": "frob"},
            "not an object",
        ),
    )
    assert problems["$.changes[0].to"] == 'unknown claim "c-nope"'
    assert problems["$.changes[1].relation"].startswith("must be one of corroborates")
    assert "must be one of confirmed" in problems["$.changes[2].set.verdict"]
    assert problems["$.changes[2].set.id"] == "an id cannot be changed"
    assert problems["$.changes[3].set.places[0]"] == 'unknown place "pl-x"'
    assert "is not a field of a claim" in problems["$.changes[3].set.colour"]
    assert problems["$.changes[5].from"] == 'claim "c-state-2" is deleted by $.changes[4]'
    assert problems["$.changes[6].entity"].startswith("must be one of source")
    assert "still" in problems["$.changes[7]"] or "claims" in problems["$.changes[7]"]  # a cited source
    assert problems["$.changes[8].op"].startswith("must be one of link")
    assert "must be an object" in problems["$.changes[9]"]
    assert "$.changes[4]" not in problems  # the deletion itself was fine


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        (b"{not json", "$", "not valid JSON"),
        (json.dumps({"format": "crosscheck-workspace", "version": 2}).encode(), "$.format", "not a Crosscheck changes"),
        (json.dumps({"format": "crosscheck-changes", "version": 9, "changes": []}).encode(), "$.version", "newer"),
        (json.dumps({"format": "crosscheck-changes", "version": 1, "changes": {}}).encode(), "$.changes", "array"),
    ],
)
def test_a_malformed_document_is_refused_at_its_path(ws: Workspace, data: bytes, path: str, fragment: str) -> None:
    before = snapshot(ws.engine)
    with pytest.raises(ChangeErrors) as caught:
        apply_changes(Store(ws.engine, "boris"), data)
    assert snapshot(ws.engine) == before
    assert fragment in {p.path: p.message for p in caught.value.errors}[path]


def test_an_event_set_whole_replaces_the_event_and_null_clears_a_field(ws: Workspace) -> None:
    apply_changes(
        Store(ws.engine, "boris"),
        doc(
            {"op": "update", "entity": "claim", "id": "c-ru",
             "set": {"event": {"start": "2022-12-10", "precision": "week"}, "notes": None, "tags": ["a"]}},
        ),
    )  # fmt: skip
    row = claim_row(ws.engine, "c-ru")
    assert str(row["event_start"])[:10] == "2022-12-10" and row["event_end"] is None
    assert row["event_precision"] == "week" and row["notes"] == ""


def test_update_sets_and_expects_the_capture_fields_in_their_interchange_form(ws: Workspace) -> None:
    """``by`` names a source by its id, as in the document; a quote and ``retrieved`` are set and expected too;
    ``sha256`` follows the text and is refused at its path."""
    apply_changes(
        Store(ws.engine, "boris"),
        doc(
            {"op": "update", "entity": "outreach", "id": "o-1", "set": {"by": "src-ua"}, "expect": {"by": None}},
            {
                "op": "update",
                "entity": "report",
                "id": "rep-1",
                "set": {"text": "The bridge held.", "retrieved": "2022-12-15T08:00:00Z"},
            },
            {"op": "update", "entity": "claim", "id": "c-ru", "set": {"quote": {"start": 4, "end": 10}}},
        ),
    )
    with ws.engine.connect() as connection:
        by = connection.execute(
            text("SELECT s.ext_id FROM outreach o JOIN source s ON s.id = o.by_source_id WHERE o.ext_id = 'o-1'")
        ).scalar_one()
    assert by == "src-ua"
    assert (claim_row(ws.engine, "c-ru")["quote_start"], claim_row(ws.engine, "c-ru")["quote_end"]) == (4, 10)
    problems = refused(
        ws.engine,
        "ana",
        doc(
            {"op": "update", "entity": "outreach", "id": "o-1", "set": {"by": None}, "expect": {"by": "src-ru"}},
            {
                "op": "update",
                "entity": "claim",
                "id": "c-ru",
                "set": {"notes": "x"},
                "expect": {"quote": {"start": 1, "end": 2}},
            },
            {"op": "update", "entity": "report", "id": "rep-1", "set": {"sha256": "0" * 64}},
        ),
    )
    assert 'conflict: outreach o-1 by is now "src-ua", last changed by boris' in problems["$.changes[0].expect.by"]
    assert "conflict" in problems["$.changes[1].expect.quote"]
    assert "text" in problems["$.changes[2].set.sha256"]


def test_an_update_to_only_invisible_characters_is_refused_as_empty(ws: Workspace) -> None:
    """A zero-width space or a bidi mark set as a claim's text or a source's name is as empty as nothing."""
    problems = refused(
        ws.engine,
        "boris",
        doc(
            {"op": "update", "entity": "claim", "id": "c-ru", "set": {"text": "\u200b"}},
            {"op": "update", "entity": "source", "id": "src-ru", "set": {"name": "\u200f\ufeff "}},
            {"op": "update", "entity": "claim", "id": "c-ua", "set": {"tags": ["\u2060"]}},
        ),
    )
    assert problems == {
        "$.changes[0].set.text": "must not be empty",
        "$.changes[1].set.name": "must not be empty",
        "$.changes[2].set.tags": "entry '\\u2060' must not be empty",
    }
