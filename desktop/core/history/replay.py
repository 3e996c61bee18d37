"""As of T: the workspace as it stood at a moment, rebuilt from today's state and the audit trail.

docs/status-rules.md, rule 9, states what "as it stood" means.

Replay starts from the current workspace, read as its canonical interchange
document (``json_export.read_document``, in one read transaction together with
the trail), and walks the changes audited after T newest first, undoing each:

- an **update** puts the field's old value back;
- a **delete** puts the entity back from the full snapshot its audit rows keep
  (with its internal ``id``, so it returns to its place in the document's
  order); what a deletion cascades to — the links of a deleted claim, the
  claims a deleted place or report is taken from, the requests for comment
  about a deleted claim — is audited as changes of its own and undone as such;
- a **create** or **import** takes the entity out, but keeps it aside with the
  values it was created with: a claim or link whose ``recorded`` time is at or
  before T, and that had no history before T, counts with those values (it was
  imported later, docs/status-rules.md rule 9), and so do the sources, reports and places such claims
  need; anything else created after T is left out. An entity whose last change
  before T was its deletion stays out even when an undo brought it back later.

Then claims and links recorded after T are left out, and references to
anything left out are dropped. Rows are ordered by internal id, as an export
orders them, so the document of T replayed later is byte for byte the export
that was taken at T (the property tests check exactly this).

A trail cut short by an older Crosscheck (deletions recorded without their
snapshot, references by internal id to rows since gone, changes to entities it
never recorded) is replayed as far as it goes; ``AsOf.problems`` says what
could not be undone exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from desktop.core.gc_pause import collector_paused
from desktop.core.history.trail import (
    FIELDS,
    REFERENCE_SECTIONS,
    REQUIRED,
    SECTIONS,
    Group,
    Row,
    blank,
    grouped,
    ignored,
    read_rows,
    split_link_key,
)
from desktop.core.interchange.format import SECTIONS as ORDERED_SECTIONS
from desktop.core.interchange.format import TIMESTAMP_FORMAT
from desktop.core.interchange.json_export import read_document
from desktop.core.progress import Progress, no_progress

Key = Any  # an interchange id, or (from, to, analyst) for a link
_TABLES = {"sources": "source", "reports": "report", "places": "place", "claims": "claim", "outreach": "outreach"}
_SHOWN_PROBLEMS = 3
# Rough shares of a replay's time, for a progress bar that moves evenly (bench/bench_history.py at 100k claims).
_READ_SHARE = 0.45
_FINISH_SHARE = 0.3
_PROGRESS_EVERY = 2000  # changes undone between two progress reports (each may cancel)


@dataclass
class Replay:
    """What a replay to ``when`` undid, and what the trail could not say."""

    when: dt.datetime
    undone: int = 0  #: changes undone (one write about one entity is one change)
    problems: list[str] = field(default_factory=list)  #: what the trail could not say

    def warning(self) -> str | None:
        """One line about a trail cut short, or None when everything was replayed exactly."""
        if not self.problems:
            return None
        shown = "; ".join(self.problems[:_SHOWN_PROBLEMS])
        more = f"; … and {len(self.problems) - _SHOWN_PROBLEMS:,} more" if len(self.problems) > _SHOWN_PROBLEMS else ""
        count = f"{len(self.problems):,} change{'s' if len(self.problems) != 1 else ''}"
        return (
            f"the audit trail was cut short by an older version of Crosscheck: {count} after "
            f"{stamp(self.when)} could not be undone exactly ({shown}{more}); the rest was replayed"
        )


@dataclass
class AsOf(Replay):
    """The workspace as it stood at ``when``, as an interchange document."""

    document: dict[str, Any] = field(default_factory=dict)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


def as_of(engine: Engine, when: dt.datetime, progress: Progress | None = None) -> AsOf:
    """The workspace as it stood at ``when`` (aware), read in one transaction.

    ``progress`` hears of each step and the share done; if it raises (``Cancelled``), replay stops.
    """
    with collector_paused(), engine.connect() as connection, connection.begin():
        return replay(connection, when, progress)


def replay(connection: Connection, when: dt.datetime, progress: Progress | None = None) -> AsOf:
    """See the module docstring; ``connection`` must be inside a transaction (one consistent snapshot)."""
    report = progress or no_progress
    report("reading the workspace", 0.0)
    document = read_document(connection)
    report("reading the audit trail", _READ_SHARE)
    rows = read_rows(connection, after=when)
    state = _State(connection, document)
    groups = list(grouped(rows))
    for done, group in enumerate(reversed(groups)):
        if done % _PROGRESS_EVERY == 0:
            share = _READ_SHARE + (1 - _READ_SHARE - _FINISH_SHARE) * done / len(groups)
            report(f"undoing {len(groups):,} changes", share)
        state.undo(group)
    report("leaving out what was recorded later", 1 - _FINISH_SHARE)
    result = state.finish(when)
    return AsOf(when, len(groups), state.problems, document=result)


class _State:
    """The document being rolled back: records per section by key, their internal ids, and what left."""

    def __init__(
        self, connection: Connection, document: dict[str, Any], ids: dict[str, list[int]] | None = None
    ) -> None:
        """``ids``: the internal ids of the document's rows per table, when it holds some rows only."""
        self.connection = connection
        self.partial = ids is not None
        self.head = {"format": document["format"], "version": document["version"]}
        self.records: dict[str, dict[Key, dict[str, Any]]] = {}
        self.order: dict[str, dict[Key, int | None]] = {}
        for section in ORDERED_SECTIONS:
            table = "link" if section == "links" else _TABLES[section]
            if ids is None:
                ids_of = connection.execute(sa.text(f"SELECT id FROM {table} ORDER BY id")).scalars().all()
            else:
                ids_of = sorted(ids.get(table, ()))
            items = document[section]
            keys = [_key(section, item) for item in items]
            self.records[section] = dict(zip(keys, items, strict=True))
            self.order[section] = dict(zip(keys, ids_of, strict=True))
        #: taken out by a create/import after T: (record as created, internal id, the group)
        self.late: dict[str, dict[Key, tuple[dict[str, Any], int | None]]] = {s: {} for s in ORDERED_SECTIONS}
        self.problems: list[str] = []
        self._legacy: dict[str, dict[int, str]] = {}
        self._by_pair: dict[tuple[str, str], list[Key]] | None = None
        self._restored: set[str] = set()  # sections where a deletion was undone (its record went to the end)
        #: section → key → the document keys an undone update may have set in its record (None: an undone
        #: deletion replaced it whole); a record not named was not changed by the undo
        self.touched: dict[str, dict[Key, set[str] | None]] = {s: {} for s in ORDERED_SECTIONS}

    # --- undoing one change ---------------------------------------------------------------------------

    def undo(self, group: Group) -> None:
        section = SECTIONS.get(group.entity)
        if section is None:  # the import's own "workspace" row: nothing to undo by itself
            return
        action = group.action
        if action == "update":
            self._undo_update(section, group)
        elif action == "delete":
            self._undo_delete(section, group)
        elif action in ("create", "import"):
            self._undo_create(section, group)
        else:
            self._problem(group, f"unknown action {action!r}")

    def _undo_update(self, section: str, group: Group) -> None:
        record = self.records[section].get(group.entity_id)
        if record is None:
            self._problem(group, "changed while not on record")
            return
        record = self.records[section][group.entity_id] = _copy(record)
        self._set_all(section, group, record, [(row.field, row.old) for row in group.rows])
        touched = self.touched[section]
        keys = touched.get(group.entity_id, set())
        if keys is not None:
            entity = group.entity
            keys.update(_TOP_KEYS.get((entity, row.field), "") for row in group.rows)
            touched[group.entity_id] = keys

    def _undo_delete(self, section: str, group: Group) -> None:
        old = group.values("old")
        record = blank(section, None if section == "links" else group.entity_id)
        if section == "links":
            record["from"], record["to"] = split_link_key(group.entity_id, self._claim_ids)
        self._set_all(section, group, record, old.items())
        missing = [key for key in REQUIRED[section] if record.get(key) in (None, "")]
        if missing:
            self._problem(group, f"deleted without a record of its {', '.join(missing)}")
            return
        ident = old.get("id")
        if not isinstance(ident, int):
            self._problem(group, "deleted without a record of its place in the workspace")
        key = _key(section, record)
        self.records[section][key] = record
        self.touched[section][key] = None
        self.order[section][key] = ident if isinstance(ident, int) else None
        self._restored.add(section)
        if section == "links" and self._by_pair is not None:
            self._by_pair.setdefault(key[:2], []).append(key)

    def _undo_create(self, section: str, group: Group) -> None:
        key: Key = group.entity_id
        if section == "links":
            key = self._link_key(group)
            if key is None:
                self._problem(group, "created but not on record")
                return
        record = self.records[section].pop(key, None)
        if record is None:
            if key not in self.late[section]:
                self._problem(group, "created but not on record")
            return
        self.late[section][key] = (record, self.order[section].pop(key, None))

    def _link_key(self, group: Group) -> Key | None:
        ends = split_link_key(group.entity_id, self._claim_ids)
        analyst = group.values("new").get("analyst")
        if isinstance(analyst, str) and (*ends, analyst) in self.records["links"]:
            return (*ends, analyst)
        # An import row names the pair only: any judgement on it that is on record came with that import.
        for key in self._pairs().get(ends, ()):
            if key in self.records["links"]:
                return key
        return None

    def _pairs(self) -> dict[tuple[str, str], list[Key]]:
        """Link keys by (from, to), built once: import rows find their link without a scan."""
        if self._by_pair is None:
            self._by_pair = {}
            for key in self.records["links"]:
                self._by_pair.setdefault(key[:2], []).append(key)
        return self._by_pair

    def _claim_ids(self) -> set[str]:
        known = set(self.records["claims"]) | set(self.late["claims"])
        if self.partial:  # the claims nobody changed are not among the records
            known |= set(self.connection.execute(sa.text("SELECT ext_id FROM claim")).scalars())
        return known

    # --- one field --------------------------------------------------------------------------------------

    def _set_all(self, section: str, group: Group, record: dict[str, Any], values: Iterable[tuple[str, Any]]) -> None:
        entity = group.entity
        for name, value in values:
            key = _PLAIN_FIELDS.get((entity, name))
            if key is not None:  # most fields: the value as it is (a list copied), without ``_set``'s checks
                record[key] = list(value) if isinstance(value, list) else value
            else:
                self._set(section, group, record, name, value)

    def _set(self, section: str, group: Group, record: dict[str, Any], name: str, value: Any) -> None:
        if ignored(group.entity, name):
            return
        key = FIELDS[group.entity].get(name)
        if key is None:
            self._problem(group, f"its field {name!r} is unknown to this version")
            return
        if key in ("side", "group") and value == "":
            value = None  # the document's spelling of unaligned / no group
        if key in REFERENCE_SECTIONS:
            value = self._reference(group, REFERENCE_SECTIONS[key], value)
        if key.startswith("event."):
            event = dict(record["event"] or {"start": None, "end": None, "precision": None})
            event[key.partition(".")[2]] = value
            record["event"] = None if all(v is None for v in event.values()) else event
            return
        if key.startswith("quote."):  # a quote is written whole or not at all (start and end together)
            quote = dict(record.get("quote") or {"start": None, "end": None})
            quote[key.partition(".")[2]] = value
            record["quote"] = None if all(v is None for v in quote.values()) else quote
            return
        record[key] = list(value) if isinstance(value, list) else value

    def _reference(self, group: Group, section: str, value: Any) -> Any:
        """References are interchange ids; an older Crosscheck wrote internal ids (resolved while the row lives)."""
        if isinstance(value, list):
            resolved = [self._reference(group, section, item) for item in value]
            return [item for item in resolved if item is not None]
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            found = self._legacy_ids(section).get(value)
            if found is None:
                self._problem(group, f"it names a {section[:-1]} by an internal id ({value}) no longer in use")
            return found
        return value

    def _legacy_ids(self, section: str) -> dict[int, str]:
        if section not in self._legacy:
            rows = self.connection.execute(sa.text(f"SELECT id, ext_id FROM {_TABLES[section]}"))
            self._legacy[section] = {r[0]: r[1] for r in rows}
        return self._legacy[section]

    def _problem(self, group: Group, message: str) -> None:
        self.problems.append(f"{group.entity} {group.entity_id} {_verb(group.action)} {stamp(group.at)}: {message}")

    # --- what stood at T --------------------------------------------------------------------------------

    def finish(self, when: dt.datetime) -> dict[str, Any]:
        cutoff = stamp(when)
        late = self._first_seen_after(when)

        def recorded_by(item: dict[str, Any]) -> bool:
            return item.get("recorded") is None or item["recorded"] <= cutoff  # same format: text order is time order

        claims = {k: r for k, r in self.records["claims"].items() if recorded_by(r)}
        claims.update({k: r for k, (r, _o) in late["claims"].items() if recorded_by(r)})
        for key, record in list(claims.items()):
            if record["source"] is None:
                del claims[key]
        reports = self._kept("reports", late, {r["report"] for r in claims.values()})
        sources = self._kept(
            "sources", late, {r["source"] for r in claims.values()} | {r["source"] for r in reports.values()}
        )
        places = self._kept("places", late, {p for r in claims.values() for p in r["places"]})
        links = {k: r for k, r in self.records["links"].items() if recorded_by(r)}
        links.update({k: r for k, (r, _o) in late["links"].items() if recorded_by(r)})
        links = {k: r for k, r in links.items() if r["from"] in claims and r["to"] in claims}
        outreach = dict(self.records["outreach"])
        kept = {"sources": sources, "reports": reports, "places": places, "claims": claims, "links": links}
        kept["outreach"] = outreach
        for section, records in kept.items():
            for key, record in records.items():
                records[key] = self._pruned(section, record, kept)
        document = dict(self.head)
        for section in ORDERED_SECTIONS:
            document[section] = self._ordered(section, kept[section], late[section])
        return document

    def _first_seen_after(self, when: dt.datetime) -> dict[str, dict[Key, tuple[dict[str, Any], int | None]]]:
        """The entities taken out whose whole history lies after T (the others were deleted before T)."""
        result: dict[str, dict[Key, tuple[dict[str, Any], int | None]]] = {s: {} for s in ORDERED_SECTIONS}
        wanted: list[tuple[str, str]] = []
        for section, items in self.late.items():
            entity = _TABLES.get(section, "link")
            for key in items:
                if key in self.records[section]:
                    continue  # it stood at T, and was re-created after a later deletion
                wanted.append((entity, _audit_id(section, key)))
        earlier = _last_groups(read_rows(self.connection, until=when, entities=wanted)) if wanted else {}
        for section, items in self.late.items():
            entity = _TABLES.get(section, "link")
            for key, value in items.items():
                if key in self.records[section]:
                    continue
                last = earlier.get((entity, _audit_id(section, key), key[2] if section == "links" else None))
                if last is None and section == "links":
                    last = earlier.get((entity, _audit_id(section, key), None))
                if last is not None and last.action == "delete":
                    continue
                result[section][key] = value
        return result

    def _kept(self, section: str, late: dict[str, dict[Key, Any]], wanted: set[Any]) -> dict[Key, dict[str, Any]]:
        records = dict(self.records[section])
        records.update({k: r for k, (r, _o) in late[section].items() if k in wanted})
        return records

    @staticmethod
    def _pruned(section: str, record: dict[str, Any], kept: dict[str, dict[Key, Any]]) -> dict[str, Any]:
        """References only to what is kept (an entity left out cannot be named)."""
        changes: dict[str, Any] = {}
        for key, target in REFERENCE_SECTIONS.items():
            if key not in record:
                continue
            value = record[key]
            if isinstance(value, list):
                inside = [item for item in value if item in kept[target]]
                if inside != value:
                    changes[key] = inside
            elif value is not None and value not in kept[target]:
                changes[key] = None
        return {**record, **changes} if changes else record

    def _ordered(
        self, section: str, records: dict[Key, dict[str, Any]], late: dict[Key, tuple[dict[str, Any], int | None]]
    ) -> list[dict[str, Any]]:
        if section not in self._restored and not late.keys() & records.keys():
            return list(records.values())  # still in the document's order, by internal id: nothing to sort

        def position(key: Key) -> tuple[int, int]:
            ident = self.order[section].get(key)
            if ident is None and key in late:
                ident = late[key][1]
            return (0, ident) if ident is not None else (1, 0)

        return [records[key] for key in sorted(records, key=position)]


#: (entity, audited field) → the document key ``_State._set`` may set for it (``event`` for ``event.start``)
_TOP_KEYS: dict[tuple[str, str], str] = {
    (entity, name): key.partition(".")[0] for entity, fields in FIELDS.items() for name, key in fields.items()
}
#: (entity, audited field) → document key, for the fields ``_State._set`` stores as they are: not ignored,
#: no reference, not inside an event or a quote, not a side or group (whose "" means null)
_PLAIN_FIELDS: dict[tuple[str, str], str] = {
    (entity, name): key
    for entity, fields in FIELDS.items()
    for name, key in fields.items()
    if not ignored(entity, name)
    and key not in REFERENCE_SECTIONS
    and key not in ("side", "group")
    and not key.startswith(("event.", "quote."))
}


def _key(section: str, record: dict[str, Any]) -> Key:
    if section == "links":
        return (record["from"], record["to"], record["analyst"])
    return record["id"]


def _audit_id(section: str, key: Key) -> str:
    return f"{key[0]}->{key[1]}" if section == "links" else str(key)


def _last_groups(rows: Iterable[Row]) -> dict[tuple[str, str, str | None], Group]:
    """The latest change of each entity (links: of each analyst's judgement, or of the pair when unknown)."""
    last: dict[tuple[str, str, str | None], Group] = {}
    for group in grouped(rows):
        analyst = None
        if group.entity == "link":
            values = group.values("old" if group.action == "delete" else "new")
            analyst = values.get("analyst") if isinstance(values.get("analyst"), str) else None
        last[(group.entity, group.entity_id, analyst)] = group
    return last


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    return dict(record)


def _verb(action: str) -> str:
    return {"update": "changed", "delete": "deleted", "create": "created", "import": "imported"}.get(action, action)


__all__ = ["AsOf", "Key", "Replay", "as_of", "replay", "stamp"]
