"""The read side of the claim table: counts, windows of rows, positions — in SQL, never the whole table.

A ``View`` is what the table currently shows: a filter (the ``where`` clause that
``desktop.core.search.compile_filter`` builds over the ``claim`` table) and a sort.
Every function here takes a Connection and a View and runs a few bounded queries,
so the table costs the same at 50 claims and at a million (docs/architecture.md):

- sequential paging is by **keyset**: the rows after a row key ``(k…, id)``,
  written as one row-value comparison (SQLite ≥ 3.15 and PostgreSQL both index it);
- a random jump (dragging the scroll bar) is an ids-only ``OFFSET`` query, which
  the date and status sorts answer from the covering indexes ``ix_claim_sort`` and
  ``ix_claim_status_sort``; the other sorts are allowed to be slower;
- rows are fetched in two steps, ids in sort order first and then the joined row
  for just those ids, so the planner never gets to start from ``source`` and sort
  a million claims to return 256 of them.

The status sort orders by rule order (contested first, docs/status-rules.md, rule 6), not by the
alphabet, and still uses the index: each status is a **partition** queried on
its own (``status = ?`` is an index range), walked in rank order. A row key
therefore starts with the partition's position (always 0 for the other sorts).

Counting a filter can have a faster route than ``SELECT count(*) … WHERE filter``:
a filter wrapped in ``CountedWhere`` (search does this for free words alone,
counted straight from the full-text index) is counted by its own statement
whenever the count needs no partition (every sort but the status sort).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import ColumnElement

from desktop.core.read import prepared, tally
from desktop.core.read.claim_columns import _NEEDS_SOURCE, _ROW_COLUMNS, _SORT_EXPRESSIONS, _claim, _source
from desktop.core.read.prepared import Prepared, driver
from desktop.core.read.rows import SORTS as SORTS  # re-exported: callers read these from paging
from desktop.core.read.rows import ClaimRow as ClaimRow
from desktop.core.read.rows import RowKey as RowKey
from desktop.core.read.rows import View as View
from desktop.core.read.rows import precedes as precedes
from desktop.core.read.where_forms import SHAPE_VALUE, NotIndexedOnSqlite
from desktop.core.read.where_forms import CountedWhere as CountedWhere  # re-exported: callers read these from paging
from desktop.core.read.where_forms import ShapedWhere as ShapedWhere
from desktop.core.vocab import STATUSES


class _Plan:
    """The SQL pieces of one View: its partitions, sort expressions and direction."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.exprs = (*_SORT_EXPRESSIONS[view.sort], _claim.c.id)
        self.statuses: tuple[str, ...] = ()  # the partitions of the status sort, in row order
        self.inner_descending = view.descending
        if view.sort == "status":
            # Rule order (worst first) going "up"; newest first inside a status either way.
            self.statuses = STATUSES[::-1] if view.descending else STATUSES
            self.inner_descending = True

    @property
    def partitions(self) -> range:
        return range(max(1, len(self.statuses)))

    def base(self, *columns: ColumnElement[Any], partition: int | None) -> sa.Select[Any]:
        """``SELECT columns`` over the filtered claims, in one partition (None: all of them)."""
        table: sa.FromClause = _claim
        if self.view.sort in _NEEDS_SOURCE:
            table = _claim.join(_source, _source.c.id == NotIndexedOnSqlite(_claim.c.source_id))
        query = sa.select(*columns).select_from(table)
        if self.view.where is not None:
            query = query.where(self.view.where)
        if self.statuses:
            # A status outside the vocabulary cannot be written (the engine derives it), so the
            # status sort simply leaves such rows out rather than scan the table for them.
            status = _claim.c.status
            query = query.where(status.in_(self.statuses) if partition is None else status == self.statuses[partition])
        return query

    def ordered(self, query: sa.Select[Any], *, reverse: bool = False) -> sa.Select[Any]:
        descending = self.inner_descending != reverse
        return query.order_by(*(e.desc() if descending else e.asc() for e in self.exprs))

    def beyond(self, key: RowKey | None, *, before: bool = False) -> ColumnElement[bool]:
        """Rows strictly after ``key`` inside its partition (``before``: strictly before).

        ``key`` None: the key's values are the parameters ``row_key_0``… given when it runs (``Prepared``).
        """
        row = sa.tuple_(*self.exprs)
        if key is None:
            values = sa.tuple_(*(sa.bindparam(f"row_key_{i}", None, type_=e.type) for i, e in enumerate(self.exprs)))
        else:
            values = sa.tuple_(*(sa.literal(v, type_=e.type) for v, e in zip(key[1:], self.exprs, strict=True)))
        greater_is_later = not self.inner_descending
        return row > values if greater_is_later != before else row < values

    def partition_of(self, status: str) -> int:
        return self.statuses.index(status) if self.statuses else 0


# --- queries -------------------------------------------------------------------------------------


def count(connection: Connection, view: View) -> int:
    """How many claims the view shows."""
    counting = _for_counting(view)
    if counting.where is None and counting.sort != "status":
        return tally.claims(connection)  # kept by triggers (read.tally)
    if isinstance(counting.where, CountedWhere) and counting.sort != "status":
        return int(connection.execute(counting.where.count_statement).scalar_one())
    return int(connection.execute(_Plan(counting).base(sa.func.count(), partition=None)).scalar_one())


def count_and_last_audit(connection: Connection, view: View) -> tuple[int, int]:
    """``count`` of a view sorted in one partition, and the audit trail's last row, in one statement.

    One statement sees one snapshot, so the count is the one that last row leaves whatever the
    transaction's isolation: on PostgreSQL, one round trip where there were two.
    """
    found, last_audit = connection.execute(_count_and_audit_statement(view)).one()
    return int(found), int(last_audit)


def _count_and_audit_statement(view: View) -> sa.Select[Any]:
    counting = _for_counting(view)
    if counting.sort == "status":
        raise ValueError("one count of a view in one partition")
    counted: sa.Select[Any] | sa.TextualSelect
    if counting.where is None:
        from desktop.core.read.first_screen import KEPT_CLAIMS

        counted = sa.text(KEPT_CLAIMS).columns(sa.column("value", sa.Integer))  # the kept number (``tally.claims``)
    elif isinstance(counting.where, CountedWhere):
        counted = counting.where.count_statement
    else:
        counted = _Plan(counting).base(sa.func.count(), partition=None)
    return sa.select(counted.scalar_subquery(), _last_audit())


def _last_audit() -> sa.ScalarSelect[Any]:
    audit = sa.table("audit", sa.column("id"))
    return sa.select(sa.func.coalesce(sa.func.max(audit.c.id), 0)).scalar_subquery()


def count_audit_and_first_rows(
    connection: Connection, view: View, limit: int, *, count: bool = True
) -> tuple[int, int, list[ClaimRow]]:
    """``count_and_last_audit`` and the view's first ``limit`` rows in one round trip, ending the read (PostgreSQL).

    For a view of one partition on PostgreSQL (``_one_trip``): both statements go through psycopg's
    pipeline (``core.pg_pipeline``) with the ``ROLLBACK`` of the caller's snapshot, which has nothing
    left to read. The page is read whatever the count (an empty view's page is empty). ``count``
    False: the audit trail's end only (the count is estimated; 0 stands in for it).
    """
    from desktop.core.pg_pipeline import fetch_together

    plan = _Plan(view)
    if not _one_trip(connection, plan) or limit <= 0:
        raise ValueError("one round trip for a view of one partition on PostgreSQL")
    page = _page_statement(plan, plan.ordered(plan.base(_claim.c.id, partition=0)), limit)
    audited = _count_and_audit_statement(view) if count else sa.select(sa.literal(0), _last_audit())
    counted, rows = fetch_together(connection, [(audited, {}), (page, {})], end=True)
    ((found, last_audit),) = counted.rows
    return int(found), int(last_audit), _claim_rows(plan, rows.rows)


def partition_sizes(connection: Connection, view: View) -> list[int]:
    """Rows per partition (one per status for the status sort, else one): cache it while nothing changes.

    ``fetch_at`` and ``position_of`` need the sizes of the partitions before the one
    they land in; counting a large status costs a scan of its index range.
    """
    if view.sort != "status":
        return [count(connection, view)]
    plan = _Plan(_for_counting(view))
    return [_count_partition(connection, plan, p) for p in plan.partitions]


def _for_counting(view: View) -> View:
    return view if view.count_where is None else replace(view, where=view.count_where, count_where=None)


def fetch_after(connection: Connection, view: View, key: RowKey | None, limit: int) -> list[ClaimRow]:
    """Up to ``limit`` rows strictly after ``key`` in sort order (``key`` None: from the first row)."""
    plan = _Plan(view)
    if _one_trip(connection, plan):
        page = plan.base(_claim.c.id, partition=0)
        return _page_rows(connection, plan, plan.ordered(page if key is None else page.where(plan.beyond(key))), limit)
    return _rows(connection, plan, _ids_after(connection, plan, key, limit))


def fetch_before(connection: Connection, view: View, key: RowKey, limit: int) -> list[ClaimRow]:
    """Up to ``limit`` rows strictly before ``key``, in sort order (scrolling up from a cached window)."""
    plan = _Plan(view)
    if _one_trip(connection, plan):
        page = plan.base(_claim.c.id, partition=0).where(plan.beyond(key, before=True))
        return _page_rows(connection, plan, plan.ordered(page, reverse=True), limit)
    ids: list[int] = []
    for partition in range(key[0], -1, -1):
        query = plan.base(_claim.c.id, partition=partition)
        if partition == key[0]:
            query = query.where(plan.beyond(key, before=True))
        ids.extend(connection.execute(plan.ordered(query, reverse=True).limit(limit - len(ids))).scalars())
        if len(ids) >= limit:
            break
    return _rows(connection, plan, ids[::-1])


def fetch_at(
    connection: Connection, view: View, offset: int, limit: int, sizes: Sequence[int] | None = None
) -> list[ClaimRow]:
    """Up to ``limit`` rows from row ``offset`` on: a random jump, by an ids-only OFFSET query.

    ``sizes``: the view's ``partition_sizes``, if the caller keeps them (else counted here).
    With the sizes known, a row in the far half of its partition is reached from the
    other end (reverse order, the shorter OFFSET): the last row of a million is OFFSET 0
    backwards, not a million index entries stepped through (SQLite does that in ~5 ms,
    PostgreSQL's executor in ~100 ms).
    """
    plan = _Plan(view)
    ids: list[int] = []
    skip = offset
    for partition in plan.partitions:
        size = sizes[partition] if sizes is not None and partition < len(sizes) else None
        if len(plan.partitions) > 1 and not ids:
            # Skip whole partitions by their size instead of OFFSETting through them.
            size = size if size is not None else _count_partition(connection, plan, partition)
            if skip >= size:
                skip -= size
                continue
        want = limit - len(ids)
        base = plan.base(_claim.c.id, partition=partition)
        if size is not None and skip > size // 2:
            end = min(size, skip + want)
            query = plan.ordered(base, reverse=True)
            if _one_trip(connection, plan):
                return _page_rows(connection, plan, query.offset(size - end) if size > end else query, end - skip)
            query = query.limit(max(0, end - skip))
            ids.extend(list(connection.execute(query.offset(size - end) if size > end else query).scalars())[::-1])
        else:
            query = plan.ordered(base)
            if _one_trip(connection, plan):
                return _page_rows(connection, plan, query.offset(skip) if skip else query, want)
            query = query.limit(want)
            ids.extend(connection.execute(query.offset(skip) if skip else query).scalars())
        skip = 0
        if len(ids) >= limit:
            break
    return _rows(connection, plan, ids)


def fetch_ids(connection: Connection, view: View, ids: Iterable[int]) -> dict[int, ClaimRow]:
    """The rows of ``ids`` that exist and the view shows (for repainting changed rows)."""
    wanted = list(ids)
    if not wanted:
        return {}
    plan = _Plan(view)
    if view.where is None and not plan.statuses:
        # Every claim is shown: reading the rows says which exist (one statement, not two — on PostgreSQL a
        # round trip fewer for every change the table repaints).
        return {row.id: row for row in _rows(connection, plan, wanted)}
    shown = plan.base(_claim.c.id, partition=None).where(_claim.c.id.in_(wanted))
    if connection.dialect.name == "postgresql":  # the ids the view shows as a subquery of their rows': one round trip
        found = connection.execute(_rows_statement(plan.view.sort, shown.correlate(None)))
        return {row.id: row for row in _claim_rows(plan, [tuple(r) for r in found])}
    return {row.id: row for row in _rows(connection, plan, list(connection.execute(shown).scalars()))}


def key_of(connection: Connection, view: View, claim_id: int) -> RowKey | None:
    """The row key of ``claim_id`` in this view, or None when it is gone or filtered out."""
    row = fetch_ids(connection, view, [claim_id]).get(claim_id)
    return None if row is None else row.key


def position_of(connection: Connection, view: View, claim_id: int, sizes: Sequence[int] | None = None) -> int | None:
    """The row index of ``claim_id`` in the view (a COUNT of the rows before it), or None."""
    key = key_of(connection, view, claim_id)
    if key is None:
        return None
    plan = _Plan(view)
    if sizes is None:
        sizes = [_count_partition(connection, plan, p) for p in range(key[0])]
    query = plan.base(sa.func.count(), partition=key[0]).where(plan.beyond(key, before=True))
    return sum(sizes[: key[0]]) + int(connection.execute(query).scalar_one())


# Below this share of unreviewed claims, the next one is found faster through the
# ``reviewed`` index (then sorting the few candidates) than by walking the sort order.
_SPARSE_UNREVIEWED: Final = 0.01


def next_unreviewed(connection: Connection, view: View, after: RowKey | None) -> int | None:
    """The id of the next unreviewed claim after ``after`` in sort order, wrapping round; None if none.

    Walking the sort order costs about (rows / unreviewed rows) lookups, so when
    unreviewed claims are rare the ``reviewed`` index goes first; when they are
    common, the comparison is wrapped in ``coalesce`` so no planner prefers that
    index and then sorts a large share of the table for one row.
    """
    plan = _Plan(view)
    column = _claim.c.reviewed
    # Only a ratio is needed: the filter alone, without the status sort's partitions, is cheaper to
    # count, and in its counting form (the fetching form may be fitted to walking the table in order).
    counting = _for_counting(view).where
    everything = sa.select(sa.func.count()).select_from(_claim)
    if counting is not None:
        everything = everything.where(counting)
    waiting = int(connection.execute(everything.where(column == sa.false())).scalar_one())
    if waiting == 0:
        return None
    # Every claim: the kept number (read.tally), not a count of them all.
    total = tally.claims(connection) if counting is None else int(connection.execute(everything).scalar_one())
    sparse = waiting < _SPARSE_UNREVIEWED * total
    unreviewed = column == sa.false() if sparse else sa.func.coalesce(column, sa.true()) == sa.false()
    found = _ids_after(connection, plan, after, 1, unreviewed)
    if not found and after is not None:
        found = _ids_after(connection, plan, None, 1, unreviewed)  # wrap round to the top
    return found[0] if found else None


# --- helpers -------------------------------------------------------------------------------------


def _count_partition(connection: Connection, plan: _Plan, partition: int) -> int:
    return int(connection.execute(plan.base(sa.func.count(), partition=partition)).scalar_one())


def _ids_after(
    connection: Connection, plan: _Plan, key: RowKey | None, limit: int, extra: ColumnElement[bool] | None = None
) -> list[int]:
    # Scrolling runs the keyset statement of one view block after block: on SQLite it is prepared once
    # (``read.prepared``). A statement run once per view (the top of a new filter) is compiled once per
    # shape and run on the driver (``prepared.scalars``).
    raw = driver(connection) if extra is None else None
    shaped = plan.view.where if key is None and isinstance(plan.view.where, ShapedWhere) else None
    ids: list[int] = []
    for partition in range(0 if key is None else key[0], len(plan.partitions)):
        keyed = key is not None and partition == key[0]
        if raw is not None and shaped is not None:  # the top of a search: its shape's statement, prepared once
            top = _prepared_shape(connection, plan, partition, shaped)
            ids.extend(top.scalars(raw, page_limit=limit - len(ids), **{SHAPE_VALUE: shaped.value}))
        elif raw is not None and keyed and key is not None:
            values = {f"row_key_{i}": value for i, value in enumerate(key[1:])}
            ids.extend(
                _prepared_keyset(connection, plan, partition).scalars(raw, page_limit=limit - len(ids), **values)
            )
        else:
            query = plan.base(_claim.c.id, partition=partition)
            if keyed and key is not None:
                query = query.where(plan.beyond(key))
            if extra is not None:
                query = query.where(extra)
            ids.extend(prepared.scalars(connection, plan.ordered(query).limit(limit - len(ids))))
        if len(ids) >= limit:
            break
    return ids


def _prepared_keyset(connection: Connection, plan: _Plan, partition: int) -> Prepared:
    """The ids of a partition in order after a row key, the key and the limit given when it runs."""
    statements = _PREPARED.get(plan.view)
    if statements is None:
        statements = _PREPARED[plan.view] = {}
    found = statements.get(partition)
    if found is None:
        query = plan.base(_claim.c.id, partition=partition).where(plan.beyond(None))
        statement = plan.ordered(query).limit(sa.bindparam("page_limit", 0, type_=sa.Integer()))
        late = ["page_limit", *(f"row_key_{i}" for i in range(len(plan.exprs)))]
        found = statements[partition] = Prepared(statement, connection.dialect, late)
    return found


def _prepared_shape(connection: Connection, plan: _Plan, partition: int, where: ShapedWhere) -> Prepared:
    """The ids of a partition of a view whose filter is ``where``'s shape, in order from the top: the limit
    and ``where``'s value given when it runs; one per shape, sort and direction (per engine's dialect)."""
    statements = _SHAPED.get(connection.dialect)
    if statements is None:
        statements = _SHAPED[connection.dialect] = {}
    view = plan.view
    known = (where.shape, view.sort, view.descending, partition)
    found = statements.get(known)
    if found is None:
        shaped = _Plan(replace(view, where=where.template(), count_where=None))
        statement = shaped.ordered(shaped.base(_claim.c.id, partition=partition))
        statement = statement.limit(sa.bindparam("page_limit", 0, type_=sa.Integer()))
        found = statements[known] = Prepared(statement, connection.dialect, ["page_limit", SHAPE_VALUE])
    return found


_SHAPED: Final[weakref.WeakKeyDictionary[Dialect, dict[tuple[Any, ...], Prepared]]] = weakref.WeakKeyDictionary()

# The keyset statements each view has run as raw SQL on SQLite, by partition, while the view is in use.
_PREPARED: Final[weakref.WeakKeyDictionary[View, dict[int, Prepared]]] = weakref.WeakKeyDictionary()


def _rows_statement(sort: str, ids: Sequence[int] | sa.BindParameter[Any] | sa.Select[Any]) -> sa.Select[Any]:
    """The row columns and the sort's key values of the claims ``ids``."""
    exprs = _SORT_EXPRESSIONS[sort]
    keys = [e.label(f"k{i}") for i, e in enumerate(exprs)]
    return (
        sa.select(*_ROW_COLUMNS, *keys)
        .select_from(_claim.join(_source, _source.c.id == _claim.c.source_id))
        .where(_claim.c.id.in_(ids))
    )


# The row statement of each sort, prepared once per SQLite dialect (an engine's): see ``read.prepared``.
_ROWS_PREPARED: Final[weakref.WeakKeyDictionary[Dialect, dict[str, Prepared]]] = weakref.WeakKeyDictionary()


def _prepared_rows(dialect: Dialect, sort: str) -> Prepared:
    statements = _ROWS_PREPARED.get(dialect)
    if statements is None:
        statements = _ROWS_PREPARED[dialect] = {}
    found = statements.get(sort)
    if found is None:
        ids = sa.bindparam("ids", [0], type_=sa.Integer(), expanding=True)
        found = statements[sort] = Prepared(_rows_statement(sort, ids), dialect, late=["ids"])
    return found


def _one_trip(connection: Connection, plan: _Plan) -> bool:
    """Whether a page of ``plan`` is read as one statement, its ids and rows together (``_page_rows``).

    On PostgreSQL, where each statement is a round trip; for views of one partition (not the status sort).
    """
    return connection.dialect.name == "postgresql" and len(plan.partitions) == 1


def _page_rows(connection: Connection, plan: _Plan, page: sa.Select[Any], limit: int) -> list[ClaimRow]:
    """The full rows of the first ``limit`` ids ``page`` selects (in any order, offset included), in sort order.

    One statement: the ids' query as a subquery (LIMIT/OFFSET kept: PostgreSQL runs it once), its rows
    joined and put in the view's order again — the same sort expressions, so the same order.
    """
    if limit <= 0:
        return []
    return _claim_rows(plan, [tuple(r) for r in connection.execute(_page_statement(plan, page, limit))])


def _page_statement(plan: _Plan, page: sa.Select[Any], limit: int) -> sa.Select[Any]:
    """The rows of ``page``'s first ``limit`` ids, in sort order (``_page_rows``)."""
    return plan.ordered(_rows_statement(plan.view.sort, page.limit(limit).correlate(None)))


def _rows(connection: Connection, plan: _Plan, ids: Sequence[int]) -> list[ClaimRow]:
    """The full rows of ``ids``, in the order given, each with its row key."""
    if not ids:
        return []
    raw = driver(connection)
    if raw is not None:
        found = _prepared_rows(connection.dialect, plan.view.sort).rows(raw, ids=list(ids))
    else:
        found = [tuple(r) for r in connection.execute(_rows_statement(plan.view.sort, ids))]
    by_id = {row.id: row for row in _claim_rows(plan, found)}
    return [by_id[i] for i in ids if i in by_id]


def _claim_rows(plan: _Plan, found: Sequence[tuple[Any, ...]]) -> list[ClaimRow]:
    """``ClaimRow`` of each row of ``_rows_statement``, in the order given."""
    width = len(_ROW_COLUMNS)
    rows: list[ClaimRow] = []
    for v in found:
        rows.append(
            ClaimRow(
                id=v[0],
                ext_id=v[1],
                text=v[2],
                kind=v[3],
                source_id=v[4],
                source_name=v[5],
                source_side=v[6] or "",
                source_reliability=v[7],
                claimed=v[8],
                sort_date=v[9],
                place=v[10],
                place_count=int(v[11] or 0),
                status=v[12],
                verdict=v[13],
                verdict_disputed=bool(v[14]),
                credibility=v[15],
                suggested_credibility=v[16],
                link_count=v[17],
                reviewed=bool(v[18]),
                disputed=bool(v[19]),
                key=(plan.partition_of(v[12]), *v[width:], v[0]),
                report=v[20],
                likelihood=v[21],
            )
        )
    return rows
