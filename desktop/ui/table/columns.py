"""The claim table's columns: their headers and tips, the sort each names, and what each cell shows.

Every status reads without colour: a glyph of its own shape plus its name
(``desktop.ui.table.status_style``); the analyst's verdict comes first when set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from desktop.core import vocab
from desktop.core.read.rows import SORTS, ClaimRow
from desktop.ui.table.status_style import status_label, status_tooltip
from desktop.ui.widgets.plain_text import plain_tooltip


@dataclass(frozen=True)
class Column:
    header: str  # short, to keep the column narrow
    name: str  # in the columns menu (View > Columns, the header's right click)
    tip: str  # the header's tooltip, the menu entry's status tip


# What each column is called, by the sort it offers. The columns and their order are the core's
# sorts (``rows.SORTS``: one per column, new ones at the end), so the two cannot drift apart.
_COLUMNS: Final = {
    "text": Column("Claim", "Claim", "What the source asserts"),
    "source": Column("Source", "Source", "Who asserts it (the originator, not the outlet that relayed it)"),
    "side": Column("Side", "Side", "The source's side; blank when unaligned"),
    "date": Column("Date", "Date", "When it was claimed (italic: not given, the day it was recorded)"),
    "place": Column("Place", "Place", "Where it happened (first place; +N more)"),
    "status": Column(
        "Status",
        "Status",
        "Derived from the links (docs/status-rules.md); the analyst's verdict comes first when set",
    ),
    "credibility": Column(
        "Cred.", "Credibility (your grade)", "Your credibility grade, Admiralty 1 (confirmed) – 6 (cannot be judged)"
    ),
    "suggested": Column(
        "Sugg.", "Suggested credibility", "The credibility the status suggests (1 corroborated … 6 unverified)"
    ),
    "links": Column("Links", "Links", "How many links this claim has"),
    "report": Column("Report", "Report", "The report it was captured from (Q opens it at the quote)"),
    "grade": Column(
        "Grade",
        "Grade (Admiralty, e.g. B2)",
        "Admiralty grade: the source's reliability (A–F) and your credibility grade (1–6), e.g. B2",
    ),
    "likelihood": Column("Likelihood", "Likelihood", "ICD 203 likelihood (assessments)"),
}
if set(_COLUMNS) != set(SORTS):
    raise RuntimeError(f"claim table columns {sorted(_COLUMNS)} differ from the sorts {sorted(SORTS)}")

SORT_OF_COLUMN: Final = SORTS
COLUMN_COUNT: Final = len(SORT_OF_COLUMN)
HEADERS: Final = tuple(_COLUMNS[key].header for key in SORT_OF_COLUMN)
HEADER_TIPS: Final = tuple(_COLUMNS[key].tip for key in SORT_OF_COLUMN)
#: The columns menu's names (the headers are short to keep the columns narrow).
COLUMN_NAMES: Final = tuple(_COLUMNS[key].name for key in SORT_OF_COLUMN)

COL_TEXT: Final = SORT_OF_COLUMN.index("text")
COL_SOURCE: Final = SORT_OF_COLUMN.index("source")
COL_SIDE: Final = SORT_OF_COLUMN.index("side")
COL_DATE: Final = SORT_OF_COLUMN.index("date")
COL_PLACE: Final = SORT_OF_COLUMN.index("place")
COL_STATUS: Final = SORT_OF_COLUMN.index("status")
COL_CREDIBILITY: Final = SORT_OF_COLUMN.index("credibility")
COL_SUGGESTED: Final = SORT_OF_COLUMN.index("suggested")
COL_LINKS: Final = SORT_OF_COLUMN.index("links")
COL_REPORT: Final = SORT_OF_COLUMN.index("report")
COL_GRADE: Final = SORT_OF_COLUMN.index("grade")
COL_LIKELIHOOD: Final = SORT_OF_COLUMN.index("likelihood")

NUMERIC_COLUMNS: Final = frozenset({COL_CREDIBILITY, COL_SUGGESTED, COL_LINKS})
#: Shown only when the analyst asks (View > Columns, or a right click on the header): a review pass
#: reads the claim text, and these would squeeze it (the detail pane shows them for the current claim).
HIDDEN_BY_DEFAULT: Final = frozenset({COL_SUGGESTED, COL_REPORT, COL_GRADE, COL_LIKELIHOOD})


def _more_places(row: ClaimRow) -> str:
    """What follows a claim's first place: " +N" for its N other places ("" when it has none)."""
    return f" +{row.place_count - 1}" if row.place is not None and row.place_count > 1 else ""


def _place_text(row: ClaimRow) -> str:
    return "" if row.place is None else row.place + _more_places(row)


# What each cell shows, by column (the delegate paints exactly this); tooltips have the rest.
_CELL_TEXT: Final[dict[str, Callable[[ClaimRow], str]]] = {
    "text": lambda r: " ".join(r.text.split()),  # one line: the table's rows have a fixed height
    "source": lambda r: r.source_name,
    "side": lambda r: r.source_side,
    "date": lambda r: (r.claimed or r.sort_date).isoformat(),
    "place": _place_text,
    "status": lambda r: status_label(r.status, r.verdict, r.verdict_disputed),
    "credibility": lambda r: "" if r.credibility is None else str(r.credibility),
    "suggested": lambda r: str(r.suggested_credibility),
    "links": lambda r: (str(r.link_count) if r.link_count else "") + (" ⚑" if r.disputed else ""),
    "report": lambda r: " ".join((r.report or "").split()),
    "grade": lambda r: r.grade,
    "likelihood": lambda r: r.likelihood or "",
}
_DISPLAY: Final = tuple(_CELL_TEXT[key] for key in SORT_OF_COLUMN)


def display_text(row: ClaimRow, column: int) -> str:
    """What cell ``column`` of ``row`` shows (the delegate paints exactly this)."""
    return _DISPLAY[column](row) if 0 <= column < COLUMN_COUNT else ""


def kept_whole(row: ClaimRow, column: int) -> str:
    """The end of cell ``column``'s text that eliding keeps whole: the place's " +N" (the count tells more than
    the rest of the name, which the tooltip gives). The links' count comes first in its cell and needs none."""
    return _more_places(row) if column == COL_PLACE else ""


def tooltip(row: ClaimRow, column: int) -> str | None:
    if column == COL_TEXT:
        return plain_tooltip(row.text)
    if column in (COL_SOURCE, COL_SIDE):
        side = row.source_side or "unaligned"
        reliability = vocab.RELIABILITY.get(row.source_reliability, "")
        return plain_tooltip(f"{row.source_name}\nside: {side}\nreliability: {row.source_reliability} {reliability}")
    if column == COL_DATE:
        return f"claimed {row.claimed}" if row.claimed else f"no claimed date: recorded {row.sort_date}"
    if column == COL_PLACE:
        return plain_tooltip(
            f"{row.place} and {row.place_count - 1} more" if row.place_count > 1 else row.place or "no place"
        )
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
        return plain_tooltip(row.report) if row.report else "not captured from a report"
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
