"""Reading a file as reports, and importing any file ``crosscheck import`` accepts (DESIGN §4).

The size is checked before anything is read whole, and again per kind once the
kind is known: a workspace document may be large (``MAX_DOCUMENT_BYTES``), a
Telegram export moderately so, a page, a feed or a text file not. Every reader
finishes before anything is written; the write is one transaction. So a file
that is too large, damaged or of no known kind writes nothing at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from desktop.core.capture.drafts import CaptureError, ReportDraft, make_draft
from desktop.core.capture.sniff import Kind, sniff
from desktop.core.errors import UserError
from desktop.core.interchange.json_import import MAX_DOCUMENT_BYTES, import_json
from desktop.core.progress import Progress
from desktop.core.store import Store

MIB: Final = 2**20
# A single page, feed or text beyond these is not a report but a mistake (a log, a dump, a video).
LIMITS: Final = {
    Kind.WORKSPACE: MAX_DOCUMENT_BYTES,
    Kind.TELEGRAM: 256 * MIB,
    Kind.FEED: 32 * MIB,
    Kind.HTML: 16 * MIB,
    Kind.TEXT: 8 * MIB,
}


@dataclass
class ImportedFile:
    """What one ``import_file`` did, for the window's message and the command line's output."""

    kind: Kind
    summary: str
    reports: list[int] = field(default_factory=list)  # new report ids (reports kinds only)
    counts: dict[str, int] = field(default_factory=dict)  # entities added, by section


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    location = Path(path)
    try:
        size = location.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise CaptureError(f"{location.name} is too large ({size / MIB:,.0f} MiB); nothing was imported")
        return location.read_bytes()
    except IsADirectoryError:
        raise CaptureError(f"{location} is a folder, not a file") from None
    except FileNotFoundError as exc:
        raise CaptureError(f"{location}: {exc.strerror or 'No such file or directory'}") from None
    except PermissionError:
        raise CaptureError(f"{location} cannot be read (permission denied)") from None
    except OSError as exc:
        raise CaptureError(f"{location} cannot be read: {exc.strerror or exc}") from None


def read_reports(data: bytes, name: str = "the file") -> tuple[Kind, list[ReportDraft]]:
    """The kind of ``data`` and, unless it is a workspace document, its report drafts."""
    kind, decoded = sniff(data)
    limit = LIMITS[kind]
    if len(data) > limit:
        raise CaptureError(
            f"{name} is too large for {kind.value} ({len(data) / MIB:,.1f} MiB; at most {limit / MIB:,.0f} MiB); "
            "nothing was imported"
        )
    if kind is Kind.WORKSPACE:
        return kind, []
    if kind is Kind.TELEGRAM:
        from desktop.core.capture.telegram import read_telegram

        return kind, read_telegram(decoded)
    if kind is Kind.FEED:
        from desktop.core.capture.feeds import read_feed

        return kind, read_feed(data)
    if kind is Kind.HTML:
        from desktop.core.capture.html import read_html

        return kind, [read_html(data, where=name)]
    return kind, [make_draft(_decode_text(data, name), where=name)]


def import_file(
    store: Store, path: str | os.PathLike[str], *, publisher: str | None = None, progress: Progress | None = None
) -> ImportedFile:
    """Import the file at ``path`` into ``store``'s workspace, all or nothing.

    ``publisher`` names the source of reports whose file names none (``--source``).
    """
    location = Path(path)
    return import_bytes(store, read_bytes(location), location.name, publisher=publisher, progress=progress)


def import_bytes(
    store: Store, data: bytes, name: str, *, publisher: str | None = None, progress: Progress | None = None
) -> ImportedFile:
    """``import_file`` for content already read (standard input, the clipboard); ``name`` is for messages."""
    kind, drafts = read_reports(data, name)
    if kind is Kind.WORKSPACE:
        if publisher:
            raise UserError("--source names the publisher of reports; a workspace document names its own sources")
        counts = import_json(store.engine, data, analyst=store.analyst, progress=progress)
        return ImportedFile(kind, f"imported {counts.summary()}", counts=counts.as_dict())
    result = store.create_reports(drafts, publisher=publisher)
    reports: list[int] = result.value
    noun = "report" if len(reports) == 1 else "reports"
    return ImportedFile(kind, f"imported {len(reports):,} {noun} from {kind.value}", reports, {"reports": len(reports)})


def _decode_text(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptureError(
            f"{name} is not UTF-8 text (bad byte at offset {exc.start:,}); save it as UTF-8 and try again"
        ) from None
