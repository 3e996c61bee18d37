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

Given a SQLite connection, ``compile_filter`` also fits the plan to the data (a
word in half the claims is filtered while the table is walked in date order, a
rare one drives the query; see ``_Compiler``) and returns a second, equivalent
condition that counts fastest (``FilterResult.count_where``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
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
    # The same rows as ``where``, in the form that counts fastest (differs only when
    # compiled with a connection; see _Compiler). None exactly when ``where`` is.
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


class _Compiler:
    """Builds the condition for one dialect; with a SQLite connection, also picks plans.

    SQLite drives a query from ``column IN (subquery)`` whenever it can, as if the
    subquery returned a handful of rows. For a rare word that is ideal; for a word
    in half the claims it fetches and sorts 500,000 rows to show the first 100
    (≈150 ms at 1M claims, and again for every page scrolled). Then the better plan
    is to walk the claims in table order and test each against the subquery's
    result, which the ``+ 0`` forces (an expression cannot use an index). Which
    case holds is known only from the data, so the subquery is probed, capped at
    ``SCAN_THRESHOLD`` rows (well under a millisecond). Counting is the exception:
    it is always fastest driven from the subquery, hence ``count_where``.
    """

    def __init__(self, dialect_name: str, connection: Connection | None) -> None:
        self.dialect_name = dialect_name
        self.connection = connection if dialect_name == "sqlite" else None

    def member(
        self,
        column: ColumnElement[int],
        subquery: sa.Select[Any],
        probe: sa.Select[Any] | None = None,
    ) -> ColumnElement[bool]:
        """``column IN (subquery)``; ``probe`` selects one row per matching claim (default: ``subquery``)."""
        if self.connection is not None and self._many(probe if probe is not None else subquery):
            return (column + sa.literal_column("0", sa.Integer)).in_(subquery)
        return column.in_(subquery)

    def _many(self, probe: sa.Select[Any]) -> bool:
        assert self.connection is not None
        capped = sa.select(sa.func.count()).select_from(probe.limit(SCAN_THRESHOLD).subquery())
        return int(self.connection.execute(capped).scalar_one()) >= SCAN_THRESHOLD

    def reviewed(self, value: bool) -> ColumnElement[bool]:
        # ix_claim_reviewed is for "next unreviewed claim"; as a filter it helps only
        # when few claims have that value (see member()).
        indexed = claim.c.reviewed.is_(value)
        if self.connection is not None and self._many(sa.select(claim.c.id).where(indexed)):
            return sa.func.coalesce(claim.c.reviewed, sa.false(), type_=sa.Boolean).is_(value)
        return indexed

    def source_ids(self, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        # Uncorrelated: the (small) source table is searched once, then each claim's
        # source_id is checked against the result.
        sources = sa.select(source.c.id).where(condition)
        return self.member(claim.c.source_id, sources, sa.select(claim.c.id).where(claim.c.source_id.in_(sources)))

    def words(self, terms: Sequence[Term]) -> tuple[list[ColumnElement[bool]], str | None]:
        """Conditions for the free terms, and the FTS5 query used (SQLite)."""
        if self.dialect_name != "sqlite":
            conditions = []
            for term in terms:
                condition = self.like_term(term)
                conditions.append(sa.not_(condition) if term.negated else condition)
            return conditions, None
        positive, negative = fts_match(terms)
        if positive is not None:
            # One MATCH does it all: FTS5 subtracts the negated terms itself.
            query = positive if negative is None else f"({positive}) NOT ({negative})"
            return [self.member(claim.c.id, _fts_ids(query))], query
        assert negative is not None
        return [claim.c.id.not_in(_fts_ids(negative))], negative

    def like_term(self, term: Term) -> ColumnElement[bool]:
        """A free term without FTS: its words in order inside the folded text or source name."""
        pattern = _param("%" + "%".join(_escape_like(token) for token in _tokens(term.folded)) + "%")
        return sa.or_(
            _fold_sql(claim.c.text).like(pattern, escape="\\"),
            self.source_ids(_source_name_matches(pattern, self.dialect_name)),
        )

    def field(self, field_term: FieldTerm) -> ColumnElement[bool]:
        """The condition one field term asks for, before negation; never NULL, so NOT works."""
        field, values = field_term.field, field_term.values
        if field == "status":
            return claim.c.status.in_([_param(value) for value in values])
        if field == "verdict":
            wanted = ["" if value == "none" else value for value in values]
            return sa.func.coalesce(claim.c.verdict, "").in_([_param(value) for value in wanted])
        if field == "kind":
            claim_kinds = [value for value in values if not value.startswith("source:")]
            source_kinds = [value.removeprefix("source:") for value in values if value.startswith("source:")]
            conditions: list[ColumnElement[bool]] = []
            if claim_kinds:
                conditions.append(claim.c.kind.in_([_param(value) for value in claim_kinds]))
            if source_kinds:
                conditions.append(self.source_ids(source.c.kind.in_([_param(value) for value in source_kinds])))
            return sa.or_(*conditions)
        if field == "cred":
            grades = [int(value) for value in values if value != "none"]
            conditions = []
            if grades:
                conditions.append(
                    sa.func.coalesce(claim.c.credibility, 0).in_([_param(grade, sa.Integer()) for grade in grades])
                )
            if "none" in values:
                conditions.append(claim.c.credibility.is_(None))
            return sa.or_(*conditions)
        if field in ("after", "before", "on"):
            conditions = []
            for value in values:
                start, end = (dt.date.fromisoformat(part) for part in value.split(".."))
                low = claim.c.sort_date >= _param(start, sa.Date())
                high = claim.c.sort_date <= _param(end, sa.Date())
                conditions.append(low if field == "after" else high if field == "before" else sa.and_(low, high))
            return sa.or_(*conditions)
        if field == "reviewed":
            return sa.or_(*(self.reviewed(value == "yes") for value in values))
        if field in ("side", "group"):
            column = source.c.side if field == "side" else source.c.group_label
            return self.source_ids(
                sa.or_(
                    *[
                        column == "" if value == "" else _fold_sql(column).like(_like_prefix(value), escape="\\")
                        for value in values
                    ]
                )
            )
        if field == "source":
            return self.source_ids(
                sa.or_(
                    *(
                        sa.or_(
                            _source_name_matches(_like_contains(value), self.dialect_name),
                            _fold_sql(source.c.ext_id).like(_like_contains(value), escape="\\"),
                        )
                        for value in values
                    )
                )
            )
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
            return sa.exists(
                sa.select(1)
                .select_from(tags)
                .where(sa.or_(*(_name_condition(_fold_sql(tags.c.value), value) for value in values)))
            )
        raise AssertionError(f"field {field!r} has no SQL")  # FIELDS and this method must agree

    def where(self, parsed: ParsedFilter) -> tuple[ColumnElement[bool] | None, str | None]:
        conditions, fts_query = self.words(parsed.terms) if parsed.terms else ([], None)
        # Same field: positive values OR together, negated ones each exclude; fields AND.
        positive_by_field: dict[str, list[ColumnElement[bool]]] = {}
        for field_term in parsed.fields:
            condition = self.field(field_term)
            if field_term.negated:
                conditions.append(sa.not_(condition))
            else:
                positive_by_field.setdefault(field_term.field, []).append(condition)
        for alternatives in positive_by_field.values():
            conditions.append(alternatives[0] if len(alternatives) == 1 else sa.or_(*alternatives))
        if not conditions:
            return None, fts_query
        return (conditions[0] if len(conditions) == 1 else sa.and_(*conditions)), fts_query


def compile_parsed(parsed: ParsedFilter, dialect_name: str, *, connection: Connection | None = None) -> FilterResult:
    """``parsed`` as a condition over ``claim`` for ``dialect_name`` ("sqlite", "postgresql").

    Give ``connection`` (SQLite) to have the plan fitted to the data (see ``_Compiler``);
    it costs a few capped index probes, well under a millisecond each.
    """
    where, fts_query = _Compiler(dialect_name, connection).where(parsed)
    count_where = where if connection is None else _Compiler(dialect_name, None).where(parsed)[0]
    message = " · ".join(parsed.errors) if parsed.errors else None
    return FilterResult(where=where, message=message, parsed=parsed, fts_query=fts_query, count_where=count_where)


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
