"""Compiling a parsed filter to SQLAlchemy conditions per dialect, fitting the plan to the data (SQLite)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from desktop.core import (
    search as _package,  # the thresholds are read from the package at call time (tests patch them there)
)
from desktop.core import vocab
from desktop.core.read import prepared, tally
from desktop.core.read.where_forms import CountedWhere, ShapedWhere
from desktop.core.search.changes import changed_claims
from desktop.core.search.conditions import _SOURCE_FIELDS, _all_of, _any_of, _Cond, _likely, _not
from desktop.core.search.model import FieldTerm, FilterResult, ParsedFilter, Term
from desktop.core.search.parsing import _tokens, parse
from desktop.core.search.places import PlaceNames
from desktop.core.search.postgres_words import document_words
from desktop.core.search.sources import _Catalog, _source_catalog
from desktop.core.search.sql import (
    FTS_CAPPED,
    _alias_values,
    _escape_like,
    _fold_sql,
    _fts_count,
    _fts_ids,
    _fts_phrase,
    _like_contains,
    _like_prefix,
    _name_condition,
    _param,
    _place_name_condition,
    _source_name_matches,
    _tagged,
    _words_in,
    claim,
    claim_place,
    fts_match,
    link,
    outreach,
    outreach_claim,
    place,
    place_alias,
    report,
    source,
)
from desktop.core.text import fold


class _Compiler:
    """Builds the condition for one dialect; with a connection, resolves sources and (SQLite) picks plans.

    **Sources.** ``source:``, ``side:`` and ``group:`` compare folded names, and
    folding in SQL means calling the Python ``cc_fold`` on every source row, in
    every statement that uses the filter (≈10 ms per value at 3,000 sources). Given
    a connection, the compiler reads the source table once (``_source_catalog``),
    compares in Python and emits ``claim.source_id IN (ids)``, which the index
    ``ix_claim_source_status_sort`` (migration 0003) answers, with a status filter
    too. The ids are those of the moment of compiling: a source added or renamed
    later joins the filter when it is compiled again. Without a connection the
    same comparison is a subquery over ``source`` (valid on its own, but slow).

    **Plans (SQLite).** SQLite drives a query from ``column IN (subquery)``
    whenever it can, as if the subquery returned a handful of rows. For a rare
    word that is ideal; for a word in half the claims it fetches and sorts 500,000
    rows to show the first 100 (≈150 ms at 1M claims, and again for every page
    scrolled). Then the better plan is to walk the claims in table order and test
    each against the subquery's result, which the ``+ 0`` forces (an expression
    cannot use an index). Which case holds is known only from the data, so the
    subquery is probed, capped at ``SCAN_THRESHOLD`` rows (well under a
    millisecond). Counting is the exception: it is always fastest driven from the
    subquery, hence ``count_where``.

    Without statistics SQLite also takes ``status = ?`` for a handful of rows and
    prefers walking ``ix_claim_status_sort`` (rows already in order) to starting
    from the few claims of a rare word, place or source and sorting them: 20–30 ms
    where 0.2 ms would do. So when a probed condition matches few claims, the status
    condition is wrapped in ``likelihood(…, 0.25)``, which tells the planner what
    a status really holds; it still uses the status column of an index when that
    helps (``ix_claim_source_status_sort``).
    """

    def __init__(self, dialect_name: str, connection: Connection | None) -> None:
        self.dialect_name = dialect_name
        self.connection = connection  # reads the source table (any dialect)
        self.fits = connection is not None and dialect_name == "sqlite"  # probes, for SQLite's planner
        self._catalog: list[_Catalog] = []  # filled on first use, shared with unfitted()
        self._versions: list[dict[str, int | None]] = []  # PostgreSQL: ``tally.versions``, read once, shared

    def unfitted(self) -> _Compiler:
        """The same compiler without probes: for conditions that can never drive a query (negated ones)."""
        plain = copy.copy(self)
        plain.fits = False
        return plain

    def catalog(self) -> _Catalog:
        assert self.connection is not None
        if not self._catalog:
            self._catalog.append(_source_catalog(self.connection, self.versions().get("sources")))
        return self._catalog[0]

    def versions(self) -> dict[str, int | None]:
        """The versions of the sources and the gazetteer (PostgreSQL), one read for the whole filter."""
        assert self.connection is not None
        if self.dialect_name != "postgresql":
            return {}
        if not self._versions:
            self._versions.append(tally.versions(self.connection))
        return self._versions[0]

    # --- planning ---

    def member(
        self,
        column: ColumnElement[int],
        subquery: sa.Select[Any],
        probe: sa.Select[Any] | None = None,
        *,
        claims_once: bool = False,
        found: int | None = None,
    ) -> _Cond:
        """``column IN (subquery)``; ``probe`` selects one row per matching claim (default: ``subquery``).

        ``claims_once``: the probe's rows are claims, each once, so under its cap it counted the condition.
        ``found``: the probe's capped count, when the caller ran it already (``fts_terms``).
        """
        plain = column.in_(subquery)
        if not self.fits:
            return _Cond.same(plain)
        if found is None:
            found = self._capped(probe if probe is not None else subquery)
        if found >= _package.SCAN_THRESHOLD:
            return _Cond((column + sa.literal_column("0", sa.Integer)).in_(subquery), plain)
        return _Cond(plain, plain, drives=True, counted=found if claims_once else None)

    def _capped(self, probe: sa.Select[Any], threshold: int | None = None) -> int:
        """The rows of ``probe``, counted up to ``threshold`` (default ``SCAN_THRESHOLD``)."""
        assert self.connection is not None
        threshold = _package.SCAN_THRESHOLD if threshold is None else threshold
        capped = sa.select(sa.func.count()).select_from(probe.limit(threshold).subquery())
        return int(prepared.scalars(self.connection, capped)[0])

    def _fts_capped(self, match: str) -> int:
        """``_capped(_fts_ids(match))``, as one fixed statement on SQLite's driver.

        Every search of free words probes its MATCH: written out once (``FTS_CAPPED``), no
        statement is built, keyed or wrapped for it (a few tenths of a millisecond of a rare word's step).
        """
        assert self.connection is not None and self.fits
        raw = prepared.driver(self.connection)  # (inside the connection's transaction: the filter's one snapshot)
        assert raw is not None
        return int(raw.execute(FTS_CAPPED, (match, _package.SCAN_THRESHOLD)).fetchone()[0])

    def reviewed(self, value: bool) -> _Cond:
        # ix_claim_reviewed is for "next unreviewed claim"; as a filter it helps only
        # when few claims have that value (see member()).
        indexed = claim.c.reviewed.is_(value)
        if not self.fits:
            return _Cond.same(indexed)
        found = self._capped(sa.select(claim.c.id).where(indexed))
        if found >= _package.SCAN_THRESHOLD:
            return _Cond(sa.func.coalesce(claim.c.reviewed, sa.false(), type_=sa.Boolean).is_(value), indexed)
        return _Cond(indexed, indexed, drives=True, counted=found)

    # --- sources ---

    def source_ids(self, condition: ColumnElement[bool]) -> _Cond:
        """Claims whose source satisfies ``condition`` (SQL over ``source``): the form without a connection."""
        # Uncorrelated: the (small) source table is searched once, then each claim's
        # source_id is checked against the result.
        sources = sa.select(source.c.id).where(condition)
        return self.member(claim.c.source_id, sources, sa.select(claim.c.id).where(claim.c.source_id.in_(sources)))

    def in_sources(self, ids: set[int], status: ColumnElement[bool] | None = None) -> _Cond:
        """``claim.source_id IN (ids)``; ``status``: the filter's status condition, which the probe
        adds because ``ix_claim_source_status_sort`` reads both at once."""
        if not ids:
            return _Cond.same(sa.false())
        listed = sa.bindparam(None, sorted(ids), type_=sa.Integer(), expanding=True, literal_execute=True)
        plain = claim.c.source_id.in_(listed)
        if not self.fits:
            return _Cond.same(plain)
        probe = sa.select(claim.c.id).where(plain)
        threshold = _package.SOURCE_SCAN_THRESHOLD
        found = self._capped(probe if status is None else probe.where(status), threshold)
        if found >= threshold:
            return _Cond((claim.c.source_id + sa.literal_column("0", sa.Integer)).in_(listed), plain)
        return _Cond(plain, plain, drives=True, counted=found, with_status=status is not None)

    def source_field(self, field_terms: Sequence[FieldTerm], status: ColumnElement[bool] | None) -> _Cond:
        """``source:``, ``side:`` or ``group:`` terms of one field, their values ORed together."""
        if self.connection is not None:
            catalog = self.catalog()
            ids = set().union(*(catalog.matching(term.field, term.values) for term in field_terms))
            return self.in_sources(ids, status)
        return _any_of([self.source_ids(self.source_sql(term)) for term in field_terms])

    def source_sql(self, field_term: FieldTerm) -> ColumnElement[bool]:
        """The condition on ``source`` rows a source-related term asks for, in SQL (see _Catalog)."""
        field, values = field_term.field, field_term.values
        if field in ("side", "group"):
            column = source.c.side if field == "side" else source.c.group_label
            return sa.or_(
                *[
                    column == "" if value == "" else _fold_sql(column).like(_like_prefix(value), escape="\\")
                    for value in values
                ]
            )
        assert field == "source"
        return sa.or_(
            *(
                sa.or_(
                    _source_name_matches(_like_contains(value), self.dialect_name),
                    _fold_sql(source.c.ext_id).like(_like_contains(value), escape="\\"),
                )
                for value in values
            )
        )

    # --- words ---

    def words(self, terms: Sequence[Term]) -> tuple[list[_Cond], str | None]:
        """Conditions for the free terms, and the FTS5 query used (SQLite) when it is all they ask.

        A term that names a place (``search.places``) also finds the claims tagged
        with it and those naming it otherwise; it gets a condition of its own.
        """
        named = self.places_named(terms)
        if self.dialect_name == "postgresql" and self.connection is not None:
            return document_words(self, terms, named), None
        if self.dialect_name != "sqlite":
            conditions = []
            for term, places in zip(terms, named, strict=True):
                condition = self.like_term(term, places)
                conditions.append(_not(condition) if term.negated else condition)
            return conditions, None
        plain = [term for term, places in zip(terms, named, strict=True) if not places]
        conditions, query = self.fts_terms(plain) if plain else ([], None)
        for term, places in zip(terms, named, strict=True):
            if places:
                match = _fts_phrase(term, [name for names in places.values() for name in names])
                found = sa.union(_fts_ids(match), _tagged(places)).subquery()
                if term.negated:
                    conditions.append(_Cond.same(claim.c.id.not_in(sa.select(found.c[0]))))
                else:
                    conditions.append(self.member(claim.c.id, sa.select(found.c[0])))
        return conditions, (query if len(plain) == len(terms) else None)

    def fts_terms(self, terms: Sequence[Term]) -> tuple[list[_Cond], str]:
        positive, negative = fts_match(terms)
        if positive is not None:
            # One MATCH does it all: FTS5 subtracts the negated terms itself.
            query = positive if negative is None else f"({positive}) NOT ({negative})"
            # (FTS5 gives each claim's rowid once: under its cap, the probe counted the words.)
            found = self._fts_capped(query) if self.fits else None
            return [self.member(claim.c.id, _fts_ids(query), claims_once=True, found=found)], query
        assert negative is not None
        return [_Cond.same(claim.c.id.not_in(_fts_ids(negative)))], negative

    def places_named(self, terms: Sequence[Term]) -> list[dict[int, list[str]]]:
        """For each term, the places it names with all their names (none without a connection)."""
        if self.connection is None or not terms:
            return [{} for _term in terms]
        names = PlaceNames.read(self.connection, self.versions() if self.dialect_name == "postgresql" else None)
        return [names.named(term.folded, inflected=not term.phrase) for term in terms]

    def like_term(self, term: Term, places: dict[int, list[str]] | None = None) -> _Cond:
        """A free term without FTS: its words in order inside the folded text or source name.

        ``places``: the places the term names; their claims, and the claims naming them, match too.
        """
        tokens = _tokens(term.folded)
        pattern = _param("%" + "%".join(_escape_like(token) for token in tokens) + "%")
        in_text = _fold_sql(claim.c.text).like(pattern, escape="\\")
        if self.connection is not None:
            ids = self.catalog().named_in_order(tokens)
            by_source = self.unfitted().in_sources(ids)  # ORed with a scan of the text: nothing to drive
        else:
            by_source = self.unfitted().source_ids(_source_name_matches(pattern, self.dialect_name))
        if not places:
            return _Cond.same(sa.or_(in_text, by_source.fetch))
        by_name = [
            _fold_sql(claim.c.text).like(_like_contains(fold(name)), escape="\\")
            for names in places.values()
            for name in names
        ]
        return _Cond.same(sa.or_(in_text, by_source.fetch, *by_name, claim.c.id.in_(_tagged(places))))

    # --- fields ---

    def field(self, field_term: FieldTerm, status: ColumnElement[bool] | None = None) -> _Cond:
        """The condition one field term asks for, before negation; never NULL, so NOT works.

        ``status``: the filter's positive status condition, if any (see ``in_sources``).
        """
        field, values = field_term.field, field_term.values
        if field == "status":
            return _Cond.same(claim.c.status.in_([_param(value) for value in values]))
        if field == "verdict":
            wanted = ["" if value == "none" else value for value in values]
            return _Cond.same(sa.func.coalesce(claim.c.verdict, "").in_([_param(value) for value in wanted]))
        if field == "kind":
            claim_kinds = [value for value in values if not value.startswith("source:")]
            source_kinds = [value.removeprefix("source:") for value in values if value.startswith("source:")]
            conditions: list[_Cond] = []
            if claim_kinds:
                conditions.append(_Cond.same(claim.c.kind.in_([_param(value) for value in claim_kinds])))
            if source_kinds:
                if self.connection is not None:
                    kinds = self.catalog().kinds
                    ids = {ident for kind in source_kinds for ident in kinds.get(kind, ())}
                    conditions.append(self.in_sources(ids, status))
                else:
                    conditions.append(self.source_ids(source.c.kind.in_([_param(value) for value in source_kinds])))
            return _any_of(conditions)
        if field == "cred":
            grades = [int(value) for value in values if value != "none"]
            alternatives: list[ColumnElement[bool]] = []
            if grades:
                alternatives.append(
                    sa.func.coalesce(claim.c.credibility, 0).in_([_param(grade, sa.Integer()) for grade in grades])
                )
            if "none" in values:
                alternatives.append(claim.c.credibility.is_(None))
            return _Cond.same(sa.or_(*alternatives))
        if field in ("after", "before", "on"):
            alternatives = []
            for value in values:
                start, end = (dt.date.fromisoformat(part) for part in value.split(".."))
                low = claim.c.sort_date >= _param(start, sa.Date())
                high = claim.c.sort_date <= _param(end, sa.Date())
                alternatives.append(low if field == "after" else high if field == "before" else sa.and_(low, high))
            return _Cond.same(sa.or_(*alternatives))
        if field == "reviewed":
            return _any_of([self.reviewed(value == "yes") for value in values])
        if field == "changed":
            return _Cond.same(
                sa.or_(*(claim.c.ext_id.in_(changed_claims(value, self.dialect_name)) for value in values))
            )
        if field in ("analyst", "disagree"):
            # Claims at either end of a judgement by one of these analysts / of a pair analysts disagree on.
            if field == "analyst":
                which: ColumnElement[bool] = link.c.analyst.in_([_param(value) for value in values])
            else:
                which = link.c.disputed.is_(sa.true())
            ends = sa.union(sa.select(link.c.from_id).where(which), sa.select(link.c.to_id).where(which))
            judged = self.member(claim.c.id, sa.select(ends.subquery().c[0]))
            if field == "disagree" and values == ("no",):
                return _Cond.same(sa.not_(claim.c.id.in_(sa.select(ends.subquery().c[0]))))
            return judged
        if field in _SOURCE_FIELDS:
            return self.source_field([field_term], status)
        if field == "place":
            quoted = field_term.quoted
            matching_places = sa.union(
                sa.select(place.c.id).where(
                    sa.or_(*(_place_name_condition(place.c.folded, value, quoted=quoted) for value in values))
                ),
                sa.select(place_alias.c.place_id).where(
                    sa.or_(*(_place_name_condition(place_alias.c.folded, value, quoted=quoted) for value in values))
                ),
            )
            claim_ids = sa.select(claim_place.c.claim_id).where(claim_place.c.place_id.in_(matching_places))
            return self.member(claim.c.id, claim_ids)
        if field == "outreach":
            # Claims with a request for comment in that state (any: at all; none: never asked about).
            asked = sa.select(outreach_claim.c.claim_id).select_from(
                outreach_claim.join(outreach, outreach.c.id == outreach_claim.c.outreach_id)
            )
            states = [value for value in values if value in vocab.OUTREACH_STATUSES]
            alternatives = []
            if states:
                alternatives.append(claim.c.id.in_(asked.where(outreach.c.status.in_([_param(v) for v in states]))))
            if "any" in values:
                alternatives.append(claim.c.id.in_(asked))
            if "none" in values:
                alternatives.append(claim.c.id.not_in(sa.select(outreach_claim.c.claim_id)))
            return _Cond.same(sa.or_(*alternatives))
        if field == "report":
            # Words of the title anywhere in it (titles are long), or the report's id; none = no report.
            alternatives = [claim.c.report_id.is_(None)] if "none" in values else []
            named = [value for value in values if value != "none"]
            if named:
                reports = sa.select(report.c.id).where(
                    sa.or_(
                        *(_fold_sql(report.c.title).like(_like_contains(value), escape="\\") for value in named),
                        *(sa.func.lower(report.c.ext_id) == _param(value) for value in named),
                    )
                )
                alternatives.append(sa.func.coalesce(claim.c.report_id, 0).in_(reports))
            return _Cond.same(sa.or_(*alternatives))
        if field == "tag":
            tags = _alias_values(claim.c.tags, self.dialect_name)
            return _Cond.same(
                sa.exists(
                    sa.select(1)
                    .select_from(tags)
                    .where(sa.or_(*(_name_condition(_fold_sql(tags.c.value), value) for value in values)))
                )
            )
        raise AssertionError(f"field {field!r} has no SQL")  # FIELDS and this method must agree

    def where(self, parsed: ParsedFilter) -> tuple[_Cond | None, str | None]:
        conditions, fts_query = self.words(parsed.terms) if parsed.terms else ([], None)
        # Same field: positive values OR together, negated ones each exclude; fields AND.
        positive_by_field: dict[str, list[FieldTerm]] = {}
        for field_term in parsed.fields:
            if field_term.negated:
                # NOT never drives a query: no probes.
                conditions.append(_not(self.unfitted().field(field_term)))
            else:
                positive_by_field.setdefault(field_term.field, []).append(field_term)
        status: _Cond | None = None
        if "status" in positive_by_field:
            status = _any_of([self.field(term) for term in positive_by_field["status"]])
        status_at = -1
        for field, field_terms in positive_by_field.items():
            if field == "status":
                assert status is not None
                status_at = len(conditions)
                conditions.append(status)
            elif field in _SOURCE_FIELDS:
                conditions.append(self.source_field(field_terms, None if status is None else status.count))
            else:
                conditions.append(
                    _any_of([self.field(term, None if status is None else status.count) for term in field_terms])
                )
        if not conditions:
            return None, fts_query
        counted = _counted_whole(conditions, status_at)
        if status is not None and any(condition.drives for condition in conditions):
            conditions[status_at] = _Cond(_likely(status.fetch), _likely(status.count))
        return dataclasses.replace(_all_of(conditions), counted=counted, with_status=False), fts_query


def _counted_whole(conditions: Sequence[_Cond], status_at: int) -> int | None:
    """How many claims all of ``conditions`` match, when a probe counted exactly that; else None.

    That is one condition whose probe counted it, beside at most the status condition
    (``status_at``; -1: none), which the probe must then have read too.
    """
    others = [condition for at, condition in enumerate(conditions) if at != status_at]
    if len(others) != 1 or others[0].counted is None or others[0].with_status != (status_at >= 0):
        return None
    return others[0].counted


def compile_parsed(parsed: ParsedFilter, dialect_name: str, *, connection: Connection | None = None) -> FilterResult:
    """``parsed`` as a condition over ``claim`` for ``dialect_name`` ("sqlite", "postgresql").

    Give ``connection`` to have source fields resolved to source ids once, in Python,
    and (SQLite) the plan fitted to the data (see ``_Compiler``); it costs one read of
    the source table (≈1 ms at 3,000 sources) and a few capped index probes, well
    under a millisecond each.
    """
    condition, fts_query = _Compiler(dialect_name, connection).where(parsed)
    message = " · ".join(parsed.errors) if parsed.errors else None
    if condition is None:
        return FilterResult(where=None, message=message, parsed=parsed, fts_query=fts_query, count_where=None)
    count_where = condition.count
    where = condition.fetch
    if fts_query is not None and not parsed.fields and any(not term.negated for term in parsed.terms):
        # Free words alone are one MATCH (negated words included): count it in the index itself.
        count_where = CountedWhere(condition.count, functools.partial(_fts_count, fts_query))
        # One shape whatever the words, the probe's choice apart: its top page is prepared once (``paging``).
        scan = condition.fetch is not condition.count
        where = ShapedWhere(condition.fetch, ("words", scan), fts_query, functools.partial(_words_in, scan=scan))
    return FilterResult(
        where=where,
        message=message,
        parsed=parsed,
        fts_query=fts_query,
        count_where=count_where,
        count=condition.counted,
    )


def compile_filter(query: str, dialect_name: str, *, connection: Connection | None = None) -> FilterResult:
    """Parse and compile ``query``; never raises. ``where`` is None when nothing restricts.

    ``connection``: see ``compile_parsed``; without it the plan is SQLite's default.
    """
    return compile_parsed(parse(query), dialect_name, connection=connection)


def matching_ids(connection: Connection, query: str, *, limit: int | None = None) -> list[int]:
    """Ids of the claims ``query`` matches, in table order (sort_date, id): for tests and the CLI."""
    result = compile_filter(query, connection.dialect.name, connection=connection)
    statement = sa.select(claim.c.id).order_by(claim.c.sort_date, claim.c.id)
    if result.where is not None:
        statement = statement.where(result.where)
    if limit is not None:
        statement = statement.limit(limit)
    return [int(claim_id) for claim_id in connection.execute(statement).scalars()]
