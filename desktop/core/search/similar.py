"""Related-claim suggestions: the claims most likely about the same thing as a claim (DESIGN §4 ``similar``, §5).

**Candidates** come from indexes, never a scan, so a suggestion list costs about
the same at a thousand claims and at a million (``bench/bench_similar.py``):

- for each content word of the probe (at most ``MAX_WORDS``, longest first), the
  most recent ``PER_WORD`` claims whose text has that word, and those with a
  word starting like its spelling in the other script (Бахмут ↔ bakhmut), through the
  SQLite full-text index (on PostgreSQL, the word index ``claim.search``, bounded
  the same way);
- the most recent ``PER_PLACE`` claims tagged with each of the probe's places.

Of those, the ``MAX_CANDIDATES`` found by the most words and places (a place
counts twice) are read and scored.

**Score** (0–1) of a candidate, with the reasons shown to the analyst:

- shared words, by ``wordkeys.word_key`` (one key across scripts and
  spellings), as the cosine of the two claims' sets of keys, a word whose
  look-up filled its quota (a common word in this workspace) counting 0.4:
  up to 0.6;
- shared places: 0.25 for the first, 0.1 for each further one;
- dates (claimed, else the event's start): 0.15 the same day, 0.1 within three
  days, 0.05 within a week;
- the same report: 0.05.

Claims already linked to the probe, and pairs the analyst dismissed
(``dismissed_suggestion``), are never suggested. Ties go to the more recent claim.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from desktop.core.text import fold
from desktop.core.wordkeys import content_words, cyrillic_form, latin_form, word_key

MAX_WORDS: Final = 8
PER_WORD: Final = 40
PER_PLACE: Final = 100
MAX_CANDIDATES: Final = 120
MIN_SCORE: Final = 0.12
WORDS_SHARE: Final = 0.6
COMMON_WEIGHT: Final = 0.4
_IN_CHUNK: Final = 500


@dataclass(frozen=True)
class Probe:
    """What a suggestion list is for: a stored claim (``claim_id``) or one being written (no id)."""

    text: str
    places: tuple[int, ...] = ()
    date: dt.date | None = None
    report_id: int | None = None
    claim_id: int | None = None


@dataclass(frozen=True)
class Suggestion:
    claim_id: int
    ext_id: str
    text: str
    source: str
    score: float
    why: tuple[str, ...] = field(default_factory=tuple)


def probe_of(connection: Connection, claim_id: int) -> Probe | None:
    row = connection.execute(
        sa.text("SELECT text, claimed, event_start, report_id FROM claim WHERE id = :c"), {"c": claim_id}
    ).first()
    if row is None:
        return None
    places = tuple(
        r[0]
        for r in connection.execute(
            sa.text("SELECT place_id FROM claim_place WHERE claim_id = :c ORDER BY position"), {"c": claim_id}
        )
    )
    return Probe(row[0], places, _as_date(row[1]) or _as_date(row[2]), row[3], claim_id)


def suggest(connection: Connection, probe: Probe, *, limit: int = 8) -> list[Suggestion]:
    """The ``limit`` best suggestions for ``probe``, best first (see the module docstring)."""
    words = sorted(content_words(probe.text), key=len, reverse=True)[:MAX_WORDS]
    hits: Counter[int] = Counter()  # how many of the probe's words and places found each candidate
    common: set[str] = set()  # keys of words so frequent that their look-up filled its quota
    for word in words:
        found = _by_word(connection, word)
        hits.update(found)
        if len(found) >= PER_WORD and (key := word_key(word)) is not None:
            common.add(key)
    for found_by_place in _by_places(connection, probe.places):
        hits.update(dict.fromkeys(found_by_place, 2))
    if probe.claim_id is not None:
        for excluded in {probe.claim_id} | _excluded(connection, probe.claim_id):
            hits.pop(excluded, None)
    if not hits:
        return []
    # Only the candidates found most often are read and scored: reading and scoring are the cost.
    best = sorted(hits.items(), key=lambda item: (-item[1], -item[0]))[:MAX_CANDIDATES]
    rows = _candidate_rows(connection, [ident for ident, _count in best])
    return _ranked(probe, rows, limit, common)


def similar_to(connection: Connection, claim_id: int, *, limit: int = 8) -> list[Suggestion]:
    probe = probe_of(connection, claim_id)
    return [] if probe is None else suggest(connection, probe, limit=limit)


# --- candidates ------------------------------------------------------------------------------------


def _prefix(word: str) -> str:
    return word[: max(4, min(len(word), 6))]


def _by_word(connection: Connection, word: str) -> set[int]:
    # The word itself exactly (one doclist, read newest first: cheap); its other-script spelling as a
    # prefix (Бахмута, Бахмуту), which costs a merge of the doclists it covers.
    forms = {word: False}
    for other in (cyrillic_form(word), latin_form(word)):
        if other:
            forms[_prefix(other)] = True
    found: set[int] = set()
    for form, prefix in forms.items():
        if connection.dialect.name == "sqlite":
            match = 'body : "' + form.replace('"', '""') + '"' + ("*" if prefix else "")
            query = sa.text("SELECT rowid FROM claim_fts WHERE claim_fts MATCH :m ORDER BY rowid DESC LIMIT :n")
            found.update(r[0] for r in connection.execute(query, {"m": match, "n": PER_WORD}))
        else:
            found.update(_by_word_postgresql(connection, form, prefix))
    return found


def _by_word_postgresql(connection: Connection, form: str, prefix: bool) -> list[int]:
    """The most recent ``PER_WORD`` claims with ``form`` among their words (a prefix: ``prefix``), on PostgreSQL.

    Through the word index (``claim.search``, the words of the text as FTS5's body column holds
    them), never a scan of the text: ``cc_fold(text) LIKE`` read a million claims per word (20 s).
    A word in many claims is found by walking the newest claims first; a rare one in the word
    index first (the planner, not knowing how rare, would walk the whole table for it): which one
    it is, ``read.estimate.matches_at_least`` says, as for the filter.
    """
    from desktop.core.read.estimate import matches_at_least
    from desktop.core.search import SCAN_THRESHOLD, documents

    words = documents.tokens(fold(form))
    if not words:
        return []
    query_text = documents.phrase_query(words, prefix=prefix)
    condition = documents.matches(query_text)
    claim = sa.table("claim", sa.column("id"))
    if not matches_at_least(connection, condition, SCAN_THRESHOLD):
        worded = sa.table("claim", sa.column("id")).alias("worded")
        rare: sa.Select[Any] = sa.select(sa.func.array_agg(worded.c.id)).where(documents.matches(query_text, "worded"))
        condition = claim.c.id == sa.any_(sa.cast(rare.scalar_subquery(), postgresql.ARRAY(sa.Integer())))
    query = sa.select(claim.c.id).where(condition).order_by(claim.c.id.desc()).limit(PER_WORD)
    return list(connection.execute(query).scalars())


def _by_places(connection: Connection, places: Sequence[int]) -> list[list[int]]:
    query = sa.text("SELECT claim_id FROM claim_place WHERE place_id = :p ORDER BY claim_id DESC LIMIT :n")
    return [[r[0] for r in connection.execute(query, {"p": place, "n": PER_PLACE})] for place in places]


def _excluded(connection: Connection, claim_id: int) -> set[int]:
    query = sa.text(
        "SELECT to_id FROM link WHERE from_id = :c UNION SELECT from_id FROM link WHERE to_id = :c "
        "UNION SELECT other_id FROM dismissed_suggestion WHERE claim_id = :c "
        "UNION SELECT claim_id FROM dismissed_suggestion WHERE other_id = :c"
    )
    return {r[0] for r in connection.execute(query, {"c": claim_id})}


@dataclass
class _Row:
    id: int
    ext_id: str
    text: str
    source: str
    date: dt.date | None
    report_id: int | None
    places: list[tuple[int, str]] = field(default_factory=list)


def _candidate_rows(connection: Connection, ids: Iterable[int]) -> list[_Row]:
    ordered = sorted(ids)
    rows: dict[int, _Row] = {}
    claims = sa.text(
        "SELECT c.id, c.ext_id, c.text, s.name, c.claimed, c.event_start, c.report_id "
        "FROM claim AS c JOIN source AS s ON s.id = c.source_id WHERE c.id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    places = sa.text(
        "SELECT cp.claim_id, p.id, p.name FROM claim_place AS cp JOIN place AS p ON p.id = cp.place_id "
        "WHERE cp.claim_id IN :ids ORDER BY cp.claim_id, cp.position"
    ).bindparams(sa.bindparam("ids", expanding=True))
    for start in range(0, len(ordered), _IN_CHUNK):
        chunk = ordered[start : start + _IN_CHUNK]
        for ident, ext, text, source, claimed, event_start, report in connection.execute(claims, {"ids": chunk}):
            rows[ident] = _Row(ident, ext, text, source, _as_date(claimed) or _as_date(event_start), report)
        for ident, place, name in connection.execute(places, {"ids": chunk}):
            rows[ident].places.append((place, name))
    return list(rows.values())


# --- scoring ---------------------------------------------------------------------------------------


def _keys(words: Iterable[str]) -> dict[str, str]:
    """key → the first word that has it."""
    keyed: dict[str, str] = {}
    for word in words:
        key = word_key(word)
        if key is not None:
            keyed.setdefault(key, word)
    return keyed


def _ranked(probe: Probe, rows: list[_Row], limit: int, common: set[str]) -> list[Suggestion]:
    probe_keys = _keys(content_words(probe.text))
    row_keys = {row.id: set(_keys(content_words(row.text))) for row in rows}
    weight = {key: COMMON_WEIGHT if key in common else 1.0 for key in probe_keys}
    probe_mass = math.sqrt(sum(w * w for w in weight.values())) or 1.0
    probe_places = set(probe.places)
    scored: list[tuple[float, int, Suggestion]] = []
    for row in rows:
        why: list[str] = []
        shared = [key for key in probe_keys if key in row_keys[row.id]]
        score = 0.0
        if shared:
            # Cosine of the two sets of keys, the probe's keys weighted (the candidate's count as 1).
            overlap = sum(weight[key] for key in shared)
            score += WORDS_SHARE * min(1.0, overlap / (probe_mass * math.sqrt(len(row_keys[row.id]))))
            why.append("shared words: " + ", ".join(probe_keys[key] for key in shared[:5]))
        common_places = [name for place, name in row.places if place in probe_places]
        if common_places:
            score += 0.25 + 0.1 * (len(common_places) - 1)
            why.append("same place: " + ", ".join(common_places[:3]))
        if probe.date is not None and row.date is not None:
            gap = abs((probe.date - row.date).days)
            bonus = 0.15 if gap == 0 else 0.1 if gap <= 3 else 0.05 if gap <= 7 else 0.0
            if bonus:
                score += bonus
                why.append("same day" if gap == 0 else "1 day apart" if gap == 1 else f"{gap} days apart")
        if probe.report_id is not None and row.report_id == probe.report_id:
            score += 0.05
            why.append("same report")
        if score >= MIN_SCORE and (shared or common_places):
            score = round(min(score, 1.0), 3)
            suggestion = Suggestion(row.id, row.ext_id, row.text, row.source, score, tuple(why))
            scored.append((-score, -row.id, suggestion))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in scored[:limit]]


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


__all__ = ["Probe", "Suggestion", "probe_of", "similar_to", "suggest"]
