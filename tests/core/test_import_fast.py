"""The fast path of an import (``json_fast``): what it accepts, the careful walk accepts with the same rows;
whatever is wrong or unsure, it leaves to the careful walk, so every message stays word for word."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from desktop.core.interchange import ImportErrors, export_json, import_json, json_fast, json_import, specs
from desktop.core.interchange.json_validate import referenced_ids, validate_document
from desktop.core.store.bulk import WorkspaceKeys
from desktop.core.workspace import Workspace
from tests.core.test_interchange import MALFORMED, generated_document, small_document

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def careful(data: bytes, keys: WorkspaceKeys) -> tuple[Any, list[Any]]:
    """What the careful walk makes of ``data``: (rows, problems); problems at ``$`` if it cannot be decoded."""
    try:
        doc = json_import.decode(data)
    except ImportErrors as error:
        return None, error.errors
    return validate_document(doc, keys, now=NOW, analyst="ana")


def fast(data: bytes, keys: WorkspaceKeys) -> Any:
    document = json_fast.decode_fast(data)
    return None if document is None else document.rows(keys, now=NOW, analyst="ana")


def assert_same_rows(data: bytes, keys: WorkspaceKeys | None = None) -> None:
    keys = keys or WorkspaceKeys()
    rows, problems = careful(data, keys)
    assert problems == []
    quick = fast(data, keys)
    assert quick is not None, "a plainly valid document should take the fast path"
    assert quick == rows
    for name in ("sources", "reports", "places", "claims", "links", "outreach"):  # 48.0 == 48: types too
        kinds = [{key: type(value) for key, value in row.items()} for row in getattr(quick, name)]
        assert kinds == [{key: type(value) for key, value in row.items()} for row in getattr(rows, name)], name


def assert_left_to_the_careful_walk(data: bytes, keys: WorkspaceKeys | None = None) -> None:
    keys = keys or WorkspaceKeys()
    _rows, problems = careful(data, keys)
    assert problems, "the careful walk should refuse this document"
    assert fast(data, keys) is None


@pytest.mark.parametrize(
    "encode",
    [
        lambda d: json.dumps(d).encode(),
        lambda d: json.dumps(d, ensure_ascii=False, indent=2).encode(),
        lambda d: b"\xef\xbb\xbf" + json.dumps(d, ensure_ascii=False).encode(),  # a byte-order mark
    ],
    ids=["ascii", "utf-8-indented", "byte-order-mark"],
)
@pytest.mark.parametrize("make", [small_document, generated_document], ids=["small", "generated"])
def test_fast_and_careful_paths_give_the_same_rows(make: Any, encode: Any) -> None:
    assert_same_rows(encode(make()))
    document = json_fast.decode_fast(encode(make()))
    assert document is not None and document.wanted() == referenced_ids(make())


def test_fast_path_gives_the_rows_of_an_exported_workspace(sample_workspace: Workspace) -> None:
    assert_same_rows(export_json(sample_workspace.engine))


VALID_VARIANTS: list[tuple[str, tuple[Any, ...], Any]] = [
    ("side-folded", ("sources", 0, "side"), "  RUSSIA "),
    ("group-trimmed", ("sources", 0, "group"), " state media "),
    ("null-section", ("outreach",), None),
    ("null-optional", ("claims", 0, "kind"), None),
    ("empty-url", ("sources", 0, "url"), ""),
    ("upper-case-scheme", ("sources", 0, "url"), "HTTPS://example.org/x"),
    ("timestamp-with-offset", ("claims", 0, "recorded"), "2022-12-15T12:00:00+02:00"),
    ("timestamp-with-fraction", ("claims", 1, "recorded"), "2022-12-15T09:30:00.999999999Z"),
    ("integer-coordinate", ("places", 0, "lat"), 48),
    ("quote", ("claims", 0, "quote"), {"start": 0, "end": 5}),
    ("null-quote", ("claims", 0, "quote"), None),
    ("null-event-fields", ("claims", 0, "event"), {"start": None, "end": None, "precision": None}),
    ("colon-in-text", ("claims", 0, "text"), 'he said: "now"'),
    ("escaped-slash-and-newline", ("claims", 0, "notes"), "a/b\nc\td"),
    ("non-bmp", ("claims", 0, "text"), "🛰 over the river"),
    ("highest-credibility", ("claims", 0, "credibility"), 6),
    ("bidi-marks-in-text", ("claims", 0, "text"), "\u200fהתקפה נהדפה\u200f"),
    ("zero-width-in-a-name", ("sources", 0, "name"), "Ry\u200bbar"),
    ("joiner-in-a-tag", ("claims", 0, "tags"), ["\u200dtag"]),
]


@pytest.mark.parametrize(("path", "value"), [c[1:] for c in VALID_VARIANTS], ids=[c[0] for c in VALID_VARIANTS])
def test_fast_path_reads_every_valid_spelling_as_the_careful_walk(path: tuple[Any, ...], value: Any) -> None:
    doc = small_document()
    doc["reports"][0]["text"] = "Shelling reported near the plant."
    doc["claims"][0]["report"] = doc["reports"][0]["id"]
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert_same_rows(json.dumps(doc, ensure_ascii=False).encode())


def _mutated(mutate: Any) -> bytes:
    doc = small_document()
    mutate(doc)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("mutate", [c[1] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_fast_path_leaves_every_malformed_document_to_the_careful_walk(mutate: Any) -> None:
    assert_left_to_the_careful_walk(_mutated(mutate))


H = b'{"format":"crosscheck-workspace","version":1,'  # the head of a document
BAD_RAW: list[tuple[str, bytes]] = [
    ("key-twice", b'{"format": "crosscheck-workspace", "version": 1, "version": 2}'),
    ("nested-key-twice", H + b'"sources":[{"id":"s","name":"a","name":"b"}]}'),
    ("escaped-bell", H + b'"sources":[{"id":"s","name":"a\\u0007"}]}'),
    ("escaped-backspace", H + b'"sources":[{"id":"s","name":"a\\b"}]}'),
    ("raw-delete", H + b'"sources":[{"id":"s","name":"a\x7f"}]}'),
    ("raw-c1", H + b'"sources":[{"id":"s","name":"a\xc2\x85"}]}'),
    ("raw-bidi", H + b'"sources":[{"id":"s","name":"a\xe2\x80\xae"}]}'),
    ("escaped-bidi", H + b'"sources":[{"id":"s","name":"a\\u2066"}]}'),
    ("raw-tab", H + b'"sources":[{"id":"s","name":"a\tb"}]}'),
    ("lone-surrogate", H + b'"sources":[{"id":"\\udc00","name":"a"}]}'),
    ("low-surrogate-first", H + b'"sources":[{"id":"\\udc00\\ud800","name":"a"}]}'),
    ("surrogate-in-a-key", H + b'"sources":[{"id":"s","name":"a","\\ud800":1}]}'),
    ("encoded-surrogate", H + b'"sources":[{"id":"\xed\xa0\x80","name":"a"}]}'),
    ("not-utf-8", H + b'"sources":[{"id":"\xff","name":"a"}]}'),
    ("version-true", b'{"format":"crosscheck-workspace","version":true}'),
    ("version-float", b'{"format":"crosscheck-workspace","version":1.0}'),
    ("nan", H + b'"places":[{"id":"p","name":"x","lat":NaN}]}'),
    ("leading-zero", b'{"format":"crosscheck-workspace","version":01}'),
    ("trailing-comma", H + b'}'),
    ("trailing-text", b'{"format":"crosscheck-workspace","version":1} x'),
    ("impossible-moment", H + b'"sources":[{"id":"s","name":"a"}],'
     b'"claims":[{"id":"c","text":"t","source":"s","recorded":"2022-02-30T10:00:00Z"}]}'),
    ("arabic-digits", H + '"sources":[{"id":"s","name":"a"}],'
     '"claims":[{"id":"c","text":"t","source":"s","claimed":"٢٠٢٢-١٢-١٤"}]}'.encode()),
    ("url-long-s", H + '"sources":[{"id":"s","name":"a",'
     '"url":"httpſ://x"}]}'.encode()),
    ("blank-tag", H + b'"sources":[{"id":"s","name":"a"}],'
     b'"claims":[{"id":"c","text":"t","source":"s","tags":["\\u2003"]}]}'),
    ("escaped-zero-width-text", H + b'"sources":[{"id":"s","name":"a"}],'
     b'"claims":[{"id":"c","text":"\\u200b","source":"s"}]}'),
    ("raw-zero-width-name", H + b'"sources":[{"id":"s","name":"\xe2\x80\x8b \xef\xbb\xbf"}]}'),
    ("raw-bidi-marks-title", H + b'"reports":[{"id":"r","title":"\xe2\x80\x8e\xe2\x80\x8f"}]}'),
    ("quote-without-report", H + b'"sources":[{"id":"s","name":"a"}],'
     b'"claims":[{"id":"c","text":"t","source":"s","quote":{"start":0,"end":1}}]}'),
    ("negative-offset", H + b'"sources":[{"id":"s","name":"a"}],'
     b'"claims":[{"id":"c","text":"t","source":"s","quote":{"start":-1,"end":1}}]}'),
    ("report-digest", H + b'"reports":[{"id":"r","title":"t","text":"x",'
     b'"sha256":"' + b"0" * 64 + b'"}]}'),
    ("upper-case-digest", H + b'"reports":[{"id":"r","title":"t",'
     b'"sha256":"' + b"A" * 64 + b'"}]}'),
]  # fmt: skip


@pytest.mark.parametrize("data", [c[1] for c in BAD_RAW], ids=[c[0] for c in BAD_RAW])
def test_fast_path_leaves_raw_trouble_to_the_careful_walk(data: bytes) -> None:
    assert_left_to_the_careful_walk(data)


def test_fast_path_checks_against_the_workspace_as_the_careful_walk(workspace: Workspace) -> None:
    import_json(workspace.engine, small_document(), analyst="tester")
    keys = _keys(workspace.engine)
    assert_left_to_the_careful_walk(json.dumps(small_document()).encode(), keys)  # every id taken
    judged_again = {"format": "crosscheck-workspace", "version": 2,
                    "links": [{"from": "c-ru", "to": "c-ua", "relation": "contradicts", "analyst": "ana"}]}  # fmt: skip
    assert_left_to_the_careful_walk(json.dumps(judged_again).encode(), keys)
    addition = {
        "format": "crosscheck-workspace",
        "version": 2,
        "claims": [{"id": "c-new", "text": "More shelling", "source": "src-ua", "places": ["pl-bakhmut"]}],
        "links": [
            {"from": "c-new", "to": "c-state-2", "relation": "contradicts"},
            {"from": "c-ru", "to": "c-ua", "relation": "contradicts", "analyst": "boris"},
        ],
        "outreach": [{"id": "o-2", "party": "Ministry", "about": ["c-ru", "c-new"]}],
    }
    data = json.dumps(addition).encode()
    assert_same_rows(data, keys)
    document = json_fast.decode_fast(data)
    assert document is not None and document.wanted() == referenced_ids(json.loads(data))


def _keys(engine: Engine) -> WorkspaceKeys:
    with engine.connect() as connection:
        return WorkspaceKeys.load(connection)


@pytest.mark.parametrize("mutate", [c[1] for c in MALFORMED[:12]], ids=[c[0] for c in MALFORMED[:12]])
def test_an_import_words_every_problem_as_the_careful_walk_alone(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, mutate: Any
) -> None:
    data = _mutated(mutate)
    with pytest.raises(ImportErrors) as with_fast:
        import_json(workspace.engine, data, analyst="tester")
    monkeypatch.setattr(json_import, "_decode_fast", lambda _data: None)
    with pytest.raises(ImportErrors) as careful_only:
        import_json(workspace.engine, data, analyst="tester")
    assert with_fast.value.errors == careful_only.value.errors
    assert str(with_fast.value) == str(careful_only.value)


def test_every_key_of_the_format_has_a_type_on_the_fast_path() -> None:
    tables = {
        "sources": specs.SOURCE,
        "reports": specs.REPORT,
        "places": specs.PLACE,
        "claims": specs.claim_specs(NOW),
        "links": specs.link_specs(NOW, ""),
        "outreach": specs.OUTREACH,
    }
    for name, table in tables.items():
        assert set(json_fast._TYPES[name]) == set(table), name
