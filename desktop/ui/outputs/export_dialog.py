"""File → Export brief…: the brief (or a STIX bundle, or ClaimReview) of the table's filter, from the window.

The dialog asks for the format, the claims (the table's filter, editable), the
moment (empty = now), the title, and for the formats that name a publisher, the
organisation (the Preferences' one, and what is typed here is kept there). The file
is written on a worker thread behind a progress dialog whose Cancel stops it
(nothing is left behind: files are written whole or not at all), so 100,000
claims never freeze the window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from desktop.core.errors import UserError
from desktop.core.preferences import ORGANISATION
from desktop.core.progress import Cancelled
from desktop.ui.settings import app_settings, read_text
from desktop.ui.widgets.basics import problem_label, show_problem

FORMATS: Final = (
    ("pdf", "Brief — PDF", ".pdf"),
    ("html", "Brief — HTML page", ".html"),
    ("markdown", "Brief — Markdown", ".md"),
    ("stix", "STIX 2.1 bundle (for partners)", ".stix.json"),
    ("claimreview", "ClaimReview JSON-LD (verdicts, for publishing)", ".jsonld"),
)
ORGANISATION_URL: Final = "export/organisation_url"
REVIEW_URL: Final = "export/review_url"
LAST_FORMAT: Final = "export/format"
_NOT_IN_A_NAME = re.compile(r"[^\w-]+")


def file_stem(title: str) -> str:
    """The file name a brief's title suggests: words joined by single hyphens ("Brief: workspace" → Brief-workspace)."""
    return _NOT_IN_A_NAME.sub("-", title.strip()).strip("-_")[:60].rstrip("-_") or "brief"


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    filter: str
    as_of: str
    title: str
    organisation: str
    organisation_url: str
    review_url: str
    path: Path


class ExportDialog(QDialog):
    """Asks what to export; ``request(path)`` gives the answers once accepted."""

    def __init__(self, filter_text: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export brief")
        settings = app_settings()
        self.format = QComboBox()
        for fmt, label, _suffix in FORMATS:
            self.format.addItem(label, fmt)
        last = read_text(settings, LAST_FORMAT, "pdf")
        self.format.setCurrentIndex(max(0, self.format.findData(last)))
        self.filter = QLineEdit(filter_text)
        self.filter.setPlaceholderText("every claim (or the filter language: status:contested place:bakhmut …)")
        self.as_of = QLineEdit()
        self.as_of.setPlaceholderText("now (or 2022-12-15, 2022-12-15T12:00:00Z)")
        self.title = QLineEdit(title)
        self.organisation = QLineEdit(read_text(settings, ORGANISATION))
        self.organisation.setPlaceholderText("your desk or newsroom (ClaimReview author, STIX identity)")
        self.organisation_url = QLineEdit(read_text(settings, ORGANISATION_URL))
        self.organisation_url.setPlaceholderText("https://… (its web site)")
        self.review_url = QLineEdit(read_text(settings, REVIEW_URL))
        self.review_url.setPlaceholderText("https://…/checks/{id} (ClaimReview page of each claim)")
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&Claims:", self.filter)
        form.addRow("&As of:", self.as_of)
        form.addRow("&Title:", self.title)
        form.addRow("&Organisation:", self.organisation)
        form.addRow("Organisation &URL:", self.organisation_url)
        form.addRow("&Review page URL:", self.review_url)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.problem = problem_label(self)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def accept(self) -> None:
        # What would only fail once a file was chosen and the job ran (then as a status-bar line, with
        # everything typed here gone) is said here, on the field to correct.
        field, message = self._refusal()
        show_problem(self.problem, message)
        if field is not None:
            field.setFocus()
            return
        super().accept()

    def _refusal(self) -> tuple[QLineEdit | None, str | None]:
        """The field that cannot be exported as typed, and why; ``(None, None)`` when all can."""
        from desktop.core import search
        from desktop.core.history import BadMoment, parse_moment

        if self.filter.text().strip() and (errors := search.parse(self.filter.text()).errors):
            return self.filter, "Claims: " + " · ".join(errors)
        if self.as_of.text().strip():
            try:
                parse_moment(self.as_of.text(), option="As of")
            except BadMoment as error:
                return self.as_of, str(error)
        if self.chosen_format() == "claimreview":
            if not self.organisation.text().strip():
                return self.organisation, "ClaimReview names the organisation that publishes the reviews: type it"
            template = self.review_url.text().strip()
            if template and "{id}" not in template:
                return self.review_url, "Review page URL must contain {id}, e.g. https://example.org/checks/{id}"
            if not template and not self.organisation_url.text().strip():
                return self.review_url, (
                    "ClaimReview needs a page for each review: a Review page URL with {id}, or the Organisation URL"
                )
        return None, None

    def chosen_format(self) -> str:
        return str(self.format.currentData())

    def suffix(self) -> str:
        return next(s for f, _label, s in FORMATS if f == self.chosen_format())

    def request(self, path: Path) -> ExportRequest:
        settings = app_settings()
        settings.setValue(LAST_FORMAT, self.chosen_format())
        settings.setValue(ORGANISATION, self.organisation.text().strip())
        settings.setValue(ORGANISATION_URL, self.organisation_url.text().strip())
        settings.setValue(REVIEW_URL, self.review_url.text().strip())
        return ExportRequest(
            fmt=self.chosen_format(),
            filter=self.filter.text(),
            as_of=self.as_of.text().strip(),
            title=self.title.text().strip() or "Brief",
            organisation=self.organisation.text().strip(),
            organisation_url=self.organisation_url.text().strip(),
            review_url=self.review_url.text().strip(),
            path=path,
        )


class ExportJob(QObject):
    """Builds and writes one export on a pool thread; progress and the outcome cross back as signals."""

    progressed = Signal(str, float)
    done = Signal(object)  # the path written
    failed = Signal(object)  # the exception

    def __init__(self, engine: Engine, request: ExportRequest) -> None:
        super().__init__()
        self.engine, self.request = engine, request
        self.cancelled = False

    def _progress(self, step: str, fraction: float) -> None:
        if self.cancelled:
            raise Cancelled("export cancelled: nothing was written")
        self.progressed.emit(step, fraction)

    def run(self) -> None:
        try:
            self.done.emit(self._write())
        except Exception as error:  # noqa: BLE001 — handed to the window's thread, which decides
            self.failed.emit(error)

    def _write(self) -> Path:
        from desktop.core.atomic_write import atomic_file
        from desktop.core.history import parse_moment
        from desktop.core.outputs import Options, build_brief, gather, write

        r = self.request
        as_of = parse_moment(r.as_of) if r.as_of else None
        options = Options(
            title=r.title,
            organisation=r.organisation,
            organisation_url=r.organisation_url or None,
            review_url=r.review_url or None,
        )
        selection = gather(self.engine, r.filter, as_of, progress=self._progress)
        if r.fmt == "pdf":
            from desktop.ui.outputs.pdf import write_pdf

            # Painting on a QPdfWriter (like on a QImage) is allowed off the GUI thread, and so is laying out a
            # QTextDocument that no widget shows.
            write_pdf(build_brief(selection, r.title, progress=self._progress), r.path, self._progress)
        else:
            with atomic_file(r.path) as out:  # streamed; a cancel (raised from _progress) leaves no file
                write(selection, r.fmt, out, options, self._progress)
        return r.path


class ExportRunner(QObject):
    """Runs the dialog, then the job behind a cancellable progress dialog; reports through ``finished``."""

    finished = Signal(str)  # a line for the status bar ("" when nothing was done)
    problem = Signal(str)  # a user error, in one line

    def __init__(self, engine: Engine, parent: QWidget) -> None:
        super().__init__(parent)
        self.engine = engine
        self.parent_widget = parent
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.job: ExportJob | None = None
        self.progress: QProgressDialog | None = None

    def ask(self, filter_text: str, title: str, folder: str) -> ExportRequest | None:
        dialog = ExportDialog(filter_text, title, self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        stem = file_stem(dialog.title.text())
        suffix = dialog.suffix()
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget, "Export to", str(Path(folder) / f"{stem}{suffix}"), f"{suffix[1:].upper()} (*{suffix})"
        )
        if not path:
            return None
        target = Path(path)
        if not target.name.lower().endswith(suffix):
            target = target.with_name(target.name + suffix)
        return dialog.request(target)

    def start(self, request: ExportRequest) -> None:
        job = ExportJob(self.engine, request)
        progress = QProgressDialog(f"Exporting {request.path.name}…", "Cancel", 0, 1000, self.parent_widget)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(lambda: setattr(job, "cancelled", True))
        job.progressed.connect(lambda step, fraction: self._show(step, fraction))
        job.done.connect(self._done)
        job.failed.connect(self._failed)
        self.job, self.progress = job, progress
        self.pool.start(job.run)

    def _show(self, step: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress.setLabelText(f"Exporting: {step}…")
            self.progress.setValue(int(fraction * 1000))

    def _end(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.job = None

    def _done(self, path: Path) -> None:
        self._end()
        self.finished.emit(f"Exported to {path}")

    def _failed(self, error: Exception) -> None:
        self._end()
        if isinstance(error, UserError):
            self.problem.emit(str(error))
            return
        raise error  # a bug: the window's exception hook shows it

    def wait(self) -> None:
        """Block until a running export has finished (closing the window, tests)."""
        self.pool.waitForDone()
