"""Applying a changes document to a workspace: ``crosscheck apply`` (DESIGN §3 "Changes").

``apply_changes(store, data)`` decodes the document, then runs its changes in
order inside ONE write transaction (``Store.together``), each
audited under the store's analyst — the one who applies it:

- ``link`` records (or replaces) the analyst's own judgement on a pair and
  ``unlink`` removes it; other analysts' judgements stay;
- ``update`` sets fields of a source, report, place, claim or request for comment,
  named and written as in the interchange format and checked by its parsers;
  ``expect`` names the values the author last saw, and any that differs from the
  workspace is a **conflict** naming the field, its current value and who last
  changed it (from the audit trail);
- ``delete`` deletes one entity (as the window would: a source still cited is refused).

Every change is checked even after one fails, so the refusal lists every problem
with its JSON path (``$.changes[3].set.verdict``); a change that names something
deleted earlier in the batch says so. Any problem → ``ChangeErrors`` and the whole
transaction is rolled back: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import text
from sqlalchemy.engine import Connection

from desktop.core import vocab
from desktop.core.errors import UserError
from desktop.core.interchange import specs
from desktop.core.interchange.fields import json_type
from desktop.core.interchange.json_import import ImportErrors, decode
from desktop.core.interchange.json_validate import DocumentErrors, DocumentWalker, EntityTable, member
from desktop.core.store import Store, status
from desktop.core.store.bulk_keys import WorkspaceKeys
from desktop.core.store.conflicts import last_change
from desktop.core.store.tx import jsonable

FORMAT: Final = "crosscheck-changes"
VERSION: Final = 1
_OPS: Final = ("link", "unlink", "update", "delete")
_KEYS: Final = {
    "link": ("op", "from", "to", "relation", "rationale"),
    "unlink": ("op", "from", "to"),
    "update": ("op", "entity", "id", "set", "expect"),
    "delete": ("op", "entity", "id"),
}
# Interchange entity → (table, section, the store's name for it, its specs).
_ENTITIES: Final[dict[str, tuple[str, str, str, dict[str, specs.Spec]]]] = {
    "source": ("source", "sources", "source", specs.SOURCE),
    "report": ("report", "reports", "report", specs.REPORT),
    "place": ("place", "places", "place", specs.PLACE),
    "claim": ("claim", "claims", "claim", specs.claim_specs(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))),
    "outreach": ("outreach", "outreach", "outreach", specs.OUTREACH),
}
# Reference keys: interchange column → (store keyword, referenced table, a list?).
_REFS: Final = {
    "source": ("source_id", "source", False),
    "report": ("report_id", "report", False),
    "places": ("places", "place", True),
    "about": ("about", "claim", True),
    "by": ("by_source_id", "source", False),
}
_FIXED: Final = {
    "ext_id": "an id cannot be changed",
    "recorded": "when a claim was recorded cannot be changed",
    "sha256": "a report's sha256 follows its text (set the text instead)",
}


class ChangeErrors(DocumentErrors):
    """The changes document was refused; ``errors`` lists every problem as (JSON path, message)."""

    refused = "nothing changed"
    document = "the changes document"


@dataclass
class ApplyReport:
    """How many changes of each kind were applied."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_OPS, 0))

    def summary(self) -> str:
        c = self.counts
        total = sum(c.values())
        return (
            f"applied {total:,} change{'s' * (total != 1)}: {c['link']:,} link, {c['unlink']:,} unlink, "
            f"{c['update']:,} update, {c['delete']:,} delete"
        )


def apply_changes(store: Store, data: bytes | str | dict[str, Any]) -> ApplyReport:
    """Apply a changes document through ``store`` (its analyst is the author): all or nothing."""
    try:
        doc = data if isinstance(data, dict) else decode(data)
    except ImportErrors as bad:
        raise ChangeErrors(bad.errors) from None
    walker = DocumentWalker(WorkspaceKeys())
    changes = _envelope(walker, doc)
    if walker.problems:
        raise ChangeErrors(walker.problems)
    report = ApplyReport()
    with store.together() as tx:
        applier = _Applier(store, tx.connection, walker)
        for index, change in enumerate(changes):
            applier.apply(index, change, report)
        if walker.problems:
            raise ChangeErrors(walker.problems)  # leaves the batch: everything is rolled back
    return report


def _envelope(walker: DocumentWalker, doc: Any) -> list[Any]:
    if not walker.object_ok(doc, "$", "a crosscheck-changes document"):
        return []
    if doc.get("format") != FORMAT:
        found = "it is missing" if doc.get("format") is None else f"got {json.dumps(doc['format'], ensure_ascii=False)}"
        walker.problem("$.format", f'must be "{FORMAT}" ({found}): this is not a Crosscheck changes document')
        return []
    version = doc.get("version")
    if isinstance(version, bool) or version != VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        reason = "written by a newer Crosscheck; update to apply it" if newer else f"got {json.dumps(version)}"
        walker.problem("$.version", f"must be {VERSION} ({reason})")
    for key in doc:
        if key not in ("format", "version", "changes"):
            walker.problem(member("$", key), "is not a key of a changes document (expected: format, version, changes)")
    changes = doc.get("changes")
    if not isinstance(changes, list):
        walker.problem("$.changes", f"must be an array of changes, not {json_type(changes)}")
        return []
    return changes


class _Applier:
    def __init__(self, store: Store, connection: Connection, walker: DocumentWalker) -> None:
        self.store, self.connection, self.walker = store, connection, walker
        self.deleted: dict[tuple[str, str], int] = {}  # (table, ext id) → index of the change that deleted it
        self.index = 0
        self.tables = {name: EntityTable(entry[3], f"a {name}") for name, entry in _ENTITIES.items()}

    def problem(self, path: str, message: str) -> None:
        self.walker.problem(path, message)

    def apply(self, index: int, change: Any, report: ApplyReport) -> None:
        path = f"$.changes[{index}]"
        self.index = index
        if not self.walker.object_ok(change, path, "a change"):
            return
        op = change.get("op")
        if op not in _OPS:
            self.problem(f"{path}.op", f"must be one of {', '.join(_OPS)} (got {json.dumps(op, ensure_ascii=False)})")
            return
        before = len(self.walker.problems)
        for key in change:
            if key not in _KEYS[op]:
                self.problem(member(path, key), f"is not a key of a {op} change (expected: {', '.join(_KEYS[op])})")
        write = getattr(self, f"_{op}")(path, change)
        if write is None or len(self.walker.problems) > before:
            return
        try:
            write()
        except UserError as refused:
            self.problem(path, str(refused))
            return
        report.counts[op] += 1

    # --- the four operations: each checks its change and returns the write to run (or None) ----------

    def _link(self, path: str, change: dict[str, Any]) -> Callable[[], object] | None:
        a, b = self._claim(path, change, "from"), self._claim(path, change, "to")
        relation = change.get("relation")
        if relation not in vocab.RELATIONS:
            self.problem(f"{path}.relation", f"must be one of {', '.join(vocab.RELATIONS)}")
        rationale = change.get("rationale", "")
        if rationale is None:
            rationale = ""
        if not isinstance(rationale, str):
            self.problem(f"{path}.rationale", f"must be a string, not {json_type(rationale)}")
        if a is None or b is None or relation not in vocab.RELATIONS or not isinstance(rationale, str):
            return None
        return lambda: self.store.set_link(a, b, relation, rationale)

    def _unlink(self, path: str, change: dict[str, Any]) -> Callable[[], object] | None:
        a, b = self._claim(path, change, "from"), self._claim(path, change, "to")
        if a is None or b is None:
            return None
        if self.store.link_between(a, b) is None:
            who, a_, b_ = (
                json.dumps(v, ensure_ascii=False) for v in (self.store.analyst, change["from"], change["to"])
            )
            self.problem(path, f"{who} has no judgement on {a_} and {b_}")
            return None
        return lambda: self.store.remove_link(a, b)

    def _update(self, path: str, change: dict[str, Any]) -> Callable[[], object] | None:
        found = self._entity(path, change)
        if found is None:
            return None
        entity, ident = found
        table = self.tables[entity]
        values: dict[str, Any] = {}
        given = change.get("set")
        if not isinstance(given, dict) or not given:
            self.problem(f"{path}.set", "must be an object naming at least one field to set")
            return None
        if self.walker.object_ok(given, f"{path}.set", "the fields to set"):
            self.walker.fields(given, table, f"{path}.set", values, partial=True)
        for column, message in _FIXED.items():
            if column in values:
                self.problem(f"{path}.set.{'id' if column == 'ext_id' else column}", message)
        expect = change.get("expect")
        if expect is not None and self.walker.object_ok(expect, f"{path}.expect", "the values last seen"):
            self._check_expect(path, entity, ident, change["id"], expect)
        kwargs = self._resolve(f"{path}.set", values)
        if kwargs is None:
            return None
        update = getattr(self.store, f"update_{_ENTITIES[entity][2]}")
        return lambda: update(ident, **kwargs)

    def _delete(self, path: str, change: dict[str, Any]) -> Callable[[], object] | None:
        found = self._entity(path, change)
        if found is None:
            return None
        entity, ident = found
        table, index = _ENTITIES[entity][0], self.index
        remove = getattr(self.store, f"delete_{_ENTITIES[entity][2]}")

        def delete() -> None:
            remove(ident)
            self.deleted[(table, change["id"])] = index

        return delete

    # --- helpers ------------------------------------------------------------------------------

    def _lookup(self, path: str, table: str, ext: Any, what: str) -> int | None:
        if not isinstance(ext, str):
            self.problem(path, f"must be the id of a {what} (a string), not {json_type(ext)}")
            return None
        if (table, ext) in self.deleted:
            self.problem(
                path,
                f"{what} {json.dumps(ext, ensure_ascii=False)} is deleted by $.changes[{self.deleted[(table, ext)]}]",
            )
            return None
        row = self.connection.execute(text(f"SELECT id FROM {table} WHERE ext_id = :e"), {"e": ext}).first()
        if row is None:
            self.problem(path, f"unknown {what} {json.dumps(ext, ensure_ascii=False)}")
            return None
        return int(row[0])

    def _claim(self, path: str, change: dict[str, Any], key: str) -> int | None:
        if key not in change:
            self.problem(f"{path}.{key}", "is required")
            return None
        return self._lookup(f"{path}.{key}", "claim", change[key], "claim")

    def _entity(self, path: str, change: dict[str, Any]) -> tuple[str, int] | None:
        entity = change.get("entity")
        if entity not in _ENTITIES:
            self.problem(f"{path}.entity", f"must be one of {', '.join(_ENTITIES)}")
            return None
        if "id" not in change:
            self.problem(f"{path}.id", "is required")
            return None
        ident = self._lookup(f"{path}.id", _ENTITIES[entity][0], change["id"], entity)
        return None if ident is None else (entity, ident)

    def _resolve(self, path: str, values: dict[str, Any]) -> dict[str, Any] | None:
        """Interchange columns → the store's keywords, references resolved to internal ids."""
        kwargs: dict[str, Any] = {}
        ok = True
        for column, value in values.items():
            if column not in _REFS:
                kwargs[column] = list(value) if isinstance(value, tuple) else value
                continue
            keyword, table, many = _REFS[column]
            what = "request for comment" if table == "outreach" else table
            if many:
                ids = [self._lookup(f"{path}.{column}[{i}]", table, ext, what) for i, ext in enumerate(value)]
                ok = ok and None not in ids
                kwargs[keyword] = ids
            elif value is None:
                kwargs[keyword] = None
            else:
                ident = self._lookup(f"{path}.{column}", table, value, what)
                ok = ok and ident is not None
                kwargs[keyword] = ident
        return kwargs if ok else None

    def _check_expect(self, path: str, entity: str, ident: int, ext: str, expect: dict[str, Any]) -> None:
        table = self.tables[entity]
        current = _current(self.connection, _ENTITIES[entity][0], ident)
        for key, value in expect.items():
            wanted: dict[str, Any] = {}
            before = len(self.walker.problems)
            self.walker.fields({key: value}, table, f"{path}.expect", wanted, partial=True)
            if len(self.walker.problems) > before:
                continue
            for column, expected in wanted.items():
                stored = _comparable(current.get(column), expected)
                if column in _REFS:
                    stored = _ext_of(self.connection, _REFS[column][1], stored)
                if isinstance(expected, tuple):
                    expected = list(expected)
                if jsonable(stored) != jsonable(expected):
                    last = last_change(self.connection, entity, ext, _field_name(column))
                    who = f", last changed by {last}" if last else ""
                    self.problem(
                        f"{path}.expect.{key}",
                        f"conflict: {entity} {ext} {key} is now {_shown(stored)}{who}; you expected {_shown(expected)}",
                    )
                    break


def _comparable(stored: Any, expected: Any) -> Any:
    """A raw stored value in the type the author's value parsed to (SQLite hands back text and 0/1)."""
    if isinstance(expected, bool) and stored in (0, 1):
        return bool(stored)
    if isinstance(expected, dt.datetime):
        return status._aware(stored)
    if isinstance(expected, dt.date) and isinstance(stored, str):
        return dt.date.fromisoformat(stored[:10])
    return stored


def _shown(value: Any) -> str:
    return json.dumps(jsonable(value), ensure_ascii=False)


def _field_name(column: str) -> str:
    """The audit trail's field name for an interchange column (the store audits its own keywords)."""
    return {"source": "source_id", "report": "report_id", "by": "by_source_id"}.get(column, column)


def _current(connection: Connection, table: str, ident: int) -> dict[str, Any]:
    """The stored columns of one entity, with its list-valued fields, in the interchange's column names."""
    row = dict(connection.execute(text(f"SELECT * FROM {table} WHERE id = :i"), {"i": ident}).one()._mapping)
    row["source"] = row.get("source_id")
    row["report"] = row.get("report_id")
    row["by"] = row.get("by_source_id")
    lists = {
        "claim": ("places", "SELECT place_id FROM claim_place WHERE claim_id = :i ORDER BY position"),
        "place": ("aliases", "SELECT alias FROM place_alias WHERE place_id = :i ORDER BY position"),
        "outreach": ("about", "SELECT claim_id FROM outreach_claim WHERE outreach_id = :i ORDER BY position"),
    }
    if table in lists:
        key, query = lists[table]
        row[key] = [r[0] for r in connection.execute(text(query), {"i": ident})]
    for name in ("aliases", "tags"):
        if isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    return row


def _ext_of(connection: Connection, table: str, value: Any) -> Any:
    """Internal ids (one or a list) → interchange ids, for comparing with what the author saw."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_ext_of(connection, table, v) for v in value]
    return connection.execute(text(f"SELECT ext_id FROM {table} WHERE id = :i"), {"i": value}).scalar()
