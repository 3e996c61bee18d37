"""PostgreSQL's word index (migration 0009, ``search.documents``): the same claims as FTS5 on SQLite, from an index.

The same seeded claims are written to a SQLite file and to a database on the
session's PostgreSQL server, and every query here must find the same claims on
both: words in Latin and Cyrillic, diacritics, prefixes, phrases, negations,
words in source names, and hostile input.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from desktop.core import db, search
from desktop.core.search import documents
from desktop.core.text import fold
from desktop.core.workspace import Workspace, open_workspace
from tests.core.test_search import CLAIMS, HOSTILE, _seed, ext_ids
from tests.core.test_search_scripts import SAME_NAME

# Texts that FTS5's tokenizer and PostgreSQL's own parser would split differently, and the awkward
# characters a word index must survive: the document is built in Python, so they must agree anyway.
AWKWARD_TEXTS = [
    "Pro-Russian sources say the so-called e-mail from press@mod.gov.ru is fake.",
    "Losses: 1.5 thousand; 12,000 shells; v2.3.1 of the map; 10:30 local time.",
    "snake_case_word and CamelCaseWord and ALLCAPS and don't and rock'n'roll.",
    "Emoji 🔥💥 between words🔥and a flag 🇺🇦 here; private use \ue000abc\ue001.",
    "Backslash \\ and 'single' \"double\" quotes, a colon: and a <-> arrow & | ! :* tokens.",
    "Ѓ and ё and й: Київ, Харків, Запоріжжя; Артёмовск and Артемовск.",
    "Straße, ﬁnal ligature, Ǆemal, İstanbul, ΣΊΣΥΦΟΣ, crème brûlée.",
    "Combining a\u0301 mark, e\u0308, and an enclosing circle a\u20dd done.",
    "Repeated word " + "bakhmut " * 200 + "end of repeats.",
    "A very long word " + "x" * 3000 + " after it.",
    "Mixed scripts: Бахмутsk, Bakhмут, 7й, 2022-12-14T09:00Z.",
    "العربية والعبرية: שלום עולם and 中文字符 and 한국어 and ไทย.",
]


def _claims() -> list[dict[str, Any]]:
    extra = [
        {"ext_id": f"a{i}", "source": ["s-rybar", "s-isw", "s-gs", "s-ria", "s-tass"][i % 5], "text": text,
         "status": "unverified", "sort_date": f"2022-10-{i + 1:02d}"}
        for i, text in enumerate(AWKWARD_TEXTS)
    ]  # fmt: skip
    return [*CLAIMS, *extra]


def _sqlite(path: Path, claims: list[dict[str, Any]]) -> Engine:
    engine = db.make_engine("sqlite:///" + str(path))
    db.upgrade(engine)
    with db.write_connection(engine) as connection:
        _seed(connection, claims)
    return engine


def _both(folder: Path, postgres_server: str, claims: list[dict[str, Any]]) -> tuple[Engine, Engine]:
    """(SQLite, PostgreSQL) with ``claims``."""
    from tests.postgres_server import fresh_database

    lite = _sqlite(folder / "workspace.sqlite", claims)
    pg = db.make_engine(db.resolve_location(fresh_database(postgres_server)))
    db.upgrade(pg)
    with db.write_connection(pg) as connection:
        _seed(connection, claims)
    return lite, pg


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, postgres_server: str) -> Iterator[tuple[Engine, Engine]]:
    """(SQLite, PostgreSQL) with the same claims, for read-only tests."""
    lite, pg = _both(tmp_path_factory.mktemp("words"), postgres_server, _claims())
    yield lite, pg
    lite.dispose()
    pg.dispose()


@pytest.mark.postgres
def test_every_case_form_of_a_name_finds_the_same_claims(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: str
) -> None:
    """The case forms of ``SAME_NAME`` (read at query time, ``inflection``) find the same claims on both."""
    forms = [form for line in SAME_NAME for form in line.split()]
    claims = [
        {"ext_id": f"d{i}", "source": "s-gs", "text": f"Бої тривають біля {form}.", "status": "unverified",
         "sort_date": "2022-12-01"}
        for i, form in enumerate(forms)
    ]  # fmt: skip
    lite, pg = _both(tmp_path_factory.mktemp("declined"), postgres_server, [*CLAIMS, *claims])
    try:
        queries = [*forms, *(f"place:{form}" for form in ("бахмутом", "Бахмуті", "бахмутського", "Кліщіївці"))]
        assert _differences(lite, pg, queries) == {}
        assert ext_ids(lite, "києва") == ext_ids(lite, "Київ")  # each names Київ in all its forms
    finally:
        lite.dispose()
        pg.dispose()


def _queries() -> list[str]:
    """Every word of the claims and source names, its short prefixes, neighbouring pairs as phrases, negations."""
    words: list[str] = []
    for data in _claims():
        found = documents.tokens(fold(data["text"]))
        words += found
        words += [f'"{a} {b}"' for a, b in itertools.pairwise(found)]
    words += ["rybar", "рыбарь", "институт", "study of", '"of the armed"', '"staff of"', "генштаб", "зсу"]
    distinct = list(dict.fromkeys(words))
    prefixes = sorted({word[:n] for word in distinct if '"' not in word for n in (2, 3, 4) if len(word) > n})
    negations = [f"-{word}" for word in distinct[:40]] + [f"wagner -{word}" for word in distinct[40:80]]
    pairs = [f"{a} {b}" for a, b in zip(distinct[::7], distinct[3::7], strict=False)]
    return distinct + prefixes + negations + pairs


def _differences(lite: Engine, pg: Engine, queries: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    found = {}
    for query in queries:
        on_pg, on_sqlite = ext_ids(pg, query), ext_ids(lite, query)
        if on_pg != on_sqlite:
            found[query] = (on_pg, on_sqlite)
    return found


@pytest.mark.postgres
def test_every_word_prefix_phrase_and_negation_finds_the_same_claims(engines: tuple[Engine, Engine]) -> None:
    queries = _queries()
    assert len(queries) > 500
    assert _differences(*engines, queries) == {}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A name of Bakhmut: its tagged claims (c1, c2, c4) and the claims naming it by any name's key; ё
        # folded on both sides, and the locative names the place as the plain form does (its stem).
        ("артемовске", ["a5", "a8", "a10", "c4", "c1", "c2", "c8"]),
        ("АРТЁМОВСК", ["a5", "a8", "a10", "c4", "c1", "c2", "c8"]),
        ("kliscijivka", ["c3"]),
        ("bakhmut repelled", ["c8"]),  # whole words: not "Bakhmutske" (c3) — LIKE matched it
        ("bakhmut*", ["a5", "a8", "a10", "c4", "c1", "c2", "c3", "c8"]),  # … and Bakhmutske (c3), a prefix
        ('"repelled assaults"', ["c3"]),
        ('"assaults repelled"', []),
        ("pro russian", ["a0"]),
        ('"press mod gov"', ["a0"]),
        ("рыбарь", ["a0", "a5", "a10", "c1", "c6"]),  # the source's alias (a0, a5, a10 are Rybar's too)
        ('"study of war"', ["c7", "a1", "a6", "a11", "c2"]),  # a phrase in a source's name
        ("1 5", ["a1"]),
        ('"don"', ["a2"]),
        ("snake", ["a2"]),
        ("\ue000abc", ["a3"]),
    ],
)
def test_words_on_postgres(engines: tuple[Engine, Engine], query: str, expected: list[str]) -> None:
    lite, pg = engines
    assert ext_ids(pg, query) == ext_ids(lite, query) == expected


@pytest.mark.postgres
def test_a_phrase_past_a_words_256th_occurrence_is_not_found_on_postgres(engines: tuple[Engine, Engine]) -> None:
    """PostgreSQL keeps 256 positions of a word per claim (the documented gap; FTS5 keeps them all)."""
    lite, pg = engines
    with db.write_connection(pg) as on_pg, db.write_connection(lite) as on_sqlite:
        for connection in (on_pg, on_sqlite):
            connection.exec_driver_sql("SAVEPOINT repeats")
            repeated = "x " + "again " * 300 + "end"
            connection.execute(sa.text("UPDATE claim SET text = :t WHERE ext_id = 'c7'"), {"t": repeated})
        on_pg.exec_driver_sql("UPDATE claim SET search = NULL WHERE ext_id = 'c7'")
        from desktop.core.search.documents import fill_pending

        fill_pending(on_pg)
        assert search.matching_ids(on_sqlite, '"again end"') != []
        assert search.matching_ids(on_pg, '"again end"') == []
        assert search.matching_ids(on_pg, '"x again"') != []
        for connection in (on_pg, on_sqlite):
            connection.exec_driver_sql("ROLLBACK TO SAVEPOINT repeats")


@pytest.mark.postgres
def test_hostile_input_finds_the_same_claims(engines: tuple[Engine, Engine]) -> None:
    lite, pg = engines
    assert _differences(lite, pg, HOSTILE) == {}
    with pg.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(search.claim)).scalar() == len(_claims())


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.lists(
        st.sampled_from(["bakh", "wagner", "ба", "the", '"', "-", "*", "ё", "е", "x", "'", "\\", " ", "rep", "ст"]),
        max_size=8,
    ).map("".join)
    | st.text(max_size=30)
)
@pytest.mark.postgres
def test_any_text_finds_the_same_claims(engines: tuple[Engine, Engine], query: str) -> None:
    assert _differences(*engines, [query]) == {}


# --- the documents -------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=40))
def test_words_are_split_and_folded_as_fts5_does(text: str) -> None:
    """FTS5's own vocabulary of a text is the set of words the PostgreSQL document holds."""
    import sqlite3

    folded = fold(text)
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(b, tokenize = 'unicode61 remove_diacritics 2')")
        connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        connection.execute("INSERT INTO t (b) VALUES (?)", (folded,))
        found = [term for _offset, term in sorted(connection.execute("SELECT offset, term FROM v"))]
    finally:
        connection.close()
    assert documents.tokens(folded) == found


def test_document_literal_quotes_cuts_and_caps() -> None:
    # "It's" keys to "it" (the possessive dropped), which differs from its words: a key lexeme, numbered apart.
    assert documents.claim_document("It's a B\\c — IT'S") == "'it':1,6 's':2,7 'a':3 'b':4 'c':5 '~it':1,2"
    literal = documents.document_of(["it", "s", "o'k", "b\\c", "it"])
    assert literal == "'it':1,5 's':2 'o''k':3 'b\\\\c':4"
    long_word = "ж" * 2000  # 4,000 bytes: cut to 1,023 letters (2,046 bytes)
    assert documents.document_of([long_word]) == "'" + "ж" * 1023 + "':1"
    repeated = documents.document_of(["w"] * 300)
    assert repeated.count(",") == documents.MAX_POSITIONS - 1


# --- keeping the index current ---------------------------------------------------------------------


@pytest.fixture
def pg_workspace(postgres_url: str) -> Iterator[Workspace]:
    opened = open_workspace(postgres_url)
    yield opened
    opened.close()


def _pending(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM claim WHERE search IS NULL").scalar_one())


def _ids(ws: Workspace, query: str) -> list[str]:
    return ext_ids(ws.engine, query)


@pytest.mark.postgres
def test_the_store_indexes_what_it_writes_and_undo_follows(pg_workspace: Workspace) -> None:
    store = pg_workspace.store
    source = store.create_source("Rybar", kind="telegram-channel", side="russia").value
    claim = store.create_claim("Defences breached near Бахмут", source, ext_id="c-1").value
    assert _ids(pg_workspace, "бахмут") == ["c-1"]
    edit = store.update_claim(claim, text="Assaults repelled near Soledar")
    assert _ids(pg_workspace, "бахмут") == [] and _ids(pg_workspace, "soledar") == ["c-1"]
    edit.undo(store)
    assert _ids(pg_workspace, "breached") == ["c-1"] and _ids(pg_workspace, "soledar") == []
    deletion = store.delete_claim(claim)
    assert _ids(pg_workspace, "breached") == []
    deletion.undo(store)
    assert _ids(pg_workspace, "breached") == ["c-1"]
    assert _pending(pg_workspace.engine) == 0


@pytest.mark.postgres
def test_an_import_is_indexed_in_its_own_transaction(pg_workspace: Workspace) -> None:
    from desktop.core.interchange import import_json
    from desktop.core.workspace import SAMPLE_WORKSPACE

    import_json(pg_workspace.engine, SAMPLE_WORKSPACE.read_bytes(), analyst="sample")
    assert _pending(pg_workspace.engine) == 0
    assert _ids(pg_workspace, "newsweek")


@pytest.mark.postgres
def test_text_changed_in_plain_sql_is_never_searched_with_old_words(pg_workspace: Workspace) -> None:
    store = pg_workspace.store
    source = store.create_source("Rybar").value
    store.create_claim("Defences breached", source, ext_id="c-1")
    with pg_workspace.engine.begin() as connection:  # not through db.write_connection: nothing re-indexes
        connection.exec_driver_sql("UPDATE claim SET text = 'Assaults repelled' WHERE ext_id = 'c-1'")
    assert _pending(pg_workspace.engine) == 1
    assert _ids(pg_workspace, "breached") == []  # the old words are gone at once…
    store.create_source("TASS")  # … and the next write indexes the new ones
    assert _pending(pg_workspace.engine) == 0
    assert _ids(pg_workspace, "repelled") == ["c-1"]


@pytest.mark.postgres
def test_the_migration_indexes_existing_claims_and_downgrades(pg_workspace: Workspace) -> None:
    store = pg_workspace.store
    source = store.create_source("Rybar").value
    store.create_claim("Defences breached near Бахмут", source, ext_id="c-1")
    engine = pg_workspace.engine
    with engine.connect() as connection, connection.begin():
        command.downgrade(db._alembic_config(connection), "0008")
    with engine.connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("claim")}
    assert "search" not in columns
    assert db.upgrade(engine).current == db.known_revisions()[1]
    assert _pending(engine) == 0
    assert _ids(pg_workspace, "бахмут") == ["c-1"]


@pytest.mark.postgres
def test_the_word_index_answers_a_rare_word_in_a_large_workspace(postgres_url: str) -> None:
    """EXPLAIN at 20,000 claims: a rare word is read from the GIN index, never a scan of the claims."""
    ws = open_workspace(postgres_url)
    try:
        with db.write_connection(ws.engine) as connection:
            source_id = connection.execute(
                sa.text(
                    "INSERT INTO source (ext_id, name, kind, side, group_label, reliability, notes, aliases) "
                    "VALUES ('s', 'Bulk', 'other', '', '', 'F', '', '[]') RETURNING id"
                )  # fmt: skip
            ).scalar_one()
            connection.execute(
                sa.text(
                    "INSERT INTO claim (ext_id, text, source_id, kind, reviewed, tags, notes, recorded, sort_date, "
                    "status, suggested_credibility, verdict_disputed, link_count) "
                    "SELECT 'c' || i, 'claim number ' || i || ' about shelling near town' "
                    "|| translate((i % 500)::text, '0123456789', 'bdflmnprtv'), :s, 'event', "
                    "false, '[]', '', now(), DATE '2022-01-01' + (i % 700), 'unverified', 6, false, 0 "
                    "FROM generate_series(1, 20000) AS i"
                ),
                {"s": source_id},
            )
        with ws.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE claim")

            def plan_of(query: str) -> str:
                where = search.compile_filter(query, "postgresql", connection=connection).where
                assert where is not None
                statement = sa.select(search.claim.c.id).where(where).order_by(search.claim.c.sort_date.desc())
                compiled = statement.limit(40).compile(
                    dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
                )
                return "\n".join(connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars())  # type: ignore[arg-type]

            assert "ix_claim_search" in plan_of("towndfl"), plan_of("towndfl")
            assert len(search.matching_ids(connection, "towndfl")) == 40
        ws.store.create_place("Townrvv")  # a rare word that names a place: its claims too, still from the index
        with ws.engine.connect() as connection:
            assert "ix_claim_search" in plan_of("townrvv"), plan_of("townrvv")
            assert len(search.matching_ids(connection, "townrvv")) == 40
            # towndf, towndfb…towndfv, and townddf by its key (doubled letters once): 12 of 500 → 480
            assert len(search.matching_ids(connection, '"about shelling" towndf*')) == 480
    finally:
        ws.close()


def test_sqlite_workspaces_have_no_search_column(workspace: Workspace) -> None:
    with workspace.engine.connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("claim")}
    assert "search" not in columns


@pytest.mark.postgres
def test_check_finds_stale_words_and_the_repair_mends_them(pg_workspace: Workspace) -> None:
    from desktop.core import integrity
    from desktop.core.store import repair

    store = pg_workspace.store
    source = store.create_source("Rybar").value
    store.create_claim("Defences breached", source, ext_id="c-1")
    store.create_claim("Assaults repelled", source, ext_id="c-2")
    with pg_workspace.engine.begin() as connection:  # damage behind the store's back
        connection.exec_driver_sql("UPDATE claim SET search = 'wrong'::tsvector WHERE ext_id = 'c-2'")
    problems = [p for p in integrity.check(pg_workspace.engine) if p.repair == "search-index"]
    assert [p.message for p in problems] == ["claim c-2 is missing from the search index or indexed with old text"]
    assert _ids(pg_workspace, "repelled") == []
    repair.repair(pg_workspace.engine, ["search-index"])
    assert [p for p in integrity.check(pg_workspace.engine) if p.repair == "search-index"] == []
    assert _ids(pg_workspace, "repelled") == ["c-2"]
