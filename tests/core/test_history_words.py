"""The audit trail in words and as JSON (``crosscheck history``), and the ``changed:`` filter."""

from __future__ import annotations

import datetime as dt

from desktop.core.history.names import names_for
from desktop.core.history.words import entries_about, entry, history_rows, lines
from desktop.core.search import matching_ids
from desktop.core.store import Store
from desktop.core.workspace import Workspace, open_workspace
from tests.core.history_steps import START, Clock


def _workspace(workspace: Workspace) -> tuple[Store, Clock, dict[str, int]]:
    clock = Clock(dt.datetime(2022, 12, 15, 10, 0, tzinfo=dt.UTC))
    store = Store(workspace.engine, "anna", clock=clock)
    ids = {
        "rybar": store.create_source("Rybar", side="russia", ext_id="src-rybar").value,
        "isw": store.create_source("ISW", ext_id="src-isw").value,
    }
    ids["breach"] = store.create_claim("Breach in the east", ids["rybar"], ext_id="c-breach", credibility=3).value
    ids["other"] = store.create_claim("Neither confirms nor denies", ids["isw"], ext_id="c-isw").value
    return store, clock, ids


def test_an_edit_reads_as_a_sentence_with_the_old_and_new_value(workspace: Workspace) -> None:
    store, clock, ids = _workspace(workspace)
    clock.tick(120)
    store.update_claim(ids["breach"], credibility=2)
    with workspace.engine.connect() as connection:
        said = lines(history_rows(connection))
    assert said[-1] == "2022-12-15 10:02 anna: claim c-breach credibility 3 → 2"
    assert said[0] == "2022-12-15 10:00 anna: source src-rybar created: Rybar"
    assert "2022-12-15 10:00 anna: claim c-breach created: “Breach in the east”" in said


def test_links_deletions_and_references_read_in_interchange_terms(workspace: Workspace) -> None:
    store, clock, ids = _workspace(workspace)
    clock.tick(60)
    store.set_link(ids["other"], ids["breach"], "neutral", "leaves it open")
    store.update_source(ids["isw"], group_label="think tanks")
    clock.tick(60)
    store.update_claim(ids["breach"], source_id=ids["isw"])
    store.delete_claim(ids["other"])
    with workspace.engine.connect() as connection:
        rows = history_rows(connection, since=START + dt.timedelta(hours=1))
    said = lines(rows)
    assert "2022-12-15 10:01 anna: link c-isw → c-breach marked neutral (“leaves it open”)" in said
    assert "2022-12-15 10:01 anna: source src-isw group none → “think tanks”" in said
    assert "2022-12-15 10:02 anna: claim c-breach source src-rybar → src-isw" in said
    assert "2022-12-15 10:02 anna: link c-isw → c-breach removed (was neutral)" in said
    assert "2022-12-15 10:02 anna: claim c-isw deleted: “Neither confirms nor denies”" in said
    as_json = [entry(row).as_json() for row in rows]
    assert {"at": "2022-12-15T10:02:00Z", "analyst": "anna", "entity": "claim", "id": "c-breach",
            "action": "update", "field": "source", "old": "src-rybar", "new": "src-isw"} in as_json  # fmt: skip
    assert all(row["field"] not in ("id", "status", "sort_date") for row in as_json)


def test_a_claims_history_holds_its_links_by_either_end_and_its_source(workspace: Workspace) -> None:
    store, clock, ids = _workspace(workspace)
    third = store.create_claim("Unrelated", ids["isw"], ext_id="c-3").value
    clock.tick()
    store.set_link(ids["other"], ids["breach"], "neutral")
    store.set_link(ids["breach"], third, "contradicts")
    store.set_link(ids["other"], third, "corroborates")
    store.update_source(ids["rybar"], reliability="C")
    with workspace.engine.connect() as connection:
        about = entries_about(connection, "c-breach", source="src-rybar")
    keys = {(row.entity, row.entity_id) for row in about}
    assert keys == {("claim", "c-breach"), ("link", "c-isw->c-breach"), ("link", "c-breach->c-3"),
                    ("source", "src-rybar")}  # fmt: skip


def test_changed_after_finds_claims_edited_or_linked_since(workspace: Workspace) -> None:
    store, clock, ids = _workspace(workspace)
    third = store.create_claim("Unrelated", ids["isw"], ext_id="c-3").value
    clock.tick(3600)
    store.update_claim(third, reviewed=True)
    store.set_link(ids["other"], ids["breach"], "neutral")
    names = {ident: name for name, ident in ids.items()} | {third: "third"}
    with workspace.engine.connect() as connection:

        def found(query: str) -> list[str]:
            return sorted(names[ident] for ident in matching_ids(connection, query))

        assert found("changed:>2022-12-15T10:30:00Z") == ["breach", "other", "third"]
        assert found("changed:>2022-12-15T10:30:00Z -reviewed:yes") == ["breach", "other"]
        assert found("changed:>2022-12-15T11:30Z") == []
        assert found("changed:>2022-12-14") == ["breach", "other", "third"]  # a date: after that whole day
        assert found("changed:>2022-12-15") == []


def _named_lines(workspace: Workspace, **kwargs: object) -> list[str]:
    with workspace.engine.connect() as connection:
        rows = history_rows(connection, **kwargs)  # type: ignore[arg-type]
        return lines(rows, names=names_for(connection, rows))


def _story_of_names(workspace: Workspace) -> None:
    store, clock, ids = _workspace(workspace)
    report = store.create_report("Daily update on the eastern front", source_id=ids["isw"], ext_id="rep-1").value
    place = store.create_place("Bakhmut", ["Бахмут"], ext_id="pl-bakhmut").value
    gone = store.create_source("Short-lived channel", ext_id="src-gone").value
    clock.tick(60)
    store.update_claim(ids["breach"], source_id=ids["isw"], report_id=report, places=[place])
    store.update_claim(ids["other"], source_id=gone)
    store.update_source(ids["isw"], group_label="think tanks")
    store.create_outreach("Ministry of Defence", about=[ids["breach"]], by_source_id=ids["isw"], ext_id="o-1")
    clock.tick(60)
    store.update_claim(ids["other"], source_id=ids["rybar"])
    store.delete_source(gone)


def _assert_named(said: list[str], analyst: str = "anna") -> None:
    said = [line.replace(f" {analyst}: ", " anna: ", 1) for line in said]
    assert "2022-12-15 10:01 anna: claim c-breach source Rybar → ISW" in said
    assert "2022-12-15 10:01 anna: claim c-breach report none → “Daily update on the eastern front”" in said
    assert "2022-12-15 10:01 anna: claim c-breach places none → Bakhmut" in said
    assert "2022-12-15 10:01 anna: source ISW group none → “think tanks”" in said
    assert "2022-12-15 10:01 anna: request for comment created: “Ministry of Defence”" in said
    # A source deleted since keeps its id, said to be gone; its deletion names it from the trail's own values.
    assert "2022-12-15 10:01 anna: claim c-isw source ISW → src-gone (deleted)" in said
    assert "2022-12-15 10:02 anna: claim c-isw source src-gone (deleted) → Rybar" in said
    assert "2022-12-15 10:02 anna: source deleted: “Short-lived channel”" in said
    assert not any("src-isw" in line or "src-rybar" in line or "rep-1" in line for line in said)


def test_history_lines_name_sources_reports_and_places_and_say_what_is_gone(workspace: Workspace) -> None:
    _story_of_names(workspace)
    _assert_named(_named_lines(workspace))
    with workspace.engine.connect() as connection:
        rows = history_rows(connection)
    as_json = [entry(row).as_json() for row in rows]  # the contract: references stay interchange ids
    assert {"at": "2022-12-15T10:01:00Z", "analyst": "anna", "entity": "claim", "id": "c-breach",
            "action": "update", "field": "source", "old": "src-rybar", "new": "src-isw"} in as_json  # fmt: skip


def test_history_lines_name_on_postgresql_too(postgres_url: str) -> None:
    opened = open_workspace(postgres_url, analyst="anna")
    try:
        _story_of_names(opened)
        _assert_named(_named_lines(opened), analyst="postgres")  # the database login (DESIGN §7)
    finally:
        opened.close()


def test_a_claims_history_holds_the_requests_for_comment_about_it(workspace: Workspace) -> None:
    store, clock, ids = _workspace(workspace)
    asked = store.create_outreach("Ministry of Defence", about=[ids["breach"]], ext_id="o-1").value
    store.create_outreach("General Staff", about=[ids["other"]], ext_id="o-2")
    clock.tick(60)
    store.update_outreach(asked, status="answered", response="no comment")
    with workspace.engine.connect() as connection:
        about = entries_about(connection, "c-breach", source="src-rybar")
        said = lines(about, names=names_for(connection, about))
    assert {(row.entity, row.entity_id) for row in about} == {("claim", "c-breach"), ("source", "src-rybar"),
                                                               ("outreach", "o-1")}  # fmt: skip
    assert "2022-12-15 10:01 anna: request for comment to “Ministry of Defence” status pending → answered" in said
