"""The tables a filter compiles against and the SQL building blocks: folding, LIKE patterns, FTS5 MATCH."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

import desktop.core.schema  # noqa: F401  (registers the tables on SQLModel.metadata)
from desktop.core.search.inflection import case_forms, search_stems
from desktop.core.search.keys import search_keys
from desktop.core.search.model import MIN_PREFIX_CHARS, Term
from desktop.core.sqlfunctions import FOLD_FUNCTION

_TABLES = SQLModel.metadata.tables
claim = _TABLES["claim"]
source = _TABLES["source"]
place = _TABLES["place"]
report = _TABLES["report"]
outreach = _TABLES["outreach"]
outreach_claim = _TABLES["outreach_claim"]
place_alias = _TABLES["place_alias"]
claim_place = _TABLES["claim_place"]
link = _TABLES["link"]
# The FTS5 table made by migration 0002; the column named like the table is FTS5's
# hidden column that MATCH is applied to (it searches every indexed column).
claim_fts = sa.table("claim_fts", sa.column("rowid", sa.Integer), sa.column("claim_fts", sa.String))


def _fold_sql(expression: ColumnElement[str]) -> ColumnElement[str]:
    return getattr(sa.func, FOLD_FUNCTION)(expression, type_=sa.String)  # type: ignore[no-any-return]


def _param(value: object, type_: sa.types.TypeEngine[Any] | None = None) -> ColumnElement[Any]:
    # Anonymous bound parameter: never inlined, unique name per use.
    return sa.bindparam(None, value, type_=type_ or sa.String(), unique=True)


def _alias_values(json_column: ColumnElement[object], dialect_name: str) -> sa.TableValuedAlias:
    """The elements of a JSON list column as a table with one ``value`` column.

    A damaged (non-list) value yields no rows instead of failing the whole query.
    """
    if dialect_name == "sqlite":
        safe = sa.case((sa.func.json_valid(json_column) == 1, json_column), else_=sa.literal("[]"))
        return sa.func.json_each(safe).table_valued("value")
    safe = sa.case((sa.func.json_typeof(json_column) == "array", json_column), else_=sa.cast(sa.literal("[]"), sa.JSON))
    return sa.func.json_array_elements_text(safe).table_valued("value")


def _escape_like(value: str) -> str:
    # Every LIKE here escapes with a backslash: user text matches literally, "%" and "_" included.
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_contains(value: str) -> ColumnElement[object]:
    return _param(f"%{_escape_like(value)}%")


def _like_prefix(value: str) -> ColumnElement[object]:
    return _param(f"{_escape_like(value)}%")


def _source_name_matches(pattern: ColumnElement[object], dialect_name: str) -> ColumnElement[bool]:
    aliases = _alias_values(source.c.aliases, dialect_name)
    alias_match = sa.exists(
        sa.select(1).select_from(aliases).where(_fold_sql(aliases.c.value).like(pattern, escape="\\"))
    )
    return sa.or_(_fold_sql(source.c.name).like(pattern, escape="\\"), alias_match)


def _name_condition(column: ColumnElement[str], value: str) -> ColumnElement[bool]:
    """Exact folded name, or a prefix when the value ends with ``*``."""
    if value.endswith("*"):
        return column.like(_like_prefix(value.rstrip("*")), escape="\\")
    return column == _param(value)


def _place_name_condition(column: ColumnElement[str], value: str, *, quoted: bool) -> ColumnElement[bool]:
    """As ``_name_condition``; unquoted, a Russian or Ukrainian name in a case form (``бахмута``) also
    matches the name's other forms, as a free word names a place (``inflection``, ``places``)."""
    forms = () if quoted or value.endswith("*") else case_forms(value)
    if not forms:
        return _name_condition(column, value)
    return column.in_([_param(form) for form in dict.fromkeys((value, *forms))])


_LETTERS: Final = re.compile(r"[^\W\d_]+")


def _fts_string(text: str) -> str:
    # FTS5 string syntax: a double-quoted string is a phrase, "" is a literal quote.
    # Nothing the user typed can reach MATCH outside such a string.
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Alternative:
    """One way a term matches: these words (a phrase), in these index columns, the last one a prefix or not.

    ``columns`` is ``"body source"`` (the claim's folded text, its source's names) or
    ``"body keys"`` (the folded text, or the keys stored where they differ from the
    words). FTS5 spells it ``{body keys} : "…"*``; PostgreSQL's word index holds the
    same three streams (``search.documents``).
    """

    columns: str
    words: str
    prefix: bool


def term_alternatives(term: Term, place_names: Sequence[str] = ()) -> list[Alternative]:
    """The ways one term matches: its words as written (text, source), or their keys (migration 0011), or
    (a Russian or Ukrainian word) its other case forms' (``inflection.search_stems``).

    The index stores a key only where it differs from the word (``keys.index_keys``),
    so keys are looked for in the folded text too. ``place_names``: the names of the
    places the term names, looked for by their keys too.
    """
    alternatives = [Alternative("body source", term.folded, term.prefix)]
    seen = {""}
    if keys := search_keys(term.folded):
        # A key too short for a prefix of its own ("^qq" keys to "k"), or much shorter than the word typed
        # (zzzzqqq keys to "zk", a prefix of "square"'s key): matched whole.
        last_key = keys.rsplit(" ", 1)[-1]
        letters = _LETTERS.findall(term.folded) or [last_key]  # symbols romanise to letters too (™ → tm)
        short = len(last_key) < MIN_PREFIX_CHARS or 2 * len(last_key) < len(letters[-1])
        alternatives.append(Alternative("body keys", keys, term.prefix and not short))
        seen.add(keys)
    for form, prefix in () if term.phrase else search_stems(term.folded):
        # бахмута: its other forms (Бахмут, Бахмуте) by the stem's prefix; києва: Київ, whole
        if (form_keys := search_keys(form)) and form_keys not in seen:
            seen.add(form_keys)
            alternatives.append(Alternative("body keys", form_keys, prefix))
    for name in place_names:
        if (name_keys := search_keys(name)) not in seen:
            seen.add(name_keys)
            # Its inflected forms too (Бахмута, Бахмуте), unless so short a prefix would find anything.
            alternatives.append(Alternative("body keys", name_keys, len(name_keys) >= 5))
    return alternatives


def _fts_phrase(term: Term, place_names: Sequence[str] = ()) -> str:
    """One term as an FTS5 query: its alternatives (``term_alternatives``) ORed."""
    alternatives = [
        f"{{{alternative.columns}}} : {_fts_string(alternative.words)}{'*' if alternative.prefix else ''}"
        for alternative in term_alternatives(term, place_names)
    ]
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def fts_match(terms: Sequence[Term]) -> tuple[str | None, str | None]:
    """The FTS5 MATCH strings for the positive terms (ANDed) and the negated ones (ORed)."""
    positive = [_fts_phrase(term) for term in terms if not term.negated]
    negative = [_fts_phrase(term) for term in terms if term.negated]
    return (" AND ".join(positive) or None, " OR ".join(negative) or None)


def _fts_ids(match: str) -> sa.Select[tuple[int]]:
    return sa.select(claim_fts.c.rowid).where(claim_fts.c.claim_fts.op("MATCH")(_param(match)))


# ``SELECT count(*)`` of ``_fts_ids(?)`` capped at ``?`` rows, written out (the compiler's probe of free words).
FTS_CAPPED = "SELECT count(*) FROM (SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? LIMIT ?)"


def _fts_count(match: str) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(claim_fts).where(claim_fts.c.claim_fts.op("MATCH")(_param(match)))


def _words_in(match: ColumnElement[str], *, scan: bool) -> ColumnElement[bool]:
    """The condition ``member`` builds for free words alone (``fts_terms``), their MATCH text ``match``:
    ``scan``, the form that walks the claims in table order (a word in many claims)."""
    ids = sa.select(claim_fts.c.rowid).where(claim_fts.c.claim_fts.op("MATCH")(match))
    column = claim.c.id + sa.literal_column("0", sa.Integer) if scan else claim.c.id
    return column.in_(ids)


def _tagged(places: dict[int, list[str]]) -> sa.Select[Any]:
    """The claims tagged with any of ``places``."""
    return sa.select(claim_place.c.claim_id).where(
        claim_place.c.place_id.in_([_param(p, sa.Integer()) for p in places])
    )
