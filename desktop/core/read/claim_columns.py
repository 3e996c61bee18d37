"""The claim table's columns in SQL: what a row reads (``_ROW_COLUMNS``) and what each sort orders by.

``desktop.core.read.paging`` builds its statements from these pieces.
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from desktop.core import schema as _schema  # noqa: F401  (registers the tables in the metadata)
from desktop.core.read.rows import SORTS
from desktop.core.vocab import LIKELIHOOD

_claim: Final = SQLModel.metadata.tables["claim"]
_source: Final = SQLModel.metadata.tables["source"]
_place: Final = SQLModel.metadata.tables["place"]
_claim_place: Final = SQLModel.metadata.tables["claim_place"]
_link: Final = SQLModel.metadata.tables["link"]
_report: Final = SQLModel.metadata.tables["report"]

# A credibility not graded yet sorts after 6 ("cannot be judged") going up.
_UNGRADED: Final = 7

_first_place: Final = (
    sa.select(_place.c.name)
    .select_from(_claim_place.join(_place, _place.c.id == _claim_place.c.place_id))
    .where(_claim_place.c.claim_id == _claim.c.id)
    .order_by(_claim_place.c.position)
    .limit(1)
    .correlate(_claim)
    .scalar_subquery()
)
_place_count: Final = (
    sa.select(sa.func.count())
    .select_from(_claim_place)
    .where(_claim_place.c.claim_id == _claim.c.id)
    .correlate(_claim)
    .scalar_subquery()
)
# Two EXISTS rather than one with OR: each is answered from an index on link (from_id, to_id).
_disputed: Final = sa.or_(
    sa.exists(sa.select(1).where(_link.c.from_id == _claim.c.id, _link.c.disputed.is_(sa.true())).correlate(_claim)),
    sa.exists(sa.select(1).where(_link.c.to_id == _claim.c.id, _link.c.disputed.is_(sa.true())).correlate(_claim)),
)

_report_title: Final = (
    sa.select(_report.c.title).where(_report.c.id == _claim.c.report_id).correlate(_claim).scalar_subquery()
)
# ICD 203 order, weakest first; none last.
_likelihood_rank: Final = sa.case(
    *((_claim.c.likelihood == term, rank) for rank, term in enumerate(LIKELIHOOD, start=1)), else_=len(LIKELIHOOD) + 1
)

# Every sort expression is NOT NULL: a row-value comparison with a NULL in it is
# neither true nor false, and the keyset would silently skip those rows.
# The sorts are named and ordered as the window's claim table shows them as columns (one per
# column; the table takes its columns from ``SORTS``). A new one goes at the end: the table's
# saved column widths and order are by position.
_SORT_EXPRESSIONS: Final[dict[str, tuple[ColumnElement[Any], ...]]] = {
    "text": (sa.func.lower(_claim.c.text, type_=sa.String()),),
    "source": (sa.func.lower(_source.c.name, type_=sa.String()),),
    "side": (_source.c.side, _claim.c.sort_date),
    "date": (_claim.c.sort_date,),
    "place": (sa.func.coalesce(sa.func.lower(_first_place, type_=sa.String()), "", type_=sa.String()),),
    "status": (_claim.c.sort_date,),  # inside each status partition
    "credibility": (sa.func.coalesce(_claim.c.credibility, _UNGRADED, type_=sa.Integer()),),
    "suggested": (_claim.c.suggested_credibility,),
    "links": (_claim.c.link_count,),
    "report": (sa.func.coalesce(sa.func.lower(_report_title, type_=sa.String()), "", type_=sa.String()),),
    "grade": (_source.c.reliability, sa.func.coalesce(_claim.c.credibility, _UNGRADED, type_=sa.Integer())),
    "likelihood": (_likelihood_rank,),
}
#: Every sort a ``View`` may name.
if tuple(_SORT_EXPRESSIONS) != SORTS:  # the table's columns are named by ``rows.SORTS``, read without SQLAlchemy
    raise RuntimeError(f"sort expressions {tuple(_SORT_EXPRESSIONS)} differ from the sorts {SORTS}")
_NEEDS_SOURCE: Final = frozenset({"source", "side", "grade"})


_ROW_COLUMNS: Final = (
    _claim.c.id,
    _claim.c.ext_id,
    _claim.c.text,
    _claim.c.kind,
    _claim.c.source_id,
    _source.c.name,
    _source.c.side,
    _source.c.reliability,
    _claim.c.claimed,
    _claim.c.sort_date,
    _first_place,
    _place_count,
    _claim.c.status,
    _claim.c.verdict,
    _claim.c.verdict_disputed,
    _claim.c.credibility,
    _claim.c.suggested_credibility,
    _claim.c.link_count,
    _claim.c.reviewed,
    _disputed,
    _report_title,
    _claim.c.likelihood,
)
