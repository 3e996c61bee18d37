"""Tokenising a filter query and parsing it into a ``ParsedFilter``, checking and normalising field values."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from desktop.core import vocab
from desktop.core.search.model import (
    FIELD_ALIASES,
    FIELDS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    MIN_PREFIX_CHARS,
    FieldTerm,
    ParsedFilter,
    Term,
)
from desktop.core.text import fold

_QUOTES: Final = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'))
# C0/C1 controls (tab and newline become spaces), bidi overrides and isolates,
# and lone surrogates, which cannot even be encoded to bind as a parameter.
_UNUSABLE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FIELD_NAME: Final = re.compile(r"([A-Za-z_]+):")
_DAY_ONLY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE: Final = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_CRED: Final = re.compile(r"([1-6])(?:\s*(?:-|–|\.\.)\s*([1-6]))?")
_YES: Final = ("yes", "true", "1")
_NO: Final = ("no", "false", "0")

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
                    field_term = dataclasses.replace(field_term, values=field_term.values[:budget])
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
    # Each mistake once, in the order first made: a pasted filter repeating a bad term says so once.
    return ParsedFilter(query=query, terms=tuple(terms), fields=tuple(fields), errors=tuple(dict.fromkeys(errors)))


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
    return FieldTerm(field=field, raw=raw, values=tuple(values), negated=negated, quoted=quoted)


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
    if field == "changed":
        return _change_moment(item)
    if field == "analyst":
        value = item.strip()
        return [value] if value else "analyst: needs a name"
    if field in ("reviewed", "disagree"):
        value = folded.rstrip("*")
        if any(word.startswith(value) for word in _YES):
            return ["yes"]
        if any(word.startswith(value) for word in _NO):
            return ["no"]
        return f'{field}: "{item}" — use yes or no'
    if field in ("side", "group"):
        value = folded.rstrip("*").strip()
        return [""] if value == "none" else [value] if value else f"{field}: needs a value"
    if field == "source":
        value = folded.rstrip("*").strip()
        return [value] if value else "source: needs a name, alias or id"
    if field == "outreach":
        return _by_prefix(field, folded, (*vocab.OUTREACH_STATUSES, "any", "none"))
    if field == "report":
        value = folded.rstrip("*").strip()
        return [value] if value else "report: needs words of its title, its id, or none"
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


def _change_moment(item: str) -> list[str] | str:
    """``>T`` / ``<T``: a timestamp (UTC unless it says), or a date — after its end / before its start."""
    text = item.strip()
    direction = text[:1]
    problem = f'changed: "{item}" — use >TIME or <TIME, e.g. changed:>2022-12-15T10:00Z or changed:>2022-12-14'
    if direction not in (">", "<"):
        return problem
    value = text[1:].lstrip("=").strip()
    try:
        if _DAY_ONLY.fullmatch(value):
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day, dt.time(23, 59, 59) if direction == ">" else dt.time(0, 0), tzinfo=dt.UTC)
        else:
            parsed = dt.datetime.fromisoformat(value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value)
            moment = parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    except ValueError:
        return problem
    return [f"{direction}{moment.strftime('%Y-%m-%dT%H:%M:%SZ')}"]


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
