"""A condition in its fetch and count forms (``_Cond``), with the combinators the compiler uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

# Fields that select claims by their source: resolved to source ids when compiled with a connection.
_SOURCE_FIELDS: Final = ("source", "side", "group")
# What SQLite's planner is told a status (or a few) holds: a sizeable share of the claims, not the
# handful it assumes for an equality on an indexed column without statistics (see _Compiler).
_STATUS_SHARE: Final = "0.25"


def _likely(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``likelihood(condition, 0.25)``: the same truth, with the share SQLite's planner should assume."""
    # Not typed Boolean: SQLAlchemy would compare a Boolean function with 1 on SQLite,
    # and ``likelihood(…) = 1`` is an expression no index can serve.
    share = sa.literal_column(_STATUS_SHARE, sa.Float)
    likely: ColumnElement[bool] = sa.func.likelihood(condition, share, type_=sa.types.NullType())
    return likely


@dataclass(frozen=True)
class _Cond:
    """One condition in the two forms a compile returns (see FilterResult), and how it was planned."""

    fetch: ColumnElement[bool]  # for fetching rows in table order: fitted to the data when probed
    count: ColumnElement[bool]  # the same rows, in the form that counts fastest
    drives: bool = False  # probed and matching few claims: SQLite should start from its index
    # How many claims match, as the probe counted them (under its cap; None: not counted); when
    # ``with_status``, the claims that also have the filter's status (the probe read both at once).
    counted: int | None = None
    with_status: bool = False

    @staticmethod
    def same(condition: ColumnElement[bool]) -> _Cond:
        return _Cond(condition, condition)


def _any_of(alternatives: Sequence[_Cond]) -> _Cond:
    if len(alternatives) == 1:
        return alternatives[0]
    # SQLite can drive an OR from an index per branch only when every branch has one.
    return _combined(sa.or_, alternatives, drives=all(alternative.drives for alternative in alternatives))


def _all_of(conditions: Sequence[_Cond]) -> _Cond:
    return conditions[0] if len(conditions) == 1 else _combined(sa.and_, conditions, drives=False)


def _combined(combine: Any, conditions: Sequence[_Cond], *, drives: bool) -> _Cond:
    fetch = combine(*(condition.fetch for condition in conditions))
    if all(condition.fetch is condition.count for condition in conditions):
        return _Cond(fetch, fetch, drives)  # one object when both forms agree
    return _Cond(fetch, combine(*(condition.count for condition in conditions)), drives)


def _not(condition: _Cond) -> _Cond:
    negated = sa.not_(condition.fetch)
    return _Cond(negated, negated if condition.count is condition.fetch else sa.not_(condition.count))
