"""The filter language (desktop.core.search), the full-text index (migration 0002) and the source index (0003)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from desktop.core import db, search, sqlfunctions
from desktop.core.text import fold

RECORDED = dt.datetime(2022, 12, 15, 9, 0, tzinfo=dt.UTC)

SOURCES = [
    # ext_id, name, aliases, kind, side, group
    ("s-rybar", "Rybar", ["Рыбарь"], "telegram-channel", "russia", ""),
    ("s-isw", "Institute for the Study of War", ["ISW"], "think-tank", "", ""),
    ("s-gs", "General Staff of the Armed Forces of Ukraine", ["Генштаб ЗСУ"], "government", "ukraine", ""),
    ("s-ria", "RIA Novosti", ["РИА Новости"], "news-outlet", "russia", "state-media"),
    ("s-tass", "TASS", ["ТАСС"], "news-outlet", "russia", "state-media"),
]

PLACES = [
    # ext_id, name, aliases
    ("pl-bakhmut", "Bakhmut", ["Бахмут", "Artemivsk", "Артёмовск"]),
    ("pl-soledar", "Soledar", ["Соледар"]),
    ("pl-bakhmutske", "Bakhmutske", ["Бахмутское"]),  # a prefix of it is not Bakhmut
    ("pl-klishch", "Kliščijivka", ["Кліщіївка", "Klishchiivka"]),
]

CLAIMS: list[dict[str, Any]] = [
    dict(
        ext_id="c1", source="s-rybar", text="Wagner units breached the defences of Бахмут from the east.",
        status="contested", sort_date="2022-12-14", places=["pl-bakhmut"], tags=["assault"],
    ),
    dict(
        ext_id="c2", source="s-isw", text="ISW cannot confirm the reported breakthrough near Artemivsk.",
        status="unconfirmed", sort_date="2022-12-14", places=["pl-bakhmut"], kind="assessment",
        credibility=3, reviewed=True,
    ),
    dict(
        ext_id="c3", source="s-gs", text="Ukrainian forces repelled assaults near Kliščijivka and Bakhmutske.",
        status="contradicted", sort_date="2022-12-15", places=["pl-klishch", "pl-bakhmutske"],
        credibility=2, verdict="confirmed", tags=["Artillery"], reviewed=True,
    ),
    dict(
        ext_id="c4", source="s-ria", text="Штурмовые отряды продвинулись в Артёмовске.",
        status="corroborated", sort_date="2022-12-13", places=["pl-bakhmut"], kind="statement",
        credibility=4, verdict="refuted", tags=["assault", "artillery"],
    ),
    dict(
        ext_id="c5", source="s-tass", text="Бои за Соледар продолжаются; горит ёлка у вокзала.",
        status="aligned", sort_date="2022-11-30", places=["pl-soledar"],
    ),
    dict(
        ext_id="c6", source="s-rybar", text="Café reports: the CRÈME de la crème of Wagner; елка на площади.",
        status="unverified", sort_date="2023-01-05", verdict="inconclusive", credibility=6,
    ),
    dict(
        ext_id="c7", source="s-isw", text='Pushed back from the outskirts, with "quoted words" inside.',
        status="unverified", sort_date="2022-01-10", kind="assessment",
    ),
    dict(
        ext_id="c8", source="s-gs", text="Enemy losses: 120 personnel. Repelled in the Bakhmut direction.",
        status="contested", sort_date="2023-02-01", credibility=1, reviewed=True,
    ),
]  # fmt: skip
ALL = [claim["ext_id"] for claim in sorted(CLAIMS, key=lambda claim: (claim["sort_date"], claim["ext_id"]))]


def _seed(connection: Connection, claims: list[dict[str, Any]]) -> None:
    tables = SQLModel.metadata.tables
    for ext_id, name, aliases, kind, side, group in SOURCES:
        connection.execute(
            sa.insert(tables["source"]).values(
                ext_id=ext_id, name=name, aliases=aliases, kind=kind, side=side, group_label=group,
                reliability="F", notes="",
            )
        )  # fmt: skip
    source_ids = dict(connection.execute(sa.select(tables["source"].c.ext_id, tables["source"].c.id)).all())
    for ext_id, name, aliases in PLACES:
        place_id = connection.execute(
            sa.insert(tables["place"]).values(ext_id=ext_id, name=name, folded=fold(name))
        ).inserted_primary_key[0]
        for position, alias in enumerate(aliases):
            connection.execute(
                sa.insert(tables["place_alias"]).values(
                    place_id=place_id, position=position, alias=alias, folded=fold(alias)
                )
            )
    place_ids = dict(connection.execute(sa.select(tables["place"].c.ext_id, tables["place"].c.id)).all())
    for data in claims:
        claim_id = connection.execute(
            sa.insert(tables["claim"]).values(
                ext_id=data["ext_id"], text=data["text"], source_id=source_ids[data["source"]],
                kind=data.get("kind", "event"), credibility=data.get("credibility"), verdict=data.get("verdict"),
                reviewed=data.get("reviewed", False), tags=data.get("tags", []), notes="", recorded=RECORDED,
                sort_date=dt.date.fromisoformat(data["sort_date"]), status=data["status"],
                suggested_credibility=6, verdict_disputed=False, link_count=0,
            )
        ).inserted_primary_key[0]  # fmt: skip
        for position, place_ext in enumerate(data.get("places", [])):
            connection.execute(
                sa.insert(tables["claim_place"]).values(
                    claim_id=claim_id, place_id=place_ids[place_ext], position=position
                )
            )


def _workspace(path: Path) -> Engine:
    engine = db.make_engine("sqlite:///" + str(path))  # registers cc_fold on every connection
    db.upgrade(engine)
    with db.write_connection(engine) as connection:
        _seed(connection, CLAIMS)
    return engine


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One seeded workspace for the read-only tests (they never write)."""
    engine = _workspace(tmp_path_factory.mktemp("search") / "workspace.sqlite")
    yield engine
    engine.dispose()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Engine]:
    """A fresh seeded workspace for tests that write."""
    engine = _workspace(tmp_path / "workspace.sqlite")
    yield engine
    engine.dispose()


def ext_ids(engine: Engine, query: str) -> list[str]:
    """The claims ``query`` matches, as ext ids in table order."""
    with engine.connect() as connection:
        ids = search.matching_ids(connection, query)
        claim = search.claim
        by_id = dict(connection.execute(sa.select(claim.c.id, claim.c.ext_id)).all())
    return [by_id[claim_id] for claim_id in ids]


def message(query: str) -> str:
    result = search.compile_filter(query, "sqlite")
    assert result.message is not None, f"no message for {query!r}"
    return result.message


# --- free words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("breached", ["c1"]),
        ("WAGNER", ["c1", "c6"]),
        ("wagner east", ["c1"]),  # words AND together
        ("repelled", ["c3", "c8"]),
        ("120", ["c8"]),
        ("nothingmatchesthis", []),
    ],
)
def test_free_words_match_claim_text(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


def test_last_word_is_a_prefix_and_earlier_words_are_not(shared: Engine) -> None:
    assert ext_ids(shared, "repell") == ["c3", "c8"]
    assert ext_ids(shared, "units wag") == ["c1"]
    assert ext_ids(shared, "wag units") == []  # "wag" is not the last word: a whole word


def test_one_character_last_word_is_not_a_prefix(shared: Engine) -> None:
    assert ext_ids(shared, "b") == []
    assert ext_ids(shared, "ba") == ["c7", "c1", "c3", "c8"]  # back, Бахмут (by its key), Bakhmutske, Bakhmut
    assert search.parse("b").terms[0].prefix is False


def test_phrase_matches_words_in_order(shared: Engine) -> None:
    assert ext_ids(shared, '"repelled assaults"') == ["c3"]
    assert ext_ids(shared, '"assaults repelled"') == []
    assert ext_ids(shared, '"quoted words"') == ["c7"]
    assert ext_ids(shared, "«продвинулись в»") == ["c4"]  # guillemets are quotes too


def test_phrase_is_not_a_prefix(shared: Engine) -> None:
    assert ext_ids(shared, '"repell"') == []


def test_negated_word_and_phrase_exclude(shared: Engine) -> None:
    assert ext_ids(shared, "wagner -cafe") == ["c1"]
    assert ext_ids(shared, "-wagner") == [c for c in ALL if c not in ("c1", "c6")]
    assert ext_ids(shared, '-"repelled assaults"') == [c for c in ALL if c != "c3"]
    assert ext_ids(shared, "repelled -bakhmut") == ["c3"]  # c8 says "Bakhmut"; c3 only "Bakhmutske"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe", ["c6"]),
        ("CAFÉ", ["c6"]),
        ("creme", ["c6"]),
        ("kliscijivka", ["c3"]),
        ("Kliščijivka", ["c3"]),
        # c4's text has "Артёмовске", a case form of Bakhmut's alias Артёмовск: it names the place as
        # артемовск does, so the claims tagged with Bakhmut come too
        ("артемовске", ["c4", "c1", "c2", "c8"]),
        ("АРТЁМОВСКЕ", ["c4", "c1", "c2", "c8"]),
        ("артемовск", ["c4", "c1", "c2", "c8"]),
        ('"артемовске"', ["c4"]),  # quoted: exact
        ("ёлка", ["c5", "c6"]),  # c5 "ёлка", c6 "елка"
        ("елка", ["c5", "c6"]),
        ("бои соледар", ["c5"]),
    ],
)
def test_case_and_diacritics_fold_in_latin_and_cyrillic(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


def test_free_words_match_source_name_and_aliases(shared: Engine) -> None:
    assert ext_ids(shared, "рыбарь") == ["c1", "c6"]  # alias of Rybar
    assert ext_ids(shared, "isw") == ["c7", "c2"]  # c2 says ISW; c7's source is called ISW
    assert ext_ids(shared, "novosti shturm") == ["c4"]  # shturm meets Штурмовые by its key
    assert ext_ids(shared, "novosti wagner") == []
    assert ext_ids(shared, "novosti штурм") == ["c4"]


def test_phrase_does_not_span_text_and_source_name(shared: Engine) -> None:
    assert ext_ids(shared, '"bakhmut direction general"') == []


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status:contested", ["c1", "c8"]),
        ("status:contested,contradicted", ["c1", "c3", "c8"]),
        ("status:contested status:contradicted", ["c1", "c3", "c8"]),
        ("status:corr", ["c4"]),
        ("status:con", ["c1", "c3", "c8"]),  # an ambiguous prefix takes every match
        ("Status:ALIGNED", ["c5"]),
        ("-status:unverified", ["c5", "c4", "c1", "c2", "c3", "c8"]),
        ("verdict:confirmed", ["c3"]),
        ("verdict:ref,conf", ["c4", "c3"]),
        ("verdict:none", ["c7", "c5", "c1", "c2", "c8"]),
        ("-verdict:none", ["c4", "c3", "c6"]),
        ("-verdict:confirmed", [c for c in ALL if c != "c3"]),  # no verdict is not "confirmed"
        ("kind:assessment", ["c7", "c2"]),
        ("kind:st", ["c4"]),
        ("kind:think-tank", ["c7", "c2"]),  # a source kind
        ("kind:tele", ["c1", "c6"]),
        ("reviewed:no", ["c7", "c5", "c4", "c1", "c6"]),
        ("reviewed:yes", ["c2", "c3", "c8"]),
    ],
)
def test_claim_fields(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source:ryb", ["c1", "c6"]),
        ("source:РЫБАРЬ", ["c1", "c6"]),  # alias
        ("source:s-gs", ["c3", "c8"]),  # ext id
        ("source:novosti", ["c4"]),  # substring
        ('source:"General Staff"', ["c3", "c8"]),
        ("source:tass,isw", ["c7", "c5", "c2"]),
        ("-source:rybar", ["c7", "c5", "c4", "c2", "c3", "c8"]),
        ("source:100%_", []),  # LIKE wildcards are literal
        ("side:russia", ["c5", "c4", "c1", "c6"]),
        ("side:ukr", ["c3", "c8"]),
        ("side:none", ["c7", "c2"]),
        ("-side:russia", ["c7", "c2", "c3", "c8"]),
        ("group:state-media", ["c5", "c4"]),
        ("group:none", ["c7", "c1", "c2", "c3", "c6", "c8"]),
    ],
)
def test_source_fields(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


@pytest.mark.parametrize(
    "query",
    ["place:Bakhmut", "place:бахмут", "place:artemivsk", "place:АРТЁМОВСК", "place:артемовск", "PLACE:BAKHMUT"],
)
def test_place_is_alias_aware(shared: Engine, query: str) -> None:
    assert ext_ids(shared, query) == ["c4", "c1", "c2"]  # not c3 (Bakhmutske)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("place:bakhmut*", ["c4", "c1", "c2", "c3"]),  # explicit prefix takes Bakhmutske too
        ("place:kliscijivka", ["c3"]),
        ("place:Кліщіївка", ["c3"]),
        ("place:Соледар,Kliščijivka", ["c5", "c3"]),
        ("place:nowhere", []),
        ("-place:bakhmut", ["c7", "c5", "c3", "c6", "c8"]),  # claims without a place too
        ('place:"Bakhmut"', ["c4", "c1", "c2"]),
        # A Russian or Ukrainian name in a case form names the place, as a free word does (``inflection``).
        ("place:бахмута", ["c4", "c1", "c2"]),  # not c3: Бахмутское is another word
        ("place:Бахмуте", ["c4", "c1", "c2"]),
        ("place:артемовска", ["c4", "c1", "c2"]),  # an alias in a case form
        ("place:бахмутского", ["c3"]),
        ("place:Кліщіївки", ["c3"]),
        ("place:соледара,бахмутом", ["c5", "c4", "c1", "c2"]),
        ("-place:бахмута", ["c7", "c5", "c3", "c6", "c8"]),
        ('place:"бахмута"', []),  # quoted: exactly as written
        ("place:бахм", []),  # the start of a name is not a name (bakhmut* asks for a prefix)
    ],
)
def test_place_values(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cred:1-3", ["c2", "c3", "c8"]),
        ("cred:3-1", ["c2", "c3", "c8"]),
        ("cred:2", ["c3"]),
        ("cred:2,6", ["c3", "c6"]),
        ("cred:none", ["c7", "c5", "c1"]),
        ("cred:none,1", ["c7", "c5", "c1", "c8"]),
        ("-cred:1-3", ["c7", "c5", "c4", "c1", "c6"]),  # ungraded claims are not graded 1-3
        ("credibility:4", ["c4"]),
    ],
)
def test_credibility(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("after:2022-12-14", ["c1", "c2", "c3", "c6", "c8"]),  # on or after
        ("before:2022-12-13", ["c7", "c5", "c4"]),  # on or before
        ("after:2023", ["c6", "c8"]),
        ("before:2022-11", ["c7", "c5"]),  # to the end of November
        ("after:2022-12 before:2022-12", ["c4", "c1", "c2", "c3"]),
        ("on:2022-12-14", ["c1", "c2"]),
        ("on:2022-01,2023-02", ["c7", "c8"]),
        ("-after:2022-12", ["c7", "c5"]),
    ],
)
def test_dates_on_sort_date(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:artillery", ["c4", "c3"]),  # folded: "Artillery" too
        ("tag:ass*", ["c4", "c1"]),
        ("tag:art", []),  # exact unless "*"
        ("-tag:artillery", ["c7", "c5", "c1", "c2", "c6", "c8"]),
    ],
)
def test_tags(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status:contested place:bakhmut breach", ["c1"]),
        ("wagner -status:unverified side:russia", ["c1"]),
        ("status:contested,corroborated place:бахмут", ["c4", "c1"]),
        ("place:bakhmut -source:isw after:2022-12-14", ["c1"]),
        ("assault* repelled", ["c3"]),  # an explicit "*" makes any word a prefix: "assaults"
        ("assault repelled", []),
        ("assault tag:artillery", ["c3"]),  # last word a prefix: "assaults"
        ("side:russia kind:statement,event reviewed:no", ["c5", "c4", "c1", "c6"]),
    ],
)
def test_fields_and_words_combine(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


# --- messages, describe ---------------------------------------------------------------------


def test_unknown_field_is_searched_as_words_with_a_suggestion(shared: Engine) -> None:
    result = search.compile_filter("staus:contested", "sqlite")
    assert result.message is not None
    assert 'unknown field "staus:"' in result.message
    assert "did you mean status:?" in result.message
    assert "known: status, verdict" in result.message
    assert ext_ids(shared, "staus:contested") == []
    assert ext_ids(shared, "enemy:losses") == ["c8"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("status:", "status: needs a value"),
        ("status:bogus", 'status: "bogus" is none of contested'),
        ("verdict:maybe", "verdict:"),
        ("cred:9", "cred:"),
        ("cred:high", "cred:"),
        ("after:2022-13", "is not a date"),
        ("before:2022-02-30", "is not a date"),
        ("after:yesterday", "is not a date"),
        ("reviewed:perhaps", "use yes or no"),
        ("kind:rumour", "kind:"),
        ('"unclosed phrase', "closing quote missing"),
        ("*", "nothing to search for"),
        ("a\x00b", "control characters ignored"),
    ],
)
def test_unusable_input_gives_a_message(query: str, fragment: str) -> None:
    assert fragment in message(query)


def test_invalid_field_value_is_ignored_not_applied(shared: Engine) -> None:
    result = search.compile_filter("status:bogus", "sqlite")
    assert result.where is None
    assert ext_ids(shared, "status:bogus") == ALL
    assert ext_ids(shared, "status:bogus wagner") == ["c1", "c6"]


def test_unclosed_quote_searches_to_the_end(shared: Engine) -> None:
    assert ext_ids(shared, '"repelled assaults') == ["c3"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status:contested place:Bakhmut breach", "status contested · place Bakhmut · words: breach…"),
        ("", "all claims"),
        ("status:con -place:бахмут", "status contested or contradicted · not place бахмут"),
        ('"a phrase" -wagner cred:1-3', "credibility 1–3 · words: “a phrase” · without: wagner"),
        ("side:none verdict:none,conf after:2022-12", "side none · verdict none or confirmed · from 2022-12"),
        ("status:aligned status:corr", "status aligned or corroborated"),
        ("kind:think", "kind source think-tank"),
    ],
)
def test_describe(query: str, expected: str) -> None:
    assert search.describe(search.parse(query)) == expected


def test_parsed_filter_structure() -> None:
    parsed = search.parse('bakh -"a b" status:corr,aligned -place:x')
    assert [(t.folded, t.phrase, t.negated, t.prefix) for t in parsed.terms] == [
        ("bakh", False, False, True),
        ("a b", True, True, False),
    ]
    assert [(f.field, f.values, f.negated) for f in parsed.fields] == [
        ("status", ("corroborated", "aligned"), False),
        ("place", ("x",), True),
    ]
    assert parsed.errors == ()
    assert parsed.highlight == ("bakh",)
    assert search.parse("   ").is_empty


def test_fts_query_is_built_from_quoted_phrases_only() -> None:
    result = search.compile_filter('NEAR(a b) or x* -"y""z" ^qq', "sqlite")
    words = '{body source} : "near(a" OR {body keys} : "near a") AND ({body source} : "b)" OR {body keys} : "b") AND ('
    words += '{body source} : "or" OR {body keys} : "or") AND ({body source} : "x" OR {body keys} : "ks") AND ('
    words += '{body source} : "z" OR {body keys} : "z") AND ({body source} : "^qq"* OR {body keys} : "k")'
    assert result.fts_query == f'(({words}) NOT (({{body source}} : "y" OR {{body keys}} : "i"))'
    result = search.compile_filter('ab"cd', "sqlite")
    assert result.fts_query == '({body source} : "ab""cd"* OR {body keys} : "ab cd"*)'


def test_limit_returns_the_first_rows_in_table_order(shared: Engine) -> None:
    with shared.connect() as connection:
        assert len(search.matching_ids(connection, "", limit=3)) == 3
        assert (
            search.matching_ids(connection, "status:contested", limit=1)
            == search.matching_ids(connection, "status:contested")[:1]
        )


PLAN_QUERIES = [
    "wagner",
    "repelled -bakhmut",
    "-wagner",
    "side:russia",
    "source:ryb",
    "kind:think-tank",
    "place:bakhmut*",
    "reviewed:no",
    "status:contested place:bakhmut breach",
    "рыбарь side:russia -place:soledar",
]


@pytest.mark.parametrize("query", PLAN_QUERIES)
def test_plan_for_many_matches_gives_the_same_rows(shared: Engine, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a connection, subqueries matching many claims switch to a table-order scan: same rows."""
    expected = ext_ids(shared, query)
    monkeypatch.setattr(search, "SCAN_THRESHOLD", 1)  # every non-empty subquery counts as "many"
    monkeypatch.setattr(search, "SOURCE_SCAN_THRESHOLD", 1)
    assert ext_ids(shared, query) == expected
    with shared.connect() as connection:
        result = search.compile_filter(query, "sqlite", connection=connection)
        assert result.where is not None and result.count_where is not None
        counts = [
            connection.execute(sa.select(sa.func.count()).select_from(search.claim).where(where)).scalar()
            for where in (result.where, result.count_where)
        ]
    assert counts == [len(expected), len(expected)]


def test_scan_form_is_used_only_with_a_connection_and_many_matches(
    shared: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with shared.connect() as connection:
        few = search.compile_filter("side:russia wagner", "sqlite", connection=connection)
        monkeypatch.setattr(search, "SCAN_THRESHOLD", 2)
        monkeypatch.setattr(search, "SOURCE_SCAN_THRESHOLD", 2)
        many = search.compile_filter("side:russia wagner", "sqlite", connection=connection)
    without = search.compile_filter("side:russia wagner", "sqlite")
    assert "+ 0" not in str(few.where) and "+ 0" not in str(without.where)
    assert str(many.where).count("+ 0") == 2  # 4 claims from Russian sources, 2 say "wagner"
    assert "+ 0" not in str(many.count_where)
    assert without.count_where is without.where


def test_very_long_queries_are_cut_and_bounded() -> None:
    parsed = search.parse("word " * 5000)
    assert len(parsed.terms) == search.MAX_TERMS
    assert any("first 1000 characters" in error for error in parsed.errors)
    assert any(f"first {search.MAX_TERMS} terms" in error for error in parsed.errors)
    many_values = search.parse("status:contested tag:" + ",".join(f"t{i}" for i in range(100)))
    assert [len(field.values) for field in many_values.fields] == [1, search.MAX_TERMS - 1]


def test_a_mistake_made_several_times_is_explained_once() -> None:
    """A pasted filter repeating a bad term says so once, not once per copy (the bar's message stays readable)."""
    parsed = search.parse("after:zz bakhmut after:zz status: after:zz status: zork:1 zork:1")
    assert len(parsed.errors) == len(set(parsed.errors)) == 3
    assert parsed.errors[0].startswith('after: "zz" is not a date')


# --- source fields resolved to source ids ---------------------------------------------------


def ext_ids_sql_form(engine: Engine, query: str) -> list[str]:
    """The claims ``query`` matches compiled without a connection: source fields as subqueries over ``source``."""
    result = search.compile_filter(query, engine.dialect.name)
    claim = search.claim
    statement = sa.select(claim.c.ext_id).order_by(claim.c.sort_date, claim.c.id)
    if result.where is not None:
        statement = statement.where(result.where)
    with engine.connect() as connection:
        return list(connection.execute(statement).scalars())


class Statements:
    """Every statement a connection runs while the context is open (transaction control left out).

    Traced by SQLite itself, so the statements the read path runs straight on the driver
    (``read.prepared``, the compiler's probes) are seen as well as SQLAlchemy's.
    """

    def __init__(self, connection: Connection) -> None:
        self.driver = connection.connection.driver_connection
        assert isinstance(self.driver, sqlite3.Connection)
        self.sql: list[str] = []

    def _record(self, statement: str) -> None:
        # ("-- …": a statement SQLite runs inside one of ours, as FTS5 reading its index)
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "--")):
            self.sql.append(" ".join(statement.split()))

    def __enter__(self) -> list[str]:
        self.driver.set_trace_callback(self._record)
        return self.sql

    def __exit__(self, *_exc: object) -> None:
        self.driver.set_trace_callback(None)


RESOLVED_QUERIES = [
    "source:ryb",
    "source:РЫБАРЬ",  # alias, Cyrillic, case
    "source:рыбар",
    "source:s-gs",  # ext id
    "source:novosti",
    'source:"General Staff"',
    "source:генштаб",
    "source:tass,isw",
    "source:ryb source:tass source:ria",
    "-source:rybar",
    "source:100%_",
    "source:nothing-is-called-this",
    "-source:nothing-is-called-this",
    "side:russia",
    "side:RUS",
    "side:ukr",
    "side:none",
    "side:russia,none",
    "-side:russia",
    "side:nowhere",
    "group:state-media",
    "group:state",
    "group:none",
    "-group:none",
    "kind:news-outlet",
    "kind:think-tank",
    "kind:statement",
    "-kind:news-outlet",
    "status:contested source:ryb",
    "status:contested,aligned,corroborated side:russia",
    "status:contested source:ryb,gs side:russia",
    "wagner source:ryb",
    "source:ria -side:ukraine",
    "source:ryb -source:tass place:bakhmut",
]


@pytest.mark.parametrize("query", RESOLVED_QUERIES)
def test_source_fields_resolved_in_python_match_the_sql_form(shared: Engine, query: str) -> None:
    assert ext_ids(shared, query) == ext_ids_sql_form(shared, query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source:ryb source:tass source:ria", ["c5", "c4", "c1", "c6"]),
        ("source:nothing-is-called-this", []),
        ("-source:nothing-is-called-this", ALL),
        ("side:nowhere", []),
        ("status:contested,aligned,corroborated side:russia", ["c5", "c4", "c1"]),
        ("kind:think-tank", ["c7", "c2"]),
    ],
)
def test_resolved_source_fields(shared: Engine, query: str, expected: list[str]) -> None:
    assert ext_ids(shared, query) == expected


def test_source_fields_compile_to_an_id_list_after_one_read_of_the_source_table(shared: Engine) -> None:
    query = 'status:contested source:ryb source:"General Staff" source:рыбарь side:russia,ukraine'
    with shared.connect() as connection, connection.begin(), Statements(connection) as statements:
        # Inside a transaction the source table is always read (see the next test for when it is not).
        result = search.compile_filter(query, "sqlite", connection=connection)
    # PRAGMA data_version, one read of the source table, then one capped probe per field
    # (the values of a field are resolved together): sources and sides.
    assert len(statements) == 4, statements
    assert statements[0] == "PRAGMA data_version" and "FROM source" in statements[1]
    assert all("FROM source" not in sql and sql.startswith("SELECT count(*)") for sql in statements[2:])
    for where in (result.where, result.count_where):
        assert where is not None
        sql = str(where.compile(compile_kwargs={"literal_binds": True}))
        assert "cc_fold" not in sql and "FROM source" not in sql
        # source: Rybar and the General Staff (then side: Rybar, RIA, TASS and the General Staff)
        assert "claim.source_id IN (1, 3)" in sql
    assert ext_ids(shared, query) == ["c1", "c8"] == ext_ids_sql_form(shared, query)


def test_no_matching_source_compiles_to_false(shared: Engine) -> None:
    with shared.connect() as connection:
        result = search.compile_filter("source:nothing-is-called-this", "sqlite", connection=connection)
        assert result.where is not None
        assert str(result.where.compile(compile_kwargs={"literal_binds": True})) in ("0", "false")
        counting = sa.select(sa.func.count()).select_from(search.claim).where(result.where)
        assert connection.execute(counting).scalar() == 0


def test_resolution_follows_source_changes_at_the_next_compile(fresh: Engine) -> None:
    tables = SQLModel.metadata.tables
    assert ext_ids(fresh, "source:ежик") == []
    with db.write_connection(fresh) as connection:
        source_id = connection.execute(
            sa.insert(tables["source"]).values(
                ext_id="s-hedgehog", name="Ёжик Café", aliases=["Їжак Кафе"], kind="blog", side="ukraine",
                group_label="Ежи", reliability="F", notes="",
            )
        ).inserted_primary_key[0]  # fmt: skip
        connection.execute(
            sa.insert(tables["claim"]).values(
                ext_id="c9", text="A hedgehog reports.", source_id=source_id, kind="event", tags=[], notes="",
                recorded=RECORDED, sort_date=dt.date(2023, 3, 1), status="unverified",
            )
        )  # fmt: skip
    # Diacritics and case folded in every script, aliases included; group and side prefixes.
    for query in ("source:ежик", "source:CAFE", 'source:"іжак кафе"', "group:еж", "source:s-hedge"):
        assert ext_ids(fresh, query) == ["c9"], query
        assert ext_ids_sql_form(fresh, query) == ["c9"], query
    with db.write_connection(fresh) as connection:  # renamed: the cached folded table must not be used
        connection.exec_driver_sql("UPDATE source SET name = 'Kremlin Wire' WHERE ext_id = 's-tass'")
    assert ext_ids(fresh, "source:kremlin") == ["c5"]
    with db.write_connection(fresh) as connection:
        connection.exec_driver_sql("""UPDATE source SET aliases = '["Kremlin Voice"]' WHERE ext_id = 's-ria'""")
        connection.exec_driver_sql("UPDATE source SET side = 'belarus' WHERE ext_id = 's-rybar'")
    assert ext_ids(fresh, "source:kremlin") == ["c5", "c4"]
    assert ext_ids(fresh, "source:новости") == []  # the old alias is gone
    assert ext_ids(fresh, "side:bel") == ["c1", "c6"]
    with db.write_connection(fresh) as connection:  # a damaged aliases value matches no alias (as in SQL)
        connection.exec_driver_sql("UPDATE source SET aliases = 'not json' WHERE ext_id = 's-ria'")
    assert ext_ids(fresh, "source:kremlin") == ext_ids_sql_form(fresh, "source:kremlin") == ["c5"]


def test_the_source_table_is_read_again_only_when_it_may_have_changed(fresh: Engine) -> None:
    def compile_reads_sources(query: str, expected: list[str]) -> bool:
        with fresh.connect() as connection, Statements(connection) as statements:
            result = search.compile_filter(query, "sqlite", connection=connection)
            assert result.where is not None
            found = connection.execute(sa.select(search.claim.c.ext_id).where(result.where)).scalars().all()
        assert sorted(found) == expected
        return any("FROM source" in sql for sql in statements)

    compile_reads_sources("source:tass", ["c5"])
    assert not compile_reads_sources("source:tass", ["c5"])  # the same pooled connection, nothing written since
    other = sqlite3.connect(str(fresh.url.database), isolation_level=None)
    try:
        sqlfunctions.register(other)  # the index triggers fold
        other.execute("UPDATE source SET name = 'Kremlin Wire' WHERE ext_id = 's-tass'")  # another connection commits
    finally:
        other.close()
    assert compile_reads_sources("source:kremlin", ["c5"])
    assert not compile_reads_sources("source:kremlin", ["c5"])
    # Uncommitted writes of the connection itself are seen, and forgotten with the rollback.
    with fresh.connect() as connection:
        connection.exec_driver_sql("UPDATE source SET name = 'Zed' WHERE ext_id = 's-tass'")
        assert search.matching_ids(connection, "source:zed") != []
        connection.rollback()
    assert compile_reads_sources("source:zed", [])
    assert compile_reads_sources("source:kremlin", ["c5"]) is False


def _plan_of(connection: Connection, statement: sa.Select[Any]) -> str:
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    return " | ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_status_and_few_sources_are_read_from_the_source_status_index(shared: Engine) -> None:
    """Counted and paged from ix_claim_source_status_sort (migration 0003), not by a walk of a whole status."""
    from desktop.core.read import paging

    with shared.connect() as connection:
        result = search.compile_filter(
            "status:contested,unverified source:ryb source:tass", "sqlite", connection=connection
        )
        view = paging.View(where=result.where, count_where=result.count_where)
        plan = paging._Plan(view)
        first_page = plan.ordered(plan.base(search.claim.c.id, partition=0)).limit(256)
        counting = paging._Plan(paging._for_counting(view)).base(sa.func.count(), partition=None)
        for statement in (first_page, counting):
            found = _plan_of(connection, statement)
            assert "ix_claim_source_status_sort (source_id=? AND status=?)" in found, found
        assert paging.count(connection, view) == 2
        assert [row.ext_id for row in paging.fetch_after(connection, view, None, 10)] == ["c6", "c1"]


def test_a_rare_word_drives_the_query_even_with_a_status(shared: Engine) -> None:
    """Without a hint SQLite walks every claim of the status in date order and tests each against the word."""
    with shared.connect() as connection:
        result = search.compile_filter("status:contested breached", "sqlite", connection=connection)
        assert result.where is not None
        page = sa.select(search.claim.c.id).where(result.where).order_by(search.claim.c.sort_date.desc()).limit(256)
        found = _plan_of(connection, page)
        assert "ix_claim_status_sort" not in found and "claim_fts" in found, found
    assert ext_ids(shared, "status:contested breached") == ["c1"]


def test_many_matches_leave_the_status_to_the_planner(shared: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SOURCE_SCAN_THRESHOLD", 1)
    with shared.connect() as connection:
        result = search.compile_filter("status:contested source:ryb", "sqlite", connection=connection)
    assert "likelihood" not in str(result.where) and "+ 0" in str(result.where)
    without = search.compile_filter("status:contested source:ryb", "sqlite")
    assert "likelihood" not in str(without.where)


# --- counting free words in the index ----------------------------------------------------------


@pytest.mark.parametrize("query", ["wagner", "wagner -east", '"repelled assaults"', "ba", "nothingmatchesthis"])
def test_free_words_alone_are_counted_in_the_full_text_index(shared: Engine, query: str) -> None:
    from desktop.core.read import paging

    with shared.connect() as connection:
        result = search.compile_filter(query, "sqlite", connection=connection)
        assert isinstance(result.count_where, paging.CountedWhere)
        view = paging.View(where=result.where, count_where=result.count_where)
        with Statements(connection) as statements:
            counted = paging.count(connection, view)
            sizes = paging.partition_sizes(connection, view)
        assert counted == sum(sizes) == len(ext_ids(shared, query))
        assert len(statements) == 2 and all(sql.startswith("SELECT count(*)") for sql in statements), statements
        assert all("FROM claim_fts" in sql and "FROM claim " not in sql for sql in statements)
        status_sort = paging.View(where=result.where, count_where=result.count_where, sort="status")
        assert sum(paging.partition_sizes(connection, status_sort)) == counted  # per status: the plain condition


@pytest.mark.parametrize("query", ["wagner status:contested", "-wagner", "wagner source:ryb", "status:contested"])
def test_other_filters_are_counted_over_the_claims(shared: Engine, query: str) -> None:
    from desktop.core.read import paging

    with shared.connect() as connection:
        result = search.compile_filter(query, "sqlite", connection=connection)
    assert not isinstance(result.count_where, paging.CountedWhere)
    assert not isinstance(search.compile_filter("wagner", "postgresql").count_where, paging.CountedWhere)


# --- hostile input --------------------------------------------------------------------------

HOSTILE = [
    '"unbalanced',
    'unbalanced"',
    '"',
    '""',
    '" "',
    '"""',
    "NEAR(",
    "NEAR(a b, 3)",
    "a AND",
    "AND",
    "OR",
    "NOT",
    "a OR b",
    "*",
    "a*",
    "*a",
    "^a",
    "body:x",
    "{body source}: x",
    "claim_fts:x",
    "'; DROP TABLE claim;--",
    '"; DROP TABLE claim;--',
    "1; DELETE FROM claim",
    "status:",
    "status:,,,",
    "status::",
    ":",
    "::",
    "-",
    "--",
    "- -",
    "-:",
    '-"',
    "-status:",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\ud800",
    "lone \udfff surrogate",
    "tab\there\nnewline",
    "a" * 10_000,
    "word " * 2_000,
    '"' * 10_000,
    "-" * 10_000,
    "status:contested " * 1_000,
    "place:x," * 2_000,
    "tag:" + ",".join(f"t{i}" for i in range(2_000)),
    " ".join(f"w{i}" for i in range(2_000)),
    "🔥💥",
    "🔥 wagner",
    "place:🔥",
    "الجيش الأوكراني",
    "\u202eevil\u202c",
    "שלום עולם",
    "Бахмут Артёмовск",
    "\u0301",
    "ﷺ",
    "\\",
    "%_",
    "source:%",
    "tag:_",
    "cred:0",
    "cred:1-9",
    "cred:-1",
    "after:0000",
    "after:9999-12-31",
    "before:99999",
    "after:2022-00",
    "on:2022-02-29",
    "reviewed:",
    "verdict:none,none",
    "side:",
    "group:,",
    "x:",
    "http://example.com/a?b=c",
    "10:30",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_raises_and_leaves_the_workspace_intact(shared: Engine, query: str) -> None:
    result = search.compile_filter(query, "sqlite")
    assert result.where is not None or result.message is not None
    if result.fts_query is not None:
        assert _outside_phrases(result.fts_query) <= {
            "AND",
            "OR",
            "NOT",
            "(",
            ")",
            "*",
            "{body",
            "source}",
            "keys}",
            ":",
        }
    with shared.connect() as connection:
        ids = search.matching_ids(connection, query)
        assert set(ids) <= set(connection.execute(sa.select(search.claim.c.id)).scalars())
        assert connection.execute(sa.select(sa.func.count()).select_from(search.claim)).scalar() == len(CLAIMS)
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # The PostgreSQL form compiles too (executed against a server in test_postgres_*).
    if result.where is not None:
        str(search.compile_filter(query, "postgresql").where.compile(dialect=postgresql.dialect()))  # type: ignore[union-attr]
    assert isinstance(search.describe(result.parsed), str)


def _outside_phrases(fts_query: str) -> set[str]:
    """What an FTS5 query has outside its double-quoted strings."""
    outside = re.sub(r'"(?:[^"]|"")*"', " ", fts_query)
    return set(outside.replace("(", " ( ").replace(")", " ) ").replace("*", " * ").split())


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=80) | st.lists(st.sampled_from(['"', "-", ":", "*", ",", " ", "status", "place",
                                                                "cred", "after", "NEAR", "(", "ё", "1-3", "x"]),
                                             max_size=20).map("".join))  # fmt: skip
def test_any_text_yields_a_query_that_runs(shared: Engine, query: str) -> None:
    result = search.compile_filter(query, "sqlite")
    if result.where is None:
        assert result.parsed.is_empty
    with shared.connect() as connection:
        search.matching_ids(connection, query, limit=5)


# --- the index follows the data (triggers) --------------------------------------------------


def _fts_check(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("INSERT INTO claim_fts(claim_fts) VALUES ('integrity-check')")
        indexed = set(connection.exec_driver_sql("SELECT rowid FROM claim_fts").scalars())
        claims = set(connection.execute(sa.select(search.claim.c.id)).scalars())
        assert indexed == claims


def test_index_follows_claim_text_and_source_changes(fresh: Engine) -> None:
    with db.write_connection(fresh) as connection:
        connection.exec_driver_sql("UPDATE claim SET text = 'Fresh words about Časiv Jar' WHERE ext_id = 'c1'")
    assert ext_ids(fresh, "breached") == []
    assert ext_ids(fresh, "casiv") == ["c1"]

    with db.write_connection(fresh) as connection:  # move c1 to TASS
        connection.exec_driver_sql(
            "UPDATE claim SET source_id = (SELECT id FROM source WHERE ext_id = 's-tass') WHERE ext_id = 'c1'"
        )
    assert ext_ids(fresh, "рыбарь") == ["c6"]
    assert ext_ids(fresh, "тасс") == ["c5", "c1"]

    with db.write_connection(fresh) as connection:  # rename a source, change its aliases
        connection.exec_driver_sql(
            "UPDATE source SET name = 'Rybar Ёж', aliases = '[\"\\u0420\\u044b\\u0431\\u0430\\u0440\\u044c 2\"]'"
            " WHERE ext_id = 's-rybar'"
        )
    assert ext_ids(fresh, "еж") == ["c6"]
    assert ext_ids(fresh, "рыбарь") == ["c6"]  # the \\u-escaped JSON alias is decoded
    assert ext_ids(fresh, "source:рыбарь") == ["c6"]

    with db.write_connection(fresh) as connection:
        connection.exec_driver_sql("DELETE FROM claim WHERE ext_id = 'c6'")
    assert ext_ids(fresh, "еж") == []
    _fts_check(fresh)


def test_insert_or_replace_leaves_no_stale_index_row(fresh: Engine) -> None:
    with db.write_connection(fresh) as connection:
        row = connection.exec_driver_sql("SELECT * FROM claim WHERE ext_id = 'c8'").mappings().one()
        values = dict(row) | {"text": "Replaced text"}
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        connection.execute(sa.text(f"INSERT OR REPLACE INTO claim ({columns}) VALUES ({marks})"), values)
    assert ext_ids(fresh, "replaced") == ["c8"]
    assert ext_ids(fresh, "personnel") == []
    _fts_check(fresh)


def test_migration_backfills_existing_claims_and_downgrades(tmp_path: Path) -> None:
    engine = _workspace(tmp_path / "workspace.sqlite")
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    with engine.connect() as connection:
        names = set(connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
        assert not {name for name in names if name.startswith("claim_fts")}
    with db.write_connection(engine) as connection:  # claims written while there was no index
        connection.exec_driver_sql("UPDATE claim SET text = 'written before the index' WHERE ext_id = 'c2'")

    report = db.upgrade(engine, backup_dir=tmp_path / "backups")
    assert report.previous == "0001" and report.current == db.known_revisions()[1]
    assert ext_ids(engine, "written before") == ["c2"]
    assert ext_ids(engine, "wagner") == ["c1", "c6"]
    _fts_check(engine)
    engine.dispose()


def test_migration_0003_adds_and_drops_the_source_status_index(fresh: Engine, tmp_path: Path) -> None:
    def indexes() -> set[str]:
        with fresh.connect() as connection:
            return set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").scalars())

    assert "ix_claim_source_status_sort" in indexes()
    with fresh.connect() as connection, connection.begin():
        command.downgrade(db._alembic_config(connection), "0002")
    assert "ix_claim_source_status_sort" not in indexes()
    assert ext_ids(fresh, "status:contested source:ryb") == ["c1"]  # still right, only slower
    report = db.upgrade(fresh, backup_dir=tmp_path / "backups")
    assert (report.previous, report.current) == ("0002", db.known_revisions()[1])
    assert "ix_claim_source_status_sort" in indexes()


def test_writing_a_claim_needs_the_fold_function(fresh: Engine) -> None:
    """Documents why every connection must call sqlfunctions.register (db.make_engine does)."""
    path = fresh.url.database
    assert path is not None
    bare = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="cc_fold"):
            bare.execute("UPDATE claim SET text = 'x' WHERE ext_id = 'c1'")
    finally:
        bare.close()


def test_sql_fold_never_raises() -> None:
    assert sqlfunctions.sql_fold(None) is None
    assert sqlfunctions.sql_fold("Артёмовск") == "артемовск"
    assert sqlfunctions.sql_fold(12) == "12"
    assert sqlfunctions.sql_fold(b"\xff caf\xc3\xa9") == "\ufffd cafe"


# --- PostgreSQL ------------------------------------------------------------------------------


def test_postgres_form_compiles_with_cc_fold_and_bound_parameters() -> None:
    result = search.compile_filter("breach -wagner place:бахмут source:ryb tag:x side:none cred:1-3", "postgresql")
    assert result.where is not None and result.fts_query is None
    sql = str(result.where.compile(dialect=postgresql.dialect()))
    assert "cc_fold(claim.text) LIKE" in sql
    assert "json_array_elements_text" in sql
    assert "breach" not in sql and "бахмут" not in sql  # values are bound, never inlined


@pytest.fixture(scope="module")
def pg_shared(postgres_server: str) -> Iterator[Engine]:
    """The same seeded workspace on PostgreSQL (read-only tests)."""
    from tests.postgres_server import fresh_database

    engine = db.make_engine(db.resolve_location(fresh_database(postgres_server)))
    db.upgrade(engine)
    with db.write_connection(engine) as connection:
        _seed(connection, CLAIMS)
    yield engine
    engine.dispose()


# The same claims on both back ends (PostgreSQL's word index: tests/core/test_postgres_search.py).
PG_SAME_AS_SQLITE = [
    "breached",
    "wagner",
    "wagner -cafe",
    "repell",
    '"repelled assaults"',
    '"assaults repelled"',
    "cafe",
    "CRÈME",
    "kliscijivka",
    "артемовске",
    "ёлка",
    "елка",
    "рыбарь",
    "isw",
    "status:contested,contradicted",
    "-status:unverified",
    "verdict:none",
    "-verdict:confirmed",
    "kind:think-tank",
    "source:РЫБАРЬ",
    "source:s-gs",
    "source:100%_",
    "side:none",
    "-side:russia",
    "group:state-media",
    "place:artemivsk",
    "place:bakhmut*",
    "-place:bakhmut",
    "place:бахмута",
    "place:артемовска,кліщіївки",
    "-place:бахмуте",
    "cred:1-3",
    "-cred:1-3",
    "cred:none",
    "after:2022-12 before:2022-12",
    "on:2022-12-14",
    "reviewed:no",
    "tag:artillery",
    "tag:ass*",
    "status:contested place:bakhmut breach",
    "wagner -status:unverified side:russia",
]


@pytest.mark.postgres
def test_postgres_gives_the_same_claims_as_sqlite(shared: Engine, pg_shared: Engine) -> None:
    differences = {
        query: (ext_ids(pg_shared, query), ext_ids(shared, query))
        for query in PG_SAME_AS_SQLITE
        if ext_ids(pg_shared, query) != ext_ids(shared, query)
    }
    assert differences == {}


@pytest.mark.postgres
@pytest.mark.parametrize("query", RESOLVED_QUERIES)
def test_postgres_resolves_source_fields_like_its_sql_form(pg_shared: Engine, query: str) -> None:
    assert ext_ids(pg_shared, query) == ext_ids_sql_form(pg_shared, query)


@pytest.mark.postgres
def test_postgres_migration_0003_adds_and_drops_the_source_status_index(postgres_server: str) -> None:
    from tests.postgres_server import fresh_database

    engine = db.make_engine(db.resolve_location(fresh_database(postgres_server)))
    try:
        db.upgrade(engine)

        def indexes() -> set[str]:
            with engine.connect() as connection:
                return {index["name"] for index in sa.inspect(connection).get_indexes("claim")}  # type: ignore[misc]

        assert "ix_claim_source_status_sort" in indexes()
        with engine.connect() as connection, connection.begin():
            command.downgrade(db._alembic_config(connection), "0002")
        assert "ix_claim_source_status_sort" not in indexes()
        assert db.upgrade(engine).current == db.known_revisions()[1]
        assert "ix_claim_source_status_sort" in indexes()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_survives_hostile_input(pg_shared: Engine) -> None:
    with pg_shared.connect() as connection:
        for query in HOSTILE:
            search.matching_ids(connection, query, limit=5)
            connection.rollback()
        assert connection.execute(sa.select(sa.func.count()).select_from(search.claim)).scalar() == len(CLAIMS)


@pytest.mark.postgres
def test_postgres_cc_fold_agrees_with_python_fold(pg_shared: Engine) -> None:
    samples = ["Артёмовск", "Kliščijivka", "CRÈME brûlée", "Ёлка", "ﬁnal", "Ǆemal", "Straße"]
    with pg_shared.connect() as connection:
        folded = [connection.execute(sa.select(sa.func.cc_fold(sample))).scalar() for sample in samples]
    expected = [fold(sample) for sample in samples]
    expected[-1] = "straße"  # lower() keeps ß where casefold() gives "ss": a known, harmless gap
    assert folded == expected


# Every query of PLAN_QUERIES and more: words alone (one FTS5 MATCH), a status with one source field (the
# probe reads both), a field alone, and combinations that no single probe counts.
COUNTED_QUERIES = [
    *PLAN_QUERIES,
    "wagner",
    "wag",
    "wagner -east",
    "status:contested",
    "status:contested side:russia",
    "status:contested,unverified source:rybar",
    "kind:source:telegram-channel",
    "side:russia -wagner",
    "nothingmatchesthis",
]


@pytest.mark.parametrize("query", COUNTED_QUERIES)
@pytest.mark.parametrize("cap", [None, 2])
def test_a_count_the_compile_gives_is_the_filters_count(
    shared: Engine, query: str, cap: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``FilterResult.count``, when given, is exactly how many claims the filter matches; None when unsure."""
    if cap is not None:  # probes that reach their cap count nothing whole
        monkeypatch.setattr(search, "SCAN_THRESHOLD", cap)
        monkeypatch.setattr(search, "SOURCE_SCAN_THRESHOLD", cap)
    with shared.connect() as connection:
        result = search.compile_filter(query, "sqlite", connection=connection)
        counted = result.count
        if result.where is not None:
            statement = sa.select(sa.func.count()).select_from(search.claim).where(result.where)
            true = connection.execute(statement).scalar_one()
            assert counted is None or counted == true
            if cap is not None and true >= cap:
                assert counted is None
    assert search.compile_filter(query, "sqlite").count is None  # nothing probed without a connection


@pytest.mark.parametrize(
    ("query", "counted"),
    [
        ("wagner", True),  # one MATCH
        ("wagner -east", True),  # FTS5 subtracts the negated word in the same MATCH
        ("status:contested side:russia", True),  # the source ids probed with the status
        ("reviewed:no", True),
        ("side:russia", True),
        ("status:contested", False),  # a status alone is never probed
        ("side:russia wagner", False),  # two probed conditions: neither counts both
        ("side:russia -wagner", False),
        ("bakhmut", False),  # a word naming a place: its claims and those naming it, not one probe
    ],
)
def test_which_filters_the_compile_counts(shared: Engine, query: str, counted: bool) -> None:
    with shared.connect() as connection:
        assert (search.compile_filter(query, "sqlite", connection=connection).count is not None) is counted
