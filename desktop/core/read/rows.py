"""The claim table's row and view, as plain values: importable without SQLAlchemy.

``paging`` runs the queries; this module holds what the window's table needs
before any query library is loaded (the first screen at start-up is read with
``sqlite3`` straight away, ``desktop.core.read.first_screen``): the ``ClaimRow``
the table paints, the ``View`` (filter and sort) it shows, the row key that
places a row in a view's order, and the names of the sorts (one per column).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

RowKey = tuple[Any, ...]  # (partition, *sort values, claim id): where a row stands in its View's order

#: Every sort a ``View`` may name, in the claim table's column order (``paging`` holds their SQL;
#: a new one goes at the end: the table's saved column widths and order are by position).
SORTS: Final = (
    "text", "source", "side", "date", "place", "status", "credibility", "suggested", "links", "report", "grade",
    "likelihood",
)  # fmt: skip


@dataclass(frozen=True)
class View:
    """A filter and a sort. ``descending`` on the date sort (the default) means newest first."""

    where: ColumnElement[bool] | None = None
    sort: str = "date"
    descending: bool = True
    # The same rows as ``where`` in the shape SQLite counts fastest (search's ``count_where``):
    # a plan fitted for fetching the first page in order is not the best one for a full count.
    # A ``CountedWhere`` here (or as ``where``) is counted by its own statement when it can be.
    count_where: ColumnElement[bool] | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}; one of {', '.join(SORTS)}")


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One row of the claim table, as plain values."""

    id: int
    ext_id: str
    text: str
    kind: str
    source_id: int
    source_name: str
    source_side: str  # "" = unaligned
    source_reliability: str
    claimed: date | None
    sort_date: date
    place: str | None  # the first place, if any
    place_count: int
    status: str
    verdict: str | None
    verdict_disputed: bool
    credibility: int | None
    suggested_credibility: int
    link_count: int
    reviewed: bool
    key: RowKey
    disputed: bool = False  # analysts' judgements disagree on one of its links (DESIGN §2)
    report: str | None = None  # the title of the report it was captured from
    likelihood: str | None = None  # ICD 203 term (assessments)

    @property
    def grade(self) -> str:
        """The Admiralty grade in its compact form: source reliability and information credibility (``B2``)."""
        return f"{self.source_reliability}{self.credibility if self.credibility is not None else '–'}"


def precedes(view: View, a: RowKey, b: RowKey) -> bool:
    """Whether key ``a`` sorts before key ``b``: in Python, for cache bookkeeping (approximate for text)."""
    if a[0] != b[0]:
        return bool(a[0] < b[0])
    inner_descending = True if view.sort == "status" else view.descending
    return bool(a[1:] > b[1:]) if inner_descending else bool(a[1:] < b[1:])
