"""Filter conditions in forms the claim table's reads recognise (``paging``); each is its condition in SQL.

- ``CountedWhere``: a condition that knows a faster statement counting its rows;
- ``ShapedWhere``: a condition of a known shape with one text value, whose statements are prepared per shape;
- ``NotIndexedOnSqlite``: a column SQLite must not look up through an index.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement, Grouping
from sqlalchemy.sql.visitors import InternalTraversal


class CountedWhere(ColumnElement[bool]):
    """A filter condition over ``claim`` that also knows a faster statement counting its rows.

    In SQL it is exactly ``condition`` (use it as any WHERE clause); ``count`` and
    ``partition_sizes`` (when the view has one partition) run ``count_statement``
    instead, a ``SELECT count(*) …`` that must return the number of claims
    ``condition`` matches. Search builds one for free words alone:
    ``claim.id IN (SELECT rowid FROM claim_fts WHERE claim_fts MATCH ?)`` is
    counted as ``SELECT count(*) FROM claim_fts WHERE claim_fts MATCH ?`` — 7.9
    against 113 ms for a word in a quarter of a million claims.
    """

    __visit_name__ = "counted_where"
    inherit_cache = True
    # Only the condition takes part in statement caching and ``compare``: the
    # count statement is derived from it.
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]
    type = sa.Boolean()

    def __init__(
        self, condition: ColumnElement[bool], count_statement: sa.Select[Any] | Callable[[], sa.Select[Any]]
    ) -> None:
        """``count_statement``: the statement, or what makes it when a count first needs it (a new filter's
        probe has often counted it already: then it is never built)."""
        self.condition = condition
        self._count: sa.Select[Any] | Callable[[], sa.Select[Any]] = count_statement

    @property
    def count_statement(self) -> sa.Select[Any]:
        if not isinstance(self._count, sa.Select):
            self._count = self._count()
        return self._count

    def self_group(self, against: Any = None) -> ColumnElement[Any]:
        return self if self.condition.self_group(against) is self.condition else Grouping(self)


@compiles(CountedWhere)
def _compile_counted_where(element: CountedWhere, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.condition, **kw)


class ShapedWhere(ColumnElement[bool]):
    """A filter condition over ``claim`` that is a known shape with one text value (free words: a MATCH).

    In SQL it is exactly ``condition``. ``shape`` names the form (equal shapes give equal SQL
    for equal values) and ``template()`` builds that form with the value as the bind parameter
    ``SHAPE_VALUE``: on SQLite the top page of such a view is prepared once per shape and sort
    (``read.prepared``) and run with ``value``, so a new search builds and keys no statement for it.
    """

    __visit_name__ = "shaped_where"
    inherit_cache = True
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]
    type = sa.Boolean()

    def __init__(
        self,
        condition: ColumnElement[bool],
        shape: tuple[Any, ...],
        value: str,
        template: Callable[[sa.BindParameter[str]], ColumnElement[bool]],
    ) -> None:
        self.condition = condition
        self.shape = shape
        self.value = value
        self._template = template

    def template(self) -> ColumnElement[bool]:
        return self._template(sa.bindparam(SHAPE_VALUE, None, type_=sa.String()))

    def self_group(self, against: Any = None) -> ColumnElement[Any]:
        return self if self.condition.self_group(against) is self.condition else Grouping(self)


SHAPE_VALUE: Final = "shape_value"


@compiles(ShapedWhere)
def _compile_shaped_where(element: ShapedWhere, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.condition, **kw)


class NotIndexedOnSqlite(ColumnElement[Any]):
    """A column SQLite must not look up through an index: written ``+column`` there (SQLite's own
    way to disqualify a term from index use), as it is elsewhere.

    The side sort joins each claim to its source. Left to itself SQLite walks the claims through
    ``ix_claim_source_id`` for that join and reads every claim's row for its date: 1.9–3.0 s of CPU
    to sort a million claims by side. Kept off that index it scans the covering
    ``ix_claim_source_status_sort`` instead: 0.13 s. A filter's own terms (a source, a word, a
    status) still pick their index; PostgreSQL plans the join by hash either way.
    """

    __visit_name__ = "not_indexed_on_sqlite"
    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(NotIndexedOnSqlite)
def _compile_not_indexed(element: NotIndexedOnSqlite, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(NotIndexedOnSqlite, "sqlite")
def _compile_not_indexed_sqlite(element: NotIndexedOnSqlite, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)
