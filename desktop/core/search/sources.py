"""The source table folded in Python and cached, for resolving source fields to source ids."""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection

from desktop.core.read import tally
from desktop.core.search.documents import tokens
from desktop.core.search.sql import source
from desktop.core.text import fold

# --- the source table, folded ---------------------------------------------------------------


# Between a source's texts and between sources in _Catalog.text; a filter value never
# holds it (parse replaces control characters), so a match never spans two texts.
_SEPARATOR: Final = "\x1f"


class _Catalog:
    """The source table folded in Python (``text.fold``, as ``cc_fold`` is), for resolving source fields."""

    def __init__(self, rows: Sequence[Sequence[Any]]) -> None:
        self.ids: list[int] = []
        self.names: list[tuple[str, ...]] = []  # folded: the name, then each alias
        self.starts: list[int] = []  # where each source's texts begin in ``text``
        self.sides: dict[str, list[int]] = {}  # ids by side as stored ("" = unaligned)
        self.groups: dict[str, list[int]] = {}  # ids by group as stored ("" = none)
        self.kinds: dict[str, list[int]] = {}
        parts: list[str] = []
        position = 0
        for ident, name, ext_id, side, group, kind, aliases in rows:
            names = (fold(name or ""), *(fold(alias) for alias in _alias_texts(aliases)))
            self.ids.append(int(ident))
            self.names.append(names)
            self.starts.append(position)
            part = _SEPARATOR.join((*names, fold(ext_id or ""))) + _SEPARATOR
            parts.append(part)
            position += len(part)
            self.sides.setdefault(side or "", []).append(int(ident))
            self.groups.setdefault(group or "", []).append(int(ident))
            self.kinds.setdefault(kind or "", []).append(int(ident))
        # Every source's folded name, aliases and ext_id: one substring search finds them all.
        self.text = "".join(parts)
        self._words: _SourceWords | None = None  # built on first use (PostgreSQL's free words)

    def containing(self, value: str) -> set[int]:
        """Sources whose name, an alias or ext_id contains ``value`` (folded)."""
        found: set[int] = set()
        position = self.text.find(value)
        while position >= 0:
            index = bisect.bisect_right(self.starts, position) - 1
            found.add(self.ids[index])
            if index + 1 == len(self.starts):
                break
            position = self.text.find(value, self.starts[index + 1])
        return found

    def labelled(self, field: str, value: str) -> set[int]:
        """``side:`` or ``group:``: sources whose folded label starts with ``value``; ``""``: no label."""
        labels = self.sides if field == "side" else self.groups
        if value == "":
            return set(labels.get("", ()))
        return {ident for label, ids in labels.items() if label and fold(label).startswith(value) for ident in ids}

    def matching(self, field: str, values: Sequence[str]) -> set[int]:
        found: set[int] = set()
        for value in values:
            found |= self.containing(value) if field == "source" else self.labelled(field, value)
        return found

    def with_phrase(self, words: Sequence[str], *, prefix: bool) -> set[int]:
        """Sources whose name and aliases hold ``words`` in a row, as FTS5 matches its ``source`` column.

        That column (migration 0002) is ``cc_fold`` of the name and the aliases joined by
        spaces, so a phrase may run from the name into the first alias, as it does here;
        ``prefix``: the last word is a prefix.
        """
        if self._words is None:
            self._words = _SourceWords(self.ids, self.names)
        return self._words.with_phrase(words, prefix=prefix)

    def named_in_order(self, tokens: Sequence[str]) -> set[int]:
        """Sources with a name or alias holding ``tokens`` in this order (LIKE ``%a%b%``)."""
        return {
            ident
            for ident, names in zip(self.ids, self.names, strict=True)
            if any(_in_order(name, tokens) for name in names)
        }


class _SourceWords:
    """Each source's words (name, then aliases, as FTS5 splits them) and where each word stands."""

    def __init__(self, ids: Sequence[int], names: Sequence[tuple[str, ...]]) -> None:
        self.ids = ids
        self.streams = [[word for name in texts for word in tokens(name)] for texts in names]
        self.at: dict[str, list[tuple[int, int]]] = {}  # word → (source index, position)
        for index, stream in enumerate(self.streams):
            for position, word in enumerate(stream):
                self.at.setdefault(word, []).append((index, position))
        self.vocabulary = sorted(self.at)

    def _starting(self, word: str, prefix: bool) -> list[tuple[int, int]]:
        if not prefix:
            return self.at.get(word, [])
        found: list[tuple[int, int]] = []
        for known in self.vocabulary[bisect.bisect_left(self.vocabulary, word) :]:
            if not known.startswith(word):
                break
            found.extend(self.at[known])
        return found

    def with_phrase(self, words: Sequence[str], *, prefix: bool) -> set[int]:
        if not words:
            return set()
        *head, last = words
        if not head:
            return {self.ids[index] for index, _ in self._starting(last, prefix)}
        found: set[int] = set()
        for index, position in self.at.get(head[0], []):
            stream = self.streams[index]
            end = position + len(words)
            if end > len(stream) or stream[position : end - 1] != head:
                continue
            if stream[end - 1] == last or (prefix and stream[end - 1].startswith(last)):
                found.add(self.ids[index])
        return found


# The last source table read, keyed by its full contents (see _source_catalog).
_catalog_cache: tuple[object, _Catalog] | None = None


def _alias_texts(aliases: object) -> tuple[str, ...]:
    """The aliases of a source as texts; a damaged (non-list) value has none (as in SQL)."""
    if aliases == "[]" or aliases == []:  # most sources
        return ()
    if isinstance(aliases, str):
        try:
            aliases = json.loads(aliases)
        except ValueError:
            return ()
    if not isinstance(aliases, list):
        return ()
    return tuple(item if isinstance(item, str) else json.dumps(item) for item in aliases if item is not None)


_SOURCE_COLUMNS: Final = ("id", "name", "ext_id", "side", "group_label", "kind", "aliases")


# Where a SQLite connection keeps the catalog it read last (see _source_catalog).
# PostgreSQL: the catalog each database (by URL) had at each version of its source table.
_versions: dict[str, tuple[int, _Catalog]] = {}
_SEEN: Final = "crosscheck.search.sources"
UNREAD: Final = object()  # a version argument not given: read it


def _source_catalog(connection: Connection, version: int | None | object = UNREAD) -> _Catalog:
    """The source table, folded, for resolving source fields to ids.

    Folding a few thousand names costs milliseconds, so the catalog is kept and
    reused while the table's contents are unchanged. The cache key is the contents
    themselves: one JSON array of every row built by the database (SQLite: ≈1 ms
    for 3,000 sources, in C; PostgreSQL: a few ms), elsewhere the rows. Exact,
    whichever connection or workspace asks.

    On PostgreSQL that read is skipped while the source table's version
    (``read.tally``, kept by a trigger) is the one the catalog was read at.
    On SQLite it is skipped when the same connection read the table
    before and nothing can have changed since: no other connection committed
    (``PRAGMA data_version``), this one changed no row (``total_changes``), and
    both reads began outside a transaction, so neither saw uncommitted writes of
    its own. The pool keeps that note with the DB-API connection (``info``).

    ``version``: the source table's version read by the caller in this transaction (``tally.versions``).
    """
    seen: tuple[int, int] | None = None
    if connection.dialect.name == "postgresql":
        known = tally.sources_version(connection) if version is UNREAD else version
        assert known is None or isinstance(known, int)
        where = connection.engine.url.render_as_string(hide_password=True)
        kept = _versions.get(where)
        if known is not None and kept is not None and kept[0] == known:
            return kept[1]
        catalog = _read_catalog(connection)
        if known is not None:
            _versions[where] = (known, catalog)
        return catalog
    if connection.dialect.name == "sqlite":
        pooled = connection.connection
        driver = pooled.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        fresh = not driver.in_transaction  # before our first statement starts one
        changes = driver.total_changes
        version = int(driver.execute("PRAGMA data_version").fetchone()[0])  # (on the driver: no transaction needed)
        note = pooled.info.pop(_SEEN, None)
        if fresh and note is not None and note[0] == (version, changes):
            pooled.info[_SEEN] = note
            return note[1]  # type: ignore[no-any-return]
        seen = (version, changes) if fresh else None
    catalog = _read_catalog(connection)
    if seen is not None:
        connection.connection.info[_SEEN] = (seen, catalog)
    return catalog


def _read_catalog(connection: Connection) -> _Catalog:
    global _catalog_cache
    columns = [source.c[name] for name in _SOURCE_COLUMNS]
    contents: object
    if connection.dialect.name == "sqlite":
        contents = connection.execute(
            sa.select(sa.func.json_group_array(sa.func.json_array(*columns), type_=sa.String))
        ).scalar_one()
    elif connection.dialect.name == "postgresql":
        # As on SQLite: one text built by the server, not 3,000 rows and their JSON aliases decoded one
        # by one (25 ms at 3,000 sources, on every filter compiled); compared, it is the cache key.
        rows = sa.func.json_agg(aggregate_order_by(sa.func.json_build_array(*columns), source.c.id))
        contents = connection.execute(sa.select(sa.cast(rows, sa.Text))).scalar_one() or "[]"
    else:
        contents = [tuple(row) for row in connection.execute(sa.select(*columns))]
    cached = _catalog_cache
    if cached is not None and cached[0] == contents:
        return cached[1]
    catalog = _Catalog(json.loads(contents) if isinstance(contents, str) else contents)
    _catalog_cache = (contents, catalog)
    return catalog


def _in_order(text: str, tokens: Sequence[str]) -> bool:
    """Whether ``tokens`` occur in ``text`` in this order, without overlapping (LIKE ``%a%b%``)."""
    position = 0
    for token in tokens:
        found = text.find(token, position)
        if found < 0:
            return False
        position = found + len(token)
    return True


# --- compiling ------------------------------------------------------------------------------
