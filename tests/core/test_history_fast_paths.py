"""As of T: the shortcuts the replay takes at scale give what the general path gives.

The audit values read without the JSON parser (``trail._json``), and the patch comparing only the fields an
undone update set (``_State.touched``): a field changed twice, changed and changed back, a record an undone
deletion made anew; and the rows ``read_document`` reads through the DB-API cursor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from desktop.core.db import table_of
from desktop.core.history.scratch import replay_into_scratch
from desktop.core.history.trail import read_rows
from desktop.core.interchange import export_json, import_json, json_export
from desktop.core.interchange.json_export import read_document
from desktop.core.schema import WORKSPACE_TABLES, AuditEntry
from desktop.core.store import Store
from desktop.core.workspace import Workspace
from tests.core.history_steps import START, Clock

#: values that look alike once stored: text that spells null or a number, escapes, non-ASCII, lists
_VALUES: list[Any] = [
    None, "null", "", "3", 3, -2, 2.5, True, False, "true", 'say "no"', "back\\slash", "line\nbreak", "tab\t",
    "Бахмут", "emoji \U0001f600", "\u2028", '"', "[]", [], ["a", "b"], {"start": 1}, "a->b",
]  # fmt: skip


def test_audit_values_are_read_as_the_general_path_reads_them(workspace: Workspace) -> None:
    audit = table_of(AuditEntry)
    at = START + dt.timedelta(hours=1)
    rows = [
        {"at": at, "analyst": "anna", "entity": "claim", "entity_id": f"c{i}", "action": "update",
         "field": "notes", "old": value, "new": _VALUES[-1 - i]}
        for i, value in enumerate(_VALUES)
    ]  # fmt: skip
    with workspace.engine.begin() as connection:
        connection.execute(sa.insert(audit), rows)
    with workspace.engine.connect() as connection:
        fast = read_rows(connection, after=START)  # SQLite: the DB-API cursor, values decoded by ``_json``
        general = read_rows(connection, entities=[("claim", f"c{i}") for i in range(len(_VALUES))])  # SQLAlchemy
    assert [(row.old, row.new) for row in fast] == [(row.old, row.new) for row in general]
    assert [row.old for row in fast] == _VALUES
    assert [type(row.old) for row in fast] == [type(value) for value in _VALUES]  # "3" stays text, 3 a number


def _claim_id(workspace: Workspace, ext_id: str) -> int:
    with workspace.engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT id FROM claim WHERE ext_id = :e"), {"e": ext_id}).scalar_one())


def _patched_export(workspace: Workspace, when: dt.datetime) -> bytes:
    replayed = replay_into_scratch(workspace.engine, when)
    try:
        assert replayed.as_of.problems == []
        return export_json(replayed.engine)
    finally:
        replayed.close()


def _workspace_at_t(workspace: Workspace, clock: Clock) -> tuple[Store, dt.datetime, bytes]:
    document = {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [{"id": "s", "name": "Rybar"}],
        "claims": [
            {"id": f"c{i}", "text": f"Claim {i}", "source": "s", "credibility": 3, "recorded": "2022-12-15T08:00:00Z"}
            for i in range(4)
        ],
    }
    import_json(workspace.engine, document, analyst="importer", now=clock())
    clock.tick()
    return Store(workspace.engine, "anna", clock=clock), clock(), export_json(workspace.engine)


def test_fields_changed_twice_or_back_are_put_back_as_they_stood(workspace: Workspace) -> None:
    clock = Clock()
    store, when, exported = _workspace_at_t(workspace, clock)
    twice, back, several = (_claim_id(workspace, f"c{i}") for i in range(3))
    for changes in ({"credibility": 5}, {"credibility": 1, "text": "Breach"}):
        clock.tick()
        store.update_claim(twice, **changes)
    for credibility in (6, 3):
        clock.tick()
        store.update_claim(back, credibility=credibility)
    clock.tick()
    store.update_claim(several, text="Repelled", notes="checked", verdict="refuted", claimed=dt.date(2022, 12, 1))
    clock.tick()
    store.update_claim(several, notes="")
    assert _patched_export(workspace, when) == exported


def test_a_record_an_undone_deletion_made_anew_is_compared_whole(workspace: Workspace) -> None:
    """A claim deleted after T and put back by an undo, in its row of T: every field of the record the
    deletion's snapshot makes is compared with the row as it is, not only fields an update named (here the
    row's text was changed since without a trail, which only the whole comparison sees)."""
    clock = Clock()
    store, when, exported = _workspace_at_t(workspace, clock)
    ident = _claim_id(workspace, "c1")
    clock.tick()
    store.update_claim(ident, credibility=2)
    clock.tick()
    deleted = store.delete_claim(ident)
    clock.tick()
    deleted.undo(store)
    assert _claim_id(workspace, "c1") == ident, "the undo puts the row back with its internal id"
    with workspace.engine.begin() as connection:
        connection.execute(sa.text("UPDATE claim SET text = 'Changed unseen' WHERE id = :i"), {"i": ident})
    assert _patched_export(workspace, when) == exported


def test_rows_read_through_the_cursor_hold_what_sqlalchemy_returns(sample_workspace: Workspace) -> None:
    """``read_document``'s SQLite path: each column's value as SQLAlchemy's result makes it (dates, times in
    UTC, booleans, JSON lists), whole tables and a chunk of ids."""
    with sample_workspace.engine.connect() as connection:
        for table in WORKSPACE_TABLES.values():
            if "id" not in table.c:
                continue
            columns = tuple(column.name for column in table.columns)
            query = sa.select(*table.columns).order_by(table.c.id)
            expected = [tuple(row) for row in connection.execute(query)]
            assert expected, f"the sample has {table.name} rows"
            assert [tuple(row) for row in json_export._select(connection, table, columns, ("id",), None)] == expected
            some = [row[0] for row in expected[::2]]
            chosen = [tuple(row) for row in json_export._select(connection, table, columns, ("id",), some)]
            assert chosen == expected[::2]


def test_a_document_of_some_rows_holds_them_as_the_whole_document_does(sample_workspace: Workspace) -> None:
    with sample_workspace.engine.connect() as connection:
        whole = read_document(connection)
        only = {
            table: [i for (i,) in connection.execute(sa.text(f"SELECT id FROM {table} ORDER BY id"))][1::2]
            for table in ("source", "report", "place", "claim", "link", "outreach")
        }
        some = read_document(connection, only=only)
    for section in ("sources", "reports", "places", "claims", "links", "outreach"):
        assert whole[section][1::2] == some[section], section
