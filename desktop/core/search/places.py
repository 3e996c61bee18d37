"""A free word that names a place: the gazetteer read once per filter, matched by folded name or search key.

``artemivsk`` names the place Bakhmut (an alias), and so does ``bachmut`` (its
search key is Bakhmut's). A search for such a word then finds the claims tagged
with that place and the claims whose text names it by any of its names
(``Артемовск``, ``Bakhmut``…): ``PlaceNames.named`` gives those names. A word
must name the place whole; a prefix being typed (``bakh``) does not. An unquoted
Russian or Ukrainian word in a case form (``бахмута``, ``Артемовска``) names the
place as its plain form does: names are filed by their case forms' keys too (``inflection``).

The gazetteer is small (tens to a few thousand names) and read at each compile;
its keys are computed in Python (``search_keys`` caches each word's key).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.read import tally
from desktop.core.search.inflection import case_keys, word_keys
from desktop.core.search.keys import search_keys
from desktop.core.search.sql import place, place_alias

# The gazetteer read last, keyed by its full contents (see PlaceNames.read).
_cache: tuple[object, PlaceNames] | None = None
_SEEN = "crosscheck.search.places"  # where a pooled SQLite connection keeps the gazetteer it read last


class PlaceNames:
    """Every place's names (name first, then aliases), indexed by folded name and by search key."""

    def __init__(self, rows: Sequence[tuple[int, str, str]]) -> None:
        self.names: dict[int, list[str]] = {}
        self._by_folded: dict[str, set[int]] = {}
        self._by_keys: dict[str, set[int]] = {}
        self._by_case_key: dict[str, set[int]] = {}  # a one-word Cyrillic name by its keys (``inflection``)
        for place_id, name, folded in rows:
            self.names.setdefault(place_id, []).append(name)
            self._by_folded.setdefault(folded, set()).add(place_id)
            if keys := search_keys(name):
                self._by_keys.setdefault(keys, set()).add(place_id)
            for key in word_keys(folded):
                self._by_case_key.setdefault(key, set()).add(place_id)

    @classmethod
    def read(cls, connection: Connection, versions: dict[str, int | None] | None = None) -> PlaceNames:
        """The gazetteer as it is now; kept while its contents are unchanged (its keys cost milliseconds).

        As the source catalog (``sources._source_catalog``): on PostgreSQL not read while its version
        (``read.tally``) holds, on SQLite while nothing can have changed; else keyed by the contents
        themselves — one JSON text built by SQLite (a few milliseconds for a few thousand names), or the rows.
        ``versions``: ``tally.versions`` as the caller read them in this transaction (else read here).
        """
        # PostgreSQL: the gazetteer's version (None elsewhere)
        version = tally.places_version(connection) if versions is None else versions.get("places")
        where = None if version is None else connection.engine.url.render_as_string(hide_password=True)
        kept = None if where is None else _kept.get(where)
        if kept is not None and kept[0] == version:
            return kept[1]
        seen = None
        if connection.dialect.name == "sqlite":
            # As the source catalog: skipped when this pooled connection read it before and nothing can have
            # changed since (no other connection committed, this one changed no row, no transaction open).
            pooled = connection.connection
            driver = pooled.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            fresh = not driver.in_transaction
            changes = driver.total_changes
            data_version = int(driver.execute("PRAGMA data_version").fetchone()[0])  # (no transaction needed)
            note = pooled.info.pop(_SEEN, None)
            if fresh and note is not None and note[0] == (data_version, changes):
                pooled.info[_SEEN] = note
                return note[1]  # type: ignore[no-any-return]
            seen = (data_version, changes) if fresh else None
        found = cls._read(connection)
        if version is not None and where is not None:
            _kept[where] = (version, found)
        if seen is not None:
            connection.connection.info[_SEEN] = (seen, found)
        return found

    @classmethod
    def _read(cls, connection: Connection) -> PlaceNames:
        global _cache
        names = sa.union_all(
            sa.select(place.c.id, place.c.name, place.c.folded, sa.literal(-1).label("position")),
            sa.select(place_alias.c.place_id, place_alias.c.alias, place_alias.c.folded, place_alias.c.position),
        ).subquery()
        rows: list[tuple[int, str, str, int]]
        contents: object
        if connection.dialect.name == "sqlite":
            contents = connection.execute(
                sa.select(sa.func.json_group_array(sa.func.json_array(*names.c), type_=sa.String))
            ).scalar_one()
            cached = _cache
            if cached is not None and cached[0] == contents:
                return cached[1]
            rows = [(int(i), str(n), str(f), int(p)) for i, n, f, p in json.loads(str(contents))]
        else:
            rows = [(int(i), str(n), str(f), int(p)) for i, n, f, p in connection.execute(sa.select(*names.c))]
            contents = rows
            cached = _cache
            if cached is not None and cached[0] == contents:
                return cached[1]
        rows.sort(key=lambda row: (row[0], row[3]))  # each place's name first, then its aliases in order
        found = cls([(ident, name, folded) for ident, name, folded, _position in rows])
        _cache = (contents, found)
        return found

    def named(self, folded: str, *, inflected: bool = False) -> dict[int, list[str]]:
        """The places ``folded`` (a folded word or phrase) names, each with all its names; ``inflected``:
        a word typed unquoted, which names a place in a case form too (``inflection``)."""
        found = set(self._by_folded.get(folded, ()))
        if keys := search_keys(folded):
            found |= self._by_keys.get(keys, set())
        if inflected:  # бахмута, Бахмуте: a case form names it as Бахмут does
            for key in case_keys(folded):
                found |= self._by_case_key.get(key, set())
        return {place_id: self.names[place_id] for place_id in sorted(found)}


# PostgreSQL: the names each database (by URL) had at each version of its gazetteer.
_kept: dict[str, tuple[int, PlaceNames]] = {}
