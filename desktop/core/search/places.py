"""A free word that names a place: the gazetteer read once per filter, matched by folded name or search key.

``artemivsk`` names the place Bakhmut (an alias), and so does ``bachmut`` (its
search key is Bakhmut's). A search for such a word then finds the claims tagged
with that place and the claims whose text names it by any of its names
(``Артемовск``, ``Bakhmut``…): ``PlaceNames.named`` gives those names. A word
must name the place whole; a prefix being typed (``bakh``) does not.

The gazetteer is small (tens to a few thousand names) and read at each compile;
its keys are computed in Python (``search_keys`` caches each word's key).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.read import tally
from desktop.core.search.keys import search_keys
from desktop.core.search.sql import place, place_alias


class PlaceNames:
    """Every place's names (name first, then aliases), indexed by folded name and by search key."""

    def __init__(self, rows: Sequence[tuple[int, str, str]]) -> None:
        self.names: dict[int, list[str]] = {}
        self._by_folded: dict[str, set[int]] = {}
        self._by_keys: dict[str, set[int]] = {}
        for place_id, name, folded in rows:
            self.names.setdefault(place_id, []).append(name)
            self._by_folded.setdefault(folded, set()).add(place_id)
            if keys := search_keys(name):
                self._by_keys.setdefault(keys, set()).add(place_id)

    @classmethod
    def read(cls, connection: Connection) -> PlaceNames:
        """The gazetteer's names; on PostgreSQL those read before while its version (``read.tally``) holds."""
        version = tally.places_version(connection)
        where = connection.engine.url.render_as_string(hide_password=True)
        kept = _kept.get(where)
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        names = cls._read(connection)
        if version is not None:
            _kept[where] = (version, names)
        return names

    @classmethod
    def _read(cls, connection: Connection) -> PlaceNames:
        names = sa.union_all(
            sa.select(place.c.id, place.c.name, place.c.folded, sa.literal(-1).label("position")),
            sa.select(place_alias.c.place_id, place_alias.c.alias, place_alias.c.folded, place_alias.c.position),
        ).subquery()
        rows = connection.execute(sa.select(names.c[0], names.c[1], names.c[2]).order_by(names.c[0], names.c[3]))
        return cls([(int(ident), str(name), str(folded)) for ident, name, folded in rows])

    def named(self, folded: str) -> dict[int, list[str]]:
        """The places ``folded`` (a folded word or phrase) names, each with all its names."""
        found = set(self._by_folded.get(folded, ()))
        if keys := search_keys(folded):
            found |= self._by_keys.get(keys, set())
        return {place_id: self.names[place_id] for place_id in sorted(found)}


# PostgreSQL: the names each database (by URL) had at each version of its gazetteer.
_kept: dict[str, tuple[int, PlaceNames]] = {}
