"""Related-claim suggestions: across scripts and spellings, places and dates; linked and dismissed pairs never."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.search.similar import Probe, similar_to, suggest
from desktop.core.wordkeys import word_key
from desktop.core.workspace import Workspace


@pytest.mark.parametrize(
    "spellings",
    [
        ("Bakhmut", "Bachmut", "Бахмут", "Бахмута", "bakhmut's"),
        ("Artemivsk", "Artemovsk", "Артемівськ", "Артемовск"),
        ("Zelenskyy", "Зеленський", "Selenskyj"),
        ("Chasiv", "Часів"),
    ],
)
def test_one_key_for_a_word_across_scripts_and_spellings(spellings: tuple[str, ...]) -> None:
    assert len({word_key(word) for word in spellings}) == 1


def test_different_words_have_different_keys() -> None:
    assert len({word_key(w) for w in ("Bakhmut", "Soledar", "Donetsk", "breach", "shelling")}) == 5


@pytest.fixture
def claims(workspace: Workspace) -> dict[str, int]:
    s = workspace.store
    ru = s.create_source("Channel", side="russia").value
    ua = s.create_source("General Staff", side="ukraine").value
    town = s.create_place("Bakhmut", aliases=["Бахмут"]).value
    day = dt.date(2022, 12, 14)
    return {
        "breach": s.create_claim("Russian troops breached the eastern defences of Bakhmut", ru, claimed=day).value,
        "cyrillic": s.create_claim("Прорыв обороны Бахмута на восточном участке", ru, claimed=day).value,
        "placed": s.create_claim("Assaults were repelled near the town", ua, claimed=day, places=[town]).value,
        "far": s.create_claim("Harvest figures for the southern region were published", ua).value,
        "town": town,
        "ru": ru,
    }


def ids(found: list[object]) -> list[int]:
    return [s.claim_id for s in found]  # type: ignore[attr-defined]


def test_a_claim_in_another_script_is_suggested_with_the_shared_word(
    workspace: Workspace, claims: dict[str, int]
) -> None:
    with workspace.engine.connect() as connection:
        found = similar_to(connection, claims["breach"])
    assert claims["cyrillic"] in ids(found)
    reason = next(s for s in found if s.claim_id == claims["cyrillic"]).why
    assert any("bakhmut" in why.lower() for why in reason) and "same day" in reason
    assert claims["far"] not in ids(found)


def test_a_claim_being_written_gets_suggestions_from_its_place_and_date(
    workspace: Workspace, claims: dict[str, int]
) -> None:
    probe = Probe("Heavy fighting reported", places=(claims["town"],), date=dt.date(2022, 12, 15))
    with workspace.engine.connect() as connection:
        found = suggest(connection, probe)
    assert ids(found)[:1] == [claims["placed"]]
    assert found[0].why == ("same place: Bakhmut", "1 day apart")


def test_linked_and_dismissed_claims_are_not_suggested(workspace: Workspace, claims: dict[str, int]) -> None:
    s = workspace.store
    with workspace.engine.connect() as connection:
        assert claims["cyrillic"] in ids(similar_to(connection, claims["breach"]))
    dismissed = s.dismiss_suggestion(claims["breach"], claims["cyrillic"])
    with workspace.engine.connect() as connection:
        assert claims["cyrillic"] not in ids(similar_to(connection, claims["breach"]))
        assert claims["breach"] not in ids(similar_to(connection, claims["cyrillic"]))  # from either side
    dismissed.undo(s)
    s.set_link(claims["cyrillic"], claims["breach"], "corroborates")
    with workspace.engine.connect() as connection:
        assert claims["cyrillic"] not in ids(similar_to(connection, claims["breach"]))


def test_scores_are_between_0_and_1_best_first_and_limited(workspace: Workspace, claims: dict[str, int]) -> None:
    for n in range(12):
        workspace.store.create_claim(f"Bakhmut eastern defences report number {n}", claims["ru"])
    with workspace.engine.connect() as connection:
        found = similar_to(connection, claims["breach"], limit=5)
    assert len(found) == 5
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True) and all(0 < x <= 1 for x in scores)


@pytest.mark.postgres
def test_suggestions_on_postgresql(postgres_url: str) -> None:
    from desktop.core.workspace import open_workspace

    postgres_workspace = open_workspace(postgres_url)
    s = postgres_workspace.store
    source = s.create_source("Channel").value
    day = dt.date(2022, 12, 14)
    a = s.create_claim("Russian troops breached the eastern defences of Bakhmut", source, claimed=day).value
    b = s.create_claim("Прорыв обороны Бахмута на восточном участке", source, claimed=day).value
    with postgres_workspace.engine.connect() as connection:
        assert b in ids(similar_to(connection, a))
    postgres_workspace.close()
