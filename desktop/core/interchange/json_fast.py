"""The fast path of an import: a plainly valid document decoded and checked in C (msgspec).

``json_validate`` walks a decoded document field by field in Python so that it
can word every problem with its JSON path; for a valid document of 100k claims
that walk and the decoding before it were the largest part of an import. Here
the document is decoded straight into msgspec Structs that mirror the format
(``docs/formats.md``): msgspec checks, in C, every key (unknown ones refused),
every type, every vocabulary, every length and every one-line or non-empty rule.
What it cannot say is checked after it in a few set operations and per-row
passes (ids given twice or already in the workspace, references, quotes against
their reports, a report's digest, the event's order, one judgement per pair),
with ``json_validate``'s own checks.

This path only ever *accepts*. Whenever msgspec rejects the document, or
anything is uncertain (an escape that may hide a control character or a
surrogate, a key given twice, any problem at all), it answers None and the
import decodes and validates the document the careful way, which words every
problem exactly as it always has. So it must be at least as strict as the
careful walk, and give the same rows for what it accepts: tests hold both.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import UNSET, Meta
from msgspec.structs import astuple

from desktop.core import validate, vocab
from desktop.core.interchange import fields, specs
from desktop.core.interchange import format as fmt
from desktop.core.interchange.fields import Invalid
from desktop.core.interchange.json_validate import DocumentWalker
from desktop.core.interchange.specs import REQUIRED, Spec
from desktop.core.store.bulk import BulkRows, Wanted, WorkspaceKeys
from desktop.core.text import VISIBLE_CHARACTER

# Anything in the raw bytes that could decode to a character ``text.forbidden_character`` refuses, spelt as
# an escape (a C0 or C1 control, DEL, a bidi override) or as itself (C1 controls and bidi overrides; DEL is
# looked for apart; msgspec refuses a raw C0 control in a string, as JSON does, and a lone surrogate, escaped
# or encoded, while it reads a pair as its one character), and an escaped colon (which would upset the
# count of keys below). Broad on purpose: a false alarm only sends the
# document the careful way. Each pattern starts with a fixed byte, which the regex engine finds fast.
_UNSURE: Final = (
    re.compile(rb"\\(?:[bf]|u(?:00[01]|007[fF]|00[89]|202[a-eA-E]|206[6-9]|003[aA]))"),
    re.compile(rb"\xc2[\x80-\x9f]"),
    re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])"),
)
_BOM: Final = b"\xef\xbb\xbf"


def _text(limit: int, *, required: bool = False, one_line: bool = False) -> Any:
    """A string ``validate.check_text`` accepts with these settings (control characters: see ``_UNSURE``)."""
    # ``required``: a character ``text.blank`` calls visible (msgspec matches with Python's ``re``, as it does).
    if one_line:
        pattern = rf"\A[^\n\r]*{VISIBLE_CHARACTER}[^\n\r]*\Z" if required else r"\A[^\n\r]*\Z"
        return Annotated[str, Meta(max_length=limit, pattern=pattern)]
    if required:
        return Annotated[str, Meta(max_length=limit, pattern=VISIBLE_CHARACTER)]
    return Annotated[str, Meta(max_length=limit)]


def _choice(choices: Any) -> Any:
    return Literal[tuple(choices)]  # msgspec refuses a bool where the literals are numbers


_ID = _text(fields.MAX_ID, required=True, one_line=True)
_NAME = _text(validate.MAX_NAME, required=True, one_line=True)
_LINE = _text(validate.MAX_NAME, one_line=True)
_LABEL = _text(100, one_line=True)  # validate.check_label
_LONG = _text(validate.MAX_LONG_TEXT)
_LABELS = Annotated[list[_NAME], Meta(max_length=validate.MAX_LIST)]  # type: ignore[valid-type]
_REFS = Annotated[list[str], Meta(max_length=validate.MAX_LIST)]  # distinct: checked after
# validate.check_url: one line, at most 2,000 characters, empty or http(s) in any case.
_URL = Annotated[str, Meta(max_length=2_000, pattern=r"\A(?:[hH][tT][tT][pP][sS]?://[^\n\r]*)?\Z")]
_SHA256 = Annotated[str, Meta(pattern=r"\A[0-9a-f]{64}\Z")]
# ``fields.parse_timestamp``'s form with ASCII digits; the string is then parsed by that very function.
_TIMESTAMP = Annotated[
    str,
    Meta(
        pattern=r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})\Z"
    ),
]
_OFFSET = Annotated[int, Meta(ge=0)]


# The msgspec type of every key of the format, by section (the keys, columns and defaults come from ``specs``).
_TYPES: Final[dict[str, dict[str, Any]]] = {
    "sources": {
        "id": _ID,
        "name": _NAME,
        "kind": _choice(vocab.SOURCE_KINDS),
        "side": _LABEL,
        "group": _LABEL,
        "reliability": _choice(vocab.RELIABILITY),
        "url": _URL,
        "aliases": _LABELS,
        "notes": _LONG,
    },
    "reports": {
        "id": _ID,
        "title": _text(2_000, required=True, one_line=True),
        "source": str,
        "url": _URL,
        "published": dt.date,
        "language": _text(35, one_line=True),
        "text": _LONG,
        "retrieved": _TIMESTAMP,
        "sha256": _SHA256,
    },
    "places": {
        "id": _ID,
        "name": _NAME,
        "aliases": _LABELS,
        "region": _LINE,
        "lat": Annotated[float, Meta(ge=-90, le=90)],
        "lon": Annotated[float, Meta(ge=-180, le=180)],
    },
    "claims": {
        "id": _ID,
        "text": _text(validate.MAX_CLAIM_TEXT, required=True),
        "source": str,
        "report": str,
        "quote": {"start": _OFFSET, "end": _OFFSET},
        "kind": _choice(vocab.CLAIM_KINDS),
        "claimed": dt.date,
        "event": {"start": dt.date, "end": dt.date, "precision": _choice(vocab.PRECISIONS)},
        "places": _REFS,
        "credibility": _choice(vocab.CREDIBILITY),
        "likelihood": _choice(vocab.LIKELIHOOD),
        "verdict": _choice(vocab.VERDICTS),
        "reviewed": bool,
        "tags": _LABELS,
        "notes": _LONG,
        "recorded": _TIMESTAMP,
    },
    "links": {
        "from": str,
        "to": str,
        "relation": _choice(vocab.RELATIONS),
        "rationale": _LONG,
        "analyst": _LINE,
        "recorded": _TIMESTAMP,
    },
    "outreach": {
        "id": _ID,
        "party": _NAME,
        "by": str,
        "contacted": dt.date,
        "about": _REFS,
        "status": _choice(vocab.OUTREACH_STATUSES),
        "response": _LONG,
    },
}

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # stands for ``now`` where only the specs' shape is read
_SPECS: Final[dict[str, dict[str, Spec]]] = {
    "sources": specs.SOURCE,
    "reports": specs.REPORT,
    "places": specs.PLACE,
    "claims": specs.claim_specs(_EPOCH),
    "links": specs.link_specs(_EPOCH, ""),
    "outreach": specs.OUTREACH,
}
# Defaults that depend on the import (``now``, who imports): filled in per document.
_NOW, _ANALYST = object(), object()
_LATE_DEFAULTS: Final = {("claims", "recorded"): _NOW, ("links", "recorded"): _NOW, ("links", "analyst"): _ANALYST}


def _struct(name: str, table: dict[str, Spec], types: dict[str, Any]) -> type[msgspec.Struct]:
    """A Struct with one field per key (named by the key's column), required keys non-null, others
    optional and nullable; absent ones are ``UNSET``, so the Struct encodes back to the keys given."""
    members: list[tuple[str, Any, Any] | tuple[str, Any]] = []
    rename: dict[str, str] = {}
    for key, spec in table.items():
        kind = types[key]
        if spec.nested is not None:
            kind = _struct(f"{name}_{key}", spec.nested, kind)
            column = key
        else:
            column = spec.column
        rename[column] = key
        if spec.default is REQUIRED:
            members.append((column, kind))
        else:
            members.append((column, kind | None | msgspec.UnsetType, UNSET))
    # gc=False: decoded from JSON, a Struct holds strings, numbers, dates, lists of strings and other such
    # Structs, never a cycle, so the collector need not track it (a fifth off the decoding).
    return msgspec.defstruct(name, members, kw_only=True, forbid_unknown_fields=True, rename=rename, gc=False)


_STRUCTS: Final = {name: _struct(name, _SPECS[name], _TYPES[name]) for name in fmt.SECTIONS}
_DOCUMENT: Final = msgspec.defstruct(
    "Document",
    [
        ("format", Literal[fmt.FORMAT]),
        ("version", _choice(fmt.READABLE_VERSIONS)),
        *((name, list[_STRUCTS[name]] | None | msgspec.UnsetType, UNSET) for name in fmt.SECTIONS),  # type: ignore[valid-type]
    ],
    kw_only=True,
    forbid_unknown_fields=True,
    gc=False,
)
_DECODER: Final = msgspec.json.Decoder(_DOCUMENT)
_ENCODER: Final = msgspec.json.Encoder()


class FastDocument:
    """A document msgspec decoded and found plainly well-formed; ``rows`` finishes the checks."""

    def __init__(self, document: Any) -> None:
        self._sections: dict[str, list[Any]] = {
            name: [] if (entries := getattr(document, name)) is None or entries is UNSET else entries
            for name in fmt.SECTIONS
        }

    def wanted(self) -> Wanted:
        """Every interchange id the document mentions (``json_validate.referenced_ids``, from the Structs)."""
        s = self._sections
        wanted = Wanted()
        wanted.sources.update(e.ext_id for e in s["sources"])
        wanted.sources.update(e.source for e in s["reports"] if isinstance(e.source, str))
        wanted.sources.update(e.source for e in s["claims"])
        wanted.sources.update(e.by for e in s["outreach"] if isinstance(e.by, str))
        wanted.reports.update(e.ext_id for e in s["reports"])
        wanted.reports.update(e.report for e in s["claims"] if isinstance(e.report, str))
        wanted.places.update(e.ext_id for e in s["places"])
        for e in s["claims"]:
            if e.places:
                wanted.places.update(e.places)
        wanted.claims.update(e.ext_id for e in s["claims"])
        for e in s["outreach"]:
            if e.about:
                wanted.claims.update(e.about)
        wanted.linked.update(getattr(e, "from") for e in s["links"])  # a Python keyword
        wanted.linked.update(e.to for e in s["links"])
        wanted.outreach.update(e.ext_id for e in s["outreach"])
        return wanted

    def rows(self, existing: WorkspaceKeys, *, now: dt.datetime, analyst: str) -> BulkRows | None:
        """The rows ``validate_document`` would give, or None if anything is wrong or unsure.

        Consumes the document: the Structs are let go as their rows are made (the rows are all the
        write needs, and a careful second look decodes the bytes again).
        """
        late = {_NOW: now, _ANALYST: analyst}
        walker = DocumentWalker(existing)
        rows = BulkRows()
        try:
            rows.sources = self._section(walker, "sources", late)
            for row in rows.sources:  # as ``specs``: sides trimmed and case-folded, groups trimmed
                row["side"] = row["side"].strip().casefold()
                row["group_label"] = row["group_label"].strip()
            rows.reports = self._section(walker, "reports", late)
            for index, row in enumerate(rows.reports):
                walker.report_digest(row, index)
            walker.report_lengths = {row["ext_id"]: len(row["text"]) for row in rows.reports}
            rows.places = self._section(walker, "places", late)
            rows.claims = self._section(walker, "claims", late)
            for index, row in enumerate(rows.claims):
                # Only claims with a quote or a whole event have anything to check across their fields.
                if row["quote_start"] is not None or row["quote_end"] is not None or row["event_end"] is not None:
                    walker.claim_fields(row, index)
            rows.links = self._section(walker, "links", late)
            _judgements_once(walker, rows.links)
            rows.outreach = self._section(walker, "outreach", late)
        except Invalid:
            return None
        finally:
            self._sections.clear()
        return None if walker.problems else rows

    def _section(self, walker: DocumentWalker, name: str, late: dict[object, Any]) -> list[dict[str, Any]]:
        """One section's rows, column by column; ``Invalid`` (never worded: the careful walk words it)
        at the first thing wrong: an id given twice or already in the workspace, an unknown reference."""
        entries = self._sections.pop(name, [])
        layout = _LAYOUTS[name]
        if not entries:
            walker.ids[name] = {}
            return []
        columns: dict[str, list[Any]] = {}
        for field, values in zip(layout.fields, zip(*map(astuple, entries), strict=True), strict=True):
            nested = layout.nested.get(field)
            if nested is not None:
                empty = (None,) * len(nested)
                inner = zip(*(astuple(v) if v is not None and v is not UNSET else empty for v in values), strict=True)
                for column, found in zip(nested, inner, strict=True):
                    columns[column] = [None if v is UNSET else v for v in found]
                continue
            default = layout.defaults.get(field, REQUIRED)
            if default is REQUIRED:
                columns[field] = list(values)
                continue
            default = late.get(default, default) if default.__class__ is object else default
            given: list[Any] = [default if v is None or v is UNSET else v for v in values]
            if field in layout.timestamps:
                given = [_timestamp(v) if v.__class__ is str else v for v in given]
            elif field in layout.lists and any(v.__class__ is list and len(set(v)) != len(v) for v in given):
                raise Invalid("names an id twice")
            columns[field] = given
        ids: dict[str, int] = {}
        walker.ids[name] = ids
        if layout.has_id:
            ids.update(zip(columns["ext_id"], range(len(entries)), strict=True))
            taken: dict[str, int] = getattr(walker.existing, name)
            if len(ids) != len(entries) or (taken and not ids.keys().isdisjoint(taken)):
                raise Invalid("an id given twice or already in the workspace")
        for column, section, many in layout.refs:
            named: set[str] = set()
            if many:
                for refs in columns[column]:
                    named.update(refs)
            else:
                named.update(columns[column])
                named.discard(None)
            unknown = named - walker.ids[section].keys()
            if unknown and not unknown.issubset(getattr(walker.existing, section)):
                raise Invalid("an unknown reference")
        names = list(columns)
        return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _timestamp(value: str) -> dt.datetime:
    """``fields.parse_timestamp`` of a string of its form (the Struct's pattern): the common one, in UTC
    without a fraction, read at once (``fromisoformat`` reads ``Z`` as UTC, as that function does)."""
    if len(value) != 20:
        return fields.parse_timestamp(value)
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("not a moment of the calendar") from None


def _judgements_once(walker: DocumentWalker, links: list[dict[str, Any]]) -> None:
    """``Invalid`` for a claim linked to itself or a pair one analyst judged twice (``DocumentWalker.link_pair``)."""
    pairs = [(a, b, who) if a < b else (b, a, who) for a, b, who in ((r["from"], r["to"], r["analyst"]) for r in links)]
    if len(set(pairs)) != len(pairs) or any(a == b for a, b, _ in pairs):
        raise Invalid("a pair judged twice, or a claim linked to itself")
    existing = walker.existing
    if existing.judged:
        claims = existing.claims
        for a, b, who in pairs:
            if a in claims and b in claims:
                x, y = claims[a], claims[b]
                if (min(x, y), max(x, y), who) in existing.judged:
                    raise Invalid("a pair judged in the workspace already")


class _Layout:
    """What ``FastDocument._section`` does to each column of one section, from its specs."""

    def __init__(self, name: str) -> None:
        table, types = _SPECS[name], _TYPES[name]
        self.fields: tuple[str, ...] = _STRUCTS[name].__struct_fields__
        by_field = {key if spec.nested is not None else spec.column: (key, spec) for key, spec in table.items()}
        self.defaults = {
            f: _LATE_DEFAULTS.get((name, key), spec.default) for f, (key, spec) in by_field.items() if not spec.nested
        }
        self.nested = {f: [s.column for s in spec.nested.values()] for f, (_, spec) in by_field.items() if spec.nested}
        self.timestamps = {f for f, (key, _) in by_field.items() if types[key] is _TIMESTAMP}
        self.lists = {f for f, (_, spec) in by_field.items() if spec.parse is fields.references}
        self.refs = [(spec.column, spec.ref, spec.parse is fields.references) for spec in table.values() if spec.ref]
        self.has_id = "id" in table


_LAYOUTS: Final = {name: _Layout(name) for name in fmt.SECTIONS}


def decode_fast(data: bytes) -> FastDocument | None:
    """``data`` decoded by msgspec when it is plainly well-formed; None sends it the careful way."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if b"\x7f" in data or any(pattern.search(data) is not None for pattern in _UNSURE):
        return None
    try:
        document = _DECODER.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, ValueError):  # ValidationError is a DecodeError
        return None
    # A key given twice is kept once by msgspec, as by a dict: the Structs, encoded again, have as many
    # colons as the text only when no key was lost (absent keys are UNSET, which is not encoded).
    if _ENCODER.encode(document).count(b":") != data.count(b":"):
        return None
    return FastDocument(document)
