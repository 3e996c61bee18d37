"""The audit trail in words and as JSON: what ``crosscheck history`` prints and the window's history panel shows.

One ``Entry`` per audit row, in the interchange format's terms: ``field`` is
the format's name (``group``, ``source``, ``event.start``), references are
interchange ids. ``line`` turns a change (``trail.Group``) into sentences such
as ``2022-12-15 10:02 anna: claim c-1 credibility 3 → 2``.

``entries_about`` reads what concerns one entity through indexes only: its
own rows, and for a claim the rows of the links that touch it (by either end:
``ix_audit_link_from`` and ``ix_audit_link_to``, migration 0005) — the history
panel reads this for every claim the analyst steps to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from desktop.core.db import table_of
from desktop.core.history.names import REFERENCE_FIELDS, Names, named
from desktop.core.history.trail import FIELDS, Group, Row, grouped, ignored, read_rows, to_row
from desktop.core.interchange.format import TIMESTAMP_FORMAT
from desktop.core.schema import AuditEntry, Claim, Outreach, OutreachClaim

_SHORT: Final = 60  # characters of a text value quoted in a sentence
_ARROW: Final = " → "


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit row as ``history --json`` writes it."""

    at: str
    analyst: str
    entity: str
    id: str
    action: str
    field: str
    old: Any
    new: Any

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at, "analyst": self.analyst, "entity": self.entity, "id": self.id,
                "action": self.action, "field": self.field, "old": self.old, "new": self.new}  # fmt: skip


def field_name(entity: str, name: str) -> str:
    """The interchange format's name of an audited field (``group_label`` → ``group``)."""
    return FIELDS.get(entity, {}).get(name, name)


def entry(row: Row) -> Entry:
    return Entry(
        row.at.strftime(TIMESTAMP_FORMAT),
        row.analyst,
        row.entity,
        row.entity_id,
        row.action,
        field_name(row.entity, row.field),
        row.old,
        row.new,
    )


def visible(rows: Iterable[Row]) -> list[Row]:
    """Rows that say something to an analyst (not a deleted claim's derived columns, nor internal ids)."""
    return [r for r in rows if not r.field or not ignored(r.entity, r.field)]


def history_rows(connection: Connection, *, since: dt.datetime | None = None, about: str | None = None) -> list[Row]:
    """Audit rows after ``since``, about entity ``about`` (and the links touching it) when given; oldest first."""
    rows = entries_about(connection, about) if about is not None else read_rows(connection, after=since)
    if since is not None and about is not None:
        rows = [r for r in rows if r.at > since]
    return visible(rows)


def entries_about(connection: Connection, ext_id: str, *, source: str | None = None) -> list[Row]:
    """Every row about ``ext_id`` (any entity with that id), the links touching it, and ``source``'s rows."""
    audit = table_of(AuditEntry)
    columns = [audit.c[n] for n in ("id", "at", "analyst", "entity", "entity_id", "action", "field", "old", "new")]
    # Named entities, never "link": (entity, entity_id) pairs the index ix_audit_entity answers directly.
    named = ("claim", "source", "report", "place", "outreach")
    own = sa.select(*columns).where(audit.c.entity.in_(named), audit.c.entity_id == ext_id)
    queries = [own]
    dialect = connection.dialect.name
    prefix = ext_id + "->"
    # FROM->TO: the from side by a range on the (entity, entity_id) index, the to side by its expression index.
    queries.append(
        sa.select(*columns).where(audit.c.entity == "link", audit.c.entity_id >= prefix,
                                  audit.c.entity_id < ext_id + "-?")  # '?' follows '>'
    )  # fmt: skip
    queries.append(
        sa.select(*columns).where(audit.c.entity == "link", link_to_end(dialect, audit.c.entity_id) == ext_id)
    )
    if source is not None:
        queries.append(sa.select(*columns).where(audit.c.entity == "source", audit.c.entity_id == source))
    # The requests for comment about a claim are part of its story: found by the claim's index on
    # outreach_claim, their rows by (entity, entity_id) as above.
    claim, outreach, about = table_of(Claim), table_of(Outreach), table_of(OutreachClaim)
    requests = (
        sa.select(outreach.c.ext_id)
        .join(about, about.c.outreach_id == outreach.c.id)
        .join(claim, claim.c.id == about.c.claim_id)
        .where(claim.c.ext_id == ext_id)
    )
    queries.append(sa.select(*columns).where(audit.c.entity == "outreach", audit.c.entity_id.in_(requests)))
    seen: dict[int, Row] = {}
    for query in queries:
        for r in connection.execute(query):
            seen.setdefault(r.id, to_row(r))
    return [seen[k] for k in sorted(seen)]


# The constants are literals in the SQL, never bound parameters: a database matches an expression index
# only against the very same expression, and ``instr(entity_id, ?) + ?`` is not ``instr(entity_id, '->') + 2``
# (with parameters SQLite read every link row of the trail; the history panel took 40 ms at 22k audit rows).
_ARROW_TEXT: Final[Any] = sa.literal_column("'->'")
_ONE: Final[Any] = sa.literal_column("1")
_TWO: Final[Any] = sa.literal_column("2")


def link_to_end(dialect: str, column: Any) -> Any:
    """The ``TO`` of a ``FROM->TO`` link key, as the expression index ``ix_audit_link_to`` spells it."""
    return sa.func.substr(column, _arrow(dialect, column) + _TWO)


def link_from_end(dialect: str, column: Any) -> Any:
    """The ``FROM`` of a ``FROM->TO`` link key."""
    return sa.func.substr(column, _ONE, _arrow(dialect, column) - _ONE)


def _arrow(dialect: str, column: Any) -> Any:
    return sa.func.strpos(column, _ARROW_TEXT) if dialect == "postgresql" else sa.func.instr(column, _ARROW_TEXT)


# --- words ------------------------------------------------------------------------------------------


def when(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def lines(rows: Iterable[Row], *, imports_in_full: bool = False, names: Names | None = None) -> list[str]:
    """The rows as sentences, a change per line (an update: a line per field); oldest first.

    An import is one line for the whole document unless ``imports_in_full`` (one per entity).
    ``names`` (``names.names_for`` over the same rows): sources, reports, places and requests by
    name; without it, by id.
    """
    result: list[str] = []
    for group in grouped(rows):
        if group.action == "import" and group.entity != "workspace" and not imports_in_full:
            continue
        result.extend(sentences(group, names=names))
    return result


def sentences(group: Group, *, own: str | None = None, names: Names | None = None) -> list[str]:
    """The change in words; ``own``: the claim whose history this is (its own changes go unnamed)."""
    head = f"{when(group.at)} {group.first.analyst}:"
    if own is not None and group.entity == "claim" and group.entity_id == own:
        name = ""
    elif names is not None and named(group.entity) and group.action in ("create", "delete"):
        name = " " + _WORDS[group.entity]  # the label after the verb names it, even once it is gone
    else:
        name = " " + _name(group, names)
    if group.action == "update":
        entity = group.entity
        return [
            f"{head}{name} {field_name(entity, row.field)} "
            f"{_value(entity, row.field, row.old, names)}{_ARROW}{_value(entity, row.field, row.new, names)}"
            for row in group.rows
            if not ignored(entity, row.field)
        ]
    if group.action == "import":
        if group.entity == "workspace":
            return [f"{head} imported a document ({_counts(group.first.new)})"]
        return [f"{head}{name} imported"]
    values = group.values("new" if group.action == "create" else "old")
    if group.entity == "link":
        relation = values.get("relation", "?")
        rationale = values.get("rationale")
        why = f" ({shown(rationale)})" if rationale else ""
        if group.action == "create":
            return [f"{head}{name} marked {relation}{why}"]
        return [f"{head}{name} removed (was {relation})"]
    label = values.get("text") or values.get("name") or values.get("title") or values.get("party")
    what = f": {shown(label)}" if label else ""
    verb = {"create": "created", "delete": "deleted"}.get(group.action, group.action)
    return [f"{head}{name} {verb}{what}"]


_WORDS: Final = {"source": "source", "report": "report", "place": "place", "outreach": "request for comment"}


def _name(group: Group, names: Names | None) -> str:
    if group.entity == "link":
        return "link " + group.entity_id.replace("->", _ARROW, 1)
    if names is not None and named(group.entity):
        to = " to" if group.entity == "outreach" else ""
        return f"{_WORDS[group.entity]}{to} {_named(names, group.entity, group.entity_id)}"
    if group.entity == "outreach":
        return f"request for comment {group.entity_id}"
    return f"{group.entity} {group.entity_id}"


def _value(entity: str, field: str, value: Any, names: Names | None) -> str:
    """An old or new value in words: a reference by the name of what it names, when ``names`` are known."""
    target = REFERENCE_FIELDS.get((entity, field))
    if names is None or target is None:
        return shown(value)
    if isinstance(value, str):
        return _named(names, target, value)
    if isinstance(value, list) and value:
        return ", ".join(_named(names, target, v) if isinstance(v, str) else shown(v) for v in value)
    return shown(value)


def _named(names: Names, entity: str, ident: str) -> str:
    name = names.of(entity, ident)
    return shown(name) if name is not None else f"{ident} (deleted)"


def _counts(summary: Any) -> str:
    if not isinstance(summary, dict):
        return "details not recorded"
    parts = [f"{summary[k]:,} {k}" for k in ("sources", "reports", "places", "claims", "links", "outreach")
             if isinstance(summary.get(k), int) and summary[k]]  # fmt: skip
    return ", ".join(parts) or "nothing"


def shown(value: Any) -> str:
    """A value in a sentence: ``none`` for nothing, yes/no, lists joined, long texts quoted and shortened."""
    if value is None or value == "" or value == []:
        return "none"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {shown(v)}" for k, v in value.items())
    text = " ".join(str(value).split())
    if isinstance(value, str) and (" " in text or len(text) > _SHORT):
        return "“" + (text if len(text) <= _SHORT else text[: _SHORT - 1] + "…") + "”"
    return text
