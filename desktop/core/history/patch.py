"""As of T without reading the whole workspace: a copy of it with the changes after T undone in place.

What the window's "as of" mode shows (``scratch.replay_into_scratch`` makes the copy).

``history.replay`` rebuilds the workspace of T as a document from all of
today's rows, so its cost follows the workspace. Here (SQLite only) the cost
follows the changes after T:

1. the caller copies the workspace file (``snapshot_copy``: one consistent
   snapshot, taken while the window may keep writing); ``read_undone`` reads
   what the patch needs in the read transaction the copy was taken in (on the
   workspace, while the copy is made), ``write_undone`` writes the copy inside
   ONE write transaction;
2. the audit rows after T name the entities they changed; only those rows are
   read (``read_document(only=…)``) and rolled back by replay's own rules
   (``replay._State``, the same undo, the same "imported later counts with the
   values it was imported with");
3. each of them is written back into the copy with its own internal id, so the
   copy lists rows in the order an export taken at T did: a row that should not
   be there is deleted (what it cascades to is what replay leaves out: links of
   a claim left out, places and reports no longer named), a row that stood at T
   is updated or put back, with its places, aliases and claims asked about;
   entities first seen after T that no kept claim needs are deleted last. Rows
   the trail does not name stood at T as they are, except claims and links
   recorded after T by an older version (deleted);
4. only the claims those changes reach are derived again (``patch_derive``), as a write does:
   the clusters of the two claims of a pair whose judgements changed, when
   none of them (before or after) is ``repeats``; the neighbourhood
   (``corroboration.neighbourhood``) of the claims of a pair with a
   ``repeats`` judgement, of claims put back, left out or moved to another
   source, and of the claims of a source whose side or group changed; a
   changed verdict re-derives its claim alone. That is exact because a
   claim's status depends only on its cluster, its cluster's sources and the
   clusters linked to it by evidence: if none of those changed after T, its
   stored status is the status it had at T (today's rules, which every write
   keeps stored). When the changes are more than a small share of the
   workspace's claims, the graph is read whole in a few scans
   (``store.loaded_graph``) before step 3 writes — in a large workspace by a
   process of its own, from the copy, which then also derives
   (``derive_process``) — and brought up to date after it (only the pairs and
   claims written are read again); the evidence
   neighbours of a moved cluster are then derived only when a member's
   cluster summary (origin sources, sides, groups: all a neighbour reads of
   it) differs between now and T, statuses alone, and the derived columns are
   written back in one statement. Otherwise the graph is read a batch of claims
   at a time. Only the columns a row changed after T are written back (a row
   whose differences are all plain columns, as it is from its record), and
   rows deleted are checked for rows still naming them;
5. audit rows after T are deleted, so the copy's history ends at T.

The property tests hold the copy to replay's document: its export is byte for
byte the document, its statuses a full derivation of it. A trail cut short by
an older version, or a patch that would leave a reference dangling (checked
before the commit), raises ``NotPatchable``, and the caller falls back to
importing the replayed document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.history.patch_derive import _DERIVING, _DERIVING_SHARE, Prior, derive_reached, read_prior
from desktop.core.history.patch_rows import (
    _CHILD,
    _CHUNK,
    _TABLE,
    NotPatchable,
    _insert,
    _References,
    _row,
    _row_as_it_is,
    _select_in,
    _update_plain,
)
from desktop.core.history.replay import Key, Replay, _State, stamp
from desktop.core.history.trail import KEYS, SECTIONS, grouped, read_rows, split_link_key
from desktop.core.interchange.json_export import read_document
from desktop.core.progress import Progress, no_progress
from desktop.core.schema import WORKSPACE_TABLES

if TYPE_CHECKING:
    from desktop.core.history.derive_process import DeriveProcess

#: columns a put-back row starts with that the write does not set (derived, then derived again)
_INSERTED: dict[str, dict[str, Any]] = {
    "claims": {"status": "unverified", "suggested_credibility": 6, "verdict_disputed": False, "link_count": 0},
    "links": {"effective": True, "disputed": False},
}
_SECOND = dt.timedelta(seconds=1)
#: what deleting rows of a section does to the rows naming them (``schema``'s ON DELETE clauses; where
#: the schema restricts, replay's rule: a reference to a row left out is dropped)
_CASCADES: dict[str, tuple[str, ...]] = {
    "claims": (
        "DELETE FROM link WHERE from_id IN :ids OR to_id IN :ids",
        "DELETE FROM claim_place WHERE claim_id IN :ids",
        "DELETE FROM outreach_claim WHERE claim_id IN :ids",
        "DELETE FROM dismissed_suggestion WHERE claim_id IN :ids OR other_id IN :ids",
    ),
    "outreach": ("DELETE FROM outreach_claim WHERE outreach_id IN :ids",),
    "reports": ("UPDATE claim SET report_id = NULL WHERE report_id IN :ids",),
    "places": ("DELETE FROM claim_place WHERE place_id IN :ids", "DELETE FROM place_alias WHERE place_id IN :ids"),
    "sources": (
        "UPDATE report SET source_id = NULL WHERE source_id IN :ids",
        "UPDATE outreach SET by_source_id = NULL WHERE by_source_id IN :ids",
    ),
}


@dataclass
class Undone:
    """The changes after T read and undone (``read_undone``), ready to be written into a copy (``write_undone``)."""

    writer: _Writer
    before: dict[Key, tuple[Any, Any]]  # claim → (source, verdict) as it is today
    sides: dict[Key, tuple[Any, Any]]  # source → (side, group) as it is today
    prior: Prior
    changes: int


def patch_to(connection: Connection, when: dt.datetime, progress: Progress | None = None) -> Replay:
    """Turn the workspace on ``connection`` into the workspace as of ``when``.

    ``connection``: on a copy, with SQLite's foreign keys off (``_delete`` does their work, and the
    check at the end that every reference holds), inside a write transaction.
    """
    report = progress or no_progress
    return write_undone(connection, read_undone(connection, when, report), report)


def read_undone(
    reader: Connection, when: dt.datetime, progress: Progress | None = None, process: DeriveProcess | None = None
) -> Undone:
    """Steps 1–2 and the reads of steps 3–4: everything the patch reads before it writes.

    ``reader``: inside a transaction on the workspace as it is, or on the copy before anything is written
    (both show the same snapshot). The caller may then close it: ``write_undone`` reads only the copy.
    ``process``: a derivation process reading the graph from the copy (``derive_process``) instead of here.
    """
    report = progress or no_progress
    report("reading the audit trail", 0.05)
    rows = read_rows(reader, after=when)
    groups = list(grouped(rows))
    ids = _named_rows(reader, groups)
    report("reading what changed", 0.15)
    document = read_document(reader, only=ids)
    state = _State(reader, document, ids)
    present = {section: dict(order) for section, order in state.order.items()}
    current = {section: dict(records) for section, records in state.records.items()}  # undo replaces records
    before = {key: (r["source"], r["verdict"]) for key, r in state.records["claims"].items()}
    sides = {key: (r["side"], r["group"]) for key, r in state.records["sources"].items()}
    report(f"undoing {len(groups):,} changes", 0.25)
    for group in reversed(groups):
        state.undo(group)
    if state.problems:  # a trail cut short: the document path says what it could not undo, and how
        raise NotPatchable("the audit trail was cut short")
    report("reading the graph", 0.35)
    writer = _Writer(reader, state, when, present, current)
    prior = read_prior(reader, len(groups), process)
    return Undone(writer, before, sides, prior, len(groups))


def write_undone(connection: Connection, undone: Undone, progress: Progress | None = None) -> Replay:
    """Steps 3–5 on the copy (``connection``: see ``patch_to``)."""
    report = progress or no_progress
    report("writing the workspace as it stood", 0.4)
    writer = undone.writer
    writer.connection = connection
    writer.write()
    report(_DERIVING, _DERIVING_SHARE)

    def end_history() -> None:  # step 5, and the check that every reference holds: while the derivation runs
        audit = WORKSPACE_TABLES["audit"]
        connection.execute(sa.delete(audit).where(audit.c.at > writer.when))
        broken = _dangling(connection, writer.deleted)
        if broken:  # a row names one the patch took away: only a trail cut short can say so
            raise NotPatchable(f"{broken:,} rows would name rows that are not there")

    derive_reached(connection, writer, undone.before, undone.sides, undone.prior, report, meanwhile=end_history)
    report("ending the history at the moment", 0.95)
    report("the workspace as it stood", 1.0)
    return Replay(writer.when, undone.changes, writer.state.problems)


def _dangling(connection: Connection, deleted: dict[str, list[int]]) -> int:
    """How many rows name a row the patch deleted and did not put back (what SQLite's foreign key check
    would find, asked of those rows only: the copy's other rows named nothing the patch took away, and the
    rows it wrote named rows that were there — every deletion comes before them)."""
    if not deleted:
        return 0
    tables = [name for (name,) in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = 0
    for child in tables:
        keys = connection.exec_driver_sql(f'SELECT "table", "from" FROM pragma_foreign_key_list(\'{child}\')')
        for parent, column in keys.all():
            ids = deleted.get(parent)
            if ids:
                query = (  # an id deleted may have been put back (another row's, at T)
                    f'SELECT count(*) FROM "{child}" WHERE "{column}" IN :ids '  # noqa: S608 — names from SQLite
                    f'AND "{column}" NOT IN (SELECT id FROM "{parent}")'
                )
                found += sum(n for (n,) in _select_in(connection, query, ids))
    return found


def _named_rows(connection: Connection, groups: list[Any]) -> dict[str, list[int]]:
    """Internal ids, per table, of the rows the trail after T names (a link: every judgement on its pair)."""
    ext: dict[str, set[str]] = {}
    pairs: set[tuple[str, str]] = set()
    for group in groups:
        first = group.rows[0]
        table = _NAMED_TABLE.get(first.entity)
        if table is None:
            continue
        if table == "link":
            pairs.add(split_link_key(first.entity_id, lambda: _all_claim_ids(connection)))
        else:
            names = ext.get(table)
            if names is None:
                names = ext[table] = set()
            names.add(first.entity_id)
    ids: dict[str, list[int]] = {}
    for table, names in ext.items():
        ids[table] = [i for (i,) in _select_in(connection, f"SELECT id FROM {table} WHERE ext_id IN :ids", names)]
    ends = {e for pair in pairs for e in pair}
    claim_ids = dict(_select_in(connection, "SELECT ext_id, id FROM claim WHERE ext_id IN :ids", ends))
    wanted = {(claim_ids[a], claim_ids[b]) for a, b in pairs if a in claim_ids and b in claim_ids}
    froms = {a for a, _b in wanted}
    query = "SELECT id, from_id, to_id FROM link WHERE from_id IN :ids"
    ids["link"] = [i for i, a, b in _select_in(connection, query, froms) if (a, b) in wanted]
    return ids


#: audited entity → its table (the entities the trail names rows of)
_NAMED_TABLE = {entity: _TABLE[section] for entity, section in SECTIONS.items()}


def _all_claim_ids(connection: Connection) -> set[str]:
    return set(connection.execute(sa.text("SELECT ext_id FROM claim")).scalars())


class _Writer:
    """Writes the rolled-back records into the copy (see the module docstring, step 3)."""

    def __init__(
        self,
        connection: Connection,
        state: _State,
        when: dt.datetime,
        present: dict[str, dict[Key, int | None]],
        current: dict[str, dict[Key, dict[str, Any]]],
    ) -> None:
        self.connection = connection
        self.state = state
        self.when = when
        self.present = present
        #: section → key → the record as it is in the workspace today (before the undo), to write only what differs
        self.current = current
        self.cutoff = stamp(when)
        first_seen = state._first_seen_after(when)
        #: section → key → (record, internal id) for every named key that stands at T
        self.final: dict[str, dict[Key, tuple[dict[str, Any], int | None]]] = {}
        for section in ("claims", "links", "outreach", "reports", "places", "sources"):
            records = state.records[section]
            chosen = {key: (record, state.order[section].get(key)) for key, record in records.items()}
            chosen.update(first_seen[section] if section in ("claims", "links", "outreach") else {})
            if section in ("claims", "links"):
                chosen = {k: v for k, v in chosen.items() if self._recorded_by(v[0])}
            if section == "claims":
                chosen = {k: v for k, v in chosen.items() if v[0]["source"] is not None}
            if section in ("reports", "places", "sources") and first_seen[section]:
                wanted = self._wanted(section)  # first seen after T: only what a kept claim needs
                chosen.update({k: v for k, v in first_seen[section].items() if k in wanted})
            self.final[section] = chosen
        self.links_changed: set[tuple[int, int]] = set()  # (from, to) internal ids, before and after
        self.claims_gone: set[int] = set()
        self.deleted: dict[str, list[int]] = {}  # table → the ids deleted from it
        self.claims_new: set[int] = set()
        self.recorded_later = self._recorded_later()

    def _wanted(self, section: str) -> set[Any]:
        claims = [record for record, _ident in self.final["claims"].values()]
        if section == "reports":
            return {r["report"] for r in claims}
        if section == "places":
            return {p for r in claims for p in r["places"]}
        reports = [record for record, _ident in self.final["reports"].values()]
        return {r["source"] for r in claims} | {r["source"] for r in reports}

    def _recorded_by(self, record: dict[str, Any]) -> bool:
        return record.get("recorded") is None or record["recorded"] <= self.cutoff

    # --- deleting what did not stand at T ----------------------------------------------------------------

    def write(self) -> None:
        self._delete_recorded_later()
        for section in ("links", "outreach", "claims", "reports", "places", "sources"):
            self._delete_replaced(section)
        for section in ("sources", "reports", "places", "claims", "links", "outreach"):
            self._put(section)

    def _recorded_later(self) -> tuple[list[tuple[int, int, int]], list[int]]:
        """Links (id, from, to) and claims an older version recorded after T without a trail (normally none):
        read with the rest of what the patch reads before it writes.

        Rows the trail names are left to ``_put``: their record says what they were at T.
        """
        bound = self.when.astimezone(dt.UTC).replace(microsecond=0) + _SECOND
        link, claim = WORKSPACE_TABLES["link"], WORKSPACE_TABLES["claim"]
        named_links = {i for i in self.present["links"].values() if i is not None}
        named_claims = {i for i in self.present["claims"].values() if i is not None}
        links = [
            (i, a, b)
            for i, a, b in self.connection.execute(
                sa.select(link.c.id, link.c.from_id, link.c.to_id).where(link.c.recorded >= bound)
            )
            if i not in named_links
        ]
        claims = [
            i
            for i in self.connection.execute(sa.select(claim.c.id).where(claim.c.recorded >= bound)).scalars()
            if i not in named_claims
        ]
        return links, claims

    def _delete_recorded_later(self) -> None:
        links, claims = self.recorded_later
        self.links_changed.update((a, b) for _i, a, b in links)
        self._delete("links", [i for i, _a, _b in links])
        self._delete("claims", claims)

    def _delete_replaced(self, section: str) -> None:
        """Rows the trail names that did not stand at T, or stood there under another internal id."""
        doomed = []
        for key, ident in self.present[section].items():
            if ident is None:
                continue
            kept = self.final[section].get(key)
            if kept is None or kept[1] != ident:
                doomed.append(ident)
        if not doomed:
            return
        if section == "links":
            for a, b in _select_in(self.connection, "SELECT from_id, to_id FROM link WHERE id IN :ids", doomed):
                self.links_changed.add((a, b))
        self._delete(section, doomed)

    def _delete(self, section: str, doomed: list[int]) -> None:
        """Delete rows and do what the schema's ON DELETE clauses would (the patch runs with them off)."""
        self.deleted.setdefault(_TABLE[section], []).extend(doomed)
        if section == "claims":
            self.claims_gone |= set(doomed)
            self._note_links_of(doomed)
        for statement in _CASCADES.get(section, ()):
            query = sa.text(statement).bindparams(sa.bindparam("ids", expanding=True))
            for start in range(0, len(doomed), _CHUNK):
                self.connection.execute(query, {"ids": doomed[start : start + _CHUNK]})
        table = WORKSPACE_TABLES[_TABLE[section]]
        for start in range(0, len(doomed), _CHUNK):
            self.connection.execute(sa.delete(table).where(table.c.id.in_(doomed[start : start + _CHUNK])))

    def _note_links_of(self, claims: list[int]) -> None:
        for query in ("SELECT from_id, to_id FROM link WHERE from_id IN :ids",
                      "SELECT from_id, to_id FROM link WHERE to_id IN :ids"):  # fmt: skip
            self.links_changed.update(_select_in(self.connection, query, claims))

    # --- writing what stood at T -------------------------------------------------------------------------

    def _put(self, section: str) -> None:
        records = self.final[section]
        if not records:
            return
        table_name = _TABLE[section]
        table = WORKSPACE_TABLES[table_name]
        current = self.current[section]
        records, plain = self._plain_updates(section, records)
        refs = _References(self.connection)
        named = [record for record, _ident in records.values()] + [current[key] for key in records if key in current]
        if section == "claims":  # a claim updated in its plain columns still names a source that must be there
            named += [{"source": current[key]["source"]} for key in plain]
        refs.load(section, named)
        if section == "claims" and any(refs.id_of("source", current[key]["source"]) is None for key in plain):
            raise NotPatchable("a claim names a source not in the workspace")
        inserts = []
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}  # by the columns they set
        children: list[tuple[int, list[Any]]] = []
        for key, (record, ident) in records.items():
            row = _row(section, record, refs)
            if row is None:
                continue
            existing = self.present[section].get(key)
            if section == "links" and (row["from_id"], row["to_id"]) not in self.links_changed:
                self.links_changed.add((row["from_id"], row["to_id"]))
            kids = row.pop("_children", None)
            if existing is not None and existing == ident:
                # Only what differs from the row as it is: most changes are one field, and a column left
                # alone costs no index or trigger work.
                was = _row_as_it_is(section, current.get(key), refs)
                if was is not None and kids == was.pop("_children", None):
                    kids = None
                columns = tuple(k for k, v in row.items() if was is None or was.get(k) != v)
                if columns:
                    updates.setdefault(columns, []).append({**{k: row[k] for k in columns}, "_id": ident})
            else:
                if ident is None:
                    raise NotPatchable("a row put back without its place in the workspace")
                row["id"] = ident
                row.update(_INSERTED.get(section, {}))
                inserts.append(row)
                if section == "claims":
                    self.claims_new.add(ident)
            if kids is not None and ident is not None:
                children.append((ident, kids))
        if inserts:
            _insert(self.connection, table, sorted(inserts, key=lambda r: r["id"]))
        for rows in updates.values():  # one executemany per set of columns
            self.connection.execute(sa.update(table).where(table.c.id == sa.bindparam("_id")), rows)
        _update_plain(self.connection, table_name, plain.values())
        self._children(table_name, children)

    def _plain_updates(
        self, section: str, records: dict[Key, tuple[dict[str, Any], int | None]]
    ) -> tuple[dict[Key, tuple[dict[str, Any], int | None]], dict[Key, tuple[tuple[str, ...], list[Any]]]]:
        """The records to write as rows, and the updates of the others: rows that stood at T where they
        stand, whose differences from today are all in columns holding the record's value as it is
        (``_PLAIN``: most changes undone are one such field) — (columns, values and the id) by key.

        What ``_put`` would write for those, without making the two rows to compare (references looked
        up, times parsed): a third of the patch's rollback at a hundred thousand changes.
        """
        plain_keys = _PLAIN.get(section)
        if plain_keys is None:
            return records, {}
        rest: dict[Key, tuple[dict[str, Any], int | None]] = {}
        plain: dict[Key, tuple[tuple[str, ...], list[Any]]] = {}
        touched, current, present = self.state.touched[section], self.current[section], self.present[section]
        position = _POSITION[section]
        for key, (record, ident) in records.items():
            was = current.get(key)
            if was is None or ident is None or present.get(key) != ident:
                rest[key] = (record, ident)
                continue
            # Only the keys the undo set can differ from today's record (None: it made the record anew),
            # in the record's order; a key no record has ("": a field unknown) reads None on both sides.
            names = touched.get(key, ())
            if names is None:
                candidates: Iterable[str] = record
            else:
                candidates = names if len(names) < 2 else sorted(names, key=lambda name: position.get(name, -1))
            differ = tuple(name for name in candidates if was.get(name) != record.get(name))
            if not plain_keys.issuperset(differ):
                rest[key] = (record, ident)
            elif differ:
                plain[key] = (differ, [record[name] for name in differ] + [ident])
        return rest, plain

    def _children(self, table: str, children: list[tuple[int, list[Any]]]) -> None:
        if not children or table not in _CHILD:
            return
        child_table, parent, make = _CHILD[table]
        child = WORKSPACE_TABLES[child_table]
        owners = [owner for owner, _kids in children]
        for start in range(0, len(owners), _CHUNK):
            self.connection.execute(sa.delete(child).where(child.c[parent].in_(owners[start : start + _CHUNK])))
        rows = [make(owner, position, kid) for owner, kids in children for position, kid in enumerate(kids)]
        if rows:
            self.connection.execute(sa.insert(child), rows)


#: interchange keys of a section held as they are in the column of the same name (``_row``): no reference,
#: no conversion, no child rows, no other column computed from them
_PLAIN: dict[str, frozenset[str]] = {
    "claims": frozenset({"text", "kind", "credibility", "likelihood", "verdict", "notes"}),
    "sources": frozenset({"name", "kind", "reliability", "url", "notes"}),
    "reports": frozenset({"title", "url", "language", "text", "sha256"}),
    "outreach": frozenset({"party", "status", "response"}),
}


#: section → interchange key → its place in the record (``_plain_updates`` names columns in the record's order)
_POSITION: dict[str, dict[str, int]] = {
    section: {key: at for at, key in enumerate(keys)} for section, keys in KEYS.items()
}


__all__ = ["NotPatchable", "Undone", "patch_to", "read_undone", "write_undone"]
