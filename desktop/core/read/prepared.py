"""Statements compiled by SQLAlchemy once and then run straight on SQLite's driver (``sqlite3``).

The claim table runs the same few statements at every step — count the view, the
ids of a page, the rows of those ids — and through SQLAlchemy each one costs
0.1–0.3 ms of Python before SQLite sees it and after it answers (a cache key
walked over the whole filter, an execution context, a result object, a type
processor per value), several times what SQLite itself takes for a page. A
``Prepared`` statement is compiled once, with SQLAlchemy's own compiler and bind
processors (so the SQL and the values SQLite receives are exactly those
SQLAlchemy would send), and is then run as ``sqlite3.Connection.execute(sql,
params)``; its rows pass through the columns' own result processors (dates
come back as ``datetime.date``, as they do through SQLAlchemy).

Only SQLite: ``driver`` returns None for any other back end, and the caller
takes its SQLAlchemy path — PostgreSQL's behaviour does not change. The
statement runs inside the Connection's transaction (``driver`` begins it the way
``Connection.execute`` would, through the engine's ``begin`` hook, so several
reads still see one snapshot). User text still reaches SQL only as bound
parameters: nothing here renders a value into the SQL text that SQLAlchemy would
not render itself (``literal_execute`` lists of integers).
"""

from __future__ import annotations

import sqlite3
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.compiler import SQLCompiler

_Processor = Callable[[Any], Any] | None


def driver(connection: Connection) -> sqlite3.Connection | None:
    """The ``sqlite3`` connection under ``connection``, inside its transaction; None on other back ends."""
    if connection.dialect.name != "sqlite":
        return None
    if not connection.in_transaction():
        connection.begin()  # as execute() would: the engine's begin hook issues BEGIN (one read snapshot)
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


class Prepared:
    """One statement compiled for SQLite: run it with ``rows`` or ``scalars``, giving values for its late parameters.

    ``late``: names of bind parameters whose values are given at each run (a row
    key, a list of ids for an ``expanding`` parameter); every other parameter
    keeps the value it had when the statement was prepared.
    """

    def __init__(self, statement: sa.Select[Any], dialect: Dialect, late: Sequence[str] = ()) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler) and compiled.positional
        self._compiled = compiled
        self._values = compiled.construct_params(escape_names=False)
        self._late = frozenset(late)
        self._expands = bool(compiled.literal_execute_params or compiled.post_compile_params)
        self._expanded_late = any(name in self._late for name in self._postcompiled_names())
        values: Mapping[str, Any]
        if self._expands and not self._expanded_late:
            self._sql, self._names, self._processors, values = self._expand(self._values)
        else:
            self._sql, self._names = compiled.string, compiled.positiontup or []
            self._processors = dict(compiled._bind_processors)
            values = self._values
        self._fixed = self._processed(values, self._names, self._processors)
        self._results: list[_Processor] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in statement.selected_columns
        ]
        self._converting = [(i, p) for i, p in enumerate(self._results) if p is not None]

    def _postcompiled_names(self) -> list[str]:
        compiled = self._compiled
        return [b.key for b in (*compiled.literal_execute_params, *compiled.post_compile_params)]

    def _expand(self, values: Mapping[str, Any]) -> tuple[str, Sequence[str], dict[str, Any], dict[str, Any]]:
        """What SQLAlchemy does at execution for ``expanding`` and ``literal_execute`` parameters:
        the SQL, the parameters' names in order, their processors and their values (the expanded ones added)."""
        expanded = dict(values)
        state = self._compiled._process_parameters_for_postcompile(expanded)
        processors = dict(self._compiled._bind_processors)
        processors.update(state.processors)
        return state.statement, state.positiontup or [], processors, expanded

    def _processed(self, values: Mapping[str, Any], names: Sequence[str], processors: Mapping[str, Any]) -> list[Any]:
        return [processors[name](values[name]) if name in processors else values.get(name) for name in names]

    def execute(self, raw: sqlite3.Connection, **late: Any) -> sqlite3.Cursor:
        """Run it on ``raw`` (``driver``); ``late``: this run's values of the late parameters."""
        if late.keys() != self._late:
            raise ValueError(f"values for {sorted(self._late)} are needed, got {sorted(late)}")
        if not late:
            return raw.execute(self._sql, self._fixed)
        if self._expanded_late:
            sql, names, processors, values = self._expand({**self._values, **late})
            return raw.execute(sql, self._processed(values, names, processors))
        params = list(self._fixed)
        for at, name in enumerate(self._names):
            if name in late:
                value = late[name]
                processor = self._processors.get(name)
                params[at] = processor(value) if processor is not None else value
        return raw.execute(self._sql, params)

    def rows(self, raw: sqlite3.Connection, **late: Any) -> list[tuple[Any, ...]]:
        """Its rows, each value as SQLAlchemy would return it (the columns' result processors applied)."""
        fetched = self.execute(raw, **late).fetchall()
        if not self._converting:
            return fetched
        converted = []
        for row in fetched:
            values = list(row)
            for at, processor in self._converting:
                values[at] = processor(values[at])
            converted.append(tuple(values))
        return converted

    def scalars(self, raw: sqlite3.Connection, **late: Any) -> list[Any]:
        """The first column of its rows (processed)."""
        processor = self._results[0] if self._results else None
        values = [row[0] for row in self.execute(raw, **late)]
        return values if processor is None else [processor(value) for value in values]


# Statements run once per view (the top page of a new filter, the compiler's probes), compiled once per
# shape: SQLAlchemy's cache key of the statement names its shape (its values apart), per engine's dialect.
_SHAPES: Final[weakref.WeakKeyDictionary[Dialect, OrderedDict[Any, tuple[SQLCompiler, _Processor]]]] = (
    weakref.WeakKeyDictionary()
)
_SHAPES_KEPT: Final = 128  # a few dozen filters' worth, least recently used dropped


def scalars(connection: Connection, statement: sa.Select[Any]) -> list[Any]:
    """``connection.execute(statement).scalars().all()``, straight through ``sqlite3`` on SQLite.

    A statement built afresh each time (a new filter's) still costs SQLAlchemy an execution
    context, a result object and its compiled-cache look-up on every run; here the compiled
    form is looked up by the statement's own cache key (the key SQLAlchemy's cache uses, so two
    statements share a compiled form only where SQLAlchemy would), its values taken from the key
    and processed as SQLAlchemy would, expanding parameters included. Other back ends, and
    statements SQLAlchemy will not cache, take SQLAlchemy's path.
    """
    raw = driver(connection)
    key = statement._generate_cache_key() if raw is not None else None
    if raw is None or key is None:
        return list(connection.execute(statement).scalars())
    compiled, processor = _compiled_shape(connection.dialect, statement, key)
    values = compiled.construct_params(extracted_parameters=key.bindparams, escape_names=False)
    processors: Mapping[str, Any] = compiled._bind_processors
    if compiled.literal_execute_params or compiled.post_compile_params:
        state = compiled._process_parameters_for_postcompile(values)
        sql, names = state.statement, state.positiontup or []
        processors = {**processors, **state.processors}
    else:
        sql, names = compiled.string, compiled.positiontup or []
    params = [processors[name](values[name]) if name in processors else values[name] for name in names]
    found = [row[0] for row in raw.execute(sql, params)]
    return found if processor is None else [processor(value) for value in found]


def _compiled_shape(dialect: Dialect, statement: sa.Select[Any], key: Any) -> tuple[SQLCompiler, _Processor]:
    """The compiled form of ``statement``'s shape (``key``) and its first column's result processor."""
    shapes = _SHAPES.get(dialect)
    if shapes is None:
        shapes = _SHAPES[dialect] = OrderedDict()
    found = shapes.get(key.key)
    if found is not None:
        shapes.move_to_end(key.key)
        return found
    compiled = statement.compile(dialect=dialect, cache_key=key)
    assert isinstance(compiled, SQLCompiler) and compiled.positional
    first = statement.selected_columns[0].type
    shapes[key.key] = found = (compiled, first.dialect_impl(dialect).result_processor(dialect, None))
    while len(shapes) > _SHAPES_KEPT:
        shapes.popitem(last=False)
    return found
