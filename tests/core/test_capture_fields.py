"""Capture fields (DESIGN §1, §3): claim quotes, report retrieved/sha256, outreach ``by``, dismissed suggestions."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from desktop.core import db
from desktop.core.errors import Refused
from desktop.core.interchange import ImportErrors, import_json
from desktop.core.interchange.json_export import export_json
from desktop.core.store import InvalidValue
from desktop.core.workspace import Workspace, open_workspace

# Not the reference report's words: a made-up text with an astral character (one code point, two UTF-16 units).
TEXT = "Line one says 🙂 the bridge held.\nLine two: the ministry denied it."


def sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def one(ws: Workspace, sql: str, **params: Any) -> Any:
    with ws.engine.connect() as connection:
        return connection.execute(text(sql), params).one()


@pytest.fixture
def report(workspace: Workspace) -> dict[str, int]:
    s = workspace.store
    publisher = s.create_source("Newsroom", kind="news-outlet").value
    rep = s.create_report("A round-up", source_id=publisher, text=TEXT).value
    return {"publisher": publisher, "report": rep}


def test_a_new_report_keeps_the_digest_of_its_text_and_when_it_was_retrieved(
    workspace: Workspace, report: dict[str, int]
) -> None:
    digest, retrieved = one(workspace, "SELECT sha256, retrieved FROM report WHERE id = :r", r=report["report"])
    assert digest == sha(TEXT)
    assert retrieved is not None


def test_editing_the_text_updates_the_digest_and_undo_restores_both(
    workspace: Workspace, report: dict[str, int]
) -> None:
    result = workspace.store.update_report(report["report"], text="Other words.")
    assert one(workspace, "SELECT sha256 FROM report WHERE id = :r", r=report["report"])[0] == sha("Other words.")
    result.undo(workspace.store)
    assert one(workspace, "SELECT text, sha256 FROM report WHERE id = :r", r=report["report"]) == (TEXT, sha(TEXT))


def test_a_quote_must_lie_inside_its_reports_text(workspace: Workspace, report: dict[str, int]) -> None:
    s = workspace.store
    end = len(TEXT)  # code points: the emoji counts once
    ok = s.create_claim(
        "the bridge held", report["publisher"], report_id=report["report"], quote_start=0, quote_end=end
    )
    assert one(workspace, "SELECT quote_start, quote_end FROM claim WHERE id = :c", c=ok.value) == (0, end)
    with pytest.raises(InvalidValue, match="beyond the end"):
        s.create_claim("x", report["publisher"], report_id=report["report"], quote_start=0, quote_end=end + 1)
    with pytest.raises(InvalidValue, match="start before it ends"):
        s.create_claim("x", report["publisher"], report_id=report["report"], quote_start=5, quote_end=5)
    with pytest.raises(InvalidValue, match="needs a report"):
        s.create_claim("x", report["publisher"], quote_start=0, quote_end=3)
    with pytest.raises(InvalidValue, match="must not be negative"):
        s.create_claim("x", report["publisher"], report_id=report["report"], quote_start=-1, quote_end=3)
    with pytest.raises(InvalidValue, match="needs a report"):
        s.update_claim(ok.value, report_id=None)


def test_the_text_of_a_quoted_report_is_kept_verbatim(workspace: Workspace, report: dict[str, int]) -> None:
    s = workspace.store
    s.create_claim("held", report["publisher"], report_id=report["report"], quote_start=0, quote_end=8)
    with pytest.raises(Refused, match="kept verbatim"):
        s.update_report(report["report"], text="Rewritten.")
    s.update_report(report["report"], title="Renamed round-up")  # other fields stay editable


def test_deleting_a_report_clears_its_claims_quotes_and_undo_puts_them_back(
    workspace: Workspace, report: dict[str, int]
) -> None:
    s = workspace.store
    claim = s.create_claim("held", report["publisher"], report_id=report["report"], quote_start=2, quote_end=9).value
    deleted = s.delete_report(report["report"])
    assert one(workspace, "SELECT report_id, quote_start, quote_end FROM claim WHERE id = :c", c=claim) == (
        None,
        None,
        None,
    )
    audited = one(
        workspace, "SELECT count(*) FROM audit WHERE entity = 'claim' AND field = 'quote_start' AND action = 'update'"
    )[0]
    assert audited == 1
    deleted.undo(s)
    assert one(workspace, "SELECT report_id, quote_start, quote_end FROM claim WHERE id = :c", c=claim) == (
        report["report"],
        2,
        9,
    )


def test_a_request_records_who_asked_and_that_source_cannot_be_deleted(
    workspace: Workspace, report: dict[str, int]
) -> None:
    s = workspace.store
    asker = s.create_source("Other newsroom").value
    claim = s.create_claim("held", report["publisher"]).value
    s.create_outreach("Ministry", [claim], by_source_id=asker)
    with pytest.raises(Refused, match="asked 1 request"):
        s.delete_source(asker)


def test_a_dismissed_suggestion_is_stored_once_per_pair_audited_and_undoable(
    workspace: Workspace, report: dict[str, int]
) -> None:
    s = workspace.store
    a = s.create_claim("a", report["publisher"]).value
    b = s.create_claim("b", report["publisher"]).value
    result = s.dismiss_suggestion(b, a)
    s.dismiss_suggestion(a, b)  # the same pair from the other side: nothing new
    assert one(workspace, "SELECT count(*) FROM dismissed_suggestion")[0] == 1
    assert one(workspace, "SELECT count(*) FROM audit WHERE entity = 'suggestion'")[0] == 1
    deleted = s.delete_claim(a)
    assert one(workspace, "SELECT count(*) FROM dismissed_suggestion")[0] == 0
    deleted.undo(s)
    assert one(workspace, "SELECT count(*) FROM dismissed_suggestion")[0] == 1
    result.undo(s)
    assert one(workspace, "SELECT count(*) FROM dismissed_suggestion")[0] == 0


# --- interchange ------------------------------------------------------------------------------------


def document() -> dict[str, Any]:
    return {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [{"id": "s-news", "name": "Newsroom"}, {"id": "s-ch", "name": "A channel"}],
        "reports": [
            {"id": "r-1", "title": "Round-up", "source": "s-news", "text": TEXT, "retrieved": "2022-12-15T08:00:00Z"}
        ],
        "claims": [
            {
                "id": "c-1",
                "text": "the bridge held",
                "source": "s-ch",
                "report": "r-1",
                "quote": {"start": 14, "end": 32},
                "recorded": "2022-12-15T09:00:00Z",
            }
        ],
        "outreach": [{"id": "o-1", "party": "Ministry", "by": "s-news", "about": ["c-1"]}],
    }


def test_capture_fields_round_trip_byte_for_byte(workspace: Workspace, tmp_path: Path) -> None:
    import_json(workspace.engine, document(), analyst="a")
    first = export_json(workspace.engine)
    exported = json.loads(first)
    assert exported["claims"][0]["quote"] == {"start": 14, "end": 32}
    assert TEXT[14:32] == "🙂 the bridge held."  # offsets are code points
    assert exported["reports"][0]["sha256"] == sha(TEXT)
    assert exported["reports"][0]["retrieved"] == "2022-12-15T08:00:00Z"
    assert exported["outreach"][0]["by"] == "s-news"
    again = open_workspace(str(tmp_path / "again.sqlite"))
    import_json(again.engine, first, analyst="a")
    assert export_json(again.engine) == first
    again.close()


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d["claims"][0].update(quote={"start": 0, "end": len(TEXT) + 1}), "$.claims[0].quote.end", "beyond"),
        (lambda d: d["claims"][0].update(quote={"start": 9, "end": 9}), "$.claims[0].quote", "start before it ends"),
        (lambda d: d["claims"][0].update(quote={"start": 3}), "$.claims[0].quote.end", "is required"),
        (lambda d: d["claims"][0].update(quote={"start": -1, "end": 3}), "$.claims[0].quote.start", "negative"),
        (lambda d: d["claims"][0].update(quote={"start": 1.5, "end": 3}), "$.claims[0].quote.start", "whole number"),
        (lambda d: d["claims"][0].update(quote=[1, 3]), "$.claims[0].quote", "must be an object"),
        (lambda d: d["claims"][0].update(report=None), "$.claims[0].quote", "needs the claim's report"),
        (lambda d: d["reports"][0].update(sha256="0" * 64), "$.reports[0].sha256", "does not match"),
        (lambda d: d["reports"][0].update(sha256="xyz"), "$.reports[0].sha256", "hexadecimal"),
        (lambda d: d["reports"][0].update(retrieved="yesterday"), "$.reports[0].retrieved", "timestamp"),
        (lambda d: d["outreach"][0].update(by="s-nobody"), "$.outreach[0].by", "unknown source"),
    ],
)
def test_bad_capture_fields_are_refused_with_their_path(
    workspace: Workspace, change: Any, path: str, message: str
) -> None:
    doc = copy.deepcopy(document())
    change(doc)
    with pytest.raises(ImportErrors) as caught:
        import_json(workspace.engine, doc, analyst="a")
    assert any(p.path == path and message in p.message for p in caught.value.errors), caught.value.errors
    assert one(workspace, "SELECT count(*) FROM report")[0] == 0


def test_a_quote_may_point_into_a_report_already_in_the_workspace(workspace: Workspace) -> None:
    doc = document()
    claims, doc["claims"], doc["outreach"] = doc["claims"], [], []
    import_json(workspace.engine, doc, analyst="a")
    later = {"format": "crosscheck-workspace", "version": 1, "claims": claims}
    import_json(workspace.engine, later, analyst="a")
    claims[0]["id"], claims[0]["quote"] = "c-2", {"start": 0, "end": len(TEXT) + 5}
    with pytest.raises(ImportErrors, match="beyond the end"):
        import_json(workspace.engine, later, analyst="a")


def test_migrating_an_older_workspace_fills_in_the_digest_of_existing_reports(workspace: Workspace) -> None:
    with workspace.engine.connect() as connection, connection.begin():
        command.downgrade(db._alembic_config(connection), "0007")
    with workspace.engine.connect() as connection, connection.begin():
        connection.execute(
            text(
                "INSERT INTO source (ext_id, name, aliases, kind, side, group_label, reliability, notes) "
                "VALUES ('s', 'S', '[]', 'other', '', '', 'F', '')"
            )  # fmt: skip
        )
        connection.execute(text("INSERT INTO report (ext_id, title, text) VALUES ('r', 'R', :t)"), {"t": TEXT})
    db.upgrade(workspace.engine, backup_dir=workspace_backups(workspace))
    assert one(workspace, "SELECT sha256, retrieved FROM report")[0] == sha(TEXT)


def workspace_backups(ws: Workspace) -> Path:
    path = db.sqlite_path(ws.engine)
    assert path is not None
    return path.parent / "backups"


def test_retrieved_must_carry_a_time_zone(workspace: Workspace) -> None:
    with pytest.raises(InvalidValue, match="time zone"):
        workspace.store.create_report("R", retrieved=dt.datetime(2022, 12, 15, 8, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("wording", "term"),
    [("highly improbable", "very unlikely"), ("Highly unlikely", "very unlikely"), ("remote", "almost no chance"),
     ("roughly even odds", "roughly even chance"), ("nearly certain", "almost certain"), ("likely", "likely")],
)  # fmt: skip
def test_likelihood_accepts_the_icd_203_pairs_and_common_wordings(
    workspace: Workspace, report: dict[str, int], wording: str, term: str
) -> None:
    s = workspace.store
    claim = s.create_claim("x", report["publisher"], kind="assessment", likelihood=wording).value
    assert one(workspace, "SELECT likelihood FROM claim WHERE id = :c", c=claim)[0] == term
    s.update_claim(claim, likelihood=None)
    s.update_claim(claim, likelihood=wording.upper())
    assert one(workspace, "SELECT likelihood FROM claim WHERE id = :c", c=claim)[0] == term
    with pytest.raises(InvalidValue, match="likelihood"):
        s.update_claim(claim, likelihood="maybe")


def test_capture_fields_replay_as_of_an_earlier_moment(workspace: Workspace) -> None:
    """Quotes, digests, retrieval times and who asked come back exactly in an export as of T (DESIGN §2.9)."""
    from desktop.core.history import as_of
    from desktop.core.store import Store

    ticks = iter(dt.datetime(2022, 12, 15, 8, minute, tzinfo=dt.UTC) for minute in range(60))
    store = Store(workspace.engine, "anna", clock=lambda: next(ticks))
    newsroom = store.create_source("Newsroom").value
    report = store.create_report("Round-up", source_id=newsroom, text=TEXT).value
    claim = store.create_claim("held", newsroom, report_id=report, quote_start=14, quote_end=32).value
    store.create_outreach("Ministry", [claim], by_source_id=newsroom)
    then = one(workspace, "SELECT max(at) FROM audit")[0]
    then = then if isinstance(then, dt.datetime) else dt.datetime.fromisoformat(str(then))
    then = then.replace(tzinfo=dt.UTC) if then.tzinfo is None else then
    exported_then = export_json(workspace.engine)
    store.update_claim(claim, quote_start=0, quote_end=4)
    store.delete_report(report)
    replayed = as_of(workspace.engine, then)
    assert replayed.problems == []
    assert (json.dumps(replayed.document, ensure_ascii=False, indent=2) + "\n").encode() == exported_then
