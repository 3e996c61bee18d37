"""What each entity of the interchange format may hold: key → column, parser, default (docs/formats.md).

One ``Spec`` per JSON key. ``default`` is the value of an absent key *and* of a
``null`` one (one rule for every optional field: null means absent); ``REQUIRED``
marks the keys that must be present and non-null. ``ref`` names the section whose
ids a reference points into. The text rules come from ``desktop.core.validate``,
the store's own checks, so the importer accepts exactly what the window would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from desktop.core import validate, vocab
from desktop.core.interchange import fields
from desktop.core.interchange.fields import Invalid, Parser, checked, choice

REQUIRED: Final[Any] = object()


@dataclass(frozen=True, slots=True)
class Spec:
    column: str
    parse: Parser
    default: Any = None
    ref: str | None = None
    nested: dict[str, Spec] | None = None


_label = checked(validate.check_label)
_one_line = checked(lambda v: validate.check_text(v, multiline=False))


def _side(value: Any) -> str:
    # The store keeps sides trimmed and case-folded (they are compared as labels); so does the importer.
    return str(_label(value)).strip().casefold()


def _group(value: Any) -> str:
    return str(_label(value)).strip()


def _event_object(value: Any) -> Any:  # only reached when "event" is not an object
    raise Invalid(f"must be an object with start, end and precision, not {fields.json_type(value)}")


def _id() -> Spec:
    return Spec("ext_id", fields.identifier, REQUIRED)


SOURCE: Final = {
    "id": _id(),
    "name": Spec("name", checked(validate.SOURCE_CHECKS["name"]), REQUIRED),
    "kind": Spec("kind", choice(vocab.SOURCE_KINDS), "other"),
    "side": Spec("side", _side, ""),
    "group": Spec("group_label", _group, ""),
    "reliability": Spec("reliability", choice(tuple(vocab.RELIABILITY)), "F"),
    "url": Spec("url", checked(validate.check_url)),
    "aliases": Spec("aliases", fields.labels, ()),
    "notes": Spec("notes", checked(validate.SOURCE_CHECKS["notes"]), ""),
}

REPORT: Final = {
    "id": _id(),
    "title": Spec("title", checked(validate.REPORT_CHECKS["title"]), REQUIRED),
    "source": Spec("source", fields.reference, None, ref="sources"),
    "url": Spec("url", checked(validate.check_url)),
    "published": Spec("published", fields.date),
    "language": Spec("language", checked(validate.REPORT_CHECKS["language"])),
    "text": Spec("text", checked(validate.REPORT_CHECKS["text"]), ""),
    "retrieved": Spec("retrieved", fields.timestamp),
    # Checked against the text by the validator; computed from it when absent.
    "sha256": Spec("sha256", checked(validate.check_sha256)),
}

PLACE: Final = {
    "id": _id(),
    "name": Spec("name", checked(validate.PLACE_CHECKS["name"]), REQUIRED),
    "aliases": Spec("aliases", fields.labels, ()),
    "region": Spec("region", checked(validate.PLACE_CHECKS["region"])),
    "lat": Spec("lat", fields.coordinate(90)),
    "lon": Spec("lon", fields.coordinate(180)),
}

EVENT: Final = {
    "start": Spec("event_start", fields.date),
    "end": Spec("event_end", fields.date),
    "precision": Spec("event_precision", choice(vocab.PRECISIONS)),
}


def _quote_object(value: Any) -> Any:  # only reached when "quote" is not an object
    raise Invalid(f"must be an object with start and end (code points, end exclusive), not {fields.json_type(value)}")


QUOTE: Final = {
    "start": Spec("quote_start", fields.offset),
    "end": Spec("quote_end", fields.offset),
}


def claim_specs(now: dt.datetime) -> dict[str, Spec]:
    """Claim keys; ``recorded`` defaults to the moment of the import."""
    return {
        "id": _id(),
        "text": Spec("text", checked(validate.CLAIM_CHECKS["text"]), REQUIRED),
        "source": Spec("source", fields.reference, REQUIRED, ref="sources"),
        "report": Spec("report", fields.reference, None, ref="reports"),
        "quote": Spec("quote", _quote_object, nested=QUOTE),
        "kind": Spec("kind", choice(vocab.CLAIM_KINDS), "event"),
        "claimed": Spec("claimed", fields.date),
        "event": Spec("event", _event_object, nested=EVENT),
        "places": Spec("places", fields.references, (), ref="places"),
        "credibility": Spec("credibility", fields.whole_choice(tuple(vocab.CREDIBILITY))),
        "likelihood": Spec("likelihood", choice(tuple(vocab.LIKELIHOOD))),
        "verdict": Spec("verdict", choice(vocab.VERDICTS)),
        "reviewed": Spec("reviewed", fields.boolean, False),
        "tags": Spec("tags", fields.labels, ()),
        "notes": Spec("notes", checked(validate.CLAIM_CHECKS["notes"]), ""),
        "recorded": Spec("recorded", fields.timestamp, now),
    }


def link_specs(now: dt.datetime, analyst: str) -> dict[str, Spec]:
    """Link keys; ``analyst`` defaults to whoever imports, ``recorded`` to the moment of the import."""
    return {
        "from": Spec("from", fields.reference, REQUIRED, ref="claims"),
        "to": Spec("to", fields.reference, REQUIRED, ref="claims"),
        "relation": Spec("relation", choice(vocab.RELATIONS), REQUIRED),
        "rationale": Spec("rationale", checked(validate.LINK_CHECKS["rationale"]), ""),
        "analyst": Spec("analyst", _one_line, analyst),
        "recorded": Spec("recorded", fields.timestamp, now),
    }


OUTREACH: Final = {
    "id": _id(),
    "party": Spec("party", checked(validate.OUTREACH_CHECKS["party"]), REQUIRED),
    "by": Spec("by", fields.reference, None, ref="sources"),
    "contacted": Spec("contacted", fields.date),
    "about": Spec("about", fields.references, (), ref="claims"),
    "status": Spec("status", choice(vocab.OUTREACH_STATUSES), "pending"),
    "response": Spec("response", checked(validate.OUTREACH_CHECKS["response"])),
}


def template(specs: dict[str, Spec]) -> dict[str, Any]:
    """Column → default for every optional key, nested ones included: the start of each parsed row."""
    row: dict[str, Any] = {}
    for spec in specs.values():
        if spec.nested is not None:
            row.update(template(spec.nested))
        elif spec.default is not REQUIRED:
            row[spec.column] = spec.default
    return row
