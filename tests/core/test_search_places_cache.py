"""A word naming a place reads the gazetteer as it is now, though the read is kept between filters."""

from __future__ import annotations

from desktop.core.search import matching_ids
from desktop.core.store import Store
from desktop.core.workspace import Workspace


def found(workspace: Workspace, query: str) -> list[int]:
    with workspace.engine.connect() as connection:  # the pool hands back the same connection each time
        return matching_ids(connection, query)


def test_a_place_renamed_or_added_is_found_by_its_new_name_at_the_next_filter(workspace: Workspace) -> None:
    store: Store = workspace.store
    source = store.create_source("Channel").value
    place = store.create_place("Oldtown").value
    claim = store.create_claim("Shelling reported", source, places=[place]).value
    assert found(workspace, "oldtown") == [claim]
    assert found(workspace, "oldtown") == [claim]  # the gazetteer kept
    assert found(workspace, "newtown") == []
    store.update_place(place, name="Newtown")
    assert found(workspace, "newtown") == [claim]
    other = store.create_place("Farville", aliases=["Дальнее"]).value
    near = store.create_claim("A convoy", source, places=[other]).value
    assert found(workspace, "дальнее") == [near]
