"""The filter language of the claim table (DESIGN §5), compiled to a SQL WHERE clause.

A query is a list of space-separated terms::

    breach "pushed back" -wagner status:contested,contradicted place:бахмут after:2022-12

- free words match the claim's text and its source's name and aliases, in any
  script, case and diacritics folded (``text.fold``); the last plain word is a
  prefix (``bakh`` finds "Bakhmut") so results follow typing, and so is any word
  ending in ``*``;
- ``"a phrase"`` matches those words in that order;
- ``-`` in front of a word, phrase or field excludes what it would match;
- ``field:value`` restricts by a column; ``field:a,b`` and repeated fields OR
  together, different fields AND (see ``FIELDS`` for the list).

``parse`` turns text into a ``ParsedFilter`` and never raises: whatever it cannot
use it drops with a message for the filter bar. ``compile_filter`` turns that into
a SQLAlchemy Core condition over the ``claim`` table for the connection's dialect:
on SQLite free words go through the FTS5 index ``claim_fts`` (migration 0002),
elsewhere (PostgreSQL) through ``cc_fold(text) LIKE`` — same results up to word
boundaries (a LIKE pattern matches inside words), no rewrite when an index is
added there. User text only ever reaches SQL as bound parameters, and reaches
FTS5 MATCH only inside double-quoted strings, so FTS5 query syntax (``NEAR``,
``AND``, ``col:``) in a query is searched for as words, never obeyed.

Given a connection, ``compile_filter`` resolves ``source:``, ``side:``, ``group:``
and source kinds to source ids once, in Python, instead of folding every source
name in SQL in every statement; on SQLite it also fits the plan to the data (a
word in half the claims is filtered while the table is walked in date order, a
rare one drives the query; see ``_Compiler``). It always returns a second,
equivalent condition that counts fastest (``FilterResult.count_where``): free
words alone are counted in the full-text index itself (``paging.CountedWhere``).
"""

from __future__ import annotations

import bisect
import calendar
import copy
import datetime as dt
import difflib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

import desktop.core.schema  # noqa: F401  (registers the tables on SQLModel.metadata)
from desktop.core import vocab
from desktop.core.paging import CountedWhere
from desktop.core.sqlfunctions import FOLD_FUNCTION
from desktop.core.text import fold

# Longer input is cut: a filter is typed, not pasted books; this also bounds the
# work per keystroke and the size of the SQL (SQLite limits expression depth).
MAX_QUERY_CHARS: Final = 1000
# Free words plus field values; each becomes at least one SQL condition.
MAX_TERMS: Final = 64
# A one-character prefix matches most of the index and is slow on big
# workspaces; it is searched as a whole word until the second character comes.
MIN_PREFIX_CHARS: Final = 2
# A subquery matching at least this many claims is tested row by row while the
# table is walked in order instead of driving the query (see _Compiler); the
# crossover measured at 1M claims lies between 2,000 and 5,000.
SCAN_THRESHOLD: Final = 5000
# The same for a list of source ids, which ix_claim_source_status_sort answers without
# touching the table (0.02–0.07 µs a claim, sorted or not): driving stays cheaper than
# a walk in date order up to between 15,000 and 50,000 claims at 1M.
SOURCE_SCAN_THRESHOLD: Final = 20_000


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # how describe() names it
    example: str  # shown in messages


FIELDS: Final = {
    spec.name: spec
    for spec in (
        FieldSpec("status", "status", "status:contested,contradicted"),
        FieldSpec("verdict", "verdict", "verdict:confirmed or verdict:none"),
        FieldSpec("source", "source", "source:rybar"),
        FieldSpec("side", "side", "side:ukraine or side:none"),
        FieldSpec("place", "place", "place:bakhmut or place:bakh*"),
        FieldSpec("kind", "kind", "kind:event or kind:think-tank"),
        FieldSpec("cred", "credibility", "cred:1-3, cred:2 or cred:none"),
        FieldSpec("after", "from", "after:2022-12-01"),
        FieldSpec("before", "until", "before:2022-12"),
        FieldSpec("on", "on", "on:2022-12-14"),
        FieldSpec("reviewed", "reviewed", "reviewed:no"),
        FieldSpec("tag", "tag", "tag:artillery"),
        FieldSpec("group", "group", "group:state-media or group:none"),
    )
}
FIELD_ALIASES: Final = {"credibility": "cred", "date": "on", "src": "source"}

_QUOTES: Final = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'))
# C0/C1 controls (tab and newline become spaces), bidi overrides and isolates,
# and lone surrogates, which cannot even be encoded to bind as a parameter.
_UNUSABLE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FIELD_NAME: Final = re.compile(r"([A-Za-z_]+):")
_DATE: Final = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_CRED: Final = re.compile(r"([1-6])(?:\s*(?:-|–|\.\.)\s*([1-6]))?")
_YES: Final = ("yes", "true", "1")
_NO: Final = ("no", "false", "0")


@dataclass(frozen=True)
class Term:
    """A free word or phrase."""

    text: str  # as typed, without quotes or the leading "-"
    folded: str  # text.fold(text); FTS5 tokenizes it like the indexed text
    phrase: bool
    negated: bool
    prefix: bool = False  # the last word is matched as a prefix


@dataclass(frozen=True)
class FieldTerm:
    """One ``field:value[,value…]`` term, its values already checked and normalised.

    ``values`` by field: status/verdict/kind — vocabulary terms (``none`` for no
    verdict, ``source:<kind>`` for a source kind); cred — ``"1"``…``"6"`` or
    ``none``; after/before/on — ``"YYYY-MM-DD..YYYY-MM-DD"`` (the period named);
    reviewed — ``yes``/``no``; side/group — folded prefix or ``""`` for none;
    source — folded substring; place/tag — folded name, ``*`` at the end for a prefix.
    """

    field: str
    raw: str  # the value as typed
    values: tuple[str, ...]
    negated: bool


@dataclass(frozen=True)
class ParsedFilter:
    query: str
    terms: tuple[Term, ...] = ()
    fields: tuple[FieldTerm, ...] = ()
    errors: tuple[str, ...] = ()  # messages for the filter bar, in query order

    @property
    def is_empty(self) -> bool:
        """True when nothing restricts the claims (there may still be messages)."""
        return not self.terms and not self.fields

    @property
    def highlight(self) -> tuple[str, ...]:
        """Folded words the view may highlight in claim text: the positive free terms."""
        return tuple(term.folded for term in self.terms if not term.negated)


@dataclass(frozen=True)
class FilterResult:
    where: ColumnElement[bool] | None  # None: no filter, show every claim
    message: str | None  # one line for the filter bar, None when all is well
    parsed: ParsedFilter
    fts_query: str | None = None  # the string bound to MATCH (SQLite), for debugging and tests
    # The same rows as ``where``, in the form that counts fastest: it differs when compiled
    # with a connection (see _Compiler), and for free words alone on SQLite it is a
    # ``paging.CountedWhere`` that ``paging.count`` counts from the FTS index. None exactly
    # when ``where`` is. With a connection, source fields are resolved to the source ids
    # of that moment: compile again after sources change (a new or renamed source).
    count_where: ColumnElement[bool] | None = None


# --- parsing --------------------------------------------------------------------------------


def _has_word(folded: str) -> bool:
    """True when FTS5's unicode61 tokenizer finds a token in ``folded``.

    Its token characters are letters, numbers, private use (L*, N*, Co) and, with
    diacritic removal, marks; a term without any would make an empty FTS5 phrase,
    which matches nothing, so it is dropped instead.
    """
    return any(_is_token_char(ch) for ch in folded)


def _is_token_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Co"


def _tokens(folded: str) -> list[str]:
    """``folded`` split into runs of token characters (see ``_has_word``)."""
    tokens: list[str] = []
    current: list[str] = []
    for ch in folded:
        if _is_token_char(ch):
            current.append(ch)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


class _Scanner:
    """Splits a query into (negated, field, value, quoted) tokens in one left-to-right pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.unclosed_quote = False

    def _quoted(self) -> str:
        # self.pos is on the opening quote; an unclosed quote runs to the end.
        end = self.text.find('"', self.pos + 1)
        if end < 0:
            self.unclosed_quote = True
            value = self.text[self.pos + 1 :]
            self.pos = len(self.text)
        else:
            value = self.text[self.pos + 1 : end]
            self.pos = end + 1
        return value

    def _bare(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and not self.text[self.pos].isspace():
            self.pos += 1
        return self.text[start : self.pos]

    def tokens(self) -> list[tuple[bool, str | None, str, bool]]:
        found: list[tuple[bool, str | None, str, bool]] = []
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(text):
                return found
            negated = False
            if text[self.pos] == "-" and self.pos + 1 < len(text) and not text[self.pos + 1].isspace():
                negated = True
                self.pos += 1
            if text[self.pos] == '"':
                found.append((negated, None, self._quoted(), True))
                continue
            match = _FIELD_NAME.match(text, self.pos)
            if match:
                self.pos = match.end()
                if self.pos < len(text) and text[self.pos] == '"':
                    found.append((negated, match.group(1), self._quoted(), True))
                else:
                    found.append((negated, match.group(1), self._bare(), False))
                continue
            found.append((negated, None, self._bare(), False))


def _sanitise(query: str, errors: list[str]) -> str:
    if len(query) > MAX_QUERY_CHARS:
        query = query[:MAX_QUERY_CHARS]
        errors.append(f"filter cut to its first {MAX_QUERY_CHARS} characters")
    cleaned = _UNUSABLE.sub(" ", query.replace("\t", " ").replace("\n", " "))
    if cleaned != query.replace("\t", " ").replace("\n", " "):
        errors.append("control characters ignored")
    return cleaned.translate(_QUOTES)


def parse(query: str) -> ParsedFilter:
    """Parse a filter; never raises. Unusable parts are dropped and explained in ``errors``."""
    errors: list[str] = []
    if not isinstance(query, str):  # a caller bug must not take the filter bar down
        query = "" if query is None else str(query)
    text = _sanitise(query, errors)
    scanner = _Scanner(text)
    raw_tokens = scanner.tokens()
    if scanner.unclosed_quote:
        errors.append("closing quote missing — searched to the end of the filter")

    terms: list[Term] = []
    fields: list[FieldTerm] = []
    budget = MAX_TERMS
    dropped = False
    for negated, name, value, quoted in raw_tokens:
        if budget <= 0:
            dropped = True
            break
        if name is not None:
            canonical = FIELD_ALIASES.get(name.lower(), name.lower())
            if canonical not in FIELDS:
                errors.append(_unknown_field_message(name))
                # Probably a word with a colon (a URL, "10:30", a typo): search it as text.
                value = f"{name}:{value}"
            else:
                field_term = _field_term(canonical, value, quoted, negated, errors, budget)
                if field_term is not None:
                    dropped = dropped or len(field_term.values) > budget
                    field_term = FieldTerm(field_term.field, field_term.raw, field_term.values[:budget], negated)
                    budget -= len(field_term.values)
                    fields.append(field_term)
                continue
        folded = fold(value)
        if not _has_word(folded):
            continue  # punctuation, a lone "*", emoji: nothing the index can match
        starred = not quoted and folded.endswith("*")  # "bakh*": a prefix wherever it stands
        term = Term(text=value, folded=folded.rstrip("*") if starred else folded, phrase=quoted, negated=negated)
        terms.append(_as_prefix(term) if starred and not negated else term)
        budget -= 1
    if dropped:
        errors.append(f"only the first {MAX_TERMS} terms are used")

    terms = _mark_prefix(terms)
    if not terms and not fields and text.strip() and not errors:
        errors.append("nothing to search for — type words, or fields such as status:contested")
    return ParsedFilter(query=query, terms=tuple(terms), fields=tuple(fields), errors=tuple(errors))


def _mark_prefix(terms: list[Term]) -> list[Term]:
    """The last plain positive word becomes a prefix, so results follow typing."""
    for index in range(len(terms) - 1, -1, -1):
        term = terms[index]
        if term.phrase or term.negated:
            continue
        terms[index] = _as_prefix(term)
        break
    return terms


def _as_prefix(term: Term) -> Term:
    tokens = _tokens(term.folded)
    if not tokens or len(tokens[-1]) < MIN_PREFIX_CHARS:
        return term
    return Term(term.text, term.folded, term.phrase, term.negated, prefix=True)


def _unknown_field_message(name: str) -> str:
    known = ", ".join(FIELDS)
    close = difflib.get_close_matches(name.lower(), [*FIELDS, *FIELD_ALIASES], n=1, cutoff=0.6)
    hint = f" (did you mean {FIELD_ALIASES.get(close[0], close[0])}:?)" if close else ""
    return f'unknown field "{name}:"{hint} — searched as words; known: {known}'


def _field_term(field: str, raw: str, quoted: bool, negated: bool, errors: list[str], budget: int) -> FieldTerm | None:
    spec = FIELDS[field]
    # A quoted value is one value even if it has commas ("Kyiv, Ukraine").
    items = [raw.strip()] if quoted else [item.strip() for item in raw.split(",")]
    # One past the budget, so the caller sees that some were left out.
    items = [item for item in items if item][: budget + 1]
    if not items:
        errors.append(f"{field}: needs a value, e.g. {spec.example}")
        return None
    values: list[str] = []
    for item in items:
        resolved = _resolve(field, item)
        if isinstance(resolved, str):
            errors.append(resolved)
        else:
            values.extend(value for value in resolved if value not in values)
    if not values:
        return None
    return FieldTerm(field=field, raw=raw, values=tuple(values), negated=negated)


def _resolve(field: str, item: str) -> list[str] | str:
    """The normalised values of one item of ``field``, or a message saying why it is unusable."""
    folded = fold(item)
    if field == "status":
        return _by_prefix(field, folded, vocab.STATUSES)
    if field == "verdict":
        return _by_prefix(field, folded, (*vocab.VERDICTS, "none"))
    if field == "kind":
        claim_kinds = [kind for kind in vocab.CLAIM_KINDS if kind.startswith(folded.rstrip("*"))]
        if claim_kinds:
            return claim_kinds
        source_kinds = _by_prefix(field, folded, vocab.SOURCE_KINDS)
        if isinstance(source_kinds, str):
            known = ", ".join((*vocab.CLAIM_KINDS, *vocab.SOURCE_KINDS))
            return f'kind: "{item}" is none of {known}'
        return [f"source:{kind}" for kind in source_kinds]
    if field == "cred":
        return _credibility(item, folded)
    if field in ("after", "before", "on"):
        return _date_span(field, item)
    if field == "reviewed":
        value = folded.rstrip("*")
        if any(word.startswith(value) for word in _YES):
            return ["yes"]
        if any(word.startswith(value) for word in _NO):
            return ["no"]
        return f'reviewed: "{item}" — use yes or no'
    if field in ("side", "group"):
        value = folded.rstrip("*").strip()
        return [""] if value == "none" else [value] if value else f"{field}: needs a value"
    if field == "source":
        value = folded.rstrip("*").strip()
        return [value] if value else "source: needs a name, alias or id"
    # place, tag: exact folded name; "*" at the end asks for a prefix.
    value = folded.strip()
    return [value] if value.rstrip("*") else f"{field}: needs a name"


def _by_prefix(field: str, folded: str, choices: Sequence[str]) -> list[str] | str:
    wanted = folded.rstrip("*")
    exact = [choice for choice in choices if choice == wanted]
    found = exact or [choice for choice in choices if choice.startswith(wanted)]
    if found and wanted:
        return found
    return f'{field}: "{folded}" is none of {", ".join(choices)}'


def _credibility(item: str, folded: str) -> list[str] | str:
    if folded in ("none", "no", "-"):
        return ["none"]
    match = _CRED.fullmatch(folded)
    if match is None:
        return f'cred: "{item}" — use a grade 1–6, a range such as 1-3, or none'
    low = int(match.group(1))
    high = int(match.group(2) or low)
    low, high = min(low, high), max(low, high)
    return [str(grade) for grade in range(low, high + 1)]


def _date_span(field: str, item: str) -> list[str] | str:
    match = _DATE.fullmatch(item.strip())
    problem = f'{field}: "{item}" is not a date — use YYYY, YYYY-MM or YYYY-MM-DD'
    if match is None:
        return problem
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif day is None:
            start = dt.date(year, month, 1)
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            start = end = dt.date(year, month, day)
    except ValueError:
        return problem
    return [f"{start.isoformat()}..{end.isoformat()}"]


# --- describing -----------------------------------------------------------------------------


def describe(parsed: ParsedFilter) -> str:
    """A one-line summary such as ``status contested · place Bakhmut · words: breach``."""
    parts: list[str] = []
    groups: dict[tuple[str, bool], list[str]] = {}
    for field_term in parsed.fields:
        shown = groups.setdefault((field_term.field, field_term.negated), [])
        for value in _display_values(field_term):
            if value not in shown:
                shown.append(value)
    for (field, negated), shown in groups.items():
        parts.append(f"{'not ' if negated else ''}{FIELDS[field].label} {' or '.join(shown)}")
    words = [_display_term(term) for term in parsed.terms if not term.negated]
    without = [_display_term(term) for term in parsed.terms if term.negated]
    if words:
        parts.append("words: " + ", ".join(words))
    if without:
        parts.append("without: " + ", ".join(without))
    return " · ".join(parts) if parts else "all claims"


def _display_term(term: Term) -> str:
    shown = term.text.strip()
    if term.phrase:
        return f"“{shown}”"
    return shown.rstrip("*") + "…" if term.prefix else shown


def _display_values(field_term: FieldTerm) -> list[str]:
    field, values = field_term.field, field_term.values
    if field in ("status", "verdict", "reviewed"):
        return list(values)
    if field == "kind":
        return [value.replace("source:", "source ") for value in values]
    if field == "cred":
        if "none" in values:
            rest = [value for value in values if value != "none"]
            return ["none", *(_grade_range(rest) if rest else [])]
        return _grade_range(list(values))
    if field in ("side", "group"):
        return [value or "none" for value in values]
    if field in ("after", "before", "on"):
        return [item.strip() for item in field_term.raw.split(",") if item.strip()] or list(values)
    return [field_term.raw.strip().strip('"')]


def _grade_range(grades: list[str]) -> list[str]:
    numbers = sorted(int(grade) for grade in grades)
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return [f"{numbers[0]}–{numbers[-1]}"]
    return [str(number) for number in numbers]


# --- compiling ------------------------------------------------------------------------------

_TABLES = SQLModel.metadata.tables
claim = _TABLES["claim"]
source = _TABLES["source"]
place = _TABLES["place"]
place_alias = _TABLES["place_alias"]
claim_place = _TABLES["claim_place"]
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


def _fts_phrase(term: Term) -> str:
    # FTS5 string syntax: a double-quoted string is a phrase, "" is a literal quote.
    # Nothing the user typed can reach MATCH outside such a string.
    quoted = '"' + term.folded.replace('"', '""') + '"'
    return quoted + "*" if term.prefix else quoted


def fts_match(terms: Sequence[Term]) -> tuple[str | None, str | None]:
    """The FTS5 MATCH strings for the positive terms (ANDed) and the negated ones (ORed)."""
    positive = [_fts_phrase(term) for term in terms if not term.negated]
    negative = [_fts_phrase(term) for term in terms if term.negated]
    return (" AND ".join(positive) or None, " OR ".join(negative) or None)


def _fts_ids(match: str) -> sa.Select[tuple[int]]:
    return sa.select(claim_fts.c.rowid).where(claim_fts.c.claim_fts.op("MATCH")(_param(match)))


def _fts_count(match: str) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(claim_fts).where(claim_fts.c.claim_fts.op("MATCH")(_param(match)))


# --- the source table, folded ---------------------------------------------------------------


# Between a source's texts and between sources in _Catalog.text; a filter value never
# holds it (parse replaces control characters), so a match never spans two texts.
_SEPARATOR: Final = "\x1f"


class _Catalog:
    """The source table folded in Python (``text.fold``, as ``cc_fold`` is), for resolving source fields."""

    def __init__(self, rows: Sequence[Sequence[Any]]) -> None:
        self.ids: list[int] = []
        self.names: list[tuple[str, ...]] = []  # folded: the name, then each alias
        self.starts: list[int] = []  # where each source's texts begin in ``text``
        self.sides: dict[str, list[int]] = {}  # ids by side as stored ("" = unaligned)
        self.groups: dict[str, list[int]] = {}  # ids by group as stored ("" = none)
        self.kinds: dict[str, list[int]] = {}
        parts: list[str] = []
        position = 0
        for ident, name, ext_id, side, group, kind, aliases in rows:
            names = (fold(name or ""), *(fold(alias) for alias in _alias_texts(aliases)))
            self.ids.append(int(ident))
            self.names.append(names)
            self.starts.append(position)
            part = _SEPARATOR.join((*names, fold(ext_id or ""))) + _SEPARATOR
            parts.append(part)
            position += len(part)
            self.sides.setdefault(side or "", []).append(int(ident))
            self.groups.setdefault(group or "", []).append(int(ident))
            self.kinds.setdefault(kind or "", []).append(int(ident))
        # Every source's folded name, aliases and ext_id: one substring search finds them all.
        self.text = "".join(parts)

    def containing(self, value: str) -> set[int]:
        """Sources whose name, an alias or ext_id contains ``value`` (folded)."""
        found: set[int] = set()
        position = self.text.find(value)
        while position >= 0:
            index = bisect.bisect_right(self.starts, position) - 1
            found.add(self.ids[index])
            if index + 1 == len(self.starts):
                break
            position = self.text.find(value, self.starts[index + 1])
        return found

    def labelled(self, field: str, value: str) -> set[int]:
        """``side:`` or ``group:``: sources whose folded label starts with ``value``; ``""``: no label."""
        labels = self.sides if field == "side" else self.groups
        if value == "":
            return set(labels.get("", ()))
        return {ident for label, ids in labels.items() if label and fold(label).startswith(value) for ident in ids}

    def matching(self, field: str, values: Sequence[str]) -> set[int]:
        found: set[int] = set()
        for value in values:
            found |= self.containing(value) if field == "source" else self.labelled(field, value)
        return found

    def named_in_order(self, tokens: Sequence[str]) -> set[int]:
        """Sources with a name or alias holding ``tokens`` in this order (LIKE ``%a%b%``)."""
        return {
            ident
            for ident, names in zip(self.ids, self.names, strict=True)
            if any(_in_order(name, tokens) for name in names)
        }


# The last source table read, keyed by its full contents (see _source_catalog).
_catalog_cache: tuple[object, _Catalog] | None = None


def _alias_texts(aliases: object) -> tuple[str, ...]:
    """The aliases of a source as texts; a damaged (non-list) value has none (as in SQL)."""
    if aliases == "[]" or aliases == []:  # most sources
        return ()
    if isinstance(aliases, str):
        try:
            aliases = json.loads(aliases)
        except ValueError:
            return ()
    if not isinstance(aliases, list):
        return ()
    return tuple(item if isinstance(item, str) else json.dumps(item) for item in aliases if item is not None)


_SOURCE_COLUMNS: Final = ("id", "name", "ext_id", "side", "group_label", "kind", "aliases")


# Where a SQLite connection keeps the catalog it read last (see _source_catalog).
_SEEN: Final = "crosscheck.search.sources"


def _source_catalog(connection: Connection) -> _Catalog:
    """The source table, folded, for resolving source fields to ids.

    Folding a few thousand names costs milliseconds, so the catalog is kept and
    reused while the table's contents are unchanged. The cache key is the contents
    themselves: on SQLite one JSON array of every row, built in C (≈1 ms for 3,000
    sources); elsewhere the rows. Exact, whichever connection or workspace asks.

    On SQLite even that read is skipped when the same connection read the table
    before and nothing can have changed since: no other connection committed
    (``PRAGMA data_version``), this one changed no row (``total_changes``), and
    both reads began outside a transaction, so neither saw uncommitted writes of
    its own. The pool keeps that note with the DB-API connection (``info``).
    """
    seen: tuple[int, int] | None = None
    if connection.dialect.name == "sqlite":
        pooled = connection.connection
        driver = pooled.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        fresh = not driver.in_transaction  # before our first statement starts one
        changes = driver.total_changes
        version = int(connection.exec_driver_sql("PRAGMA data_version").scalar_one())
        note = pooled.info.pop(_SEEN, None)
        if fresh and note is not None and note[0] == (version, changes):
            pooled.info[_SEEN] = note
            return note[1]  # type: ignore[no-any-return]
        seen = (version, changes) if fresh else None
    catalog = _read_catalog(connection)
    if seen is not None:
        connection.connection.info[_SEEN] = (seen, catalog)
    return catalog


def _read_catalog(connection: Connection) -> _Catalog:
    global _catalog_cache
    columns = [source.c[name] for name in _SOURCE_COLUMNS]
    contents: object
    if connection.dialect.name == "sqlite":
        contents = connection.execute(
            sa.select(sa.func.json_group_array(sa.func.json_array(*columns), type_=sa.String))
        ).scalar_one()
    else:
        contents = [tuple(row) for row in connection.execute(sa.select(*columns))]
    cached = _catalog_cache
    if cached is not None and cached[0] == contents:
        return cached[1]
    catalog = _Catalog(json.loads(contents) if isinstance(contents, str) else contents)
    _catalog_cache = (contents, catalog)
    return catalog


def _in_order(text: str, tokens: Sequence[str]) -> bool:
    """Whether ``tokens`` occur in ``text`` in this order, without overlapping (LIKE ``%a%b%``)."""
    position = 0
    for token in tokens:
        found = text.find(token, position)
        if found < 0:
            return False
        position = found + len(token)
    return True


# --- compiling ------------------------------------------------------------------------------

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

    def unfitted(self) -> _Compiler:
        """The same compiler without probes: for conditions that can never drive a query (negated ones)."""
        plain = copy.copy(self)
        plain.fits = False
        return plain

    def catalog(self) -> _Catalog:
        assert self.connection is not None
        if not self._catalog:
            self._catalog.append(_source_catalog(self.connection))
        return self._catalog[0]

    # --- planning ---

    def member(
        self,
        column: ColumnElement[int],
        subquery: sa.Select[Any],
        probe: sa.Select[Any] | None = None,
    ) -> _Cond:
        """``column IN (subquery)``; ``probe`` selects one row per matching claim (default: ``subquery``)."""
        plain = column.in_(subquery)
        if not self.fits:
            return _Cond.same(plain)
        if self._many(probe if probe is not None else subquery):
            return _Cond((column + sa.literal_column("0", sa.Integer)).in_(subquery), plain)
        return _Cond(plain, plain, drives=True)

    def _many(self, probe: sa.Select[Any], threshold: int | None = None) -> bool:
        assert self.connection is not None
        threshold = SCAN_THRESHOLD if threshold is None else threshold
        capped = sa.select(sa.func.count()).select_from(probe.limit(threshold).subquery())
        return int(self.connection.execute(capped).scalar_one()) >= threshold

    def reviewed(self, value: bool) -> _Cond:
        # ix_claim_reviewed is for "next unreviewed claim"; as a filter it helps only
        # when few claims have that value (see member()).
        indexed = claim.c.reviewed.is_(value)
        if not self.fits:
            return _Cond.same(indexed)
        if self._many(sa.select(claim.c.id).where(indexed)):
            return _Cond(sa.func.coalesce(claim.c.reviewed, sa.false(), type_=sa.Boolean).is_(value), indexed)
        return _Cond(indexed, indexed, drives=True)

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
        if self._many(probe if status is None else probe.where(status), SOURCE_SCAN_THRESHOLD):
            return _Cond((claim.c.source_id + sa.literal_column("0", sa.Integer)).in_(listed), plain)
        return _Cond(plain, plain, drives=True)

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
        """Conditions for the free terms, and the FTS5 query used (SQLite)."""
        if self.dialect_name != "sqlite":
            conditions = []
            for term in terms:
                condition = self.like_term(term)
                conditions.append(_not(condition) if term.negated else condition)
            return conditions, None
        positive, negative = fts_match(terms)
        if positive is not None:
            # One MATCH does it all: FTS5 subtracts the negated terms itself.
            query = positive if negative is None else f"({positive}) NOT ({negative})"
            return [self.member(claim.c.id, _fts_ids(query))], query
        assert negative is not None
        return [_Cond.same(claim.c.id.not_in(_fts_ids(negative)))], negative

    def like_term(self, term: Term) -> _Cond:
        """A free term without FTS: its words in order inside the folded text or source name."""
        tokens = _tokens(term.folded)
        pattern = _param("%" + "%".join(_escape_like(token) for token in tokens) + "%")
        in_text = _fold_sql(claim.c.text).like(pattern, escape="\\")
        if self.connection is not None:
            ids = self.catalog().named_in_order(tokens)
            by_source = self.unfitted().in_sources(ids)  # ORed with a scan of the text: nothing to drive
        else:
            by_source = self.unfitted().source_ids(_source_name_matches(pattern, self.dialect_name))
        return _Cond.same(sa.or_(in_text, by_source.fetch))

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
        if field in _SOURCE_FIELDS:
            return self.source_field([field_term], status)
        if field == "place":
            matching_places = sa.union(
                sa.select(place.c.id).where(sa.or_(*(_name_condition(place.c.folded, value) for value in values))),
                sa.select(place_alias.c.place_id).where(
                    sa.or_(*(_name_condition(place_alias.c.folded, value) for value in values))
                ),
            )
            claim_ids = sa.select(claim_place.c.claim_id).where(claim_place.c.place_id.in_(matching_places))
            return self.member(claim.c.id, claim_ids)
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
        if status is not None and any(condition.drives for condition in conditions):
            conditions[status_at] = _Cond(_likely(status.fetch), _likely(status.count))
        return _all_of(conditions), fts_query


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
    if fts_query is not None and not parsed.fields and any(not term.negated for term in parsed.terms):
        # Free words alone are one MATCH (negated words included): count it in the index itself.
        count_where = CountedWhere(condition.count, _fts_count(fts_query))
    return FilterResult(
        where=condition.fetch,
        message=message,
        parsed=parsed,
        fts_query=fts_query,
        count_where=count_where,
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
