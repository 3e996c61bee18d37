"""The interchange format's fixed vocabulary (docs/formats.md): name, version, sections and key order.

The importer and the exporter both read these tuples, so the canonical key order
of an exported document and the set of fields the importer accepts cannot drift
apart.
"""

from __future__ import annotations

from typing import Final

FORMAT: Final = "crosscheck-workspace"
VERSION: Final = 2  # what export writes: links are analysts' judgements, several per pair (DESIGN §3)
READABLE_VERSIONS: Final = (1, 2)  # what import accepts: a version 1 document is a valid version 2 one

# Sections in document order; each entity's keys in the order of the docs/formats.md example.
SOURCE_KEYS: Final = ("id", "name", "kind", "side", "group", "reliability", "url", "aliases", "notes")
REPORT_KEYS: Final = ("id", "title", "source", "url", "published", "language", "text", "retrieved", "sha256")
PLACE_KEYS: Final = ("id", "name", "aliases", "region", "lat", "lon")
CLAIM_KEYS: Final = (
    "id",
    "text",
    "source",
    "report",
    "quote",
    "kind",
    "claimed",
    "event",
    "places",
    "credibility",
    "likelihood",
    "verdict",
    "reviewed",
    "tags",
    "notes",
    "recorded",
)
EVENT_KEYS: Final = ("start", "end", "precision")
QUOTE_KEYS: Final = ("start", "end")
LINK_KEYS: Final = ("from", "to", "relation", "rationale", "analyst", "recorded")
OUTREACH_KEYS: Final = ("id", "party", "by", "contacted", "about", "status", "response")

SECTIONS: Final = ("sources", "reports", "places", "claims", "links", "outreach")
TOP_KEYS: Final = ("format", "version", *SECTIONS)

# What each section's entities are called in messages ("unknown source 'x'").
SINGULAR: Final = {
    "sources": "source",
    "reports": "report",
    "places": "place",
    "claims": "claim",
    "links": "link",
    "outreach": "request for comment",
}

TIMESTAMP_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"
