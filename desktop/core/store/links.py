"""Writes of corroboration links: each analyst's own judgement on a pair (DESIGN §2).

An analyst has at most one judgement per pair of claims, whatever its direction:
marking a new relation replaces that analyst's own judgement only, and other
analysts' judgements on the pair stay. After every change to a pair the store
sets the pair's ``effective`` and ``disputed`` flags (``refresh_pairs``), so the
derivation, which reads effective links only, and the disagreement filter see
the change in the same transaction. Every link write re-derives exactly the
claims whose status can change (see ``store.status``).

Undo of a judgement is refused when the judgement is no longer what the undone
write left (another window of the same analyst changed it since): undo never
reverts a later change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from sqlalchemy import bindparam, insert, text
from sqlalchemy.engine import Connection

from desktop.core import corroboration, validate
from desktop.core.corroboration import judgements
from desktop.core.corroboration.sql_graph import SqlGraph
from desktop.core.db import table_of
from desktop.core.errors import NotFound, Refused
from desktop.core.pg_pipeline import fetch_together
from desktop.core.schema import Link
from desktop.core.store import status
from desktop.core.store.base import StoreBase
from desktop.core.store.conflicts import Conflict, last_change
from desktop.core.store.tx import Result

_LINK_COLUMNS = ("id", "from_id", "to_id", "relation", "rationale", "analyst", "recorded")
_PAIR_SQL = text(
    "SELECT " + ", ".join(_LINK_COLUMNS) + ", effective, disputed FROM link "
    "WHERE (from_id = :a AND to_id = :b) OR (from_id = :b AND to_id = :a) ORDER BY id"
)
_EXT_IDS_SQL = text("SELECT id, ext_id FROM claim WHERE id IN (:a, :b)")
_FROM_SQL = text(
    "SELECT " + ", ".join(_LINK_COLUMNS) + ", effective, disputed FROM link WHERE from_id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_FEW_PAIRS = 20  # up to this many pairs to refresh, a query each
_CHUNK = 500
_SAME = object()  # ``expect`` default: no check
_PROVISIONAL = 2**62  # the id of a judgement about to be inserted, for its flags (ids come after every other)


class LinkWrites(StoreBase):
    def set_link(self, from_id: int, to_id: int, relation: str, rationale: str = "", *, expect: Any = _SAME) -> Result:
        """Record this analyst's judgement that claim ``from_id`` ``relation`` claim ``to_id``.

        (For ``repeats``: from restates to.) ``expect``: this analyst's judgement on the pair as the
        caller last saw it (a dict with at least ``relation``, or None for none); a different one is a
        ``Conflict`` and nothing is written.
        """
        self._check({"relation": relation, "rationale": rationale}, validate.LINK_CHECKS, "link")
        if from_id == to_id:
            raise Refused("a claim cannot be linked to itself")
        new = {"from_id": from_id, "to_id": to_id, "relation": relation, "rationale": rationale}
        return self._replace_pair(from_id, to_id, new, f"mark {relation}", expect)

    def remove_link(self, from_id: int, to_id: int, *, expect: Any = _SAME) -> Result:
        """Remove this analyst's judgement on two claims, in whichever direction it runs."""
        return self._replace_pair(from_id, to_id, None, "remove link", expect)

    def link_between(self, a: int, b: int) -> dict[str, Any] | None:
        """This analyst's judgement on the pair, or None."""
        with self.engine.connect() as connection:
            return _own(_pair_judgements(connection, a, b), self.analyst)

    def effective_between(self, a: int, b: int) -> dict[str, Any] | None:
        """The pair's effective link (whoever judged it), or None: what the derivation reads."""
        with self.engine.connect() as connection:
            found = _effective(_pair_judgements(connection, a, b))
            return None if found is None else {k: found[k] for k in _LINK_COLUMNS}

    def judgements_between(self, a: int, b: int) -> list[dict[str, Any]]:
        """Every analyst's judgement on the pair, in the order they were first recorded."""
        with self.engine.connect() as connection:
            return _pair_judgements(connection, a, b)

    def _replace_pair(
        self, a: int, b: int, new: dict[str, Any] | None, description: str, expect: Any = _SAME
    ) -> Result:
        with self._tx() as tx:
            # The claims' interchange ids and the pair's judgements: independent reads, one round trip.
            ends = {"a": a, "b": b}
            claims, judged = fetch_together(tx.connection, [(_EXT_IDS_SQL, ends), (_PAIR_SQL, ends)])
            ext = _ext_ids(claims.dicts(), a, b)
            analyst = tx.analyst
            pair = _pair_rows(judged.dicts())
            previous = _own(pair, analyst)
            if expect is not _SAME and not _same_judgement(previous, expect):
                key = _key(ext, previous or expect or {"from_id": a, "to_id": b})
                raise Conflict(
                    "link", key, "relation", (previous or {}).get("relation"), (expect or {}).get("relation"),
                    last_change(tx.connection, "link", key),
                )  # fmt: skip
            if previous is None and new is None:
                raise NotFound("you have no judgement on these claims (other analysts' judgements stay theirs)")
            if previous is not None and new is not None and all(previous[k] == new[k] for k in new):
                undo = partial(LinkWrites._replace_pair, a=a, b=b, new=previous, description="", expect=previous)
                return Result(tx.change, undo, "")
            effective_before = _effective(pair)
            relations = {row["relation"] for row in pair} | {(new or {}).get("relation")}
            # A repeats link moves origins, which every evidence neighbour judges independence by; the
            # claims reached are measured on the graph before and after the change (clusters may move).
            reach = corroboration.neighbourhood if "repeats" in relations else corroboration.clusters
            graph = SqlGraph(tx.connection)
            before = reach(graph, {a, b})
            if previous is not None:
                tx.connection.execute(text("DELETE FROM link WHERE id = :i"), {"i": previous["id"]})
                # With its id: replay puts a removed link back in its place (exports list links by id).
                tx.audit_fields(
                    "link", _key(ext, previous), "delete", {k: previous[k] for k in ("id", *_LINK_COLUMNS[3:])}
                )
            if new is not None:
                row = {"analyst": analyst, "recorded": tx.now, **new}
                if "id" in new:  # restoring a removed judgement exactly as it was
                    row = {k: new[k] for k in _LINK_COLUMNS}
                    if _id_taken(tx.connection, row["id"]):
                        # A link made since took its id (SQLite reuses the highest): a new one will do, a
                        # judgement's id is nobody's reference; it then sorts as the newest link.
                        del row["id"]
                # Stored with the flags it will have (``_set_flags`` puts them right if the id, unknown yet, decides).
                others = [r for r in pair if previous is None or r["id"] != previous["id"]]
                chosen, disputed = judgements.flags([_judgement(r) for r in [*others, {"id": _PROVISIONAL, **row}]])
                row = {**row, "effective": chosen == row.get("id", _PROVISIONAL), "disputed": disputed}
                link = table_of(Link)
                inserted = tx.connection.execute(
                    insert(link).values(row).returning(*(link.c[k] for k in (*_LINK_COLUMNS, "effective", "disputed")))
                ).one()
                tx.audit_fields("link", _key(ext, row), "create", {k: row[k] for k in _LINK_COLUMNS[3:] if k in row})
            # The pair as it now stands, without reading it again: the lock taken first kept other writers out.
            now = [dict(r) for r in pair if previous is None or r["id"] != previous["id"]]
            if new is not None:
                values = dict(inserted._mapping)
                values["recorded"] = status._aware(values["recorded"])
                now.append(values)
            after = _set_flags(tx.connection, [now] if now else []).get(judgements.pair_of(a, b), [])
            written = _own(after, analyst)
            graph.forget({a, b})  # only the pair's links changed: the rest of what it read holds
            if _stance(effective_before) != _stance(_effective(after)):
                tx.status_dirty |= before | reach(graph, {a, b})
            else:  # the derivation reads the same effective link; only the pair's link counts may move
                tx.status_dirty |= {a, b}
            tx.keep_graph(graph)
            tx.change.links = True
            tx.change.claims |= {a, b}
        undo = partial(
            LinkWrites._replace_pair, a=a, b=b, new=previous, description=f"undo {description}", expect=written
        )
        return Result(tx.change, undo, description)


def _id_taken(connection: Connection, ident: int) -> bool:
    return connection.execute(text("SELECT 1 FROM link WHERE id = :i"), {"i": ident}).first() is not None


def refresh_pairs(
    connection: Connection, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """Set the ``effective`` and ``disputed`` flags of every judgement on ``pairs`` by the rules of §2.

    Returns each pair's judgements as they now stand, flags included, by ``pair_of`` (a pair left
    without any judgement is not in it).
    """
    return _set_flags(connection, _judgements_of_pairs(connection, {judgements.pair_of(x, y) for x, y in pairs}))


def _set_flags(
    connection: Connection, pairs: Iterable[list[dict[str, Any]]]
) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """``refresh_pairs`` for pairs whose judgements the caller holds (each pair's rows, flags as stored, by id)."""
    updates = []
    found: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for rows in pairs:
        rows.sort(key=lambda r: r["id"])
        found[judgements.pair_of(rows[0]["from_id"], rows[0]["to_id"])] = rows
        chosen, disputed = judgements.flags([_judgement(r) for r in rows])
        for r in rows:
            flags = (r["id"] == chosen, disputed)
            if flags != (bool(r["effective"]), bool(r["disputed"])):
                updates.append({"i": r["id"], "e": flags[0], "d": flags[1]})
            r["effective"], r["disputed"] = flags
    if updates:
        connection.execute(text("UPDATE link SET effective = :e, disputed = :d WHERE id = :i"), updates)
    return found


def _judgements_of_pairs(connection: Connection, pairs: set[tuple[int, int]]) -> Iterator[list[dict[str, Any]]]:
    """Each pair's judgements (as ``_pair_judgements`` reads them), pairs without any left out.

    A handful of pairs (a write's): a query each. Many (the as-of replay's tens of thousands): every link
    from one of their claims, a chunk of claims per query, sorted into pairs here.
    """
    if len(pairs) <= _FEW_PAIRS:
        for a, b in pairs:
            rows = _pair_judgements(connection, a, b)
            if rows:
                yield rows
        return
    found: dict[tuple[int, int], list[dict[str, Any]]] = {}
    ends = sorted({end for pair in pairs for end in pair})
    for start in range(0, len(ends), _CHUNK):
        for row in connection.execute(_FROM_SQL, {"ids": ends[start : start + _CHUNK]}):
            pair = judgements.pair_of(row.from_id, row.to_id)
            if pair in pairs:
                values = dict(row._mapping)
                values["recorded"] = status._aware(values["recorded"])
                found.setdefault(pair, []).append(values)
    for rows in found.values():
        rows.sort(key=lambda r: r["id"])
        yield rows


def stale_pairs(connection: Connection) -> list[tuple[int, int]]:
    """Pairs whose stored ``effective``/``disputed`` flags disagree with the rules (``crosscheck check``)."""
    return sorted({pair for pair, _update in _flag_differences(connection)})


def refresh_all_pairs(connection: Connection) -> int:
    """Put every pair's flags right in one scan (repairs, migrations); returns the judgements updated."""
    updates = [update for _pair, update in _flag_differences(connection)]
    if updates:
        connection.execute(text("UPDATE link SET effective = :e, disputed = :d WHERE id = :i"), updates)
    return len(updates)


def _flag_differences(connection: Connection) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    rows: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in connection.execute(text("SELECT " + ", ".join(_LINK_COLUMNS) + ", effective, disputed FROM link")):
        values = dict(row._mapping)
        values["recorded"] = status._aware(values["recorded"])
        rows.setdefault(judgements.pair_of(values["from_id"], values["to_id"]), []).append(values)
    found = []
    for pair, group in rows.items():
        chosen, disputed = judgements.flags([_judgement(r) for r in group])
        for r in group:
            flags = (r["id"] == chosen, disputed)
            if flags != (bool(r["effective"]), bool(r["disputed"])):
                found.append((pair, {"i": r["id"], "e": flags[0], "d": flags[1]}))
    return found


def _judgement(row: dict[str, Any]) -> judgements.Judgement:
    return judgements.Judgement(
        row["id"], row["from_id"], row["to_id"], row["relation"], row["analyst"], status._aware(row["recorded"])
    )


def _pair_judgements(connection: Connection, a: int, b: int) -> list[dict[str, Any]]:
    return _pair_rows([dict(row._mapping) for row in connection.execute(_PAIR_SQL, {"a": a, "b": b})])


def _pair_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for values in rows:
        values["recorded"] = status._aware(values["recorded"])
    return rows


def _own(pair: list[dict[str, Any]], analyst: str) -> dict[str, Any] | None:
    for row in pair:
        if row["analyst"] == analyst:
            return {k: row[k] for k in _LINK_COLUMNS}
    return None


def _effective(pair: list[dict[str, Any]]) -> dict[str, Any] | None:
    for row in pair:
        if row["effective"]:
            return row
    return None


def _stance(row: dict[str, Any] | None) -> tuple[Any, ...] | None:
    # What the derivation reads of the effective link: another analyst's equal judgement changes nothing.
    return None if row is None else judgements.stance(row["relation"], row["from_id"], row["to_id"])


def _same_judgement(current: dict[str, Any] | None, expected: dict[str, Any] | None) -> bool:
    if current is None or expected is None:
        return current is None and expected is None
    return all(current.get(k) == v for k, v in expected.items() if k in ("from_id", "to_id", "relation", "rationale"))


def _key(ext: dict[int, str], row: dict[str, Any]) -> str:
    return f"{ext[row['from_id']]}->{ext[row['to_id']]}"


def _ext_ids(rows: list[dict[str, Any]], a: int, b: int) -> dict[int, str]:
    found = {r["id"]: r["ext_id"] for r in rows}
    for ident in (a, b):
        if ident not in found:
            raise NotFound(f"claim {ident} no longer exists")
    return found
