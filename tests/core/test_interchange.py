"""The interchange format (docs/formats.md): all-or-nothing import, canonical export, safe CSV."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from desktop.core import corroboration
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.errors import UserError
from desktop.core.history import parse_moment as parse_as_of
from desktop.core.interchange import (
    ImportErrors,
    export_csv,
    export_document,
    export_json,
    import_json,
    json_export,
    json_import,
    json_validate,
    specs,
)
from desktop.core.interchange import format as fmt
from desktop.core.interchange.csv_export import COLUMNS, neutralise
from desktop.core.interchange.json_export import canonical_json
from desktop.core.interchange.status_report import claim_statuses
from desktop.core.store import bulk, bulk_fts, status
from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace, open_workspace

FIXTURES = Path(__file__).parent / "fixtures"


def small_document() -> dict[str, Any]:
    """Two sides, a group, every section; c-ru and c-ua corroborate each other across sides."""
    return json.loads((FIXTURES / "small-workspace.json").read_text(encoding="utf-8"))


def generated_document(claims: int = 60) -> dict[str, Any]:
    """A larger document exercising every field: scripts, offsets, nulls, absent optional keys."""
    sources = [
        {
            "id": f"src-{i}",
            "name": f"Источник {i}" if i % 2 else f"Source {i}",
            "kind": fmt_kind(i),
            "side": ("russia", "ukraine", None)[i % 3],
            "group": "state-media" if i % 4 == 0 else None,
            "reliability": "ABCDEF"[i % 6],
            "url": f"https://example.org/{i}" if i % 2 else None,
            "aliases": [f"S{i}", f"С{i}"],
            "notes": "" if i % 2 else "notes\nover two lines",
        }
        for i in range(8)
    ]
    places = [
        {"id": "pl-b", "name": "Bakhmut", "aliases": ["Бахмут", "Artemivsk"], "region": "Donetsk Oblast",
         "lat": 48.595, "lon": 38.0},
        {"id": "pl-s", "name": "Soledar"},
    ]  # fmt: skip
    reports = [{"id": "rep-1", "title": "Daily update", "source": "src-0", "published": "2022-12-15"}]
    claim_rows: list[dict[str, Any]] = []
    for i in range(claims):
        claim: dict[str, Any] = {"id": f"c-{i}", "text": f"Claim {i} — «Бахмут» 🛰", "source": f"src-{i % 8}"}
        if i % 3 == 0:
            claim.update(
                report="rep-1",
                kind="assessment",
                claimed="2022-12-14",
                event={"start": "2022-12-13", "end": "2022-12-14", "precision": "approx"},
                places=["pl-b", "pl-s"],
                credibility=1 + i % 6,
                likelihood="likely",
                verdict="confirmed",
                reviewed=True,
                tags=["breakthrough", "промзона"],
                notes="=not a formula",
                recorded="2022-12-15T12:00:00+02:00",
            )
        elif i % 3 == 1:
            claim.update(recorded=f"2022-12-15T09:{i % 60:02d}:00Z", event=None, places=[])
        else:
            claim.update(recorded="2022-12-16T00:00:00.250Z", event={"start": "2022-12-01"})
        claim_rows.append(claim)
    relations = ("corroborates", "contradicts", "neutral", "repeats")
    links = [
        {"from": f"c-{i}", "to": f"c-{i - 1}", "relation": relations[i % 4], "rationale": f"because {i}",
         "analyst": "ana", "recorded": "2022-12-16T10:00:00Z"}
        for i in range(1, claims, 2)
    ]  # fmt: skip
    links.append({"from": "c-0", "to": f"c-{claims - 1}", "relation": "neutral"})
    outreach = [{"id": "o-1", "party": "Ministry", "contacted": "2022-12-14", "about": ["c-0", "c-1"]}]
    return {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": sources,
        "reports": reports,
        "places": places,
        "claims": claim_rows,
        "links": links,
        "outreach": outreach,
    }


def fmt_kind(i: int) -> str:
    return ("telegram-channel", "think-tank", "government", "ministry", "news-outlet", "microblogger")[i % 6]


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the workspace (audit and full-text tables included)."""
    with engine.connect() as connection:
        names = [
            r[0] for r in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        ]
        return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}


def refused(engine: Engine, data: bytes | str | dict[str, Any]) -> ImportErrors:
    """Import ``data``, expect a refusal, and check that not a single row was written anywhere."""
    before = table_counts(engine)
    with pytest.raises(ImportErrors) as caught:
        import_json(engine, data, analyst="tester")
    assert table_counts(engine) == before
    assert isinstance(caught.value, UserError)
    return caught.value


def paths(error: ImportErrors) -> dict[str, str]:
    return {problem.path: problem.message for problem in error.errors}


# --- malformed documents: one case per class of error ----------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def _append(section: str, entry: dict[str, Any]) -> Mutation:
    return lambda doc: doc[section].append(entry)


MALFORMED: list[tuple[str, Mutation, str, str]] = [
    ("wrong-format", _set(("format",), "something-else"), "$.format", "crosscheck-workspace"),
    ("missing-format", _delete(("format",)), "$.format", "missing"),
    ("newer-version", _set(("version",), 3), "$.version", "newer"),
    ("version-not-a-number", _set(("version",), "1"), "$.version", "must be 1 or 2"),
    ("missing-required-field", _delete(("claims", 1, "text")), "$.claims[1].text", "is required"),
    ("required-field-null", _set(("sources", 0, "name"), None), "$.sources[0].name", "is required"),
    ("wrong-type-boolean", _set(("claims", 0, "reviewed"), "yes"), "$.claims[0].reviewed", "true or false"),
    ("wrong-type-credibility-true", _set(("claims", 0, "credibility"), True), "$.claims[0].credibility", "whole"),
    ("wrong-type-text", _set(("claims", 0, "text"), 42), "$.claims[0].text", "must be a string"),
    ("wrong-type-section", _set(("claims",), {}), "$.claims", "must be an array"),
    ("wrong-type-entity", _set(("claims", 0), "c-ru"), "$.claims[0]", "must be an object"),
    ("wrong-type-event", _set(("claims", 0, "event"), "2022-12-14"), "$.claims[0].event", "must be an object"),
    ("wrong-type-coordinate", _set(("places", 0, "lat"), "48.6"), "$.places[0].lat", "must be a number"),
    ("coordinate-out-of-range", _set(("places", 0, "lat"), 91), "$.places[0].lat", "between"),
    ("bad-enum-source-kind", _set(("sources", 0, "kind"), "blog"), "$.sources[0].kind", "must be one of"),
    ("bad-enum-relation", _set(("links", 0, "relation"), "supports"), "$.links[0].relation", "must be one of"),
    ("bad-enum-reliability", _set(("sources", 0, "reliability"), "G"), "$.sources[0].reliability", "one of"),
    ("bad-enum-precision", _set(("claims", 0, "event", "precision"), "hour"), "$.claims[0].event.precision", "one of"),
    ("credibility-out-of-scale", _set(("claims", 0, "credibility"), 7), "$.claims[0].credibility", "must be one of"),
    ("malformed-date", _set(("claims", 0, "claimed"), "14/12/2022"), "$.claims[0].claimed", "YYYY-MM-DD"),
    ("impossible-date", _set(("reports", 0, "published"), "2022-02-30"), "$.reports[0].published", "calendar"),
    ("malformed-timestamp", _set(("links", 0, "recorded"), "2022-12-15 10:00"), "$.links[0].recorded", "timestamp"),
    ("timestamp-without-zone", _set(("claims", 0, "recorded"), "2022-12-15T09:00:00"), "$.claims[0].recorded", "Z"),
    (
        "unknown-source",
        _set(("claims", 2, "source"), "src-nobody"),
        "$.claims[2].source",
        'unknown source "src-nobody"',
    ),
    ("unknown-report", _set(("claims", 0, "report"), "rep-x"), "$.claims[0].report", "unknown report"),
    ("unknown-report-source", _set(("reports", 0, "source"), "src-x"), "$.reports[0].source", "unknown source"),
    ("unknown-place", _set(("claims", 0, "places"), ["pl-bakhmut", "pl-x"]), "$.claims[0].places[1]", "unknown place"),
    ("unknown-link-endpoint", _set(("links", 0, "to"), "c-x"), "$.links[0].to", 'unknown claim "c-x"'),
    ("unknown-outreach-claim", _set(("outreach", 0, "about"), ["c-ru", "c-x"]), "$.outreach[0].about[1]", "unknown"),
    ("duplicate-id", _set(("claims", 1, "id"), "c-ru"), "$.claims[1].id", 'duplicate id "c-ru" (first at $.claims[0])'),
    ("duplicate-place-in-claim", _set(("claims", 0, "places"), ["pl-bakhmut"] * 2), "$.claims[0].places[1]", "twice"),
    (
        "duplicate-link-reverse-direction",
        _append("links", {"from": "c-ru", "to": "c-ua", "relation": "contradicts", "analyst": "ana"}),
        "$.links[2]",
        '"ana" already judged "c-ru" and "c-ua" at $.links[0]',
    ),
    (
        "self-link",
        _append("links", {"from": "c-ru", "to": "c-ru", "relation": "corroborates"}),
        "$.links[2].to",
        "itself",
    ),
    ("event-end-before-start", _set(("claims", 0, "event", "end"), "2022-12-01"), "$.claims[0].event.end", "before"),
    ("control-character", _set(("claims", 0, "text"), "breach\x07"), "$.claims[0].text", "control character"),
    ("bidi-override", _set(("sources", 0, "name"), "evil\u202eman"), "$.sources[0].name", "U+202E"),
    ("multiline-name", _set(("sources", 0, "name"), "two\nlines"), "$.sources[0].name", "one line"),
    ("overlong-text", _set(("sources", 0, "name"), "x" * 501), "$.sources[0].name", "too long"),
    ("empty-id", _set(("sources", 0, "id"), "  "), "$.sources[0].id", "must not be empty"),
    ("lone-surrogate", _set(("claims", 0, "notes"), "bad \ud800 text"), "$.claims[0].notes", "surrogate"),
    ("bad-tag-entry", _set(("claims", 0, "tags"), ["ok", 3]), "$.claims[0].tags[1]", "must be a string"),
    ("unknown-field", _set(("claims", 0, "credibilty"), 2), "$.claims[0].credibilty", "not a field of a claim"),
    ("unknown-event-field", _set(("claims", 0, "event", "until"), None), "$.claims[0].event.until", "not a field"),
    ("unknown-section", _set(("extras",), []), "$.extras", "not a section"),
    ("odd-unknown-key", _set(("claims", 0, "my key"), 1), '$.claims[0]["my key"]', "not a field"),
    # Only invisible characters (zero-width, joiners, byte-order mark, bidi marks): as empty as nothing.
    ("invisible-claim-text", _set(("claims", 0, "text"), "\u200b"), "$.claims[0].text", "must not be empty"),
    ("invisible-source-name", _set(("sources", 0, "name"), " \ufeff\u200e "), "$.sources[0].name", "must not be empty"),
    ("invisible-report-title", _set(("reports", 0, "title"), "\u2060\u200c\u200d"), "$.reports[0].title", "empty"),
    ("invisible-place-name", _set(("places", 0, "name"), "\u200f\u00ad"), "$.places[0].name", "must not be empty"),
    ("invisible-party", _set(("outreach", 0, "party"), "\u3164"), "$.outreach[0].party", "must not be empty"),
    ("invisible-tag", _set(("claims", 0, "tags"), ["\u200b"]), "$.claims[0].tags", "must not be empty"),
    ("invisible-id", _set(("sources", 3, "id"), "\u200d"), "$.sources[3].id", "must not be empty"),
]


@pytest.mark.parametrize(("mutate", "path", "fragment"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_import_refuses_malformed_document_at_its_path_and_writes_nothing(
    workspace: Workspace, mutate: Mutation, path: str, fragment: str
) -> None:
    doc = small_document()
    mutate(doc)
    error = refused(workspace.engine, json.dumps(doc).encode())
    found = paths(error)
    assert path in found, found
    assert fragment in found[path]


@pytest.mark.parametrize("invisible", ["\u200b", "\u200e\u200f", "\ufeff", "\u202a\u202c", " \u2060 "])
def test_a_text_of_only_invisible_characters_is_refused_word_for_word_as_an_empty_one(
    workspace: Workspace, invisible: str
) -> None:
    def problems(value: str) -> list[Any]:
        doc = small_document()
        doc["claims"][0]["text"] = value
        doc["sources"][0]["name"] = value
        return refused(workspace.engine, doc).errors

    assert (
        problems(invisible)
        == problems("")
        == [
            ("$.sources[0].name", "must not be empty"),
            ("$.claims[0].text", "must not be empty"),
        ]
    )


def test_invisible_characters_among_visible_ones_are_imported_unchanged(workspace: Workspace) -> None:
    doc = small_document()
    doc["claims"][0]["text"] = "\u200fהתקפה נהדפה\u200f"
    doc["sources"][0]["name"] = "Ry\u200bbar\ufeff"
    import_json(workspace.engine, doc, analyst="tester")
    with workspace.engine.connect() as connection:
        texts = connection.execute(text("SELECT text FROM claim WHERE ext_id = :e"), {"e": doc["claims"][0]["id"]})
        names = connection.execute(text("SELECT name FROM source WHERE ext_id = :e"), {"e": doc["sources"][0]["id"]})
        assert (texts.scalar(), names.scalar()) == ("\u200fהתקפה נהדפה\u200f", "Ry\u200bbar\ufeff")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b'{"format": "crosscheck-workspace", ', "not valid JSON"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        (b'{"format": "crosscheck-workspace", "version": 1, "places": [{"id": "p", "name": "x", "lat": NaN}]}', "NaN"),
        (b"[]", "must be an object"),
        (b"", "not valid JSON"),
    ],
    ids=["truncated-json", "utf-16-not-utf-8", "nan-is-not-json", "top-level-array", "empty-file"],
)
def test_import_refuses_undecodable_document_at_root_and_writes_nothing(
    workspace: Workspace, data: bytes, fragment: str
) -> None:
    error = refused(workspace.engine, data)
    assert error.errors[0].path == "$"
    assert fragment in error.errors[0].message


def test_import_refuses_a_key_given_twice_in_one_object(workspace: Workspace) -> None:
    raw = json.dumps(small_document())
    raw = raw.replace('"id": "c-ru",', '"id": "c-ru", "text": "first", ', 1)
    error = refused(workspace.engine, raw)
    assert "appears twice" in paths(error)["$.claims[0].text"]


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ('"id": "c-ru", "text": "a: first", ', "$.claims[0].text"),  # the lost value holds a colon too
        ('"id": "c-ru", "quote": {"start": 0, "start": 1, "end": 2}, ', "$.claims[0].quote.start"),
        ('"id": "c-ru", "notes": "x", "note\\u0073": "y", ', "$.claims[0].notes"),  # an escaped key
        ('"id": "c-ru", "notes": "x", "notes\\u003a": "y", "notes:": "z", ', '$.claims[0]["notes:"]'),
    ],
    ids=["value-with-colon", "nested", "escaped-letter", "escaped-colon"],
)
def test_import_of_bytes_refuses_a_key_given_twice(workspace: Workspace, given: str, path: str) -> None:
    # Bytes take the fast decoding (plain dicts, then the count of colons): a lost key must still be found.
    raw = json.dumps(small_document(), ensure_ascii=False).replace('"id": "c-ru", ', given, 1)
    error = refused(workspace.engine, raw.encode("utf-8"))
    assert any(p.path == path and p.message == "appears twice in the same object" for p in error.errors)


def test_import_refuses_a_document_over_the_size_limit(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_import, "MAX_DOCUMENT_BYTES", 100)
    error = refused(workspace.engine, json.dumps(small_document()))
    assert "too large" in error.errors[0].message


def test_import_reports_every_error_not_only_the_first(workspace: Workspace) -> None:
    doc = small_document()
    doc["sources"][0]["kind"] = "blog"
    doc["claims"][0]["claimed"] = "yesterday"
    doc["claims"][1]["source"] = "src-x"
    doc["links"][0]["relation"] = "agrees"
    doc["outreach"][0]["status"] = "lost"
    error = refused(workspace.engine, doc)
    assert set(paths(error)) == {
        "$.sources[0].kind",
        "$.claims[0].claimed",
        "$.claims[1].source",
        "$.links[0].relation",
        "$.outreach[0].status",
    }
    assert "5 problems" in str(error)
    assert "$.sources[0].kind" in str(error)  # the message quotes the first ones


# --- importing into a workspace that is not empty --------------------------------------------------


def test_import_refuses_ids_the_workspace_already_holds(workspace: Workspace) -> None:
    import_json(workspace.engine, small_document(), analyst="tester")
    error = refused(workspace.engine, small_document())
    assert paths(error)["$.sources[0].id"] == 'source "src-ru" already exists in this workspace'
    assert "$.claims[0].id" in paths(error)


def test_import_may_reference_entities_already_in_the_workspace(workspace: Workspace) -> None:
    import_json(workspace.engine, small_document(), analyst="tester")
    addition = {
        "format": "crosscheck-workspace",
        "version": 1,
        "claims": [{"id": "c-new", "text": "More shelling", "source": "src-ua", "places": ["pl-bakhmut"]}],
        "links": [{"from": "c-new", "to": "c-state-2", "relation": "contradicts"}],
        "outreach": [{"id": "o-2", "party": "Ministry", "about": ["c-ru", "c-new"]}],
    }
    report = import_json(workspace.engine, addition, analyst="tester")
    assert (report.claims, report.links, report.outreach) == (1, 1, 1)
    statuses = {row["id"]: row["status"] for row in claim_statuses(workspace.engine)}
    assert statuses["c-state-2"] == "contradicted"
    with workspace.engine.connect() as connection:
        assert status.stale_claims(connection) == []


def test_import_refuses_a_second_judgement_of_one_analyst_on_a_pair_of_the_workspace(workspace: Workspace) -> None:
    import_json(workspace.engine, small_document(), analyst="tester")
    again = {
        "format": "crosscheck-workspace",
        "version": 2,
        "links": [{"from": "c-ru", "to": "c-ua", "relation": "contradicts", "analyst": "ana"}],
    }
    assert "already judged" in paths(refused(workspace.engine, again))["$.links[0]"]


def test_another_analysts_judgement_on_a_judged_pair_imports_and_becomes_effective(workspace: Workspace) -> None:
    import_json(workspace.engine, small_document(), analyst="tester")
    again = {
        "format": "crosscheck-workspace",
        "version": 2,
        "links": [
            {"from": "c-ua", "to": "c-ru", "relation": "contradicts", "analyst": "boris",
             "recorded": "2030-01-01T00:00:00Z"}
        ],
    }  # fmt: skip
    import_json(workspace.engine, again, analyst="tester")
    with workspace.engine.connect() as connection:
        stored = {r[0]: r[1] for r in connection.execute(text("SELECT ext_id, status FROM claim"))}
        assert status.stale_claims(connection) == []
        flags = connection.execute(text("SELECT analyst, effective, disputed FROM link ORDER BY id")).all()
    assert stored["c-ru"] == stored["c-ua"] == "contradicted"
    assert [tuple(r) for r in flags if r[0] == "boris"] == [("boris", True, True)]


def test_judgements_of_several_analysts_on_a_pair_of_one_document_get_their_flags(workspace: Workspace) -> None:
    doc = generated_document(8)
    at = "2022-12-17T10:00:00Z"
    doc["version"] = 2
    doc["links"] += [
        # c-1 → c-0 contradicts (ana); boris the same, reversed: symmetric, so no disagreement; his is later.
        {"from": "c-0", "to": "c-1", "relation": "contradicts", "analyst": "boris", "recorded": at},
        # c-7 → c-6 repeats (ana); boris says c-6 repeats c-7, at the same time as cleo: direction counts.
        {"from": "c-6", "to": "c-7", "relation": "repeats", "analyst": "boris", "recorded": at},
        {"from": "c-7", "to": "c-6", "relation": "repeats", "analyst": "cleo", "recorded": at},
    ]
    import_json(workspace.engine, doc, analyst="tester")
    with workspace.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT a.ext_id, b.ext_id, l.analyst, l.effective, l.disputed FROM link AS l "
                "JOIN claim AS a ON a.id = l.from_id JOIN claim AS b ON b.id = l.to_id"
            )
        ).all()
        assert status.stale_claims(connection) == []
    flags = {(a, b, who): (bool(e), bool(d)) for a, b, who, e, d in rows}
    assert flags[("c-1", "c-0", "ana")] == (False, False)
    assert flags[("c-0", "c-1", "boris")] == (True, False)
    assert flags[("c-7", "c-6", "ana")] == (False, True)
    assert flags[("c-6", "c-7", "boris")] == (False, True)
    assert flags[("c-7", "c-6", "cleo")] == (True, True)  # the tie goes to the name that sorts last
    assert flags[("c-3", "c-2", "ana")] == (True, False)  # judged once


# --- what an import writes -------------------------------------------------------------------------


def test_import_report_counts_every_entity(workspace: Workspace) -> None:
    report = import_json(workspace.engine, small_document(), analyst="tester")
    assert report.as_dict() == {"sources": 4, "reports": 1, "places": 1, "claims": 5, "links": 2, "outreach": 1}
    assert "5 claims" in report.summary()


def test_import_derives_statuses_in_the_same_transaction(workspace: Workspace) -> None:
    import_json(workspace.engine, small_document(), analyst="tester")
    with workspace.engine.connect() as connection:
        stored = {r[0]: r[1] for r in connection.execute(text("SELECT ext_id, status FROM claim"))}
        assert status.stale_claims(connection) == []
    assert stored["c-ru"] == stored["c-ua"] == "corroborated"  # independent and cross-side
    assert stored["c-state-1"] == "unverified"  # its only support shares the group: an echo


def test_import_keeps_document_order_as_internal_id_order(workspace: Workspace) -> None:
    doc = small_document()
    doc["claims"].reverse()
    import_json(workspace.engine, doc, analyst="tester")
    with workspace.engine.connect() as connection:
        order = connection.execute(text("SELECT ext_id FROM claim ORDER BY id")).scalars().all()
    assert order == [c["id"] for c in doc["claims"]]


def test_import_writes_one_audit_row_per_entity_and_one_for_the_document(workspace: Workspace) -> None:
    data = json.dumps(small_document()).encode()
    import_json(workspace.engine, data, analyst="ana")
    with workspace.engine.connect() as connection:
        rows = connection.execute(text("SELECT analyst, entity, entity_id, action, field, new FROM audit")).all()
    assert {r.action for r in rows} == {"import"} and {r.analyst for r in rows} == {"ana"}
    entities = [(r.entity, r.entity_id) for r in rows]
    assert ("claim", "c-ru") in entities and ("link", "c-ua->c-ru") in entities
    assert len(rows) == 4 + 1 + 1 + 5 + 2 + 1 + 1
    summary = json.loads([r.new for r in rows if r.entity == "workspace"][0])
    assert summary["claims"] == 5 and len(summary["sha256"]) == 64


def test_import_fills_absent_optional_fields_with_defaults(workspace: Workspace) -> None:
    doc = {
        "format": "crosscheck-workspace",
        "version": 1,
        "sources": [{"id": "s", "name": "Someone"}],
        "claims": [{"id": "a", "text": "A", "source": "s"}, {"id": "b", "text": "B", "source": "s", "notes": None}],
        "links": [{"from": "a", "to": "b", "relation": "neutral"}],
    }
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    import_json(workspace.engine, doc, analyst="ana")
    exported = export_document(workspace.engine)
    source, claim, link = exported["sources"][0], exported["claims"][1], exported["links"][0]
    assert (source["kind"], source["side"], source["group"], source["reliability"]) == ("other", None, None, "F")
    assert (claim["kind"], claim["event"], claim["places"], claim["notes"], claim["reviewed"]) == (
        "event", None, [], "", False
    )  # fmt: skip
    assert link["analyst"] == "ana" and link["rationale"] == ""
    assert dt.datetime.fromisoformat(claim["recorded"].replace("Z", "+00:00")) >= before


def test_import_normalises_timestamps_with_offsets_to_utc_seconds(workspace: Workspace) -> None:
    doc = small_document()
    doc["claims"][0]["recorded"] = "2022-12-15T12:00:00+02:00"
    doc["claims"][1]["recorded"] = "2022-12-15T09:30:00.999Z"
    import_json(workspace.engine, doc, analyst="tester")
    claims = export_document(workspace.engine)["claims"]
    assert claims[0]["recorded"] == "2022-12-15T10:00:00Z"
    assert claims[1]["recorded"] == "2022-12-15T09:30:00Z"


def test_import_folds_side_labels_as_the_store_does(workspace: Workspace) -> None:
    doc = small_document()
    doc["sources"][0]["side"] = " Russia "
    import_json(workspace.engine, doc, analyst="tester")
    assert export_document(workspace.engine)["sources"][0]["side"] == "russia"


# --- canonical export and the round trip -----------------------------------------------------------


def test_sample_workspace_round_trips_byte_for_byte(sample_workspace: Workspace, tmp_path: Path) -> None:
    first = export_json(sample_workspace.engine)
    assert first == SAMPLE_WORKSPACE.read_bytes()  # the sample file is itself canonical
    again = open_workspace(str(tmp_path / "again.sqlite"))
    try:
        import_json(again.engine, first, analyst="tester")
        assert export_json(again.engine) == first
    finally:
        again.close()


def test_generated_document_round_trips_byte_for_byte_after_one_export(workspace: Workspace, tmp_path: Path) -> None:
    import_json(workspace.engine, generated_document(), analyst="tester")
    first = export_json(workspace.engine)
    again = open_workspace(str(tmp_path / "again.sqlite"))
    try:
        import_json(again.engine, first, analyst="someone else")
        assert export_json(again.engine) == first
    finally:
        again.close()


def test_export_is_canonical_json(workspace: Workspace) -> None:
    import_json(workspace.engine, generated_document(), analyst="tester")
    data = export_json(workspace.engine)
    assert data.endswith(b"}\n") and not data.endswith(b"\n\n")
    assert "Бахмут".encode() in data and b"\\u" not in data  # UTF-8, not escapes
    assert data.startswith(b'{\n  "format": "crosscheck-workspace",\n  "version": 2,\n  "sources": [\n')
    doc = json.loads(data)
    assert list(doc) == list(fmt.TOP_KEYS)
    keys = {"sources": fmt.SOURCE_KEYS, "reports": fmt.REPORT_KEYS, "places": fmt.PLACE_KEYS,
            "claims": fmt.CLAIM_KEYS, "links": fmt.LINK_KEYS, "outreach": fmt.OUTREACH_KEYS}  # fmt: skip
    for section, order in keys.items():
        assert all(tuple(entity) == order for entity in doc[section]), section
    assert tuple(doc["claims"][0]["event"]) == fmt.EVENT_KEYS
    assert doc["sources"][2]["side"] is None and doc["sources"][1]["group"] is None
    assert doc["places"][1] == {"id": "pl-s", "name": "Soledar", "aliases": [], "region": None, "lat": None,
                                "lon": None}  # fmt: skip


def test_canonical_writer_matches_json_dumps_with_indent() -> None:
    tricky = {
        "strings": ['quote " backslash \\ newline \n tab \t bell \x07', "Бахмут \u2028 🛰", ""],
        "numbers": [0, -1, 10**30, 1.5, -0.0, 1e-7, 48.595, 12345678901234567.0],
        "constants": [True, False, None],
        "empty": {"list": [], "object": {}},
        "nested": [[[]], [{}], {"a": {"b": [1, {"c": None}]}}],
        'odd key "\n': "value",
    }
    assert canonical_json(tricky) == json.dumps(tricky, ensure_ascii=False, indent=2)
    doc = generated_document()
    assert canonical_json(doc) == json.dumps(doc, ensure_ascii=False, indent=2)


@pytest.mark.parametrize(
    "number", [48.595, -0.0, 1e16, 1e22, 1e100, 5e-05, 1.234e-05, 1e-06, 1.5e-09, 1e-10, 0.0001, 2**63 - 1, 2**64]
)
def test_canonical_writer_gives_json_dumps_bytes_on_either_path(number: float) -> None:
    """orjson writes the document unless it would spell a number otherwise; the bytes never differ."""
    doc = {"claims": [{"id": "c-1", "text": "Бахмут 🛰 \u2028 \x7f", "lat": number, "tags": [], "event": {}}]}
    assert canonical_json(doc) == json.dumps(doc, ensure_ascii=False, indent=2)
    assert canonical_json(doc) == json_export.canonical_json_python(doc)


def test_export_of_an_empty_workspace_is_a_valid_empty_document(workspace: Workspace, tmp_path: Path) -> None:
    doc = json.loads(export_json(workspace.engine))
    assert doc == {"format": "crosscheck-workspace", "version": 2, **{s: [] for s in fmt.SECTIONS}}


def test_importer_accepts_exactly_the_keys_the_exporter_writes() -> None:
    now = dt.datetime.now(dt.UTC)
    assert tuple(specs.SOURCE) == fmt.SOURCE_KEYS
    assert tuple(specs.REPORT) == fmt.REPORT_KEYS
    assert tuple(specs.PLACE) == fmt.PLACE_KEYS
    assert tuple(specs.claim_specs(now)) == fmt.CLAIM_KEYS
    assert tuple(specs.EVENT) == fmt.EVENT_KEYS
    assert tuple(specs.link_specs(now, "a")) == fmt.LINK_KEYS
    assert tuple(specs.OUTREACH) == fmt.OUTREACH_KEYS


@pytest.mark.postgres
def test_round_trip_is_byte_for_byte_on_postgresql(postgres_url: str) -> None:
    remote = open_workspace(postgres_url)
    try:
        import_json(remote.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="tester")
        assert export_json(remote.engine) == SAMPLE_WORKSPACE.read_bytes()
        error = refused_anywhere(remote.engine, SAMPLE_WORKSPACE.read_bytes())
        assert "already exists" in paths(error)["$.claims[0].id"]
    finally:
        remote.close()


def refused_anywhere(engine: Engine, data: bytes) -> ImportErrors:
    with pytest.raises(ImportErrors) as caught:
        import_json(engine, data, analyst="tester")
    return caught.value


# --- CSV ---------------------------------------------------------------------------------------------

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tindent", "\rreturn", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("cell", HOSTILE)
def test_neutralise_prefixes_formula_cells_with_a_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "", "2022-12-14", "'already quoted", " =spaced", "a=b"])
def test_neutralise_leaves_ordinary_cells_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_csv_export_neutralises_hostile_cells_everywhere(workspace: Workspace) -> None:
    doc = small_document()
    doc["sources"][0]["name"] = '=IMPORTXML("http://evil")'
    doc["places"][0]["name"] = "@place"
    for claim, hostile in zip(doc["claims"], HOSTILE, strict=False):
        claim["text"] = hostile
        claim["notes"] = hostile
        claim["tags"] = [hostile.strip() or "x"]
    import_json(workspace.engine, doc, analyst="tester")
    rows = list(csv.reader(io.StringIO(export_csv(workspace.engine).decode("utf-8"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    body = rows[1:]
    assert len(body) == 5
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    first = dict(zip(COLUMNS, body[0], strict=True))
    assert first["text"] == "'=cmd|' /C calc'!A0" and first["source"].startswith("'=IMPORTXML")
    assert first["places"] == "'@place"


def test_csv_export_has_one_row_per_claim_with_readable_values(sample_workspace: Workspace) -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv(sample_workspace.engine).decode("utf-8"), newline="")))
    assert len(rows) == 20
    breach = rows[0]
    assert breach["id"] == "c-breach" and breach["source"] == "Rybar" and breach["side"] == "russia"
    assert breach["places"] == "Bakhmut" and breach["status"] == "contradicted"
    assert breach["suggested_credibility"] == "5" and breach["reviewed"] == "yes"
    assert breach["recorded"] == "2022-12-15T09:00:00Z"


# --- status as of ------------------------------------------------------------------------------------


def test_as_of_a_date_means_the_end_of_that_day_in_utc() -> None:
    assert parse_as_of("2022-12-15") == dt.datetime(2022, 12, 15, 23, 59, 59, tzinfo=dt.UTC)


def test_as_of_a_timestamp_keeps_its_zone_and_defaults_to_utc() -> None:
    assert parse_as_of("2022-12-15T12:00:00+02:00") == dt.datetime(2022, 12, 15, 10, tzinfo=dt.UTC)
    assert parse_as_of("2022-12-15T12:00:00Z") == dt.datetime(2022, 12, 15, 12, tzinfo=dt.UTC)
    assert parse_as_of("2022-12-15T12:00") == dt.datetime(2022, 12, 15, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["yesterday", "2022-13-01", "15/12/2022", ""])
def test_as_of_refuses_what_is_not_a_moment(value: str) -> None:
    with pytest.raises(UserError, match="--as-of"):
        parse_as_of(value)


def test_status_as_of_leaves_out_later_claims_and_links(workspace: Workspace) -> None:
    import_json(workspace.engine, small_document(), analyst="tester")
    now = {row["id"]: row for row in claim_statuses(workspace.engine)}
    before = {row["id"]: row for row in claim_statuses(workspace.engine, parse_as_of("2022-12-15T09:59:59Z"))}
    assert now["c-ru"]["status"] == "corroborated" and now["c-ru"]["supporters"] == ["c-ua"]
    assert before["c-ru"]["status"] == "unverified" and before["c-ru"]["supporters"] == []
    assert "c-late" in now and "c-late" not in before


# --- importing into a workspace with claims: only the touched neighbourhood is re-derived ----------

SIDES = ("russia", "ukraine", None, "belarus")
RELATIONS = ("repeats", "repeats", "corroborates", "contradicts", "neutral")


def scenario_documents(
    seed: int, *, base_claims: int = 40, new_claims: int = 30
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A workspace document and a second one whose links reach into the first one's clusters.

    The second one adds sources and claims (some about the first one's sources),
    repeats of existing claims (merging clusters, moving origins), evidence for
    existing claims, links between two existing claims, and links among its own.
    """
    rng = random.Random(seed)

    def sources(prefix: str, count: int) -> list[dict[str, Any]]:
        return [
            {"id": f"{prefix}s{i}", "name": f"{prefix} source {i}", "side": rng.choice(SIDES),
             "group": rng.choice([None, None, "state-media", "network"]), "aliases": [f"{prefix}алиас {i}"] * (i % 2)}
            for i in range(count)
        ]  # fmt: skip

    def claims(prefix: str, count: int, source_ids: list[str]) -> list[dict[str, Any]]:
        return [
            {"id": f"{prefix}c{i}", "text": f"{prefix} claim {i} Бахмут", "source": rng.choice(source_ids),
             "verdict": rng.choice([None, None, "confirmed", "refuted"])}
            for i in range(count)
        ]  # fmt: skip

    def links(pool_from: list[str], pool_to: list[str], count: int, taken: set[frozenset[str]]) -> list[dict[str, Any]]:
        made = []
        while len(made) < count:
            a, b = rng.choice(pool_from), rng.choice(pool_to)
            if a == b or frozenset((a, b)) in taken:
                continue
            taken.add(frozenset((a, b)))
            made.append({"from": a, "to": b, "relation": rng.choice(RELATIONS)})
        return made

    base_sources = sources("old", 6)
    base = claims("old", base_claims, [s["id"] for s in base_sources])
    old_ids = [c["id"] for c in base]
    taken: set[frozenset[str]] = set()
    first = {"format": "crosscheck-workspace", "version": 1, "sources": base_sources, "claims": base,
             "links": links(old_ids, old_ids, base_claims, taken)}  # fmt: skip
    new_sources = sources("new", 3)
    added = claims("new", new_claims, [s["id"] for s in new_sources + base_sources])
    new_ids = [c["id"] for c in added]
    second_links = (
        links(new_ids, old_ids, new_claims // 2, taken)  # into existing clusters, both directions of repeats
        + links(old_ids, new_ids, new_claims // 4, taken)
        + links(old_ids, old_ids, 3, taken)  # between two claims that were already there
        + links(new_ids, new_ids, new_claims // 2, taken)
    )
    second = {"format": "crosscheck-workspace", "version": 1, "sources": new_sources, "claims": added,
              "links": second_links}  # fmt: skip
    return first, second


def stored_statuses(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT ext_id, status, suggested_credibility, verdict_disputed, link_count FROM claim")
        )
        return {r[0]: tuple(r[1:]) for r in rows}


def test_import_into_a_workspace_rederives_what_its_links_touch_as_a_full_derivation_would(
    workspace: Workspace,
) -> None:
    changed = 0
    for seed in range(12):
        engine = workspace.engine
        with engine.begin() as connection:  # a fresh workspace per scenario, in the same file
            for table in ("audit", "outreach_claim", "outreach", "link", "claim_place", "claim", "report", "source"):
                connection.execute(text(f"DELETE FROM {table}"))
        first, second = scenario_documents(seed)
        import_json(engine, first, analyst="tester")
        before = stored_statuses(engine)
        import_json(engine, second, analyst="tester")
        with engine.connect() as connection:
            assert status.stale_claims(connection) == [], f"scenario {seed}"
        after = stored_statuses(engine)
        changed += sum(after[ext] != values for ext, values in before.items())
    assert changed > 20  # the scenarios do reach into existing clusters


def test_import_into_a_workspace_rederives_only_the_touched_neighbourhood(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = scenario_documents(3, base_claims=60, new_claims=0)
    import_json(workspace.engine, first, analyst="tester")
    derived: list[set[int]] = []
    real_write = status.write_derived
    monkeypatch.setattr(status, "write_derived", lambda c, d: derived.append(set(d)) or real_write(c, d))
    monkeypatch.setattr(status, "rederive_all", lambda c: pytest.fail("an import re-derives only what it touches"))
    lone = {"format": "crosscheck-workspace", "version": 1, "claims": [{"id": "n1", "text": "x", "source": "olds0"}]}
    import_json(workspace.engine, lone, analyst="tester")
    assert derived == []  # no link into the workspace: nothing there can change
    linked = {**lone, "claims": [{"id": "n2", "text": "y", "source": "olds1"}],
              "links": [{"from": "n2", "to": "oldc0", "relation": "repeats"}]}  # fmt: skip
    import_json(workspace.engine, linked, analyst="tester")
    with workspace.engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT ext_id, id FROM claim")).all())
        expected = corroboration.neighbourhood(SqlGraph(connection), {ids["oldc0"]})
        assert status.stale_claims(connection) == []
    assert derived == [expected] and {ids["oldc0"], ids["n2"]} <= expected and len(expected) < len(ids)


def test_the_import_graph_answers_as_the_store_graph(workspace: Workspace) -> None:
    def evidence(refs: Any) -> list[tuple[int, int, str]]:
        return sorted((r.link, r.other, r.relation) for r in refs)

    first, second = scenario_documents(6)
    for doc in (first, second):
        import_json(workspace.engine, doc, analyst="tester")
    with workspace.engine.connect() as connection:
        claims = [r[0] for r in connection.execute(text("SELECT id FROM claim"))]
        store, bulk_graph = SqlGraph(connection), bulk._WorkspaceGraph(connection)
        bulk_graph.prefetch(claims[::3])  # some read in batches, the rest one at a time
        for claim in claims:
            assert bulk_graph.source_of(claim) == store.source_of(claim)
            assert sorted(bulk_graph.repeats_of(claim)) == sorted(store.repeats_of(claim))
            assert sorted(bulk_graph.repeated_by(claim)) == sorted(store.repeated_by(claim))
            assert evidence(bulk_graph.evidence_links(claim)) == evidence(store.evidence_links(claim))
            source = store.source_of(claim)
            assert bulk_graph.source_side_group(source) == store.source_side_group(source)
        some = set(claims[:5])
        batched = corroboration.neighbourhood(bulk._WorkspaceGraph(connection), some)
        assert batched == corroboration.neighbourhood(store, some)


@pytest.mark.postgres
def test_import_into_a_postgresql_workspace_rederives_what_its_links_touch(postgres_url: str) -> None:
    remote = open_workspace(postgres_url)
    try:
        first, second = scenario_documents(5)
        import_json(remote.engine, first, analyst="tester")
        import_json(remote.engine, second, analyst="tester")
        with remote.engine.connect() as connection:
            assert status.stale_claims(connection) == []
    finally:
        remote.close()


def test_workspace_keys_load_only_the_ids_a_document_mentions(workspace: Workspace) -> None:
    with workspace.engine.connect() as connection:  # an empty workspace: not even the document is walked
        assert bulk.WorkspaceKeys.load(connection, lambda: pytest.fail("looked up")) == bulk.WorkspaceKeys()
    first, _ = scenario_documents(1)
    import_json(workspace.engine, first, analyst="tester")
    doc = {
        "format": "crosscheck-workspace",
        "version": 1,
        "claims": [{"id": "n1", "text": "x", "source": "olds2"}, {"id": "oldc5", "text": "x", "source": "olds9"}],
        "links": [{"from": link["from"], "to": link["to"], "relation": "neutral"} for link in first["links"][:2]],
        "outreach": [{"id": "o1", "party": "p", "about": ["oldc7", 3]}],
    }
    with workspace.engine.connect() as connection:
        keys = bulk.WorkspaceKeys.load(connection, lambda: json_validate.referenced_ids(doc))
        everything = bulk.WorkspaceKeys.load(connection)
    linked = {link["from"] for link in first["links"][:2]} | {link["to"] for link in first["links"][:2]}
    assert set(keys.sources) == {"olds2"} and keys.reports == keys.places == keys.outreach == {}
    assert set(keys.claims) == {"oldc5", "oldc7"} | linked
    assert all(everything.claims[ext] == ident for ext, ident in keys.claims.items())
    named = {keys.claims[ext] for ext in linked}  # judgements among the claims the document's links name
    assert keys.judged == {j for j in everything.judged if set(j[:2]) <= named} and len(keys.judged) >= 2
    problems = paths(refused(workspace.engine, doc))
    assert problems["$.claims[1].id"] == 'claim "oldc5" already exists in this workspace'
    assert problems["$.claims[1].source"] == 'unknown source "olds9"'
    assert "already judged" in problems["$.links[0]"]


@pytest.mark.parametrize(
    "doc",
    [None, [], {"claims": "x"}, {"claims": [1, None, {"id": 3, "source": ["a"], "places": "p"}]}, {"links": [{}]}],
)
def test_referenced_ids_never_fails_on_a_malformed_document(doc: Any) -> None:
    wanted = json_validate.referenced_ids(doc)
    assert wanted.claims == wanted.sources == wanted.places == set()


# --- the full-text index of a bulk import --------------------------------------------------------------


def fts_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text("SELECT rowid, body, source FROM claim_fts ORDER BY rowid"))]


def schema_sql(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name"))
        config = connection.execute(text("SELECT k, v FROM claim_fts_config ORDER BY k"))
        return [tuple(r) for r in rows] + [tuple(r) for r in config]


def test_the_bulk_index_path_applies_to_workspaces_of_migration_0002(workspace: Workspace) -> None:
    known = bulk_fts._known_trigger()
    assert known is not None
    with workspace.engine.connect() as connection:
        assert bulk_fts._stored_trigger(connection) == known[0]


def test_bulk_import_indexes_exactly_what_the_insert_trigger_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = scenario_documents(2)
    generated = generated_document()
    results = []
    for name, fast in (("fast", True), ("trigger", False)):
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(bulk_fts, "_known_trigger", lambda: None)  # as if the trigger were unknown
            opened = open_workspace(str(tmp_path / f"{name}.sqlite"))
            try:
                for doc in (first, second, generated):  # into an empty index, then a filled one
                    import_json(opened.engine, copy.deepcopy(doc), analyst="tester")
                results.append((fts_rows(opened.engine), schema_sql(opened.engine)))
                with opened.engine.connect() as connection:
                    connection.exec_driver_sql("INSERT INTO claim_fts (claim_fts) VALUES ('integrity-check')")
            finally:
                opened.close()
    (fast_rows, fast_schema), (trigger_rows, trigger_schema) = results
    assert fast_rows == trigger_rows and len(fast_rows) == 40 + 30 + 60
    assert any("алиас" in row[2] for row in fast_rows)
    assert fast_schema == trigger_schema  # the trigger is back, word for word; the index settings as found


FAILURES = {
    "while indexing": (bulk_fts, "_index_claims_after"),
    "after the claims and links": (bulk, "_insert_audit"),
    "in the re-derivation": (status, "write_derived"),
}


@pytest.mark.parametrize("where", list(FAILURES))
def test_an_import_failing_after_the_trigger_was_dropped_leaves_the_workspace_as_it_was(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    first, second = scenario_documents(4)
    import_json(workspace.engine, first, analyst="tester")
    counts, schema, index = table_counts(workspace.engine), schema_sql(workspace.engine), fts_rows(workspace.engine)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    module, name = FAILURES[where]
    with monkeypatch.context() as patch:
        patch.setattr(module, name, fail)
        with pytest.raises(RuntimeError, match="disk on fire"):
            import_json(workspace.engine, second, analyst="tester")
    assert table_counts(workspace.engine) == counts
    assert schema_sql(workspace.engine) == schema  # the insert trigger is back, word for word
    assert fts_rows(workspace.engine) == index
    # And it works: a claim written one at a time is indexed by it.
    with workspace.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO claim (ext_id, text, source_id, kind, reviewed, tags, notes, recorded, sort_date, status, "
                "suggested_credibility, verdict_disputed, link_count) SELECT 'one', 'Ёлка у Бахмута', id, 'event', 0, "
                "'[]', '', '2022-12-15 00:00:00.000000', '2022-12-15', 'unverified', 6, 0, 0 FROM source LIMIT 1"
            )
        )
    assert fts_rows(workspace.engine)[-1][1] == "елка у бахмута"
    import_json(workspace.engine, second, analyst="tester")  # and the import goes through afterwards
    with workspace.engine.connect() as connection:
        assert status.stale_claims(connection) == []


def test_every_forbidden_character_is_found_inside_otherwise_printable_text() -> None:
    # forbidden_character answers "none" for printable text without its regex: nothing forbidden is printable.
    from desktop.core.text import _FORBIDDEN, forbidden_character

    forbidden = [chr(c) for c in range(0x110000) if _FORBIDDEN.match(chr(c))]
    assert len(forbidden) == 9 + 2 + 18 + 33 + 5 + 4 + 2048
    assert all(forbidden_character(f"Bakhmut{c}Бахмут") for c in forbidden)
    assert forbidden_character("Bakhmut Бахмут — «fine» 🛰") is None
