"""The shipped gazetteer: Donbas places with their names in other scripts, and when two entries are one place.

The default workspace starts with it (``seeding``). Any other workspace starts
empty — ``import`` into a new file, then ``export``, must give the document back
byte for byte (DESIGN §3), and a desk working on another region wants no Donbas
villages on its map and in its STIX bundles — so the window offers it as a
command (Tools ▸ Add the shipped gazetteer): ``missing_places`` is what that
adds, every place the workspace does not already hold by name and coordinates.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from desktop.resources import resource


def _names(place: dict[str, Any]) -> set[str]:
    return {str(n).casefold() for n in [place["name"], *place.get("aliases", [])]}


def same_place(one: dict[str, Any], other: dict[str, Any]) -> bool:
    # Names repeat across the oblast (two villages called Opytne): a shared name or alias counts as
    # the same place only where the coordinates agree too (or either has none).
    if not _names(one) & _names(other):
        return False
    if None in (one.get("lat"), one.get("lon"), other.get("lat"), other.get("lon")):
        return True
    return bool(abs(one["lat"] - other["lat"]) < 0.02 and abs(one["lon"] - other["lon"]) < 0.02)


def shipped_places() -> list[dict[str, Any]]:
    """The shipped gazetteer's places, as interchange records (``resources/gazetteer.json``)."""
    places: list[dict[str, Any]] = json.loads(resource("gazetteer.json").read_bytes())
    return places


def held_places(connection: Connection) -> list[dict[str, Any]]:
    """Every place the workspace holds, with its aliases and coordinates (what ``same_place`` compares)."""
    aliases: dict[int, list[str]] = {}
    for place_id, alias in connection.execute(text("SELECT place_id, alias FROM place_alias")):
        aliases.setdefault(place_id, []).append(alias)
    return [
        {"name": name, "aliases": aliases.get(ident, []), "lat": lat, "lon": lon}
        for ident, name, lat, lon in connection.execute(text("SELECT id, name, lat, lon FROM place"))
    ]


def missing_places(connection: Connection, offered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``offered`` places the workspace does not hold yet (by ``same_place``), in their order."""
    held = held_places(connection)
    return [p for p in offered if not any(same_place(p, h) for h in held)]


def holds_places(connection: Connection) -> bool:
    return connection.execute(text("SELECT 1 FROM place LIMIT 1")).first() is not None


def asks_for_places(query: str) -> bool:
    """Whether the filter ``query`` looks for claims by place (a ``place:`` term not negated)."""
    from desktop.core.search.parsing import parse

    return any(term.field == "place" and not term.negated for term in parse(query).fields)
