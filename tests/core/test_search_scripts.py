"""Free words across scripts and spellings: search keys (migration 0011) and words that name a place."""

from __future__ import annotations

import string
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from desktop.core import integrity, search
from desktop.core.search.inflection import _ENDINGS, ADJECTIVE, case_forms, case_keys, word_keys
from desktop.core.search.keys import index_keys, search_keys
from desktop.core.store.repair import rebuild_search_index
from desktop.core.text import fold
from desktop.core.workspace import Workspace

TEXTS = {
    "en": "Wagner units claim a breach of the defences of Bakhmut.",
    "de": "Die Lage in Bachmut bleibt unklar, sagt das Institut.",
    "ru": "Штурмовые отряды продвинулись на окраинах Бахмута.",
    "uk-old": "Бої точилися біля Артемівська, повідомляє джерело.",  # the city's Soviet-era name
    "tagged": "Artillery struck the city centre overnight.",  # names no place; tagged with Bakhmut
    "other": "Ukrainian forces repelled assaults near Soledar.",
}


@pytest.fixture
def scripts(workspace: Workspace) -> Iterator[Workspace]:
    store = workspace.store
    source = store.create_source("Monitor", kind="other").value
    bakhmut = store.create_place("Bakhmut", aliases=["Бахмут", "Artemivsk", "Артемівськ", "Артемовск"]).value
    soledar = store.create_place("Soledar", aliases=["Соледар"]).value
    for ext_id, text in TEXTS.items():
        places = [bakhmut] if ext_id == "tagged" else [soledar] if ext_id == "other" else []
        store.create_claim(text, source, ext_id=ext_id, places=places)
    yield workspace


def found(workspace: Workspace, query: str) -> set[str]:
    with workspace.engine.connect() as connection:
        ids = search.matching_ids(connection, query)
        claim = search.claim
        return set(connection.execute(sa.select(claim.c.ext_id).where(claim.c.id.in_(ids))).scalars())


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("bakhmut", "bahmut"),
        ("Bachmut", "bahmut"),
        ("Бахмут", "bahmut"),
        ("Bakhmut's", "bahmut"),  # the possessive is not part of the name
        ("Zaporizhzhia", "zaporizia"),
        ("Запоріжжя", "zaporizia"),
        ("Київ", "kiv"),
        ("Kyiv", "kiv"),
        ("Донецьк", "doneck"),
        ("Donetsk", "doneck"),
        ("Горлівка", "horlivka"),
        ("Horlivka", "horlivka"),
        ("Кам'янське", "kamianzke"),
        ("Kam’ianske", "kamianzke"),
        ("2022", ""),
        ("\ud800", ""),
    ],
)
def test_spellings_of_one_name_share_a_search_key(word: str, key: str) -> None:
    assert search_keys(word) == key


def test_an_inflected_cyrillic_word_finds_the_names_other_forms(scripts: Workspace) -> None:
    """бахмута finds Бахмут, Bakhmut and Bachmut; the quoted form stays exact."""
    bakhmut = {"en", "de", "ru", "uk-old", "tagged"}  # its names in any script, and the claim tagged with it
    assert found(scripts, "бахмут") == bakhmut
    assert found(scripts, "бахмута") == bakhmut  # a case form of a place's name names the place as well
    assert found(scripts, "Бахмуте") == bakhmut
    assert found(scripts, "Артемовска") == bakhmut  # an alias's case form too
    assert found(scripts, "Соледаре") == {"other"}
    assert found(scripts, "штурмовых") == {"ru"}  # штурмовые, by its stem
    assert found(scripts, '"бахмута"') == {"ru"}
    assert found(scripts, "-бахмуте") == {"other"}


# The case forms of one name, as Russian and Ukrainian reports write them: every form meets the first.
SAME_NAME = [
    "Харьков Харькова Харькову Харьковом Харькове",
    "Харків Харкова Харкову Харковом Харкові",
    "Київ Києва Києву Києвом Києві",
    "Киев Киева Киеву Киевом Киеве",
    "Львів Львова Львові",
    "Миколаїв Миколаєва Миколаєві",
    "Бердичів Бердичева Бердичеві",
    "Бахмут Бахмута Бахмуту Бахмутом Бахмуті Бахмуте Бахмутові",
    "Покровськ Покровська Покровську Покровськом",
    "Покровск Покровска Покровску Покровском Покровске",
    "Донецьк Донецька Донецьку Донецьком",
    "Донецк Донецка Донецку Донецком Донецке",
    "Авдіївка Авдіївки Авдіївці Авдіївку Авдіївкою",
    "Авдеевка Авдеевки Авдеевке Авдеевку Авдеевкой",
    "Кліщіївка Кліщіївки Кліщіївці",
    "Запоріжжя Запоріжжі Запоріжжю Запоріжжям",
    "Запорожье Запорожья Запорожью Запорожьем",
    "Маріуполь Маріуполя Маріуполю Маріуполем Маріуполі",
    "Курахове Курахового Кураховому Кураховим",
    "Покровське Покровського Покровському Покровським",
    "Бахмутское Бахмутского Бахмутскому",
    "Соледар Соледара Соледару Соледарі",
]
# Words that must not meet: different places, a noun and the adjective on its stem, a root and a name on it.
NOT_SAME = [
    ("Покровськ", "Покровське"),  # a city and a village
    ("Покровськ", "Покровського"),
    ("Покровск", "Покровское"),
    ("Бахмут", "Бахмутское"),
    ("Бахмута", "Бахмутського"),
    ("Харків", "Харківська"),  # the oblast
    ("Харкова", "Харківщина"),
    ("роста", "Ростов"),  # рост (growth) is not the city
    ("Попова", "попа"),
    ("Київ", "кий"),
    ("Донецьк", "Донець"),  # the city and the river
    ("Часів", "час"),
    ("Ізюм", "Ізюмське"),
    ("Авдіївка", "Андріївка"),
]


def _meet(one: str, other: str) -> bool:
    return bool(word_keys(fold(one)) & word_keys(fold(other)))


@pytest.mark.parametrize("forms", SAME_NAME)
def test_every_case_form_of_a_name_meets_its_plain_form(forms: str) -> None:
    plain, *others = forms.split()
    assert [form for form in others if not _meet(plain, form)] == []
    for form in others:  # a place named in its plain form is found by each of its case forms, and back
        assert plain in [name for name in _named_in(form)], form


@pytest.mark.parametrize(("one", "other"), NOT_SAME)
def test_words_that_only_look_alike_do_not_meet(one: str, other: str) -> None:
    assert not _meet(one, other)
    assert fold(other) not in case_forms(fold(one)) and fold(one) not in case_forms(fold(other))


def _named_in(typed: str) -> list[str]:
    """The plain forms of ``SAME_NAME`` a word typed as a ``place:`` value names (``case_forms``)."""
    forms = set(case_forms(fold(typed))) | {fold(typed)}
    return [plain for plain, *_ in (line.split() for line in SAME_NAME) if fold(plain) in forms]


@pytest.fixture
def declined(workspace: Workspace) -> Iterator[Workspace]:
    """A place per ``SAME_NAME`` line, named in its plain form, with a claim tagged with it (``t{i}``, a text
    naming nothing) and a claim naming it in each case form (``w{i}-{j}``)."""
    store = workspace.store
    source = store.create_source("Monitor", kind="other").value
    for i, line in enumerate(SAME_NAME):
        plain, *_ = forms = line.split()
        place_id = store.create_place(f"Place {i}", aliases=[plain]).value
        store.create_claim("Fighting reported overnight.", source, ext_id=f"t{i}", places=[place_id])
        for j, form in enumerate(forms):
            store.create_claim(f"Бої тривають біля {form}.", source, ext_id=f"w{i}-{j}")
    yield workspace


# Forms two names share: the genitive of Покровськ is also the feminine of the adjective (Покровська громада).
AMBIGUOUS = {"Покровська", "Покровську"}


def test_each_case_form_as_a_place_value_names_that_place_and_no_other(declined: Workspace) -> None:
    plains = [line.split()[0] for line in SAME_NAME]
    wrong = {}
    for line, forms in enumerate(SAME_NAME):
        for form in forms.split():
            also = {f"t{other}" for other, plain in enumerate(plains) if form in AMBIGUOUS and _meet(plain, form)}
            if (named := found(declined, f"place:{form}")) != {f"t{line}"} | also:
                wrong[form] = named
    assert wrong == {}
    assert found(declined, "place:Покровська") == {"t8", "t19"}  # the city, and the village as an adjective


def test_each_case_form_as_a_free_word_finds_every_form_and_the_place(declined: Workspace) -> None:
    """Any form finds the claims naming the place in every form, and the claim tagged with it; a prefix may
    find a stray longer word too (Покровськ finds Покровське), never hide one."""
    missed = {}
    for line, forms in enumerate(SAME_NAME):
        wanted = {f"w{line}-{j}" for j in range(len(forms.split()))} | {f"t{line}"}
        for form in forms.split():
            if lost := wanted - found(declined, form):
                missed[form] = lost
    assert missed == {}


@pytest.mark.parametrize(
    ("word", "keys"),
    [
        ("бахмута", {"бахмут"}),
        ("авдіівки", {"авдіівк"}),
        ("авдіівці", {"авдіівц", "авдіівк"}),  # Ukrainian к is ц before the locative -і
        ("донецкои", {"донецк~"}),  # донецкой, folded: the adjective (Донецкой области)
        ("донецька", {"донецьк", "донецьк~"}),  # the city's genitive, or the adjective (Донецька область)
        ("штурмовые", {"штурмов"}),
        ("києва", {"києв"}),
        ("киів", {"києв"}),  # Київ, folded: its other forms' stem
        ("харкові", {"харков", "харк"}),  # Харків's locative, or a dative in -ові
        ("бахмут", {"бахмут"}),  # no ending to take off
        ("киев", {"киев"}),  # too short for a stem: the word
        ("bakhmuta", set()),  # Latin: keys and prefixes already
    ],
)
def test_the_keys_of_a_word(word: str, keys: set[str]) -> None:
    assert word_keys(word) == keys


_CYRILLIC = st.text(alphabet="абвгдежзиклмнопрстуфхцчшщъыьэюяіє", min_size=1, max_size=10)


@given(typed=_CYRILLIC, ending=st.sampled_from(["", *_ENDINGS, "ь", "ка", "ів", "ці", "ськ", "ське"]), other=_CYRILLIC)
def test_a_names_case_forms_are_the_words_filed_under_the_typed_words_keys(typed: str, ending: str, other: str) -> None:
    """``place:`` (SQL, ``case_forms``) and a free word (``PlaceNames``, by key) find the same names."""
    keys = case_keys(typed)
    built = [(key.removesuffix(ADJECTIVE) or typed) + ending for key in sorted(keys)] or [typed + ending]
    for name in (*built, other):  # names built on the typed word's keys, and any word at all
        assert (name in case_forms(typed)) == bool(word_keys(name) & keys)


@given(typed=_CYRILLIC)
def test_a_word_meets_itself_and_its_keys_stand_for_it(typed: str) -> None:
    assert word_keys(typed) and all(key.removesuffix(ADJECTIVE) for key in word_keys(typed))
    assert not case_keys(typed) or typed in case_forms(typed)


def test_search_keys_of_a_text_are_its_words_keys_in_order() -> None:
    assert search_keys("Бахмут, 14 December: Bachmut’s — ") == "bahmut december bahmut"


def test_the_index_keeps_only_keys_that_differ_from_the_words() -> None:
    """The folded text holds "the", "of", "december" already; a query looks for keys in both."""
    assert index_keys("The fate of Bakhmut, 14 December: Бахмут; don't") == "bahmut bahmut dont"


@pytest.mark.parametrize("query", ["bakhmut", "bachmut", "Бахмут", "БАХМУТ", "artemivsk", "Артемовск"])
def test_transliterations_and_historic_names_find_the_same_claims(scripts: Workspace, query: str) -> None:
    """The spellings meet by key; a name of the place brings all its names and the claims tagged with it."""
    assert found(scripts, query) == {"en", "de", "ru", "uk-old", "tagged"}


def test_a_word_naming_a_place_finds_claims_tagged_with_it(scripts: Workspace) -> None:
    assert found(scripts, "соледар") == {"other"}
    assert found(scripts, "artemivsk artillery") == {"tagged"}
    assert found(scripts, "artillery -bachmut") == set()
    assert found(scripts, "repelled -bakhmut") == {"other"}


def test_a_prefix_being_typed_does_not_name_a_place(scripts: Workspace) -> None:
    """``artem`` is not yet Artemivsk: only the claims that spell a word so."""
    assert found(scripts, "artem") == {"uk-old"}


def test_a_word_that_keys_to_much_less_is_not_a_prefix_of_other_keys(scripts: Workspace) -> None:
    """zzzzqqq keys to "zk", and "square" to "zkuare": a typed nonsense word must not find it."""
    workspace = scripts
    source = workspace.store.create_source("Other", kind="other").value
    workspace.store.create_claim("Positions did not square with each other.", source, ext_id="square")
    assert found(workspace, "zzzzqqq") == set()
    assert found(workspace, "™ 🛰 №") == set()  # symbols whose romanisation is letters: no error
    assert found(workspace, "squ") == {"square"}


def test_cross_script_words_elsewhere_in_a_query(scripts: Workspace) -> None:
    assert found(scripts, "shturmovye") == {"ru"}  # Latin for штурмовые
    assert found(scripts, "вагнер") == {"en"}
    assert found(scripts, '"units claim"') == {"en"}


def test_the_index_holds_keys_as_the_trigger_and_the_repair_write_them(scripts: Workspace) -> None:
    engine = scripts.engine
    with engine.connect() as connection:
        sql = "SELECT c.ext_id, f.keys FROM claim_fts f JOIN claim c ON c.id = f.rowid"
        rows = {str(ext_id): keys for ext_id, keys in connection.exec_driver_sql(sql)}
    assert rows == {ext_id: index_keys(text) for ext_id, text in TEXTS.items()}
    with engine.begin() as connection:  # as if an older key function had written one row
        connection.exec_driver_sql("UPDATE claim_fts SET keys = 'stale' WHERE rowid = 1")
    assert any(problem.repair == "search-index" for problem in integrity.check(engine))
    rebuild_search_index(engine)
    assert found(scripts, "bakhmut") == {"en", "de", "ru", "uk-old", "tagged"}
    assert not integrity.check(engine)


def test_migration_0011_indexes_the_keys_of_existing_claims(scripts: Workspace) -> None:
    from alembic import command

    from desktop.core import db

    engine = scripts.engine
    with engine.connect() as connection, connection.begin():
        command.downgrade(db._alembic_config(connection), "0010")
    with engine.connect() as connection:
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(claim_fts)")]
    assert columns == ["body", "source"]
    db.upgrade(engine, backup_dir=db.sqlite_path(engine).parent / "backups")  # type: ignore[union-attr]
    assert found(scripts, "bachmut") == {"en", "de", "ru", "uk-old", "tagged"}
    assert not integrity.check(engine)


@given(st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=12))
def test_the_quick_path_for_plain_words_agrees_with_the_full_computation(word: str) -> None:
    from desktop.core.search import keys

    unchanged = keys._keys_of_token(word) == word
    assert (keys._index_keys_of_token(word) == "") == unchanged


SCRIPT_QUERIES = [
    "bakhmut", "bachmut", "Бахмут", "БАХМУТ", "artemivsk", "Артемовск", "bakh", "бахм", "соледар",
    "artemivsk artillery", "artillery -bachmut", "repelled -bakhmut", "artem", "zzzzqqq", "™ 🛰 №", "squ",
    "shturmovye", "вагнер", '"units claim"', '"bakhmut bleibt"', '"бахмута"', "-бахмут", "institut -lage",
    "бахмута", "Бахмуте", "штурмовых", "-бахмуте",
]  # fmt: skip


@pytest.mark.postgres
def test_postgresql_finds_what_sqlite_finds_across_scripts(scripts: Workspace, postgres_url: str) -> None:
    """PostgreSQL's word index holds the same keys (migration 0013): the same claims for every query here."""
    from desktop.core.workspace import open_workspace

    opened = open_workspace(postgres_url)
    try:
        store = opened.store
        source = store.create_source("Monitor", kind="other").value
        bakhmut = store.create_place("Bakhmut", aliases=["Бахмут", "Artemivsk", "Артемівськ", "Артемовск"]).value
        soledar = store.create_place("Soledar", aliases=["Соледар"]).value
        for ext_id, text in TEXTS.items():
            places = [bakhmut] if ext_id == "tagged" else [soledar] if ext_id == "other" else []
            store.create_claim(text, source, ext_id=ext_id, places=places)
        store.create_claim("Positions did not square with each other.", source, ext_id="square")
        scripts.store.create_claim("Positions did not square with each other.", source, ext_id="square")
        differences = {q: (found(opened, q), found(scripts, q)) for q in SCRIPT_QUERIES}
        assert {q: pair for q, pair in differences.items() if pair[0] != pair[1]} == {}
        assert found(opened, "bachmut") == {"en", "de", "ru", "uk-old", "tagged"}
    finally:
        opened.close()
