"""The shipped gazetteer: Donbas places with their names in other scripts, and when two entries are one place."""

from __future__ import annotations

from typing import Any


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
