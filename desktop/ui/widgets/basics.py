"""Small widgets and helpers shared by the detail pane and the dialogs.

Plain labels, inline problem messages, safe tooltips and URLs, the grading
choices, and the parsing of typed dates and labels (and the day an event
date's phrase stands for). All text that came from a workspace is shown as
plain text (docs/architecture.md).

The commit-on-Enter editors (and the promises they keep) are in
``field_editors``; ``FittedList`` is in ``fitted_list``; the searching
pickers for sources and reports are in ``search_picker``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
    QWidget,
)

from desktop.core import vocab
from desktop.core.text import typed_quote
from desktop.ui.widgets.plain_text import plain_tooltip

__all__ = ["plain_tooltip"]  # re-exported: the widgets import it from here

# Readable on light and dark backgrounds alike.
PROBLEM_COLOUR = "#d9534f"


# Choices for the grading combos, shared by the pane and the dialogs. None first: "not graded".
CREDIBILITY_CHOICES: list[tuple[str, Any]] = [("— not graded", None)] + [
    (f"{grade} — {label}", grade) for grade, label in vocab.CREDIBILITY.items()
]
LIKELIHOOD_CHOICES: list[tuple[str, Any]] = [("— none", None)] + [
    (f"{term} / {vocab.LIKELIHOOD_PAIRS[term]} ({low}–{high} %)", term)
    for term, (low, high) in vocab.LIKELIHOOD.items()
]
VERDICT_CHOICES: list[tuple[str, Any]] = [("none", None)] + [(verdict, verdict) for verdict in vocab.VERDICTS]
KIND_CHOICES: list[tuple[str, Any]] = [(kind, kind) for kind in vocab.CLAIM_KINDS]
PRECISION_CHOICES: list[tuple[str, Any]] = [("—", None)] + [(p, p) for p in vocab.PRECISIONS]


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A label that never interprets its text as HTML (workspace text is untrusted)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


class ElidedLabel(QLabel):
    """One line of plain text, elided with "…" to the width it gets: never widens the pane (URLs, titles).

    ``mode`` is where the "…" goes: in the middle (a URL keeps its host and its end) or at the end.
    """

    def __init__(self, parent: QWidget | None = None, *, mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split())
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        elided = self.fontMetrics().elidedText(self._full, self._mode, max(self.width(), 40))
        if elided != self.text():
            self.setText(elided)


def problem_label(parent: QWidget | None = None) -> QLabel:
    """An inline message under a field: hidden until there is a problem to show."""
    label = plain_label("", parent, wrap=True)
    label.setStyleSheet(f"color: {PROBLEM_COLOUR};")
    label.setVisible(False)
    return label


def show_problem(label: QLabel, message: str | None) -> None:
    """Show ``message`` on ``label`` as a sentence, or hide it (None or empty).

    Store messages start lower-case ("claim text must not be empty") to read well
    after a prefix; on a problem line of their own they start with a capital.
    """
    label.setText(f"⚠ {message[:1].upper()}{message[1:]}" if message else "")
    label.setVisible(bool(message))


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    scheme = QUrl(url.strip()).scheme().lower()
    return scheme in ("http", "https")


def open_web_url(url: str | None) -> bool:
    """Open ``url`` in the browser only if it is http(s); anything else (file:, javascript:, …) is refused."""
    if url is None or not is_web_url(url):
        return False
    return QDesktopServices.openUrl(QUrl(url.strip(), QUrl.ParsingMode.StrictMode))


def parse_date(value: str) -> dt.date | None:
    """An ISO date typed by the analyst; empty means none. Raises ValueError with a message fit to show."""
    stripped = value.strip()
    if not stripped:
        return None
    try:
        return dt.date.fromisoformat(stripped)
    except ValueError:
        raise ValueError(f"{typed_quote(stripped)} is not a date: write it as YYYY-MM-DD (e.g. 2022-12-14)") from None


def day_hint(typed: str, claimed: dt.date | None) -> str:
    """Beside an event date typed as a phrase ("yesterday", "3 March"), the day it stands for, counted from
    ``claimed`` as ``typed_day`` reads it: "= 2022-12-14, Wednesday". Empty for a plain date, an empty field
    or a typo (the refusal says what is wrong when the field is committed)."""
    from desktop.core.capture.dates import typed_day  # not at import: capture's package loads SQLAlchemy

    try:
        day = typed_day(typed, claimed)
    except ValueError:
        return ""
    return f"= {day.isoformat()}, {day:%A}" if day is not None and day.isoformat() != typed.strip() else ""


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def parse_labels(value: str) -> list[str]:
    """Comma-separated labels (tags, aliases): trimmed, empty ones dropped, first spelling of duplicates kept."""
    seen: set[str] = set()
    labels: list[str] = []
    for part in value.split(","):
        label = part.strip()
        if label and label not in seen:
            seen.add(label)
            labels.append(label)
    return labels
