"""Which gazetteer places a captured passage names: whole words, any script or alias, the longest name."""

from __future__ import annotations

from desktop.core.read.reports import places_named_in, sources_named_in
from desktop.core.workspace import Workspace
from tests.core._detail_workspace import build


def test_a_passage_names_places_by_name_or_alias_in_any_script(workspace: Workspace) -> None:
    ids = build(workspace.store)
    store = workspace.store
    oblast = store.create_place("Donetsk Oblast", aliases=["Донецька область"]).value
    city = store.create_place("Donetsk", aliases=["Донецьк"]).value
    with workspace.engine.connect() as connection:
        assert places_named_in(connection, "Fighting in Bakhmut's industrial zone; Soledar quiet.") == [
            (ids["place:bakhmut"], "Bakhmut"),
            (ids["place:soledar"], "Soledar"),
        ]
        assert places_named_in(connection, "Бои под Артёмовском и у Бахмута") == []  # inflected: not the word
        assert places_named_in(connection, "Бахмут: бои у Опитне") == [
            (ids["place:bakhmut"], "Bakhmut"),
            (ids["place:opytne"], "Opytne"),
        ]
        # "Donetsk" inside "Donetsk Oblast" is the oblast only; on its own, the city
        assert places_named_in(connection, "all of Donetsk Oblast") == [(oblast, "Donetsk Oblast")]
        assert places_named_in(connection, "west of Donetsk") == [(city, "Donetsk")]
        assert places_named_in(connection, "Bakhmutka river") == []  # whole words only
        # a word two places answer to: the one whose own name it is; if it is none's, neither
        store.create_place("Opytne (Avdiivka)", aliases=["Opytne"])
        assert places_named_in(connection, "clearing Opytne") == [(ids["place:opytne"], "Opytne")]
        store.create_place("Novoselivka (Kramatorsk)", aliases=["Novoselivka"])
        store.create_place("Novoselivka (Pokrovsk)", aliases=["Novoselivka"])
        assert places_named_in(connection, "shelling of Novoselivka") == []
        # the sources' search is the same one
        assert sources_named_in(connection, "as Rybar posted") == [(ids["src:rybar"], "Rybar")]
