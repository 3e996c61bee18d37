"""The event day a captured passage names, read against its report's publication day (Thursday 15 December 2022)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.capture.dates import event_day, typed_day

THURSDAY = dt.date(2022, 12, 15)


@pytest.mark.parametrize(
    ("passage", "day", "phrase"),
    [
        ("Russian forces attacked near Opytne on Wednesday.", "2022-12-14", "Wednesday"),
        ("On Thursday the line held.", "2022-12-15", "Thursday"),  # the report's own day
        ("Assaults were repelled on Friday.", "2022-12-09", "Friday"),  # the Friday before
        ("Yesterday the shelling resumed.", "2022-12-14", "Yesterday"),
        ("The day before yesterday, and again today.", "2022-12-13", "The day before yesterday"),
        ("On 3 March the bridge fell.", "2022-03-03", "3 March"),  # earlier this year, not next
        ("Talks are due on December 20.", "2022-12-20", "December 20"),  # the month ahead: ahead
        ("It began on the 24th of February 2022.", "2022-02-24", "24th of February 2022"),
        ("As of 14.12.2022 the line held.", "2022-12-14", "14.12.2022"),
        ("Report dated 2022-12-10.", "2022-12-10", "2022-12-10"),
        ("В среду ВСУ отбили атаку у Опытного.", "2022-12-14", "В среду"),
        ("Во вторник штурм продолжился.", "2022-12-13", "Во вторник"),
        ("Вчера противник атаковал.", "2022-12-14", "Вчера"),
        ("3 марта 2022 года мост был разрушен.", "2022-03-03", "3 марта 2022 года"),
        ("У середу ворог атакував біля Бахмута.", "2022-12-14", "У середу"),
        ("у пʼятницю й у пятницю", "2022-12-09", "у пʼятницю"),
        ("Вчора ворог обстріляв місто.", "2022-12-14", "Вчора"),
        ("14 грудня 2022 року ЗСУ відбили атаку.", "2022-12-14", "14 грудня 2022 року"),
        ("Yesterday's claim of a breach on 10 December", "2022-12-14", "Yesterday"),  # the first phrase
    ],
)
def test_a_date_phrase_resolves_against_the_reports_day(passage: str, day: str, phrase: str) -> None:
    found = event_day(passage, THURSDAY)
    assert found is not None
    assert (found.day.isoformat(), found.phrase) == (day, phrase)


@pytest.mark.parametrize(
    "passage",
    [
        "Russian troops may 10 times outnumber them.",  # "may" the verb, not the month
        "загрязнение окружающей среды",  # "среда": the environment, not Wednesday
        "Выбросы в окружающую среду",
        "Nothing dated here.",
        "On 31 February nothing happened.",  # not a date
    ],
)
def test_words_that_only_look_like_dates_are_not_taken(passage: str) -> None:
    assert event_day(passage, THURSDAY) is None


def test_without_the_reports_day_only_a_full_date_is_read() -> None:
    assert event_day("On Wednesday, yesterday, on 3 March", None) is None
    found = event_day("On Wednesday 14 December 2022", None)
    assert found is not None and found.day == dt.date(2022, 12, 14)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2022-12-14", "2022-12-14"),  # as every date field takes it
        ("  yesterday ", "2022-12-14"),
        ("on Wednesday", "2022-12-14"),
        ("Thursday", "2022-12-15"),  # the claimed day itself
        ("в среду", "2022-12-14"),
        ("Вчора", "2022-12-14"),
        ("3 March", "2022-03-03"),
        ("December 20", "2022-12-20"),
        ("14.12.2022", "2022-12-14"),
        ("14 грудня 2022 року", "2022-12-14"),
        ("the day before yesterday.", "2022-12-13"),
    ],
)
def test_a_typed_day_is_a_phrase_a_capture_reads_typed_alone(typed: str, day: str) -> None:
    assert typed_day(typed, THURSDAY) == dt.date.fromisoformat(day)


def test_a_typed_day_is_none_when_empty_and_explains_what_it_cannot_read() -> None:
    assert typed_day(" \t", THURSDAY) is None
    assert typed_day("2022-12-14", None) == dt.date(2022, 12, 14)  # a full date needs no claimed day
    for typed in ("soon", "2022-02-30", "31.02.2022", "the 14th"):
        with pytest.raises(ValueError, match=f"^“{typed}” is not a date: try 2022-12-14, 3 March or yesterday$"):
            typed_day(typed, THURSDAY)
    with pytest.raises(ValueError, match="^“yesterday a…” is not a date"):  # quoted short: it fits one line
        typed_day("yesterday and today", THURSDAY)
    with pytest.raises(ValueError, match="“yesterday” is counted from the claimed date"):
        typed_day("yesterday", None)
