"""A quick estimate of how many claims a filter matches, where the exact count is slow (PostgreSQL).

The table needs the number of rows a filter shows for its scroll bar and its "N
claims" label. SQLite counts a word in its full-text index's own lists; on
PostgreSQL the word index (GIN) can only say which rows may match, and every one of
them is then visited to be counted: a word in a quarter of a million claims takes
300–500 ms to count, where its first page takes 2 ms. So on PostgreSQL a filter the
planner expects to match many claims is first *estimated* here, the table shows its
first page with "about N", and the exact count follows from a background connection
(``desktop.ui.table.exact_count``). Only filters on words are estimated: the others
(status, sources, dates…) are counted from their indexes in a few milliseconds.

The estimate is a count over a sample of the table's pages (``TABLESAMPLE SYSTEM``,
about ``SAMPLE_ROWS`` claims, the same pages each time: 2–4 ms at a million claims),
scaled up; the planner's own figure for a word is often off by half or more (a
prefix, a key it has no statistic for). Only filters the planner expects to match
more than ``ESTIMATE_ABOVE`` claims are sampled, and when the sample finds fewer
than that the caller counts exactly after all (it is cheap then): a rare word is
never shown as "about".
"""

from __future__ import annotations

import json
import time
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import SQLModel

from desktop.core import schema as _schema  # noqa: F401  (registers the tables in the metadata)
from desktop.core.read import tally
from desktop.core.read.rows import View

_claim: Final = SQLModel.metadata.tables["claim"]

ESTIMATE_ABOVE: Final = 5_000  # matches below which an exact count costs a few milliseconds: count it
PLANNED_KEPT_S: Final = 300.0  # how long a planner's estimate is kept (``planned_rows``)
_PLANNED: dict[tuple[object, ...], tuple[float, float]] = {}  # statement → (rows, when); the oldest go first
SAMPLE_ROWS: Final = 2_000  # claims the sample reads (their pages), whatever the workspace's size


def estimated_count(connection: Connection, view: View) -> int | None:
    """About how many claims ``view`` shows, or None when it should be counted exactly now.

    None on SQLite, without a filter (PostgreSQL keeps the number of all claims), for the
    status sort (counted per status), and for a filter that matches few claims.
    """
    if connection.dialect.name != "postgresql" or view.sort == "status":
        return None
    where = view.count_where if view.count_where is not None else view.where  # its counting form
    if where is None or not _reads_word_index(where):
        return None  # other filters are counted from an index alone (a few ms for thousands of claims)
    if planned_rows(connection, sa.select(_claim.c.id).where(where)) <= ESTIMATE_ABOVE:
        return None
    estimate = sampled_count(connection, where)
    return None if estimate <= ESTIMATE_ABOVE else estimate


def sampled_count(connection: Connection, where: ColumnElement[bool]) -> int:
    """About how many claims ``where`` (a condition over ``claim``) matches, from a sample of the table (PostgreSQL).

    The same pages each time (a fixed seed): one filter gets one estimate, and its pages stay cached.
    """
    claims = tally.claims(connection)
    percent = min(100.0, 100.0 * SAMPLE_ROWS / max(1, claims))
    # Named as the table itself: the filter's word condition names ``claim`` in SQL text.
    sample = _claim.tablesample(sa.func.system(percent), name="claim", seed=sa.literal(1))
    sampled = sa.select(sa.func.count()).select_from(sample).where(ClauseAdapter(sample).traverse(where))
    found = int(connection.execute(sampled).scalar_one())
    return min(round(found * 100.0 / percent), claims)


def _reads_word_index(where: ColumnElement[bool]) -> bool:
    """Whether ``where`` matches words (``claim.search @@ …``, in any subquery): counting it visits every match."""
    return any(isinstance(getattr(element, "type", None), TSVECTOR) for element in visitors.iterate(where))


def matches_at_least(connection: Connection, where: ColumnElement[bool], threshold: int) -> bool:
    """Whether ``where`` (over ``claim``) matches ``threshold`` claims or more, cheaply (PostgreSQL's plans).

    Where the planner expects fewer, the matches are counted up to ``threshold`` (a rare word:
    a fraction of a millisecond; the planner takes a word it has no figure for for a few
    thousand claims, so this also catches its underestimates); where it expects more, the
    sample says (``sampled_count``: a word in one claim of a hundred costs a capped count of
    10–20 ms, the sample 2 ms).
    """
    if planned_rows(connection, sa.select(_claim.c.id).where(where)) < threshold:
        capped = sa.select(_claim.c.id).where(where).limit(threshold).subquery()
        return int(connection.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one()) >= threshold
    return sampled_count(connection, where) >= threshold


def planned_rows(connection: Connection, statement: sa.Select[tuple[int]]) -> float:
    """The planner's estimate of the rows ``statement`` returns (a plan, nothing run).

    Kept a few minutes per statement and workspace: a filter asks it when it is compiled and
    again when the table counts it (one round trip each), and the planner's figures change
    only when PostgreSQL analyses the table again.
    """
    # Keyed by SQLAlchemy's cache key (the statement's shape) and its values: compiling the statement
    # only to look it up cost more than the lookup saves (a filter asks twice).
    cache_key = statement._generate_cache_key()
    if cache_key is None:
        compiled_key: tuple[object, ...] = (None, str(_compile(connection, statement)))
    else:
        compiled_key = (cache_key.key, tuple(repr(b.effective_value) for b in cache_key.bindparams))
    key = (str(connection.engine.url), *compiled_key)
    kept = _PLANNED.get(key)
    now = time.monotonic()
    if kept is not None and now - kept[1] < PLANNED_KEPT_S:
        return kept[0]
    compiled = _compile(connection, statement)
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    rows = float(plan[0]["Plan"]["Plan Rows"])
    _PLANNED[key] = (rows, now)
    while len(_PLANNED) > 64:
        _PLANNED.pop(next(iter(_PLANNED)))
    return rows


def _compile(connection: Connection, statement: sa.Select[tuple[int]]) -> Any:
    return statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
