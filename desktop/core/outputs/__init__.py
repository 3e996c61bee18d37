"""Handing work on: every ``crosscheck export`` format over a filtered, as-of selection (DESIGN §4, §8).

- ``gather(engine, filter, as_of)`` → ``Selection`` (``selection.py``): the claims
  the window's filter language finds, as the workspace stood at ``as_of``.
- ``write(selection, fmt, out, options)`` streams every format but ``pdf`` to a
  binary file (the brief and STIX piece by piece, never whole in memory);
  ``render(selection, fmt, options)`` gives the same as bytes:
  ``json`` (the interchange document cut to the selection; importable), ``csv``,
  ``stix`` (``stix.py``), ``claimreview`` (``claimreview.py``), ``markdown`` and
  ``html`` (``brief.py``, ``brief_html.py``). The PDF is the HTML brief laid out
  by Qt's own PDF writer, so it lives outside the core (``desktop/ui/outputs``).
- ``format_for(path, given)``: the format named, else the one ``-o``'s extension implies.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from desktop.core.errors import UserError
from desktop.core.interchange.csv_export import COLUMNS, neutralise
from desktop.core.interchange.json_export import canonical_json
from desktop.core.outputs.brief import Brief, brief_markdown, build_brief, markdown_chunks
from desktop.core.outputs.brief_html import (
    EPILOGUE,
    PROLOGUE_END,
    PROLOGUE_START,
    STYLE,
    body_parts,
    brief_html,
    html_chunks,
)
from desktop.core.outputs.claimreview import export_claimreview
from desktop.core.outputs.selection import Selection, gather
from desktop.core.outputs.stix import write_stix
from desktop.core.progress import Progress

FORMATS: Final = ("json", "csv", "stix", "claimreview", "markdown", "html", "pdf")
EXTENSIONS: Final = {
    ".json": "json",
    ".csv": "csv",
    ".stix": "stix",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".jsonld": "claimreview",
}
#: Longer suffixes first: ``brief.stix.json`` is STIX, ``x.claimreview.json`` ClaimReview.
COMPOUND_EXTENSIONS: Final = {".stix.json": "stix", ".claimreview.json": "claimreview"}


@dataclass(frozen=True)
class Options:
    """What some formats need beyond the selection."""

    title: str = "Brief"
    organisation: str = ""
    organisation_url: str | None = None
    review_url: str | None = None  # ClaimReview page URL template with {id}


def format_for(output: str | None, given: str | None) -> str:
    """``given`` when named; else the format ``output``'s extension names; else (standard output) JSON.

    An output file whose extension names no format is an error rather than a guess."""
    if given:
        return given
    if output in (None, "-"):
        return "json"
    name = Path(str(output)).name.lower()
    for suffix, fmt in COMPOUND_EXTENSIONS.items():
        if name.endswith(suffix):
            return fmt
    suffix = Path(name).suffix
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    named = f"the extension {suffix!r}" if suffix else "no extension"
    raise UserError(f"{output} has {named}, which names no export format: give --format ({'|'.join(FORMATS)})")


def render(selection: Selection, fmt: str, options: Options = Options(), progress: Progress | None = None) -> bytes:
    """The selection in ``fmt`` (any of ``FORMATS`` except ``pdf``) as bytes."""
    out = io.BytesIO()
    write(selection, fmt, out, options, progress)
    return out.getvalue()


def write(
    selection: Selection, fmt: str, out: BinaryIO, options: Options = Options(), progress: Progress | None = None
) -> None:
    """Write the selection in ``fmt`` (any of ``FORMATS`` except ``pdf``) to ``out``, streaming what is large."""
    if fmt == "json":
        out.write((canonical_json(selection.document) + "\n").encode("utf-8"))
    elif fmt == "csv":
        out.write(_csv(selection))
    elif fmt == "stix":
        organisation = options.organisation or "Crosscheck"
        write_stix(
            lambda text: out.write(text.encode("utf-8")),
            selection,
            organisation,
            organisation_url=options.organisation_url,
            progress=progress,
        )
    elif fmt == "claimreview":
        out.write(
            export_claimreview(
                selection,
                options.organisation,
                organisation_url=options.organisation_url,
                url_template=options.review_url,
            )
        )
    elif fmt in ("markdown", "html"):
        brief = build_brief(selection, options.title, progress=progress)
        for chunk in markdown_chunks(brief) if fmt == "markdown" else html_chunks(brief):
            out.write(chunk.encode("utf-8"))
        if progress is not None:
            progress("writing the brief", 1.0)
    else:
        raise UserError(f"the core cannot write {fmt!r}; the formats are {', '.join(FORMATS)}")


def _csv(selection: Selection) -> bytes:
    """The CSV export (``interchange.csv_export``'s columns and safety) restricted to the selection, with the
    status and suggested credibility derived as of the selection's moment."""
    sources = selection.by_id("sources")
    reports = selection.by_id("reports")
    places = selection.by_id("places")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for c in selection.document["claims"]:
        source = sources[c["source"]]
        event = c["event"] or {}
        derivation = selection.derivations.get(c["id"])
        row = [
            c["id"],
            c["text"],
            source["name"],
            source["side"] or "",
            reports[c["report"]]["title"] if c["report"] else "",
            c["kind"],
            c["claimed"] or "",
            event.get("start") or "",
            event.get("end") or "",
            event.get("precision") or "",
            "; ".join(places[p]["name"] for p in c["places"]),
            "" if c["credibility"] is None else str(c["credibility"]),
            str(derivation.suggested_credibility if derivation else 6),
            derivation.status if derivation else "unverified",
            c["verdict"] or "",
            c["likelihood"] or "",
            "yes" if c["reviewed"] else "no",
            "; ".join(c["tags"]),
            c["notes"],
            c["recorded"],
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8")


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Brief",
    "Options",
    "Progress",
    "Selection",
    "brief_html",
    "brief_markdown",
    "build_brief",
    "format_for",
    "gather",
    "body_parts",
    "EPILOGUE",
    "PROLOGUE_END",
    "PROLOGUE_START",
    "STYLE",
    "render",
    "write",
]
