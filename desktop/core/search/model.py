"""The filter language's vocabulary: limits, field definitions, and what parsing and compiling produce."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy.sql.elements import ColumnElement

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
        FieldSpec("changed", "changed", "changed:>2022-12-15T10:00Z or changed:>2022-12-14"),
        FieldSpec("analyst", "analyst", "analyst:anna (claims anna has judged a link on)"),
        FieldSpec("disagree", "disagree", "disagree:yes (analysts' judgements on a link differ)"),
        FieldSpec("report", "report", "report:newsweek, report:rep-1 or report:none"),
        FieldSpec("outreach", "request for comment", "outreach:pending, outreach:any or outreach:none"),
    )
}
FIELD_ALIASES: Final = {"credibility": "cred", "date": "on", "src": "source"}


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
    source — folded substring; place/tag — folded name, ``*`` at the end for a prefix (an unquoted Russian or
    Ukrainian place name in a case form also names the place: ``inflection.case_forms``);
    changed — ``">TIMESTAMP"`` or ``"<TIMESTAMP"`` (UTC, ``Z``): the claim, or a link touching it, changed
    after / before that moment (a date: after its end / before its start).
    """

    field: str
    raw: str  # the value as typed
    values: tuple[str, ...]
    negated: bool
    quoted: bool = False  # the value was typed in quotes: taken exactly as written


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
    # The string bound to MATCH (SQLite) when it is all the free words ask (no word names a place).
    fts_query: str | None = None
    # The same rows as ``where``, in the form that counts fastest: it differs when compiled
    # with a connection (see _Compiler), and for free words alone on SQLite it is a
    # ``paging.CountedWhere`` that ``paging.count`` counts from the FTS index. None exactly
    # when ``where`` is. With a connection, source fields are resolved to the source ids
    # of that moment: compile again after sources change (a new or renamed source).
    count_where: ColumnElement[bool] | None = None
    # How many claims ``where`` matches, when fitting the plan counted them all (SQLite: the
    # filter is one probed condition, or a status and one probed source field, and the capped
    # probe found fewer than its cap); as of the compiling connection's snapshot. None: not known.
    count: int | None = None
