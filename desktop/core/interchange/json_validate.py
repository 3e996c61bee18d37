"""Checking a decoded interchange document, whole, before anything is written (docs/formats.md).

``validate_document`` walks the document once and returns the rows to insert
together with EVERY problem found, each with its JSON path (``$.claims[3].source``).
It writes nothing; the caller writes only when the list is empty.

Decisions (also in the package docstring):
- strict: a key the format does not define is an error, so a misspelt
  ``"credibilty"`` cannot silently drop the analyst's grade;
- ``null`` means absent for every optional field (it takes the default);
- into a non-empty workspace: an id the workspace already holds (same entity
  type) is an error at that id, and references may name entities that are
  already in the workspace, so a document can add claims about known sources or
  links between known claims (a second judgement of one analyst on one pair,
  in either direction, is an error, in the document or with the workspace);
- version 1 documents import as they are: their links are judgements like
  version 2's (version 1 allowed one per pair, so never two of one analyst);
- sections are checked in the canonical order sources, reports, places, claims,
  links, outreach, whatever their order in the file; every reference points to
  an earlier section, so each is resolved as soon as its entity is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final, NamedTuple

from desktop.core import validate
from desktop.core.errors import UserError
from desktop.core.interchange import fields, specs, untrusted
from desktop.core.interchange import format as fmt
from desktop.core.interchange.fields import Invalid, json_type
from desktop.core.interchange.specs import REQUIRED, Spec
from desktop.core.store.bulk import BulkRows, Wanted, WorkspaceKeys
from desktop.core.store.reports import text_digest


class Problem(NamedTuple):
    """One thing wrong with a document: where (a JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DocumentErrors(UserError):
    """A document was refused; ``errors`` lists every problem as (JSON path, message).

    The one-line message quotes the first few: "nothing imported, the document has 2 problems: …".
    ``ImportErrors`` and ``ChangeErrors`` say what was refused.
    """

    refused = "nothing written"
    document = "the document"
    _SHOWN: Final = 3  # problems quoted in the one-line message

    def __init__(self, errors: list[Problem]) -> None:
        self.errors = errors
        shown = "; ".join(str(p) for p in errors[: self._SHOWN])
        more = f"; … and {len(errors) - self._SHOWN:,} more" if len(errors) > self._SHOWN else ""
        conflict = len(errors) == 1 and errors[0].message.startswith("conflict:")
        kind = "a conflict" if conflict else f"{len(errors):,} problem{'s' * (len(errors) != 1)}"
        super().__init__(f"{self.refused}, {self.document} has {kind}: {shown}{more}")


class DuplicateKeys(dict[str, Any]):
    """A JSON object in which some key appeared twice (``json`` alone would silently keep the last)."""

    duplicates: list[str]


def member(path: str, key: str) -> str:
    """The JSON path of ``key`` under ``path``; odd keys in bracket notation."""
    if key.isidentifier() and key.isascii() and len(key) <= untrusted.SHOWN_CHARS:
        return f"{path}.{key}"
    return f"{path}[{untrusted.quoted(key)}]"


def _q(value: str) -> str:
    return untrusted.quoted(value)


class EntityTable:
    """One entity's specs, arranged for a fast walk (this runs for every entity of the document)."""

    def __init__(self, table: dict[str, Spec], what: str) -> None:
        self.what = what
        self.plain = {key: (s.column, s.parse) for key, s in table.items() if s.nested is None}
        self.nested = {key: EntityTable(s.nested, key) for key, s in table.items() if s.nested is not None}
        self.required = tuple(key for key, s in table.items() if s.default is REQUIRED)
        self.refs = tuple(
            (key, s.column, s.ref, s.parse is fields.references) for key, s in table.items() if s.ref is not None
        )
        self.template = specs.template(table)
        self.expected = ", ".join(table)


class DocumentWalker:
    """One pass over a decoded document: parses its entities into rows and collects every problem with its path.

    Used by the careful walk here, by ``json_fast`` for the checks msgspec cannot make, and by ``changes``
    for the entities a change document names; ``existing``: the workspace's ids the document may refer to.
    """

    def __init__(self, existing: WorkspaceKeys) -> None:
        self.existing = existing
        self.problems: list[Problem] = []
        # Interchange id → index in its section, for every section read so far.
        self.ids: dict[str, dict[str, int]] = {}
        # Report interchange id → length of its text (code points), for the document's reports.
        self.report_lengths: dict[str, int] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def object_ok(self, value: Any, path: str, what: str) -> bool:
        if not isinstance(value, dict):
            self.problem(path, f"must be an object ({what}), not {json_type(value)}")
            return False
        if isinstance(value, DuplicateKeys):
            for key in value.duplicates:
                self.problem(member(path, key), "appears twice in the same object")
        return True

    def fields(
        self, obj: dict[str, Any], table: EntityTable, path: str, row: dict[str, Any], partial: bool = False
    ) -> None:
        """Parse every key of ``obj`` into ``row``, which starts as the table's defaults.

        ``partial``: ``obj`` names only some fields (a change's ``set`` or ``expect``): no key is
        required, and null stands for the field's default, written into ``row``.
        """
        plain = table.plain
        for key, value in obj.items():
            entry = plain.get(key)
            if entry is not None:
                if value is None:
                    if key in table.required:
                        self.problem(member(path, key), "is required (null given)")
                    elif partial:
                        row[entry[0]] = table.template.get(entry[0])
                    continue
                try:
                    row[entry[0]] = entry[1](value)
                except Invalid as bad:
                    self.problem(member(path, key) + bad.where, bad.message)
            elif key in table.nested:
                nested, where = table.nested[key], member(path, key)
                if value is None and partial:
                    row.update(nested.template)
                elif value is not None and self.object_ok(value, where, f"{key}: {nested.expected}"):
                    if partial:
                        row.update(nested.template)  # an event given whole replaces the whole event
                    self.fields(value, nested, where, row)
            else:
                self.problem(member(path, key), f"is not a field of {table.what} (expected: {table.expected})")
        if partial:
            return
        for key in table.required:
            if key not in obj:
                self.problem(member(path, key), "is required")

    def section(
        self,
        doc: dict[str, Any],
        name: str,
        table: EntityTable,
        check: Callable[[dict[str, Any], int], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Parse one section; rows stay aligned with the document's indices (defaults for a non-object)."""
        entries = doc.get(name)
        if entries is None:
            entries = []
        elif not isinstance(entries, list):
            self.problem(f"$.{name}", f"must be an array, not {json_type(entries)}")
            entries = []
        singular = fmt.SINGULAR[name]
        ids: dict[str, int] = {}
        self.ids[name] = ids
        taken: dict[str, int] = getattr(self.existing, name, {})
        rows: list[dict[str, Any]] = []
        for index, entry in enumerate(entries):
            path = f"$.{name}[{index}]"
            row = dict(table.template)
            rows.append(row)
            if not self.object_ok(entry, path, table.what):
                continue
            self.fields(entry, table, path, row)
            ext = row.get("ext_id")
            if ext is not None:
                if ext in ids:
                    self.problem(f"{path}.id", f"duplicate id {_q(ext)} (first at $.{name}[{ids[ext]}])")
                elif ext in taken:
                    self.problem(f"{path}.id", f"{singular} {_q(ext)} already exists in this workspace")
                else:
                    ids[ext] = index
            for key, column, section, many in table.refs:
                self.resolve(row.get(column), section, many, path, key)
            if check is not None:
                check(row, index)
        return rows

    def resolve(self, ref: Any, section: str, many: bool, path: str, key: str) -> None:
        if ref is None:
            return
        known, existing = self.ids[section], getattr(self.existing, section)
        if not many:
            if ref not in known and ref not in existing:
                self.problem(f"{path}.{key}", f"unknown {fmt.SINGULAR[section]} {_q(ref)}")
            return
        for index, item in enumerate(ref):
            if item not in known and item not in existing:
                self.problem(f"{path}.{key}[{index}]", f"unknown {fmt.SINGULAR[section]} {_q(item)}")

    # --- checks across fields -----------------------------------------------------------------------

    def claim_fields(self, row: dict[str, Any], index: int) -> None:
        """Checks across a claim's fields: the event's order, and its quote inside its report's text."""
        if problem := validate.event_order_problem(row["event_start"], row["event_end"]):
            self.problem(f"$.claims[{index}].event.end", problem)
        start, end = row["quote_start"], row["quote_end"]
        if start is None and end is None:
            return
        path = f"$.claims[{index}].quote"
        if start is None or end is None:
            self.problem(f"{path}.{'start' if start is None else 'end'}", "is required when there is a quote")
            return
        report = row.get("report")
        if report is None:
            self.problem(path, "a quote needs the claim's report (there is none)")
            return
        length = self.report_lengths.get(report)
        if length is None and report in self.existing.reports:
            length = self.existing.report_lengths.get(self.existing.reports[report])
        if length is None:
            return  # an unknown report, already reported
        if not start < end:
            self.problem(path, f"must start before it ends (start {start}, end {end})")
        elif end > length:
            self.problem(f"{path}.end", f"is beyond the end of the report's text ({end:,} > {length:,} code points)")

    def report_digest(self, row: dict[str, Any], index: int) -> None:
        """A report's sha256 must be its text's; when absent it is computed."""
        digest = text_digest(row["text"])
        if row["sha256"] is None:
            row["sha256"] = digest
        elif row["sha256"] != digest:
            self.problem(f"$.reports[{index}].sha256", "does not match the report's text (was the text changed?)")

    def link_pair(self, row: dict[str, Any], index: int, pairs: dict[tuple[str, str, str], int]) -> None:
        """One judgement per analyst and pair of claims (either direction), in the document and the workspace."""
        a, b = row.get("from"), row.get("to")
        if a is None or b is None:
            return
        path = f"$.links[{index}]"
        if a == b:
            self.problem(f"{path}.to", "a claim cannot be linked to itself")
            return
        who = row.get("analyst") or ""
        pair = (a, b, who) if a < b else (b, a, who)
        if pair in pairs:
            self.problem(
                path,
                f"{_q(who)} already judged {_q(a)} and {_q(b)} at $.links[{pairs[pair]}] "
                "(one judgement per analyst and pair)",
            )
            return
        pairs[pair] = index
        existing = self.existing.claims
        if a in existing and b in existing:  # both already in the workspace (document ids cannot be)
            x, y = existing[a], existing[b]
            if (min(x, y), max(x, y), who) in self.existing.judged:
                self.problem(
                    path,
                    f"{_q(who)} already judged {_q(a)} and {_q(b)} in this workspace "
                    "(one judgement per analyst and pair)",
                )


_SOURCE = EntityTable(specs.SOURCE, "a source")
_REPORT = EntityTable(specs.REPORT, "a report")
_PLACE = EntityTable(specs.PLACE, "a place")
_OUTREACH = EntityTable(specs.OUTREACH, "a request for comment")

# Each section's reference keys (key, section, many): what ``referenced_ids`` collects besides the ids.
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # references do not depend on the defaults
_REFERENCES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    name: tuple((key, section, many) for key, _column, section, many in table.refs)
    for name, table in (
        ("sources", _SOURCE),
        ("reports", _REPORT),
        ("places", _PLACE),
        ("claims", EntityTable(specs.claim_specs(_EPOCH), "a claim")),
        ("links", EntityTable(specs.link_specs(_EPOCH, ""), "a link")),
        ("outreach", _OUTREACH),
    )
}


def referenced_ids(doc: Any) -> Wanted:
    """Every interchange id ``doc`` mentions, per section: the ids of its entities and its references.

    What ``validate_document`` may look up among the workspace's ids, so that only
    those are loaded (``WorkspaceKeys.load``). The document is not checked here: a
    value of the wrong type is skipped (validation reports it), so this never
    raises and never misses a string the validator would look up.
    """
    wanted = Wanted()
    if not isinstance(doc, dict):
        return wanted
    for name in fmt.SECTIONS:
        entries = doc.get(name)
        if not isinstance(entries, list):
            continue
        own: set[str] | None = getattr(wanted, name) if name != "links" else None
        references = [
            (key, wanted.linked if name == "links" else getattr(wanted, section), many)
            for key, section, many in _REFERENCES[name]
        ]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            if own is not None and isinstance(ident := entry.get("id"), str):
                own.add(ident)
            for key, into, many in references:
                value = entry.get(key)
                if many:
                    if isinstance(value, list):
                        into.update(item for item in value if isinstance(item, str))
                elif isinstance(value, str):
                    into.add(value)
    return wanted


def validate_document(
    doc: Any, existing: WorkspaceKeys, *, now: dt.datetime, analyst: str
) -> tuple[BulkRows, list[Problem]]:
    """The rows to insert and every problem of ``doc`` (see the module docstring).

    ``now`` is the ``recorded`` of claims and links that have none; ``analyst`` the
    ``analyst`` of links that name none.
    """
    walker = DocumentWalker(existing)
    rows = BulkRows()
    if not walker.object_ok(doc, "$", "a crosscheck-workspace document"):
        return rows, walker.problems
    if doc.get("format") != fmt.FORMAT:
        found = "it is missing" if doc.get("format") is None else f"got {untrusted.shown(doc['format'])}"
        walker.problem("$.format", f"must be {_q(fmt.FORMAT)} ({found}): this is not a Crosscheck workspace document")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version not in fmt.READABLE_VERSIONS:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > fmt.VERSION
        reason = "written by a newer Crosscheck; update to import it" if newer else f"got {untrusted.shown(version)}"
        accepted = " or ".join(str(v) for v in fmt.READABLE_VERSIONS)
        walker.problem("$.version", f"must be {accepted} ({reason})")
    if walker.problems:
        return rows, walker.problems  # not this format: every further message would be noise
    for key in doc:
        if key not in fmt.TOP_KEYS:
            walker.problem(member("$", key), f"is not a section of the format (expected: {', '.join(fmt.TOP_KEYS)})")

    rows.sources = walker.section(doc, "sources", _SOURCE)
    rows.reports = walker.section(doc, "reports", _REPORT, walker.report_digest)
    walker.report_lengths = {row["ext_id"]: len(row["text"]) for row in rows.reports if row.get("ext_id") is not None}
    rows.places = walker.section(doc, "places", _PLACE)
    rows.claims = walker.section(doc, "claims", EntityTable(specs.claim_specs(now), "a claim"), walker.claim_fields)
    pairs: dict[tuple[str, str, str], int] = {}
    rows.links = walker.section(
        doc, "links", EntityTable(specs.link_specs(now, analyst), "a link"), lambda r, i: walker.link_pair(r, i, pairs)
    )
    rows.outreach = walker.section(doc, "outreach", _OUTREACH)
    return rows, walker.problems
