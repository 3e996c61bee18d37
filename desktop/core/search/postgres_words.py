"""The free terms of a filter against PostgreSQL's word index (``claim.search``, ``search.documents``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from desktop.core.read.estimate import matches_at_least
from desktop.core.search import documents
from desktop.core.search.conditions import _Cond
from desktop.core.search.model import Term
from desktop.core.search.sql import _tagged, claim, term_alternatives

if TYPE_CHECKING:
    from desktop.core.search.compiler import _Compiler


def document_words(compiler: _Compiler, terms: Sequence[Term], named: Sequence[dict[int, list[str]]]) -> list[_Cond]:
    """The free terms against ``claim.search`` (PostgreSQL's word index, ``search.documents``).

    Each term asks what it asks of FTS5 (``term_alternatives``): its words in the
    text, or its keys in the text or among the keys, or its words in its source's
    name and aliases (a phrase never spans two of these). The sources are found in
    Python (``_Catalog.with_phrase``) and become ``source_id IN (…)``. The terms no
    source matches and that name no place, nearly all of them, make ONE tsquery,
    negated ones included (``a & b & !c``), so the GIN index is read once for the
    whole filter. A term that names a place also finds the place's names by their
    keys and the claims tagged with it, in a condition of its own, as on SQLite.
    """
    catalog = compiler.catalog()
    indexed: list[str] = []
    excluded: list[str] = []
    conditions: list[_Cond] = []
    for term, places in zip(terms, named, strict=True):
        names = [name for names in places.values() for name in names]
        alternatives = term_alternatives(term, names)
        query = documents.alternatives_query(alternatives)
        sources = catalog.with_phrase(documents.tokens(alternatives[0].words), prefix=alternatives[0].prefix)
        if query is not None and not sources and not places:
            (excluded if term.negated else indexed).append(query)
            continue
        if query is None and not sources and not places:  # no word FTS5 would keep: it finds nothing
            if not term.negated:
                conditions.append(_Cond.same(sa.false()))
            continue
        if places:
            # One set of claims: those with the words, and those tagged with the place. An OR with the
            # tagged claims (a subquery) would keep PostgreSQL from reading the word index: it walked the
            # table in date order and tested each claim (a rare word at 1M claims: 3.7 s, not 5 ms).
            worded = claim.alias("worded")
            found = [sa.select(worded.c.id).where(documents.matches(query, "worded"))] if query is not None else []
            either: ColumnElement[bool] = claim.c.id.in_(sa.union(*found, _tagged(places)))
            if sources:
                either = sa.or_(either, compiler.unfitted().in_sources(sources).fetch)
        else:
            either = sa.or_(
                *([documents.matches(query)] if query is not None else []),
                compiler.unfitted().in_sources(sources).fetch,
            )
        conditions.append(_Cond.same(sa.not_(either) if term.negated else either))
    if indexed:
        query = documents.all_of([*indexed, *(f"!{q}" for q in excluded)])
        conditions.insert(0, document_match(compiler, query))
    elif excluded:
        conditions.append(_Cond.same(sa.not_(documents.matches(documents.any_of(excluded)))))
    return conditions


def document_match(compiler: _Compiler, query: str) -> _Cond:
    """``claim.search @@ query``, fitted to how many claims it matches (PostgreSQL).

    PostgreSQL's statistics know the frequent words only; a rare word, a prefix, a key
    it has no figure for is taken for a few thousand claims, and the first page is then
    read by walking the table in date order, testing each claim — a million of them
    for a word in ten (3.6 s). So whether it matches ``SCAN_THRESHOLD`` claims or more
    is asked cheaply (``read.estimate.matches_at_least``: a capped count where the
    planner expects few, a sample of the table's pages where it expects many), and
    when it matches fewer the claims are found in the word index first
    (``id = ANY(ARRAY(…))``: the planner cannot walk for them). Near the threshold
    either plan reads a first page in a few milliseconds, so the sample's error there
    costs little. Counting always reads the index directly.
    """
    from desktop.core import search as package  # the threshold is read at call time (tests patch it there)

    plain = documents.matches(query)
    worded = claim.alias("worded")
    if compiler.connection is None or matches_at_least(compiler.connection, plain, package.SCAN_THRESHOLD):
        return _Cond.same(plain)
    found = sa.select(sa.func.array_agg(worded.c.id)).where(documents.matches(query, "worded"))
    # The cast makes it an expression (an array computed once), not ANY's row-by-row subquery form.
    ids = sa.cast(found.scalar_subquery(), postgresql.ARRAY(sa.Integer()))
    return _Cond(claim.c.id == sa.any_(ids), plain)
