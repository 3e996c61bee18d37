"""Adding the shipped gazetteer to a workspace that lacks it: one audited write, undoable, idempotent.

A workspace other than the default one starts without places (``core.gazetteer`` says why: import → export
must give the document back byte for byte). ``Store.add_places`` adds the shipped places it does not hold.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop.core.gazetteer import asks_for_places, holds_places, shipped_places
from desktop.core.history.trail import grouped, read_rows
from desktop.core.interchange import export_json, import_json
from desktop.core.workspace import SAMPLE_WORKSPACE, Workspace, open_workspace


def _places(workspace: Workspace) -> list[tuple[str, str]]:
    with workspace.engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql("SELECT ext_id, name FROM place ORDER BY id")]


def _add_undo_redo_again(workspace: Workspace) -> None:
    shipped = shipped_places()
    with workspace.engine.connect() as connection:
        assert not holds_places(connection)
    added = workspace.store.add_places(shipped)
    assert len(added.value) == len(shipped) == len(_places(workspace))
    assert [ext for ext, _name in _places(workspace)] == [p["id"] for p in shipped]  # the gazetteer's own ids
    with workspace.engine.connect() as connection:
        assert holds_places(connection)
        groups = [g for g in grouped(read_rows(connection)) if g.entity == "place"]
        aliases = connection.exec_driver_sql(
            "SELECT count(*) FROM place_alias a JOIN place p ON p.id = a.place_id WHERE p.ext_id = 'gz-bakhmut'"
        ).scalar_one()
    assert [g.action for g in groups] == ["create"] * len(shipped)  # every place audited
    assert len({g.at for g in groups}) == 1  # in one write
    assert aliases == len(shipped[0]["aliases"])
    removed = added.undo(workspace.store)  # one step takes them all out
    assert _places(workspace) == []
    removed.undo(workspace.store)  # and redo puts them back
    assert len(_places(workspace)) == len(shipped)
    again = workspace.store.add_places(shipped)  # idempotent: nothing held is added twice
    assert again.value == [] and again.change.unchanged  # no audit row: no undo step either
    assert len(_places(workspace)) == len(shipped)


def test_a_new_workspace_gets_the_shipped_places_in_one_undoable_step(workspace: Workspace) -> None:
    _add_undo_redo_again(workspace)


def test_the_same_on_postgresql(postgres_url: str) -> None:
    opened = open_workspace(postgres_url, analyst="anna")
    try:
        _add_undo_redo_again(opened)
    finally:
        opened.close()


def test_places_already_held_are_skipped_by_name_and_coordinates(workspace: Workspace) -> None:
    """The sample's Bakhmut (pl-bakhmut, the same names and place) is not added again as gz-bakhmut; a
    record whose id another place has takes a new one."""
    import_json(workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
    held = len(_places(workspace))
    workspace.store.create_place("Elsewhere", lat=10.0, lon=10.0, ext_id="gz-kostiantynivka")
    added = workspace.store.add_places(shipped_places())
    names = [name for _ext, name in _places(workspace)]
    assert names.count("Bakhmut") == 1 and names.count("Soledar") == 1
    assert len(added.value) == len(shipped_places()) - (held - 1)  # the sample's own places lacked one
    assert ("gz-bakhmut", "Bakhmut") not in _places(workspace)
    kostiantynivka = [ext for ext, name in _places(workspace) if name == "Kostiantynivka"]
    assert len(kostiantynivka) == 1 and kostiantynivka[0].startswith("pl-")


def test_a_new_workspace_starts_without_places_so_import_then_export_gives_the_document_back(
    tmp_path: Path,
) -> None:
    """Why the gazetteer is a command and not in every new workspace (DESIGN §3)."""
    document = SAMPLE_WORKSPACE.read_bytes()
    first = open_workspace(str(tmp_path / "one.sqlite"))
    import_json(first.engine, document, analyst="sample")
    exported = export_json(first.engine)
    second = open_workspace(str(tmp_path / "two.sqlite"))
    import_json(second.engine, exported, analyst="sample")
    assert export_json(second.engine) == exported
    assert len(json.loads(exported)["places"]) == len(json.loads(document)["places"])
    first.close()
    second.close()


def test_place_terms_are_recognised_in_a_filter() -> None:
    assert asks_for_places("place:bakhmut status:contested")
    assert asks_for_places('words place:"Bakhmut"')
    assert not asks_for_places("-place:bakhmut")
    assert not asks_for_places("bakhmut source:rybar")
