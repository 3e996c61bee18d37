"""The claim table's columns: their headers and tips, the sort each names, and what each cell shows.

Every status reads without colour: a glyph of its own shape plus its name
(``desktop.ui.table.status_style``); the analyst's verdict comes first when set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from desktop.core import vocab
from desktop.core.read.paging import ClaimRow
from desktop.ui.table.status_style import status_label, status_tooltip
from desktop.ui.widgets.plain_text import plain_tooltip

(
    COL_TEXT,
    COL_SOURCE,
    COL_SIDE,
    COL_DATE,
    COL_PLACE,
    COL_STATUS,
    COL_CREDIBILITY,
    COL_SUGGESTED,
    COL_LINKS,
    COL_REPORT,
    COL_GRADE,
    COL_LIKELIHOOD,
) = range(12)
COLUMN_COUNT: Final = 12
# New columns go at the end: saved column widths and order are by position.
HEADERS: Final = (
    "Claim",
    "Source",
    "Side",
    "Date",
    "Place",
    "Status",
    "Cred.",
    "Sugg.",
    "Links",
    "Report",
    "Grade",
    "Likelihood",
)
HEADER_TIPS: Final = (
    "What the source asserts",
    "Who asserts it (the originator, not the outlet that relayed it)",
    "The source's side; blank when unaligned",
    "When it was claimed (italic: not given, the day it was recorded)",
    "Where it happened (first place; +N more)",
    "Derived from the links (docs/status-rules.md); the analyst's verdict comes first when set",
    "Your credibility grade, Admiralty 1 (confirmed) – 6 (cannot be judged)",
    "The credibility the status suggests (1 corroborated … 6 unverified)",
    "How many links this claim has",
    "The report it was captured from (Q opens it at the quote)",
    "Admiralty grade: the source's reliability (A–F) and your credibility grade (1–6), e.g. B2",
    "ICD 203 likelihood (assessments)",
)
SORT_OF_COLUMN: Final = (
    "text",
    "source",
    "side",
    "date",
    "place",
    "status",
    "credibility",
    "suggested",
    "links",
    "report",
    "grade",
    "likelihood",
)
NUMERIC_COLUMNS: Final = frozenset({COL_CREDIBILITY, COL_SUGGESTED, COL_LINKS})
#: The columns menu's names (the headers are short to keep the columns narrow).
COLUMN_NAMES: Final = (
    "Claim",
    "Source",
    "Side",
    "Date",
    "Place",
    "Status",
    "Credibility (your grade)",
    "Suggested credibility",
    "Links",
    "Report",
    "Grade (Admiralty, e.g. B2)",
    "Likelihood",
)
#: Shown only when the analyst asks (View > Columns, or a right click on the header): a review pass
#: reads the claim text, and these would squeeze it (the detail pane shows them for the current claim).
HIDDEN_BY_DEFAULT: Final = frozenset({COL_SUGGESTED, COL_REPORT, COL_GRADE, COL_LIKELIHOOD})


def _rich(text: str) -> str:
    """A tooltip of untrusted text: escaped, bounded, and marked rich so Qt wraps it instead of guessing."""
    return plain_tooltip(text)


def _place_text(row: ClaimRow) -> str:
    if row.place is None:
        return ""
    return row.place if row.place_count <= 1 else f"{row.place} +{row.place_count - 1}"


_DISPLAY: Final[tuple[Callable[[ClaimRow], str], ...]] = (
    lambda r: " ".join(r.text.split()),  # one line: the table's rows have a fixed height
    lambda r: r.source_name,
    lambda r: r.source_side,
    lambda r: (r.claimed or r.sort_date).isoformat(),
    _place_text,
    lambda r: status_label(r.status, r.verdict, r.verdict_disputed),
    lambda r: "" if r.credibility is None else str(r.credibility),
    lambda r: str(r.suggested_credibility),
    lambda r: (str(r.link_count) if r.link_count else "") + (" ⚑" if r.disputed else ""),
    lambda r: " ".join((r.report or "").split()),
    lambda r: r.grade,
    lambda r: r.likelihood or "",
)


def display_text(row: ClaimRow, column: int) -> str:
    """What cell ``column`` of ``row`` shows (the delegate paints exactly this)."""
    return _DISPLAY[column](row) if 0 <= column < COLUMN_COUNT else ""


def tooltip(row: ClaimRow, column: int) -> str | None:
    if column == COL_TEXT:
        return _rich(row.text)
    if column in (COL_SOURCE, COL_SIDE):
        side = row.source_side or "unaligned"
        reliability = vocab.RELIABILITY.get(row.source_reliability, "")
        return _rich(f"{row.source_name}\nside: {side}\nreliability: {row.source_reliability} {reliability}")
    if column == COL_DATE:
        return f"claimed {row.claimed}" if row.claimed else f"no claimed date: recorded {row.sort_date}"
    if column == COL_PLACE:
        return _rich(f"{row.place} and {row.place_count - 1} more" if row.place_count > 1 else row.place or "no place")
    if column == COL_STATUS:
        return status_tooltip(row.status, row.verdict, row.verdict_disputed)
    if column == COL_CREDIBILITY:
        if row.credibility is None:
            return "not graded yet (press 1–6)"
        return f"{row.credibility} {vocab.CREDIBILITY.get(row.credibility, '')} (your grade)"
    if column == COL_SUGGESTED:
        grade = row.suggested_credibility
        return f"{grade} {vocab.CREDIBILITY.get(grade, '')}: suggested because the claim is {row.status}"
    if column == COL_LINKS:
        links = f"{row.link_count} link{'s' if row.link_count != 1 else ''}"
        return links + ("; ⚑ analysts disagree on a link (disagree:yes finds them all)" if row.disputed else "")
    if column == COL_REPORT:
        return _rich(row.report) if row.report else "not captured from a report"
    if column == COL_GRADE:
        reliability = vocab.RELIABILITY.get(row.source_reliability, "")
        credibility = vocab.CREDIBILITY.get(row.credibility, "not graded") if row.credibility else "not graded"
        return f"{row.grade}: source {reliability}; information {credibility}"
    if column == COL_LIKELIHOOD:
        if row.likelihood is None:
            return "no likelihood"
        low, high = vocab.LIKELIHOOD.get(row.likelihood, (0, 0))
        return f"{row.likelihood} / {vocab.LIKELIHOOD_PAIRS.get(row.likelihood, '')} ({low}–{high} %)"
    return None
