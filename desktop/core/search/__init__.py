"""The filter language of the claim table (docs/keyboard-and-filter.md), compiled to a SQL WHERE clause.

A query is a list of space-separated terms::

    breach "pushed back" -wagner status:contested,contradicted place:бахмут after:2022-12

- free words match the claim's text and its source's name and aliases, in any
  script, case and diacritics folded (``text.fold``); the last plain word is a
  prefix (``bakh`` finds "Bakhmut") so results follow typing, and so is any word
  ending in ``*``;
- a free word also finds its spellings in other scripts (``bakhmut``, ``Bachmut``,
  ``Бахмут``: ``search.keys``, the index's ``keys`` column of migration 0011), and
  a word that names a place finds the claims tagged with it and those naming it by
  any of its names (``search.places``);
- ``"a phrase"`` matches those words in that order;
- ``-`` in front of a word, phrase or field excludes what it would match;
- ``field:value`` restricts by a column; ``field:a,b`` and repeated fields OR
  together, different fields AND (see ``FIELDS`` for the list).

``parse`` turns text into a ``ParsedFilter`` and never raises: whatever it cannot
use it drops with a message for the filter bar. ``compile_filter`` turns that into
a SQLAlchemy Core condition over the ``claim`` table for the connection's dialect:
on SQLite free words go through the FTS5 index ``claim_fts`` (migration 0002),
on PostgreSQL through the GIN-indexed ``claim.search`` (migration 0009), whose
words Python writes exactly as FTS5 splits and folds them (``search.documents``),
so the same filter finds the same claims on both. User text only ever reaches
SQL as bound parameters, reaches FTS5 MATCH only inside double-quoted strings,
and a tsquery only as quoted lexemes, so query syntax (``NEAR``, ``AND``,
``col:``, ``&``, ``<->``) in a query is searched for as words, never obeyed.

Given a connection, ``compile_filter`` resolves ``source:``, ``side:``, ``group:``
and source kinds to source ids once, in Python, instead of folding every source
name in SQL in every statement; on SQLite it also fits the plan to the data (a
word in half the claims is filtered while the table is walked in date order, a
rare one drives the query; see ``_Compiler``). It always returns a second,
equivalent condition that counts fastest (``FilterResult.count_where``): free
words alone are counted in the full-text index itself (``paging.CountedWhere``).
"""

from __future__ import annotations

from desktop.core.search.compiler import compile_filter, compile_parsed, matching_ids
from desktop.core.search.describing import describe
from desktop.core.search.model import (
    FIELD_ALIASES,
    FIELDS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    MIN_PREFIX_CHARS,
    SCAN_THRESHOLD,
    SOURCE_SCAN_THRESHOLD,
    FieldSpec,
    FieldTerm,
    FilterResult,
    ParsedFilter,
    Term,
)
from desktop.core.search.parsing import parse
from desktop.core.search.sql import claim, claim_fts, claim_place, fts_match, place, place_alias, source

__all__ = [
    "FIELDS",
    "FIELD_ALIASES",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "MIN_PREFIX_CHARS",
    "SCAN_THRESHOLD",
    "SOURCE_SCAN_THRESHOLD",
    "FieldSpec",
    "FieldTerm",
    "FilterResult",
    "ParsedFilter",
    "Term",
    "claim",
    "claim_fts",
    "claim_place",
    "compile_filter",
    "compile_parsed",
    "describe",
    "fts_match",
    "matching_ids",
    "parse",
    "place",
    "place_alias",
    "source",
]
