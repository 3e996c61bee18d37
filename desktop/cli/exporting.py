"""``crosscheck export``: the claims a filter finds, as of a moment, in any of the export formats.

``json`` (the interchange document; without a filter or an as-of time, the
canonical byte-stable export), ``csv``, ``stix`` (STIX 2.1), ``claimreview``
(schema.org JSON-LD), and a brief as ``markdown``, ``html`` or ``pdf`` (see
``desktop.core.outputs``). Only ``pdf`` loads Qt, offscreen, for its layout.

The format is ``--format`` when given, else the one the ``-o`` file's extension
names (``claims.csv`` → CSV), else JSON; an extension that names no format is an
error rather than a guess.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop.cli.as_of import AS_OF_HELP, copy_as_of, moment, patched_as_of, replay_as_of
from desktop.cli.base import workspace
from desktop.cli.importing import TerminalProgress
from desktop.core.atomic_write import atomic_file, write_atomically

FORMATS = ("json", "csv", "stix", "claimreview", "markdown", "html", "pdf")  # = desktop.core.outputs.FORMATS


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    exp = commands.add_parser(
        "export",
        parents=[common],
        help="export claims: interchange JSON, CSV, STIX 2.1, ClaimReview, or a brief (Markdown, HTML, PDF)",
        description="Write the claims --filter finds (default: all), as the workspace stood --as-of a moment "
        "(default: now): json = the interchange document (importable), csv = a spreadsheet (formula cells "
        "neutralised), stix = a STIX 2.1 bundle, claimreview = schema.org ClaimReview JSON-LD for every claim "
        "with a verdict, markdown/html/pdf = a brief for an editor. The format follows -o's extension when "
        "--format is not given (.json .csv .stix .stix.json .claimreview.json .jsonld .md .html .pdf). "
        "To standard output unless -o is given.",
    )
    exp.add_argument("--format", choices=FORMATS, default=None, help="default: from -o's extension, else json")
    exp.add_argument("--filter", metavar="F", default="", help="the window's filter language, e.g. 'place:bakhmut'")
    exp.add_argument("--as-of", metavar="T", help=AS_OF_HELP)
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    exp.add_argument("--title", default=None, help="the brief's title (default: 'Brief: ' and the workspace)")
    exp.add_argument(
        "--organisation",
        metavar="NAME",
        default=None,
        help="who publishes (ClaimReview author, STIX identity); default: $CROSSCHECK_ORGANISATION, "
        "else the organisation in Preferences",
    )
    exp.add_argument(
        "--organisation-url",
        metavar="URL",
        default=None,
        help="the organisation's web site; default: $CROSSCHECK_ORGANISATION_URL",
    )
    exp.add_argument(
        "--review-url",
        metavar="TEMPLATE",
        default=None,
        help="ClaimReview: each review's page, {id} = the claim's id; default: $CROSSCHECK_REVIEW_URL, "
        "else the organisation's URL with #claim-{id}",
    )
    exp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.outputs import Options, build_brief, format_for, write
    from desktop.core.preferences import read_preferences

    fmt = format_for(args.output, args.format)  # before opening anything: a wrong name changes nothing
    as_of = moment(args.as_of)
    options = Options(
        organisation=args.organisation or os.environ.get("CROSSCHECK_ORGANISATION") or read_preferences().organisation,
        organisation_url=args.organisation_url or os.environ.get("CROSSCHECK_ORGANISATION_URL") or None,
        review_url=args.review_url or os.environ.get("CROSSCHECK_REVIEW_URL") or None,
    )
    progress = TerminalProgress("exporting") if sys.stderr.isatty() else None
    data: bytes | None = None
    with workspace(args, create=False) as opened:
        options = replace(options, title=args.title or f"Brief: {opened.label}")
        if fmt in ("json", "csv") and not args.filter.strip():
            # The whole workspace: the canonical export (byte-for-byte stable, and faster); as of a moment,
            # byte for byte what an export taken then wrote.
            data = _whole(opened.engine, fmt, as_of)
        else:
            selection = _selection(opened.engine, args.filter, as_of, progress)
            if fmt == "pdf":
                data = _pdf(build_brief(selection, options.title, progress=progress), args.output, progress)
            elif args.output in (None, "-"):
                write(selection, fmt, sys.stdout.buffer, options, progress)
                sys.stdout.buffer.flush()
            else:
                with atomic_file(Path(args.output)) as out:  # streamed: a large brief is never whole in memory
                    write(selection, fmt, out, options, progress)
    if progress is not None:
        progress.finish()
    if data is None:  # written already (streamed, or the PDF straight to its file)
        return 0
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(Path(args.output), data)
    return 0


def _selection(engine: Any, filter_text: str, as_of: dt.datetime | None, progress: Any) -> Any:
    """What ``--filter`` finds, as of ``as_of``: over the workspace replayed into a scratch copy (on SQLite a
    copy patched back to the moment), which says what a trail cut short could not replay."""
    from desktop.core.outputs import gather

    if as_of is None:
        return gather(engine, filter_text, progress=progress)
    replayed = copy_as_of(engine, as_of)
    try:
        return gather(engine, filter_text, as_of, progress=progress, scratch=replayed.engine)
    finally:
        replayed.close()


def _whole(engine: Any, fmt: str, as_of: dt.datetime | None) -> bytes:
    from desktop.core.interchange import export_csv, export_json
    from desktop.core.interchange.json_export import canonical_json

    if as_of is None:
        return export_csv(engine) if fmt == "csv" else export_json(engine)
    if fmt == "json":
        patched = patched_as_of(engine, as_of)  # SQLite: the copy's export is the document, byte for byte
        if patched is None:  # the replayed document is the export (no derived columns to compute)
            return (canonical_json(replay_as_of(engine, as_of).document) + "\n").encode("utf-8")
        try:
            return export_json(patched.engine)
        finally:
            patched.close()
    replayed = copy_as_of(engine, as_of)  # the workspace as it stood, with its statuses, read as the live one is
    try:
        return export_csv(replayed.engine)
    finally:
        replayed.close()


def _pdf(brief: Any, output: str | None, progress: Any) -> bytes | None:
    """Qt lays out the PDF; only this format loads it, offscreen, from the command line."""
    import tempfile

    from desktop.ui.outputs.pdf import pdf_bytes, write_pdf

    if output in (None, "-"):
        with tempfile.TemporaryDirectory() as folder:
            return pdf_bytes(brief, Path(folder) / "brief.pdf", progress)
    write_pdf(brief, Path(output), progress)
    return None
