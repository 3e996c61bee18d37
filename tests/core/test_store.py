"""The one write path: transactions, audit rows, delete semantics, undo, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, text

from desktop.core.errors import NotFound, Refused, UserError
from desktop.core.schema import AuditEntry
from desktop.core.store import InvalidValue, Store
from desktop.core.store.status import stale_claims
from desktop.core.workspace import Workspace


def rows(ws: Workspace, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with ws.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def table_counts(ws: Workspace) -> dict[str, int]:
    tables = ["source", "report", "place", "place_alias", "claim", "claim_place", "link", "outreach", "audit"]
    return {t: rows(ws, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def status_of(ws: Workspace, claim: int) -> str:
    return str(rows(ws, "SELECT status FROM claim WHERE id = :c", c=claim)[0][0])


@pytest.fixture
def world(workspace: Workspace) -> dict[str, int]:
    """Two sides, an unaligned think tank, a place with aliases, and one claim per source."""
    s: Store = workspace.store
    ids = {
        "ru": s.create_source(
            "Rybar", kind="telegram-channel", side="russia", group_label="mil", reliability="C"
        ).value,
        "ua": s.create_source("General Staff", kind="government", side="ukraine", reliability="B").value,
        "tank": s.create_source("ISW", kind="think-tank", reliability="B").value,
        "place": s.create_place("Bakhmut", aliases=["Бахмут", "Artemivsk"], lat=48.595, lon=38.0).value,
    }
    ids["breach"] = s.create_claim("Eastern defences breached", ids["ru"], places=[ids["place"]]).value
    ids["repelled"] = s.create_claim("Assaults repelled", ids["ua"], places=[ids["place"]]).value
    ids["offensive"] = s.create_claim("Offensive continues", ids["tank"]).value
    return ids


def test_every_field_of_an_update_is_audited_with_old_and_new(workspace: Workspace, world: dict[str, int]) -> None:
    workspace.store.update_claim(world["breach"], credibility=3, verdict="inconclusive", claimed=dt.date(2022, 12, 14))
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    query = (
        select(audit.c.analyst, audit.c.entity, audit.c.action, audit.c.field, audit.c.old, audit.c.new)
        .where(audit.c.entity == "claim", audit.c.action == "update")
        .order_by(audit.c.field)
    )
    with workspace.engine.connect() as connection:
        audited = [tuple(r) for r in connection.execute(query)]
    assert audited == [
        ("tester", "claim", "update", "claimed", None, "2022-12-14"),
        ("tester", "claim", "update", "credibility", None, 3),
        ("tester", "claim", "update", "verdict", None, "inconclusive"),
    ]


def test_an_update_that_changes_nothing_writes_no_audit_row(workspace: Workspace, world: dict[str, int]) -> None:
    before = table_counts(workspace)["audit"]
    workspace.store.update_claim(world["breach"], text="Eastern defences breached")
    assert table_counts(workspace)["audit"] == before


def test_audit_names_entities_by_interchange_id(workspace: Workspace, world: dict[str, int]) -> None:
    workspace.store.set_link(world["repelled"], world["breach"], "contradicts", "denies it")
    (ext_from,), (ext_to,) = (
        rows(workspace, "SELECT ext_id FROM claim WHERE id = :c", c=world["repelled"])[0],
        rows(workspace, "SELECT ext_id FROM claim WHERE id = :c", c=world["breach"])[0],
    )
    fields = rows(
        workspace, "SELECT field FROM audit WHERE entity = 'link' AND entity_id = :k", k=f"{ext_from}->{ext_to}"
    )
    assert {"relation", "rationale"} <= {f for (f,) in fields}


def test_a_refused_write_changes_nothing(workspace: Workspace, world: dict[str, int]) -> None:
    before = table_counts(workspace)
    with pytest.raises(InvalidValue, match="credibility"):
        workspace.store.update_claim(world["breach"], credibility=9)
    with pytest.raises(InvalidValue, match="control character"):
        workspace.store.create_claim("bell\x07", world["ru"])
    with pytest.raises(InvalidValue, match="too long"):
        workspace.store.create_claim("x" * 20_001, world["ru"])
    with pytest.raises(NotFound):
        workspace.store.create_claim("a claim by nobody", 9999)
    with pytest.raises(Refused, match="itself"):
        workspace.store.set_link(world["breach"], world["breach"], "corroborates")
    assert table_counts(workspace) == before


def test_cyrillic_and_right_to_left_text_is_kept_exactly(workspace: Workspace, world: dict[str, int]) -> None:
    words = "Бахмут — ВСУ отразили атаки; قصف عنيف في المدينة"
    claim = workspace.store.create_claim(words, world["ua"]).value
    assert rows(workspace, "SELECT text FROM claim WHERE id = :c", c=claim) == [(words,)]


def test_deleting_a_source_in_use_is_refused(workspace: Workspace, world: dict[str, int]) -> None:
    with pytest.raises(Refused, match="still has 1 claim"):
        workspace.store.delete_source(world["ru"])
    assert rows(workspace, "SELECT count(*) FROM source WHERE id = :s", s=world["ru"]) == [(1,)]


def test_deleting_an_unused_source_can_be_undone(workspace: Workspace) -> None:
    store = workspace.store
    source = store.create_source("Spare", kind="other").value
    undo = store.delete_source(source).undo
    assert rows(workspace, "SELECT count(*) FROM source WHERE id = :s", s=source) == [(0,)]
    undo(store)
    assert rows(workspace, "SELECT name FROM source WHERE id = :s", s=source) == [("Spare",)]


def test_deleting_a_claim_removes_its_links_and_undo_restores_them(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    store.set_link(world["repelled"], world["breach"], "contradicts")
    store.set_link(world["offensive"], world["breach"], "corroborates")
    assert status_of(workspace, world["breach"]) == "contested"
    before = rows(workspace, "SELECT * FROM link ORDER BY id")
    result = store.delete_claim(world["breach"])
    assert rows(workspace, "SELECT count(*) FROM link") == [(0,)]
    assert status_of(workspace, world["repelled"]) == "unverified"
    assert result.change.removed_claims == {world["breach"]}
    result.undo(store)
    assert rows(workspace, "SELECT * FROM link ORDER BY id") == before
    assert status_of(workspace, world["breach"]) == "contested"
    assert rows(workspace, "SELECT place_id FROM claim_place WHERE claim_id = :c", c=world["breach"]) == [
        (world["place"],)
    ]


def test_deleting_a_place_unlinks_claims_and_undo_relinks(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    result = store.delete_place(world["place"])
    assert rows(workspace, "SELECT count(*) FROM claim_place") == [(0,)]
    assert rows(workspace, "SELECT count(*) FROM place_alias") == [(0,)]
    assert rows(workspace, "SELECT count(*) FROM claim") == [(3,)]  # the claims stay
    result.undo(store)
    assert rows(workspace, "SELECT count(*) FROM claim_place") == [(2,)]
    assert rows(workspace, "SELECT alias FROM place_alias ORDER BY position") == [("Бахмут",), ("Artemivsk",)]


def test_deleting_a_report_keeps_its_claims(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    report = store.create_report("Daily update", source_id=world["tank"]).value
    store.update_claim(world["offensive"], report_id=report)
    result = store.delete_report(report)
    assert rows(workspace, "SELECT report_id FROM claim WHERE id = :c", c=world["offensive"]) == [(None,)]
    result.undo(store)
    assert rows(workspace, "SELECT report_id FROM claim WHERE id = :c", c=world["offensive"]) == [(report,)]


def test_one_link_per_pair_a_new_relation_replaces_the_old(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    store.set_link(world["offensive"], world["breach"], "corroborates")
    result = store.set_link(world["breach"], world["offensive"], "contradicts")
    assert rows(workspace, "SELECT from_id, to_id, relation FROM link") == [
        (world["breach"], world["offensive"], "contradicts")
    ]
    result.undo(store)
    assert rows(workspace, "SELECT from_id, to_id, relation FROM link") == [
        (world["offensive"], world["breach"], "corroborates")
    ]


def test_undo_of_undo_redoes(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    first = store.update_claim(world["breach"], credibility=2)
    second = first.undo(store)
    assert rows(workspace, "SELECT credibility FROM claim WHERE id = :c", c=world["breach"]) == [(None,)]
    second.undo(store)
    assert rows(workspace, "SELECT credibility FROM claim WHERE id = :c", c=world["breach"]) == [(2,)]


def test_source_side_change_rederives_the_claims_it_touches(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    ally = store.create_source("Russian MoD", kind="ministry", side="russia").value
    echo = store.create_claim("Troops advanced in the east of the city", ally).value
    store.set_link(echo, world["breach"], "corroborates")
    assert status_of(workspace, world["breach"]) == "aligned"
    result = store.update_source(ally, side="")
    assert status_of(workspace, world["breach"]) == "corroborated"  # unaligned support counts as cross-side
    assert world["breach"] in result.change.status_changed
    store.update_source(ally, group_label="mil")  # now shares Rybar's group: an echo
    assert status_of(workspace, world["breach"]) == "unverified"


def test_a_repeats_link_merges_evidence_and_refreshes_both(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    relay = store.create_claim("Relay: defences breached", world["tank"]).value
    store.set_link(world["repelled"], relay, "contradicts")
    assert status_of(workspace, world["breach"]) == "unverified"
    store.set_link(relay, world["breach"], "repeats")
    assert status_of(workspace, world["breach"]) == "contradicted"
    assert status_of(workspace, relay) == "contradicted"


def test_verdict_disputed_flag_follows_the_evidence(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    store.update_claim(world["breach"], verdict="confirmed")
    assert rows(workspace, "SELECT verdict_disputed FROM claim WHERE id = :c", c=world["breach"]) == [(0,)]
    store.set_link(world["repelled"], world["breach"], "contradicts")
    assert rows(workspace, "SELECT verdict_disputed FROM claim WHERE id = :c", c=world["breach"]) == [(1,)]


def test_claimed_date_drives_the_sort_date(workspace: Workspace, world: dict[str, int]) -> None:
    workspace.store.update_claim(world["breach"], claimed=dt.date(2022, 12, 10))
    assert rows(workspace, "SELECT sort_date FROM claim WHERE id = :c", c=world["breach"]) == [("2022-12-10",)]


def test_event_end_before_start_is_refused(workspace: Workspace, world: dict[str, int]) -> None:
    with pytest.raises(UserError, match="before its start"):
        workspace.store.update_claim(world["breach"], event_start=dt.date(2022, 12, 14), event_end=dt.date(2022, 12, 1))


def test_outreach_records_a_request_about_claims(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    result = store.create_outreach("Russian MoD", about=[world["breach"]], contacted=dt.date(2022, 12, 15))
    assert world["breach"] in result.change.claims
    store.update_outreach(result.value, status="declined")
    assert rows(workspace, "SELECT party, status FROM outreach") == [("Russian MoD", "declined")]
    store.delete_claim(world["breach"])
    assert rows(workspace, "SELECT count(*) FROM outreach_claim") == [(0,)]


def test_stored_statuses_always_match_a_full_derivation(workspace: Workspace, world: dict[str, int]) -> None:
    store = workspace.store
    store.set_link(world["repelled"], world["breach"], "contradicts")
    store.set_link(world["offensive"], world["breach"], "neutral")
    relay = store.create_claim("Relay", world["ua"]).value
    store.set_link(relay, world["repelled"], "repeats")
    store.update_source(world["tank"], side="ukraine")
    store.delete_claim(world["repelled"]).undo(store)
    with workspace.engine.connect() as connection:
        assert stale_claims(connection) == []


def test_entities_can_be_created_with_a_chosen_interchange_id(workspace: Workspace) -> None:
    store = workspace.store
    source = store.create_source("Rybar", ext_id="src-rybar").value
    store.create_claim("Defences breached", source, ext_id="c-breach")
    assert rows(workspace, "SELECT ext_id FROM source") == [("src-rybar",)]
    assert rows(workspace, "SELECT ext_id FROM claim") == [("c-breach",)]


@pytest.mark.parametrize("hostile", ["lone \ud800 surrogate", "bidi \u202e override", "nul \x00 byte"])
def test_text_that_cannot_be_stored_faithfully_is_refused(workspace: Workspace, hostile: str) -> None:
    source = workspace.store.create_source("Somebody").value
    with pytest.raises(InvalidValue, match="claim text contains"):
        workspace.store.create_claim(hostile, source)
    assert rows(workspace, "SELECT count(*) FROM claim") == [(0,)]


def test_undoing_a_deletion_whose_id_was_used_again_is_refused_and_changes_nothing(
    workspace: Workspace, world: dict[str, int]
) -> None:
    """SQLite hands a deleted last row's id to the next insert; the restore must not collide with it."""
    s = workspace.store
    spare = s.create_place("Soledar").value
    deleted = s.delete_place(spare)
    reused = s.create_place("Klishchiivka").value
    assert reused == spare  # the premise: the id came back
    before = table_counts(workspace)
    with pytest.raises(Refused, match="used again"):
        deleted.undo(s)
    assert table_counts(workspace) == before
    assert rows(workspace, "SELECT name FROM place WHERE id = :p", p=reused) == [("Klishchiivka",)]


def test_undoing_a_claims_deletion_after_its_request_for_comment_went_is_refused(
    workspace: Workspace, world: dict[str, int]
) -> None:
    """Another analyst (or an earlier step) removed what the claim belonged with: say so, change nothing."""
    s = workspace.store
    request = s.create_outreach("Ministry of Defence", about=[world["breach"], world["repelled"]]).value
    deleted = s.delete_claim(world["breach"])
    s.delete_outreach(request)
    before = table_counts(workspace)
    with pytest.raises(Refused, match="requests for comment"):
        deleted.undo(s)
    assert table_counts(workspace) == before


def test_undoing_a_requests_deletion_after_the_source_who_asked_went_is_refused(
    workspace: Workspace, world: dict[str, int]
) -> None:
    """The request names who asked (a source): once that source is gone, its restore is refused, not a raw error."""
    s = workspace.store
    asker = s.create_source("Kyiv Independent").value
    request = s.create_outreach("Ministry of Defence", about=[world["breach"]], by_source_id=asker).value
    deleted = s.delete_outreach(request)
    s.delete_source(asker)
    before = table_counts(workspace)
    with pytest.raises(Refused, match="1 sources it belonged with"):
        deleted.undo(s)
    assert table_counts(workspace) == before


INVISIBLE_ONLY = ["\u200b", " \ufeff\u2060 ", "\u200e\u200f", "\u202b\u2067", "\u200c\u200d\u00ad"]


@pytest.mark.parametrize("invisible", INVISIBLE_ONLY)
def test_a_required_text_of_only_invisible_characters_is_refused_as_empty(
    workspace: Workspace, world: dict[str, int], invisible: str
) -> None:
    """Zero-width spaces, joiners, the byte-order mark, bidi marks: as empty as nothing, in every required field."""
    store, before = workspace.store, table_counts(workspace)
    attempts = [
        ("claim text must not be empty", lambda: store.create_claim(invisible, world["ru"])),
        ("claim text must not be empty", lambda: store.update_claim(world["breach"], text=invisible)),
        ("source name must not be empty", lambda: store.create_source(invisible)),
        ("source name must not be empty", lambda: store.update_source(world["ru"], name=invisible)),
        ("place name must not be empty", lambda: store.create_place(invisible)),
        ("place aliases entry", lambda: store.create_place("Soledar", aliases=[invisible])),
        ("report title must not be empty", lambda: store.create_report(invisible)),
        ("request for comment party must not be empty", lambda: store.create_outreach(invisible, [world["breach"]])),
    ]
    for message, attempt in attempts:
        with pytest.raises(InvalidValue) as refused:
            attempt()
        assert str(refused.value).startswith(message), str(refused.value)
    assert table_counts(workspace) == before


def test_invisible_characters_among_visible_ones_are_kept_exactly(workspace: Workspace, world: dict[str, int]) -> None:
    words = "\u200fהתקפה נהדפה\u200f قصف\u200c"  # right-to-left marks and a non-joiner around real words
    claim = workspace.store.create_claim(words, world["ua"]).value
    source = workspace.store.create_source("\u200bRybar").value
    assert rows(workspace, "SELECT text FROM claim WHERE id = :c", c=claim) == [(words,)]
    assert rows(workspace, "SELECT name FROM source WHERE id = :s", s=source) == [("\u200bRybar",)]
