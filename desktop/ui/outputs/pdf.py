"""The brief as PDF, laid out by ``QTextDocument`` and written by ``QPdfWriter`` (Qt's own PDF writer).

The page is the HTML brief (``desktop.core.outputs.brief_html``) with its style
sheet as the document's default, inserted part by part so a long brief reports
progress as it is laid out. From the command line there is no application
object: ``ensure_gui`` makes an offscreen ``QGuiApplication`` (fonts and layout
need one; no window is ever shown, no display is needed).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import (
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from desktop.core.errors import UserError
from desktop.core.outputs import STYLE, Brief
from desktop.core.outputs.brief_html import iter_body_parts
from desktop.core.progress import Progress

_app: QGuiApplication | None = None  # kept alive for the life of the process (CLI only)


def ensure_gui() -> None:
    """An application object for layout, offscreen when the process has none (the command line)."""
    global _app
    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["crosscheck", "-platform", "offscreen"])


def brief_document(brief: Brief, progress: Progress | None = None) -> QTextDocument:
    """The brief as a laid-out rich-text document (A4 pages once printed)."""
    ensure_gui()
    document = QTextDocument()
    document.setDefaultStyleSheet(STYLE)
    document.setDocumentMargin(0)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, brief.title)
    cursor = QTextCursor(document)
    total, done = brief.total, 0
    for index, part in enumerate(iter_body_parts(brief)):  # each part made as it is laid out
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if index:  # a fresh block: inserted HTML would otherwise run into the previous part's last paragraph
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        cursor.insertHtml(part)  # escaped by body_parts; Qt never sees workspace text as markup
        done += part.count("<blockquote>")
        if progress is not None:
            progress("laying out the PDF", min(done, total) / max(total, 1))
    return document


def write_pdf(brief: Brief, path: Path, progress: Progress | None = None) -> None:
    """Write the brief as a PDF at ``path`` (atomically: a failure leaves no half-written file)."""
    document = brief_document(brief, progress)
    partial = path.with_name(path.name + ".partial")
    try:
        # Opened here first: a folder that is missing or not writable is one line naming the file asked
        # for, where QPdfWriter would only print "QPainter::begin(): Returned false" and write nothing.
        partial.touch()
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        writer = QPdfWriter(str(partial))
        writer.setTitle(brief.title)
        writer.setCreator("Crosscheck")
        writer.setResolution(300)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(18, 16, 18, 16),
                QPageLayout.Unit.Millimeter,
            )
        )
        if progress is not None:
            progress("writing the PDF", 1.0)
        document.print_(writer)
        del writer  # flushes and closes the file
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def pdf_bytes(brief: Brief, scratch: Path, progress: Progress | None = None) -> bytes:
    """The PDF as bytes (for standard output), written through a scratch file."""
    write_pdf(brief, scratch, progress)
    try:
        return scratch.read_bytes()
    finally:
        scratch.unlink(missing_ok=True)
