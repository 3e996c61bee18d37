"""A claim's words as PostgreSQL's full-text index holds them, written by Python (migration 0009).

On SQLite the filter's free words go through FTS5 (migration 0002): the claim's
text folded by ``cc_fold`` (Python's ``text.fold``, registered on every
connection), split into words by the ``unicode61`` tokenizer. PostgreSQL cannot
call Python, and its own parser splits text differently (hyphenated words,
e-mail addresses, numbers with dots), so the words are worked out here, on
write, and stored ready-made: ``claim.search`` is a ``tsvector`` whose lexemes
are exactly the words FTS5 sees, each with its positions, under a GIN index.
After the words come the claim's cross-script keys where they differ from the
words (``search.keys.index_keys``: SQLite's ``keys`` column, migration 0011), as
lexemes marked with ``KEY``. A filter's terms become a ``tsquery`` built from the
very alternatives the FTS5 query is built from (``search.sql.term_alternatives``,
``alternatives_query``), so a word, a prefix (``bakh:*``), a phrase
(``'wagner' <-> 'units'``) and a key (``'bahmut':* | '~bahmut':*``) mean on
PostgreSQL what they mean to FTS5 on SQLite, and the same filter finds the same
claims on both. Nothing is ever parsed by PostgreSQL's text-search parser or
dictionaries: both sides are literals of lexemes.

Keeping ``claim.search`` current: a trigger (migration 0009) sets it to NULL
whenever a claim's text changes without it; a new claim starts NULL unless its
writer supplies it. ``fill_pending`` computes the NULL ones, and
``db.write_connection`` calls it just before every write transaction commits,
so the store, the bulk import and anything else that writes through it leave no
claim unindexed — and a claim written by hand in SQL is indexed by the next
write (or ``crosscheck check``'s repair).

PostgreSQL's limits, where FTS5 has none: a lexeme is at most 2046 bytes and
keeps at most 256 positions, and positions stop at 16,383. Longer words are cut
(on both sides, so they still meet), and a phrase is matched only among the
first 256 occurrences of its words in one claim. Claims are at most 20,000
characters, which keeps positions in range.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from desktop.core.search import fts5_characters
from desktop.core.search.keys import index_keys
from desktop.core.search.sql import Alternative
from desktop.core.text import fold

#: The claim column holding the document (PostgreSQL only; not part of the SQLModel tables).
COLUMN: Final = "search"
#: Marks a key's lexeme (``claim_document``): FTS5 splits words at it, so no word ever holds it.
KEY: Final = "~"
MAX_LEXEME_BYTES: Final = 2046
MAX_POSITIONS: Final = 256
MAX_POSITION: Final = 16_383
# Claims indexed per statement by ``fill_pending``.
_BATCH: Final = 2000

search_column: Final[ColumnElement[str]] = sa.literal_column(f"claim.{COLUMN}", TSVECTOR)

_ASCII_WORD: Final = re.compile(r"[a-z0-9]+")


@functools.cache
def _unicode61() -> dict[int, str | None]:
    """``str.translate`` table doing what FTS5's tokenizer does to each character (``fts5_characters``)."""
    table: dict[int, str | None] = {0: " "}  # NUL ends a string in SQLite: never inside a word
    for ranges, value in ((fts5_characters.SEPARATORS, " "), (fts5_characters.DROPPED, None)):
        for part in ranges.split(","):
            first, _, last = part.partition("-")
            for point in range(int(first, 16), int(last or first, 16) + 1):
                table[point] = value
    table.update(zip(map(ord, fts5_characters.FOLDED_FROM), fts5_characters.FOLDED_TO, strict=True))
    return table


def tokens(folded: str) -> list[str]:
    """``folded`` split into words exactly as FTS5's ``unicode61 remove_diacritics 2`` splits and folds them.

    FTS5 classifies characters by its own, frozen Unicode 6.1 tables, not Python's:
    a character unknown to them (a newer emoji) is part of a word, most combining
    marks separate words. So the table is read from SQLite itself
    (``scripts/fts5_characters.py``).
    """
    if folded.isascii():
        return _ASCII_WORD.findall(folded.lower())
    return [word for word in folded.translate(_unicode61()).split(" ") if word]


def _lexeme(word: str) -> str:
    """``word`` quoted as a tsvector/tsquery lexeme, cut to PostgreSQL's limit on a character boundary."""
    if len(word) * 4 > MAX_LEXEME_BYTES:
        word = word.encode()[:MAX_LEXEME_BYTES].decode(errors="ignore")
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def document_of(words: Sequence[str]) -> str:
    """The tsvector literal of ``words`` in order: each distinct word with its positions (1-based)."""
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(words, start=1):
        seen = positions.setdefault(word, [])
        if len(seen) < MAX_POSITIONS:
            seen.append(min(index, MAX_POSITION))
    return " ".join(_lexeme(word) + ":" + ",".join(map(str, places)) for word, places in positions.items())


def claim_document(text: str) -> str:
    """What ``claim.search`` holds for a claim with ``text``: FTS5's words of the folded text, then its keys.

    SQLite's index has a ``keys`` column beside the text (migration 0011): the words'
    cross-script keys where they differ from the words (``keys.index_keys``), a stream
    of words of its own. Here they are lexemes marked with ``KEY`` — a character
    FTS5 never keeps inside a word, so no word of the text can be one — numbered
    from 1 again: a phrase of keys lines up among the keys, a phrase of words among
    the words, and neither spans the two, as in FTS5's separate columns.
    """
    words = tokens(fold(text))
    keys = [KEY + key for key in tokens(index_keys(text))]
    if not keys:
        return document_of(words)
    return document_of(words) + " " + document_of(keys) if words else document_of(keys)


def alternatives_query(alternatives: Sequence[Alternative]) -> str | None:
    """The tsquery of a term's alternatives (``search.sql.term_alternatives``) in the claim's own streams.

    ``body source`` is the words of the text (the source's names are matched apart,
    in Python); ``body keys`` the words of the text or the keys. None: no words at all
    (a term FTS5 would find nothing for).
    """
    queries: list[str] = []
    for alternative in alternatives:
        words = tokens(alternative.words)
        if not words:
            continue
        queries.append(phrase_query(words, prefix=alternative.prefix))
        if alternative.columns == "body keys":
            queries.append(phrase_query([KEY + word for word in words], prefix=alternative.prefix))
    queries = list(dict.fromkeys(queries))  # a word that is its own key asks the text once
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else any_of(queries)


def phrase_query(words: Sequence[str], *, prefix: bool) -> str:
    """A tsquery for ``words`` in a row (one word: that word); ``prefix``: the last one as a prefix."""
    parts = [_lexeme(word) for word in words]
    if prefix:
        parts[-1] += ":*"
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def all_of(queries: Iterable[str]) -> str:
    return " & ".join(queries)


def any_of(queries: Iterable[str]) -> str:
    return "(" + " | ".join(queries) + ")"


def matches(query: str, table: str = "claim") -> ColumnElement[bool]:
    """``claim.search @@ query`` (``table``: the claim table's name or alias) with the query bound, never inlined."""
    bound = sa.bindparam(None, query, type_=sa.String(), unique=True)
    column = search_column if table == "claim" else sa.literal_column(f"{table}.{COLUMN}", TSVECTOR)
    return column.bool_op("@@")(sa.cast(bound, TSQUERY))


# --- writing -------------------------------------------------------------------------------------


def fill_pending(connection: Connection) -> int:
    """Index every claim whose ``search`` is NULL (new, or its text changed); how many (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return 0
    done = 0
    after = 0
    while True:
        rows = connection.execute(
            sa.text(f"SELECT id, text FROM claim WHERE {COLUMN} IS NULL AND id > :after ORDER BY id LIMIT :n"),
            {"after": after, "n": _BATCH},
        ).all()
        if not rows:
            return done
        if done == 0 and not _may_update_claims(connection):
            return 0  # a reviewer's write: the claims wait for the next analyst's (pending, never wrong)
        write_documents(connection, [(int(ident), claim_document(text or "")) for ident, text in rows])
        done += len(rows)
        after = int(rows[-1][0])


def _may_update_claims(connection: Connection) -> bool:
    return bool(connection.exec_driver_sql("SELECT has_table_privilege('claim', 'UPDATE')").scalar())


def write_documents(connection: Connection, documents: Sequence[tuple[int, str]]) -> None:
    """Set ``claim.search`` of each (id, tsvector literal), in one statement."""
    if not documents:
        return
    ids, literals = zip(*documents, strict=True)
    connection.execute(
        sa.text(
            f"UPDATE claim SET {COLUMN} = d.doc::tsvector "
            "FROM unnest(CAST(:ids AS bigint[]), CAST(:docs AS text[])) AS d(id, doc) WHERE claim.id = d.id"
        ),
        {"ids": list(ids), "docs": list(literals)},
    )


def stale_documents(connection: Connection) -> list[str]:
    """Interchange ids of claims whose stored words are missing or not those of their text (``crosscheck check``)."""
    stale: list[str] = []
    after = 0
    while True:
        rows = connection.execute(
            sa.text("SELECT id, text FROM claim WHERE id > :after ORDER BY id LIMIT :n"), {"after": after, "n": _BATCH}
        ).all()
        if not rows:
            return stale
        stale += connection.execute(
            sa.text(
                f"SELECT c.ext_id FROM claim AS c JOIN unnest(CAST(:ids AS bigint[]), CAST(:docs AS text[])) "
                f"AS d(id, doc) ON c.id = d.id WHERE c.{COLUMN} IS DISTINCT FROM d.doc::tsvector ORDER BY c.id"
            ),
            {"ids": [row[0] for row in rows], "docs": [claim_document(row[1] or "") for row in rows]},
        ).scalars()
        after = int(rows[-1][0])


def rebuild(connection: Connection) -> None:
    """Compute every claim's words again (the repair of ``crosscheck check``)."""
    connection.execute(sa.text(f"UPDATE claim SET {COLUMN} = NULL"))
    fill_pending(connection)
